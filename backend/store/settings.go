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

// SettingsChange is a save of several settings by someone, for the activity log.
type SettingsChange struct {
	Actor, Action string
	// Values are the settings to write, by key.
	Values map[string]string
	// Before are the values in effect until now, defaults included, by key; a key missing
	// here is told as newly set.
	Before map[string]string
	// Labels name keys as the user knows them ("Day of month"); a key without one is
	// named by itself.
	Labels map[string]string
	// Notes tell changes kept elsewhere, such as "Password: replaced" for a secret in the
	// keychain (never its value).
	Notes []string
}

// ChangeSettings writes c.Values like SetSettings and, in the same transaction, records in
// the audit trail who changed which of them from what to what ("Frequency: daily →
// monthly"). Values that stay the same are not listed; when none changes, nothing is
// recorded. Only for settings that hold no secret: the values are written into the trail.
func (s *Store) ChangeSettings(ctx context.Context, c SettingsChange) error {
	keys := make([]string, 0, len(c.Values))
	for k := range c.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	shown := func(v string) string {
		if v == "" {
			return "(empty)"
		}
		return v
	}
	var changed []string
	for _, k := range keys {
		name := k
		if l, ok := c.Labels[k]; ok {
			name = l
		}
		old, known := c.Before[k]
		switch {
		case !known:
			changed = append(changed, fmt.Sprintf("%s: %s", name, shown(c.Values[k])))
		case old != c.Values[k]:
			changed = append(changed, fmt.Sprintf("%s: %s → %s", name, shown(old), shown(c.Values[k])))
		}
	}
	changed = append(changed, c.Notes...)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if err := upsertSetting(ctx, tx, k, c.Values[k]); err != nil {
				return err
			}
		}
		if len(changed) == 0 {
			return nil
		}
		return Audit(ctx, tx, time.Now(), c.Actor, c.Action, strings.Join(changed, "; "))
	})
}

func upsertSetting(ctx context.Context, tx *sql.Tx, key, value string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value, updated_at) VALUES(?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
		ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value); err != nil {
		return fmt.Errorf("writing setting %s: %w", key, err)
	}
	return nil
}
