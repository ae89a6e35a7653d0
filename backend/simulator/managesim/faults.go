package managesim

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Fault makes chosen calls misbehave. A call matches when its method and route match;
// the first matching fault that still has uses left applies, and uses one.
type Fault struct {
	Method string // "" matches any method
	// Path is a path.Match pattern for the route: the part below apis/3.0 such as
	// /finance/agreements/*/additions, or /login/companyinfo/* for the lookup. "" matches any.
	Path  string
	Times int // how many matching calls to affect: 0 means 1, negative means until ClearFaults

	Status      int    // answer with this status; a standard body for it unless Body is set
	Body        string // raw body to send with Status
	ContentType string // for Body; application/json when empty
	RetryAfter  string // Retry-After header value sent with Status (429 or 503)

	Malformed bool          // answer 200 with a truncated JSON body
	Reset     bool          // drop the connection without an answer
	FalseOK   bool          // PATCH of an addition: answer 200 with the unchanged record
	Delay     time.Duration // wait this long first (on top of the latency), then go on
}

type faultState struct {
	Fault
	left int // negative: unlimited
}

// Inject adds a fault. Faults are checked in the order they were added.
func (s *Server) Inject(f Fault) {
	left := f.Times
	if left == 0 {
		left = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{Fault: f, left: left})
}

// FailNext makes the next n calls matching method and route answer with status.
func (s *Server) FailNext(method, routePattern string, n, status int) {
	s.Inject(Fault{Method: method, Path: routePattern, Times: n, Status: status})
}

// ClearFaults removes every fault, including unlimited ones.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(method, route string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !matchRoute(f.Method, f.Path, method, route) {
			continue
		}
		if f.left > 0 {
			f.left--
			if f.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// SetLatency delays every answer by d. The delay is a timer per request, so concurrent
// requests overlap as they would over a slow link.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

func (s *Server) currentLatency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

// SetRateLimit throttles API calls (not companyinfo) with a token bucket that refills
// perMinute tokens a minute and holds at most burst (perMinute/60, at least 1, when burst
// is 0). Calls over the limit get 429 with Retry-After in whole seconds, like the real
// service. perMinute 0 turns throttling off.
func (s *Server) SetRateLimit(perMinute, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if perMinute <= 0 {
		s.bucket = nil
		return
	}
	if burst <= 0 {
		burst = max(1, perMinute/60)
	}
	s.bucket = &tokenBucket{rate: float64(perMinute) / 60, burst: float64(burst),
		tokens: float64(burst), last: s.now()}
}

// SetThrottleHTML makes 429 answers carry an HTML page instead of the JSON body, as a
// Cloudflare front end might (manage-api.md §7.2, unverified).
func (s *Server) SetThrottleHTML(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttleHTML = on
}

type tokenBucket struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

// take spends a token, or says how long until one is available.
func (b *tokenBucket) take(now time.Time) (bool, time.Duration) {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(b.burst, b.tokens+el*b.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// throttle answers 429 when the bucket is empty.
func (s *Server) throttle(w http.ResponseWriter) bool {
	s.mu.Lock()
	b, html := s.bucket, s.throttleHTML
	ok, wait := true, time.Duration(0)
	if b != nil {
		ok, wait = b.take(s.now())
	}
	s.mu.Unlock()
	if ok {
		return false
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	s.throttled.Add(1)
	writeThrottled(w, strconv.Itoa(secs), secs, html)
	return true
}

func writeThrottled(w http.ResponseWriter, retryAfter string, secs int, html bool) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	if html {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("<html><head><title>429 Too Many Requests</title></head>" +
			"<body><h1>Error 1015</h1><p>You are being rate limited.</p></body></html>"))
		return
	}
	// The 429 body uses "error", not "code" (DG "Rate Limiting").
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "ConnectWiseAPI",
		"message": fmt.Sprintf("Too many requests. Please try again in %d seconds.", secs)})
}

// ThrottledCount is how many 429 answers the rate limit (not injected faults) has sent.
func (s *Server) ThrottledCount() int { return int(s.throttled.Load()) }

// applyFault answers for a fault that replaces the normal answer; false means go on.
func (s *Server) applyFault(w http.ResponseWriter, f Fault) bool {
	switch {
	case f.Reset:
		dropConnection(w)
		return true
	case f.Malformed:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`[{"id":1,"name":"trunc`))
		return true
	case f.Status != 0:
		writeFaultStatus(w, f)
		return true
	}
	return false
}

func writeFaultStatus(w http.ResponseWriter, f Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Body != "" {
		ct := f.ContentType
		if ct == "" {
			ct = "application/json; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return
	}
	switch {
	case f.Status == http.StatusTooManyRequests:
		secs, _ := strconv.Atoi(f.RetryAfter)
		writeThrottled(w, "", max(secs, 1), false)
	case f.Status == http.StatusBadGateway || f.Status == http.StatusGatewayTimeout:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte("<html><body><h1>" + http.StatusText(f.Status) + "</h1></body></html>"))
	default:
		(&apiError{status: f.Status, code: http.StatusText(f.Status),
			message: "simulated failure: " + http.StatusText(f.Status)}).write(w)
	}
}

// dropConnection closes the TCP connection without an answer, like a reset.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Hijacking only fails on HTTP/2, which this loopback server does not speak.
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	_ = conn.Close()
}
