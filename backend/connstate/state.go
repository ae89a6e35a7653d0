package connstate

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"cwm-webroot/backend/store"
)

// Connection states, as the dashboard cards show them.
const (
	NotConfigured = "not_configured"
	Untested      = "untested"
	Connected     = "connected"
	Failing       = "failing"
)

// Core is the part of a connection's stored state that every connection has. A connection
// embeds it in its own state struct, which adds what its tests learn and the revision of
// the settings the state is about (see Setting).
type Core struct {
	State     string    `json:"state"`
	Since     time.Time `json:"since,omitzero"`     // connected since / failing since
	CheckedAt time.Time `json:"checkedAt,omitzero"` // the last test or refresh
	// Problem is the user message of the last failure; Kind its vendor error kind; Field the
	// form label it points at, if any.
	Problem string `json:"problem,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Field   string `json:"field,omitempty"`
}

// Outcome is one test's or refresh's result for the state machine.
type Outcome struct {
	// Revision is that of the settings the test or refresh started with.
	Revision int64
	OK       bool
	// Problem, Kind and Field say what failed, when not OK.
	Problem, Kind, Field string
}

// Advance moves the state after a test or refresh checked at now: connected since the first
// success after anything else, failing since the first failure after anything else. A
// success clears the problem; a failure records it.
func (c *Core) Advance(now time.Time, o Outcome) {
	c.CheckedAt = now
	if o.OK {
		if c.State != Connected {
			c.State, c.Since = Connected, now
		}
		c.Problem, c.Kind, c.Field = "", "", ""
	} else {
		if c.State != Failing {
			c.State, c.Since = Failing, now
		}
		c.Problem, c.Kind, c.Field = o.Problem, o.Kind, o.Field
	}
}

// Times are the state's times as the Status types carry them: when it began, as connected
// since or failing since (the other nil), and when it was last checked.
func (c Core) Times() (connectedSince, failingSince, checkedAt *time.Time) {
	switch c.State {
	case Connected:
		connectedSince = TimePtr(c.Since)
	case Failing:
		failingSince = TimePtr(c.Since)
	}
	return connectedSince, failingSince, TimePtr(c.CheckedAt)
}

// Setting keeps one connection's state, S (a struct embedding Core), as JSON in the settings
// table under Key.
//
// A save of the connection's settings starts the state again from "untested" at the next
// revision (Reset). A test or refresh notes the revision it starts with and records its
// outcome only if no save happened while it ran: otherwise its result is about settings that
// are gone, and Record and Check return Stale.
type Setting[S any] struct {
	DB  *store.Store
	Key string
	// Name names the connection in errors ("ConnectWise").
	Name string
	// Stale is the error for an outcome of replaced settings.
	Stale error
	// Core and Revision find the shared fields in S.
	Core     func(*S) *Core
	Revision func(*S) *int64
}

// Querier is a database or a transaction.
type Querier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// Read returns the stored state; an untested one when none is stored or it cannot be read.
func (k Setting[S]) Read(ctx context.Context, q Querier) (S, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, k.Key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return k.untested(0), nil
	}
	if err != nil {
		var zero S
		return zero, fmt.Errorf("reading the %s connection state: %w", k.Name, err)
	}
	var st S
	if err := json.Unmarshal([]byte(raw), &st); err != nil || k.Core(&st).State == "" {
		return k.untested(0), nil // unreadable: test again
	}
	return st, nil
}

func (k Setting[S]) untested(revision int64) S {
	var st S
	k.Core(&st).State = Untested
	*k.Revision(&st) = revision
	return st
}

// Write stores st.
func (k Setting[S]) Write(ctx context.Context, tx *sql.Tx, st S) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return SetSetting(ctx, tx, k.Key, string(raw))
}

// CurrentRevision is the revision of the saved settings, read when a test or refresh starts.
func (k Setting[S]) CurrentRevision(ctx context.Context) (int64, error) {
	st, err := k.Read(ctx, k.DB.DB)
	return *k.Revision(&st), err
}

// Reset starts the state again from "untested" at the next revision, in the transaction
// that saves the settings: the last test proved other settings.
func (k Setting[S]) Reset(ctx context.Context, tx *sql.Tx) error {
	prev, err := k.Read(ctx, tx)
	if err != nil {
		return err
	}
	return k.Write(ctx, tx, k.untested(*k.Revision(&prev)+1))
}

// Check returns Stale when the settings were saved again since revision was read.
func (k Setting[S]) Check(ctx context.Context, tx *sql.Tx, revision int64) error {
	st, err := k.Read(ctx, tx)
	if err != nil {
		return err
	}
	if *k.Revision(&st) != revision {
		return k.Stale
	}
	return nil
}

// Record moves the state after a test or refresh checked at now (see Core.Advance); learn,
// if set, then adds what the outcome taught about the connection. It records nothing, and
// returns Stale, when the settings were saved again meanwhile. The caller holds the lock
// that serialises its writes of the settings.
func (k Setting[S]) Record(ctx context.Context, now time.Time, o Outcome, learn func(*S)) error {
	return k.DB.Tx(ctx, func(tx *sql.Tx) error {
		st, err := k.Read(ctx, tx)
		if err != nil {
			return err
		}
		if *k.Revision(&st) != o.Revision {
			return k.Stale
		}
		k.Core(&st).Advance(now, o)
		if learn != nil {
			learn(&st)
		}
		return k.Write(ctx, tx, st)
	})
}

// SetSetting writes one row of the settings table in tx.
func SetSetting(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value, updated_at) VALUES(?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
		ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value)
	if err != nil {
		return fmt.Errorf("writing setting %s: %w", key, err)
	}
	return nil
}

// SetSettings writes rows of the settings table in tx.
func SetSettings(ctx context.Context, tx *sql.Tx, values map[string]string) error {
	for k, v := range values {
		if err := SetSetting(ctx, tx, k, v); err != nil {
			return err
		}
	}
	return nil
}

// Summary is a connection's state in one line, for the command line and tooltips:
// "Connected as … to "…"", "Failing since …: reason".
type Summary struct {
	State string
	// Username is who the connection signs in as; To what it reaches (a company, a console),
	// when known.
	Username, To string
	FailingSince *time.Time
	Problem      string
}

func (s Summary) String() string {
	switch s.State {
	case NotConfigured:
		return "Not configured"
	case Untested:
		return "Saved, not tested yet"
	case Connected:
		line := "Connected as " + s.Username
		if s.To != "" {
			line += fmt.Sprintf(" to %q", s.To)
		}
		return line
	case Failing:
		line := "Failing"
		if s.FailingSince != nil {
			line += " since " + s.FailingSince.Local().Format("2006-01-02 15:04 MST")
		}
		if s.Problem != "" {
			line += ": " + s.Problem
		}
		return line
	}
	return s.State
}
