package manageconn

import (
	"context"

	"cwm-webroot/backend/connstate"
)

// Background jobs (see connstate.Jobs): a test or a refresh runs in the background,
// reporting through EventActivity; Activity is the snapshot for a page opened mid-way. One
// job runs at a time.

// Job kinds and phases (the refresh phases are in cache.go).
const (
	JobTest    = connstate.JobTest
	JobRefresh = connstate.JobRefresh

	PhaseTesting = connstate.PhaseTesting
)

// Activity is the current or last background job (see connstate.Activity). Its Phase is
// what the running job is doing now: testing, then (after a good test, or for a refresh)
// companies, agreements, additions, catalog, saving. Its Error is why the job could not run
// or failed outside Manage (not configured, the private key missing, the database).
type Activity connstate.Activity[TestOutcome, RefreshOutcome]

// Activity returns the current or last job.
func (s *Service) Activity() Activity { return s.jobs.Snapshot() }

// Wait blocks until no job runs or ctx ends.
func (s *Service) Wait(ctx context.Context) error { return s.jobs.Wait(ctx) }

// StartTest tests the saved connection in the background and, when the test passes,
// refreshes the cache. It returns at once; a job already running is returned as is.
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
		s.refreshInto(ctx)
	})
}

// StartRefresh refreshes the cache in the background; see StartTest.
func (s *Service) StartRefresh() Activity {
	return s.jobs.Start(JobRefresh, PhaseCompanies, s.refreshInto)
}

func (s *Service) refreshInto(ctx context.Context) {
	out, err := s.refresh(ctx, s.jobs.SetPhase)
	if err != nil {
		out.OK = false
		if out.Message == "" {
			out.Message = UserMessage(err)
		}
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	s.jobs.Update(func(a *Activity) { a.Refresh = &out })
}

func (s *Service) finishWithError(err error) {
	s.jobs.Update(func(a *Activity) { a.Error, a.ErrorField = UserMessage(err), fieldOf(err) })
}
