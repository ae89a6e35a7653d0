package notify

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/logbuf"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/syncer"
)

// t0 is the tests' "now" unless a test moves the clock.
var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// syncBuffer is a goroutine-safe log sink.
type syncBuffer = logbuf.Buffer

// fixture is a Notifier on a real database in a temporary folder, with a recording
// desktop, an in-memory keychain and a captured log.
type fixture struct {
	*Notifier
	st   *store.Store
	desk *Recorder
	sec  *secrets.Memory
	clk  *clock
	logs *syncBuffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, desk: &Recorder{}, sec: secrets.NewMemory(), clk: &clock{t: t0}, logs: &syncBuffer{}}
	f.Notifier = &Notifier{Store: st, Secrets: f.sec, Desktop: f.desk, Now: f.clk.Now,
		Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	return f
}

func (f *fixture) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := f.st.DB.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) prefs(t *testing.T, change func(*Preferences)) {
	t.Helper()
	p := DefaultPreferences()
	change(&p)
	if err := SavePreferences(context.Background(), f.st, "admin@msp.example", p); err != nil {
		t.Fatal(err)
	}
}

// takeSent returns what was shown since the last call.
func (f *fixture) takeSent() []Sent {
	s := f.desk.Sent()
	f.desk.Reset()
	return s
}

func expectSent(t *testing.T, got []Sent, titles ...string) {
	t.Helper()
	if len(got) != len(titles) {
		t.Fatalf("shown %d notifications %+v, want %d %q", len(got), got, len(titles), titles)
	}
	for i, title := range titles {
		if got[i].Title != title {
			t.Errorf("notification %d title %q, want %q (body %q)", i, got[i].Title, title, got[i].Body)
		}
	}
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s %q does not contain %q", what, s, sub)
		}
	}
}

func fptr(f float64) *float64 { return &f }

// change makes a change of the given state for a company's addition.
func change(addition int64, company, state string, before float64, after int, note string) syncer.Change {
	c := syncer.Change{AdditionID: addition, AgreementID: addition * 10, CompanyID: addition * 100,
		CompanyName: company, AgreementName: company + " MSA", Product: "endpoint", ProductIdentifier: "WEBROOT-EP",
		Before: fptr(before), Proposed: after, After: after, State: state}
	switch state {
	case syncer.StateFailed, syncer.StateError:
		c.Message = note
	default:
		c.Reason = note
	}
	return c
}

func result(id int64, status string, changes ...syncer.Change) syncer.Result {
	finished := t0
	return syncer.Result{Run: syncer.Run{ID: id, Trigger: syncer.TriggerSchedule, Status: status,
		StartedAt: t0.Add(-time.Minute), FinishedAt: &finished}, Changes: changes}
}
