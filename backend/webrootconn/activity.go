package webrootconn

import (
	"context"
	"time"
)

// Background jobs: the window starts a test or a refresh and returns at once (Wails'
// browser transport serialises calls from one tab, and the UI must never wait on the
// network); progress and the result arrive as EventActivity, and Activity is the snapshot
// for a page opened mid-way. One job runs at a time.

// Job kinds and phases.
const (
	JobTest    = "test"
	JobRefresh = "refresh"

	PhaseTesting    = "testing"
	PhaseRefreshing = "refreshing"
)

// Activity is the current or last background job.
type Activity struct {
	// ID increases with every job, so the UI can tell a new result from an old one.
	ID      int64  `json:"id"`
	Kind    string `json:"kind"` // "", test, refresh
	Running bool   `json:"running"`
	// Phase is what the running job is doing now: testing, then refreshing after a good test.
	Phase      string     `json:"phase"`
	StartedAt  *time.Time `json:"startedAt,omitempty" ts_type:"string"`
	FinishedAt *time.Time `json:"finishedAt,omitempty" ts_type:"string"`
	// Test is the connection test's outcome (test jobs); Refresh the refresh's.
	Test    *TestOutcome    `json:"test,omitempty"`
	Refresh *RefreshOutcome `json:"refresh,omitempty"`
	// Error is why the job could not run or failed outside Webroot (not configured, a secret
	// missing, the database), in words.
	Error string `json:"error,omitempty"`
	// ErrorField is the form label Error is about, when it is about one.
	ErrorField string `json:"errorField,omitempty"`
}

// Activity returns the current or last job.
func (s *Service) Activity() Activity {
	s.jobMu.Lock()
	defer s.jobMu.Unlock()
	return s.activity
}

// StartTest tests the saved connection in the background and, when the test passes,
// refreshes the site cache. It returns at once; a job already running is returned as is.
func (s *Service) StartTest() Activity {
	return s.start(JobTest, PhaseTesting, func(ctx context.Context) {
		out, err := s.Test(ctx)
		if err != nil {
			s.finishWithError(err)
			return
		}
		s.update(func(a *Activity) { a.Test = &out })
		if !out.OK {
			return
		}
		s.update(func(a *Activity) { a.Phase = PhaseRefreshing })
		s.refreshInto(ctx)
	})
}

// StartRefresh refreshes the site cache in the background; see StartTest.
func (s *Service) StartRefresh() Activity {
	return s.start(JobRefresh, PhaseRefreshing, s.refreshInto)
}

func (s *Service) refreshInto(ctx context.Context) {
	out, err := s.Refresh(ctx)
	if err != nil {
		out.OK = false
		if out.Message == "" {
			out.Message = UserMessage(err)
		}
	}
	s.update(func(a *Activity) { a.Refresh = &out })
}

// Wait blocks until no job runs or ctx ends.
func (s *Service) Wait(ctx context.Context) error {
	s.jobMu.Lock()
	done := s.jobDone
	s.jobMu.Unlock()
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) start(kind, phase string, run func(ctx context.Context)) Activity {
	s.jobMu.Lock()
	if s.activity.Running {
		a := s.activity
		s.jobMu.Unlock()
		return a
	}
	s.nextJob++
	now := s.now()
	s.activity = Activity{ID: s.nextJob, Kind: kind, Running: true, Phase: phase, StartedAt: &now}
	done := make(chan struct{})
	s.jobDone = done
	a := s.activity
	s.jobMu.Unlock()
	s.emit(EventActivity, a)

	go func() {
		defer func() {
			s.jobMu.Lock()
			end := s.now()
			s.activity.Running, s.activity.Phase, s.activity.FinishedAt = false, "", &end
			final := s.activity
			s.jobDone = nil
			s.jobMu.Unlock()
			s.emit(EventActivity, final)
			close(done)
		}()
		run(s.opts.BaseContext)
	}()
	return a
}

// update changes the running job and tells the UI.
func (s *Service) update(change func(*Activity)) {
	s.jobMu.Lock()
	change(&s.activity)
	a := s.activity
	s.jobMu.Unlock()
	s.emit(EventActivity, a)
}

func (s *Service) finishWithError(err error) {
	field := ""
	if fe, ok := asFieldError(err); ok {
		field = fe.Field
	}
	s.update(func(a *Activity) { a.Error, a.ErrorField = describeError(err), field })
}
