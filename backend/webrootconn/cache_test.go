package webrootconn_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

func TestRefreshCachesEverySiteOnEveryBasis(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	empty, err := e.svc.Sites(context.Background())
	if err != nil || empty.RefreshedAt != nil || len(empty.Sites) != 0 || len(empty.Bases) != 8 {
		t.Fatalf("sites before any refresh: %+v %v", empty, err)
	}
	out, err := e.svc.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	simSites := e.sim.Sites()
	if !out.OK || out.SiteCount != len(simSites) || out.NewSites != 0 {
		t.Fatalf("first refresh %+v (new sites must not be flagged on the first refresh)", out)
	}
	list, err := e.svc.Sites(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if list.RefreshedAt == nil || !list.RefreshedAt.Equal(out.RefreshedAt) || len(list.Sites) != len(simSites) || list.TotalSeatsAllowed != 2500 {
		t.Fatalf("list: refreshed %v, %d sites, %d seats", list.RefreshedAt, len(list.Sites), list.TotalSeatsAllowed)
	}
	for _, b := range list.Bases {
		if !b.Read || b.Label == "" || b.ProductLabel == "" {
			t.Errorf("basis %+v", b)
		}
		if b.Basis != string(webroot.BasisNotDeactivated) && b.ReportDate == "" {
			t.Errorf("basis %s without report date", b.Basis)
		}
	}
	for i := 1; i < len(list.Sites); i++ {
		if strings.ToLower(list.Sites[i-1].Name) > strings.ToLower(list.Sites[i].Name) {
			t.Errorf("not sorted by name: %q before %q", list.Sites[i-1].Name, list.Sites[i].Name)
		}
	}
	byID := map[string]webrootconn.Site{}
	for _, s := range list.Sites {
		byID[s.ID] = s
	}
	reportOf := map[webroot.Basis]string{
		webroot.BasisActiveWithoutHidden: webrootsim.ReportActiveEndpointsWithoutHidden,
		webroot.BasisActive:              webrootsim.ReportActiveEndpoints,
		webroot.BasisSeen30d:             webrootsim.ReportEndpointsSeenInLast30Days,
		webroot.BasisDevicesSeen:         webrootsim.ReportDevicesSeen,
		webroot.BasisDevicesSeen30d:      webrootsim.ReportDevicesSeenInLast30Days,
		webroot.BasisUsersSeen:           webrootsim.ReportUsersSeen,
		webroot.BasisUsersSeen30d:        webrootsim.ReportUsersSeenInLast30Days,
	}
	differ, missing := false, 0
	for _, want := range simSites {
		got, ok := byID[want.ID]
		if !ok {
			t.Errorf("site %s (%s) not cached", want.Name, want.ID)
			continue
		}
		if got.Name != want.Name || got.DevicesAllowed != want.DevicesAllowed || got.Suspended != want.Suspended || got.Deactivated != want.Deactivated {
			t.Errorf("site fields %+v vs %+v", got, want)
		}
		if got.FirstSeenAt.IsZero() || got.New {
			t.Errorf("site %s first seen %v new %v", got.Name, got.FirstSeenAt, got.New)
		}
		for b, rt := range reportOf {
			if !got.HasProduct(b.Product()) {
				continue
			}
			n, ok := got.Count(b)
			if !ok { // left out of the report: counted 0 and marked missing
				if n != 0 || !slices.Contains(got.Missing, string(b)) {
					t.Errorf("%s %s: %d, missing %v", got.Name, b, n, got.Missing)
				}
				continue
			}
			if n != e.sim.ReportCount(want.ID, rt) {
				t.Errorf("%s %s = %d, simulator %d", got.Name, b, n, e.sim.ReportCount(want.ID, rt))
			}
		}
		if !want.Deactivated {
			n, ok := got.Count(webroot.BasisNotDeactivated)
			if !ok || n != e.sim.NotDeactivatedCount(want.ID) {
				t.Errorf("%s not_deactivated = %d %v, simulator %d", got.Name, n, ok, e.sim.NotDeactivatedCount(want.ID))
			}
		}
		a, _ := got.Count(webroot.BasisActiveWithoutHidden)
		b, _ := got.Count(webroot.BasisActive)
		if a != b {
			differ = true
		}
		missing += len(got.Missing)
	}
	if !differ {
		t.Error("no site's counts differ by basis: the cache may be storing one basis for all")
	}
	if missing == 0 {
		t.Error("the demo's site left out of the DNS reports is not marked missing")
	}
	st := e.status()
	if st.CachedSites != len(simSites) || st.SitesRefreshedAt == nil || st.State != webrootconn.StateConnected {
		t.Errorf("status %+v", st)
	}
}

func TestLaterRefreshMarksNewAndRemovedSitesAndKeepsFirstSeen(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	if _, err := e.svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, _ := e.svc.Sites(context.Background())
	time.Sleep(5 * time.Millisecond)
	added := e.sim.AddSite(webrootsim.Site{Name: "Zephyr Dental Group", DevicesAllowed: 20})
	_ = e.sim.AddEndpointMix(added.ID, webrootsim.EndpointMix{Active: 7})
	out, err := e.svc.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if out.NewSites != 1 || out.SiteCount != len(before.Sites)+1 || out.RemovedSites != 0 {
		t.Fatalf("second refresh %+v", out)
	}
	after, _ := e.svc.Sites(context.Background())
	firstSeen := map[string]time.Time{}
	for _, s := range before.Sites {
		firstSeen[s.ID] = s.FirstSeenAt
	}
	for _, s := range after.Sites {
		switch {
		case s.ID == added.ID:
			if !s.New || !s.FirstSeenAt.Equal(out.RefreshedAt) {
				t.Errorf("added site %+v not marked new", s)
			}
			if n, _ := s.Count(webroot.BasisActiveWithoutHidden); n != e.sim.ReportCount(added.ID, webrootsim.ReportActiveEndpointsWithoutHidden) {
				t.Errorf("added site count %d", n)
			}
		case s.New || !s.FirstSeenAt.Equal(firstSeen[s.ID]):
			t.Errorf("site %s: new=%v first seen %v → %v", s.Name, s.New, firstSeen[s.ID], s.FirstSeenAt)
		}
	}

	// A console that no longer lists a site: a second simulator with every site but one (the
	// same ids), reached by changing "Site".
	other := webrootsim.New(webrootsim.Options{})
	other.SetConsole(e.sim.Console())
	sims := e.sim.Sites()
	gone := sims[0]
	for _, s := range sims[1:] {
		other.AddSite(s)
	}
	url, err := other.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	in := e.good()
	in.Site = url
	e.save(in)
	out, err = e.svc.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if out.RemovedSites != 1 || out.NewSites != 0 || out.SiteCount != len(sims)-1 {
		t.Fatalf("refresh without %s: %+v", gone.Name, out)
	}
	list, _ := e.svc.Sites(context.Background())
	for _, s := range list.Sites {
		if s.ID == gone.ID {
			t.Errorf("removed site %s still listed", s.Name)
		}
	}
	if n := e.Count(`SELECT COUNT(*) FROM webroot_sites WHERE site_id = ? AND removed_at IS NOT NULL`, gone.ID); n != 1 {
		t.Errorf("the removed site's row (and first-seen time) was not kept")
	}
	if n := e.Count(`SELECT COUNT(*) FROM webroot_site_counts WHERE site_id = ?`, gone.ID); n != 0 {
		t.Errorf("the removed site still has %d counts", n)
	}
}

func TestFailedRefreshKeepsTheCacheAndMarksTheConnectionFailing(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	if _, err := e.svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, _ := e.svc.Sites(context.Background())

	// A report fails on the server: an error, the old snapshot untouched, the state still
	// connected (one report failing does not say the credentials are wrong).
	e.sim.FailNext("/service/api/status/reporting", 500, 100)
	out, err := e.svc.Refresh(context.Background())
	if err == nil || out.OK || out.Message == "" {
		t.Fatalf("refresh with failing reports: %+v %v", out, err)
	}
	if !webrootconn.IsConnectionFailure(err) {
		t.Errorf("a server failure is a connection failure for the command line: %v", err)
	}
	e.sim.ClearFaults()
	after, _ := e.svc.Sites(context.Background())
	if !after.RefreshedAt.Equal(*before.RefreshedAt) || len(after.Sites) != len(before.Sites) {
		t.Errorf("the cache changed after a failed refresh")
	}
	if st := e.status(); st.State != webrootconn.StateConnected {
		t.Errorf("state after a server error %+v", st)
	}

	// The password changed in the console: credentials rejected → failing.
	e.sim.SetPassword("Changed-Elsewhere-1!")
	if _, err := e.svc.Refresh(context.Background()); err == nil {
		t.Fatal("refresh succeeded with a revoked password")
	}
	st := e.status()
	if st.State != webrootconn.StateFailing || !strings.Contains(st.Problem, "Admin Password") {
		t.Errorf("state after rejected credentials %+v", st)
	}
}

// Readers running while refreshes replace the snapshot see a whole snapshot every time.
func TestReadersNeverSeeAHalfWrittenSnapshot(t *testing.T) {
	e := newEnv(t, nil)
	e.save(e.good())
	if _, err := e.svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := len(e.sim.Sites())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				list, err := e.svc.Sites(context.Background())
				if err != nil {
					errs <- err.Error()
					return
				}
				counted := 0
				for _, s := range list.Sites {
					if _, ok := s.Counts[string(webroot.BasisActiveWithoutHidden)]; ok {
						counted++
					}
				}
				if len(list.Sites) != want || counted != want {
					errs <- "partial snapshot"
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	for range 3 {
		if _, err := e.svc.Refresh(context.Background()); err != nil {
			t.Error(err)
		}
	}
	cancel()
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}
