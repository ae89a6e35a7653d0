package scheduler

import (
	"sync"
	"testing"
	"time"
)

// fakeClock keeps the wall clock and the monotonic clock apart, as a real computer does
// across sleep: Advance moves both (time passing while awake), Sleep moves only the wall
// clock (timers stand still). It tells the test when the scheduler is waiting again, so tests
// never sleep to synchronise.
type fakeClock struct {
	t       *testing.T
	mu      sync.Mutex
	wall    time.Time
	mono    time.Duration
	current *fakeWaiter // the scheduler's one goroutine only ever waits on its latest After
	calls   int         // After calls so far
	changed chan struct{}
	maxWait time.Duration
}

type fakeWaiter struct {
	deadline time.Duration
	ch       chan time.Time
	fired    bool
}

func newFakeClock(t *testing.T, wall time.Time) *fakeClock {
	return &fakeClock{t: t, wall: wall, changed: make(chan struct{})}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &fakeWaiter{deadline: c.mono + d, ch: make(chan time.Time, 1)}
	if d <= 0 {
		w.fired = true
		w.ch <- c.wall
	}
	c.current = w
	c.calls++
	c.maxWait = max(c.maxWait, d)
	close(c.changed)
	c.changed = make(chan struct{})
	return w.ch
}

// Calls is how many times the scheduler has started waiting.
func (c *fakeClock) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

// WaitCalls blocks until the scheduler has started waiting at least n times in all: it has
// finished everything it does before waiting (checking, running a sync).
func (c *fakeClock) WaitCalls(n int) {
	c.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		c.mu.Lock()
		calls, ch := c.calls, c.changed
		c.mu.Unlock()
		if calls >= n {
			return
		}
		select {
		case <-ch:
		case <-timeout:
			c.t.Fatalf("the scheduler did not start waiting (%d of %d waits)", calls, n)
		}
	}
}

// Sleep moves the wall clock forward without any timer noticing: the computer slept.
func (c *fakeClock) Sleep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall = c.wall.Add(d)
}

// AdvanceTo lets time pass, awake, until wall: each time the scheduler's timer falls due on
// the way it fires, and AdvanceTo waits for the scheduler to finish and wait again.
func (c *fakeClock) AdvanceTo(wall time.Time) {
	c.t.Helper()
	for {
		c.mu.Lock()
		left := wall.Sub(c.wall)
		if left < 0 {
			c.mu.Unlock()
			c.t.Fatalf("AdvanceTo %s: the clock is already at %s", wall, c.wall)
		}
		w := c.current
		if w == nil || w.fired || w.deadline > c.mono+left {
			c.mono += left
			c.wall = wall
			c.mu.Unlock()
			return
		}
		step := w.deadline - c.mono
		c.mono += step
		c.wall = c.wall.Add(step)
		w.fired = true
		w.ch <- c.wall
		calls := c.calls
		c.mu.Unlock()
		c.WaitCalls(calls + 1)
	}
}

// Advance is AdvanceTo(now + d).
func (c *fakeClock) Advance(d time.Duration) { c.AdvanceTo(c.Now().Add(d)) }

// MaxWait is the longest single wait the scheduler asked for.
func (c *fakeClock) MaxWait() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.maxWait
}
