package webroot_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

// Every basis of PRODUCT.md §2.3 for every site, from the reports §4.1 names, joined on SiteId.
func TestSitesWithCountsEveryBasis(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	ids := e.seedSmall()
	snap, err := e.client.SitesWithCounts(context.Background(), webroot.UsageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Sites) != 3 {
		t.Fatalf("sites = %d", len(snap.Sites))
	}
	byID := snap.ByID()
	for name, id := range map[string]string{"acme": ids.acme, "globex": ids.globex, "initech": ids.initech} {
		site := byID[id]
		for _, b := range webroot.AllBases() {
			want, inReport := smallWant[name][b]
			got, ok := site.Count(b)
			if got != want {
				t.Errorf("%s %s = %d, want %d", name, b, got, want)
			}
			// A site absent from a product's report counts 0 and is flagged.
			if ok != inReport {
				t.Errorf("%s %s ok=%v, want %v (missing %v)", name, b, ok, inReport, site.Missing)
			}
		}
	}
	acme := byID[ids.acme]
	distinct := map[int]bool{}
	for _, b := range webroot.ProductEndpoint.Bases() {
		distinct[acme.Counts[b]] = true
	}
	if len(distinct) != 4 {
		t.Errorf("the four endpoint bases should differ for acme: %v", acme.Counts)
	}
	if init := byID[ids.initech]; !init.Suspended || !init.OverSeatLimit() {
		t.Errorf("initech suspended=%v over limit=%v (%d of %d)", init.Suspended, init.OverSeatLimit(), init.TotalEndpoints, init.DevicesAllowed)
	}
	if id, ok := byID[ids.initech].CWMID(); !ok || id != 4242 {
		t.Errorf("cwm-id = %d %v", id, ok)
	}
	if !slices.Equal(byID[ids.acme].Modules, []string{"DNSP", "WSAT"}) {
		t.Errorf("acme modules %v", byID[ids.acme].Modules)
	}
	wantDay := time.Date(2025, 6, 13, 0, 0, 0, 0, time.UTC)
	for b, d := range snap.ReportDates {
		if !d.Effective.Equal(wantDay) || !d.Requested.Equal(wantDay) || d.FellBackToLatest {
			t.Errorf("%s report date %+v, want %s", b, d, wantDay)
		}
	}
	if names := []string{snap.Sites[0].Name, snap.Sites[1].Name, snap.Sites[2].Name}; !slices.IsSorted(names) {
		t.Errorf("sites not sorted by name: %v", names)
	}

	// Fewest requests: one site list, seven reports, one endpoint list per site.
	reqs := e.sim.Requests()
	count := func(pred func(webrootsim.Request) bool) int {
		n := 0
		for _, r := range reqs {
			if pred(r) {
				n++
			}
		}
		return n
	}
	if n := count(func(r webrootsim.Request) bool { return strings.HasPrefix(r.Path, "/service/api/status/reporting") }); n != 7 {
		t.Errorf("report calls = %d, want 7", n)
	}
	if n := count(func(r webrootsim.Request) bool { return strings.HasSuffix(r.Path, "/endpoints") }); n != 3 {
		t.Errorf("endpoint-list calls = %d, want 3", n)
	}
	if n := count(func(r webrootsim.Request) bool {
		return strings.HasSuffix(r.Path, "/sites") && strings.Contains(r.Path, "/console/")
	}); n != 1 {
		t.Errorf("site-list calls = %d, want 1", n)
	}
	// Each report asked with the doc's date rule: UTC today − 2 at 00:00Z, DOC format.
	for _, r := range reqs {
		if strings.HasPrefix(r.Path, "/service/api/status/reporting") {
			q, _ := url.ParseQuery(r.Query)
			if q.Get("effectiveDate") != "2025-06-13T00:00:00.0000000Z" || q.Get("reportType") == "" {
				t.Errorf("report query %q", r.Query)
			}
		}
	}
}

// Only the asked bases are read; not_deactivated only for the asked sites.
func TestSitesWithCountsReadsOnlyWhatIsAsked(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	ids := e.seedSmall()
	snap, err := e.client.SitesWithCounts(context.Background(), webroot.UsageOptions{
		Bases:               []webroot.Basis{webroot.BasisActiveWithoutHidden, webroot.BasisNotDeactivated, webroot.BasisDevicesSeen},
		NotDeactivatedSites: []string{strings.ToUpper(ids.globex)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Count(http.MethodGet, "/service/api/status/reporting"); n != 2 {
		t.Errorf("report calls = %d, want 2", n)
	}
	if n := e.sim.Count(http.MethodGet, "/service/api/console"); n != 2 { // site list + globex endpoints
		t.Errorf("console calls = %d, want 2", n)
	}
	byID := snap.ByID()
	if n, ok := byID[ids.globex].Count(webroot.BasisNotDeactivated); !ok || n != 5 {
		t.Errorf("globex not deactivated = %d %v", n, ok)
	}
	if _, ok := byID[ids.acme].Count(webroot.BasisNotDeactivated); ok {
		t.Error("acme's endpoint list was not asked for")
	}
	if _, ok := byID[ids.acme].Count(webroot.BasisUsersSeen); ok {
		t.Error("users_seen was not asked for")
	}
}

// A site missing from a report, or a row without its count, is 0 and flagged (§4, §7);
// report rows for unknown sites are reported separately.
func TestMissingReportRowsAreFlagged(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	ids := e.seedSmall()
	e.sim.OmitFromReport(ids.acme, webrootsim.ReportActiveEndpointsWithoutHidden)
	e.sim.OmitCountField(ids.globex, webrootsim.ReportActiveEndpoints)
	snap, err := e.client.SitesWithCounts(context.Background(), webroot.UsageOptions{Bases: []webroot.Basis{webroot.BasisActiveWithoutHidden, webroot.BasisActive}})
	if err != nil {
		t.Fatal(err)
	}
	byID := snap.ByID()
	if n, ok := byID[ids.acme].Count(webroot.BasisActiveWithoutHidden); ok || n != 0 {
		t.Errorf("acme omitted from report: %d %v", n, ok)
	}
	if n, ok := byID[ids.acme].Count(webroot.BasisActive); !ok || n != 25 {
		t.Errorf("acme active: %d %v", n, ok)
	}
	if n, ok := byID[ids.globex].Count(webroot.BasisActive); ok || n != 0 {
		t.Errorf("globex count field missing: %d %v", n, ok)
	}
	if len(snap.ReportOnlySites) != 0 {
		t.Errorf("report-only sites %v", snap.ReportOnlySites)
	}
}

// Every report type on its own, with the counts the seeded data implies.
func TestEveryReportType(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	ids := e.seedSmall()
	cases := []struct {
		typ   webroot.ReportType
		acme  int
		rows  int
		basis webroot.Basis
	}{
		{webroot.ReportActiveEndpointsWithoutHidden, 23, 3, webroot.BasisActiveWithoutHidden},
		{webroot.ReportActiveEndpoints, 25, 3, webroot.BasisActive},
		{webroot.ReportEndpointsSeenInLast30Days, 24, 3, webroot.BasisSeen30d},
		{webroot.ReportDevicesSeen, 15, 2, webroot.BasisDevicesSeen},
		{webroot.ReportDevicesSeenInLast30Days, 19, 2, webroot.BasisDevicesSeen30d},
		{webroot.ReportUsersSeen, 9, 1, webroot.BasisUsersSeen},
		{webroot.ReportUsersSeenInLast30Days, 12, 1, webroot.BasisUsersSeen30d},
	}
	for _, c := range cases {
		if c.basis.ReportType() != c.typ || c.typ.Product() != c.basis.Product() {
			t.Errorf("%s does not map to %s", c.basis, c.typ)
		}
		r, err := e.client.Report(context.Background(), c.typ, webroot.ReportOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.typ, err)
		}
		if len(r.Sites) != c.rows {
			t.Errorf("%s rows = %d, want %d", c.typ, len(r.Sites), c.rows)
		}
		for _, s := range r.Sites {
			if s.SiteID == ids.acme && (s.Count != c.acme || s.CountMissing) {
				t.Errorf("%s acme = %d (missing %v), want %d", c.typ, s.Count, s.CountMissing, c.acme)
			}
		}
	}
}

// What Webroot does with a too-recent date is unverified: each behaviour ends with usable
// counts and says which day they are for.
func TestTooRecentEffectiveDate(t *testing.T) {
	yesterday := time.Date(2025, 6, 14, 0, 0, 0, 0, time.UTC)
	latest := time.Date(2025, 6, 13, 0, 0, 0, 0, time.UTC)
	for name, mode := range map[string]webrootsim.TooRecent{
		"rejected": webrootsim.TooRecentRejected, "empty": webrootsim.TooRecentEmpty, "latest": webrootsim.TooRecentLatest,
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, webrootsim.Options{TooRecentDay: mode})
			ids := e.seedSmall()
			r, err := e.client.Report(context.Background(), webroot.ReportActiveEndpoints, webroot.ReportOptions{EffectiveDate: yesterday})
			if err != nil {
				t.Fatal(err)
			}
			if !r.EffectiveDate.Equal(latest) {
				t.Errorf("effective date %s, want %s", r.EffectiveDate, latest)
			}
			if r.FellBackToLatest != (mode != webrootsim.TooRecentLatest) {
				t.Errorf("fell back = %v", r.FellBackToLatest)
			}
			for _, s := range r.Sites {
				if s.SiteID == ids.acme && s.Count != 25 {
					t.Errorf("acme = %d", s.Count)
				}
			}
		})
	}
}

// A genuinely empty report (no site uses the product) costs one extra call and stays empty.
func TestEmptyReportStaysEmpty(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.sim.AddSite(webrootsim.Site{Name: "Lonely"})
	r, err := e.client.Report(context.Background(), webroot.ReportUsersSeen, webroot.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sites) != 0 || r.FellBackToLatest || !r.RequestedDate.Equal(time.Date(2025, 6, 13, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("report %+v", r)
	}
	if n := e.sim.Count(http.MethodGet, "/service/api/status"); n != 2 {
		t.Errorf("report calls = %d, want 2", n)
	}
}

// Report and endpoint calls run concurrently, never more than Config.Concurrency at once.
func TestSitesWithCountsBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) {
		c.Concurrency = 3
		c.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			return http.DefaultTransport.RoundTrip(r)
		})
	})
	for range 12 {
		s := e.sim.AddSite(webrootsim.Site{Name: "Site"})
		must(t, e.sim.AddEndpointMix(s.ID, webrootsim.EndpointMix{Active: 2}))
	}
	e.sim.SetLatency(30 * time.Millisecond)
	started := time.Now()
	if _, err := e.client.SitesWithCounts(context.Background(), webroot.UsageOptions{}); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(started)
	if p := peak.Load(); p != 3 {
		t.Errorf("peak requests in flight = %d, want 3", p)
	}
	// 1 token + 1 site list + 7 reports + 12 endpoint lists at 30 ms: serially ≥ 630 ms.
	if elapsed > 500*time.Millisecond {
		t.Errorf("took %s: the calls did not overlap", elapsed)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// One site's endpoint list failing does not sink the others (PRODUCT §2.4).
func TestOneSiteEndpointFailureIsRecordedOnThatSite(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	ids := e.seedSmall()
	e.sim.AddFault(webrootsim.Fault{Path: "/service/api/console/gsm/" + webrootsim.DefaultGSMKey + "/sites/" + ids.globex + "/endpoints",
		Status: http.StatusForbidden})
	snap, err := e.client.SitesWithCounts(context.Background(), webroot.UsageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byID := snap.ByID()
	if _, ok := byID[ids.globex].Count(webroot.BasisNotDeactivated); ok || byID[ids.globex].Errors[webroot.BasisNotDeactivated] == "" {
		t.Errorf("globex failure not recorded: %+v", byID[ids.globex])
	}
	if n, ok := byID[ids.acme].Count(webroot.BasisNotDeactivated); !ok || n != 26 {
		t.Errorf("acme = %d %v", n, ok)
	}
}

// A report failure fails the whole read and cancels the rest.
func TestReportFailureFailsTheRead(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	e.seedSmall()
	e.sim.SetAllowedScopes([]string{"Console.GSM"})
	_, err := e.client.SitesWithCounts(context.Background(), webroot.UsageOptions{})
	we := kindOf(t, err, webroot.KindScopeMissing)
	if we.Scope != webroot.ScopeReporting {
		t.Errorf("scope = %q", we.Scope)
	}
}
