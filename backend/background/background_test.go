package background

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/demo"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/syncer/synclock"
	"cwm-webroot/backend/tray"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

// trayRecorder keeps every status the tray was given.
type trayRecorder struct {
	mu  sync.Mutex
	all []tray.Status
	ch  chan tray.Status
}

func (r *trayRecorder) Update(s tray.Status) {
	r.mu.Lock()
	r.all = append(r.all, s)
	r.mu.Unlock()
	select {
	case r.ch <- s:
	default:
	}
}

// waitFor returns the first status (recorded so far or arriving within 30 s) that ok accepts.
func (r *trayRecorder) waitFor(t *testing.T, what string, ok func(tray.Status) bool) tray.Status {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		r.mu.Lock()
		for _, s := range r.all {
			if ok(s) {
				r.mu.Unlock()
				return s
			}
		}
		r.mu.Unlock()
		select {
		case <-r.ch:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("the tray never showed %s; last: %+v", what, r.all[len(r.all)-1])
		}
	}
}

type notifierRecorder struct {
	mu    sync.Mutex
	runs  []syncer.Result
	calls []string
}

func (n *notifierRecorder) AfterSync(_ context.Context, res syncer.Result) error {
	n.mu.Lock()
	n.runs = append(n.runs, res)
	n.mu.Unlock()
	return nil
}

func (n *notifierRecorder) record(call string) error {
	n.mu.Lock()
	n.calls = append(n.calls, call)
	n.mu.Unlock()
	return nil
}

func (n *notifierRecorder) CredentialsRejected(_ context.Context, service string) error {
	return n.record("rejected " + service)
}

func (n *notifierRecorder) CredentialsAccepted(_ context.Context, service string) error {
	return n.record("accepted " + service)
}

func (n *notifierRecorder) CheckSites(context.Context) error { return n.record("sites") }
func (n *notifierRecorder) CheckStale(context.Context) error { return n.record("stale") }

// waitCall waits until call was made.
func (n *notifierRecorder) waitCall(t *testing.T, call string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		n.mu.Lock()
		for _, c := range n.calls {
			if c == call {
				n.mu.Unlock()
				return
			}
		}
		n.mu.Unlock()
	}
	t.Fatalf("the notifier never heard %q; it heard %q", call, n.calls)
}

// waitRuns waits until the notifier has heard n runs.
func (n *notifierRecorder) waitRuns(t *testing.T, want int) []syncer.Result {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(n.results()) < want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	return n.results()
}

func (n *notifierRecorder) results() []syncer.Result {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]syncer.Result(nil), n.runs...)
}

type fakeSchedule struct {
	mu     sync.Mutex
	paused bool
	next   time.Time
}

func (f *fakeSchedule) TrayInfo() (bool, bool, *time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.next
	return true, f.paused, &n
}

func (f *fakeSchedule) SetPaused(p bool) error {
	f.mu.Lock()
	f.paused = p
	f.mu.Unlock()
	return nil
}

type env struct {
	dir      string
	sims     *demo.Simulators
	svc      *Service
	tray     *trayRecorder
	notifier *notifierRecorder
	sched    *fakeSchedule
	s        *syncer.Syncer
}

// newEnv is the demo MSP (both simulators, every suggested mapping accepted) with a real
// syncer whose events reach the service as they would in the app.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	inst, sims, err := demo.OpenConnected(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close() })
	t.Cleanup(sims.Close)
	if _, err := demo.AcceptAllSuggestions(ctx, inst); err != nil {
		t.Fatal(err)
	}

	e := &env{dir: inst.DataDir, sims: sims, tray: &trayRecorder{ch: make(chan tray.Status, 1)}, notifier: &notifierRecorder{},
		sched: &fakeSchedule{next: time.Now().Add(time.Hour)}}
	var svc *Service
	emit := func(name string, payload any) {
		if svc != nil {
			svc.Observe(name, payload)
		}
	}
	// Fast client retries: a test that drops Webroot's connections need not wait out the
	// real backoff.
	src := syncer.ConnectionSources(inst.Store, inst.Secrets, manageconn.Options{},
		webrootconn.Options{ClientConfig: func(c *webroot.Config) { c.BackoffBase, c.BackoffMax = time.Millisecond, 5*time.Millisecond }})
	e.s = syncer.New(inst.Store, src, syncer.Options{Emitter: eventFunc(emit), LockDir: inst.DataDir})
	svc = New(Options{Syncer: e.s, Tray: e.tray, Schedule: e.sched, Notifier: e.notifier,
		Problem: func(context.Context) string { return "" }})
	e.svc = svc
	t.Cleanup(svc.Close)
	return e
}

type eventFunc func(string, any)

func (f eventFunc) Emit(name string, payload any) { f(name, payload) }

func TestTraySyncShowsProgressThenResultAndNotifies(t *testing.T) {
	e := newEnv(t)
	e.svc.Refresh()
	first := e.tray.waitFor(t, "the initial status", func(tray.Status) bool { return true })
	if first.Last != nil || first.Syncing || !first.ScheduleOn || first.NextRun == nil {
		t.Fatalf("before any sync: %+v", first)
	}

	if err := e.svc.SyncNow(syncer.TriggerUser, ActorTray); err != nil {
		t.Fatal(err)
	}
	e.tray.waitFor(t, "a running sync", func(s tray.Status) bool { return s.Syncing })
	res := e.notifier.waitRuns(t, 1)
	done := e.tray.waitFor(t, "the finished sync", func(s tray.Status) bool { return !s.Syncing && s.Last != nil })

	if len(res) != 1 {
		t.Fatalf("notifier heard %d runs, want 1", len(res))
	}
	run := res[0].Run
	if run.Trigger != syncer.TriggerUser || run.Actor != ActorTray || run.DryRun {
		t.Fatalf("run %+v", run)
	}
	if done.Last.Outcome != run.Outcome() || done.Held != run.Counts.Held {
		t.Fatalf("tray says %+v, the run was %s with %d held", done, run.Status, run.Counts.Held)
	}
	if run.Counts.Applied == 0 {
		t.Fatalf("the demo sync applied nothing: %+v", run.Counts)
	}
	if run.Counts.Held > 0 && done.Last.Outcome == "no changes" {
		t.Fatal("a run with held changes must not say no changes")
	}

	// A dry run from the window: the notifier hears nothing and the tray keeps the real run.
	// (The finished sync may still hold the lock for a moment after announcing its end.)
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err = e.s.Sync(context.Background(), syncer.RunOptions{Trigger: syncer.TriggerUser, Actor: "admin", DryRun: true}); !errors.Is(err, synclock.ErrBusy) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Refresh()
	time.Sleep(200 * time.Millisecond)
	if n := len(e.notifier.results()); n != 1 {
		t.Fatalf("a dry run was notified: %d runs", n)
	}
	st, err := e.svc.Status(context.Background())
	if err != nil || st.Last == nil || st.Last.Outcome == "dry run" {
		t.Fatalf("tray shows the dry run as the last sync: %+v %v", st.Last, err)
	}
}

func TestScheduledRunAndPause(t *testing.T) {
	e := newEnv(t)
	prepared := 0
	e.svc.o.BeforeScheduled = func(context.Context) { prepared++ }
	if err := e.svc.RunScheduled(context.Background()); err != nil {
		t.Fatal(err)
	}
	if prepared != 1 {
		t.Fatalf("the scheduled run was prepared %d times, want once", prepared)
	}
	res := e.notifier.waitRuns(t, 1)
	if len(res) != 1 || res[0].Run.Trigger != syncer.TriggerSchedule || res[0].Run.Actor != ActorSchedule {
		t.Fatalf("scheduled run: %+v", res)
	}
	// A second scheduled run right after changes nothing (idempotent), and says so.
	if err := e.svc.RunScheduled(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.notifier.waitRuns(t, 2)
	st := e.tray.waitFor(t, "the second run", func(s tray.Status) bool {
		return s.Last != nil && (s.Last.Outcome == "no changes" || s.Last.Outcome == "needs review")
	})
	if st.Last.Failed {
		t.Fatalf("second run %+v", st.Last)
	}

	if err := e.svc.SetPaused(true); err != nil {
		t.Fatal(err)
	}
	e.tray.waitFor(t, "the paused schedule", func(s tray.Status) bool { return s.Paused })
}

func TestBusyAndQuitDuringSync(t *testing.T) {
	e := newEnv(t)
	if err := e.svc.SyncNow(syncer.TriggerUser, ActorTray); err != nil {
		t.Fatal(err)
	}
	e.tray.waitFor(t, "a running sync", func(s tray.Status) bool { return s.Syncing })
	if err := e.svc.SyncNow(syncer.TriggerUser, ActorTray); err != ErrBusy && err != nil {
		t.Fatalf("second sync: %v", err)
	}
	// Quit: Close cancels the sync and waits for it to record where it stopped.
	e.svc.Close()
	if e.s.Progress().Running {
		t.Fatal("a sync still runs after Close returned")
	}
	run, ok, err := e.s.LatestRun(context.Background())
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if run.Status == "planning" || run.Status == "applying" {
		t.Fatalf("the run was left %s: Close must wait for it to record how it ended", run.Status)
	}
	if err := e.svc.SyncNow(syncer.TriggerUser, ActorTray); err == nil {
		t.Fatal("a sync started after Close")
	}
}

func TestConnectionAndSiteEventsReachTheNotifier(t *testing.T) {
	e := newEnv(t)
	e.svc.Start() // the stale-sync check runs at once
	e.notifier.waitCall(t, "stale")

	e.svc.Observe(manageconn.EventStatus, manageconn.Status{State: connstate.Failing, CredentialsRejected: true})
	e.notifier.waitCall(t, "rejected ConnectWise Manage")
	e.svc.Observe(webrootconn.EventStatus, webrootconn.Status{State: connstate.Failing, CredentialsRejected: true})
	e.notifier.waitCall(t, "rejected Webroot")
	e.svc.Observe(webrootconn.EventStatus, webrootconn.Status{State: connstate.Connected})
	e.notifier.waitCall(t, "accepted Webroot")
	e.svc.Observe(webrootconn.EventSites, nil)
	e.notifier.waitCall(t, "sites")

	// A failing connection that is not about credentials (a timeout, say) is the tray's
	// warning line, not a credentials notification.
	e.notifier.mu.Lock()
	e.notifier.calls = nil
	e.notifier.mu.Unlock()
	e.svc.Observe(manageconn.EventStatus, manageconn.Status{State: connstate.Failing, Problem: "timed out"})
	time.Sleep(100 * time.Millisecond)
	e.notifier.mu.Lock()
	defer e.notifier.mu.Unlock()
	if len(e.notifier.calls) != 0 {
		t.Fatalf("a timeout was reported as %q", e.notifier.calls)
	}
}

func TestTraySyncThatCannotRunSaysWhy(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	var alerts []string
	e.svc.o.Alert = func(title, body string) error {
		mu.Lock()
		alerts = append(alerts, title+": "+body)
		mu.Unlock()
		return nil
	}
	// Another process holds the sync lock (the command line, say).
	lock, err := synclock.Acquire(e.dir, synclock.Holder{PID: os.Getpid(), StartedAt: time.Now(), By: "command line (dana)"})
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	if err := e.svc.SyncNow(syncer.TriggerUser, ActorTray); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(alerts)
		mu.Unlock()
		if n > 0 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(alerts) != 1 || !strings.Contains(alerts[0], "The sync could not run: ") || !strings.Contains(alerts[0], "already running") {
		t.Fatalf("alerts %q", alerts)
	}
}

func TestScheduledSyncTriesAgainWhileWebrootIsUnreachable(t *testing.T) {
	e := newEnv(t)
	e.svc.o.RetryDelays = []time.Duration{50 * time.Millisecond, 50 * time.Millisecond}
	// The computer just woke: no network to Webroot for the first attempt.
	e.sims.Webroot.AddFault(webrootsim.Fault{Path: "/service/api/status/reporting", Drop: true})
	attempts := 0
	e.svc.o.BeforeScheduled = func(context.Context) {
		attempts++
		if attempts == 2 {
			e.sims.Webroot.ClearFaults() // the network is back
		}
	}
	if err := e.svc.RunScheduled(context.Background()); err != nil {
		t.Fatalf("the retried sync failed: %v", err)
	}
	if attempts != 2 {
		t.Fatalf("%d attempts, want 2", attempts)
	}
	run, ok, err := e.s.LatestRun(context.Background())
	if err != nil || !ok || run.Status == syncer.StatusFailed || run.Trigger != syncer.TriggerSchedule {
		t.Fatalf("latest run %+v %v", run, err)
	}

	// Still unreachable after every retry: the last error is returned, no endless loop.
	e.sims.Webroot.AddFault(webrootsim.Fault{Path: "/service/api/status/reporting", Drop: true})
	attempts = 0
	e.svc.o.BeforeScheduled = func(context.Context) { attempts++ }
	if err := e.svc.RunScheduled(context.Background()); err == nil || attempts != 3 {
		t.Fatalf("err %v after %d attempts, want an error after 3", err, attempts)
	}
}
