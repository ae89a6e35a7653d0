package manageconn_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/events"
	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/store"
)

// Distinctive credentials, so a leak anywhere is easy to find.
const (
	simCompany    = "bluewave"
	simPublicKey  = "PubKey7Hq2Lm9Xc4"
	simPrivateKey = "PrivKeyZ8kW3vQ5nRt1Secret"
	badPrivateKey = "WrongPrivKey6Yd2Jp0Secret"
	simClientID   = "5b1e2c3d-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
	simUsername   = "api-billing"
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
	sim     *managesim.Server
	demo    managesim.Demo
	url     string
	dir     string
	store   *store.Store
	secrets secrets.Store
	events  *events.Recorder
	logs    *syncBuffer
	svc     *manageconn.Service
	now     time.Time
}

// newEnv starts a demo-seeded Manage simulator on loopback, a real SQLite database in a
// temporary folder and the service over sec (an in-memory keychain when nil).
func newEnv(t *testing.T, sec secrets.Store) *env {
	t.Helper()
	sim := managesim.New(managesim.Options{CompanyID: simCompany, CompanyName: "Bluewave IT Services",
		PublicKey: simPublicKey, PrivateKey: simPrivateKey, ClientID: simClientID})
	now := time.Now().UTC()
	demo := sim.SeedDemo(now)
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if sec == nil {
		sec = secrets.NewMemory()
	}
	e := &env{t: t, sim: sim, demo: demo, url: url, dir: dir, store: st, secrets: sec, events: &events.Recorder{},
		logs: &syncBuffer{}, now: now}
	e.svc = manageconn.New(st, sec, manageconn.Options{
		Emitter: e.events,
		Logger:  slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ClientConfig: func(c *manage.Config) {
			c.RetryBaseDelay, c.RetryMaxDelay = time.Millisecond, 5*time.Millisecond
			c.RelookupInterval = time.Millisecond
		},
	})
	return e
}

// good is the form filled in with the simulator's credentials.
func (e *env) good() manageconn.ConfigInput {
	return manageconn.ConfigInput{Site: e.url, CompanyID: simCompany, Username: simUsername, PublicKey: simPublicKey,
		PrivateKey: simPrivateKey, ClientID: simClientID}
}

func (e *env) save(in manageconn.ConfigInput) manageconn.SaveResult {
	e.t.Helper()
	res, err := e.svc.Save(context.Background(), "tester@bluewave.example", in)
	if err != nil {
		e.t.Fatalf("Save: %v", err)
	}
	return res
}

// dump is every text value in every table of the database, and the database files' bytes
// (WAL included), for checks that no secret was written.
func (e *env) dump() string {
	e.t.Helper()
	ctx := context.Background()
	var b strings.Builder
	tables, err := e.store.DB.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		e.t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			e.t.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	for _, n := range names {
		rows, err := e.store.DB.QueryContext(ctx, "SELECT * FROM "+n)
		if err != nil {
			e.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				e.t.Fatal(err)
			}
			for _, v := range vals {
				switch x := v.(type) {
				case []byte:
					b.Write(x)
				default:
					fmt.Fprint(&b, x)
				}
				b.WriteByte('|')
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		raw, err := os.ReadFile(filepath.Join(e.dir, store.FileName+suffix))
		if err == nil {
			b.Write(raw)
		}
	}
	return b.String()
}

func (e *env) setting(key string) (string, bool) {
	e.t.Helper()
	v, ok, err := e.store.Setting(context.Background(), key)
	if err != nil {
		e.t.Fatal(err)
	}
	return v, ok
}

func (e *env) audit() []store.AuditEntry {
	e.t.Helper()
	entries, err := e.store.AuditLog(context.Background(), 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return entries
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.store.DB.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}
