package scheduler

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/events"
	"cwm-webroot/backend/store"
)

// fixture is one installation: a real store on disk, a fake clock, and a sync that records
// when it ran. start may be called again after stop, as when the app is closed and reopened.
type fixture struct {
	t   *testing.T
	st  *store.Store
	clk *fakeClock
	rec *events.Recorder
	s   *Scheduler

	mu   sync.Mutex
	loc  *time.Location
	runs []time.Time
	run  func(ctx context.Context) error // optional extra behaviour of the sync
}

func newFixture(t *testing.T, wall string) *fixture {
	f := &fixture{t: t, st: openStore(t, t.TempDir()), clk: newFakeClock(t, utc(wall)), rec: &events.Recorder{}, loc: time.UTC}
	return f
}

func (f *fixture) setLoc(loc *time.Location) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loc = loc
}

func (f *fixture) save(s Schedule) {
	f.t.Helper()
	if err := SaveSchedule(context.Background(), f.st, "admin@msp.example", s); err != nil {
		f.t.Fatal(err)
	}
}

// start starts a scheduler and waits until it has done its start-up check and is waiting.
func (f *fixture) start() {
	f.t.Helper()
	f.s = New(Options{
		Store: f.st,
		Location: func() *time.Location {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.loc
		},
		Run: func(ctx context.Context) error {
			f.mu.Lock()
			f.runs = append(f.runs, f.clk.Now())
			extra := f.run
			f.mu.Unlock()
			if extra != nil {
				return extra(ctx)
			}
			return nil
		},
		Emitter:      f.rec,
		Clock:        f.clk,
		PollInterval: 30 * time.Second,
	})
	calls := f.clk.Calls()
	if err := f.s.Start(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(f.s.Stop)
	f.clk.WaitCalls(calls + 1)
}

func (f *fixture) stop() { f.s.Stop() }

// wantRuns asserts when the sync ran, every time.
func (f *fixture) wantRuns(want ...string) {
	f.t.Helper()
	f.mu.Lock()
	got := append([]time.Time(nil), f.runs...)
	f.mu.Unlock()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = got[i].Equal(utc(want[i]))
	}
	if !ok {
		f.t.Fatalf("the sync ran at %v, want %v", got, want)
	}
}

// afterPoke runs fn (Pause, Resume, Reload) and waits for the scheduler to have reacted.
func (f *fixture) afterPoke(fn func() error) {
	f.t.Helper()
	calls := f.clk.Calls()
	if err := fn(); err != nil {
		f.t.Fatal(err)
	}
	f.clk.WaitCalls(calls + 1)
}

func (f *fixture) wantNext(want string) {
	f.t.Helper()
	st := f.s.Status()
	if want == "" {
		if st.NextRun != nil {
			f.t.Fatalf("next run %s, want none", st.NextRun)
		}
		return
	}
	if st.NextRun == nil || !st.NextRun.Equal(utc(want)) {
		f.t.Fatalf("next run %v, want %s", st.NextRun, want)
	}
}

func (f *fixture) setting(key string) string {
	f.t.Helper()
	v, _, err := f.st.Setting(context.Background(), key)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func TestRunsAtTheDueTimeAndNeverWaitsLongerThanThePollInterval(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.start()
	f.wantNext("2025-01-15T06:00:00Z")
	f.clk.AdvanceTo(utc("2025-01-15T05:59:59Z"))
	f.wantRuns()
	f.clk.AdvanceTo(utc("2025-01-16T05:59:00Z"))
	f.wantRuns("2025-01-15T06:00:00Z")
	f.wantNext("2025-01-16T06:00:00Z")
	f.clk.AdvanceTo(utc("2025-01-16T06:30:00Z"))
	f.wantRuns("2025-01-15T06:00:00Z", "2025-01-16T06:00:00Z")
	if w := f.clk.MaxWait(); w > 30*time.Second {
		t.Fatalf("the scheduler waited %s at once; a timer that long oversleeps a computer's sleep", w)
	}
	if got := f.setting(KeyLastDue); got != "2025-01-16T06:00:00Z" {
		t.Fatalf("%s = %q", KeyLastDue, got)
	}
	if got := f.setting(KeyLastRunAt); got != "2025-01-16T06:00:00Z" {
		t.Fatalf("%s = %q", KeyLastRunAt, got)
	}
	if st := f.s.Status(); st.LastRunAt == nil || !st.LastRunAt.Equal(utc("2025-01-16T06:00:00Z")) {
		t.Fatalf("status last run %v", st.LastRunAt)
	}
}

func TestNewInstallDoesNotRunForADueTimeBeforeItExisted(t *testing.T) {
	// Installed at 10:00, after today's 06:00.
	f := newFixture(t, "2025-01-15T10:00:00Z")
	f.start()
	f.clk.Advance(time.Minute)
	f.wantRuns()
	f.wantNext("2025-01-16T06:00:00Z")
	// Closed and reopened the same morning: still nothing to catch up.
	f.stop()
	f.clk.Sleep(time.Hour)
	f.start()
	f.wantRuns()
}

func TestAppOffAcrossThreeDueTimesRunsOnceAtStart(t *testing.T) {
	f := newFixture(t, "2025-01-15T10:00:00Z")
	f.start()
	f.stop()
	// Off from Wednesday 10:00 to Saturday 10:00: 06:00 on Thursday, Friday and Saturday missed.
	f.clk.Sleep(72 * time.Hour)
	f.start()
	f.wantRuns("2025-01-18T10:00:00Z")
	if got := f.setting(KeyLastDue); got != "2025-01-18T06:00:00Z" {
		t.Fatalf("%s = %q, want the latest missed due time", KeyLastDue, got)
	}
	// Then back to normal.
	f.clk.AdvanceTo(utc("2025-01-19T07:00:00Z"))
	f.wantRuns("2025-01-18T10:00:00Z", "2025-01-19T06:00:00Z")
	// A restart after a handled due time does not run it again.
	f.stop()
	f.clk.Sleep(time.Hour)
	f.start()
	f.wantRuns("2025-01-18T10:00:00Z", "2025-01-19T06:00:00Z")
}

func TestWakingFromSleepPastDueTimesRunsOnce(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.start()
	f.clk.AdvanceTo(utc("2025-01-15T05:10:00Z"))
	// Asleep from Wednesday 05:10 to Friday 09:00, while the scheduler waits on a timer.
	f.clk.Sleep(utc("2025-01-17T09:00:00Z").Sub(f.clk.Now()))
	f.wantRuns()
	// The timer fires at most one poll interval after waking.
	f.clk.AdvanceTo(utc("2025-01-17T09:01:00Z"))
	f.mu.Lock()
	runs := append([]time.Time(nil), f.runs...)
	f.mu.Unlock()
	if len(runs) != 1 || runs[0].Before(utc("2025-01-17T09:00:00Z")) || runs[0].After(utc("2025-01-17T09:00:30Z")) {
		t.Fatalf("after waking the sync ran at %v, want once within 30 s of 09:00", runs)
	}
	f.clk.AdvanceTo(utc("2025-01-18T06:30:00Z"))
	f.mu.Lock()
	n := len(f.runs)
	f.mu.Unlock()
	if n != 2 {
		t.Fatalf("%d runs, want the catch-up and Saturday's", n)
	}
}

func TestPauseRunsNothingAndResumeDoesNotReplay(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.start()
	f.afterPoke(f.s.Pause)
	if st := f.s.Status(); !st.Paused || st.NextRun != nil {
		t.Fatalf("paused status %+v", st)
	}
	if got := f.setting(KeyPaused); got != "true" {
		t.Fatalf("%s = %q", KeyPaused, got)
	}
	f.clk.AdvanceTo(utc("2025-01-15T07:00:00Z"))
	f.clk.Sleep(48 * time.Hour) // and asleep through two more
	f.clk.Advance(time.Minute)
	f.wantRuns()
	// Still paused after a restart.
	f.stop()
	f.start()
	f.wantRuns()
	f.afterPoke(f.s.Resume)
	f.wantRuns() // the paused due times are not replayed
	f.wantNext("2025-01-18T06:00:00Z")
	f.clk.AdvanceTo(utc("2025-01-18T06:00:00Z"))
	f.wantRuns("2025-01-18T06:00:00Z")

	// The UI was told each time.
	var paused, resumed bool
	for _, p := range f.rec.Named(EventChanged) {
		st := p.(Status)
		paused = paused || (st.Paused && st.NextRun == nil)
		resumed = resumed || (paused && !st.Paused && st.NextRun != nil && st.NextRun.Equal(utc("2025-01-18T06:00:00Z")))
	}
	if !paused || !resumed {
		t.Fatalf("events %+v", f.rec.Named(EventChanged))
	}
}

func TestDisabledRunsNothing(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	s := DefaultSchedule()
	s.Enabled = false
	f.save(s)
	f.start()
	f.wantNext("")
	f.clk.AdvanceTo(utc("2025-01-15T07:00:00Z"))
	f.wantRuns()
	// Turning it on later does not run for the due time that passed while it was off.
	s.Enabled = true
	f.save(s)
	f.afterPoke(f.s.Reload)
	f.wantRuns()
	f.wantNext("2025-01-16T06:00:00Z")
}

func TestReloadAppliesANewTimeFromNow(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.start()
	s := DefaultSchedule()
	// An earlier time than now: no sync at once, the next is tomorrow.
	s.Time = "04:00"
	f.save(s)
	f.afterPoke(f.s.Reload)
	f.wantRuns()
	f.wantNext("2025-01-16T04:00:00Z")
	// A later time today.
	s.Time = "05:30"
	f.save(s)
	f.afterPoke(f.s.Reload)
	f.wantNext("2025-01-15T05:30:00Z")
	f.clk.AdvanceTo(utc("2025-01-15T06:30:00Z"))
	f.wantRuns("2025-01-15T05:30:00Z") // and not at the old 06:00
	if d := f.s.Status().Description; d != "Daily at 05:30 (UTC)" {
		t.Fatalf("description %q", d)
	}
}

func TestTheCompanysTimeZoneIsFollowed(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.setLoc(ny)
	f.start()
	f.wantNext("2025-01-15T11:00:00Z") // 06:00 EST
	// The company moves to London; the scheduler notices at its next check, even unreloaded.
	f.setLoc(mustZone(t, "Europe/London"))
	f.clk.Advance(30 * time.Second)
	f.wantNext("2025-01-15T06:00:00Z")
	if d := f.s.Status().Description; d != "Daily at 06:00 (Europe/London)" {
		t.Fatalf("description %q", d)
	}
	f.clk.AdvanceTo(utc("2025-01-15T07:00:00Z"))
	f.wantRuns("2025-01-15T06:00:00Z")
}

func TestStatusTakesANewZoneAtOnce(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.start() // signed up later: UTC until then
	f.wantNext("2025-01-15T06:00:00Z")
	// The company signs up in Chicago; the Settings page asks before the next check.
	f.setLoc(mustZone(t, "America/Chicago"))
	if d := f.s.Status().Description; d != "Daily at 06:00 (America/Chicago)" {
		t.Fatalf("description %q", d)
	}
	f.wantNext("2025-01-15T12:00:00Z") // 06:00 CST
}

func TestRunsAtTheEndOfTheSpringForwardGap(t *testing.T) {
	f := newFixture(t, "2025-03-08T12:00:00Z")
	f.setLoc(mustZone(t, "America/New_York"))
	f.save(daily("02:30"))
	f.start()
	f.clk.Sleep(utc("2025-03-09T06:58:00Z").Sub(f.clk.Now())) // 01:58 EST on the changeover day
	f.clk.AdvanceTo(utc("2025-03-09T08:00:00Z"))
	f.wantRuns("2025-03-09T07:00:00Z") // 03:00 EDT
}

func TestRunsOnceOnTheFallBackRepeat(t *testing.T) {
	f := newFixture(t, "2025-04-05T12:00:00Z")
	f.setLoc(mustZone(t, "Australia/Sydney"))
	f.save(daily("02:30"))
	f.start()
	f.clk.Sleep(utc("2025-04-05T15:00:00Z").Sub(f.clk.Now())) // Sunday 02:00 AEDT
	f.clk.AdvanceTo(utc("2025-04-05T17:30:00Z"))              // past both 02:30s
	f.wantRuns("2025-04-05T15:30:00Z")
}

func TestMonthlyDay31RunsOnTheLastDayOfFebruary(t *testing.T) {
	f := newFixture(t, "2025-02-01T12:00:00Z")
	f.save(monthly(31, "06:00"))
	f.start()
	f.clk.Sleep(utc("2025-02-28T05:00:00Z").Sub(f.clk.Now()))
	f.clk.AdvanceTo(utc("2025-02-28T07:00:00Z"))
	f.wantRuns("2025-02-28T06:00:00Z")
	f.wantNext("2025-03-31T06:00:00Z")
}

func TestWeeklyRunsOnItsDayOnly(t *testing.T) {
	f := newFixture(t, "2025-01-15T12:00:00Z") // a Wednesday
	f.save(weekly(time.Friday, "06:00"))
	f.start()
	f.wantNext("2025-01-17T06:00:00Z")
	f.clk.Sleep(utc("2025-01-16T05:00:00Z").Sub(f.clk.Now()))
	f.clk.AdvanceTo(utc("2025-01-16T07:00:00Z")) // Thursday 06:00 passes
	f.wantRuns()
	f.clk.Sleep(utc("2025-01-17T05:00:00Z").Sub(f.clk.Now()))
	f.clk.AdvanceTo(utc("2025-01-17T07:00:00Z"))
	f.wantRuns("2025-01-17T06:00:00Z")
}

func TestAFailedRunCountsAsHandled(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.run = func(context.Context) error { return errors.New("a sync is already running") }
	f.start()
	f.clk.AdvanceTo(utc("2025-01-15T07:00:00Z"))
	f.wantRuns("2025-01-15T06:00:00Z") // once, no retry loop
	f.stop()
	f.start()
	f.wantRuns("2025-01-15T06:00:00Z") // nor a retry at the next start
}

func TestStopCancelsARunningSync(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.start()
	f.stop()
	f.clk.Sleep(2 * time.Hour) // 06:00 missed: the next start runs at once

	started, result := make(chan struct{}), make(chan error, 1)
	f.run = func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		result <- ctx.Err()
		return ctx.Err()
	}
	f.s = New(Options{Store: f.st, Clock: f.clk, Run: func(ctx context.Context) error { return f.run(ctx) }})
	if err := f.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the missed run did not start")
	}
	// Status and Pause answer while the sync runs.
	if st := f.s.Status(); st.LastRunAt == nil {
		t.Fatalf("status during the run %+v", st)
	}
	if err := f.s.Pause(); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() { f.s.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not return")
	}
	if err := <-result; !errors.Is(err, context.Canceled) {
		t.Fatalf("the sync saw %v, want its context cancelled", err)
	}
}

func TestStartTwiceIsAnError(t *testing.T) {
	f := newFixture(t, "2025-01-15T05:00:00Z")
	f.start()
	if err := f.s.Start(context.Background()); err == nil {
		t.Fatal("second Start accepted")
	}
}
