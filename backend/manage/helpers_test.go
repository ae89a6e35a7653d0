package manage

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/logbuf"
	"cwm-webroot/backend/simulator/managesim"
)

const (
	testClientID   = "3f2c9a4e-8b1d-4c7e-9f0a-2b6d5e8c1a7f"
	testPublicKey  = "pUbL1cKeyAbCdEf1"
	testPrivateKey = "fake-test-private-key-987"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// fakeClock lets retries "sleep" instantly while time moves on, and records each wait.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer = logbuf.Buffer

type env struct {
	sim    *managesim.Server
	c      *Client
	clock  *fakeClock
	logs   *syncBuffer
	cfg    Config
	agrID  int
	addID  int
	prodID int
}

// newEnv starts a simulator seeded with a small dataset and a client for it with instant
// retries. tweak adjusts the client's Config before it is made.
func newEnv(t *testing.T, so managesim.Options, tweak func(*Config)) *env {
	t.Helper()
	so.PublicKey, so.PrivateKey = testPublicKey, testPrivateKey
	if so.CompanyID == "" {
		so.CompanyID = "acme"
	}
	sim := managesim.New(so)
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	e := &env{sim: sim, clock: &fakeClock{now: t0}, logs: &syncBuffer{}}
	e.seed()
	e.cfg = Config{
		Site: url, CompanyID: so.CompanyID, PublicKey: testPublicKey, PrivateKey: testPrivateKey,
		ClientID: testClientID, MaxRetries: 3, RetryBaseDelay: 10 * time.Millisecond,
		RetryMaxDelay: 80 * time.Millisecond, Now: e.clock.Now, Sleep: e.clock.Sleep,
		Jitter: func() float64 { return 0 },
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if tweak != nil {
		tweak(&e.cfg)
	}
	e.c, err = New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) seed() {
	s := e.sim
	e.prodID = s.AddCatalogItem(managesim.CatalogItem{ID: 752, Identifier: "WEBROOT-EP",
		Description: "Webroot Endpoint Protection", Price: 3.5, Cost: 1.2, Recurring: true}).ID
	s.AddCatalogItem(managesim.CatalogItem{ID: 753, Identifier: "WEBROOT-DNS", Description: "Webroot DNS", Price: 1.5})
	s.AddCatalogItem(managesim.CatalogItem{ID: 754, Identifier: "WEBROOT-OLD", Inactive: true})
	s.AddCatalogItem(managesim.CatalogItem{ID: 755, Identifier: "M365-BP", Description: "Microsoft 365"})
	s.AddCompany(managesim.Company{ID: 5, Identifier: "AcmeCorp", Name: "Acme Corporation"})
	s.AddCompany(managesim.Company{ID: 6, Identifier: "OBrien", Name: `O"Brien \ Sons`})
	s.AddCompany(managesim.Company{ID: 7, Identifier: "Pat", Name: "Pat's Bakery"})
	s.AddCompany(managesim.Company{ID: 8, Identifier: "AcmeOld", Name: "Acme Corporation", Deleted: true})
	e.agrID = s.AddAgreement(managesim.Agreement{ID: 871, Name: "Managed Services", Type: "Managed Services",
		CompanyID: 5, StartDate: t0.AddDate(-1, 0, 0), NoEndingDate: true, Status: "Active"}).ID
	s.AddAgreement(managesim.Agreement{ID: 872, Name: "Old", CompanyID: 5, Cancelled: true, Status: "Cancelled",
		DateCancelled: t0.AddDate(0, -2, 0)})
	s.AddAgreement(managesim.Agreement{ID: 873, Name: "Annex", CompanyID: 5, ParentID: 871, NoEndingDate: true, Status: "Active"})
	e.addID = s.AddAddition(managesim.Addition{ID: 3589, AgreementID: 871, ProductID: 752, Quantity: 42,
		LessIncluded: managesim.Float(0), UnitPrice: 3.5, UnitCost: 1.2, EffectiveDate: t0.AddDate(0, -6, 0)}).ID
	s.AddAddition(managesim.Addition{ID: 3590, AgreementID: 871, ProductID: 753, Quantity: 40})
	s.AddAddition(managesim.Addition{ID: 3591, AgreementID: 871, ProductID: 752, Quantity: 3, CancelledDate: t0.AddDate(0, -1, 0)})
	s.AddAddition(managesim.Addition{ID: 3592, AgreementID: 871, ProductID: 755, Quantity: 8, CancelledDate: t0.AddDate(0, 1, 0)})
	s.AddAddition(managesim.Addition{ID: 3593, AgreementID: 873, ProductID: 752, Quantity: 9})
}

// kindOf fails the test unless err is a *Error of the kind, and returns it.
func wantKind(t *testing.T, err error, k Kind) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", k)
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("got %T %v, want *Error %s", err, err, k)
	}
	if e.Kind != k {
		t.Fatalf("got kind %s (%v), want %s", e.Kind, err, k)
	}
	return e
}

// fakeSite serves companyinfo for company "acme" with codebase v4_6_release/ and passes API
// calls (below /v4_6_release/apis/3.0) to api; for behaviours the simulator does not offer.
func fakeSite(t *testing.T, api http.HandlerFunc) (*httptest.Server, Config) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/login/companyinfo/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"CompanyName":"Acme","Codebase":"v4_6_release/","VersionCode":"v2025.1","CompanyID":"acme","IsCloud":"False"}`))
	})
	mux.Handle("/v4_6_release/apis/3.0/", http.StripPrefix("/v4_6_release/apis/3.0", api))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	clock := &fakeClock{now: t0}
	return srv, Config{Site: srv.URL, CompanyID: "acme", PublicKey: testPublicKey, PrivateKey: testPrivateKey,
		ClientID: testClientID, MaxRetries: 2, Now: clock.Now, Sleep: clock.Sleep}
}

func mustNew(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func simOpts() managesim.Options { return managesim.Options{} }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}
