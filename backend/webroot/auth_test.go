package webroot_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

// The password grant sends the client credentials as HTTP Basic, the configured scope and
// a name/version User-Agent; the simulator refuses anything else.
func TestPasswordGrantSignsInWithBasicAuthAndScope(t *testing.T) {
	var seen http.Header
	var form string
	var mu sync.Mutex
	e := newEnv(t, webrootsim.Options{RequireUserAgent: true}, func(c *webroot.Config) { c.Scope = "Console.GSM SkyStatus.Reporting" })
	e.sim.AddFault(webrootsim.Fault{Path: "/auth/token", Times: 0, Match: func(r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		seen = r.Header.Clone()
		_ = r.ParseForm()
		form = r.PostForm.Encode()
		return false // observe only
	}})
	e.seedSmall()
	if err := e.consoleCall(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	wantBasic := "Basic " + base64.StdEncoding.EncodeToString([]byte(webrootsim.DefaultClientID+":"+webrootsim.DefaultClientSecret))
	if got := seen.Get("Authorization"); got != wantBasic {
		t.Errorf("Authorization = %q, want client id and secret as Basic", got)
	}
	if ua := seen.Get("User-Agent"); ua != "cwm-webroot/1.2.3" {
		t.Errorf("User-Agent = %q", ua)
	}
	for _, want := range []string{"grant_type=password", "scope=Console.GSM+SkyStatus.Reporting", "username=billing%40bluewave-it.example"} {
		if !strings.Contains(form, want) {
			t.Errorf("token form %q lacks %q", form, want)
		}
	}
	if strings.Contains(form, "client_secret") {
		t.Error("client secret sent in the body; it belongs in Basic auth")
	}
	if n := e.sim.TokenRequests("password"); n != 1 {
		t.Errorf("password grants = %d, want 1", n)
	}
	if got, _ := e.store.Get(); got == "" || !e.sim.RefreshTokenValid(got) {
		t.Errorf("refresh token from the password grant not stored (got %q)", got)
	}
}

// A saved refresh token is used at start-up instead of the password.
func TestSavedRefreshTokenAvoidsPasswordGrant(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	saved, _ := e.store.Get()

	next := e.newClient() // a new app start with the same keychain
	e.sim.ResetRequests()
	if _, err := next.Console(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p, r := e.sim.TokenRequests("password"), e.sim.TokenRequests("refresh_token"); p != 0 || r != 1 {
		t.Errorf("grants after restart: password=%d refresh=%d, want 0 and 1", p, r)
	}
	if e.sim.RefreshTokenValid(saved) {
		t.Error("the used refresh token is still valid; the simulator should rotate it")
	}
	if now, _ := e.store.Get(); now == saved || !e.sim.RefreshTokenValid(now) {
		t.Error("the rotated refresh token was not stored")
	}
}

// Rotation: every refresh stores the newest token and the old one stops working.
func TestRefreshRotationKeepsNewestToken(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	var history []string
	first, _ := e.store.Get()
	history = append(history, first)
	for range 3 {
		e.clock.Advance(5 * time.Minute) // the access token is past its refresh time
		must(t, e.consoleCall())
		rt, _ := e.store.Get()
		history = append(history, rt)
	}
	if r := e.sim.TokenRequests("refresh_token"); r != 3 {
		t.Fatalf("refresh grants = %d, want 3", r)
	}
	if p := e.sim.TokenRequests("password"); p != 1 {
		t.Fatalf("password grants = %d, want 1 (refresh must not fall back)", p)
	}
	for i, rt := range history {
		valid := e.sim.RefreshTokenValid(rt)
		if last := i == len(history)-1; valid != last {
			t.Errorf("refresh token %d valid=%v, want %v", i, valid, last)
		}
	}
	if e.store.Sets() != 4 {
		t.Errorf("store Set calls = %d, want 4 (one per token issued)", e.store.Sets())
	}
}

// The access token expires between calls: the next call refreshes first and succeeds,
// within the 30 s safety margin.
func TestExpiryBetweenCallsRefreshesTransparently(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.clock.Advance(4*time.Minute + 35*time.Second) // 25 s left: inside the margin
	e.sim.ResetRequests()
	must(t, e.consoleCall())
	if r := e.sim.TokenRequests("refresh_token"); r != 1 {
		t.Errorf("refresh grants = %d, want 1", r)
	}
	for _, r := range e.sim.Requests() {
		if r.Status == http.StatusUnauthorized {
			t.Errorf("a call was refused (%s): the refresh should have happened first", r.Path)
		}
	}
}

// Webroot expires the token earlier than promised: 401 invalid_token → refresh and retry once.
func TestInvalidTokenRefreshesAndRetriesOnce(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.ExpireAccessTokens()
	e.sim.ResetRequests()
	c, err := e.client.Console(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Test MSP GSM" {
		t.Errorf("console name %q", c.Name)
	}
	if got := e.sim.Count(http.MethodGet, "/service/api/console"); got != 2 {
		t.Errorf("console requests = %d, want 2 (refused, then retried)", got)
	}
	if r := e.sim.TokenRequests("refresh_token"); r != 1 {
		t.Errorf("refresh grants = %d, want 1", r)
	}
}

// A 401 that persists with a fresh token is reported, not retried forever.
func TestPersistentUnauthorizedStopsAfterOneRetry(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	e.sim.AddFault(webrootsim.Fault{Path: "/service/api/console", Status: http.StatusUnauthorized})
	err := e.consoleCall()
	kindOf(t, err, webroot.KindAuthRejected)
	if got := e.sim.Count(http.MethodGet, "/service/api/console"); got != 2 {
		t.Errorf("console requests = %d, want 2", got)
	}
	if len(e.sleep.Waits()) != 0 {
		t.Error("a 401 must not be retried with backoff")
	}
}

// Webroot refuses the refresh token: the client signs in with the password once.
func TestRefusedRefreshFallsBackToPassword(t *testing.T) {
	for _, nested := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "nested error"}[nested], func(t *testing.T) {
			e := newEnv(t, webrootsim.Options{NestedTokenErrors: nested})
			e.seedSmall()
			must(t, e.consoleCall())
			e.sim.RefuseRefreshTokens(true)
			e.clock.Advance(10 * time.Minute)
			must(t, e.consoleCall())
			if r, p := e.sim.TokenRequests("refresh_token"), e.sim.TokenRequests("password"); r != 1 || p != 2 {
				t.Errorf("grants refresh=%d password=%d, want 1 and 2", r, p)
			}
			rt, _ := e.store.Get()
			e.sim.RefuseRefreshTokens(false)
			if !e.sim.RefreshTokenValid(rt) {
				t.Error("the refresh token of the new password grant was not stored")
			}
		})
	}
}

// A console password change revokes every token; with the new password the client
// recovers, with the old one it reports the credentials.
func TestRevokedTokensAfterPasswordChange(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.SetPassword("a-new-password")
	err := e.consoleCall()
	kindOf(t, err, webroot.KindCredentialsRejected)
	// API refused the token, refresh refused, password grant refused: 1 + 1 + 1 requests.
	if r, p := e.sim.TokenRequests("refresh_token"), e.sim.TokenRequests("password"); r != 1 || p != 2 {
		t.Errorf("grants refresh=%d password=%d, want 1 and 2", r, p)
	}
	e.cfg.Password = "a-new-password"
	if _, err := e.newClient().Console(context.Background()); err != nil {
		t.Fatalf("with the new password: %v", err)
	}
}

// 50 goroutines find the token stale at once: exactly one refresh runs.
func TestConcurrentCallersShareOneRefresh(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.clock.Advance(6 * time.Minute)
	e.sim.SetLatency(20 * time.Millisecond) // keep the refresh in flight while others arrive
	e.sim.ResetRequests()

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	start := make(chan struct{})
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := e.client.Console(context.Background())
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if r, p := e.sim.TokenRequests("refresh_token"), e.sim.TokenRequests("password"); r != 1 || p != 0 {
		t.Errorf("grants refresh=%d password=%d, want exactly one refresh", r, p)
	}
	if got := e.sim.Count(http.MethodGet, "/service/api/console"); got != 50 {
		t.Errorf("console calls = %d, want 50 (none refused)", got)
	}
	rt, _ := e.store.Get()
	if !e.sim.RefreshTokenValid(rt) {
		t.Error("the stored refresh token is not the newest one")
	}
}

// 50 goroutines all get 401 with the same token: one refresh, every call retried once.
func TestConcurrentInvalidTokenSharesOneRefresh(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.ExpireAccessTokens()
	e.sim.SetLatency(5 * time.Millisecond)
	e.sim.ResetRequests()
	var wg sync.WaitGroup
	var failed sync.Map
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.consoleCall(); err != nil {
				failed.Store(i, err)
			}
		}()
	}
	wg.Wait()
	failed.Range(func(_, v any) bool { t.Error(v); return true })
	if r := e.sim.TokenRequests("refresh_token"); r != 1 {
		t.Errorf("refresh grants = %d, want 1", r)
	}
}

// Behaviours the reference leaves unverified: each plausible variant works.
func TestTokenResponseVariants(t *testing.T) {
	cases := map[string]webrootsim.Options{
		"old refresh token stays valid":   {Rotation: webrootsim.RotateKeepOld},
		"no new refresh token on refresh": {Rotation: webrootsim.NoNewRefreshToken},
		"lower-case token type":           {LowercaseTokenType: true},
		"scope as a space-separated list": {ScopeAsSpaceList: true},
		"client errors as 401":            {ClientErrorStatus: http.StatusUnauthorized},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, opts)
			e.seedSmall()
			must(t, e.consoleCall())
			first, _ := e.store.Get()
			e.clock.Advance(6 * time.Minute)
			must(t, e.consoleCall())
			e.clock.Advance(6 * time.Minute)
			must(t, e.consoleCall())
			if p := e.sim.TokenRequests("password"); p != 1 {
				t.Errorf("password grants = %d, want 1", p)
			}
			rt, _ := e.store.Get()
			if !e.sim.RefreshTokenValid(rt) {
				t.Error("stored refresh token is not valid")
			}
			if opts.Rotation == webrootsim.NoNewRefreshToken && rt != first {
				t.Error("without a new refresh token the first one must be kept")
			}
			res, err := e.client.TestConnection(context.Background())
			if err != nil || len(res.GrantedScopes) != len(webrootsim.AllScopes) {
				t.Errorf("granted scopes %v (err %v)", res.GrantedScopes, err)
			}
		})
	}
}

// The early refresh fails while Webroot is down, but the token still has 25 s: the call
// goes through with it, and the refresh is tried again on the next call.
func TestFailedEarlyRefreshKeepsUsingAValidToken(t *testing.T) {
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) { c.MaxAttempts = 2 })
	e.seedSmall()
	must(t, e.consoleCall())
	e.clock.Advance(4*time.Minute + 35*time.Second)
	e.sim.FailNext("/auth/token", http.StatusServiceUnavailable, 2)
	must(t, e.consoleCall())
	must(t, e.consoleCall())
	if r := e.sim.TokenRequests("refresh_token"); r != 3 {
		t.Errorf("refresh attempts = %d, want 3 (two failed, one on the next call)", r)
	}
	// Once the token has really expired, a failing refresh is an error.
	e.clock.Advance(5 * time.Minute)
	e.sim.FailNext("/auth/token", http.StatusServiceUnavailable, 0)
	kindOf(t, e.consoleCall(), webroot.KindServer)
}
