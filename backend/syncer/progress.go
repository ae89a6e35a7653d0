package syncer

import (
	"sync"
	"time"

	"cwm-webroot/backend/events"
)

// Events the syncer emits. Events are not buffered for late listeners: Progress is the
// snapshot getter.
const (
	// EventProgress: a run started, moved to another phase or made progress (Progress).
	// Emitted at most every progressEvery, plus on every phase change.
	EventProgress = "sync:progress"
	// EventDone: a run (or an ApplyApproved) ended (Progress, with Status set).
	EventDone = "sync:done"
)

// Phases of a run, as Progress reports them.
const (
	PhaseReading  = "reading"  // Webroot counts and Manage additions
	PhasePlanning = "planning" // settling an interrupted run, building and recording the plan
	PhaseApplying = "applying"
	PhaseDone     = "done"
)

const progressEvery = 200 * time.Millisecond

// Progress is the state of the current (or last) run for the UI.
type Progress struct {
	Running   bool       `json:"running"`
	RunID     int64      `json:"runId"`
	Trigger   Trigger    `json:"trigger"`
	Actor     string     `json:"actor"`
	DryRun    bool       `json:"dryRun"`
	Phase     string     `json:"phase"`
	StartedAt *time.Time `json:"startedAt,omitempty" ts_type:"string"`
	// AgreementsRead of AgreementsTotal agreements' additions have been read.
	AgreementsTotal int `json:"agreementsTotal"`
	AgreementsRead  int `json:"agreementsRead"`
	// Applied and Failed of ToApply changes are done.
	ToApply   int `json:"toApply"`
	Applied   int `json:"applied"`
	Failed    int `json:"failed"`
	Held      int `json:"held"`
	Blocked   int `json:"blocked"`
	Errors    int `json:"errors"`
	Unchanged int `json:"unchanged"`
	// Requests and Throttled count Manage calls and 429 answers so far; PerMinute is the
	// current pace (lower than the setting after 429s).
	Requests  int64   `json:"requests"`
	Throttled int64   `json:"throttled"`
	PerMinute float64 `json:"perMinute"`
	// Status and Message are set when the run has ended.
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

// tracker holds the progress snapshot and emits it.
type tracker struct {
	mu       sync.Mutex
	p        Progress
	emitter  events.Emitter
	lastEmit time.Time
	now      func() time.Time
	stats    func() (requests, throttled int64, perMinute float64)
}

func (t *tracker) snapshot() Progress {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.p
}

// start begins a new run's progress.
func (t *tracker) start(p Progress) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.p = p
	t.stats = nil
	t.emitLocked(EventProgress)
}

// setStats makes later updates report the run's client counters.
func (t *tracker) setStats(f func() (int64, int64, float64)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stats = f
}

// update changes the snapshot and emits it when the phase changed or enough time passed.
func (t *tracker) update(f func(*Progress)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	phase := t.p.Phase
	f(&t.p)
	if t.p.Phase != phase || t.now().Sub(t.lastEmit) >= progressEvery {
		t.emitLocked(EventProgress)
	}
}

// finish marks the run ended and emits EventDone.
func (t *tracker) finish(f func(*Progress)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(&t.p)
	t.p.Running, t.p.Phase = false, PhaseDone
	t.emitLocked(EventProgress)
	t.emitLocked(EventDone)
}

// emitLocked sends the snapshot; emitting under the lock keeps events in order.
func (t *tracker) emitLocked(name string) {
	if t.stats != nil {
		t.p.Requests, t.p.Throttled, t.p.PerMinute = t.stats()
	}
	t.lastEmit = t.now()
	t.emitter.Emit(name, t.p)
}
