package webrootconn

import (
	"context"

	"cwm-webroot/backend/connstate"
)

// Background jobs (see connstate.Jobs): a test or a refresh runs in the background,
// reporting through EventActivity; Activity is the snapshot for a page opened mid-way. One
// job runs at a time.

// Job kinds and phases.
const (
	JobTest    = connstate.JobTest
	JobRefresh = connstate.JobRefresh

	PhaseTesting    = connstate.PhaseTesting
	PhaseRefreshing = "refreshing"
)

// Activity is the current or last background job (see connstate.Activity). Its Phase is
// what the running job is doing now: testing, then refreshing after a good test. Its Error
// is why the job could not run or failed outside Webroot (not configured, a secret missing,
// the database).
type Activity connstate.Activity[TestOutcome, RefreshOutcome]

// Activity returns the current or last job.
func (s *Service) Activity() Activity { return s.jobs.Snapshot() }

// Wait blocks until no job runs or ctx ends.
func (s *Service) Wait(ctx context.Context) error { return s.jobs.Wait(ctx) }

// StartTest tests the saved connection in the background and, when the test passes,
// refreshes the site cache. It returns at once; a job already running is returned as is.
func (s *Service) StartTest() Activity {
	return s.jobs.Start(JobTest, PhaseTesting, func(ctx context.Context) {
		out, err := s.Test(ctx)
		if err != nil {
			s.finishWithError(err)
			return
		}
		s.jobs.Update(func(a *Activity) { a.Test = &out })
		if !out.OK {
			return
		}
		s.jobs.SetPhase(PhaseRefreshing)
		s.refreshInto(ctx)
	})
}

// StartRefresh refreshes the site cache in the background; see StartTest.
func (s *Service) StartRefresh() Activity {
	return s.jobs.Start(JobRefresh, PhaseRefreshing, s.refreshInto)
}

func (s *Service) refreshInto(ctx context.Context) {
	out, err := s.Refresh(ctx)
	if err != nil {
		out.OK = false
		if out.Message == "" {
			out.Message = UserMessage(err)
		}
	}
	s.jobs.Update(func(a *Activity) { a.Refresh = &out })
}

func (s *Service) finishWithError(err error) {
	field := ""
	if fe, ok := asFieldError(err); ok {
		field = fe.Field
	}
	s.jobs.Update(func(a *Activity) { a.Error, a.ErrorField = describeError(err), field })
}
