package webroot_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/logbuf"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

// fakeClock is shared by the client and the simulator, so tests move time for both.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sleeper records retry waits instead of sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer = logbuf.Buffer

type env struct {
	t      *testing.T
	sim    *webrootsim.Server
	url    string
	clock  *fakeClock
	store  *webroot.MemoryTokenStore
	sleep  *sleeper
	logs   *syncBuffer
	cfg    webroot.Config
	client *webroot.Client
}

// newEnv starts a simulator and a client wired to it with a fake clock, a recording
// sleeper and a debug-level log buffer. mutate may adjust the client config.
func newEnv(t *testing.T, opts webrootsim.Options, mutate ...func(*webroot.Config)) *env {
	t.Helper()
	e := &env{t: t, clock: newClock(), store: webroot.NewMemoryTokenStore(""), sleep: &sleeper{}, logs: &syncBuffer{}}
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	e.sim = webrootsim.New(opts)
	url, err := e.sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.sim.Close() })
	e.url = url
	e.cfg = webroot.Config{
		Site:         url,
		ClientID:     webrootsim.DefaultClientID,
		ClientSecret: webrootsim.DefaultClientSecret,
		GSMKey:       webrootsim.DefaultGSMKey,
		Username:     webrootsim.DefaultUsername,
		Password:     webrootsim.DefaultPassword,
		Version:      "1.2.3",
		Now:          e.clock.Now,
		Sleep:        e.sleep.Sleep,
		Jitter:       func() float64 { return 0.5 },
		Tokens:       e.store,
		Logger:       slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, m := range mutate {
		m(&e.cfg)
	}
	e.client = e.newClient()
	return e
}

func (e *env) newClient() *webroot.Client {
	e.t.Helper()
	c, err := webroot.New(e.cfg)
	if err != nil {
		e.t.Fatalf("New: %v", err)
	}
	return c
}

// small is hand-built data whose counts the tests know independently of the simulator.
type small struct {
	acme, globex, initech string
}

// Expected counts for small (see webrootsim.EndpointMix and SeenMix for the formulas).
var smallWant = map[string]map[webroot.Basis]int{
	"acme": {
		webroot.BasisActiveWithoutHidden: 23, webroot.BasisActive: 25, webroot.BasisSeen30d: 24, webroot.BasisNotDeactivated: 26,
		webroot.BasisDevicesSeen: 15, webroot.BasisDevicesSeen30d: 19, webroot.BasisUsersSeen: 9, webroot.BasisUsersSeen30d: 12,
	},
	"globex": {
		webroot.BasisActiveWithoutHidden: 5, webroot.BasisActive: 5, webroot.BasisSeen30d: 6, webroot.BasisNotDeactivated: 5,
		webroot.BasisDevicesSeen: 3, webroot.BasisDevicesSeen30d: 3,
	},
	"initech": {
		webroot.BasisActiveWithoutHidden: 12, webroot.BasisActive: 12, webroot.BasisSeen30d: 12, webroot.BasisNotDeactivated: 12,
	},
}

func (e *env) seedSmall() small {
	e.t.Helper()
	s := e.sim
	s.SetConsole(webrootsim.Console{Name: "Test MSP GSM", LicenseType: "Full", TotalSeatsAllowed: 800,
		CreatedDate: e.clock.Now().AddDate(-1, 0, 0), EndDate: e.clock.Now().AddDate(1, 0, 0)})
	acme := s.AddSite(webrootsim.Site{Name: "Acme Corp", DevicesAllowed: 30, Comments: "Main office"})
	globex := s.AddSite(webrootsim.Site{Name: "Globex Inc.", DevicesAllowed: 10, BillingCycle: "Monthly", BillingDate: "1"})
	initech := s.AddSite(webrootsim.Site{Name: "Initech", DevicesAllowed: 10, Suspended: true, Comments: "cwm-id=4242"})
	must(e.t, s.AddEndpointMix(acme.ID, webrootsim.EndpointMix{Active: 20, Hidden: 2, Stale: 3, RecentlyDeactivated: 2, LongDeactivated: 1, New: 1}))
	must(e.t, s.AddDNSMix(acme.ID, webrootsim.SeenMix{Today: 15, ThisMonth: 4, Stale: 2, New: 1}))
	must(e.t, s.AddWSATMix(acme.ID, webrootsim.SeenMix{Today: 9, ThisMonth: 3, Stale: 1}))
	must(e.t, s.AddEndpointMix(globex.ID, webrootsim.EndpointMix{Active: 5, RecentlyDeactivated: 1, LongDeactivated: 4}))
	must(e.t, s.AddDNSMix(globex.ID, webrootsim.SeenMix{Today: 3}))
	must(e.t, s.AddEndpointMix(initech.ID, webrootsim.EndpointMix{Active: 12}))
	return small{acme: acme.ID, globex: globex.ID, initech: initech.ID}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func kindOf(t *testing.T, err error, want webroot.Kind) *webroot.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want a %s error, got nil", want)
	}
	var e *webroot.Error
	if !asError(err, &e) {
		t.Fatalf("want *webroot.Error, got %T: %v", err, err)
	}
	if e.Kind != want {
		t.Fatalf("kind = %s, want %s (%v)", e.Kind, want, err)
	}
	if msg := e.UserMessage(); strings.TrimSpace(msg) == "" {
		t.Fatalf("empty user message for %v", err)
	}
	return e
}

func asError(err error, target **webroot.Error) bool { return errors.As(err, target) }

// consoleCall is the cheapest authenticated call.
func (e *env) consoleCall() error {
	_, err := e.client.Console(context.Background())
	return err
}
