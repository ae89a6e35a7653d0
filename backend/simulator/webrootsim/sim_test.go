package webrootsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

type harness struct {
	t   *testing.T
	s   *Server
	url string
}

func start(t *testing.T, opts Options) *harness {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	s := New(opts)
	u, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Fatalf("not on loopback: %s", u)
	}
	return &harness{t: t, s: s, url: u}
}

// do sends a request and decodes a JSON answer (nil body for GET).
func (h *harness) do(method, path string, form url.Values, header map[string]string) (int, http.Header, map[string]any) {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, h.url+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("User-Agent", "simtest/1.0")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, resp.Header, out
}

func (h *harness) token(form url.Values, id, secret string) (int, map[string]any) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.url+tokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(id, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func passwordForm(scope string) url.Values {
	return url.Values{"grant_type": {"password"}, "username": {DefaultUsername}, "password": {DefaultPassword}, "scope": {scope}}
}

func (h *harness) signIn(scope string) (access, refresh string) {
	h.t.Helper()
	st, body := h.token(passwordForm(scope), DefaultClientID, DefaultClientSecret)
	if st != 200 {
		h.t.Fatalf("sign-in: %d %v", st, body)
	}
	return body["access_token"].(string), body["refresh_token"].(string)
}

func (h *harness) get(path, access string) (int, map[string]any) {
	h.t.Helper()
	st, _, body := h.do(http.MethodGet, path, nil, map[string]string{"Authorization": "Bearer " + access})
	return st, body
}

func TestTokenGrantShapes(t *testing.T) {
	h := start(t, Options{})
	st, body := h.token(passwordForm("*"), DefaultClientID, DefaultClientSecret)
	if st != 200 || body["token_type"] != "Bearer" || body["expires_in"] != float64(300) {
		t.Fatalf("%d %v", st, body)
	}
	var scopes []string
	if err := json.Unmarshal([]byte(body["scope"].(string)), &scopes); err != nil || len(scopes) != len(AllScopes) {
		t.Errorf("scope %q is not a JSON array string of every scope", body["scope"])
	}
	rt := body["refresh_token"].(string)

	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "scope": {"*"}}
	st, body = h.token(refresh, DefaultClientID, DefaultClientSecret)
	if st != 200 || body["refresh_token"] == rt {
		t.Fatalf("refresh: %d %v", st, body)
	}
	// Rotation: the used refresh token is dead.
	st, body = h.token(refresh, DefaultClientID, DefaultClientSecret)
	if st != 400 || body["error"] != "invalid_grant" {
		t.Errorf("reused refresh token: %d %v", st, body)
	}

	cases := []struct {
		name       string
		form       url.Values
		id, secret string
		status     int
		code       string
	}{
		{"no client auth", passwordForm("*"), "", "", 400, "invalid_client"},
		{"wrong secret", passwordForm("*"), DefaultClientID, "x", 400, "invalid_client"},
		{"wrong password", url.Values{"grant_type": {"password"}, "username": {DefaultUsername}, "password": {"x"}, "scope": {"*"}}, DefaultClientID, DefaultClientSecret, 400, "invalid_grant"},
		{"no grant type", url.Values{"scope": {"*"}}, DefaultClientID, DefaultClientSecret, 400, "invalid_request"},
		{"no client_credentials grant", url.Values{"grant_type": {"client_credentials"}, "scope": {"*"}}, DefaultClientID, DefaultClientSecret, 400, "unsupported_grant_type"},
		{"refresh needs scope", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, DefaultClientID, DefaultClientSecret, 400, "invalid_request"},
		{"unknown scope", passwordForm("Notifications.Subscriptions"), DefaultClientID, DefaultClientSecret, 400, "invalid_scope"},
	}
	for _, c := range cases {
		st, body := h.token(c.form, c.id, c.secret)
		if st != c.status || body["error"] != c.code {
			t.Errorf("%s: %d %v", c.name, st, body)
		}
	}
	if n := h.s.TokenRequests("password"); n != 5 { // one good, four refused
		t.Errorf("recorded password grants = %d", n)
	}
}

func TestNestedTokenErrorsAndLifetimes(t *testing.T) {
	h := start(t, Options{NestedTokenErrors: true, AccessTokenTTL: time.Minute})
	st, body := h.token(url.Values{"grant_type": {"password"}, "username": {DefaultUsername}, "password": {"x"}, "scope": {"*"}}, DefaultClientID, DefaultClientSecret)
	if st != 400 || body["error"] != "invalid_request" || !strings.Contains(body["error_description"].(string), `"error":"invalid_grant"`) {
		t.Errorf("%d %v", st, body)
	}
	_, body = h.token(passwordForm("*"), DefaultClientID, DefaultClientSecret)
	if body["expires_in"] != float64(60) {
		t.Errorf("expires_in %v", body["expires_in"])
	}
}

func TestAPIAuthScopesAndEnvelopes(t *testing.T) {
	h := start(t, Options{AllowedScopes: []string{"Console.GSM"}})
	h.s.AddSite(Site{Name: "Acme"})
	consolePath := "/service/api/console/gsm/" + DefaultGSMKey

	st, hdr, body := h.do(http.MethodGet, consolePath, nil, nil)
	if st != 401 || body["error"] != "invalid_token" || body["statusCode"] != float64(401) || body["requestId"] == "" ||
		!strings.Contains(hdr.Get("WWW-Authenticate"), "invalid_token") {
		t.Errorf("no token: %d %v", st, body)
	}
	if _, ok := body["AdditionalInformation"].(map[string]any); !ok {
		t.Errorf("AdditionalInformation should be an object: %v", body)
	}
	access, _ := h.signIn("*")
	if st, body := h.get(consolePath, access); st != 200 || body["GSMConsoleName"] == nil || body["TotalSites"] != float64(1) {
		t.Errorf("console: %d %v", st, body)
	}
	// Undashed, lower-case key works too.
	if st, _ := h.get("/service/api/console/gsm/"+strings.ToLower(strings.ReplaceAll(DefaultGSMKey, "-", "")), access); st != 200 {
		t.Errorf("undashed key: %d", st)
	}
	if st, body := h.get("/service/api/status/reporting/gsm/"+DefaultGSMKey+"/sites", access); st != 403 || body["error"] != "insufficient_scope" ||
		!strings.Contains(body["error_description"].(string), "SkyStatus.Reporting") {
		t.Errorf("missing scope: %d %v", st, body)
	}
	if st, body := h.get("/service/api/console/gsm/AAAA-AAAA-AAAA-AAAA-AAAA", access); st != 404 || body["error"] != nil {
		t.Errorf("unknown key: %d %v", st, body)
	}
	if st, _, _ := h.do(http.MethodGet, "/service/api/health/ping", nil, nil); st != 200 {
		t.Errorf("ping without auth: %d", st)
	}
	h.s.ExpireAccessTokens()
	if st, _ := h.get(consolePath, access); st != 401 {
		t.Errorf("expired token: %d", st)
	}
}

func TestRequireUserAgent(t *testing.T) {
	h := start(t, Options{RequireUserAgent: true})
	st, _, _ := h.do(http.MethodGet, "/service/api/health/ping", nil, map[string]string{"User-Agent": "not a pair"})
	if st != 400 {
		t.Errorf("bad user agent: %d", st)
	}
	st, _, _ = h.do(http.MethodGet, "/service/api/health/ping", nil, map[string]string{"User-Agent": "cwm-webroot/1.0 Go/1.26"})
	if st != 200 {
		t.Errorf("good user agent: %d", st)
	}
}

func TestSitesAndEndpointPaging(t *testing.T) {
	h := start(t, Options{})
	a := h.s.AddSite(Site{Name: "Acme", DevicesAllowed: 50})
	b := h.s.AddSite(Site{Name: "Globex", BillingCycle: "Monthly", BillingDate: "1"})
	if err := h.s.AddEndpointMix(a.ID, EndpointMix{Active: 60, Hidden: 2, LongDeactivated: 5}); err != nil {
		t.Fatal(err)
	}
	access, _ := h.signIn("*")
	base := "/service/api/console/gsm/" + DefaultGSMKey + "/sites"
	st, body := h.get(base, access)
	sites := body["Sites"].([]any)
	if st != 200 || body["TotalCount"] != float64(2) || len(sites) != 2 || body["SumTotalDevices"] != float64(60) {
		t.Fatalf("%d %v", st, body)
	}
	s0, s1 := sites[0].(map[string]any), sites[1].(map[string]any)
	if s0["AccountKeyCode"] != a.KeyCode || s1["AccountKeyCode"] != strings.ReplaceAll(b.KeyCode, "-", "") {
		t.Errorf("keycodes %v %v: want one dashed, one not", s0["AccountKeyCode"], s1["AccountKeyCode"])
	}
	if s0["BillingCycle"] != "Anually" || s0["TotalEndpoints"] != float64(60) || s0["DeactivatedBy"] != nil {
		t.Errorf("site %v", s0)
	}
	st, body = h.get(base+"/"+b.ID, access)
	if st != 200 || body["TotalCount"] != float64(1) || len(body["Sites"].([]any)) != 1 {
		t.Errorf("one site: %d %v", st, body)
	}

	// Default page size 50, 1-based pages.
	_, body = h.get(base+"/"+a.ID+"/endpoints?type=active", access)
	if len(body["Endpoints"].([]any)) != 50 || body["TotalAvailable"] != float64(62) || body["PageNr"] != float64(1) || body["PageSize"] != float64(50) {
		t.Errorf("page 1: %v %v %v", len(body["Endpoints"].([]any)), body["TotalAvailable"], body["PageSize"])
	}
	_, body = h.get(base+"/"+a.ID+"/endpoints?type=active&pageNr=2", access)
	if len(body["Endpoints"].([]any)) != 12 {
		t.Errorf("page 2 has %d", len(body["Endpoints"].([]any)))
	}
	_, body = h.get(base+"/"+a.ID+"/endpoints?type=deactivated&pageSize=3", access)
	if len(body["Endpoints"].([]any)) != 3 || body["TotalAvailable"] != float64(5) {
		t.Errorf("deactivated: %v", body)
	}
	for _, bad := range []string{"?type=hidden", "?pageNr=0", "?pageSize=abc"} {
		if st, _ := h.get(base+"/"+a.ID+"/endpoints"+bad, access); st != 400 {
			t.Errorf("%s: %d", bad, st)
		}
	}
	if st, _ := h.get(base+"/00000000-0000-0000-0000-000000000000/endpoints", access); st != 404 {
		t.Errorf("unknown site: %d", st)
	}
}

func TestReports(t *testing.T) {
	h := start(t, Options{})
	a := h.s.AddSite(Site{Name: "Acme"})
	b := h.s.AddSite(Site{Name: "Globex"})
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(h.s.AddEndpointMix(a.ID, EndpointMix{Active: 10, Hidden: 1, Stale: 2, RecentlyDeactivated: 3, LongDeactivated: 4, New: 5}))
	must(h.s.AddDNSMix(a.ID, SeenMix{Today: 6, ThisMonth: 2, Stale: 1, New: 1}))
	must(h.s.AddWSATMix(b.ID, SeenMix{Today: 4, ThisMonth: 3, Stale: 2}))
	access, _ := h.signIn("*")
	base := "/service/api/status/reporting/gsm/" + DefaultGSMKey + "/sites"
	want := []struct {
		path, typ string
		field     string
		site      string
		n         int
		rows      int
	}{
		{"", ReportActiveEndpointsWithoutHidden, "TotalEndpoints", a.ID, 12, 2},
		{"", ReportActiveEndpoints, "TotalEndpoints", a.ID, 13, 2},
		{"", ReportEndpointsSeenInLast30Days, "TotalEndpoints", a.ID, 14, 2},
		{"/dnsp", ReportDevicesSeen, "TotalDNSPAgents", a.ID, 6, 1},
		{"/dnsp", ReportDevicesSeenInLast30Days, "TotalDNSPAgents", a.ID, 8, 1},
		{"/wsat", ReportUsersSeen, "TotalWSATUsers", b.ID, 4, 1},
		{"/wsat", ReportUsersSeenInLast30Days, "TotalWSATUsers", b.ID, 7, 1},
	}
	for _, w := range want {
		st, body := h.get(base+w.path+"?reportType="+w.typ, access)
		info, _ := body["ReportInfo"].(map[string]any)
		rows, _ := body["Sites"].([]any)
		if st != 200 || info["ReportType"] != w.typ || info["EffectiveDate"] != "2025-06-13T00:00:00Z" || len(rows) != w.rows || info["Count"] != float64(w.rows) {
			t.Errorf("%s: %d %v", w.typ, st, body)
			continue
		}
		for _, r := range rows {
			row := r.(map[string]any)
			if row["SiteId"] == w.site && row[w.field] != float64(w.n) {
				t.Errorf("%s %s = %v, want %d", w.typ, w.field, row[w.field], w.n)
			}
		}
	}
	if h.s.NotDeactivatedCount(a.ID) != 18 {
		t.Errorf("not deactivated = %d", h.s.NotDeactivatedCount(a.ID))
	}
	// Defaults and refusals.
	if _, body := h.get(base+"/dnsp", access); body["ReportInfo"].(map[string]any)["ReportType"] != ReportDevicesSeenInLast30Days {
		t.Errorf("default DNSP report: %v", body["ReportInfo"])
	}
	if st, _ := h.get(base+"?reportType=UsersSeen", access); st != 400 {
		t.Errorf("wrong family: %d", st)
	}
	if st, _ := h.get(base+"?reportType=ActiveEndpoints&effectiveDate=2025-06-14T00:00:00.0000000Z", access); st != 400 {
		t.Errorf("yesterday: %d", st)
	}
	st, body := h.get(base+"?reportType=ActiveEndpoints&effectiveDate=2025-06-01T00:00:00.0000000Z", access)
	if st != 200 || body["ReportInfo"].(map[string]any)["EffectiveDate"] != "2025-06-01T00:00:00Z" {
		t.Errorf("older day: %d %v", st, body["ReportInfo"])
	}
	h.s.OmitFromReport(b.ID, ReportActiveEndpoints)
	h.s.OmitCountField(a.ID, ReportActiveEndpoints)
	_, body = h.get(base+"?reportType=ActiveEndpoints", access)
	rows := body["Sites"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["TotalEndpoints"] != nil {
		t.Errorf("omissions not applied: %v", rows)
	}
}

func TestFaultKnobs(t *testing.T) {
	h := start(t, Options{})
	h.s.Throttle("/service/api/health", 1, "3")
	st, hdr, body := h.do(http.MethodGet, "/service/api/health/ping", nil, nil)
	if st != 429 || hdr.Get("Retry-After") != "3" || body["statusCode"] != float64(429) {
		t.Errorf("throttle: %d %v %v", st, hdr, body)
	}
	if st, _, _ := h.do(http.MethodGet, "/service/api/health/ping", nil, nil); st != 200 {
		t.Errorf("throttle should hit once: %d", st)
	}
	h.s.FailNext("/service/api/health", 503, 2)
	for i, want := range []int{503, 503, 200} {
		if st, _, _ := h.do(http.MethodGet, "/service/api/health/ping", nil, nil); st != want {
			t.Errorf("call %d: %d, want %d", i, st, want)
		}
	}
	h.s.SetLatency(60 * time.Millisecond)
	started := time.Now()
	h.do(http.MethodGet, "/service/api/health/ping", nil, nil)
	if time.Since(started) < 60*time.Millisecond {
		t.Error("latency not applied")
	}
	h.s.SetLatency(0)
	h.s.AddFault(Fault{Path: "/service/api/health", Drop: true, Times: 1})
	req, _ := http.NewRequest(http.MethodGet, h.url+"/service/api/health/ping", nil)
	if _, err := (&http.Transport{}).RoundTrip(req); err == nil {
		t.Error("dropped connection answered")
	}
	if n := h.s.Count(http.MethodGet, "/service/api/health"); n != 7 {
		t.Errorf("recorded %d requests", n)
	}
}

func TestSeedDemo(t *testing.T) {
	a := New(Options{Now: func() time.Time { return testNow }})
	b := New(Options{Now: func() time.Time { return testNow }})
	sa, sb := a.SeedDemo(), b.SeedDemo()
	if !reflect.DeepEqual(sa, sb) || !reflect.DeepEqual(a.Endpoints(sa[3].ID), b.Endpoints(sb[3].ID)) {
		t.Fatal("SeedDemo is not deterministic")
	}
	if len(sa) < 36 || a.Console().Name != DemoConsoleName {
		t.Fatalf("%d sites", len(sa))
	}
	names := map[string]int{}
	hints, suspended, deactivated, trial, dns, wsat, over := 0, 0, 0, 0, 0, 0, 0
	totals := map[string]int{}
	for _, s := range sa {
		names[s.Name]++
		if strings.Contains(s.Comments, "cwm-id") {
			hints++
		}
		if s.Suspended {
			suspended++
		}
		if s.Deactivated {
			deactivated++
		}
		if s.Trial {
			trial++
		}
		if s.HasModule("DNSP") {
			dns++
		}
		if s.HasModule("WSAT") {
			wsat++
		}
		a.mu.Lock()
		if active := a.byID[strings.ToLower(s.ID)].activeDevices(); active > s.DevicesAllowed {
			over++
		}
		a.mu.Unlock()
		for _, rt := range []string{ReportActiveEndpointsWithoutHidden, ReportActiveEndpoints, ReportEndpointsSeenInLast30Days} {
			totals[rt] += a.ReportCount(s.ID, rt)
		}
		totals["not_deactivated"] += a.NotDeactivatedCount(s.ID)
	}
	if names["Stark Industries"] != 2 || names["Acme Corp"] != 1 || names["ACME Corporation LLC"] != 1 {
		t.Errorf("name variations missing: %v", names)
	}
	if hints < 3 || suspended != 1 || deactivated != 1 || trial != 1 || over != 1 || dns < 10 || wsat < 5 {
		t.Errorf("hints %d suspended %d deactivated %d trial %d over-limit %d dns %d wsat %d", hints, suspended, deactivated, trial, over, dns, wsat)
	}
	seen := map[int]bool{}
	for _, n := range totals {
		seen[n] = true
	}
	if len(seen) != 4 {
		t.Errorf("endpoint bases should give four different totals: %v", totals)
	}
	hooli := DemoSitesNamed(sa, "hooli")[0]
	if !a.knobs.omitSite[ReportDevicesSeen][strings.ToLower(hooli.ID)] {
		t.Error("Hooli should be missing from the DNS report")
	}
}
