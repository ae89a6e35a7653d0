package manage

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/managesim"
)

func TestKeysRejectedNoRetry(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.PrivateKey = "fake-wrong-private-key-1" })
	_, err := e.c.ListAgreements(ctx(t), Query{})
	ke := wantKind(t, err, KindKeysRejected)
	if ke.Status != 401 || !strings.Contains(ke.UserMessage(), "rejected the API keys") {
		t.Errorf("error %+v: %s", ke, ke.UserMessage())
	}
	if n := e.sim.CountRequests("GET", "/finance/agreements"); n != 1 {
		t.Errorf("401 sent %d times", n)
	}
}

func TestClientIDRejected(t *testing.T) {
	for _, status := range []int{401, 400} {
		e := newEnv(t, managesim.Options{ClientID: "11111111-2222-3333-4444-555555555555", ClientIDStatus: status}, nil)
		_, err := e.c.ListCompanies(ctx(t), Query{})
		ce := wantKind(t, err, KindClientIDRejected)
		if ce.Status != status || !strings.Contains(ce.UserMessage(), "Client ID") {
			t.Errorf("%d: %+v", status, ce)
		}
		if n := e.sim.CountRequests("GET", "/company/companies"); n != 1 {
			t.Errorf("%d sent %d times", status, n)
		}
	}
}

func TestPermissionDenied(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.Deny(managesim.ModuleAgreements, managesim.LevelInquire)
	_, err := e.c.ListAgreements(ctx(t), Query{})
	pe := wantKind(t, err, KindPermissionDenied)
	if pe.Permission != "Finance → Agreements" || pe.Level != "Inquire" {
		t.Errorf("permission %q level %q", pe.Permission, pe.Level)
	}
	if msg := pe.UserMessage(); !strings.Contains(msg, "Finance → Agreements (Inquire level)") || !strings.Contains(msg, "Security Roles") {
		t.Errorf("message %q", msg)
	}
	e.sim.Allow(managesim.ModuleAgreements)
	e.sim.Deny(managesim.ModuleAgreements, managesim.LevelEdit)
	_, err = e.c.UpdateAdditionQuantity(ctx(t), 871, 3589, 1, nil)
	if pe := wantKind(t, err, KindPermissionDenied); pe.Level != "Edit" {
		t.Errorf("level %q", pe.Level)
	}
	e.sim.Deny(managesim.ModuleCompanies)
	_, err = e.c.ListCompanies(ctx(t), Query{})
	if pe := wantKind(t, err, KindPermissionDenied); pe.Permission != "Companies → Company Maintenance" {
		t.Errorf("permission %q", pe.Permission)
	}
	for _, route := range []string{"/finance/agreements", "/finance/agreements/*/additions/*", "/company/companies"} {
		if n := e.sim.CountRequests("", route); n != 1 {
			t.Errorf("%s: 403 sent %d times", route, n)
		}
	}
}

// After an upgrade the codebase changes: the old path answers 404, the client looks the
// codebase up again and retries once.
func TestCodebaseChangeRelookup(t *testing.T) {
	e := newEnv(t, managesim.Options{Codebase: "v2025_1/"}, nil)
	if _, err := e.c.GetAddition(ctx(t), 871, 3589); err != nil {
		t.Fatal(err)
	}
	e.sim.SetCodebase("v2025_2/")
	a, err := e.c.GetAddition(ctx(t), 871, 3589)
	if err != nil || a.ID != 3589 {
		t.Fatalf("after the change: %+v %v", a, err)
	}
	var seq []string
	for _, r := range e.sim.Requests() {
		seq = append(seq, r.Path)
	}
	want := []string{"/login/companyinfo/acme", "/v2025_1/apis/3.0/finance/agreements/871/additions/3589",
		"/v2025_1/apis/3.0/finance/agreements/871/additions/3589", "/login/companyinfo/acme",
		"/v2025_2/apis/3.0/finance/agreements/871/additions/3589"}
	if strings.Join(seq, " ") != strings.Join(want, " ") {
		t.Errorf("requests\n%v\nwant\n%v", seq, want)
	}
	if base, _ := e.c.APIBase(ctx(t)); !strings.HasSuffix(base, "/v2025_2/apis/3.0") {
		t.Errorf("base %s", base)
	}
	if s := e.c.Stats(); s.CodebaseLookups != 2 {
		t.Errorf("stats %+v", s)
	}
}

// A record that is really gone: one re-lookup finds the same codebase, so NotFound; a second
// miss soon after does not look up again.
func TestNotFoundAfterRelookup(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	_, err := e.c.GetAddition(ctx(t), 871, 999)
	nf := wantKind(t, err, KindNotFound)
	if nf.Status != 404 || !strings.Contains(nf.UserMessage(), "could not find") {
		t.Errorf("%+v", nf)
	}
	_, err = e.c.GetAddition(ctx(t), 871, 998)
	wantKind(t, err, KindNotFound)
	if n := e.sim.CountRequests("GET", "/login/companyinfo/*"); n != 2 {
		t.Errorf("%d companyinfo calls, want 2 (first use and one re-lookup)", n)
	}
	// After the interval a 404 is checked again.
	e.clock.Sleep(context.Background(), 16*time.Second)
	_, err = e.c.GetAddition(ctx(t), 871, 997)
	wantKind(t, err, KindNotFound)
	if n := e.sim.CountRequests("GET", "/login/companyinfo/*"); n != 3 {
		t.Errorf("%d companyinfo calls, want 3", n)
	}
}

// companyinfo broken (404 HTML): the default codebase stands in; a site on another codebase
// answers "Cannot route", which forces a fresh lookup.
func TestCompanyInfoFallback(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.Inject(managesim.Fault{Path: "/login/companyinfo/*", Status: 404, Body: "<html>Not here</html>", ContentType: "text/html"})
	if _, err := e.c.ListCompanies(ctx(t), Query{}); err != nil {
		t.Fatalf("with the default codebase: %v", err)
	}
	if !strings.Contains(e.logs.String(), "assuming the default codebase") {
		t.Error("fallback not logged")
	}

	cloud := newEnv(t, managesim.Options{Codebase: "v2025_1/"}, nil)
	cloud.sim.Inject(managesim.Fault{Path: "/login/companyinfo/*", Times: 4, Status: 503})
	got, err := cloud.c.ListCompanies(ctx(t), Query{})
	if err != nil || len(got) != 4 {
		t.Fatalf("cloud fallback: %d %v", len(got), err)
	}
	var seq []string
	for _, r := range cloud.sim.Requests() {
		seq = append(seq, r.Path)
	}
	if len(seq) != 7 || seq[4] != "/v4_6_release/apis/3.0/company/companies" || seq[6] != "/v2025_1/apis/3.0/company/companies" {
		t.Errorf("sequence %v", seq)
	}
}

func TestThrottledRetryAfterSeconds(t *testing.T) {
	p := &countingPacer{}
	e := newEnv(t, simOpts(), func(c *Config) { c.Pacer = p })
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: "2"})
	if _, err := e.c.ListAgreements(ctx(t), Query{}); err != nil {
		t.Fatal(err)
	}
	if s := e.clock.Sleeps(); len(s) != 1 || s[0] != 2*time.Second {
		t.Errorf("sleeps %v, want [2s]", s)
	}
	st := e.c.Stats()
	if st.Throttled != 1 || st.Retries != 1 || st.Requests != 3 {
		t.Errorf("stats %+v", st)
	}
	if p.waits() != 3 || len(p.throttled) != 1 || p.throttled[0] != 2*time.Second {
		t.Errorf("pacer: %d waits, throttled %v", p.waits(), p.throttled)
	}
}

func TestThrottledRetryAfterDate(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	when := t0.Add(3 * time.Second).Format(http.TimeFormat)
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: when})
	if _, err := e.c.ListAgreements(ctx(t), Query{}); err != nil {
		t.Fatal(err)
	}
	if s := e.clock.Sleeps(); len(s) != 1 || s[0] != 3*time.Second {
		t.Errorf("sleeps %v, want [3s]", s)
	}
}

// Without Retry-After the wait starts at about a second, and the 429 body ("error", not
// "code", and sometimes HTML) is read.
func TestThrottledWithoutRetryAfter(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.RetryMaxDelay = 10 * time.Second })
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, Times: 2,
		Body: "<html><title>429 Too Many Requests</title></html>", ContentType: "text/html"})
	if _, err := e.c.ListAgreements(ctx(t), Query{}); err != nil {
		t.Fatal(err)
	}
	s := e.clock.Sleeps()
	// From 1 s, doubling, with equal jitter at its minimum: 500 ms, then 1 s.
	if len(s) != 2 || s[0] != 500*time.Millisecond || s[1] != time.Second {
		t.Errorf("sleeps %v, want [500ms 1s]", s)
	}
}

func TestThrottledGivesUp(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: "1", Times: -1})
	_, err := e.c.ListAgreements(ctx(t), Query{})
	te := wantKind(t, err, KindThrottled)
	if te.Code != "ConnectWiseAPI" || te.RetryAfter != time.Second || te.Attempts != 4 {
		t.Errorf("%+v", te)
	}
	if !strings.Contains(te.UserMessage(), "HTTP 429") || !strings.Contains(te.UserMessage(), "Requests per minute") {
		t.Errorf("message %q", te.UserMessage())
	}
	e.sim.ClearFaults()
	// A Retry-After beyond MaxRetryAfter ends the call at once.
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: "600"})
	before := e.sim.CountRequests("GET", "/finance/agreements")
	_, err = e.c.ListAgreements(ctx(t), Query{})
	if te := wantKind(t, err, KindThrottled); te.RetryAfter != 10*time.Minute {
		t.Errorf("RetryAfter %s", te.RetryAfter)
	}
	if n := e.sim.CountRequests("GET", "/finance/agreements") - before; n != 1 {
		t.Errorf("%d requests", n)
	}
}

// A 429 holds back other calls too: the next call waits out the rest of Retry-After.
func TestThrottleGateSharedByCalls(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.MaxRetries = -1 })
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: "5"})
	_, err := e.c.ListAgreements(ctx(t), Query{})
	wantKind(t, err, KindThrottled) // no retries allowed, so the gate stays shut
	if _, err := e.c.ListCompanies(ctx(t), Query{}); err != nil {
		t.Fatal(err)
	}
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: "1"})
	_, _ = e.c.ListAgreements(ctx(t), Query{})
	s := e.clock.Sleeps()
	// The gate only closes when a retry is allowed, so with MaxRetries -1 nothing waits.
	if len(s) != 0 {
		t.Errorf("sleeps %v", s)
	}
	e2 := newEnv(t, simOpts(), nil)
	e2.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: "5"})
	e2.c.closeGate(5 * time.Second) // as the 429's retry would
	if _, err := e2.c.ListCompanies(ctx(t), Query{}); err != nil {
		t.Fatal(err)
	}
	if s := e2.clock.Sleeps(); len(s) != 1 || s[0] != 5*time.Second {
		t.Errorf("gate sleeps %v", s)
	}
	// A caller whose deadline comes before the gate opens fails at once.
	e2.c.closeGate(time.Hour)
	short, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = e2.c.ListCompanies(short, Query{})
	wantKind(t, err, KindThrottled)
}

func TestServerErrorThenSuccess(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.FailNext("GET", "/finance/agreements/871/additions", 2, 500)
	adds, err := e.c.ListAdditions(ctx(t), 871, Query{})
	if err != nil || len(adds) != 4 {
		t.Fatalf("%d %v", len(adds), err)
	}
	if n := e.sim.CountRequests("GET", "/finance/agreements/871/additions"); n != 3 {
		t.Errorf("%d requests", n)
	}
	// Exponential backoff from 10 ms, equal jitter at 0: 5 ms then 10 ms.
	if s := e.clock.Sleeps(); len(s) != 2 || s[0] != 5*time.Millisecond || s[1] != 10*time.Millisecond {
		t.Errorf("sleeps %v", s)
	}
	// 502 with an HTML body, persistently: KindServer after every retry.
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements/871/additions", Status: 502, Times: -1})
	_, err = e.c.ListAdditions(ctx(t), 871, Query{})
	se := wantKind(t, err, KindServer)
	if se.Attempts != 4 || se.Status != 502 || se.Message != "Bad Gateway" {
		t.Errorf("%+v", se)
	}
	if s := e.clock.Sleeps(); len(s) != 5 || s[4] != 20*time.Millisecond {
		t.Errorf("sleeps %v", s)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	for _, status := range []int{400, 401, 403, 405, 409, 415} {
		e.sim.FailNext("GET", "/procurement/catalog", 1, status)
		_, err := e.c.ListCatalogItems(ctx(t), Query{})
		if err == nil {
			t.Errorf("%d: no error", status)
		}
	}
	if n := e.sim.CountRequests("GET", "/procurement/catalog"); n != 6 {
		t.Errorf("%d requests for 6 failures, want no retries", n)
	}
	if len(e.clock.Sleeps()) != 0 {
		t.Errorf("slept %v", e.clock.Sleeps())
	}
	e.sim.FailNext("GET", "/procurement/catalog", 1, 409)
	_, err := e.c.ListCatalogItems(ctx(t), Query{})
	wantKind(t, err, KindConflict)
	e.sim.FailNext("GET", "/procurement/catalog", 1, 415)
	_, err = e.c.ListCatalogItems(ctx(t), Query{})
	wantKind(t, err, KindRejected)
}

func TestTimeout(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.RequestTimeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	if _, err := e.c.APIBase(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.sim.Inject(managesim.Fault{Path: "/company/companies/5", Delay: 2 * time.Second, Times: -1})
	start := time.Now()
	_, err := e.c.GetCompany(ctx(t), 5)
	te := wantKind(t, err, KindTimeout)
	if el := time.Since(start); el > time.Second {
		t.Errorf("took %s", el)
	}
	if te.Attempts != 2 || !strings.Contains(te.UserMessage(), "did not answer in time") {
		t.Errorf("%+v", te)
	}
	e.sim.ClearFaults()
	// One slow answer, then a quick one: the retry succeeds.
	e.sim.Inject(managesim.Fault{Path: "/company/companies/5", Delay: 2 * time.Second})
	if _, err := e.c.GetCompany(ctx(t), 5); err != nil {
		t.Errorf("retry after a timeout: %v", err)
	}
}

func TestMalformedJSON(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Malformed: true})
	_, err := e.c.ListAgreements(ctx(t), Query{})
	be := wantKind(t, err, KindBadResponse)
	if be.Status != 200 || be.RequestID == "" || !strings.Contains(be.UserMessage(), "could not read") {
		t.Errorf("%+v", be)
	}
	if n := e.sim.CountRequests("GET", "/finance/agreements"); n != 1 {
		t.Errorf("%d requests", n)
	}
	// An HTML page with 200 (a captive portal or proxy) is no better.
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 200, Body: "<html>Sign in to Wi-Fi</html>", ContentType: "text/html"})
	_, err = e.c.ListAgreements(ctx(t), Query{})
	wantKind(t, err, KindBadResponse)
}

func TestConnectionReset(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.Inject(managesim.Fault{Method: "PATCH", Reset: true, Times: -1})
	_, err := e.c.UpdateAdditionQuantity(ctx(t), 871, 3589, 5, nil)
	ne := wantKind(t, err, KindNetwork)
	if !strings.Contains(ne.UserMessage(), "interrupted") {
		t.Errorf("message %q", ne.UserMessage())
	}
	if n := len(e.clock.Sleeps()); n != 3 {
		t.Errorf("%d backoffs, want 3 retries", n)
	}
	e.sim.ClearFaults()
	e.sim.Inject(managesim.Fault{Method: "PATCH", Reset: true, Times: 2})
	if _, err := e.c.UpdateAdditionQuantity(ctx(t), 871, 3589, 5, nil); err != nil {
		t.Errorf("after two resets: %v", err)
	}
}

func TestTLSFailure(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are expected
	srv.StartTLS()                                   // self-signed: not trusted
	t.Cleanup(srv.Close)
	clock := &fakeClock{now: t0}
	c := mustNew(t, Config{Site: srv.URL, CompanyID: "acme", PublicKey: testPublicKey, PrivateKey: testPrivateKey,
		ClientID: testClientID, Now: clock.Now, Sleep: clock.Sleep})
	_, err := c.ListCompanies(ctx(t), Query{})
	te := wantKind(t, err, KindTLSFailure)
	if msg := te.UserMessage(); !strings.Contains(msg, "not from a trusted authority") || !strings.Contains(msg, "127.0.0.1") {
		t.Errorf("message %q", msg)
	}
	if s := c.Stats(); s.Requests != 1 {
		t.Errorf("TLS failure retried: %+v", s)
	}
}

func TestSiteUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	clock := &fakeClock{now: t0}
	c := mustNew(t, Config{Site: "http://" + addr, CompanyID: "acme", PublicKey: testPublicKey,
		PrivateKey: testPrivateKey, ClientID: testClientID, MaxRetries: 2, Now: clock.Now, Sleep: clock.Sleep})
	_, err = c.CompanyInfo(ctx(t))
	ue := wantKind(t, err, KindSiteUnreachable)
	if !strings.Contains(ue.UserMessage(), "Could not reach 127.0.0.1") {
		t.Errorf("message %q", ue.UserMessage())
	}
	if s := c.Stats(); s.Requests != 3 {
		t.Errorf("stats %+v, want 3 attempts", s)
	}
	// An API call: companyinfo fails, the default codebase stands in, and the call itself
	// fails the same way.
	_, err = c.ListCompanies(ctx(t), Query{})
	wantKind(t, err, KindSiteUnreachable)
}

func TestWrongSiteSSLRequired(t *testing.T) {
	_, cfg := fakeSite(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"code":"Security","message":"SSL is required.","errors":null}`))
	})
	_, err := mustNew(t, cfg).ListCompanies(ctx(t), Query{})
	we := wantKind(t, err, KindWrongSite)
	if !strings.Contains(we.UserMessage(), "SSL is required") {
		t.Errorf("%q", we.UserMessage())
	}
}

func TestContextCancellation(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.Sleep = nil }) // real sleeps
	if _, err := e.c.APIBase(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.sim.SetLatency(3 * time.Second)
	c, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.c.ListAgreements(c, Query{})
	wantKind(t, err, KindCanceled)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(err, context.Canceled) is false: %v", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("cancel took %s", el)
	}
	// A deadline is a timeout.
	c3, cancel3 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel3()
	_, err = e.c.ListAgreements(c3, Query{})
	wantKind(t, err, KindTimeout)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("not DeadlineExceeded: %v", err)
	}
	// Cancelled while waiting to retry.
	e.sim.SetLatency(0)
	e.sim.Inject(managesim.Fault{Path: "/finance/agreements", Status: 429, RetryAfter: "30"})
	c2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel2)
	start = time.Now()
	_, err = e.c.ListAgreements(c2, Query{})
	if ce := wantKind(t, err, KindCanceled); ce.Status != 429 || !strings.Contains(ce.Message, "throttled") {
		t.Errorf("%+v", ce)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("cancel during the wait took %s", el)
	}
}

// countingPacer records the pacing calls.
type countingPacer struct {
	mu        sync.Mutex
	n         int
	throttled []time.Duration
}

func (p *countingPacer) Wait(ctx context.Context) error {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	return ctx.Err()
}

func (p *countingPacer) Throttled(d time.Duration) {
	p.mu.Lock()
	p.throttled = append(p.throttled, d)
	p.mu.Unlock()
}

func (p *countingPacer) waits() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}
