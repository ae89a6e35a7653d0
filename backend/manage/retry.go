package manage

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryPolicy is how hard one call tries. Background work uses the Config's values; the
// connection test uses interactivePolicy so a user is not kept waiting (DG "Retry Policy":
// interactive calls 2–3 tries, 50–100 ms base, 2–5 s cap).
type retryPolicy struct {
	maxRetries    int
	base          time.Duration
	cap           time.Duration
	maxRetryAfter time.Duration // a longer Retry-After ends the call with KindThrottled
}

var interactivePolicy = retryPolicy{maxRetries: 2, base: 100 * time.Millisecond, cap: 2 * time.Second,
	maxRetryAfter: 5 * time.Second}

type policyKey struct{}

func withPolicy(ctx context.Context, p retryPolicy) context.Context {
	return context.WithValue(ctx, policyKey{}, p)
}

func (c *Client) policy(ctx context.Context) retryPolicy {
	if p, ok := ctx.Value(policyKey{}).(retryPolicy); ok {
		return p
	}
	return retryPolicy{maxRetries: c.cfg.MaxRetries, base: c.cfg.RetryBaseDelay, cap: c.cfg.RetryMaxDelay,
		maxRetryAfter: c.cfg.MaxRetryAfter}
}

// backoff is the wait before retry number n (1-based): exponential from base, capped, with
// "equal jitter" (half fixed, half random) so parallel callers spread out but never retry
// immediately.
func (c *Client) backoff(p retryPolicy, n int, base time.Duration) time.Duration {
	if base <= 0 {
		base = p.base
	}
	d := float64(base) * math.Pow(2, float64(n-1))
	d = math.Min(d, float64(max(p.cap, base)))
	return time.Duration(d/2 + c.cfg.Jitter()*d/2)
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
