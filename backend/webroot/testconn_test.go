package webroot_test

import (
	"context"
	"strings"
	"testing"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

func TestTestConnectionSuccess(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	must(t, e.consoleCall()) // holds a token already: the test must sign in afresh anyway
	res, err := e.client.TestConnection(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || res.ConsoleName != "Test MSP GSM" || res.SiteCount != 3 || res.TotalSeats != 800 {
		t.Errorf("result %+v", res)
	}
	if len(res.Steps) != 3 {
		t.Fatalf("steps %+v", res.Steps)
	}
	for _, s := range res.Steps {
		if !s.OK || s.Message == "" {
			t.Errorf("step %+v", s)
		}
	}
	if !strings.Contains(res.Steps[1].Message, `"Test MSP GSM": 3 sites, 800 seats`) {
		t.Errorf("console message %q", res.Steps[1].Message)
	}
	if p := e.sim.TokenRequests("password"); p != 2 {
		t.Errorf("password grants = %d, want 2 (TestConnection signs in afresh)", p)
	}
}

func TestTestConnectionFailures(t *testing.T) {
	cases := []struct {
		name     string
		opts     webrootsim.Options
		mutate   func(*webroot.Config)
		failStep string
		kind     webroot.Kind
		says     string
	}{
		{"bad password", webrootsim.Options{}, func(c *webroot.Config) { c.Password = "nope" },
			webroot.StepSignIn, webroot.KindCredentialsRejected, "Admin Password"},
		{"bad secret", webrootsim.Options{}, func(c *webroot.Config) { c.ClientSecret = "nope" },
			webroot.StepSignIn, webroot.KindClientRejected, "Client Secret"},
		{"unknown key", webrootsim.Options{}, func(c *webroot.Config) { c.GSMKey = "AAAA-AAAA-AAAA-AAAA-AAAA" },
			webroot.StepConsole, webroot.KindGSMKeyUnknown, "GSM Parent Key"},
		{"no reporting scope", webrootsim.Options{AllowedScopes: []string{"Console.GSM"}}, nil,
			webroot.StepReports, webroot.KindScopeMissing, "SkyStatus.Reporting"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mut []func(*webroot.Config)
			if c.mutate != nil {
				mut = append(mut, c.mutate)
			}
			e := newEnv(t, c.opts, mut...)
			e.seedSmall()
			res, err := e.client.TestConnection(context.Background())
			kindOf(t, err, c.kind)
			if res.OK {
				t.Error("result OK despite a failure")
			}
			failed := false
			for _, s := range res.Steps {
				switch {
				case s.Name == c.failStep:
					failed = true
					if s.OK || s.Kind != c.kind || !strings.Contains(s.Message, c.says) {
						t.Errorf("failing step %+v", s)
					}
				case failed:
					if !s.Skipped {
						t.Errorf("step after the failure not skipped: %+v", s)
					}
				default:
					if !s.OK {
						t.Errorf("step before the failure: %+v", s)
					}
				}
			}
			if !failed {
				t.Errorf("step %s not reported: %+v", c.failStep, res.Steps)
			}
		})
	}
}
