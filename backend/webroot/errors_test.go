package webroot_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

func TestBadClientSecret(t *testing.T) {
	for name, opts := range map[string]webrootsim.Options{
		"400 invalid_client":          {},
		"401 invalid_client":          {ClientErrorStatus: http.StatusUnauthorized},
		"nested in error_description": {NestedTokenErrors: true},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, opts, func(c *webroot.Config) { c.ClientSecret = "wrong-secret" })
			err := e.consoleCall()
			we := kindOf(t, err, webroot.KindClientRejected)
			if !strings.Contains(we.UserMessage(), "Client ID or Client Secret") {
				t.Errorf("message %q", we.UserMessage())
			}
			if n := e.sim.TokenRequests(""); n != 1 {
				t.Errorf("token requests = %d, want 1 (no retry on 4xx)", n)
			}
		})
	}
}

func TestBadPassword(t *testing.T) {
	for name, nested := range map[string]bool{"plain": false, "nested": true} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, webrootsim.Options{NestedTokenErrors: nested}, func(c *webroot.Config) { c.Password = "wrong" })
			err := e.consoleCall()
			we := kindOf(t, err, webroot.KindCredentialsRejected)
			if we.Code != "invalid_grant" || !strings.Contains(we.UserMessage(), "Super Admin email or the Admin Password") {
				t.Errorf("code %q message %q", we.Code, we.UserMessage())
			}
			if len(e.sleep.Waits()) != 0 || e.sim.TokenRequests("") != 1 {
				t.Error("a refused sign-in must not be retried")
			}
		})
	}
}

func TestUnknownGSMKey(t *testing.T) {
	for name, status := range map[string]int{"404": http.StatusNotFound, "400": http.StatusBadRequest} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, webrootsim.Options{UnknownKeyStatus: status}, func(c *webroot.Config) { c.GSMKey = "AAAA-BBBB-CCCC-DDDD-EEEE" })
			err := e.consoleCall()
			we := kindOf(t, err, webroot.KindGSMKeyUnknown)
			if we.RequestID == "" || !strings.Contains(we.UserMessage(), "Parent Keycode") || !strings.Contains(we.UserMessage(), we.RequestID) {
				t.Errorf("request id %q message %q", we.RequestID, we.UserMessage())
			}
			if n := e.sim.Count(http.MethodGet, "/service/api"); n != 1 {
				t.Errorf("console requests = %d, want 1", n)
			}
		})
	}
}

// The key is accepted with or without dashes and in any case.
func TestGSMKeyForms(t *testing.T) {
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) { c.GSMKey = " 1c867afcfdff4562ab91 " })
	e.seedSmall()
	must(t, e.consoleCall())
	if e.client.GSMKey() != webrootsim.DefaultGSMKey {
		t.Errorf("key %q", e.client.GSMKey())
	}
}

func TestMissingScope(t *testing.T) {
	t.Run("403 on the report", func(t *testing.T) {
		e := newEnv(t, webrootsim.Options{AllowedScopes: []string{"Console.GSM", "SkyStatus.GSM"}})
		e.seedSmall()
		_, err := e.client.Report(context.Background(), webroot.ReportActiveEndpoints, webroot.ReportOptions{})
		we := kindOf(t, err, webroot.KindScopeMissing)
		if we.Scope != "SkyStatus.Reporting" || !strings.Contains(we.UserMessage(), "SkyStatus.Reporting") {
			t.Errorf("scope %q message %q", we.Scope, we.UserMessage())
		}
		if n := e.sim.Count(http.MethodGet, "/service/api/status"); n != 1 {
			t.Errorf("report requests = %d, want 1 (no retry on 403)", n)
		}
		must(t, e.consoleCall()) // the console scope still works
	})
	t.Run("invalid_scope at sign-in", func(t *testing.T) {
		e := newEnv(t, webrootsim.Options{AllowedScopes: []string{"Console.GSM"}},
			func(c *webroot.Config) { c.Scope = "Console.GSM SkyStatus.Reporting" })
		err := e.consoleCall()
		we := kindOf(t, err, webroot.KindScopeMissing)
		if !strings.Contains(we.UserMessage(), "SkyStatus.Reporting") {
			t.Errorf("message %q", we.UserMessage())
		}
	})
}

func TestThrottledWithRetryAfter(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.Throttle("/service/api/console", 2, "7")
	must(t, e.consoleCall())
	if w := e.sleep.Waits(); len(w) != 2 || w[0] != 7*time.Second || w[1] != 7*time.Second {
		t.Errorf("waits %v, want two of 7s (Retry-After honoured)", w)
	}
}

func TestThrottledWithoutRetryAfterBacksOffWithJitter(t *testing.T) {
	jitters := []float64{0, 0.99, 0.5}
	i := 0
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) {
		c.BackoffBase = time.Second
		c.Jitter = func() float64 { v := jitters[i%len(jitters)]; i++; return v }
	})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.Throttle("/service/api/console", 3, "")
	must(t, e.consoleCall())
	w := e.sleep.Waits()
	// Attempt n waits between half and all of base·2^(n−1).
	want := [][2]time.Duration{{500 * time.Millisecond, time.Second}, {time.Second, 2 * time.Second}, {2 * time.Second, 4 * time.Second}}
	if len(w) != 3 {
		t.Fatalf("waits %v", w)
	}
	for n, r := range want {
		if w[n] < r[0] || w[n] > r[1] {
			t.Errorf("wait %d = %s, want within %v", n+1, w[n], r)
		}
	}
	if w[0] != 500*time.Millisecond || w[1] < 1900*time.Millisecond {
		t.Errorf("jitter not applied: %v", w)
	}
}

func TestThrottledTooLongOrTooOften(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.Throttle("/service/api/console", 1, "600")
	err := e.consoleCall()
	we := kindOf(t, err, webroot.KindThrottled)
	if we.RetryAfter != 10*time.Minute || !strings.Contains(we.UserMessage(), "10m0s") || len(e.sleep.Waits()) != 0 {
		t.Errorf("retry after %s, message %q, waits %v", we.RetryAfter, we.UserMessage(), e.sleep.Waits())
	}
	e.sim.ClearFaults()
	e.sim.Throttle("/service/api/console", 0, "1")
	err = e.consoleCall()
	we = kindOf(t, err, webroot.KindThrottled)
	if we.Attempts != 4 {
		t.Errorf("attempts = %d, want 4", we.Attempts)
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	e.sim.FailNext("/auth/token", http.StatusServiceUnavailable, 1)
	e.sim.FailNext("/service/api/console", http.StatusInternalServerError, 2)
	con, err := e.client.Console(context.Background())
	if err != nil || con.Name == "" {
		t.Fatalf("console %+v, %v", con, err)
	}
	if n := len(e.sleep.Waits()); n != 3 {
		t.Errorf("retries = %d, want 3", n)
	}
}

func TestServerErrorExhausted(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.FailNext("/service/api/console", http.StatusInternalServerError, 0)
	err := e.consoleCall()
	we := kindOf(t, err, webroot.KindServer)
	if we.Attempts != 4 || we.Status != 500 || we.RequestID == "" || !strings.Contains(we.UserMessage(), we.RequestID) {
		t.Errorf("attempts %d status %d request id %q: %q", we.Attempts, we.Status, we.RequestID, we.UserMessage())
	}
}

func TestNoRetryOnOtherClientErrors(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusNotImplemented} {
		e := newEnv(t, webrootsim.Options{})
		e.seedSmall()
		must(t, e.consoleCall())
		e.sim.ResetRequests()
		e.sim.FailNext("/service/api/console", status, 0)
		if err := e.consoleCall(); err == nil {
			t.Fatalf("%d: no error", status)
		}
		if n := e.sim.Count("", "/service/api/console"); n != 1 || len(e.sleep.Waits()) != 0 {
			t.Errorf("%d: %d requests, %d waits; want 1 and 0", status, n, len(e.sleep.Waits()))
		}
	}
}

func TestMalformedJSON(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.AddFault(webrootsim.Fault{Path: "/service/api/console", Body: `{"GSMConsoleName": "half`, Times: 1})
	err := e.consoleCall()
	kindOf(t, err, webroot.KindBadResponse)
	e.sim.AddFault(webrootsim.Fault{Path: "/auth/token", Body: `<html>proxy login</html>`, Times: 1})
	e.clock.Advance(time.Hour)
	err = e.consoleCall()
	we := kindOf(t, err, webroot.KindBadResponse)
	if strings.Contains(we.Error(), "proxy login") {
		t.Error("a token response body must never be quoted")
	}
}

func TestDroppedConnectionIsRetried(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())
	e.sim.ResetRequests()
	e.sim.AddFault(webrootsim.Fault{Path: "/service/api/console", Drop: true, Times: 2})
	must(t, e.consoleCall())
	// net/http itself resends a GET once when a reused connection dies before answering,
	// so the client's own retries cover at least the rest.
	if n := e.sim.Count(http.MethodGet, "/service/api/console"); n != 3 {
		t.Errorf("console requests = %d, want 3 (two dropped, then answered)", n)
	}
	if n := len(e.sleep.Waits()); n < 1 {
		t.Errorf("retries = %d, want at least 1", n)
	}
}

func TestSiteUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now: connection refused
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) { c.Site = "http://" + addr })
	err = e.consoleCall()
	we := kindOf(t, err, webroot.KindSiteUnreachable)
	if we.Attempts != 4 || len(e.sleep.Waits()) != 3 {
		t.Errorf("attempts %d waits %d; network errors are retried", we.Attempts, len(e.sleep.Waits()))
	}
	if !strings.Contains(we.UserMessage(), addr) || !strings.Contains(we.UserMessage(), "refused") {
		t.Errorf("message %q", we.UserMessage())
	}
}

// An unknown host name will not appear on retry: reported at once.
func TestUnknownHostIsNotRetried(t *testing.T) {
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) {
		c.Site = "unityapi.example.invalid"
		c.Transport = roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "unityapi.example.invalid", IsNotFound: true}}
		})
	})
	err := e.consoleCall()
	we := kindOf(t, err, webroot.KindSiteUnreachable)
	if len(e.sleep.Waits()) != 0 || !strings.Contains(we.UserMessage(), "host name was not found") {
		t.Errorf("waits %v message %q", e.sleep.Waits(), we.UserMessage())
	}
}

func TestTLSFailureWithUntrustedCertificate(t *testing.T) {
	sim := webrootsim.New(webrootsim.Options{})
	ts := httptest.NewUnstartedServer(sim.Handler())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is expected
	ts.StartTLS()
	t.Cleanup(ts.Close)
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) { c.Site = ts.URL })
	err := e.consoleCall()
	we := kindOf(t, err, webroot.KindTLSFailure)
	if len(e.sleep.Waits()) != 0 {
		t.Error("TLS failures must not be retried")
	}
	if !strings.Contains(we.UserMessage(), "not signed by an authority") {
		t.Errorf("message %q", we.UserMessage())
	}
	if n := sim.TokenRequests(""); n != 0 {
		t.Errorf("the server answered %d token requests through an untrusted connection", n)
	}

	// Trusting the test certificate, the same server works: the failure was the certificate.
	e.cfg.HTTPClient = ts.Client()
	sim.AddSite(webrootsim.Site{Name: "Acme"})
	if _, err := e.newClient().Console(context.Background()); err != nil {
		t.Fatalf("with the certificate trusted: %v", err)
	}
}

func TestContextCancellation(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall())

	e.sim.SetLatency(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := e.client.Console(ctx)
	kindOf(t, err, webroot.KindCanceled)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(DeadlineExceeded) false for %v", err)
	}
	if time.Since(started) > 2*time.Second {
		t.Errorf("cancellation took %s", time.Since(started))
	}

	// Cancelled while waiting to retry.
	e.sim.SetLatency(0)
	e.sim.FailNext("/service/api/console", http.StatusServiceUnavailable, 0)
	ctx2, cancel2 := context.WithCancel(context.Background())
	e.cfg.Sleep = func(ctx context.Context, d time.Duration) error { cancel2(); return ctx.Err() }
	_, err = e.newClient().Console(ctx2)
	kindOf(t, err, webroot.KindCanceled)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(Canceled) false for %v", err)
	}

	// Cancelled while waiting for someone else's token refresh.
	e.sim.ClearFaults()
	e.sim.SetLatency(3 * time.Second)
	ctx3, cancel3 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel3()
	e.cfg.Sleep = e.sleep.Sleep
	_, err = e.newClient().SitesWithCounts(ctx3, webroot.UsageOptions{})
	kindOf(t, err, webroot.KindCanceled)
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) { c.RequestTimeout = 100 * time.Millisecond })
	e.seedSmall()
	must(t, e.consoleCall())
	var hung atomic.Bool
	e.sim.AddFault(webrootsim.Fault{Path: "/service/api/console", Match: func(r *http.Request) bool {
		if hung.CompareAndSwap(false, true) {
			select { // the first attempt hangs until the client gives up on it
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		}
		return false
	}})
	must(t, e.consoleCall())
	if n := len(e.sleep.Waits()); n != 1 {
		t.Errorf("retries = %d, want 1", n)
	}
}
