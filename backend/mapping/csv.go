package mapping

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"cwm-webroot/backend/csvsafe"
	"cwm-webroot/backend/store"
)

// CSVHeader is the mapping file's header row, in order (PRODUCT.md §2.7).
var CSVHeader = []string{"site_id", "site_name", "product", "count_basis", "company_id", "agreement_id", "addition_id", "less_included", "minimum"}

// ExportCSV writes every mapping with the header row.
func (s *Service) ExportCSV(ctx context.Context, w io.Writer) (int, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT m.site_id, COALESCE(w.name, ''), m.product, m.count_basis, m.company_id, m.agreement_id,
		m.addition_id, m.less_included, m.minimum FROM mappings m LEFT JOIN webroot_sites w ON w.site_id = m.site_id
		ORDER BY COALESCE(w.name, m.site_id) COLLATE NOCASE, m.product`)
	if err != nil {
		return 0, fmt.Errorf("reading mappings: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		var site, name, product, basis string
		var company, agreement, addition int64
		var less, min sql.NullInt64
		if err := rows.Scan(&site, &name, &product, &basis, &company, &agreement, &addition, &less, &min); err != nil {
			return n, fmt.Errorf("reading mappings: %w", err)
		}
		// The site name is Webroot's text and the one cell a spreadsheet could take for a
		// formula; import ignores it, so the guard never changes a round trip.
		rec := []string{site, csvsafe.Cell(name), product, basis, strconv.FormatInt(company, 10), strconv.FormatInt(agreement, 10),
			strconv.FormatInt(addition, 10), optional(less), optional(min)}
		if err := cw.Write(rec); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

func optional(v sql.NullInt64) string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatInt(v.Int64, 10)
}

// RowError is one problem in an imported file, by line number (the header is line 1).
type RowError struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportError lists every problem in a file; when it is returned nothing was changed.
type ImportError struct {
	Rows []RowError `json:"rows"`
}

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the file was not imported: %d problem(s), nothing was changed", len(e.Rows))
	for _, r := range e.Rows {
		if r.Field != "" {
			fmt.Fprintf(&b, "\nline %d, %s: %s", r.Line, r.Field, r.Message)
		} else {
			fmt.Fprintf(&b, "\nline %d: %s", r.Line, r.Message)
		}
	}
	return b.String()
}

// ImportResult counts what an import changed.
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

type csvRow struct {
	line int
	m    Mapping
}

// ImportCSV validates every row first and applies them all in one transaction only when no
// row is wrong. Mappings not in the file are left as they are.
func (s *Service) ImportCSV(ctx context.Context, actor string, r io.Reader) (ImportResult, error) {
	rows, errs := parseCSV(r)
	var res ImportResult
	now := s.now()
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		seen := map[string]int{}
		for _, row := range rows {
			key := strings.ToLower(row.m.SiteID) + "/" + row.m.Product
			if first, dup := seen[key]; dup {
				errs = append(errs, RowError{Line: row.line, Field: "site_id", Message: fmt.Sprintf("site %s %s is already mapped on line %d: a site's product line maps once", row.m.SiteID, row.m.Product, first)})
				continue
			}
			seen[key] = row.line
			for _, p := range check(ctx, tx, row.m) {
				errs = append(errs, RowError{Line: row.line, Field: p.field, Message: p.message})
			}
		}
		if len(errs) > 0 {
			return &ImportError{Rows: errs}
		}
		existing, err := currentMappings(ctx, tx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			old, ok := existing[strings.ToLower(row.m.SiteID)+"/"+row.m.Product]
			switch {
			case !ok:
				res.Created++
			case sameMapping(old, row.m):
				res.Unchanged++
				continue
			default:
				res.Updated++
			}
			if err := upsert(ctx, tx, row.m, now); err != nil {
				return err
			}
		}
		return store.Audit(ctx, tx, now, actor, "mapping.imported", fmt.Sprintf("%d created, %d updated, %d unchanged", res.Created, res.Updated, res.Unchanged))
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

func currentMappings(ctx context.Context, tx *sql.Tx) (map[string]Mapping, error) {
	rows, err := tx.QueryContext(ctx, `SELECT site_id, product, count_basis, company_id, agreement_id, addition_id, less_included, minimum FROM mappings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Mapping{}
	for rows.Next() {
		var m Mapping
		var less, min sql.NullInt64
		if err := rows.Scan(&m.SiteID, &m.Product, &m.CountBasis, &m.CompanyID, &m.AgreementID, &m.AdditionID, &less, &min); err != nil {
			return nil, err
		}
		m.LessIncluded, m.Minimum = intPtr(less), intPtr(min)
		out[strings.ToLower(m.SiteID)+"/"+m.Product] = m
	}
	return out, rows.Err()
}

func sameMapping(a, b Mapping) bool {
	eq := func(x, y *int) bool { return x == nil && y == nil || x != nil && y != nil && *x == *y }
	return a.CountBasis == b.CountBasis && a.CompanyID == b.CompanyID && a.AgreementID == b.AgreementID &&
		a.AdditionID == b.AdditionID && eq(a.LessIncluded, b.LessIncluded) && eq(a.Minimum, b.Minimum)
}

// parseCSV reads the file's shape: header, column count and number formats. The rules that
// need the caches are checked by ImportCSV.
func parseCSV(r io.Reader) ([]csvRow, []RowError) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted per row, to name the line
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, []RowError{{Line: 1, Message: "the file is empty: it needs the header row " + strings.Join(CSVHeader, ",")}}
	}
	if err != nil {
		return nil, []RowError{{Line: 1, Message: "not a readable CSV file: " + err.Error()}}
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // spreadsheet programs add a byte-order mark
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if strings.Join(header, ",") != strings.Join(CSVHeader, ",") {
		return nil, []RowError{{Line: 1, Message: "the header row must be exactly " + strings.Join(CSVHeader, ",")}}
	}
	var rows []csvRow
	var errs []RowError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			errs = append(errs, RowError{Line: line, Message: "cannot be read: " + err.Error()})
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(CSVHeader) {
			errs = append(errs, RowError{Line: line, Message: fmt.Sprintf("has %d columns, needs %d (%s)", len(rec), len(CSVHeader), strings.Join(CSVHeader, ","))})
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		m := Mapping{SiteID: rec[0], Product: strings.ToLower(rec[2]), CountBasis: strings.ToLower(rec[3])}
		bad := false
		id := func(col int, dst *int64) {
			v, err := strconv.ParseInt(rec[col], 10, 64)
			if err != nil || v <= 0 {
				errs = append(errs, RowError{Line: line, Field: CSVHeader[col], Message: fmt.Sprintf("%q is not a Manage record id (a positive whole number)", rec[col])})
				bad = true
				return
			}
			*dst = v
		}
		opt := func(col int) *int {
			if rec[col] == "" {
				return nil
			}
			v, err := strconv.Atoi(rec[col])
			if err != nil || v < 0 {
				errs = append(errs, RowError{Line: line, Field: CSVHeader[col], Message: fmt.Sprintf("%q is not a whole number of 0 or more (leave it empty for none)", rec[col])})
				bad = true
				return nil
			}
			return &v
		}
		if m.SiteID == "" {
			errs = append(errs, RowError{Line: line, Field: "site_id", Message: "is empty: it needs the GSM SiteId"})
			bad = true
		}
		id(4, &m.CompanyID)
		id(5, &m.AgreementID)
		id(6, &m.AdditionID)
		m.LessIncluded, m.Minimum = opt(7), opt(8)
		if !bad {
			rows = append(rows, csvRow{line: line, m: m})
		}
	}
	return rows, errs
}
