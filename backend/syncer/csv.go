package syncer

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"cwm-webroot/backend/csvsafe"
)

// CSVHeader is the history export's header row, in order (PRODUCT.md §2.7).
var CSVHeader = []string{"run_id", "started_at", "finished_at", "trigger", "addition_id", "agreement_id",
	"company_id", "product", "before", "after", "state", "message"}

// WriteCSV writes the changes matching q, oldest run first, with the header row, and
// returns how many rows it wrote. Times are RFC 3339 in UTC; before is empty when it was
// never read; message is the reason and the outcome.
func (h *History) WriteCSV(ctx context.Context, w io.Writer, q ChangeQuery) (int, error) {
	where, args := changeWhere(q)
	rows, err := h.st.DB.QueryContext(ctx, `SELECT r.id, r.started_at, r.finished_at, r.trigger, c.addition_id,
		c.agreement_id, c.company_id, c.product, c.before_qty, c.after_qty, c.state, c.reason, c.message
		FROM sync_changes c JOIN sync_runs r ON r.id = c.run_id WHERE `+where+` ORDER BY c.run_id, c.id`, args...)
	if err != nil {
		return 0, fmt.Errorf("reading the sync history: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		var runID, addition, agreement, company int64
		var started, trigger, product, state, reason, message string
		var finished sql.NullString
		var before sql.NullFloat64
		var after int
		if err := rows.Scan(&runID, &started, &finished, &trigger, &addition, &agreement, &company, &product,
			&before, &after, &state, &reason, &message); err != nil {
			return n, fmt.Errorf("reading the sync history: %w", err)
		}
		b := ""
		if before.Valid {
			b = fmtQty(before.Float64)
		}
		rec := []string{strconv.FormatInt(runID, 10), csvTime(started), csvTime(finished.String), trigger,
			strconv.FormatInt(addition, 10), strconv.FormatInt(agreement, 10), strconv.FormatInt(company, 10),
			product, b, strconv.Itoa(after), state, csvsafe.Cell(joinMessage(reason, message))}
		if err := cw.Write(rec); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("reading the sync history: %w", err)
	}
	cw.Flush()
	return n, cw.Error()
}

// csvTime rewrites a stored time as RFC 3339 in UTC, to the second; "" stays "".
func csvTime(s string) string {
	if s == "" {
		return ""
	}
	t, err := parseTime(s)
	if err != nil {
		return s
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// joinMessage puts a change's reason and outcome message into one text.
func joinMessage(reason, message string) string {
	switch {
	case reason == "":
		return message
	case message == "":
		return reason
	}
	return strings.TrimSpace(reason) + " " + strings.TrimSpace(message)
}

// Text is the change's reason and outcome in one text, as the command line and the CSV
// show it.
func (c Change) Text() string { return joinMessage(c.Reason, c.Message) }
