package webrootsim

import (
	"net/http"
	"strings"
	"time"
)

// Fault makes matching requests fail before the API sees them, as a gateway would.
type Fault struct {
	// Method matches the HTTP method; "" matches any.
	Method string
	// Path matches requests whose path starts with it; "" matches any. For the token
	// endpoint use "/auth/token"; for reports "/service/api/status/reporting".
	Path string
	// Match, when set, must also accept the request.
	Match func(*http.Request) bool
	// Status is the status to answer with (429, 500, 503…).
	Status int
	// RetryAfter is sent as the Retry-After header when not empty.
	RetryAfter string
	// Body replaces the error envelope (e.g. malformed JSON); sent with Status, or 200.
	Body string
	// Drop closes the connection without an answer (a network error).
	Drop bool
	// Times is how many requests the fault hits; 0 means until ClearFaults.
	Times int

	used int
}

// knobs are the runtime fault switches.
type knobs struct {
	latency     time.Duration
	faults      []*Fault
	echoSecrets bool
	omitSite    map[string]map[string]bool // reportType → site id → omitted
	omitCount   map[string]map[string]bool // reportType → site id → count field omitted
}

// SetLatency delays every answer by d (0 turns it off).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knobs.latency = d
}

func (s *Server) latency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.knobs.latency
}

// AddFault injects a fault; faults are tried in the order added.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knobs.faults = append(s.knobs.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knobs.faults = nil
}

// Throttle answers the next times requests under path with 429 and the given
// Retry-After header value ("" for none, as Webroot documents none).
func (s *Server) Throttle(path string, times int, retryAfter string) {
	s.AddFault(Fault{Path: path, Status: http.StatusTooManyRequests, RetryAfter: retryAfter, Times: times})
}

// FailNext answers the next times requests under path with status (e.g. 500, 503).
func (s *Server) FailNext(path string, status, times int) {
	s.AddFault(Fault{Path: path, Status: status, Times: times})
}

// injectFault answers with the first matching fault; false when none matched. Match
// functions run outside the lock, so one may block (to simulate a hung request) without
// stalling other requests.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	candidates := append([]*Fault(nil), s.knobs.faults...)
	s.mu.Unlock()
	var hit *Fault
	for _, f := range candidates {
		if (f.Method != "" && !strings.EqualFold(f.Method, r.Method)) || !strings.HasPrefix(r.URL.Path, f.Path) {
			continue
		}
		if f.Match != nil && !f.Match(r) {
			continue
		}
		s.mu.Lock()
		if f.Times == 0 || f.used < f.Times {
			f.used++
			copied := *f
			hit = &copied
		}
		s.mu.Unlock()
		if hit != nil {
			break
		}
	}
	if hit == nil {
		return false
	}
	switch {
	case hit.Drop:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
			return true
		}
		panic(http.ErrAbortHandler) // HTTP/2 or a test recorder: abort the stream instead
	case hit.Body != "":
		status := hit.Status
		if status == 0 {
			status = http.StatusOK
		}
		if hit.RetryAfter != "" {
			w.Header().Set("Retry-After", hit.RetryAfter)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(hit.Body))
	default:
		if hit.RetryAfter != "" {
			w.Header().Set("Retry-After", hit.RetryAfter)
		}
		desc := "An error has occurred."
		if hit.Status == http.StatusTooManyRequests {
			desc = "Too many requests. Please retry later."
		}
		s.writeEnvelope(w, hit.Status, "", desc)
	}
	return true
}

// EchoSecretsInErrors makes error descriptions quote the token or password presented, as a
// careless server might, to prove the client never repeats them.
func (s *Server) EchoSecretsInErrors(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knobs.echoSecrets = on
}

// OmitFromReport leaves a site out of a report type's answer (§4: a site missing from a
// report counts 0 and must be flagged).
func (s *Server) OmitFromReport(siteID, reportType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	setFlag(&s.knobs.omitSite, reportType, siteID)
}

// OmitCountField sends a site's report row without its count field (§7).
func (s *Server) OmitCountField(siteID, reportType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	setFlag(&s.knobs.omitCount, reportType, siteID)
}

func setFlag(m *map[string]map[string]bool, reportType, siteID string) {
	if *m == nil {
		*m = map[string]map[string]bool{}
	}
	if (*m)[reportType] == nil {
		(*m)[reportType] = map[string]bool{}
	}
	(*m)[reportType][strings.ToLower(siteID)] = true
}
