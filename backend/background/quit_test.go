package background

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/tray"
)

// quitRecorder counts quits and remembers how many runs the notifier had heard by then.
type quitRecorder struct {
	calls    atomic.Int32
	runsSeen atomic.Int32
	done     chan struct{}
}

func newQuitRecorder(n *notifierRecorder) (*quitRecorder, func()) {
	q := &quitRecorder{done: make(chan struct{}, 4)}
	return q, func() {
		q.runsSeen.Store(int32(len(n.results())))
		q.calls.Add(1)
		q.done <- struct{}{}
	}
}

func TestQuitWhenIdleQuitsAtOnceWithoutASync(t *testing.T) {
	e := newEnv(t)
	if e.s.Progress().Running {
		t.Fatal("a sync runs before any was started")
	}
	q, quit := newQuitRecorder(e.notifier)
	if waiting := e.svc.QuitWhenIdle(quit); waiting || q.calls.Load() != 1 {
		t.Fatalf("no sync runs: quit must happen at once (waiting %v, quits %d)", waiting, q.calls.Load())
	}
	if e.svc.QuitPending() {
		t.Fatal("a quit is still pending after it happened")
	}
}

// The user chose "Quit when the sync finishes": the sync runs to its end (it is not
// cancelled), its notifications go out, then the app quits, once.
func TestQuitAfterSyncWaitsForTheRunAndItsNotifications(t *testing.T) {
	e := newEnv(t)
	e.sims.Manage.SetLatency(20 * time.Millisecond) // long enough to answer mid-sync
	if err := e.svc.SyncNow(syncer.TriggerUser, ActorTray); err != nil {
		t.Fatal(err)
	}
	e.tray.waitFor(t, "a running sync", func(s tray.Status) bool { return s.Syncing })

	q, quit := newQuitRecorder(e.notifier)
	if waiting := e.svc.QuitWhenIdle(quit); !waiting {
		t.Fatal("quit did not wait for the running sync")
	}
	if !e.svc.QuitPending() || q.calls.Load() != 0 {
		t.Fatal("the quit should be pending, not done")
	}
	e.tray.waitFor(t, "the pending quit", func(s tray.Status) bool { return s.Syncing && s.QuitPending })
	// A sync refused while this one runs ends with a run-less sync:done: not this run's end.
	e.svc.Observe(syncer.EventDone, syncer.Progress{})
	time.Sleep(100 * time.Millisecond)
	if q.calls.Load() != 0 && e.s.Progress().Running {
		t.Fatal("a run-less sync:done quit the app while the sync still ran")
	}

	select {
	case <-q.done:
	case <-time.After(60 * time.Second):
		t.Fatal("the app never quit after the sync ended")
	}
	if q.runsSeen.Load() != 1 {
		t.Fatalf("quit came before the run's notifications (notifier had heard %d runs)", q.runsSeen.Load())
	}
	run, ok, err := e.s.LatestRun(context.Background())
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if run.Status != syncer.StatusSucceeded && run.Status != syncer.StatusNoChanges {
		t.Fatalf("the run ended %s: waiting to quit must let it finish", run.Status)
	}
	time.Sleep(100 * time.Millisecond)
	if n := q.calls.Load(); n != 1 {
		t.Fatalf("quit called %d times", n)
	}
}

func TestKeepRunningCallsOffAPendingQuit(t *testing.T) {
	e := newEnv(t)
	e.sims.Manage.SetLatency(20 * time.Millisecond)
	if err := e.svc.SyncNow(syncer.TriggerUser, ActorTray); err != nil {
		t.Fatal(err)
	}
	e.tray.waitFor(t, "a running sync", func(s tray.Status) bool { return s.Syncing })
	q, quit := newQuitRecorder(e.notifier)
	if !e.svc.QuitWhenIdle(quit) {
		t.Fatal("quit did not wait for the running sync")
	}
	e.svc.KeepRunning()
	if e.svc.QuitPending() {
		t.Fatal("KeepRunning left the quit pending")
	}
	e.notifier.waitRuns(t, 1)
	e.tray.waitFor(t, "the finished sync", func(s tray.Status) bool { return !s.Syncing && s.Last != nil })
	time.Sleep(200 * time.Millisecond)
	if n := q.calls.Load(); n != 0 {
		t.Fatalf("the app quit after the user chose to keep it running (%d)", n)
	}
}
