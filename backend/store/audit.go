package store

import (
	"context"
	"database/sql"
	"fmt"
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
	rows, err := s.DB.QueryContext(ctx, `SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
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
