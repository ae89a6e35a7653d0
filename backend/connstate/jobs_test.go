package connstate_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/events"
)

// testActivity is a connection's job snapshot, declared as manageconn and webrootconn
// declare theirs.
type testActivity connstate.Activity[string, string]

func newJobs(rec *events.Recorder, onPanic func(*testActivity, any)) *connstate.Jobs[testActivity] {
	return connstate.NewJobs(connstate.JobsConfig[testActivity]{
		Env:     connstate.Env{Emitter: rec}.WithDefaults(),
		Event:   "test:activity",
		Job:     func(a *testActivity) *connstate.Job { return &a.Job },
		OnPanic: onPanic,
	})
}

func waitFor(t *testing.T, j *connstate.Jobs[testActivity]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := j.Wait(ctx); err != nil {
		t.Fatalf("job did not finish: %v", err)
	}
}

func TestOneJobAtATimeReportedByEvents(t *testing.T) {
	rec := &events.Recorder{}
	j := newJobs(rec, nil)
	if err := j.Wait(context.Background()); err != nil {
		t.Fatalf("wait while idle: %v", err)
	}
	release := make(chan struct{})
	first := j.Start(connstate.JobTest, connstate.PhaseTesting, func(ctx context.Context) {
		<-release
		j.SetPhase("refreshing")
		done := "done"
		j.Update(func(a *testActivity) { a.Test = &done })
	})
	if !first.Running || first.ID != 1 || first.Kind != connstate.JobTest || first.Phase != connstate.PhaseTesting || first.StartedAt == nil {
		t.Fatalf("started %+v", first)
	}
	// A second start while running returns the running job instead of starting another.
	if again := j.Start(connstate.JobRefresh, "refreshing", func(context.Context) { t.Error("a second job ran") }); again.ID != first.ID || again.Kind != connstate.JobTest {
		t.Errorf("second start %+v", again)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := j.Wait(ctx); err == nil {
		t.Error("Wait returned while the job ran")
	}
	close(release)
	waitFor(t, j)
	final := j.Snapshot()
	if final.Running || final.Phase != "" || final.FinishedAt == nil || final.Test == nil || *final.Test != "done" || final.ID != 1 {
		t.Fatalf("final %+v", final)
	}
	var phases []string
	for _, p := range rec.Named("test:activity") {
		phases = append(phases, p.(testActivity).Phase)
	}
	want := []string{"testing", "refreshing", "refreshing", ""}
	if len(phases) != len(want) {
		t.Fatalf("activity events %q, want %q", phases, want)
	}
	for i := range want {
		if phases[i] != want[i] {
			t.Fatalf("activity events %q, want %q", phases, want)
		}
	}

	// The next job starts afresh: a new ID, nothing of the last one's outcome.
	next := j.Start(connstate.JobRefresh, "refreshing", func(context.Context) {})
	if next.ID != 2 || next.Test != nil || next.Kind != connstate.JobRefresh {
		t.Errorf("next job %+v", next)
	}
	waitFor(t, j)
}

func TestPanickingJobEndsWithAnErrorWhenRecovered(t *testing.T) {
	rec := &events.Recorder{}
	var mu sync.Mutex
	var recovered any
	j := newJobs(rec, func(a *testActivity, p any) {
		mu.Lock()
		recovered = p
		mu.Unlock()
		a.Error = "Something went wrong inside the app."
	})
	j.Start(connstate.JobTest, connstate.PhaseTesting, func(context.Context) { panic("boom") })
	waitFor(t, j)
	a := j.Snapshot()
	mu.Lock()
	defer mu.Unlock()
	if recovered != "boom" || a.Running || a.Error == "" || a.FinishedAt == nil {
		t.Errorf("after a panic: %+v (recovered %v)", a, recovered)
	}
	evs := rec.Named("test:activity")
	if last := evs[len(evs)-1].(testActivity); last.Running || last.Error == "" {
		t.Errorf("last event %+v", last)
	}
}
