package mapping

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/store"
)

// seeded opens a real database with small Webroot and Manage caches:
// sites S1 (Acme), S2 (Contoso), S3 (removed); company 10 with agreement 100 (active,
// additions 1000 and 1001) and agreement 101 (cancelled); company 20 with agreement 200
// (active, addition 2000).
func seeded(t *testing.T) (*Service, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := "2026-03-01T00:00:00Z"
	for _, q := range []string{
		`INSERT INTO webroot_sites(site_id, name, first_seen_at, last_seen_at) VALUES ('S1', 'Acme Corp', '` + now + `', '` + now + `'), ('S2', 'Contoso', '` + now + `', '` + now + `')`,
		`INSERT INTO webroot_sites(site_id, name, first_seen_at, last_seen_at, removed_at) VALUES ('S3', 'Gone Ltd', '` + now + `', '` + now + `', '` + now + `')`,
		`INSERT INTO manage_companies(id, identifier, name) VALUES (10, 'Acme', 'Acme Corporation'), (20, 'Contoso', 'Contoso Ltd')`,
		`INSERT INTO manage_agreements(id, company_id, name, blocked_reason) VALUES (100, 10, 'Acme MSA', ''), (101, 10, 'Acme old', 'cancelled'), (200, 20, 'Contoso MSA', '')`,
		`INSERT INTO manage_additions(id, agreement_id, product_identifier, quantity) VALUES (1000, 100, 'WEBROOT-EP', 10), (1001, 100, 'WEBROOT-DNS', 5), (2000, 200, 'WEBROOT-EP', 7)`,
	} {
		if _, err := st.DB.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return New(st, func() time.Time { return time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) }), st
}

func ptr(i int) *int { return &i }

func problems(t *testing.T, err error) map[string]string {
	t.Helper()
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("want a RuleError, got %v", err)
	}
	out := map[string]string{}
	for _, p := range re.Problems {
		out[p.Field] = p.Message
	}
	return out
}

var good = Mapping{SiteID: "S1", Product: "endpoint", CountBasis: "active_without_hidden", CompanyID: 10, AgreementID: 100, AdditionID: 1000}

func TestSaveEnforcesRules(t *testing.T) {
	s, _ := seeded(t)
	ctx := context.Background()
	cases := map[string]struct {
		m     Mapping
		field string
		want  string
	}{
		"addition of another agreement": {Mapping{SiteID: "S1", Product: "endpoint", CountBasis: "active", CompanyID: 20, AgreementID: 200, AdditionID: 1000}, "addition_id", "belongs to agreement 100"},
		"agreement of another company":  {Mapping{SiteID: "S1", Product: "endpoint", CountBasis: "active", CompanyID: 20, AgreementID: 100, AdditionID: 1000}, "agreement_id", "belongs to company 10"},
		"cancelled agreement":           {Mapping{SiteID: "S1", Product: "endpoint", CountBasis: "active", CompanyID: 10, AgreementID: 101, AdditionID: 1000}, "agreement_id", "is cancelled"},
		"basis of another product":      {Mapping{SiteID: "S1", Product: "dns", CountBasis: "active", CompanyID: 10, AgreementID: 100, AdditionID: 1001}, "count_basis", "devices_seen"},
		"unknown site":                  {Mapping{SiteID: "S9", Product: "endpoint", CountBasis: "active", CompanyID: 10, AgreementID: 100, AdditionID: 1000}, "site_id", "refresh the Webroot sites"},
		"removed site":                  {Mapping{SiteID: "S3", Product: "endpoint", CountBasis: "active", CompanyID: 10, AgreementID: 100, AdditionID: 1000}, "site_id", "not in the Webroot data"},
		"unknown addition":              {Mapping{SiteID: "S1", Product: "endpoint", CountBasis: "active", CompanyID: 10, AgreementID: 100, AdditionID: 4242}, "addition_id", "not a current addition"},
		"negative minimum":              {Mapping{SiteID: "S1", Product: "endpoint", CountBasis: "active", CompanyID: 10, AgreementID: 100, AdditionID: 1000, Minimum: ptr(-1)}, "minimum", "0 or more"},
	}
	for name, c := range cases {
		p := problems(t, s.Save(ctx, "tester", c.m))
		if !strings.Contains(p[c.field], c.want) {
			t.Errorf("%s: %s = %q, want it to contain %q (all: %v)", name, c.field, p[c.field], c.want, p)
		}
	}
	if all, _ := s.All(ctx); len(all) != 0 {
		t.Fatalf("refused mappings were saved: %+v", all)
	}
}

func TestSaveReplaceExcludeAndShare(t *testing.T) {
	s, _ := seeded(t)
	ctx := context.Background()
	if err := s.Save(ctx, "tester", good); err != nil {
		t.Fatal(err)
	}
	// One site x product line maps once: saving again replaces it.
	changed := good
	changed.CountBasis, changed.LessIncluded = "seen_30d", ptr(2)
	if err := s.Save(ctx, "tester", changed); err != nil {
		t.Fatal(err)
	}
	all, _ := s.All(ctx)
	if len(all) != 1 || all[0].CountBasis != "seen_30d" || all[0].LessIncluded == nil || *all[0].LessIncluded != 2 {
		t.Fatalf("after replace: %+v", all)
	}
	// Several sites on one addition are allowed.
	if err := s.Save(ctx, "tester", Mapping{SiteID: "S2", Product: "endpoint", CountBasis: "active", CompanyID: 10, AgreementID: 100, AdditionID: 1000}); err != nil {
		t.Fatal(err)
	}
	// Excluding removes the mapping; including again leaves it unmapped.
	if err := s.SetExcluded(ctx, "tester", "S2", "endpoint", true); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.All(ctx); len(all) != 1 {
		t.Fatalf("excluded line still mapped: %+v", all)
	}
	if err := s.SetExcluded(ctx, "tester", "S2", "fax", true); err == nil {
		t.Fatal("unknown product excluded")
	}
	if err := s.Delete(ctx, "tester", "S1", "endpoint"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "tester", "S1", "endpoint"); err == nil {
		t.Fatal("deleting a missing mapping succeeded")
	}
}

func TestCSVRoundTrip(t *testing.T) {
	s, st := seeded(t)
	ctx := context.Background()
	in := "site_id,site_name,product,count_basis,company_id,agreement_id,addition_id,less_included,minimum\n" +
		"S1,Acme Corp,endpoint,active_without_hidden,10,100,1000,2,\n" +
		"S1,Acme Corp,dns,devices_seen,10,100,1001,,5\n" +
		"S2,Contoso,endpoint,seen_30d,20,200,2000,,\n"
	res, err := s.ImportCSV(ctx, "tester", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 {
		t.Fatalf("import result %+v", res)
	}
	var out bytes.Buffer
	if n, err := s.ExportCSV(ctx, &out); err != nil || n != 3 {
		t.Fatalf("export %d %v", n, err)
	}
	// Export orders by site name then product; importing the export changes nothing.
	want := "site_id,site_name,product,count_basis,company_id,agreement_id,addition_id,less_included,minimum\n" +
		"S1,Acme Corp,dns,devices_seen,10,100,1001,,5\n" +
		"S1,Acme Corp,endpoint,active_without_hidden,10,100,1000,2,\n" +
		"S2,Contoso,endpoint,seen_30d,20,200,2000,,\n"
	if out.String() != want {
		t.Fatalf("export:\n%s\nwant:\n%s", out.String(), want)
	}
	res, err = s.ImportCSV(ctx, "tester", bytes.NewReader(out.Bytes()))
	if err != nil || res.Unchanged != 3 || res.Created+res.Updated != 0 {
		t.Fatalf("re-import %+v %v", res, err)
	}
	var audits int
	st.DB.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'mapping.imported'`).Scan(&audits)
	if audits != 2 {
		t.Fatalf("imports audited %d times, want 2", audits)
	}

	// A site name a spreadsheet would run as a formula is exported as text, and the
	// guarded file still imports without a change.
	if _, err := st.DB.Exec(`UPDATE webroot_sites SET name = '=HYPERLINK("http://x.example","Acme")' WHERE site_id = 'S2'`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if _, err := s.ExportCSV(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `S2,"'=HYPERLINK(""http://x.example"",""Acme"")",endpoint`) {
		t.Fatalf("formula not guarded:\n%s", out.String())
	}
	if res, err := s.ImportCSV(ctx, "tester", bytes.NewReader(out.Bytes())); err != nil || res.Unchanged != 3 {
		t.Fatalf("re-import of the guarded export %+v %v", res, err)
	}
}

func TestCSVImportNamesEveryBadRowAndChangesNothing(t *testing.T) {
	s, _ := seeded(t)
	ctx := context.Background()
	if err := s.Save(ctx, "tester", good); err != nil {
		t.Fatal(err)
	}
	in := "\ufeffsite_id,site_name,product,count_basis,company_id,agreement_id,addition_id,less_included,minimum\n" +
		"S2,Contoso,endpoint,active,20,200,2000,,\n" + // line 2: fine, but must not be applied
		"S1,Acme,fax,active,10,100,1000,,\n" + // line 3: product
		"S1,Acme,endpoint,active,ten,100,1000,,\n" + // line 4: company id
		"S1,Acme,dns,devices_seen,10,101,1001,,\n" + // line 5: cancelled agreement
		"S2,Contoso,endpoint,active,20,200,2000,,\n" + // line 6: duplicate of line 2
		"S1,Acme,endpoint,active,10,100\n" + // line 7: columns
		"S1,Acme,endpoint,active,10,100,1000,-3,x\n" // line 8: less_included and minimum
	_, err := s.ImportCSV(ctx, "tester", strings.NewReader(in))
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want ImportError, got %v", err)
	}
	got := map[int]string{}
	for _, r := range ie.Rows {
		got[r.Line] += r.Field + ":" + r.Message + ";"
	}
	for line, want := range map[int]string{3: "product:", 4: "company_id:", 5: "is cancelled", 6: "already mapped on line 2", 7: "has 6 columns", 8: "less_included:"} {
		if !strings.Contains(got[line], want) {
			t.Errorf("line %d: %q, want %q", line, got[line], want)
		}
	}
	if !strings.Contains(got[8], "minimum:") {
		t.Errorf("line 8 should name minimum too: %q", got[8])
	}
	if _, bad := got[2]; bad {
		t.Errorf("line 2 is valid but reported: %q", got[2])
	}
	if !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("message: %v", err)
	}
	all, _ := s.All(ctx)
	if len(all) != 1 || all[0].SiteID != "S1" {
		t.Fatalf("a refused import changed mappings: %+v", all)
	}
}

func TestCSVImportBadHeaderAndEmpty(t *testing.T) {
	s, _ := seeded(t)
	for name, in := range map[string]string{
		"empty":      "",
		"reordered":  "site_name,site_id,product,count_basis,company_id,agreement_id,addition_id,less_included,minimum\n",
		"not quoted": "site_id,site_name\n\"S1,Acme\n",
	} {
		_, err := s.ImportCSV(context.Background(), "tester", strings.NewReader(in))
		var ie *ImportError
		if !errors.As(err, &ie) || ie.Rows[0].Line != 1 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestRowsStatesCountsSharingAndProblems(t *testing.T) {
	s, st := seeded(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO webroot_snapshot(id, refreshed_at, first_refreshed_at) VALUES (1, '2026-03-05T00:00:00Z', '2026-03-01T00:00:00Z')`,
		`INSERT INTO webroot_sites(site_id, name, first_seen_at, last_seen_at) VALUES ('S4', 'Newcomer Inc', '2026-03-05T00:00:00Z', '2026-03-05T00:00:00Z')`,
		`INSERT INTO webroot_site_counts(site_id, basis, count) VALUES ('S1', 'active_without_hidden', 12), ('S1', 'active', 14), ('S1', 'devices_seen', 9), ('S2', 'active_without_hidden', 3), ('S4', 'active_without_hidden', 1)`,
	} {
		if _, err := st.DB.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []Mapping{good, {SiteID: "S2", Product: "endpoint", CountBasis: "active", CompanyID: 10, AgreementID: 100, AdditionID: 1000}} {
		if err := s.Save(ctx, "tester", m); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetExcluded(ctx, "tester", "S1", "dns", true); err != nil {
		t.Fatal(err)
	}
	// The addition disappears from Manage after mapping: the row says so.
	st.DB.ExecContext(ctx, `DELETE FROM manage_additions WHERE id = 1000`)
	rows, err := s.Rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Row{}
	for _, r := range rows {
		got[r.SiteID+"/"+r.Product] = r
	}
	if len(rows) != 4 {
		t.Fatalf("rows %d, want 4 (S1 endpoint, S1 dns, S2 endpoint, S4 endpoint): %+v", len(rows), got)
	}
	a := got["S1/endpoint"]
	if a.State != StateMapped || a.Counts["active_without_hidden"] != 12 || a.Counts["active"] != 14 || a.CompanyName != "Acme Corporation" {
		t.Errorf("S1 endpoint %+v", a)
	}
	if a.SharedCount != 1 || got["S2/endpoint"].SharedCount != 1 {
		t.Errorf("S1 and S2 should show they share the addition with one other site: %d, %d", a.SharedCount, got["S2/endpoint"].SharedCount)
	}
	if !strings.Contains(a.Problem, "no longer a current addition") {
		t.Errorf("problem %q", a.Problem)
	}
	if got["S1/dns"].State != StateExcluded || got["S1/dns"].Counts["devices_seen"] != 9 {
		t.Errorf("S1 dns %+v", got["S1/dns"])
	}
	if r := got["S4/endpoint"]; r.State != StateUnmapped || !r.New {
		t.Errorf("S4 should be new and unmapped: %+v", r)
	}
	if Unmapped(rows) != 1 {
		t.Errorf("unmapped count %d, want 1", Unmapped(rows))
	}
}

func TestSuggestionsResolveAndBulkAccept(t *testing.T) {
	s, st := seeded(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO webroot_site_counts(site_id, basis, count) VALUES ('S1', 'active_without_hidden', 12), ('S1', 'devices_seen', 4), ('S2', 'active_without_hidden', 3)`,
		`INSERT INTO webroot_sites(site_id, name, comments, first_seen_at, last_seen_at) VALUES ('S5', 'Totally Different Name', 'billing: cwm-id=20', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`,
		`INSERT INTO webroot_sites(site_id, name, first_seen_at, last_seen_at) VALUES ('S6', 'Zebra Plumbing', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`,
	} {
		if _, err := st.DB.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.Rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Row{}
	for _, r := range rows {
		got[r.SiteID+"/"+r.Product] = r
	}
	acme := got["S1/endpoint"]
	if acme.State != StateSuggested || acme.Suggestion == nil || acme.Suggestion.CompanyID != 10 || acme.Suggestion.AdditionID != 1000 || acme.Suggestion.Reason == "" {
		t.Fatalf("Acme Corp endpoint: %+v %+v", acme, acme.Suggestion)
	}
	if dns := got["S1/dns"]; dns.Suggestion == nil || dns.Suggestion.AdditionID != 1001 || dns.Suggestion.CountBasis != "devices_seen" {
		t.Fatalf("Acme Corp DNS should resolve to the DNS addition: %+v", dns.Suggestion)
	}
	if hint := got["S5/endpoint"]; hint.Suggestion == nil || hint.Suggestion.CompanyID != 20 || hint.Suggestion.Kind != "hint" || hint.Suggestion.AdditionID != 2000 {
		t.Fatalf("cwm-id hint: %+v", hint.Suggestion)
	}
	if z := got["S6/endpoint"]; z.State != StateUnmapped || z.Suggestion != nil {
		t.Fatalf("an unrelated site got a suggestion: %+v", z.Suggestion)
	}
	// Nothing is mapped until the user accepts.
	if all, _ := s.All(ctx); len(all) != 0 {
		t.Fatalf("suggestions were applied silently: %+v", all)
	}
	out, err := s.AcceptSuggestions(ctx, "tester", []SiteProduct{{"S1", "endpoint"}, {"S5", "endpoint"}, {"S6", "endpoint"}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Accepted != 2 || len(out.Failed) != 1 || out.Failed[0].SiteID != "S6" {
		t.Fatalf("accept outcome %+v", out)
	}
	all, _ := s.All(ctx)
	if len(all) != 2 {
		t.Fatalf("mappings after accept: %+v", all)
	}
}

func TestProductOfAddition(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"WEBROOT-EP", ""}: "endpoint", {"WEBROOT-DNS", "DNS Protection"}: "dns", {"WR-SAT", "Security Awareness Training"}: "wsat",
		{"AV-BUNDLE", "Webroot SecureAnywhere"}: "endpoint", {"M365-E3", "Microsoft 365"}: "",
	} {
		if got := string(productOfAddition(in[0], in[1])); got != want {
			t.Errorf("%v: %q, want %q", in, got, want)
		}
	}
}
