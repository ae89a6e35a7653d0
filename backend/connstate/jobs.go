package connstate

import (
	"context"
	"sync"
	"time"
)

// Background jobs: the window starts a test or a refresh and returns at once (Wails'
// browser transport serialises calls from one tab, and the UI must never wait on the
// network); progress and the result arrive as the connection's activity event, and
// Snapshot is the snapshot for a page opened mid-way. One job runs at a time.

// Job kinds, and the phase a test starts in.
const (
	JobTest    = "test"
	JobRefresh = "refresh"

	PhaseTesting = "testing"
)

// Job is the part of a background job's snapshot that Jobs keeps; Activity adds the job's
// outcome.
type Job struct {
	// ID increases with every job, so the UI can tell a new result from an old one.
	ID      int64  `json:"id"`
	Kind    string `json:"kind"` // "", test, refresh
	Running bool   `json:"running"`
	// Phase is what the running job is doing now.
	Phase      string     `json:"phase"`
	StartedAt  *time.Time `json:"startedAt,omitempty" ts_type:"string"`
	FinishedAt *time.Time `json:"finishedAt,omitempty" ts_type:"string"`
}

// Activity is a connection's current or last background job: the Job, then its outcome, T
// a connection test's and R a refresh's. A connection declares its own Activity on it
// (type Activity connstate.Activity[TestOutcome, RefreshOutcome]), so its bindings keep
// their names.
type Activity[T, R any] struct {
	Job
	// Test is the connection test's outcome (test jobs); Refresh the refresh's.
	Test    *T `json:"test,omitempty"`
	Refresh *R `json:"refresh,omitempty"`
	// Error is why the job could not run or failed outside the vendor's service (not
	// configured, a secret missing, the database), in words.
	Error string `json:"error,omitempty"`
	// ErrorField is the form label Error is about, when it is about one.
	ErrorField string `json:"errorField,omitempty"`
}

// JobsConfig sets up Jobs.
type JobsConfig[A any] struct {
	Env Env
	// Event is the activity event, sent with A at every change.
	Event string
	// Job finds the Job in A.
	Job func(*A) *Job
	// OnPanic, when set, recovers a job that panics: it is called with the job's snapshot
	// (to log the panic and set an error) and the job then finishes as usual. When nil, the
	// panic is not recovered.
	OnPanic func(a *A, panicked any)
}

// Jobs runs a connection's background jobs one at a time and keeps the snapshot, A (the
// connection's Activity), of the current or last one. It is safe for concurrent use.
type Jobs[A any] struct {
	cfg JobsConfig[A]

	mu      sync.Mutex
	current A
	done    chan struct{} // closed when the running job ends; nil when idle
	next    int64
}

// NewJobs returns an idle runner.
func NewJobs[A any](cfg JobsConfig[A]) *Jobs[A] {
	return &Jobs[A]{cfg: cfg}
}

// Snapshot returns the current or last job.
func (j *Jobs[A]) Snapshot() A {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.current
}

// Start runs run in the background as a new job of kind, starting in phase, and returns its
// snapshot at once; a job already running is returned as is instead. run gets the base
// context of Env.
func (j *Jobs[A]) Start(kind, phase string, run func(ctx context.Context)) A {
	j.mu.Lock()
	if j.cfg.Job(&j.current).Running {
		a := j.current
		j.mu.Unlock()
		return a
	}
	j.next++
	now := j.cfg.Env.Time()
	var fresh A
	*j.cfg.Job(&fresh) = Job{ID: j.next, Kind: kind, Running: true, Phase: phase, StartedAt: &now}
	j.current = fresh
	done := make(chan struct{})
	j.done = done
	a := j.current
	j.mu.Unlock()
	j.cfg.Env.Emit(j.cfg.Event, a)

	go func() {
		defer func() {
			if j.cfg.OnPanic != nil {
				if p := recover(); p != nil {
					j.mu.Lock()
					j.cfg.OnPanic(&j.current, p)
					j.mu.Unlock()
				}
			}
			j.mu.Lock()
			end := j.cfg.Env.Time()
			job := j.cfg.Job(&j.current)
			job.Running, job.Phase, job.FinishedAt = false, "", &end
			final := j.current
			j.done = nil
			j.mu.Unlock()
			j.cfg.Env.Emit(j.cfg.Event, final)
			close(done)
		}()
		run(j.cfg.Env.BaseContext)
	}()
	return a
}

// Update changes the running job and tells the UI.
func (j *Jobs[A]) Update(change func(*A)) {
	j.mu.Lock()
	change(&j.current)
	a := j.current
	j.mu.Unlock()
	j.cfg.Env.Emit(j.cfg.Event, a)
}

// SetPhase moves the running job to phase and tells the UI.
func (j *Jobs[A]) SetPhase(phase string) {
	j.Update(func(a *A) { j.cfg.Job(a).Phase = phase })
}

// Wait blocks until no job runs or ctx ends.
func (j *Jobs[A]) Wait(ctx context.Context) error {
	j.mu.Lock()
	done := j.done
	j.mu.Unlock()
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
