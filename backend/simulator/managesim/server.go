package managesim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// APIVersion is the version the simulator reports in api-current-version.
const APIVersion = "2025.8"

// Options configure a simulated site. Zero values get the defaults noted.
type Options struct {
	CompanyID   string // the MSP's company id, as typed on the login screen; "simmsp"
	CompanyName string // "Simulated MSP"
	PublicKey   string // "sim-public-key"
	PrivateKey  string // "sim-private-key"
	// ClientID, when set, is the only clientId accepted; otherwise any non-empty one is.
	ClientID string
	// ClientIDStatus answers a missing or unknown clientId: 401 (default) or 400. The real
	// answer is unverified (manage-api.md §3.1, §9).
	ClientIDStatus int
	Codebase       string // "v4_6_release/", as on-premise; cloud sites answer e.g. "v2025_1/"
	IsCloud        bool
	VersionCode    string // "v2025.1"
	Latency        time.Duration
	RatePerMinute  int // 0: no throttling (see SetRateLimit)
	Burst          int
	Now            func() time.Time
	Logger         *slog.Logger
}

// Server is one simulated Manage site.
type Server struct {
	opts Options
	now  func() time.Time
	log  *slog.Logger

	mu           sync.Mutex // guards everything below
	data         store
	codebase     string
	latency      time.Duration
	denied       map[string]bool
	faults       []*faultState
	bucket       *tokenBucket
	throttleHTML bool

	recMu    sync.Mutex
	requests []Request

	inFlight  atomic.Int64
	peak      atomic.Int64
	throttled atomic.Int64

	srv *http.Server
	url string
}

// New prepares a site; Start serves it.
func New(opts Options) *Server {
	opts.CompanyID = orDefault(opts.CompanyID, "simmsp")
	opts.CompanyName = orDefault(opts.CompanyName, "Simulated MSP")
	opts.PublicKey = orDefault(opts.PublicKey, "sim-public-key")
	opts.PrivateKey = orDefault(opts.PrivateKey, "sim-private-key")
	opts.Codebase = normalizeCodebase(orDefault(opts.Codebase, "v4_6_release/"))
	opts.VersionCode = orDefault(opts.VersionCode, "v2025.1")
	if opts.ClientIDStatus == 0 {
		opts.ClientIDStatus = http.StatusUnauthorized
	}
	s := &Server{opts: opts, now: opts.Now, log: opts.Logger, data: newStore(),
		codebase: opts.Codebase, latency: opts.Latency, denied: map[string]bool{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.SetRateLimit(opts.RatePerMinute, opts.Burst)
	return s
}

// Options returns the effective options, with defaults filled in (credentials included, for
// tests and the demo).
func (s *Server) Options() Options { return s.opts }

// Start serves the site on a free 127.0.0.1 port and returns its URL, e.g.
// http://127.0.0.1:41234. It is the value to use as the client's Site.
func (s *Server) Start() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("starting the Manage simulator: %w", err)
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String()
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("manage simulator stopped", "err", err)
		}
	}()
	return s.url, nil
}

// URL is the address Start returned.
func (s *Server) URL() string { return s.url }

// APIBase is the API root for the current codebase, e.g. http://127.0.0.1:41234/v4_6_release/apis/3.0.
func (s *Server) APIBase() string { return s.url + "/" + s.Codebase() + "apis/3.0" }

// Close stops serving and drops open connections.
func (s *Server) Close() {
	if s.srv != nil {
		_ = s.srv.Close()
	}
}

// Codebase is the codebase companyinfo currently reports, e.g. "v4_6_release/".
func (s *Server) Codebase() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.codebase
}

// SetCodebase switches the codebase, as a Manage upgrade does: API calls under the old one
// get 404 "Cannot route" and companyinfo reports the new one.
func (s *Server) SetCodebase(codebase string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codebase = normalizeCodebase(codebase)
}

func normalizeCodebase(cb string) string {
	return strings.Trim(cb, "/") + "/"
}

type routeKind int

const (
	routeUnknown routeKind = iota
	routeCompanyInfo
	routeAPI
)

// splitPath finds the route: the companyinfo path, or the API path below {codebase}apis/3.0.
func splitPath(p string) (route, codebase string, kind routeKind) {
	if strings.HasPrefix(p, "/login/companyinfo/") {
		return p, "", routeCompanyInfo
	}
	if i := strings.Index(p, "/apis/3.0"); i >= 0 {
		rest := p[i+len("/apis/3.0"):]
		if rest == "" || rest[0] == '/' {
			return rest, strings.TrimPrefix(p[:i], "/") + "/", routeAPI
		}
	}
	return p, "", routeUnknown
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return // the client went away mid-request
	}
	route, codebase, kind := splitPath(r.URL.Path)
	idx := s.record(r, route, body)
	rec := &statusRecorder{ResponseWriter: w, onStatus: func(c int) { s.setStatus(idx, c) }}
	h := rec.Header()
	h.Set("x-cw-request-id", newRequestID())
	h.Set("api-current-version", APIVersion)
	h.Set("x-server-name", "managesim")

	f, faulty := s.takeFault(r.Method, route)
	if !sleepCtx(r.Context(), s.currentLatency()+f.Delay) {
		return
	}
	if faulty && f.Reset {
		s.setStatus(idx, -1) // before the drop, so a client that sees it finds it recorded
	}
	if faulty && s.applyFault(rec, f) {
		return
	}
	switch kind {
	case routeCompanyInfo:
		s.companyInfo(rec, r, route)
		return
	case routeUnknown:
		(&apiError{status: http.StatusNotFound, plain: "Cannot route. Codebase/company is invalid"}).write(rec)
		return
	}
	if s.throttle(rec) {
		return
	}
	if e := s.checkRoute(codebase); e != nil {
		e.write(rec)
		return
	}
	if e := s.checkClient(r); e != nil {
		e.write(rec)
		return
	}
	if e := s.checkAuth(r); e != nil {
		e.write(rec)
		return
	}
	if e := s.serveAPI(rec, r, route, body, faulty && f.FalseOK); e != nil {
		e.write(rec)
	}
}

func (s *Server) checkRoute(codebase string) *apiError {
	if !strings.EqualFold(codebase, s.Codebase()) {
		// Seen as plain text for a wrong codebase (RationallyPrime/connectwise-etl schema.json).
		return &apiError{status: http.StatusNotFound, plain: "Cannot route. Codebase/company is invalid"}
	}
	return nil
}

// companyInfo answers GET /login/companyinfo/{id} without authentication; an unknown company
// gets a 200 with the body null.
func (s *Server) companyInfo(w http.ResponseWriter, r *http.Request, route string) {
	if r.Method != http.MethodGet {
		(&apiError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed",
			message: "Only GET is allowed"}).write(w)
		return
	}
	id := strings.TrimPrefix(route, "/login/companyinfo/")
	if !strings.EqualFold(id, s.opts.CompanyID) {
		writeJSON(w, http.StatusOK, nil)
		return
	}
	isCloud := "False"
	if s.opts.IsCloud {
		isCloud = "True"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"CompanyName":   s.opts.CompanyName,
		"Codebase":      s.Codebase(),
		"VersionCode":   s.opts.VersionCode,
		"VersionNumber": "v4.6." + strings.ReplaceAll(strings.TrimPrefix(s.opts.VersionCode, "v"), ".", ""),
		"CompanyID":     s.opts.CompanyID,
		"IsCloud":       isCloud,
	})
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// newRequestID makes a GUID like the x-cw-request-id header's.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
