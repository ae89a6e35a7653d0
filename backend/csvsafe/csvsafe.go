// Package csvsafe guards CSV files a user opens in a spreadsheet against formula
// injection: a cell that starts with =, +, -, @, a tab or a carriage return is taken by
// Excel, LibreOffice and Google Sheets as a formula (OWASP "CSV Injection"), so text that
// comes from outside the app (a host name, a site name) gets a leading apostrophe, which
// spreadsheets show as text and do not display.
package csvsafe

import (
	"encoding/csv"
	"io"
)

// Cell returns s safe to put in a spreadsheet cell: with a leading apostrophe when it
// starts with a character that makes it a formula, as is otherwise.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer whose Write guards every cell with Cell.
type Writer struct {
	*csv.Writer
}

// NewWriter returns a guarded writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{csv.NewWriter(w)} }

// Write writes one record, each cell guarded.
func (w *Writer) Write(record []string) error {
	safe := make([]string, len(record))
	for i, s := range record {
		safe[i] = Cell(s)
	}
	return w.Writer.Write(safe)
}
