package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Setting reads one value of the settings table; ok is false when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.DB.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("reading setting %s: %w", key, err)
	}
	return value, true, nil
}

// SetSettings writes several settings in one transaction: all of them or none.
func (s *Store) SetSettings(ctx context.Context, values map[string]string) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for k, v := range values {
			if err := upsertSetting(ctx, tx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// AllSettings reads the whole settings table (for a diagnostics report; no secret is ever
// stored there).
func (s *Store) AllSettings(ctx context.Context) (map[string]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT key, value FROM settings ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("reading the settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("reading the settings: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// ChangeSettings writes values like SetSettings and, in the same transaction, records in
// the audit trail who changed which of them, from what to what (values that stay the same
// are not listed; nothing changed, nothing recorded). Only for settings that hold no
// secret: the values are written into the trail.
func (s *Store) ChangeSettings(ctx context.Context, actor, action string, values map[string]string) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		keys := make([]string, 0, len(values))
		for k := range values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var changed []string
		for _, k := range keys {
			var old string
			err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, k).Scan(&old)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				changed = append(changed, fmt.Sprintf("%s: %q", k, values[k]))
			case err != nil:
				return fmt.Errorf("reading setting %s: %w", k, err)
			case old != values[k]:
				changed = append(changed, fmt.Sprintf("%s: %q → %q", k, old, values[k]))
			}
			if err := upsertSetting(ctx, tx, k, values[k]); err != nil {
				return err
			}
		}
		if len(changed) == 0 {
			return nil
		}
		return Audit(ctx, tx, time.Now(), actor, action, strings.Join(changed, "; "))
	})
}

func upsertSetting(ctx context.Context, tx *sql.Tx, key, value string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value, updated_at) VALUES(?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
		ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value); err != nil {
		return fmt.Errorf("writing setting %s: %w", key, err)
	}
	return nil
}
