package manage

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/buildinfo"
	"cwm-webroot/backend/simulator/managesim"
)

func TestCompanyInfoAndBase(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	info, err := e.c.CompanyInfo(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if info.Codebase != "v4_6_release/" || info.CompanyName != "Simulated MSP" || info.IsCloud || info.CompanyID != "acme" {
		t.Errorf("info %+v", info)
	}
	base, err := e.c.APIBase(ctx(t))
	if err != nil || base != e.sim.APIBase() {
		t.Errorf("APIBase = %q %v, want %q", base, err, e.sim.APIBase())
	}
	// companyinfo is called without credentials.
	ci := e.sim.RequestsTo("GET", "/login/companyinfo/*")
	if len(ci) != 2 || ci[0].Header.Get("Authorization") != "" || ci[0].Path != "/login/companyinfo/acme" {
		t.Errorf("companyinfo requests %+v", ci)
	}

	cloud := newEnv(t, managesim.Options{IsCloud: true, Codebase: "v2025_1/"}, nil)
	info, err = cloud.c.CompanyInfo(ctx(t))
	if err != nil || !info.IsCloud || info.Codebase != "v2025_1/" {
		t.Errorf("cloud info %+v %v", info, err)
	}
	if _, err := cloud.c.ListCompanies(ctx(t), Query{}); err != nil {
		t.Errorf("cloud list: %v", err)
	}
	if p := cloud.sim.Requests()[len(cloud.sim.Requests())-1].Path; p != "/v2025_1/apis/3.0/company/companies" {
		t.Errorf("cloud path %s", p)
	}
}

func TestUnknownCompany(t *testing.T) {
	e := newEnv(t, simOpts(), func(c *Config) { c.CompanyID = "nobody" })
	_, err := e.c.CompanyInfo(ctx(t))
	ue := wantKind(t, err, KindUnknownCompany)
	if !strings.Contains(ue.UserMessage(), "does not know this company ID") || !strings.Contains(ue.UserMessage(), "127.0.0.1") {
		t.Errorf("message %q", ue.UserMessage())
	}
	_, err = e.c.ListAgreements(ctx(t), Query{})
	wantKind(t, err, KindUnknownCompany)
	if n := e.sim.CountRequests("", "/finance/*"); n != 0 {
		t.Errorf("%d API calls for an unknown company", n)
	}
}

func TestRequestHeaders(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	if _, err := e.c.GetCompany(ctx(t), 5); err != nil {
		t.Fatal(err)
	}
	r := e.sim.RequestsTo("GET", "/company/companies/5")[0]
	if r.Header.Get("Accept") != AcceptHeader || r.Header.Get("clientId") != testClientID ||
		r.Header.Get("User-Agent") != "cwm-webroot/"+buildinfo.Version || r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("headers %v", r.Header)
	}
	if r.Header.Get("Content-Type") != "" {
		t.Errorf("GET sent a Content-Type")
	}
	// The simulator accepted the Basic credentials; check their exact form too.
	tok := base64.StdEncoding.EncodeToString([]byte("acme+" + testPublicKey + ":" + testPrivateKey))
	if !strings.Contains(e.c.redact("Basic "+tok), "[redacted]") {
		t.Error("the Authorization value is not redacted")
	}
	if r.Status != 200 {
		t.Errorf("status %d", r.Status)
	}
}

func TestReadEndpoints(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	c := ctx(t)

	companies, err := e.c.ListCompanies(c, Query{Conditions: Eq("deletedFlag", false), OrderBy: "name asc", Fields: CompanyPickerFields()})
	if err != nil {
		t.Fatal(err)
	}
	if len(companies) != 3 || companies[0].Name != "Acme Corporation" || companies[0].Status == nil || companies[0].Status.Name != "Active" {
		t.Errorf("companies %+v", companies)
	}
	q := e.sim.RequestsTo("GET", "/company/companies")[0].Query
	if q.Get("pageSize") != "1000" || q.Get("page") != "1" || q.Get("orderBy") != "name asc" ||
		q.Get("fields") != "id,identifier,name,status/name,deletedFlag" || q.Get("conditions") != "deletedFlag=false" {
		t.Errorf("company query %v", q)
	}
	co, err := e.c.GetCompany(c, 6)
	if err != nil || co.Identifier != "OBrien" || len(co.Types) != 1 {
		t.Errorf("GetCompany %+v %v", co, err)
	}
	if n, err := e.c.CountCompanies(c, StartsWith("name", "acme")); err != nil || n != 2 {
		t.Errorf("CountCompanies %d %v", n, err)
	}

	ags, err := e.c.ListAgreements(c, Query{Conditions: And(Eq("company/id", 5), ActiveAgreements()), Fields: AgreementListFields()})
	if err != nil {
		t.Fatal(err)
	}
	if len(ags) != 2 || ags[0].ID != 871 || ags[0].Company == nil || ags[0].Company.Name != "Acme Corporation" ||
		ags[0].Type.Name != "Managed Services" || ags[0].IsChild() || !ags[1].IsChild() {
		t.Errorf("agreements %+v", ags)
	}
	ag, err := e.c.GetAgreement(c, 872)
	if err != nil || ag.BlockedReason(t0) != "cancelled" || ag.DateCancelled.IsZero() {
		t.Errorf("GetAgreement %+v %v", ag, err)
	}
	if n, err := e.c.CountAgreements(c, ActiveAgreements()); err != nil || n != 2 {
		t.Errorf("CountAgreements %d %v", n, err)
	}

	adds, err := e.c.ListAdditions(c, 871, Query{Conditions: CurrentAdditions(t0), Fields: AdditionSyncFields()})
	if err != nil {
		t.Fatal(err)
	}
	if len(adds) != 3 {
		t.Fatalf("current additions %+v", adds)
	}
	a := adds[0]
	if a.ID != 3589 || a.Product.Identifier != "WEBROOT-EP" || *a.Quantity != 42 || a.LessIncluded == nil ||
		a.BillCustomer != "Billable" || a.EffectiveDate.IsZero() || a.AgreementID != 871 || a.UnitPrice != nil {
		t.Errorf("addition %+v", a)
	}
	if adds[2].ID != 3592 || adds[2].CancelledAt(t0) || !adds[2].CancelledAt(t0.AddDate(0, 2, 0)) {
		t.Errorf("future-cancelled addition %+v", adds[2])
	}
	one, err := e.c.GetAddition(c, 871, 3591)
	if err != nil || !one.CancelledAt(t0) || one.QuantityValue() != 3 || *one.UnitPrice != 0 {
		t.Errorf("GetAddition %+v %v", one, err)
	}
	if n, err := e.c.CountAdditions(c, 871, IsNull("cancelledDate")); err != nil || n != 2 {
		t.Errorf("CountAdditions %d %v", n, err)
	}

	items, err := e.c.ListCatalogItems(c, Query{Conditions: And(StartsWith("identifier", "WEBROOT"), Eq("inactiveFlag", false))})
	if err != nil || len(items) != 2 || items[0].Identifier != "WEBROOT-EP" || *items[0].Price != 3.5 || !items[0].RecurringFlag {
		t.Errorf("catalog %+v %v", items, err)
	}
	item, err := e.c.GetCatalogItem(c, 754)
	if err != nil || !item.InactiveFlag {
		t.Errorf("GetCatalogItem %+v %v", item, err)
	}
	if n, err := e.c.CountCatalogItems(c, Cond{}); err != nil || n != 4 {
		t.Errorf("CountCatalogItems %d %v", n, err)
	}
	si, err := e.c.SystemInfo(c)
	if err != nil || si.Version != "v2025.1" {
		t.Errorf("SystemInfo %+v %v", si, err)
	}
}

func TestInvalidInputSendsNothing(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	c := ctx(t)
	checks := map[string]error{}
	_, checks["bad field"] = e.c.ListCompanies(c, Query{Fields: []string{"id", "name;x"}})
	_, checks["bad cond"] = e.c.ListCompanies(c, Query{Conditions: Eq("bad field", 1)})
	_, checks["bad order"] = e.c.ListCompanies(c, Query{OrderBy: "name; drop"})
	_, checks["order+forward"] = e.c.ListCompanies(c, Query{OrderBy: "name", ForwardOnly: true})
	_, checks["page size"] = e.c.ListCompanies(c, Query{PageSize: 5000})
	_, checks["id"] = e.c.GetAddition(c, 0, 1)
	_, checks["negative"] = e.c.UpdateAdditionQuantity(c, 871, 3589, -1, nil)
	less := -2
	_, checks["negative less"] = e.c.UpdateAdditionQuantity(c, 871, 3589, 1, &less)
	_, checks["no ops"] = e.c.PatchAddition(c, 871, 3589, nil)
	_, checks["bill"] = e.c.CreateAddition(c, 871, NewAddition{ProductID: 752, BillCustomer: "Sometimes"})
	_, checks["count cond"] = e.c.CountCompanies(c, Eq("x y", 1))
	for name, err := range checks {
		if KindOf(err) != KindInvalidInput {
			t.Errorf("%s: got %v, want invalid_input", name, err)
		}
	}
	if n := e.sim.CountRequests("", ""); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestUpdateQuantity(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	c := ctx(t)
	a, err := e.c.UpdateAdditionQuantity(c, 871, 3589, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Quantity == nil || *a.Quantity != 0 {
		t.Errorf("returned %+v", a)
	}
	req := e.sim.RequestsTo("PATCH", "/finance/agreements/871/additions/3589")[0]
	// Zero must travel as a JSON number, and lessIncluded only when given.
	if string(req.Body) != `[{"op":"replace","path":"quantity","value":0}]` {
		t.Errorf("body %s", req.Body)
	}
	var ops []map[string]any
	if err := json.Unmarshal(req.Body, &ops); err != nil || ops[0]["value"] != 0.0 {
		t.Errorf("value is not the number 0: %s", req.Body)
	}
	if req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", req.Header.Get("Content-Type"))
	}
	if st, _ := e.sim.Addition(3589); st.Quantity != 0 {
		t.Errorf("stored quantity %v", st.Quantity)
	}

	less := 5
	a, err = e.c.UpdateAdditionQuantity(c, 871, 3589, 57, &less)
	if err != nil || *a.Quantity != 57 || *a.LessIncluded != 5 {
		t.Fatalf("update with lessIncluded: %+v %v", a, err)
	}
	reqs := e.sim.RequestsTo("PATCH", "/finance/agreements/871/additions/3589")
	if b := string(reqs[1].Body); b != `[{"op":"replace","path":"quantity","value":57},{"op":"replace","path":"lessIncluded","value":5}]` {
		t.Errorf("body %s", b)
	}
}

func TestUpdateQuantityFalse200(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.Inject(managesim.Fault{Method: "PATCH", FalseOK: true})
	a, err := e.c.UpdateAdditionQuantity(ctx(t), 871, 3589, 7, nil)
	ne := wantKind(t, err, KindNotApplied)
	if ne.Field != "quantity" || ne.Sent != 7 || ne.Kept == nil || *ne.Kept != 42 || *a.Quantity != 42 {
		t.Errorf("error %+v, addition %+v", ne, a)
	}
	if msg := ne.UserMessage(); !strings.Contains(msg, "kept quantity 42 instead of 7") {
		t.Errorf("message %q", msg)
	}
	// lessIncluded is checked too.
	e.sim.Inject(managesim.Fault{Method: "PATCH", FalseOK: true})
	less := 3
	_, err = e.c.UpdateAdditionQuantity(ctx(t), 871, 3589, 42, &less)
	if ne := wantKind(t, err, KindNotApplied); ne.Field != "lessIncluded" {
		t.Errorf("field %s", ne.Field)
	}
}

func TestPatchValidationError(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	_, err := e.c.PatchAddition(ctx(t), 871, 3589, []PatchOp{{Op: "replace", Path: "bogus", Value: 1}})
	ve := wantKind(t, err, KindValidation)
	if ve.Status != 400 || ve.Code != "InvalidObject" || len(ve.Problems) != 1 || ve.Problems[0].Field != "bogus" || ve.RequestID == "" {
		t.Errorf("error %+v", ve)
	}
	if msg := ve.UserMessage(); !strings.Contains(msg, "bogus") || !strings.Contains(msg, ve.RequestID) {
		t.Errorf("message %q", msg)
	}
	if n := e.sim.CountRequests("PATCH", ""); n != 1 {
		t.Errorf("400 was sent %d times", n)
	}
}

func TestCreateAddition(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	c := ctx(t)
	less := 2
	a, err := e.c.CreateAddition(c, 871, NewAddition{ProductID: 753, Quantity: 0, LessIncluded: &less,
		EffectiveDate: t0})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || *a.Quantity != 0 || *a.LessIncluded != 2 || a.BillCustomer != "Billable" || a.Product.ID != 753 {
		t.Errorf("created %+v", a)
	}
	req := e.sim.RequestsTo("POST", "/finance/agreements/871/additions")[0]
	var body map[string]any
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body["quantity"] != 0.0 || body["billCustomer"] != "Billable" || body["effectiveDate"] != "2025-06-01T12:00:00Z" {
		t.Errorf("POST body %s", req.Body)
	}
	if _, ok := e.sim.Addition(a.ID); !ok {
		t.Error("not stored")
	}
	_, err = e.c.CreateAddition(c, 871, NewAddition{ProductID: 9999, Quantity: 1})
	if ve := wantKind(t, err, KindValidation); ve.Problems[0].Field != "product" {
		t.Errorf("problems %+v", ve.Problems)
	}
	_, err = e.c.CreateAddition(c, 999, NewAddition{ProductID: 752, Quantity: 1})
	wantKind(t, err, KindNotFound)
}

// A POST is not idempotent: a 5xx may have created the record, so it is not re-sent. A 429
// was refused before any work, so it is.
func TestCreateAdditionRetries(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.FailNext("POST", "/finance/agreements/871/additions", 1, http.StatusServiceUnavailable)
	_, err := e.c.CreateAddition(ctx(t), 871, NewAddition{ProductID: 752, Quantity: 1})
	wantKind(t, err, KindServer)
	if n := e.sim.CountRequests("POST", ""); n != 1 {
		t.Errorf("POST after 503 sent %d times", n)
	}
	e.sim.Inject(managesim.Fault{Method: "POST", Status: 429, RetryAfter: "1"})
	if _, err := e.c.CreateAddition(ctx(t), 871, NewAddition{ProductID: 752, Quantity: 1}); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.CountRequests("POST", ""); n != 3 {
		t.Errorf("POST sent %d times in all, want 3", n)
	}
}

// recordingTransport notes the Authorization header of every request it passes on.
type recordingTransport struct {
	mu    sync.Mutex
	auths map[string]string // path → Authorization
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.auths[r.URL.Path] = r.Header.Get("Authorization")
	rt.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// The injected transport is used, API calls carry Basic base64("{companyId}+{publicKey}:
// {privateKey}"), and companyinfo carries no credentials.
func TestTransportAndBasicAuth(t *testing.T) {
	rt := &recordingTransport{auths: map[string]string{}}
	e := newEnv(t, simOpts(), func(c *Config) { c.Transport = rt })
	if _, err := e.c.GetAgreement(ctx(t), 871); err != nil {
		t.Fatal(err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("acme+"+testPublicKey+":"+testPrivateKey))
	if got := rt.auths["/v4_6_release/apis/3.0/finance/agreements/871"]; got != want {
		t.Errorf("Authorization %q, want %q", got, want)
	}
	if got, ok := rt.auths["/login/companyinfo/acme"]; !ok || got != "" {
		t.Errorf("companyinfo Authorization %q (seen %v)", got, ok)
	}
}

// The connection test does not sit out a long Retry-After; a sync would.
func TestInteractiveRetryAfterCap(t *testing.T) {
	e := newEnv(t, simOpts(), nil)
	e.sim.Inject(managesim.Fault{Path: "/system/info", Status: 429, RetryAfter: "30"})
	r := e.c.TestConnection(ctx(t))
	if r.OK || r.Failure() == nil || r.Failure().Kind != KindThrottled || !strings.Contains(r.Failure().Message, "Wait 30s") {
		t.Fatalf("%+v", r)
	}
	if len(e.clock.Sleeps()) != 0 {
		t.Errorf("waited %v", e.clock.Sleeps())
	}
	e.sim.Inject(managesim.Fault{Path: "/system/info", Status: 429, RetryAfter: "30"})
	// (No deadline: a 30 s wait would outlast ctx(t)'s, and the client would not start it.)
	if _, err := e.c.SystemInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := e.clock.Sleeps(); len(s) != 1 || s[0] != 30*time.Second {
		t.Errorf("background sleeps %v", s)
	}
}
