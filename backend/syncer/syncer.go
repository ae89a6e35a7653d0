package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"cwm-webroot/backend/events"
	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/syncer/synclock"
)

// Options adjust a Syncer; the zero value gives production behaviour.
type Options struct {
	// Emitter receives EventProgress and EventDone [events.Discard].
	Emitter events.Emitter
	// Now is the clock [time.Now].
	Now func() time.Time
	// Logger receives what runs do, never a secret [discard].
	Logger *slog.Logger
	// LockDir holds the sync lock [the database's folder, i.e. the data folder].
	LockDir string
	// MaxInFlight overrides how many Manage requests are in flight at once [derived from
	// "Requests per minute": enough to hold the pace over a slow link].
	MaxInFlight int
}

// Syncer runs syncs for one installation. It is safe for concurrent use; runs themselves
// are serialised by the sync lock, across processes too.
type Syncer struct {
	*History
	st    *store.Store
	src   Sources
	opts  Options
	rec   records
	track *tracker
	maps  *mapping.Service
}

// New returns the syncer of an opened installation.
func New(st *store.Store, src Sources, opts Options) *Syncer {
	if opts.Emitter == nil {
		opts.Emitter = events.Discard
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.LockDir == "" {
		opts.LockDir = filepath.Dir(st.Path)
	}
	return &Syncer{History: NewHistory(st), st: st, src: src, opts: opts, rec: records{st: st},
		track: &tracker{emitter: opts.Emitter, now: opts.Now}, maps: mapping.New(st, opts.Now)}
}

// Progress returns the current or last run's progress, for listeners that missed events.
func (s *Syncer) Progress() Progress { return s.track.snapshot() }

// RunOptions say who starts a run and how.
type RunOptions struct {
	Trigger Trigger
	// Actor names who or what started it: a user's email, "command line (dana)", "schedule".
	Actor string
	// DryRun plans without applying anything; changes that would be applied are "planned".
	DryRun bool
	// IncludeHeld applies changes that need review too (the command line's --include-held).
	IncludeHeld bool
}

// msgNothingMapped is the message of a run with no mappings.
const msgNothingMapped = "No mappings yet: map GSM sites to agreement additions on the Mappings page (or `cwm-webroot mappings import`)."

// Sync runs one sync: plan, then apply what may be applied (see the package comment).
// Changes that need no review are applied when the trigger is the command line or
// "Apply automatically" is on; changes that need review only with IncludeHeld.
//
// The error is for a run that could not be made at all: a sync already running
// (synclock.ErrBusy), a connection not configured, a vendor unreachable
// (IsConnectionFailure), the database. Such a run, once started, is still recorded, as
// failed, and the Result holds it. Failures of single additions are not errors: they are
// in the Result, and the run's status says partial or failed.
func (s *Syncer) Sync(ctx context.Context, o RunOptions) (Result, error) {
	if !o.Trigger.Valid() {
		return Result{}, fmt.Errorf("unknown sync trigger %q", o.Trigger)
	}
	set, err := LoadSettings(ctx, s.st)
	if err != nil {
		return Result{}, err
	}
	started := s.opts.Now()
	lock, err := synclock.Acquire(s.opts.LockDir, synclock.Holder{StartedAt: started, By: o.Actor})
	if err != nil {
		return Result{}, err
	}
	defer lock.Release()

	run := Run{Trigger: o.Trigger, Actor: o.Actor, DryRun: o.DryRun, IncludeHeld: o.IncludeHeld,
		AutoApply: o.Trigger == TriggerCLI || set.AutoApply, Status: StatusPlanning, StartedAt: started,
		ReviewShare: set.ReviewShare, RequestsPerMinute: set.RequestsPerMinute}
	// Records are written even when ctx is cancelled (Ctrl+C): what happened must land.
	dbctx := context.WithoutCancel(ctx)
	if run.ID, err = s.rec.insertRun(dbctx, run, os.Getpid()); err != nil {
		return Result{}, err
	}
	s.track.start(Progress{Running: true, RunID: run.ID, Trigger: run.Trigger, Actor: run.Actor, DryRun: run.DryRun,
		Phase: PhaseReading, StartedAt: &started})
	s.opts.Logger.Info("sync started", "run", run.ID, "trigger", run.Trigger, "dry_run", run.DryRun)

	w := &work{s: s, run: &run, set: set, mode: planMode{dryRun: o.DryRun, autoApply: run.AutoApply, includeHeld: o.IncludeHeld}}
	runErr := w.execute(ctx)
	return s.conclude(dbctx, w, runErr)
}

// conclude records the end of a run and reports it.
func (s *Syncer) conclude(dbctx context.Context, w *work, runErr error) (Result, error) {
	requests, throttled := w.counters()
	var status, message string
	if runErr != nil {
		message = runMessage(runErr)
		if err := s.rec.failRun(dbctx, w.run.ID, message, s.opts.Now(), requests, throttled); err != nil {
			runErr = errors.Join(runErr, err)
		}
		status = StatusFailed
		s.opts.Logger.Warn("sync failed", "run", w.run.ID, "err", runErr)
	} else {
		var err error
		if status, err = s.rec.finishRun(dbctx, w.run.ID, w.message, s.opts.Now(), requests, throttled); err != nil {
			runErr = err
		}
		message = w.message
		s.opts.Logger.Info("sync finished", "run", w.run.ID, "status", status, "requests", requests, "throttled", throttled)
	}
	s.track.finish(func(p *Progress) { p.Status, p.Message = status, message })
	res, err := s.RunResult(dbctx, w.run.ID)
	if err != nil && runErr == nil {
		runErr = err
	}
	return res, runErr
}

// runMessage is a run-level failure in words.
func runMessage(err error) string {
	var busy *synclock.BusyError
	switch {
	case errors.As(err, &busy):
		return busy.Error()
	case errors.Is(err, context.Canceled):
		return "Stopped before the plan was complete; nothing was applied."
	}
	return userMessage(err)
}

// work is one run in progress.
type work struct {
	s      *Syncer
	run    *Run
	set    Settings
	mode   planMode
	client *manage.Client
	pacer  *Pacer
	// inFlight is how many Manage requests may be in flight, and how many workers read
	// and apply.
	inFlight int
	// message is a note for the whole run (e.g. nothing mapped).
	message string
}

func (w *work) counters() (requests, throttled int64) {
	if w.client == nil {
		return 0, 0
	}
	st := w.client.Stats()
	return st.Requests, st.Throttled
}

// connect builds the run's Manage client with its pacer and in-flight limit.
func (w *work) connect(ctx context.Context) error {
	if w.client != nil {
		w.reportStats()
		return nil
	}
	w.pacer = NewPacer(w.set.RequestsPerMinute)
	w.inFlight = w.s.opts.MaxInFlight
	if w.inFlight <= 0 {
		w.inFlight = inFlightFor(w.set.RequestsPerMinute)
	}
	c, err := w.s.src.Manage(ctx, func(c *manage.Config) {
		c.Pacer = w.pacer
		c.MaxInFlight = w.inFlight
	})
	if err != nil {
		return fmt.Errorf("connecting to ConnectWise: %w", err)
	}
	w.client = c
	w.reportStats()
	return nil
}

// reportStats makes progress events carry the client's counters and the current pace.
func (w *work) reportStats() {
	c, p := w.client, w.pacer
	w.s.track.setStats(func() (int64, int64, float64) {
		st := c.Stats()
		return st.Requests, st.Throttled, p.PerMinute()
	})
}

// execute reads, settles interrupted runs, plans and applies.
func (w *work) execute(ctx context.Context) error {
	s := w.s
	dbctx := context.WithoutCancel(ctx)
	maps, err := s.maps.All(ctx)
	if err != nil {
		return fmt.Errorf("reading the mappings: %w", err)
	}
	open, err := s.rec.openChanges(dbctx, w.run.ID)
	if err != nil {
		return err
	}
	if len(maps) == 0 && len(open) == 0 {
		w.message = msgNothingMapped
		return s.rec.savePlan(dbctx, w.run.ID, nil, StatusApplying, s.opts.Now())
	}
	if err := w.connect(ctx); err != nil {
		return err
	}
	in, err := w.read(ctx, maps, open)
	if err != nil {
		return err
	}
	s.track.update(func(p *Progress) { p.Phase = PhasePlanning })
	if err := w.reconcile(dbctx, open, in.reads, w.run.ID); err != nil {
		return err
	}
	changes := buildPlan(in)
	if err := s.rec.savePlan(dbctx, w.run.ID, changes, StatusApplying, s.opts.Now()); err != nil {
		return err
	}
	var todo []*Change
	for i := range changes {
		if changes[i].State == StatePending {
			todo = append(todo, &changes[i])
		}
	}
	s.track.update(func(p *Progress) {
		var c Counts
		for _, ch := range changes {
			c.add(ch.State, 1)
		}
		p.Phase, p.ToApply = PhaseApplying, len(todo)
		p.Held, p.Blocked, p.Errors, p.Unchanged = c.Held, c.Blocked, c.Errors, c.Unchanged
	})
	return w.apply(ctx, todo)
}
