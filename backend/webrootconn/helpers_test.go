package webrootconn_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/events"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

type env struct {
	t       *testing.T
	sim     *webrootsim.Server
	url     string
	store   *store.Store
	secrets secrets.Store
	events  *events.Recorder
	logs    *syncBuffer
	svc     *webrootconn.Service
}

// newEnv starts a demo-seeded simulator on loopback, a real SQLite database in a temporary
// folder and the service over sec (an in-memory keychain when nil).
func newEnv(t *testing.T, sec secrets.Store) *env {
	t.Helper()
	sim := webrootsim.New(webrootsim.Options{})
	sim.SeedDemo()
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if sec == nil {
		sec = secrets.NewMemory()
	}
	e := &env{t: t, sim: sim, url: url, store: st, secrets: sec, events: &events.Recorder{}, logs: &syncBuffer{}}
	e.svc = webrootconn.New(st, sec, webrootconn.Options{
		Emitter: e.events,
		Logger:  slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ClientConfig: func(c *webroot.Config) {
			c.BackoffBase, c.BackoffMax = time.Millisecond, 5*time.Millisecond
		},
	})
	return e
}

// good is the form filled in with the simulator's credentials.
func (e *env) good() webrootconn.ConfigInput {
	return webrootconn.ConfigInput{
		Site: e.url, Scope: "*", ClientID: webrootsim.DefaultClientID, ClientSecret: webrootsim.DefaultClientSecret,
		GSMKey: webrootsim.DefaultGSMKey, Username: webrootsim.DefaultUsername, Password: webrootsim.DefaultPassword,
	}
}

func (e *env) save(in webrootconn.ConfigInput) webrootconn.SaveResult {
	e.t.Helper()
	res, err := e.svc.Save(context.Background(), "tester", in)
	if err != nil {
		e.t.Fatalf("Save: %v", err)
	}
	return res
}

// dump is every text value in every table of the database, and the database files' bytes,
// for checks that no secret was written.
func (e *env) dump() string {
	e.t.Helper()
	ctx := context.Background()
	var b strings.Builder
	rows, err := e.store.DB.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		e.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, tbl := range tables {
		r, err := e.store.DB.QueryContext(ctx, `SELECT * FROM `+tbl)
		if err != nil {
			e.t.Fatal(err)
		}
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			for _, v := range vals {
				fmt.Fprintf(&b, "%v|", v)
				if bs, ok := v.([]byte); ok {
					b.Write(bs)
				}
			}
			b.WriteString("\n")
		}
		r.Close()
	}
	for _, suffix := range []string{"", "-wal"} {
		if raw, err := os.ReadFile(e.store.Path + suffix); err == nil {
			b.Write(raw)
		}
	}
	return b.String()
}

func (e *env) setting(key string) (string, bool) {
	v, ok, err := e.store.Setting(context.Background(), key)
	if err != nil {
		e.t.Fatal(err)
	}
	return v, ok
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.store.DB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil && err != sql.ErrNoRows {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) status() webrootconn.Status {
	e.t.Helper()
	st, err := e.svc.Status(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}
