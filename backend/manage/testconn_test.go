package manage

import (
	"encoding/json"
	"net"
	"strings"
	"testing"

	"cwm-webroot/backend/simulator/managesim"
)

func stepStatuses(r TestResult) string {
	var s []string
	for _, st := range r.Steps {
		s = append(s, st.ID+"="+string(st.Status))
	}
	return strings.Join(s, " ")
}

func TestConnectionGood(t *testing.T) {
	e := newEnv(t, managesim.Options{CompanyName: "Acme MSP", Codebase: "v2025_1/", IsCloud: true}, nil)
	r := e.c.TestConnection(ctx(t))
	if !r.OK || stepStatuses(r) != "codebase=ok authentication=ok agreements=ok companies=ok catalog=ok" {
		t.Fatalf("result %+v", r)
	}
	if r.CompanyName != "Acme MSP" || r.Codebase != "v2025_1/" || !r.IsCloud || r.APIBase != e.sim.APIBase() || r.Failure() != nil {
		t.Errorf("result %+v", r)
	}
	if !strings.Contains(r.Steps[0].Message, `"Acme MSP"`) {
		t.Errorf("codebase message %q", r.Steps[0].Message)
	}
	q := e.sim.RequestsTo("GET", "/finance/agreements")[0].Query
	if q.Get("pageSize") != "1" || q.Get("fields") != "id" {
		t.Errorf("agreements probe %v", q)
	}
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), `"status":"ok"`) || strings.Contains(string(b), testPrivateKey) {
		t.Errorf("JSON %s %v", b, err)
	}
}

func TestConnectionFailures(t *testing.T) {
	cases := []struct {
		name   string
		opts   managesim.Options
		tweak  func(*Config)
		setup  func(*managesim.Server)
		ok     bool
		steps  string
		kind   Kind
		phrase string
	}{
		{name: "unknown company", tweak: func(c *Config) { c.CompanyID = "nobody" },
			steps: "codebase=failed authentication=skipped agreements=skipped companies=skipped catalog=skipped",
			kind:  KindUnknownCompany, phrase: "does not know this company ID"},
		{name: "bad keys", tweak: func(c *Config) { c.PublicKey = "WrongPublicKey12" },
			steps: "codebase=ok authentication=failed agreements=skipped companies=skipped catalog=skipped",
			kind:  KindKeysRejected, phrase: "rejected the API keys"},
		{name: "bad client id", opts: managesim.Options{ClientID: "11111111-2222-3333-4444-555555555555"},
			steps: "codebase=ok authentication=failed agreements=skipped companies=skipped catalog=skipped",
			kind:  KindClientIDRejected, phrase: "Client ID"},
		{name: "no agreements access", setup: func(s *managesim.Server) { s.Deny(managesim.ModuleAgreements) },
			steps: "codebase=ok authentication=ok agreements=failed companies=skipped catalog=skipped",
			kind:  KindPermissionDenied, phrase: "Finance → Agreements (Inquire level)"},
		{name: "no companies access", setup: func(s *managesim.Server) { s.Deny(managesim.ModuleCompanies) },
			steps: "codebase=ok authentication=ok agreements=ok companies=failed catalog=skipped",
			kind:  KindPermissionDenied, phrase: "Companies → Company Maintenance"},
		{name: "no catalog access", setup: func(s *managesim.Server) { s.Deny(managesim.ModuleCatalog) }, ok: true,
			steps: "codebase=ok authentication=ok agreements=ok companies=ok catalog=warning",
			kind:  KindPermissionDenied, phrase: "only needed to create additions"},
		{name: "no system access", setup: func(s *managesim.Server) { s.Deny(managesim.ModuleSystem) }, ok: true,
			steps: "codebase=ok authentication=ok agreements=ok companies=ok catalog=ok"},
		{name: "companyinfo broken", ok: true,
			setup: func(s *managesim.Server) {
				s.Inject(managesim.Fault{Path: "/login/companyinfo/*", Status: 404, Body: "<html>no</html>", ContentType: "text/html"})
			},
			steps: "codebase=warning authentication=ok agreements=ok companies=ok catalog=ok",
			kind:  KindNotFound, phrase: "trying the default codebase"},
		{name: "server down", setup: func(s *managesim.Server) { s.FailNext("GET", "/system/info", 3, 503) },
			steps: "codebase=ok authentication=failed agreements=skipped companies=skipped catalog=skipped",
			kind:  KindServer, phrase: "internal error (HTTP 503)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts, tc.tweak)
			if tc.setup != nil {
				tc.setup(e.sim)
			}
			r := e.c.TestConnection(ctx(t))
			if r.OK != tc.ok || stepStatuses(r) != tc.steps {
				t.Fatalf("got ok=%v %s, want ok=%v %s", r.OK, stepStatuses(r), tc.ok, tc.steps)
			}
			if tc.kind == "" {
				return
			}
			var st *Step
			for i := range r.Steps {
				if r.Steps[i].Status == StepFailed || r.Steps[i].Status == StepWarning {
					st = &r.Steps[i]
					break
				}
			}
			if st == nil || st.Kind != tc.kind || !strings.Contains(st.Message, tc.phrase) {
				t.Errorf("step %+v, want kind %s and %q", st, tc.kind, tc.phrase)
			}
		})
	}
}

func TestConnectionUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	clock := &fakeClock{now: t0}
	c := mustNew(t, Config{Site: "http://" + addr, CompanyID: "acme", PublicKey: testPublicKey,
		PrivateKey: testPrivateKey, ClientID: testClientID, Now: clock.Now, Sleep: clock.Sleep})
	r := c.TestConnection(ctx(t))
	if r.OK || r.Failure() == nil || r.Failure().ID != StepCodebase || r.Failure().Kind != KindSiteUnreachable {
		t.Fatalf("%+v", r)
	}
	// Interactive policy: three attempts, not the background six.
	if s := c.Stats(); s.Requests != 3 {
		t.Errorf("stats %+v", s)
	}
}
