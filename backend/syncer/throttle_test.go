package syncer

import (
	"context"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/simulator/webrootsim"
)

// throttleFixture maps n agreements of one addition each; every third needs a change.
func throttleFixture(t *testing.T, n int) (*fixture, []int) {
	f := newFixture(t)
	var adds []int
	for i := range n {
		agr := f.agreement(nil)
		qty := 11.0
		if i%3 == 0 {
			qty = 10
		}
		add := f.addition(agr, 1, qty, nil)
		f.mapRow(f.site("Site "+itoa(i), webrootsim.EndpointMix{Active: 11}), "endpoint", "active_without_hidden", agr, add, nil, nil)
		adds = append(adds, add)
	}
	return f, adds
}

func TestThrottledCallWaitsOutRetryAfter(t *testing.T) {
	f, adds := throttleFixture(t, 6)
	f.ms.Inject(managesim.Fault{Method: "PATCH", Path: "/finance/agreements/*/additions/" + itoa(adds[0]), Status: 429, RetryAfter: "1"})
	res := f.sync(f.syncer(), RunOptions{})
	if res.Run.Status != StatusSucceeded || res.Run.Counts.Applied != 2 || res.Run.Throttled != 1 {
		t.Fatalf("run %+v", res.Run)
	}
	reqs := f.ms.RequestsTo("PATCH", "/finance/agreements/*/additions/"+itoa(adds[0]))
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].At.Sub(reqs[0].At) < time.Second {
		t.Fatalf("PATCHes of the throttled addition: %d, %v apart", len(reqs), reqs[len(reqs)-1].At.Sub(reqs[0].At))
	}
	// Nothing else was sent while Manage asked to wait.
	for _, r := range f.ms.Requests() {
		if r.At.After(reqs[0].At.Add(50*time.Millisecond)) && r.At.Before(reqs[0].At.Add(time.Second)) {
			t.Errorf("%s %s sent %v after the 429", r.Method, r.Route, r.At.Sub(reqs[0].At))
		}
	}
}

func TestPaceStaysWithinRequestsPerMinute(t *testing.T) {
	f, _ := throttleFixture(t, 24) // 24 reads + 8 PATCHes
	f.ms.SetRateLimit(600, 10)
	if err := SetRequestsPerMinute(context.Background(), f.st, 600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := f.sync(f.syncer(), RunOptions{})
	elapsed := time.Since(start)
	if res.Run.Status != StatusSucceeded || res.Run.Counts.Applied != 8 {
		t.Fatalf("run %+v", res.Run)
	}
	if f.ms.ThrottledCount() != 0 || res.Run.Throttled != 0 {
		t.Fatalf("%d 429s at the server's own limit", f.ms.ThrottledCount())
	}
	// 32 API calls at 10 a second, after a burst of 2: at least 3 s.
	var first, last time.Time
	n := 0
	for _, r := range f.ms.Requests() {
		if strings.HasPrefix(r.Route, "/finance/") {
			if n == 0 {
				first = r.At
			}
			last, n = r.At, n+1
		}
	}
	if n != 32 || last.Sub(first) < 2900*time.Millisecond {
		t.Fatalf("%d calls over %v", n, last.Sub(first))
	}
	t.Logf("%d calls over %v (run %v)", n, last.Sub(first), elapsed)
}

func TestSettingsAreValidatedByField(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := LoadSettings(ctx, f.st)
	if err != nil || s != DefaultSettings() || !s.AutoApply || s.ReviewShare != 20 || s.RequestsPerMinute != 1000 {
		t.Fatalf("defaults %+v %v", s, err)
	}
	err = SaveSettings(ctx, f.st, "admin@msp.example", Settings{AutoApply: false, ReviewShare: -1, RequestsPerMinute: 5})
	if err == nil || !strings.Contains(err.Error(), FieldReviewShare) || !strings.Contains(err.Error(), FieldRequestsPerMinute) {
		t.Fatalf("bad settings: %v", err)
	}
	if s, _ := LoadSettings(ctx, f.st); s != DefaultSettings() {
		t.Fatalf("a refused save changed %+v", s)
	}
	if err := SetRequestsPerMinute(ctx, f.st, 0); err == nil || !strings.HasPrefix(err.Error(), "Requests per minute:") {
		t.Fatalf("rpm 0: %v", err)
	}
	if err := SaveSettings(ctx, f.st, "admin@msp.example", Settings{AutoApply: false, ReviewShare: 35, RequestsPerMinute: 3000}); err != nil {
		t.Fatal(err)
	}
	if s, _ := LoadSettings(ctx, f.st); s.AutoApply || s.ReviewShare != 35 || s.RequestsPerMinute != 3000 {
		t.Fatalf("saved %+v", s)
	}
}
