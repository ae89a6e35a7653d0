package managesim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCompanyInfo(t *testing.T) {
	s := startSim(t, Options{CompanyID: "acme", CompanyName: "Acme MSP", IsCloud: true, Codebase: "v2025_1"})
	resp, body := send(t, "GET", s.URL()+"/login/companyinfo/ACME", "")
	wantStatus(t, resp, body, 200)
	info := decode[map[string]any](t, body)
	if info["Codebase"] != "v2025_1/" || info["IsCloud"] != "True" || info["CompanyName"] != "Acme MSP" {
		t.Errorf("companyinfo = %v", info)
	}
	resp, body = send(t, "GET", s.URL()+"/login/companyinfo/nobody", "")
	wantStatus(t, resp, body, 200)
	if strings.TrimSpace(string(body)) != "null" {
		t.Errorf("unknown company body = %q, want null", body)
	}
}

func TestAuthAndClientID(t *testing.T) {
	s := startSim(t, Options{})
	seedSmall(s)
	resp, body := api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 200)
	if resp.Header.Get("x-cw-request-id") == "" || resp.Header.Get("api-current-version") != APIVersion {
		t.Errorf("missing response headers: %v", resp.Header)
	}

	wrongKey := func(r *http.Request) { r.SetBasicAuth("simmsp+sim-public-key", "wrong") }
	resp, body = api(t, s, "GET", "/company/companies", "", wrongKey)
	wantStatus(t, resp, body, 401)
	if e := decode[map[string]any](t, body); e["code"] != "Unauthorized" {
		t.Errorf("401 body = %s", body)
	}
	noAuth := func(r *http.Request) { r.Header.Del("Authorization") }
	resp, body = api(t, s, "GET", "/company/companies", "", noAuth)
	wantStatus(t, resp, body, 401)
	wrongCompany := func(r *http.Request) { r.SetBasicAuth("other+sim-public-key", "sim-private-key") }
	resp, body = api(t, s, "GET", "/company/companies", "", wrongCompany)
	wantStatus(t, resp, body, 401)

	noClient := func(r *http.Request) { r.Header.Del("clientId") }
	resp, body = api(t, s, "GET", "/company/companies", "", noClient)
	wantStatus(t, resp, body, 401)
	if !strings.Contains(string(body), "clientId") {
		t.Errorf("clientId error does not name it: %s", body)
	}

	s400 := startSim(t, Options{ClientID: testClientID, ClientIDStatus: 400})
	other := func(r *http.Request) { r.Header.Set("clientId", "00000000-0000-0000-0000-000000000000") }
	resp, body = api(t, s400, "GET", "/company/companies", "", other)
	wantStatus(t, resp, body, 400)
	resp, body = api(t, s400, "GET", "/company/companies", "") // the right one
	wantStatus(t, resp, body, 200)
}

func TestCodebaseChange(t *testing.T) {
	s := startSim(t, Options{})
	seedSmall(s)
	old := s.APIBase()
	s.SetCodebase("v2025_2")
	resp, body := send(t, "GET", old+"/company/companies", "", authed(s))
	wantStatus(t, resp, body, 404)
	if string(body) != "Cannot route. Codebase/company is invalid" {
		t.Errorf("body = %q", body)
	}
	resp, body = api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 200)
	if !strings.Contains(s.APIBase(), "/v2025_2/apis/3.0") {
		t.Errorf("APIBase = %s", s.APIBase())
	}
}

func TestPagingLinks(t *testing.T) {
	s := startSim(t, Options{})
	for i := 1; i <= 7; i++ {
		s.AddCompany(Company{ID: i, Identifier: "C" + string(rune('A'+i)), Name: "Company"})
	}
	// One page: no Link header at all.
	resp, body := api(t, s, "GET", "/company/companies?pageSize=10", "")
	wantStatus(t, resp, body, 200)
	if _, ok := resp.Header["Link"]; ok {
		t.Errorf("single page has a Link header: %q", resp.Header.Get("Link"))
	}
	if n := len(decode[[]doc](t, body)); n != 7 {
		t.Errorf("got %d rows", n)
	}
	// Default page size is 25.
	resp, body = api(t, s, "GET", "/company/companies", "")
	if n := len(decode[[]doc](t, body)); n != 7 || resp.Header.Get("Link") != "" {
		t.Errorf("default paging: %d rows, Link %q", n, resp.Header.Get("Link"))
	}

	resp, body = api(t, s, "GET", "/company/companies?pageSize=3&page=1&conditions=id>0", "")
	link := resp.Header.Get("Link")
	for _, want := range []string{`page=1`, `rel="first"`, `page=2`, `rel="next"`, `page=3`, `rel="last"`, "conditions=id%3E0", s.URL()} {
		if !strings.Contains(link, want) {
			t.Errorf("page 1 Link %q lacks %q", link, want)
		}
	}
	if strings.Contains(link, `rel="prev"`) {
		t.Errorf("page 1 has prev: %q", link)
	}
	rows := decode[[]doc](t, body)
	if len(rows) != 3 || rows[0]["id"] != 1.0 {
		t.Errorf("page 1 rows %v", rows)
	}
	resp, _ = api(t, s, "GET", "/company/companies?pageSize=3&page=2", "")
	if l := resp.Header.Get("Link"); !strings.Contains(l, `rel="prev"`) || !strings.Contains(l, `rel="next"`) {
		t.Errorf("page 2 Link %q", l)
	}
	resp, body = api(t, s, "GET", "/company/companies?pageSize=3&page=3", "")
	if l := resp.Header.Get("Link"); strings.Contains(l, `rel="next"`) || !strings.Contains(l, `rel="last"`) {
		t.Errorf("last page Link %q", l)
	}
	if n := len(decode[[]doc](t, body)); n != 1 {
		t.Errorf("last page has %d rows", n)
	}
	resp, body = api(t, s, "GET", "/company/companies?pageSize=abc", "")
	wantStatus(t, resp, body, 400)
}

func TestPageSizeCap(t *testing.T) {
	s := startSim(t, Options{})
	for i := 1; i <= 1005; i++ {
		s.AddCompany(Company{ID: i, Name: "C"})
	}
	resp, body := api(t, s, "GET", "/company/companies?pageSize=5000", "")
	if n := len(decode[[]doc](t, body)); n != 1000 || !strings.Contains(resp.Header.Get("Link"), `rel="next"`) {
		t.Errorf("pageSize=5000 gave %d rows, Link %q", n, resp.Header.Get("Link"))
	}
}

func TestForwardOnly(t *testing.T) {
	s := startSim(t, Options{})
	for i := 1; i <= 5; i++ {
		s.AddCompany(Company{ID: i * 10, Name: "C"})
	}
	fo := func(r *http.Request) { r.Header.Set("pagination-type", "forward-only") }
	resp, body := api(t, s, "GET", "/company/companies?pageSize=2", "", fo)
	rows := decode[[]doc](t, body)
	if len(rows) != 2 || rows[1]["id"] != 20.0 || !strings.Contains(resp.Header.Get("Link"), "pageId=20") {
		t.Fatalf("first page %v, Link %q", rows, resp.Header.Get("Link"))
	}
	resp, body = api(t, s, "GET", "/company/companies?pageSize=2&pageId=40", "", fo)
	rows = decode[[]doc](t, body)
	if len(rows) != 1 || rows[0]["id"] != 50.0 {
		t.Fatalf("last page %v", rows)
	}
	if v, ok := resp.Header["Link"]; !ok || v[0] != "" {
		t.Errorf("last forward-only page Link = %v (present %v), want present and empty", v, ok)
	}
	resp, body = api(t, s, "GET", "/company/companies?orderBy=name%20asc", "", fo)
	wantStatus(t, resp, body, 400)
	// Child endpoints answer navigably (unverified support): no pageId links.
	agreementID, _ := seedSmall(s)
	resp, _ = api(t, s, "GET", "/finance/agreements/"+itoa(agreementID)+"/additions?pageSize=1", "", fo)
	if l := resp.Header.Get("Link"); strings.Contains(l, "pageId") || !strings.Contains(l, "page=2") {
		t.Errorf("additions forward-only Link %q", l)
	}
}

func TestFieldsOrderByCountAndGet(t *testing.T) {
	s := startSim(t, Options{})
	seedSmall(s)
	resp, body := api(t, s, "GET", "/finance/agreements?fields=id,company/id,type/name", "")
	wantStatus(t, resp, body, 200)
	rows := decode[[]map[string]any](t, body)
	if len(rows) != 1 || len(rows[0]) != 3 {
		t.Fatalf("projection: %v", rows)
	}
	if c := rows[0]["company"].(map[string]any); len(c) != 1 || c["id"] != 5.0 {
		t.Errorf("company projection %v", c)
	}

	resp, body = api(t, s, "GET", "/company/companies?orderBy=name%20desc&fields=id,name", "")
	rows = decode[[]map[string]any](t, body)
	if len(rows) != 2 || rows[0]["id"] != 6.0 {
		t.Errorf("orderBy name desc: %v", rows)
	}
	resp, body = api(t, s, "GET", "/company/companies?orderBy=bogus", "")
	wantStatus(t, resp, body, 400)

	resp, body = api(t, s, "GET", "/company/companies/count?conditions=name%20like%20%22acme*%22", "")
	wantStatus(t, resp, body, 200)
	if c := decode[map[string]int](t, body); c["count"] != 1 {
		t.Errorf("count = %v", c)
	}
	resp, body = api(t, s, "GET", "/finance/agreements/871/additions/count?conditions=cancelledDate=null", "")
	if c := decode[map[string]int](t, body); c["count"] != 1 {
		t.Errorf("additions count = %v", c)
	}

	resp, body = api(t, s, "GET", "/finance/agreements/871/additions/3589", "")
	wantStatus(t, resp, body, 200)
	a := decode[map[string]any](t, body)
	if a["quantity"] != 42.0 || a["agreementId"] != 871.0 || a["billCustomer"] != "Billable" ||
		a["product"].(map[string]any)["identifier"] != "WEBROOT-EP" || a["cancelledDate"] != nil {
		t.Errorf("addition = %v", a)
	}
	resp, body = api(t, s, "GET", "/finance/agreements/871/additions/9999", "")
	wantStatus(t, resp, body, 404)
	if e := decode[map[string]any](t, body); e["code"] != "NotFound" {
		t.Errorf("404 body %s", body)
	}
	resp, body = api(t, s, "GET", "/finance/agreements/999/additions", "")
	wantStatus(t, resp, body, 404)
	resp, body = api(t, s, "GET", "/procurement/catalog/752", "")
	wantStatus(t, resp, body, 200)
	resp, body = api(t, s, "GET", "/system/info", "")
	wantStatus(t, resp, body, 200)
	resp, body = api(t, s, "GET", "/nothing/here", "")
	wantStatus(t, resp, body, 404)
	resp, body = api(t, s, "PUT", "/finance/agreements/871", "{}")
	wantStatus(t, resp, body, 405)
	resp, body = api(t, s, "GET", "/company/companies?conditions=name%3D%22unclosed", "")
	wantStatus(t, resp, body, 400)
	if e := decode[map[string]any](t, body); e["code"] != "InvalidObject" {
		t.Errorf("bad condition body %s", body)
	}
}

func TestPermissions(t *testing.T) {
	s := startSim(t, Options{})
	seedSmall(s)
	s.Deny(ModuleAgreements, LevelEdit)
	resp, body := api(t, s, "GET", "/finance/agreements", "")
	wantStatus(t, resp, body, 200)
	resp, body = api(t, s, "PATCH", "/finance/agreements/871/additions/3589", `[{"op":"replace","path":"quantity","value":1}]`)
	wantStatus(t, resp, body, 403)
	if !strings.Contains(string(body), "Finance / Agreements") {
		t.Errorf("403 does not name the module: %s", body)
	}
	s.Deny(ModuleAgreements)
	resp, body = api(t, s, "GET", "/finance/agreements", "")
	wantStatus(t, resp, body, 403)
	s.Allow(ModuleAgreements)
	resp, body = api(t, s, "GET", "/finance/agreements", "")
	wantStatus(t, resp, body, 200)
}

func TestPatchAddition(t *testing.T) {
	s := startSim(t, Options{})
	agreementID, id := seedSmall(s)
	path := "/finance/agreements/" + itoa(agreementID) + "/additions/" + itoa(id)
	patch := func(body string, want int) map[string]any {
		t.Helper()
		resp, b := api(t, s, "PATCH", path, body)
		wantStatus(t, resp, b, want)
		return decode[map[string]any](t, b)
	}
	got := patch(`[{"op":"replace","path":"quantity","value":0},{"op":"replace","path":"lessIncluded","value":5}]`, 200)
	if got["quantity"] != 0.0 || got["lessIncluded"] != 5.0 {
		t.Errorf("after patch: %v", got)
	}
	if a, _ := s.Addition(id); a.Quantity != 0 || a.LessIncluded == nil || *a.LessIncluded != 5 || a.UpdatedBy != "sim-public-key" {
		t.Errorf("stored: %+v", a)
	}
	// Leading slash and a numeric string, as public scripts send.
	got = patch(`[{"op":"replace","path":"/quantity","value":"17"}]`, 200)
	if got["quantity"] != 17.0 {
		t.Errorf("quantity = %v", got["quantity"])
	}
	// Patching inside a reference is a "false 200": accepted, nothing changes.
	got = patch(`[{"op":"replace","path":"product/id","value":1}]`, 200)
	if got["product"].(map[string]any)["id"] != 752.0 {
		t.Errorf("product changed: %v", got["product"])
	}
	for body, field := range map[string]string{
		`[{"op":"replace","path":"quantity","value":-1}]`:      "quantity",
		`[{"op":"replace","path":"quantity","value":"ab"}]`:    "quantity",
		`[{"op":"replace","path":"quantity"}]`:                 "quantity",
		`[{"op":"replace","path":"bogus","value":1}]`:          "bogus",
		`[{"op":"move","path":"quantity","value":1}]`:          "quantity",
		`[{"op":"remove","path":"quantity"}]`:                  "quantity",
		`[{"op":"replace","path":"billCustomer","value":"x"}]`: "billCustomer",
	} {
		e := patch(body, 400)
		errs, _ := e["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["field"] != field {
			t.Errorf("%s: errors %v, want one naming %s", body, e["errors"], field)
		}
	}
	// Nothing was applied by the failed patches.
	if a, _ := s.Addition(id); a.Quantity != 17 {
		t.Errorf("quantity after failed patches = %v", a.Quantity)
	}
	patch(`{"op":"replace","path":"quantity","value":1}`, 400) // not an array
	resp, b := api(t, s, "PATCH", path, `[]`, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") })
	wantStatus(t, resp, b, 415)
	patch(`[{"op":"remove","path":"lessIncluded"}]`, 200)
	if a, _ := s.Addition(id); a.LessIncluded != nil {
		t.Errorf("lessIncluded not removed")
	}
	resp, b = api(t, s, "PATCH", "/finance/agreements/871/additions/777", `[{"op":"replace","path":"quantity","value":1}]`)
	wantStatus(t, resp, b, 404)
}

func TestCreateAndDeleteAddition(t *testing.T) {
	s := startSim(t, Options{Now: func() time.Time { return day0 }})
	seedSmall(s)
	resp, body := api(t, s, "POST", "/finance/agreements/871/additions",
		`{"product":{"id":752},"billCustomer":"Billable","quantity":9}`)
	wantStatus(t, resp, body, 201)
	a := decode[map[string]any](t, body)
	if a["quantity"] != 9.0 || a["unitPrice"] != 3.5 || a["effectiveDate"] != "2025-06-01T00:00:00Z" || a["id"] == 3590.0 {
		t.Errorf("created %v", a)
	}
	resp, body = api(t, s, "POST", "/finance/agreements/871/additions", `{"product":{"id":1},"quantity":1}`)
	wantStatus(t, resp, body, 400)
	e := decode[map[string]any](t, body)
	if len(e["errors"].([]any)) != 2 {
		t.Errorf("want errors for product and billCustomer: %s", body)
	}
	id := int(a["id"].(float64))
	resp, body = api(t, s, "DELETE", "/finance/agreements/871/additions/"+itoa(id), "")
	wantStatus(t, resp, body, 204)
	if _, ok := s.Addition(id); ok {
		t.Error("addition still stored")
	}
}

func TestFaults(t *testing.T) {
	s := startSim(t, Options{})
	seedSmall(s)
	s.FailNext("GET", "/company/companies", 2, 503)
	for i := 0; i < 2; i++ {
		resp, body := api(t, s, "GET", "/company/companies", "")
		wantStatus(t, resp, body, 503)
	}
	resp, body := api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 200)

	s.Inject(Fault{Path: "/finance/agreements/*/additions", Status: 429, RetryAfter: "7"})
	resp, body = api(t, s, "GET", "/finance/agreements/871/additions", "")
	wantStatus(t, resp, body, 429)
	if resp.Header.Get("Retry-After") != "7" || decode[map[string]any](t, body)["error"] != "ConnectWiseAPI" {
		t.Errorf("429: %v %s", resp.Header, body)
	}

	s.Inject(Fault{Method: "GET", Path: "/company/companies", Malformed: true})
	resp, body = api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 200)
	if json.Valid(body) {
		t.Errorf("malformed body is valid JSON: %s", body)
	}

	// Every call, as Go's transport re-sends a GET once on a reused connection that drops.
	s.Inject(Fault{Path: "/procurement/catalog", Reset: true, Times: -1})
	req, _ := http.NewRequest("GET", s.APIBase()+"/procurement/catalog", nil)
	authed(s)(req)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("reset: got an answer")
	}
	if reqs := s.RequestsTo("GET", "/procurement/catalog"); len(reqs) == 0 || reqs[0].Status != -1 {
		t.Errorf("reset not recorded as -1: %+v", reqs)
	}
	s.ClearFaults()

	s.Inject(Fault{Method: "PATCH", FalseOK: true})
	resp, body = api(t, s, "PATCH", "/finance/agreements/871/additions/3589", `[{"op":"replace","path":"quantity","value":1}]`)
	wantStatus(t, resp, body, 200)
	if decode[map[string]any](t, body)["quantity"] != 42.0 {
		t.Errorf("false 200 changed the quantity: %s", body)
	}

	s.Inject(Fault{Path: "/login/companyinfo/*", Status: 404, Body: "<html>nope</html>", ContentType: "text/html"})
	resp, body = send(t, "GET", s.URL()+"/login/companyinfo/simmsp", "")
	wantStatus(t, resp, body, 404)

	s.Inject(Fault{Path: "/company/companies", Times: -1, Status: 500})
	for i := 0; i < 3; i++ {
		resp, body = api(t, s, "GET", "/company/companies", "")
		wantStatus(t, resp, body, 500)
	}
	s.ClearFaults()
	resp, body = api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 200)

	if n := s.CountRequests("GET", "/company/companies"); n != 8 {
		t.Errorf("recorded %d company calls, want 8", n)
	}
	reqs := s.RequestsTo("PATCH", "/finance/agreements/*/additions/*")
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"value":1`) || reqs[0].Status != 200 ||
		reqs[0].Header.Get("Authorization") != "[redacted]" {
		t.Errorf("recorded PATCH %+v", reqs)
	}
}

func TestThrottle(t *testing.T) {
	now := day0
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := startSim(t, Options{Now: clock, RatePerMinute: 60, Burst: 2})
	seedSmall(s)
	for i := 0; i < 2; i++ {
		resp, body := api(t, s, "GET", "/company/companies", "")
		wantStatus(t, resp, body, 200)
	}
	resp, body := api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 429)
	if resp.Header.Get("Retry-After") != "1" || !strings.Contains(string(body), "Too many requests") {
		t.Errorf("429: Retry-After %q body %s", resp.Header.Get("Retry-After"), body)
	}
	// companyinfo is not throttled.
	resp, body = send(t, "GET", s.URL()+"/login/companyinfo/simmsp", "")
	wantStatus(t, resp, body, 200)
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	resp, body = api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 200)
	s.SetThrottleHTML(true)
	resp, body = api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 429)
	if !strings.HasPrefix(string(body), "<html>") {
		t.Errorf("HTML 429 body %s", body)
	}
	if s.ThrottledCount() != 2 {
		t.Errorf("ThrottledCount = %d", s.ThrottledCount())
	}
	s.SetRateLimit(0, 0)
	resp, body = api(t, s, "GET", "/company/companies", "")
	wantStatus(t, resp, body, 200)
}

// Latency is a timer per request: twenty concurrent requests with 100 ms latency finish in
// about 100 ms, not two seconds.
func TestLatencyOverlaps(t *testing.T) {
	s := startSim(t, Options{Latency: 100 * time.Millisecond})
	seedSmall(s)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", s.APIBase()+"/company/companies", nil)
			authed(s)(req)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if el := time.Since(start); el < 100*time.Millisecond || el > time.Second {
		t.Errorf("20 concurrent requests took %s", el)
	}
	if s.MaxInFlight() < 10 {
		t.Errorf("MaxInFlight = %d, want the requests to overlap", s.MaxInFlight())
	}
}

func TestSeedDemo(t *testing.T) {
	s := New(Options{})
	d := s.SeedDemo(day0)
	if len(d.Companies) < 30 || len(d.Agreements) < 30 || len(d.Additions) < 50 {
		t.Fatalf("demo too small: %d companies, %d agreements, %d additions", len(d.Companies), len(d.Agreements), len(d.Additions))
	}
	names := map[string]int{}
	deleted, cancelled, expired, child, cancelledAdds, futureCancel := 0, 0, 0, 0, 0, 0
	for _, c := range d.Companies {
		names[c.Name]++
		if c.Deleted {
			deleted++
		}
	}
	for _, a := range d.Agreements {
		switch {
		case a.Cancelled:
			cancelled++
		case a.Status == "Expired":
			expired++
		case a.ParentID != 0:
			child++
		}
	}
	for _, a := range d.Additions {
		if !a.CancelledDate.IsZero() && a.CancelledDate.Before(day0) {
			cancelledAdds++
		}
		if a.CancelledDate.After(day0) {
			futureCancel++
		}
	}
	if names["Acme Corporation"] != 2 || names["Northwind Traders"] != 2 || deleted != 1 {
		t.Errorf("name variations: %v, deleted %d", names, deleted)
	}
	if cancelled == 0 || expired == 0 || child == 0 || cancelledAdds == 0 || futureCancel == 0 {
		t.Errorf("problems missing: cancelled %d expired %d child %d cancelled additions %d future %d",
			cancelled, expired, child, cancelledAdds, futureCancel)
	}
	for _, p := range []string{ProductEndpoint, ProductDNS, ProductWSAT} {
		if d.Products[p] == 0 {
			t.Errorf("catalog lacks %s", p)
		}
	}
	// Deterministic: a second site seeded the same way holds the same quantities.
	d2 := New(Options{}).SeedDemo(day0)
	for i := range d.Additions {
		if d.Additions[i].Quantity != d2.Additions[i].Quantity {
			t.Fatal("SeedDemo is not deterministic")
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
