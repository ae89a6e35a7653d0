package webroot_test

import (
	"context"
	"slices"
	"testing"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

// The demo MSP read end to end: every site, every basis, the problems a user should find.
func TestSitesWithCountsOnDemoData(t *testing.T) {
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) { c.PageSize = 25 })
	seeded := e.sim.SeedDemo()
	snap, err := e.client.SitesWithCounts(context.Background(), webroot.UsageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Sites) != len(seeded) || snap.TotalSeatsAllowed != 2500 {
		t.Fatalf("sites %d of %d, seats %d", len(snap.Sites), len(seeded), snap.TotalSeatsAllowed)
	}
	reportOf := map[webroot.Basis]string{
		webroot.BasisActiveWithoutHidden: webrootsim.ReportActiveEndpointsWithoutHidden, webroot.BasisActive: webrootsim.ReportActiveEndpoints,
		webroot.BasisSeen30d: webrootsim.ReportEndpointsSeenInLast30Days, webroot.BasisDevicesSeen: webrootsim.ReportDevicesSeen,
		webroot.BasisDevicesSeen30d: webrootsim.ReportDevicesSeenInLast30Days, webroot.BasisUsersSeen: webrootsim.ReportUsersSeen,
		webroot.BasisUsersSeen30d: webrootsim.ReportUsersSeenInLast30Days,
	}
	byID := snap.ByID()
	hints, over := 0, []string{}
	for _, s := range seeded {
		got := byID[s.ID]
		for b, rt := range reportOf {
			n, ok := got.Count(b)
			inReport := b.Product() == webroot.ProductEndpoint || (b.Product() == webroot.ProductDNS && s.HasModule("DNSP") && s.Name != "Hooli") ||
				(b.Product() == webroot.ProductWSAT && s.HasModule("WSAT"))
			want := 0
			if inReport {
				want = e.sim.ReportCount(s.ID, rt)
			}
			if n != want || ok != inReport {
				t.Errorf("%s %s = %d (ok %v), want %d (ok %v)", s.Name, b, n, ok, want, inReport)
			}
		}
		n, ok := got.Count(webroot.BasisNotDeactivated)
		if s.Deactivated {
			if ok {
				t.Errorf("%s is deactivated: its endpoint list should not be read", s.Name)
			}
		} else if !ok || n != e.sim.NotDeactivatedCount(s.ID) {
			t.Errorf("%s not deactivated = %d (ok %v), want %d", s.Name, n, ok, e.sim.NotDeactivatedCount(s.ID))
		}
		if _, ok := got.CWMID(); ok {
			hints++
		}
		if got.OverSeatLimit() {
			over = append(over, got.Name)
		}
	}
	if hints != 4 || !slices.Equal(over, []string{"Initech"}) {
		t.Errorf("hints %d, over the seat limit %v", hints, over)
	}
	hooli := byID[webrootsim.DemoSitesNamed(seeded, "Hooli")[0].ID]
	if !slices.Contains(hooli.Missing, webroot.BasisDevicesSeen) {
		t.Errorf("Hooli's missing DNS row is not flagged: %v", hooli.Missing)
	}
}
