package webroot_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/webroot"
)

func TestConsoleAndSites(t *testing.T) {
	e := newEnv(t, webrootsim.Options{})
	ids := e.seedSmall()
	ctx := context.Background()

	con, err := e.client.Console(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if con.Name != "Test MSP GSM" || con.TotalSites != 3 || con.TotalSeatsAllowed != 800 || con.RemainingDays < 360 {
		t.Errorf("console = %+v", con)
	}

	list, err := e.client.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list.TotalCount != 3 || len(list.Sites) != 3 {
		t.Fatalf("sites = %d (TotalCount %d), want 3", len(list.Sites), list.TotalCount)
	}
	byID := map[string]webroot.Site{}
	for _, s := range list.Sites {
		byID[s.ID] = s
	}
	acme, initech, globex := byID[ids.acme], byID[ids.initech], byID[ids.globex]
	// The console's own device count is "Active Devices": not deactivated, not hidden.
	if acme.Name != "Acme Corp" || acme.TotalEndpoints != 24 || acme.DevicesAllowed != 30 || acme.Comments != "Main office" {
		t.Errorf("acme = %+v", acme)
	}
	if acme.BillingCycle != "Annually" { // the wire says "Anually"
		t.Errorf("billing cycle %q not normalised", acme.BillingCycle)
	}
	if globex.BillingCycle != "Monthly" || globex.BillingDate != "1" {
		t.Errorf("globex billing %q %q", globex.BillingCycle, globex.BillingDate)
	}
	if !initech.Suspended || initech.Deactivated {
		t.Errorf("initech suspended=%v deactivated=%v", initech.Suspended, initech.Deactivated)
	}
	if id, ok := webroot.CWMIDHint(initech.Comments); !ok || id != 4242 {
		t.Errorf("cwm-id hint = %d, %v", id, ok)
	}
	// The simulator emits keycodes with and without dashes; both normalise alike.
	sim, _ := e.sim.Site(ids.globex)
	if webroot.NormalizeKeycode(globex.KeyCode) != webroot.NormalizeKeycode(sim.KeyCode) {
		t.Errorf("keycode %q vs %q", globex.KeyCode, sim.KeyCode)
	}

	one, err := e.client.Site(ctx, ids.globex)
	if err != nil || one.Name != "Globex Inc." {
		t.Fatalf("Site = %+v, %v", one, err)
	}
	_, err = e.client.Site(ctx, "00000000-0000-0000-0000-000000000000")
	kindOf(t, err, webroot.KindNotFound)
}

// Paging follows the reference: pages until PageNr*PageSize >= TotalAvailable or a short page.
func TestEndpointPagingAcrossPages(t *testing.T) {
	e := newEnv(t, webrootsim.Options{}, func(c *webroot.Config) { c.PageSize = 7 })
	ids := e.seedSmall()
	e.sim.ResetRequests()
	list, err := e.client.Endpoints(context.Background(), ids.acme, webroot.EndpointsAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 29 {
		t.Fatalf("endpoints = %d, want 29", len(list))
	}
	seen := map[string]bool{}
	for _, ep := range list {
		if seen[ep.ID] {
			t.Fatalf("endpoint %s listed twice", ep.ID)
		}
		seen[ep.ID] = true
		if ep.HostName == "" || ep.LastSeen.IsZero() || ep.Deactivated == nil {
			t.Fatalf("endpoint not decoded: %+v", ep)
		}
	}
	path := fmt.Sprintf("/service/api/console/gsm/%s/sites/%s/endpoints", webrootsim.DefaultGSMKey, ids.acme)
	if n := e.sim.Count(http.MethodGet, path); n != 5 { // 7+7+7+7+1
		t.Errorf("page requests = %d, want 5", n)
	}

	// An exact multiple ends on PageNr*PageSize >= TotalAvailable, without an empty page.
	e.sim.ResetRequests()
	n, err := e.client.CountNotDeactivated(context.Background(), ids.initech) // 12 agents
	if err != nil || n != 12 {
		t.Fatalf("initech = %d, %v", n, err)
	}
	e.cfg.PageSize = 6
	e.sim.ResetRequests()
	n, err = e.newClient().CountNotDeactivated(context.Background(), ids.initech)
	if err != nil || n != 12 {
		t.Fatalf("initech = %d, %v", n, err)
	}
	if got := e.sim.Count(http.MethodGet, "/service/api/console"); got != 2 {
		t.Errorf("requests for 12 agents in pages of 6 = %d, want 2", got)
	}
}

// A server that caps pageSize reports the size it used; the client keeps paging.
func TestEndpointPagingWithCappedPageSize(t *testing.T) {
	e := newEnv(t, webrootsim.Options{MaxPageSize: 10})
	ids := e.seedSmall()
	n, err := e.client.CountNotDeactivated(context.Background(), ids.acme)
	if err != nil {
		t.Fatal(err)
	}
	if n != smallWant["acme"][webroot.BasisNotDeactivated] {
		t.Errorf("not deactivated = %d, want %d", n, smallWant["acme"][webroot.BasisNotDeactivated])
	}
}

// Whether the endpoint list honours type= is unverified: the count is right either way.
func TestNotDeactivatedWhateverTheTypeFilterDoes(t *testing.T) {
	for name, mode := range map[string]webrootsim.TypeFilter{
		"honoured": webrootsim.FilterHonoured, "ignored": webrootsim.FilterIgnored, "total unfiltered": webrootsim.FilterTotalUnfiltered,
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, webrootsim.Options{EndpointFilter: mode}, func(c *webroot.Config) { c.PageSize = 4 })
			ids := e.seedSmall()
			n, err := e.client.CountNotDeactivated(context.Background(), ids.acme)
			if err != nil {
				t.Fatal(err)
			}
			if want := smallWant["acme"][webroot.BasisNotDeactivated]; n != want {
				t.Errorf("not deactivated = %d, want %d", n, want)
			}
		})
	}
}
