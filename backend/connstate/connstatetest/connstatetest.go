// Package connstatetest is the test scaffolding the connection packages (manageconn,
// webrootconn) share: a real SQLite database in a temporary folder, a keychain, recorded
// events and captured logs, with readers for checks on what was written.
package connstatetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"cwm-webroot/backend/events"
	"cwm-webroot/backend/logbuf"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
)

// SyncBuffer is a goroutine-safe log sink.
type SyncBuffer = logbuf.Buffer

// Env is what a connection service under test runs on. Its fields go into the service's
// Options (Emitter: Events, Logger: Logger).
type Env struct {
	T       *testing.T
	Store   *store.Store
	Secrets secrets.Store
	Events  *events.Recorder
	// Logs holds everything Logger wrote, at every level.
	Logs   *SyncBuffer
	Logger *slog.Logger
}

// New opens a real SQLite database in a temporary folder, closed when the test ends, over
// sec (an in-memory keychain when nil).
func New(t *testing.T, sec secrets.Store) *Env {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if sec == nil {
		sec = secrets.NewMemory()
	}
	logs := &SyncBuffer{}
	return &Env{T: t, Store: st, Secrets: sec, Events: &events.Recorder{}, Logs: logs,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
}

// Dump is every value in every table of the database (each as printed and, for bytes, as
// they are), and the database files' bytes (WAL included), for checks that no secret was
// written.
func (e *Env) Dump() string {
	e.T.Helper()
	ctx := context.Background()
	var b strings.Builder
	tables, err := e.Store.DB.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		e.T.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			e.T.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	for _, n := range names {
		rows, err := e.Store.DB.QueryContext(ctx, "SELECT * FROM "+n)
		if err != nil {
			e.T.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				e.T.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&b, "%v|", v)
				if raw, ok := v.([]byte); ok {
					b.Write(raw)
					b.WriteByte('|')
				}
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if raw, err := os.ReadFile(e.Store.Path + suffix); err == nil {
			b.Write(raw)
		}
	}
	return b.String()
}

// Setting reads one row of the settings table.
func (e *Env) Setting(key string) (string, bool) {
	e.T.Helper()
	v, ok, err := e.Store.Setting(context.Background(), key)
	if err != nil {
		e.T.Fatal(err)
	}
	return v, ok
}

// Count runs a query that counts something.
func (e *Env) Count(query string, args ...any) int {
	e.T.Helper()
	var n int
	if err := e.Store.DB.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil && !errors.Is(err, sql.ErrNoRows) {
		e.T.Fatal(err)
	}
	return n
}

// Audit is the audit log, newest first.
func (e *Env) Audit() []store.AuditEntry {
	e.T.Helper()
	entries, err := e.Store.AuditLog(context.Background(), 100)
	if err != nil {
		e.T.Fatal(err)
	}
	return entries
}
