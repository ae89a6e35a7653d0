package syncer

import (
	"context"
	"math"
	"testing"
	"time"
)

// fakeClock is a clock that sleeping moves forward.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }
func (c *fakeClock) sleep(_ context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return nil
}

func fakePacer(perMinute int) (*Pacer, *fakeClock) {
	c := &fakeClock{t: time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)}
	p := NewPacer(perMinute)
	p.now, p.sleep = c.now, c.sleep
	return p, c
}

func TestPacerSpacesRequestsWithASmallBurst(t *testing.T) {
	p, c := fakePacer(600) // 10 a second, burst 2
	start := c.t
	var at []time.Duration
	for range 12 {
		if err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		at = append(at, c.t.Sub(start))
	}
	if at[0] != 0 || at[1] != 0 {
		t.Fatalf("the burst waited: %v", at[:2])
	}
	for i := 2; i < len(at); i++ {
		if want := time.Duration(i-1) * 100 * time.Millisecond; at[i] != want {
			t.Fatalf("request %d at %v, want %v (all: %v)", i, at[i], want, at)
		}
	}
	// After the burst of 2, 10 more take a second: the setting's pace.
	if got := at[len(at)-1]; got != time.Second {
		t.Fatalf("12 requests in %v", got)
	}
}

func TestPacerHonoursRetryAfterAndSlowsDownThenRecovers(t *testing.T) {
	p, c := fakePacer(1000)
	for range 5 {
		p.Wait(context.Background())
	}
	throttledAt := c.t
	p.Throttled(3 * time.Second)
	if got := p.PerMinute(); math.Abs(got-700) > 1e-6 {
		t.Fatalf("rate after a 429: %v", got)
	}
	p.Wait(context.Background())
	if c.t.Sub(throttledAt) < 3*time.Second {
		t.Fatalf("sent %v after a 429 asking for 3 s", c.t.Sub(throttledAt))
	}
	// One at a time after the wait: the second follows at the slower pace, not in a burst.
	first := c.t
	p.Wait(context.Background())
	if gap := c.t.Sub(first); gap < time.Minute/700-time.Millisecond {
		t.Fatalf("gap after the wait %v", gap)
	}
	// A 429 without Retry-After waits a second.
	p.Throttled(0)
	at := c.t
	p.Wait(context.Background())
	if c.t.Sub(at) < time.Second || p.PerMinute() >= 700 {
		t.Fatalf("no Retry-After: waited %v, rate %v", c.t.Sub(at), p.PerMinute())
	}
	// Quiet minutes bring the rate back to the setting, never above.
	c.t = c.t.Add(2 * time.Minute)
	p.Wait(context.Background())
	if got := p.PerMinute(); math.Abs(got-1000) > 1e-6 {
		t.Fatalf("rate after recovering: %v", got)
	}
	if p.ThrottledCount() != 2 {
		t.Fatalf("throttled count %d", p.ThrottledCount())
	}
}

func TestPacerStopsWaitingWhenCancelled(t *testing.T) {
	p := NewPacer(MinRequestsPerMinute) // one request every 6 s
	p.Wait(context.Background())
	p.Wait(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := p.Wait(ctx); err == nil || time.Since(start) > time.Second {
		t.Fatalf("wait: %v after %v", err, time.Since(start))
	}
}

func TestInFlightHoldsThePaceOverASlowLink(t *testing.T) {
	for _, c := range []struct{ perMinute, want int }{{10, 4}, {1000, 7}, {6000, 16}, {100000, 16}} {
		if got := inFlightFor(c.perMinute); got != c.want {
			t.Errorf("inFlightFor(%d) = %d, want %d", c.perMinute, got, c.want)
		}
	}
}
