// Package background is what keeps working while the window is hidden: it starts syncs
// for the schedule and the tray, keeps the tray's icon and menu in step with the syncer and
// the schedule, and hands each finished sync to the notifier. The app routes every backend
// event through Observe, so a sync started from the window updates the tray too.
package background

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/tray"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

// ActorTray and ActorSchedule name who started a run that no logged-in user started.
const (
	ActorTray     = "Tray"
	ActorSchedule = "Schedule"
)

// ErrBusy: a sync is already running in this process.
var ErrBusy = errors.New("a sync is already running")

// TrayView shows a status; the tray in the app, a recorder in tests.
type TrayView interface{ Update(tray.Status) }

// Schedule is the part of the scheduler the tray needs.
type Schedule interface {
	// TrayInfo says whether a schedule is set, whether it is paused and when it runs next.
	TrayInfo() (on, paused bool, next *time.Time)
	SetPaused(paused bool) error
}

// Notifier turns what happens into desktop notifications and email digests (notify.Notifier
// in the app). Its errors are logged: a notification that could not be shown is no
// reason to bother the user with another message.
type Notifier interface {
	// AfterSync hears about every finished, real (not dry) run.
	AfterSync(ctx context.Context, res syncer.Result) error
	// CredentialsRejected / CredentialsAccepted follow a connection's credentials, by
	// service name ("ConnectWise Manage", "Webroot").
	CredentialsRejected(ctx context.Context, service string) error
	CredentialsAccepted(ctx context.Context, service string) error
	// CheckSites looks for new unmapped sites and sites over their seat limit.
	CheckSites(ctx context.Context) error
	// CheckStale warns when no sync has succeeded for too long.
	CheckStale(ctx context.Context) error
}

// Service names, as notifications name them.
const (
	ServiceManage  = "ConnectWise Manage"
	ServiceWebroot = "Webroot"
)

// staleCheckEvery is how often the "no successful sync for N days" check runs.
const staleCheckEvery = time.Hour

// Options wire the service.
type Options struct {
	Syncer   *syncer.Syncer
	Tray     TrayView
	Schedule Schedule // nil: no schedule yet
	Notifier Notifier // nil: no notifications
	// Location is the company's Primary Time Zone, read at each use (it can be edited).
	Location func() *time.Location
	// Problem says why the user should open the app ("" when nothing is wrong), e.g.
	// rejected credentials.
	Problem func(ctx context.Context) string
	// BeforeScheduled runs before each scheduled sync: the app refreshes Webroot's site
	// list there, so new sites and failing credentials come to light with nobody at the
	// window. Its failure does not stop the sync, which records its own.
	BeforeScheduled func(ctx context.Context)
	// RetryDelays are the waits between attempts of a scheduled sync that could not reach a
	// vendor [DefaultRetryDelays].
	RetryDelays []time.Duration
	// Describe says an error in words for the user [err.Error()].
	Describe func(error) string
	// Alert shows a desktop notification at once: the answer to a tray click that could
	// not be done, since the window that would say so is hidden.
	Alert  func(title, body string) error
	Logger *slog.Logger
}

// Service runs background syncs and keeps the tray current.
type Service struct {
	o      Options
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	refreshMu  sync.Mutex    // one tray refresh at a time, so updates arrive in order
	refreshReq chan struct{} // a refresh is wanted; bursts of events make one
	mu         sync.Mutex
	closed     bool
	// pendingQuit quits the app when the running sync ends (QuitWhenIdle).
	pendingQuit func()
}

// New makes the service; Close stops what it started.
func New(o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Location == nil {
		o.Location = func() *time.Location { return time.Local }
	}
	if o.RetryDelays == nil {
		o.RetryDelays = DefaultRetryDelays
	}
	if o.Describe == nil {
		o.Describe = func(err error) string { return err.Error() }
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{o: o, ctx: ctx, cancel: cancel, refreshReq: make(chan struct{}, 1)}
	go s.refresher()
	return s
}

// refreshEvery is the shortest time between two tray refreshes asked for by events: a
// sync emits hundreds of progress events, a refresh reads the database.
const refreshEvery = 300 * time.Millisecond

// refresher makes one refresh of each burst of requests, at most every refreshEvery.
func (s *Service) refresher() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.refreshReq:
		}
		s.Refresh()
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(refreshEvery):
		}
	}
}

// requestRefresh asks the refresher for a refresh without waiting.
func (s *Service) requestRefresh() {
	select {
	case s.refreshReq <- struct{}{}:
	default:
	}
}

// SetSchedule attaches the scheduler once it exists (it needs the service to run syncs).
func (s *Service) SetSchedule(sc Schedule) {
	s.mu.Lock()
	s.o.Schedule = sc
	s.mu.Unlock()
}

// Go runs work that must finish or record where it stopped before the app quits: the
// context is cancelled by Close, which then waits for it.
func (s *Service) Go(work func(ctx context.Context)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("the app is quitting")
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		work(s.ctx)
	}()
	return nil
}

// SyncNow starts a sync in the background (the tray's "Sync now"). When it cannot start
// or ends without a recorded run (no connection, say), Alert says why.
func (s *Service) SyncNow(trigger syncer.Trigger, actor string) error {
	if s.o.Syncer.Progress().Running {
		s.alert("A sync is already running", "Wait for it to finish; the tray shows its progress.")
		return ErrBusy
	}
	return s.Go(func(ctx context.Context) {
		res, err := s.o.Syncer.Sync(ctx, syncer.RunOptions{Trigger: trigger, Actor: actor})
		if err != nil {
			s.o.Logger.Warn("sync could not run", "trigger", trigger, "err", err)
			if res.Run.ID == 0 && !errors.Is(err, context.Canceled) {
				s.alert("The sync could not run", s.o.Describe(err))
			}
			s.Refresh()
		}
	})
}

func (s *Service) alert(title, body string) {
	if s.o.Alert == nil {
		return
	}
	if err := s.o.Alert(title, body); err != nil {
		s.o.Logger.Warn("the desktop notification could not be shown", "err", err)
	}
}

// DefaultRetryDelays are the waits before a scheduled sync that could not reach a vendor
// is tried again: a computer waking at login often has no network for the first minute.
var DefaultRetryDelays = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute}

// RunScheduled is the scheduler's job: one sync, waited for, tried again after
// RetryDelays while the vendors cannot be reached. It runs under Go, so Quit stops it
// cleanly, waits included.
func (s *Service) RunScheduled(ctx context.Context) error {
	done := make(chan error, 1)
	if err := s.Go(func(bg context.Context) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stop := context.AfterFunc(bg, cancel)
		defer stop()
		var err error
		for attempt := 0; ; attempt++ {
			if s.o.BeforeScheduled != nil {
				s.o.BeforeScheduled(ctx)
			}
			_, err = s.o.Syncer.Sync(ctx, syncer.RunOptions{Trigger: syncer.TriggerSchedule, Actor: ActorSchedule})
			if err == nil || !transient(err) || attempt >= len(s.o.RetryDelays) {
				break
			}
			s.o.Logger.Info("the scheduled sync could not reach a vendor; trying again", "in", s.o.RetryDelays[attempt], "err", err)
			select {
			case <-ctx.Done():
				done <- ctx.Err()
				return
			case <-time.After(s.o.RetryDelays[attempt]):
			}
		}
		done <- err
	}); err != nil {
		return err
	}
	return <-done
}

// transient says whether trying again later may help: no network, a slow or failing
// server, throttling. Rejected credentials and refused permissions wait for the user.
func transient(err error) bool {
	var me *manage.Error
	if errors.As(err, &me) {
		switch me.Kind {
		case manage.KindSiteUnreachable, manage.KindNetwork, manage.KindTimeout, manage.KindServer, manage.KindThrottled:
			return true
		}
		return false
	}
	var we *webroot.Error
	if errors.As(err, &we) {
		switch we.Kind {
		case webroot.KindSiteUnreachable, webroot.KindServer, webroot.KindThrottled:
			return true
		}
	}
	return false
}

// SetPaused pauses or resumes the schedule (the tray's menu entry).
func (s *Service) SetPaused(paused bool) error {
	s.mu.Lock()
	sc := s.o.Schedule
	s.mu.Unlock()
	if sc == nil {
		return errors.New("no schedule is set")
	}
	if err := sc.SetPaused(paused); err != nil {
		return err
	}
	s.Refresh()
	return nil
}

// Observe sees every event the backend emits. Events refresh the tray (a burst makes one
// refresh); a finished run goes to the notifier.
func (s *Service) Observe(name string, payload any) {
	switch name {
	case syncer.EventDone:
		p, _ := payload.(syncer.Progress)
		_ = s.Go(func(ctx context.Context) {
			s.finished(ctx, p)
			// After the run's notifications and digest went out, which quitting would cut short.
			// Not on this goroutine: quitting closes the service, which waits for it.
			if quit := s.takeQuitIfIdle(); quit != nil {
				go quit()
			}
		})
	case manageconn.EventStatus:
		if st, ok := payload.(manageconn.Status); ok {
			s.credentials(ServiceManage, st.State, st.CredentialsRejected)
		}
		s.requestRefresh()
	case webrootconn.EventStatus:
		if st, ok := payload.(webrootconn.Status); ok {
			s.credentials(ServiceWebroot, st.State, st.CredentialsRejected)
		}
		s.requestRefresh()
	case webrootconn.EventSites:
		s.notify("check sites", func(ctx context.Context, n Notifier) error { return n.CheckSites(ctx) })
	default: // progress, the schedule, review decisions…
		s.requestRefresh()
	}
}

// credentials tells the notifier when a connection's credentials are refused, and when
// they work again (which ends that warning).
func (s *Service) credentials(service, state string, rejected bool) {
	switch {
	case rejected:
		s.notify("rejected credentials", func(ctx context.Context, n Notifier) error { return n.CredentialsRejected(ctx, service) })
	case state == connstate.Connected:
		s.notify("accepted credentials", func(ctx context.Context, n Notifier) error { return n.CredentialsAccepted(ctx, service) })
	}
}

// notify runs a notifier call in the background (a digest may take a while to send).
func (s *Service) notify(what string, call func(ctx context.Context, n Notifier) error) {
	if s.o.Notifier == nil {
		return
	}
	_ = s.Go(func(ctx context.Context) {
		if err := call(ctx, s.o.Notifier); err != nil && !errors.Is(err, context.Canceled) {
			s.o.Logger.Warn("notification", "what", what, "err", err)
		}
	})
}

// Start begins the periodic checks: no successful sync for too long, now and every hour.
func (s *Service) Start() {
	_ = s.Go(func(ctx context.Context) {
		tick := time.NewTicker(staleCheckEvery)
		defer tick.Stop()
		for {
			s.notify("stale sync", func(ctx context.Context, n Notifier) error { return n.CheckStale(ctx) })
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
}

func (s *Service) finished(ctx context.Context, p syncer.Progress) {
	defer s.Refresh()
	if p.DryRun || p.RunID == 0 || s.o.Notifier == nil {
		return
	}
	res, err := s.o.Syncer.RunResult(ctx, p.RunID)
	if err != nil {
		s.o.Logger.Warn("read the finished run", "run", p.RunID, "err", err)
		return
	}
	// The run's own news first, then what it may have revealed (new sites, counts over
	// seat limits) or ended (a stale-sync warning).
	for _, c := range []struct {
		what string
		call func(context.Context) error
	}{
		{"after sync", func(ctx context.Context) error { return s.o.Notifier.AfterSync(ctx, res) }},
		{"check sites", s.o.Notifier.CheckSites},
		{"stale sync", s.o.Notifier.CheckStale},
	} {
		if err := c.call(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.o.Logger.Warn("notification", "what", c.what, "err", err)
		}
	}
}

// Refresh recomputes the tray's status from the syncer, the schedule and the connections.
func (s *Service) Refresh() {
	if s.ctx.Err() != nil {
		return // quitting: the tray is going away
	}
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	st, err := s.Status(s.ctx)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.o.Logger.Warn("tray status", "err", err)
		}
		return
	}
	s.o.Tray.Update(st)
}

// Status is what the tray shows now.
func (s *Service) Status(ctx context.Context) (tray.Status, error) {
	st := tray.Status{Location: s.o.Location()}
	p := s.o.Syncer.Progress()
	if p.Running {
		st.Syncing = true
		st.Progress = progressText(p)
	}
	if run, ok, err := s.o.Syncer.LastRealRun(ctx); err != nil {
		return st, err
	} else if ok {
		st.Last = &tray.LastRun{At: *run.FinishedAt, Outcome: run.Outcome(), Failed: run.Status == syncer.StatusFailed || run.Status == syncer.StatusPartial}
		st.Held = run.Counts.Held
	}
	s.mu.Lock()
	sc := s.o.Schedule
	s.mu.Unlock()
	if sc != nil {
		st.ScheduleOn, st.Paused, st.NextRun = sc.TrayInfo()
	}
	if s.o.Problem != nil {
		st.Problem = s.o.Problem(ctx)
	}
	st.QuitPending = s.QuitPending()
	return st, nil
}

func progressText(p syncer.Progress) string {
	switch {
	case p.ToApply > 0:
		return fmt.Sprintf("%d of %d applied", p.Applied+p.Failed, p.ToApply)
	case p.AgreementsTotal > 0:
		return fmt.Sprintf("reading %d of %d agreements", p.AgreementsRead, p.AgreementsTotal)
	}
	return ""
}

// Close cancels background work and waits for it: a sync in flight records where it
// stopped, which the next run completes.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}
