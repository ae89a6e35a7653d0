package webrootsim

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Credentials of a fresh simulator, unless Options say otherwise. The demo signs in with them.
const (
	DefaultClientID     = "client_7Q2M9XKD@bluewave-it.example"
	DefaultClientSecret = "sim-client-secret-5f1c9a7e"
	DefaultUsername     = "billing@bluewave-it.example"
	DefaultPassword     = "Sim-Admin-Password-42!"
	DefaultGSMKey       = "1C86-7AFC-FDFF-4562-AB91"
)

// AllScopes are the scopes a console user may be granted (§2.2). Notifications are not
// granted by default.
var AllScopes = []string{"Console.GSM", "SkyStatus.GSM", "SkyStatus.Site", "SkyStatus.Reporting", "SkyStatus.Usage"}

// Rotation chooses what a refresh grant does with refresh tokens; the Guide's wording is
// unverified (§2.4).
type Rotation int

const (
	// RotateInvalidate issues a new refresh token and invalidates the old one (default).
	RotateInvalidate Rotation = iota
	// RotateKeepOld issues a new refresh token and leaves the old one valid.
	RotateKeepOld
	// NoNewRefreshToken answers a refresh grant without a refresh_token.
	NoNewRefreshToken
)

// TypeFilter chooses how the endpoint list honours type= (unverified, §3.4).
type TypeFilter int

const (
	// FilterHonoured filters the items and TotalAvailable (default).
	FilterHonoured TypeFilter = iota
	// FilterIgnored ignores type=: every endpoint is listed and counted.
	FilterIgnored
	// FilterTotalUnfiltered filters the items but TotalAvailable counts every endpoint.
	FilterTotalUnfiltered
)

// TooRecent chooses the answer to an effectiveDate of yesterday or later (unverified, §4).
type TooRecent int

const (
	// TooRecentRejected answers 400 (default).
	TooRecentRejected TooRecent = iota
	// TooRecentEmpty answers 200 with no sites.
	TooRecentEmpty
	// TooRecentLatest answers with the latest report and its own EffectiveDate.
	TooRecentLatest
)

// Options configure a simulator. Zero values give the defaults in brackets.
type Options struct {
	ClientID, ClientSecret string // [DefaultClientID, DefaultClientSecret]
	Username, Password     string // [DefaultUsername, DefaultPassword]
	GSMKey                 string // [DefaultGSMKey]
	// AllowedScopes are the scopes the user may be granted [AllScopes].
	AllowedScopes []string
	// AccessTokenTTL [5 min] and RefreshTokenTTL [14 days] (§2.4).
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration
	// Now is the simulator's clock [time.Now]; share a fake with the client to move time.
	Now func() time.Time
	// Seed makes generated ids and SeedDemo reproducible [1].
	Seed uint64
	// Logger receives one line per request [discard].
	Logger *slog.Logger

	// Behaviours the reference leaves unverified:
	Rotation Rotation
	// NestedTokenErrors encodes token errors inside error_description (§2.5).
	NestedTokenErrors bool
	// ClientErrorStatus is the status for bad client credentials [400]; 401 is the RFC 6749 choice.
	ClientErrorStatus int
	// UnknownKeyStatus is the status for an unknown GSM key [404]; 400 is the alternative (§6).
	UnknownKeyStatus int
	// LowercaseTokenType sends "bearer" instead of "Bearer" (§2.3).
	LowercaseTokenType bool
	// ScopeAsSpaceList sends "scope" as a space-separated string, not a JSON-array string.
	ScopeAsSpaceList bool
	EndpointFilter   TypeFilter
	// MaxPageSize caps the endpoint list's pageSize [1000]; the response reports the used size.
	MaxPageSize  int
	TooRecentDay TooRecent
	// RequireUserAgent rejects requests without a name/version User-Agent (§1).
	RequireUserAgent bool
}

// Server is the simulated Unity API. All methods are safe for concurrent use.
type Server struct {
	opts Options
	log  *slog.Logger

	mu        sync.Mutex
	rng       *rand.Rand
	console   Console
	reportKey string
	sites     []*site
	byID      map[string]*site
	tokens    tokenState
	knobs     knobs
	requests  []Request
	seq       uint64

	ln  net.Listener
	srv *http.Server
	url string
}

// New returns a simulator with an empty console (see SetConsole, AddSite and SeedDemo).
func New(opts Options) *Server {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&opts.ClientID, DefaultClientID)
	def(&opts.ClientSecret, DefaultClientSecret)
	def(&opts.Username, DefaultUsername)
	def(&opts.Password, DefaultPassword)
	def(&opts.GSMKey, DefaultGSMKey)
	if opts.AllowedScopes == nil {
		opts.AllowedScopes = AllScopes
	}
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = 5 * time.Minute
	}
	if opts.RefreshTokenTTL <= 0 {
		opts.RefreshTokenTTL = 14 * 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.ClientErrorStatus == 0 {
		opts.ClientErrorStatus = http.StatusBadRequest
	}
	if opts.UnknownKeyStatus == 0 {
		opts.UnknownKeyStatus = http.StatusNotFound
	}
	if opts.MaxPageSize <= 0 {
		opts.MaxPageSize = 1000
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{opts: opts, log: opts.Logger, byID: map[string]*site{}}
	s.rng = rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	now := opts.Now().UTC()
	s.console = Console{Name: "GSM Console", CreatedDate: now.AddDate(-3, 0, 0), EndDate: now.AddDate(1, 0, 0),
		LicenseType: "Full", TotalSeatsAllowed: 100, CompanyEmail: "ops@msp.example"}
	s.reportKey = s.randomKey()
	s.tokens = newTokenState(opts)
	return s
}

// Start serves on 127.0.0.1 on a free port and returns the base URL (http://127.0.0.1:port).
func (s *Server) Start() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("webrootsim: listening on loopback: %w", err)
	}
	s.mu.Lock()
	s.ln = ln
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String()
	srv := s.srv
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("webrootsim stopped", "error", err)
		}
	}()
	return s.url, nil
}

// URL is the base URL after Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops serving and drops open connections.
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Close()
}

// Handler is the simulator as an http.Handler, e.g. behind httptest.NewTLSServer.
func (s *Server) Handler() http.Handler { return s }

// ServeHTTP records the request, applies latency and injected faults, then answers as
// the Unity API would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	grant := ""
	if r.URL.Path == tokenPath && r.Method == http.MethodPost {
		_ = r.ParseForm()
		grant = r.PostForm.Get("grant_type")
	}
	// Recorded on arrival, so a test sees the request even when the client has already
	// moved on (a dropped connection); the status is filled in when the answer is done.
	seq := s.begin(r, grant)
	defer func() { s.finish(seq, rec.status) }()

	if d := s.latency(); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			rec.status = 499 // client went away, as nginx logs it
			return
		}
	}
	if s.injectFault(rec, r) {
		return
	}
	if s.opts.RequireUserAgent && !validUserAgent(r.UserAgent()) {
		s.writeEnvelope(rec, http.StatusBadRequest, "", "The User-Agent header must contain one or more name/version pairs.")
		return
	}
	switch {
	case r.URL.Path == tokenPath:
		s.handleToken(rec, r)
	case strings.HasPrefix(r.URL.Path, "/service/api/health/"):
		s.handleHealth(rec, r)
	case strings.HasPrefix(r.URL.Path, "/service/api/"):
		s.handleAPI(rec, r)
	default:
		s.writeEnvelope(rec, http.StatusNotFound, "", "No HTTP resource was found that matches the request URI.")
	}
}

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// validUserAgent: one or more name/version pairs separated by whitespace (§1).
func validUserAgent(ua string) bool {
	parts := strings.Fields(ua)
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		name, version, ok := strings.Cut(p, "/")
		if !ok || name == "" || version == "" {
			return false
		}
	}
	return true
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (a fault may drop it).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
