package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one line of the audit trail: who changed what, and when. Details never hold
// secrets; callers pass descriptions such as "private key saved".
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Detail string    `json:"detail"`
}

// Audit appends an entry inside an existing transaction, so the record and the change it
// describes land together.
func Audit(ctx context.Context, tx *sql.Tx, at time.Time, actor, action, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log(at, actor, action, detail) VALUES(?, ?, ?, ?)`,
		at.UTC().Format(time.RFC3339Nano), actor, action, detail)
	if err != nil {
		return fmt.Errorf("writing audit entry %s: %w", action, err)
	}
	return nil
}

// AuditLog returns the newest entries first.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	return s.auditRows(ctx, `SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
}

func (s *Store) auditRows(ctx context.Context, query string, args ...any) ([]AuditEntry, error) {
	rows, err := s.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Detail); err != nil {
			return nil, fmt.Errorf("reading audit log: %w", err)
		}
		if e.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("audit entry %d has a bad time %q: %w", e.ID, at, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditQuery pages through the audit trail, newest first.
type AuditQuery struct {
	// Search matches the actor, the action and the detail.
	Search string `json:"search"`
	// BeforeID lists only entries older than this one: the page after one that ended there.
	BeforeID int64 `json:"beforeId"`
	// Limit caps the page [50].
	Limit int `json:"limit"`
}

// AuditPage is one page of entries, and whether older ones exist.
type AuditPage struct {
	Entries []AuditEntry `json:"entries"`
	More    bool         `json:"more"`
}

// AuditPage returns the newest entries matching q (keyset paging, so an entry written
// between two pages neither repeats nor hides one).
func (s *Store) AuditPage(ctx context.Context, q AuditQuery) (AuditPage, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	where, args := []string{"1=1"}, []any{}
	if t := strings.TrimSpace(q.Search); t != "" {
		p := LikePattern(t)
		where = append(where, `(actor LIKE ? ESCAPE '\' OR action LIKE ? ESCAPE '\' OR detail LIKE ? ESCAPE '\')`)
		args = append(args, p, p, p)
	}
	if q.BeforeID > 0 {
		where = append(where, "id < ?")
		args = append(args, q.BeforeID)
	}
	args = append(args, q.Limit+1) // one more tells whether older entries exist
	entries, err := s.auditRows(ctx, `SELECT id, at, actor, action, detail FROM audit_log WHERE `+strings.Join(where, " AND ")+
		` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return AuditPage{}, err
	}
	var page AuditPage
	page.Entries, page.More = TrimPage(entries, q.Limit)
	return page, nil
}

// TrimPage cuts a page read with one row more than limit back to limit, and says whether
// that extra row was there: whether another page follows.
func TrimPage[T any](rows []T, limit int) ([]T, bool) {
	if len(rows) > limit {
		return rows[:limit], true
	}
	return rows, false
}

// LikePattern makes a LIKE pattern (with ESCAPE '\') that finds s anywhere in a value.
func LikePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
