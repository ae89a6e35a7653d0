package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"cwm-webroot/backend/events"
	"cwm-webroot/backend/store"
)

// EventChanged is emitted, with a Status payload, whenever what the tray and the Settings page
// show about the schedule changes: next run, last run, paused, enabled, rule or zone.
const EventChanged = "schedule:changed"

// DefaultPollInterval is the longest the scheduler waits before it looks at the wall clock
// again. Go timers count monotonic time, which stands still while the computer sleeps: one
// timer set for tomorrow 06:00 would fire hours late after a night asleep. Waking often and
// comparing the wall clock keeps a due run (or a catch-up after sleep) at most this late.
const DefaultPollInterval = 30 * time.Second

// Clock is the scheduler's view of time, injected so tests can move the wall clock (as a
// sleeping computer does) apart from timers.
type Clock interface {
	// Now is the wall-clock time.
	Now() time.Time
	// After delivers once d has elapsed on the monotonic clock, like time.After.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now strips the monotonic reading: due times are wall-clock instants and must be compared
// as such, or a wake from sleep would not look late.
func (SystemClock) Now() time.Time { return time.Now().Round(0) }

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Options configure a Scheduler. Store and Run are required.
type Options struct {
	// Store holds the schedule and the scheduler's bookkeeping.
	Store *store.Store
	// Location is the company's Primary Time Zone [UTC]. It is asked again at every check,
	// since the company may edit it while the app runs.
	Location func() *time.Location
	// Run is the sync. Its context is cancelled by Stop.
	Run func(ctx context.Context) error
	// Emitter receives EventChanged [events.Discard].
	Emitter events.Emitter
	// Logger receives what the scheduler does [discard].
	Logger *slog.Logger
	// Clock [SystemClock].
	Clock Clock
	// PollInterval [DefaultPollInterval].
	PollInterval time.Duration
}

// Status is what the tray and the Settings page show about the schedule.
type Status struct {
	Enabled bool   `json:"enabled"`
	Paused  bool   `json:"paused"`
	Kind    string `json:"kind"`
	// NextRun is nil while the schedule is off or paused.
	NextRun   *time.Time `json:"nextRun" ts_type:"string"`
	LastRunAt *time.Time `json:"lastRunAt" ts_type:"string"`
	// Description is the rule in words, e.g. "Daily at 06:00 (America/New_York)".
	Description string `json:"description"`
}

// Scheduler runs Options.Run when the schedule is due. Manual syncs ("Sync now") are not its
// business: they go straight to the syncer, which refuses to run two syncs at once.
type Scheduler struct {
	opts Options
	log  *slog.Logger

	// mu guards the state below; the loop holds it while it decides and records a run, never
	// while Run itself runs, so Pause, Reload and Status answer during a long sync.
	mu        sync.Mutex
	loaded    bool
	sched     Schedule
	loc       *time.Location
	since     time.Time
	lastDue   time.Time
	lastRunAt time.Time
	next      time.Time // zero while off or paused

	emitMu  sync.Mutex
	emitted *Status

	wake chan struct{}

	runMu  sync.Mutex // guards cancel and done across Start and Stop
	cancel context.CancelFunc
	done   chan struct{}
}

// New builds a scheduler; Start sets it going.
func New(opts Options) *Scheduler {
	if opts.Location == nil {
		opts.Location = func() *time.Location { return time.UTC }
	}
	if opts.Emitter == nil {
		opts.Emitter = events.Discard
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	return &Scheduler{opts: opts, log: opts.Logger, wake: make(chan struct{}, 1)}
}

// Start reads the schedule and launches the scheduler's goroutine. A run missed while the
// app was not running (the computer was off, asleep or the app closed) runs once, at once;
// several missed due times still make one run. Start after Stop starts again; Start while
// running is an error.
func (s *Scheduler) Start(ctx context.Context) error {
	if s.opts.Store == nil || s.opts.Run == nil {
		return errors.New("scheduler: Store and Run are required")
	}
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.done != nil {
		return errors.New("scheduler: already started")
	}
	if err := s.reload(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	s.cancel, s.done = cancel, make(chan struct{})
	go s.loop(ctx, s.done)
	return nil
}

// Stop stops the goroutine and waits for it, cancelling a running sync's context so it stops
// cleanly first. Safe to call more than once, or without Start.
func (s *Scheduler) Stop() {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.done == nil {
		return
	}
	s.cancel()
	<-s.done
	s.cancel, s.done = nil, nil
}

// Reload rereads the schedule after the Settings page saved it or the company's time zone
// changed, and recomputes the next run. A changed rule takes effect from now: due times
// before the change are not caught up, so saving 05:00 at 05:30 does not sync at once.
func (s *Scheduler) Reload() error {
	if err := s.reload(context.Background()); err != nil {
		return err
	}
	s.poke()
	return nil
}

// Pause holds scheduled syncs (the tray's Pause schedule) until Resume; it survives restarts.
func (s *Scheduler) Pause() error { return s.setPaused(true) }

// Resume lifts Pause. Runs that fell due during the pause are not replayed: the user paused
// to stop syncs, and a sync firing the moment they resume would be a surprise. The next run
// is the next due time after now.
func (s *Scheduler) Resume() error { return s.setPaused(false) }

func (s *Scheduler) setPaused(paused bool) error {
	ctx := context.Background()
	if err := SetPaused(ctx, s.opts.Store, paused); err != nil {
		return err
	}
	// Pausing or resuming changes the rule fingerprint, so reload moves "since" to now: that
	// is what keeps Resume from replaying the pause.
	if err := s.reload(ctx); err != nil {
		return err
	}
	s.poke()
	return nil
}

// Status is the schedule as the tray and the Settings page show it.
//
// A changed company zone (the company was just signed up or edited) is taken at once, so
// the page that asks never shows the old zone's times.
func (s *Scheduler) Status() Status {
	s.mu.Lock()
	stale := s.loaded && s.location().String() != s.loc.String()
	s.mu.Unlock()
	if stale {
		if err := s.Reload(); err != nil {
			s.log.Error("scheduler: reloading after a time zone change", "err", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statusLocked()
}

func (s *Scheduler) statusLocked() Status {
	st := Status{Enabled: s.sched.Enabled, Paused: s.sched.Paused, Kind: s.sched.Kind, Description: Describe(s.sched, s.loc)}
	if !s.next.IsZero() {
		n := s.next
		st.NextRun = &n
	}
	if !s.lastRunAt.IsZero() {
		l := s.lastRunAt.In(s.loc)
		st.LastRunAt = &l
	}
	return st
}

// poke wakes the loop so it recomputes how long to wait.
func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// ruleKey fingerprints everything that decides which due times exist and whether they run.
func ruleKey(sc Schedule, loc *time.Location) string {
	return fmt.Sprintf("%s|%s|%d|%d|%t|%t|%s", sc.Kind, sc.Time, sc.Weekday, sc.MonthDay, sc.Enabled, sc.Paused, loc.String())
}

// reload reads the schedule and the bookkeeping from the store and the zone from Location.
// When the rule differs from the one "since" belongs to (or there is none: a new install),
// the rule takes effect now.
func (s *Scheduler) reload(ctx context.Context) error {
	st := s.opts.Store
	sc, err := LoadSchedule(ctx, st)
	if err != nil {
		return err
	}
	loc := s.location()
	readTime := func(key string) (time.Time, error) {
		v, ok, err := st.Setting(ctx, key)
		if err != nil || !ok {
			return time.Time{}, err
		}
		t, perr := time.Parse(time.RFC3339Nano, v)
		if perr != nil {
			s.log.Warn("scheduler: ignoring unreadable setting", "key", key, "value", v)
			return time.Time{}, nil
		}
		return t, nil
	}
	lastDue, err := readTime(KeyLastDue)
	if err != nil {
		return err
	}
	lastRunAt, err := readTime(KeyLastRunAt)
	if err != nil {
		return err
	}
	since, err := readTime(KeySince)
	if err != nil {
		return err
	}
	rule, _, err := st.Setting(ctx, KeyRule)
	if err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock.Now()
	if key := ruleKey(sc, loc); since.IsZero() || rule != key {
		if err := st.SetSettings(ctx, map[string]string{KeySince: formatTime(now), KeyRule: key}); err != nil {
			return err
		}
		if !since.IsZero() {
			s.log.Info("scheduler: schedule changed; it applies from now", "schedule", Describe(sc, loc), "paused", sc.Paused, "enabled", sc.Enabled)
		}
		since = now
	}
	// A check may have handled a due time between the reads above and this lock: never go
	// back to an older record, or that due time would run a second time.
	if s.lastDue.After(lastDue) {
		lastDue = s.lastDue
	}
	if s.lastRunAt.After(lastRunAt) {
		lastRunAt = s.lastRunAt
	}
	s.sched, s.loc, s.since, s.lastDue, s.lastRunAt, s.loaded = sc, loc, since, lastDue, lastRunAt, true
	s.computeNextLocked(now)
	s.publishLocked()
	return nil
}

func (s *Scheduler) location() *time.Location {
	if loc := s.opts.Location(); loc != nil {
		return loc
	}
	return time.UTC
}

// computeNextLocked sets next to the next due time that will actually run: after now, after
// the last one handled and after the rule took effect (these differ when the wall clock was
// set back).
func (s *Scheduler) computeNextLocked(now time.Time) {
	if !s.sched.Enabled || s.sched.Paused {
		s.next = time.Time{}
		return
	}
	from := now
	if s.lastDue.After(from) {
		from = s.lastDue
	}
	if s.since.After(from) {
		from = s.since
	}
	s.next = Next(s.sched, from, s.loc)
}

// publishLocked emits EventChanged when the status differs from the last one emitted. It is
// called with mu held so events leave in the order the state changed.
func (s *Scheduler) publishLocked() {
	st := s.statusLocked()
	s.emitMu.Lock()
	defer s.emitMu.Unlock()
	if s.emitted != nil && sameStatus(*s.emitted, st) {
		return
	}
	s.emitted = &st
	s.opts.Emitter.Emit(EventChanged, st)
}

func sameStatus(a, b Status) bool {
	eq := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	return a.Enabled == b.Enabled && a.Paused == b.Paused && a.Kind == b.Kind && a.Description == b.Description &&
		eq(a.NextRun, b.NextRun) && eq(a.LastRunAt, b.LastRunAt)
}

func (s *Scheduler) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	for {
		s.check(ctx)
		if ctx.Err() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-s.opts.Clock.After(s.waitFor()):
		}
	}
}

// waitFor is how long to wait before the next check: until the next due time, but never
// longer than the poll interval (see DefaultPollInterval).
func (s *Scheduler) waitFor() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.opts.PollInterval
	if !s.next.IsZero() {
		d = min(d, s.next.Sub(s.opts.Clock.Now()))
	}
	return max(d, 0)
}

// check runs the sync when a due time has passed that was neither handled nor before the
// rule took effect. Only the latest such due time counts, so a computer off for three days
// syncs once, not three times. The due time is recorded as handled before Run starts: a sync
// that fails (or finds another sync already running) is not retried until the next due time,
// and a crash during a sync does not make every restart sync again.
func (s *Scheduler) check(ctx context.Context) {
	s.mu.Lock()
	if loc := s.location(); loc.String() != s.loc.String() {
		// The company's zone changed without a Reload: take it as one.
		s.mu.Unlock()
		if err := s.reload(ctx); err != nil {
			s.log.Error("scheduler: reloading after a time zone change", "err", err)
		}
		s.mu.Lock()
	}
	now := s.opts.Clock.Now()
	due := time.Time{}
	if s.loaded && s.sched.Enabled && !s.sched.Paused {
		if p := Previous(s.sched, now, s.loc); p.After(s.lastDue) && p.After(s.since) {
			due = p
		}
	}
	if due.IsZero() {
		s.computeNextLocked(now)
		s.publishLocked()
		s.mu.Unlock()
		return
	}
	if err := s.opts.Store.SetSettings(ctx, map[string]string{KeyLastDue: formatTime(due), KeyLastRunAt: formatTime(now)}); err != nil {
		// Run anyway: missing this run because the bookkeeping failed would be worse than
		// possibly running it again after a restart.
		s.log.Error("scheduler: recording the run", "err", err)
	}
	s.lastDue, s.lastRunAt = due, now
	s.computeNextLocked(now)
	s.publishLocked()
	s.mu.Unlock()

	s.log.Info("scheduler: starting the scheduled sync", "due", due, "late", now.Sub(due).Round(time.Second).String())
	if err := s.opts.Run(ctx); err != nil {
		s.log.Error("scheduler: scheduled sync failed; it runs again at the next due time", "due", due, "err", err)
	}

	s.mu.Lock()
	s.computeNextLocked(s.opts.Clock.Now())
	s.publishLocked()
	s.mu.Unlock()
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
