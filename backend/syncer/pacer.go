package syncer

import (
	"context"
	"math"
	"sync"
	"time"
)

// Pacer spaces Manage calls to a requests-per-minute budget; it implements manage.Pacer.
//
// It is a GCRA token bucket: requests go out evenly at the rate, with a small burst so the
// first few do not wait. Manage's own limiter is a bucket too (managesim's holds a second's
// worth), so a burst smaller than the server's never trips it when the rates agree.
//
// On a 429 the pace drops multiplicatively and nothing is sent before the Retry-After has
// passed; then, for every recoverEvery without another 429, it climbs back by a twentieth
// of the configured rate (AIMD). The configured rate is a ceiling it never exceeds.
type Pacer struct {
	mu       sync.Mutex
	target   float64 // configured requests per second
	rate     float64 // current requests per second, ≤ target
	burst    int
	tat      time.Time // GCRA theoretical arrival time of the next request
	notUntil time.Time // no request before this (Retry-After)
	lastCut  time.Time // last 429, or the last step back up
	throttle int64

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// AIMD shape: cut to 70 % on each 429 (not below a tenth of the target), and recover a
// twentieth of the target every 2 s without one.
const (
	cutFactor    = 0.7
	floorShare   = 0.1
	recoverShare = 0.05
	recoverEvery = 2 * time.Second
)

// NewPacer paces to perMinute requests a minute.
func NewPacer(perMinute int) *Pacer {
	p := &Pacer{now: time.Now, sleep: sleepCtx}
	p.SetRate(perMinute)
	return p
}

// SetRate changes the budget, e.g. after the setting changed, and forgets earlier 429s.
func (p *Pacer) SetRate(perMinute int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = float64(max(perMinute, 1)) / 60
	p.rate = p.target
	p.burst = burstFor(perMinute)
}

// burstFor is the pacer's burst: a few requests at the default pace, more for a fast
// on-premise server, always well under a second's worth so a server limiter with a
// one-second bucket is never overrun.
func burstFor(perMinute int) int {
	return min(max(perMinute/300, 2), 10)
}

// Wait blocks until the next request may go out. A 429 that arrives while a request waits
// for its slot moves it behind the server's Retry-After.
func (p *Pacer) Wait(ctx context.Context) error {
	for {
		sendAt, now := p.reserve()
		if d := sendAt.Sub(now); d > 0 {
			if err := p.sleep(ctx, d); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		p.mu.Lock()
		blocked := p.notUntil.After(p.now())
		p.mu.Unlock()
		if !blocked {
			return nil
		}
	}
}

// reserve takes the next slot and returns when it starts.
func (p *Pacer) reserve() (sendAt, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now = p.now()
	p.recover(now)
	interval := time.Duration(float64(time.Second) / p.rate)
	if p.tat.Before(now) {
		p.tat = now
	}
	if p.tat.Before(p.notUntil) {
		p.tat = p.notUntil
	}
	sendAt = p.tat.Add(-time.Duration(p.burst-1) * interval)
	if sendAt.Before(p.notUntil) {
		sendAt = p.notUntil
	}
	p.tat = p.tat.Add(interval)
	return sendAt, now
}

// Throttled slows down after a 429: the rate is cut and nothing goes out before the wait
// the server asked for (a second when it named none).
func (p *Pacer) Throttled(retryAfter time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.throttle++
	p.rate = math.Max(p.target*floorShare, p.rate*cutFactor)
	p.lastCut = now
	if retryAfter <= 0 {
		retryAfter = time.Second
	}
	if until := now.Add(retryAfter); until.After(p.notUntil) {
		p.notUntil = until
	}
	// The burst allowance was spent on requests the server refused: after the wait, start
	// again one request at a time with an empty bucket.
	interval := time.Duration(float64(time.Second) / p.rate)
	p.tat = p.notUntil.Add(time.Duration(p.burst-1) * interval)
}

// recover steps the rate back up after a quiet period (called with mu held).
func (p *Pacer) recover(now time.Time) {
	if p.rate >= p.target || p.lastCut.IsZero() {
		return
	}
	for now.Sub(p.lastCut) >= recoverEvery && p.rate < p.target {
		p.rate = math.Min(p.target, p.rate+p.target*recoverShare)
		p.lastCut = p.lastCut.Add(recoverEvery)
	}
}

// PerMinute is the current pace, lower than the setting after 429s.
func (p *Pacer) PerMinute() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rate * 60
}

// ThrottledCount is how many 429s the pacer was told about.
func (p *Pacer) ThrottledCount() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.throttle
}

// inFlightFor is how many requests to keep in flight: enough to hold the pace over a link
// with up to linkAllowance of round trip (pace × latency), at least a few so one slow
// answer does not stall the rest, and at most 16 so an on-premise server is not swamped.
func inFlightFor(perMinute int) int {
	const linkAllowance = 0.4 // seconds
	n := int(math.Ceil(float64(perMinute) / 60 * linkAllowance))
	return min(max(n, 4), 16)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
