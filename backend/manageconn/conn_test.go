package manageconn_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/managesim"
)

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var v *apperr.Validation
	if !errors.As(err, &v) {
		t.Fatalf("want a validation error, got %v", err)
	}
	out := map[string]string{}
	for _, f := range v.Fields {
		out[f.Field] = f.Message
	}
	return out
}

func TestSaveValidatesEveryFieldAndWritesNothing(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	_, err := e.svc.Save(ctx, "tester", manageconn.ConfigInput{Site: "http://cw.example.com", CompanyID: "blue wave",
		PublicKey: "", PrivateKey: simPrivateKey, ClientID: "not-a-guid"})
	fields := fieldsOf(t, err)
	for _, label := range []string{manageconn.FieldSite, manageconn.FieldCompanyID, manageconn.FieldUsername,
		manageconn.FieldPublicKey, manageconn.FieldClientID} {
		if fields[label] == "" {
			t.Errorf("no message for %q in %v", label, fields)
		}
	}
	if _, ok := fields[manageconn.FieldPrivateKey]; ok {
		t.Errorf("a typed private key was reported: %v", fields)
	}
	if n := e.Count(`SELECT COUNT(*) FROM settings WHERE key LIKE 'manage.%'`); n != 0 {
		t.Errorf("%d manage settings written by a refused save", n)
	}
	if has, _ := e.Secrets.Has(secrets.ManagePrivateKey); has {
		t.Error("the private key was stored by a refused save")
	}
	if len(e.Audit()) != 0 {
		t.Error("a refused save was audited")
	}
	// Without any saved key, an empty Private Key is refused too.
	in := e.good()
	in.PrivateKey = ""
	fields = fieldsOf(t, e.svc.Validate(ctx, in))
	if fields[manageconn.FieldPrivateKey] == "" || len(fields) != 1 {
		t.Errorf("empty private key: %v", fields)
	}
}

func TestSaveStoresFieldsAndKeySeparatelyAndAudits(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	in := e.good()
	in.Site = " " + e.url + "/ "
	in.ClientID = "{" + strings.ToUpper(simClientID) + "}"
	res := e.save(in)
	if len(res.Changed) != 6 {
		t.Errorf("changed %v, want all six fields", res.Changed)
	}
	v := res.Config
	if !v.Configured || v.Site != e.url || v.CompanyID != simCompany || v.Username != simUsername ||
		v.PublicKey != simPublicKey || v.ClientID != simClientID || !v.PrivateKeySaved {
		t.Errorf("config view %+v", v)
	}
	if got, _ := e.Secrets.Get(secrets.ManagePrivateKey); got != simPrivateKey {
		t.Errorf("keychain holds %q", got)
	}
	for key, want := range map[string]string{manageconn.KeySite: e.url, manageconn.KeyCompanyID: simCompany,
		manageconn.KeyUsername: simUsername, manageconn.KeyPublicKey: simPublicKey, manageconn.KeyClientID: simClientID} {
		if got, _ := e.Setting(key); got != want {
			t.Errorf("setting %s = %q, want %q", key, got, want)
		}
	}
	entries := e.Audit()
	if len(entries) != 1 || entries[0].Action != manageconn.AuditActionSaved || entries[0].Actor != "tester@bluewave.example" ||
		!strings.Contains(entries[0].Detail, "private key replaced") {
		t.Fatalf("audit %+v", entries)
	}
	st, err := e.svc.Status(ctx)
	if err != nil || st.State != manageconn.StateUntested {
		t.Fatalf("status after save: %+v %v", st, err)
	}

	// Saving the same form with an empty private key changes nothing and keeps the key.
	in2 := e.good()
	in2.PrivateKey = ""
	res = e.save(in2)
	if len(res.Changed) != 0 || !res.Config.PrivateKeySaved || len(e.Audit()) != 1 {
		t.Errorf("unchanged save: %+v, %d audit entries", res, len(e.Audit()))
	}
	// A new username alone keeps the key.
	in2.Username = "api-other"
	res = e.save(in2)
	if len(res.Changed) != 1 || res.Changed[0] != manageconn.FieldUsername {
		t.Errorf("changed %v", res.Changed)
	}
	if got, _ := e.Secrets.Get(secrets.ManagePrivateKey); got != simPrivateKey {
		t.Error("the saved private key was lost")
	}
	// A new public key needs its private key.
	in2.PublicKey = "AnotherPublicKey1"
	fields := fieldsOf(t, e.svc.Validate(ctx, in2))
	if !strings.Contains(fields[manageconn.FieldPrivateKey], "new public key") {
		t.Errorf("public key changed alone: %v", fields)
	}
}

func TestGetConfigSuggestsTheSignedUpCompany(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	v, err := e.svc.GetConfig(ctx)
	if err != nil || v.Configured || v.ClientID != manageconn.DefaultClientID || v.DefaultClientID != manageconn.DefaultClientID || v.PrivateKeySaved {
		t.Fatalf("empty config: %+v %v", v, err)
	}
	if _, err := account.New(e.Store, nil, nil).SignUp(ctx, account.SignUpInput{CompanyName: "Bluewave IT", TimeZone: "UTC",
		ManageCompanyID: "bluewave", ManageSite: "eu.myconnectwise.net", Name: "Dana", Email: "dana@bluewave.example"}); err != nil {
		t.Fatal(err)
	}
	v, _ = e.svc.GetConfig(ctx)
	if v.Site != "eu.myconnectwise.net" || v.CompanyID != "bluewave" || v.Configured {
		t.Errorf("suggestions %+v", v)
	}
	// A keychain that fails does not stop the form from loading.
	mem := secrets.NewMemory()
	mem.Fail = errors.New("the OS keychain is not available: locked")
	e2 := newEnv(t, mem)
	v, err = e2.svc.GetConfig(ctx)
	if err != nil || !strings.Contains(v.KeychainProblem, "locked") {
		t.Errorf("locked keychain: %+v %v", v, err)
	}
	// And a save then fails whole, naming the keychain.
	if _, err := e2.svc.Save(ctx, "t", e2.good()); err == nil || !strings.Contains(err.Error(), "keychain") {
		t.Errorf("save with a locked keychain: %v", err)
	}
	if n := e2.Count(`SELECT COUNT(*) FROM settings WHERE key LIKE 'manage.%'`); n != 0 {
		t.Errorf("%d settings written with a locked keychain", n)
	}
}

func TestConnectionTestGoodThenBadKeysThenFixed(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if _, err := e.svc.Test(ctx); !errors.Is(err, manageconn.ErrNotConfigured) {
		t.Fatalf("test before save: %v", err)
	}
	e.save(e.good())
	out, err := e.svc.Test(ctx)
	if err != nil || !out.OK {
		t.Fatalf("good test: %+v %v", out, err)
	}
	ids := []string{}
	for _, s := range out.Steps {
		ids = append(ids, s.ID)
		if s.Status != manageconn.StepOK {
			t.Errorf("step %s: %s %s", s.ID, s.Status, s.Message)
		}
	}
	if strings.Join(ids, ",") != "codebase,authentication,agreements,companies,catalog" {
		t.Errorf("steps %v", ids)
	}
	if out.CompanyName != "Bluewave IT Services" || out.Summary != `Connected as api-billing to "Bluewave IT Services"` {
		t.Errorf("outcome %+v", out)
	}
	st, _ := e.svc.Status(ctx)
	if st.State != manageconn.StateConnected || st.ConnectedSince == nil || st.Summary != out.Summary {
		t.Errorf("status %+v", st)
	}

	// Wrong private key: a failure in words, pointing at the key; the state is failing.
	in := e.good()
	in.PrivateKey = badPrivateKey
	e.save(in)
	out, err = e.svc.Test(ctx)
	if err != nil || out.OK {
		t.Fatalf("bad keys: %+v %v", out, err)
	}
	if out.Field != manageconn.FieldPrivateKey || !strings.Contains(out.Summary, "rejected the API keys") {
		t.Errorf("bad keys outcome %+v", out)
	}
	if out.Steps[1].Status != manageconn.StepFailed || out.Steps[2].Status != manageconn.StepSkipped {
		t.Errorf("steps %+v", out.Steps)
	}
	st, _ = e.svc.Status(ctx)
	if st.State != manageconn.StateFailing || st.FailingSince == nil || !strings.HasPrefix(st.Summary, "Failing since ") ||
		!strings.Contains(st.Summary, "rejected the API keys") || st.ProblemField != manageconn.FieldPrivateKey || !st.CredentialsRejected {
		t.Errorf("failing status %+v", st)
	}
	since := *st.FailingSince
	time.Sleep(5 * time.Millisecond)
	_, _ = e.svc.Test(ctx)
	st, _ = e.svc.Status(ctx)
	if !st.FailingSince.Equal(since) {
		t.Errorf("failing since moved from %v to %v on a second failure", since, st.FailingSince)
	}

	e.save(e.good())
	if out, _ = e.svc.Test(ctx); !out.OK {
		t.Fatalf("fixed keys: %+v", out)
	}
}

func TestConnectionTestNamesEachFailure(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()

	in := e.good()
	in.CompanyID = "nosuchco"
	e.save(in)
	out, _ := e.svc.Test(ctx)
	if out.OK || out.Field != manageconn.FieldCompanyID || !strings.Contains(out.Summary, "does not know this company ID") {
		t.Errorf("unknown company: %+v", out)
	}

	e.save(e.good())
	e.sim.Deny(managesim.ModuleAgreements, managesim.LevelInquire)
	out, _ = e.svc.Test(ctx)
	if out.OK || !strings.Contains(out.Summary, "Agreements") || out.Steps[2].Status != manageconn.StepFailed {
		t.Errorf("no agreements access: %+v", out)
	}
	e.sim.Allow(managesim.ModuleAgreements)

	in = e.good()
	in.ClientID = "00000000-0000-4000-8000-000000000000"
	e.save(in)
	out, _ = e.svc.Test(ctx)
	if out.OK || out.Field != manageconn.FieldClientID {
		t.Errorf("wrong client id: %+v", out)
	}

	// An unreachable site: a port nobody listens on.
	e.sim.Close()
	e.save(e.good())
	out, _ = e.svc.Test(ctx)
	if out.OK || out.Field != manageconn.FieldSite || !strings.Contains(out.Summary, "Could not reach") {
		t.Errorf("unreachable: %+v", out)
	}
}

// expected counts what the cache should hold, computed from the simulator's own records.
func expected(e *env) manageconn.Counts {
	var c manageconn.Counts
	for _, co := range e.sim.Companies() {
		if !co.Deleted {
			c.Companies++
		}
	}
	for _, a := range e.sim.Agreements() {
		c.Agreements++
		blocked := a.Cancelled || a.Status == "Cancelled" || a.Status == "Expired" || a.Status == "Inactive" ||
			(!a.NoEndingDate && !a.EndDate.IsZero() && a.EndDate.Before(e.now))
		if blocked {
			continue
		}
		c.ActiveAgreements++
		for _, add := range e.sim.AdditionsOf(a.ID) {
			if add.CancelledDate.IsZero() || add.CancelledDate.After(e.now) {
				c.Additions++
			}
		}
	}
	c.CatalogItems = len(e.sim.CatalogItems())
	return c
}

func TestRefreshCachesEverythingAndReadersServeThePickers(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if sum, err := e.svc.CacheSummary(ctx); err != nil || sum.RefreshedAt != nil || sum.Counts.Companies != 0 {
		t.Fatalf("empty cache: %+v %v", sum, err)
	}
	e.save(e.good())
	out, err := e.svc.Refresh(ctx)
	if err != nil || !out.OK {
		t.Fatalf("refresh: %+v %v", out, err)
	}
	want := expected(e)
	if out.Counts != want {
		t.Errorf("counts %+v, want %+v", out.Counts, want)
	}
	if want.Agreements == want.ActiveAgreements || want.Companies < 30 || want.Additions < 30 {
		t.Fatalf("the demo data is too small to prove anything: %+v", want)
	}
	// One list call per open agreement, never one per addition.
	if n := e.sim.CountRequests("GET", "/finance/agreements/*/additions"); n != want.ActiveAgreements {
		t.Errorf("%d addition list calls for %d open agreements", n, want.ActiveAgreements)
	}
	sum, _ := e.svc.CacheSummary(ctx)
	if sum.RefreshedAt == nil || sum.Counts != want {
		t.Errorf("summary %+v", sum)
	}
	st, _ := e.svc.Status(ctx)
	if st.State != manageconn.StateConnected || st.Cache.Counts != want {
		t.Errorf("status %+v", st)
	}
	if len(e.Events.Named(manageconn.EventCache)) != 1 {
		t.Errorf("cache events: %v", e.Events.Named(manageconn.EventCache))
	}

	// Companies: by name, same-name companies both there, deleted ones left out, search.
	cos, err := e.svc.Companies(ctx, "")
	if err != nil || len(cos) != want.Companies {
		t.Fatalf("companies %d %v", len(cos), err)
	}
	var northwind []manageconn.Company
	for _, c := range cos {
		if c.Name == "Northwind Traders" {
			northwind = append(northwind, c)
		}
		if c.Identifier == "AcmeCorp1" {
			t.Error("a company in the recycle bin was cached")
		}
	}
	if len(northwind) != 2 || northwind[0].ID >= northwind[1].ID {
		t.Errorf("same-name companies %+v", northwind)
	}
	found, _ := e.svc.Companies(ctx, "o'brien")
	if len(found) != 1 || found[0].Identifier != "OBrienSons" || found[0].ActiveAgreements != 1 {
		t.Errorf("search: %+v", found)
	}

	// Agreements: the cancelled one is left out of the picker unless asked for.
	var cobalt manageconn.Company
	for _, c := range cos {
		if c.Identifier == "CobaltLegal" {
			cobalt = c
		}
	}
	open, _ := e.svc.Agreements(ctx, cobalt.ID, false)
	all, _ := e.svc.Agreements(ctx, cobalt.ID, true)
	if len(open) != 1 || len(all) != 2 || all[1].BlockedReason != "cancelled" || all[1].Additions != 0 || open[0].CompanyName != "Cobalt Legal Group" {
		t.Errorf("cobalt agreements open %+v all %+v", open, all)
	}
	adds, _ := e.svc.Additions(ctx, open[0].ID)
	if len(adds) == 0 || len(adds) != open[0].Additions {
		t.Fatalf("additions %+v", adds)
	}
	simAdds := e.sim.AdditionsOf(open[0].ID)
	for _, a := range adds {
		var match *managesim.Addition
		for i := range simAdds {
			if simAdds[i].ID == a.ID {
				match = &simAdds[i]
			}
		}
		if match == nil || a.Quantity == nil || *a.Quantity != match.Quantity || a.ProductIdentifier == "" || a.ProductDescription == "" {
			t.Errorf("addition %+v vs %+v", a, match)
		}
	}
	// A child agreement is marked.
	all, _ = e.svc.Agreements(ctx, 0, false)
	children := 0
	for _, a := range all {
		if a.IsChild {
			children++
		}
	}
	if children == 0 {
		t.Error("no child agreement marked")
	}
	cat, _ := e.svc.Catalog(ctx, false)
	catAll, _ := e.svc.Catalog(ctx, true)
	if len(catAll) != want.CatalogItems || len(cat) != len(catAll)-1 {
		t.Errorf("catalog %d active of %d", len(cat), len(catAll))
	}
}

func TestRefreshReplacesAtomicallyAndKeepsTheOldCacheOnFailure(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.save(e.good())
	if out, err := e.svc.Refresh(ctx); err != nil {
		t.Fatalf("first refresh: %+v %v", out, err)
	}
	before, _ := e.svc.CacheSummary(ctx)

	// Manage changes: a company disappears, an addition's quantity moves.
	e.sim.DeleteAgreement(e.demo.Agreements[0].ID)
	e.sim.SetQuantity(e.demo.Additions[5].ID, 999)

	// A refresh that fails half-way (the catalog keeps answering 500) leaves the old cache.
	e.sim.Inject(managesim.Fault{Method: "GET", Path: "/procurement/catalog", Status: 500, Times: -1})
	out, err := e.svc.Refresh(ctx)
	if err == nil || out.OK || out.Message == "" {
		t.Fatalf("failing refresh: %+v %v", out, err)
	}
	after, _ := e.svc.CacheSummary(ctx)
	if !after.RefreshedAt.Equal(*before.RefreshedAt) || after.Counts != before.Counts {
		t.Errorf("cache changed by a failed refresh: %+v → %+v", before, after)
	}
	st, _ := e.svc.Status(ctx)
	if st.State != manageconn.StateFailing || st.CredentialsRejected {
		t.Errorf("status after a failing refresh (not a credentials problem): %+v", st)
	}

	e.sim.ClearFaults()
	if out, err = e.svc.Refresh(ctx); err != nil || !out.OK {
		t.Fatalf("refresh: %+v %v", out, err)
	}
	if out.Counts.Agreements != before.Counts.Agreements-1 || out.Counts != expected(e) {
		t.Errorf("counts %+v, want %+v", out.Counts, expected(e))
	}
	adds, _ := e.svc.Additions(ctx, e.demo.Additions[5].AgreementID)
	for _, a := range adds {
		if a.ID == e.demo.Additions[5].ID && (a.Quantity == nil || *a.Quantity != 999) {
			t.Errorf("quantity not refreshed: %+v", a)
		}
	}

	// A catalog the member may not read is a warning, not a failure.
	e.sim.Deny(managesim.ModuleCatalog, managesim.LevelInquire)
	out, err = e.svc.Refresh(ctx)
	if err != nil || !out.OK || out.Counts.CatalogItems != 0 || len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], "Product Catalog") {
		t.Errorf("refresh without catalog access: %+v %v", out, err)
	}
	sum, _ := e.svc.CacheSummary(ctx)
	if len(sum.Warnings) != 1 {
		t.Errorf("warnings not kept: %+v", sum)
	}

	// Pointing the connection at another company drops the cache.
	in := e.good()
	in.CompanyID = "othermsp"
	in.PrivateKey = ""
	res := e.save(in)
	sum, _ = e.svc.CacheSummary(ctx)
	if !res.CacheCleared || sum.RefreshedAt != nil || sum.Counts != (manageconn.Counts{}) {
		t.Errorf("cache after switching company: %+v %+v", res, sum)
	}
}

func TestBackgroundTestThenRefreshReportsByEvents(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	// Not configured: the job ends with the reason, nothing else.
	a := e.svc.StartTest()
	if !a.Running || a.Kind != manageconn.JobTest {
		t.Fatalf("start %+v", a)
	}
	_ = e.svc.Wait(ctx)
	if a = e.svc.Activity(); a.Running || !strings.Contains(a.Error, "not configured") {
		t.Fatalf("unconfigured job %+v", a)
	}

	e.save(e.good())
	e.sim.SetLatency(20 * time.Millisecond)
	first := e.svc.StartTest()
	if again := e.svc.StartTest(); again.ID != first.ID {
		t.Error("a second start while running began another job")
	}
	if err := e.svc.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	a = e.svc.Activity()
	if a.Running || a.Test == nil || !a.Test.OK || a.Refresh == nil || !a.Refresh.OK || a.Refresh.Counts != expected(e) || a.FinishedAt == nil {
		t.Fatalf("finished job %+v", a)
	}
	phases := map[string]bool{}
	for _, p := range e.Events.Named(manageconn.EventActivity) {
		phases[p.(manageconn.Activity).Phase] = true
	}
	for _, p := range []string{manageconn.PhaseTesting, manageconn.PhaseCompanies, manageconn.PhaseAgreements,
		manageconn.PhaseAdditions, manageconn.PhaseCatalog, manageconn.PhaseSaving} {
		if !phases[p] {
			t.Errorf("no activity event in phase %s (%v)", p, phases)
		}
	}
	statuses := e.Events.Named(manageconn.EventStatus)
	if last := statuses[len(statuses)-1].(manageconn.Status); last.State != manageconn.StateConnected {
		t.Errorf("last status event %+v", last)
	}

	// A failing test does not refresh.
	in := e.good()
	in.PrivateKey = badPrivateKey
	e.save(in)
	e.sim.ResetRequests()
	e.svc.StartTest()
	_ = e.svc.Wait(ctx)
	a = e.svc.Activity()
	if a.Test == nil || a.Test.OK || a.Refresh != nil || e.sim.CountRequests("GET", "/company/companies") != 0 {
		t.Errorf("failing test job %+v", a)
	}
	// A refresh job with bad keys reports the failure.
	e.svc.StartRefresh()
	_ = e.svc.Wait(ctx)
	a = e.svc.Activity()
	if a.Kind != manageconn.JobRefresh || a.Refresh == nil || a.Refresh.OK || !strings.Contains(a.Refresh.Message, "rejected the API keys") {
		t.Errorf("failing refresh job %+v", a.Refresh)
	}
}

func TestMissingPrivateKeyIsNamed(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.save(e.good())
	_ = e.Secrets.Delete(secrets.ManagePrivateKey)
	_, err := e.svc.Test(ctx)
	var fe apperr.FieldError
	if !errors.As(err, &fe) || fe.Field != manageconn.FieldPrivateKey {
		t.Fatalf("test without the key: %v", err)
	}
	e.svc.StartRefresh()
	_ = e.svc.Wait(ctx)
	if a := e.svc.Activity(); a.Refresh == nil || a.Refresh.Field != manageconn.FieldPrivateKey || !strings.Contains(a.Refresh.Message, "Private Key is not saved") {
		t.Errorf("refresh without the key: %+v", a.Refresh)
	}
	v, _ := e.svc.GetConfig(ctx)
	if v.PrivateKeySaved {
		t.Error("GetConfig says saved")
	}
}

func TestSavingDuringATestOrRefreshDiscardsItsOutcome(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.save(e.good())
	e.sim.SetLatency(60 * time.Millisecond)

	// A test of the old settings finishing after a save does not mark the new ones tested.
	e.svc.StartTest()
	time.Sleep(20 * time.Millisecond)
	in := e.good()
	in.Username = "api-other"
	in.PrivateKey = ""
	e.save(in)
	_ = e.svc.Wait(ctx)
	if st, _ := e.svc.Status(ctx); st.State != manageconn.StateUntested {
		t.Errorf("a stale test was recorded: %+v", st)
	}
	if a := e.svc.Activity(); a.Refresh != nil || !strings.Contains(a.Error, "changed while") {
		t.Errorf("stale test job %+v", a)
	}

	// A refresh of the old company finishing after a switch does not fill the new one's cache.
	e.svc.StartRefresh()
	time.Sleep(20 * time.Millisecond)
	in.CompanyID = "othermsp"
	e.save(in)
	_ = e.svc.Wait(ctx)
	if sum, _ := e.svc.CacheSummary(ctx); sum.RefreshedAt != nil || sum.Counts.Companies != 0 {
		t.Errorf("a stale refresh filled the cache: %+v", sum)
	}
	if a := e.svc.Activity(); a.Refresh == nil || a.Refresh.OK || !strings.Contains(a.Refresh.Message, "changed while") {
		t.Errorf("stale refresh outcome %+v", a.Refresh)
	}
	if st, _ := e.svc.Status(ctx); st.State != manageconn.StateUntested {
		t.Errorf("a stale refresh was recorded: %+v", st)
	}
}
