package notify

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Topics of notify_sent rows: one per kind of fact the Notifier remembers having told.
const (
	topicSyncFailed  = "sync_failed"
	topicHeld        = "held_changes"
	topicCredentials = "credentials"
	topicNewSite     = "new_site"
	topicOverLimit   = "over_limit"
	topicStale       = "stale_sync"
	topicDigest      = "digest"
)

// sentRecord is what was last said about one topic and subject.
type sentRecord struct {
	fact   string
	sentAt time.Time
}

// recall returns the record of one topic and subject; ok is false when there is none.
func (n *Notifier) recall(ctx context.Context, topic, subject string) (rec sentRecord, ok bool, err error) {
	var at string
	err = n.Store.DB.QueryRowContext(ctx, `SELECT fact, sent_at FROM notify_sent WHERE topic = ? AND subject = ?`, topic, subject).
		Scan(&rec.fact, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, fmt.Errorf("reading what was notified: %w", err)
	}
	rec.sentAt, _ = time.Parse(time.RFC3339Nano, at) // unreadable: zero, as if long ago
	return rec, true, nil
}

// recallAll returns every record of a topic by subject (lower-cased: site ids are GUIDs
// that Webroot spells in either case).
func (n *Notifier) recallAll(ctx context.Context, topic string) (map[string]sentRecord, error) {
	rows, err := n.Store.DB.QueryContext(ctx, `SELECT subject, fact, sent_at FROM notify_sent WHERE topic = ?`, topic)
	if err != nil {
		return nil, fmt.Errorf("reading what was notified: %w", err)
	}
	defer rows.Close()
	out := map[string]sentRecord{}
	for rows.Next() {
		var subject, at string
		var rec sentRecord
		if err := rows.Scan(&subject, &rec.fact, &at); err != nil {
			return nil, fmt.Errorf("reading what was notified: %w", err)
		}
		rec.sentAt, _ = time.Parse(time.RFC3339Nano, at)
		out[strings.ToLower(subject)] = rec
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading what was notified: %w", err)
	}
	return out, nil
}

// remember records that facts (subject → fact) of a topic were told now, in one
// transaction.
func (n *Notifier) remember(ctx context.Context, topic string, facts map[string]string) error {
	if len(facts) == 0 {
		return nil
	}
	now := n.now().UTC().Format(time.RFC3339Nano)
	return n.Store.Tx(ctx, func(tx *sql.Tx) error {
		for subject, fact := range facts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notify_sent(topic, subject, fact, sent_at) VALUES (?, ?, ?, ?)
				ON CONFLICT(topic, subject) DO UPDATE SET fact = excluded.fact, sent_at = excluded.sent_at`,
				topic, subject, fact, now); err != nil {
				return fmt.Errorf("recording a notification: %w", err)
			}
		}
		return nil
	})
}

// forget removes records of a topic, so that the next occurrence of their facts is told.
// No subjects forgets the installation-wide record ("").
func (n *Notifier) forget(ctx context.Context, topic string, subjects ...string) error {
	if len(subjects) == 0 {
		subjects = []string{""}
	}
	return n.Store.Tx(ctx, func(tx *sql.Tx) error {
		for _, s := range subjects {
			if _, err := tx.ExecContext(ctx, `DELETE FROM notify_sent WHERE topic = ? AND subject = ?`, topic, s); err != nil {
				return fmt.Errorf("forgetting a notification: %w", err)
			}
		}
		return nil
	})
}

// fingerprint condenses the parts of a fact into a short stable string. Only equality
// matters, and a hash keeps company names and error texts out of the table.
func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
