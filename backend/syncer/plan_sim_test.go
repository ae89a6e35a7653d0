package syncer

import (
	"strconv"
	"strings"
	"testing"

	"cwm-webroot/backend/simulator/webrootsim"
)

// TestPlanCountsEveryBasisSumsAndApplies runs one sync over additions fed by every count
// basis, two sites summed into one addition, a Less Included and a minimum, and checks each
// quantity Manage ends with.
func TestPlanCountsEveryBasisSumsAndApplies(t *testing.T) {
	f := newFixture(t)
	agr := f.agreement(nil)
	// With D the latest report day, the endpoint mix counts
	// active_without_hidden = Active+Stale = 13, active = +Hidden = 15,
	// seen_30d = Active+Hidden+RecentlyDeactivated = 16, not_deactivated = Active+Hidden+Stale+New = 17.
	mix := webrootsim.EndpointMix{Active: 10, Hidden: 2, Stale: 3, RecentlyDeactivated: 4, LongDeactivated: 5, New: 2}
	seen := webrootsim.SeenMix{Today: 7, ThisMonth: 4, Stale: 2, New: 1} // seen 7, 30 days 11
	type row struct {
		name, product, basis string
		catalog              int
		before, want         float64
	}
	rows := []row{
		{"EP without hidden", "endpoint", "active_without_hidden", 1, 12, 13},
		{"EP active", "endpoint", "active", 1, 14, 15},
		{"EP seen 30d", "endpoint", "seen_30d", 1, 15, 16},
		{"EP not deactivated", "endpoint", "not_deactivated", 1, 16, 17},
		{"DNS seen", "dns", "devices_seen", 2, 6, 7},
		{"DNS 30d", "dns", "devices_seen_30d", 2, 10, 11},
		{"WSAT seen", "wsat", "users_seen", 3, 7, 7},
		{"WSAT 30d", "wsat", "users_seen_30d", 3, 10, 11},
	}
	additions := map[int]float64{}
	ids := map[string]int{}
	for _, r := range rows {
		id := f.site(r.name, mix)
		switch r.product {
		case "dns":
			f.ws.AddDNSMix(id, seen)
		case "wsat":
			f.ws.AddWSATMix(id, seen)
		}
		add := f.addition(agr, r.catalog, r.before, nil)
		f.mapRow(id, r.product, r.basis, agr, add, nil, nil)
		additions[add] = r.want
		ids[r.name] = add
	}
	// Two sites summed into one addition: 13 + (4 + 1) = 18.
	sum := f.addition(agr, 1, 17, nil)
	f.mapRow(f.site("Sum A", mix), "endpoint", "active_without_hidden", agr, sum, nil, nil)
	f.mapRow(f.site("Sum B", webrootsim.EndpointMix{Active: 4, Stale: 1}), "endpoint", "active_without_hidden", agr, sum, nil, nil)
	additions[sum] = 18
	// Less Included written as is, though the quantity itself is right already.
	less := f.addition(agr, 1, 13, nil)
	f.mapRow(f.site("Less", mix), "endpoint", "active_without_hidden", agr, less, ptr(5), nil)
	additions[less] = 13
	// A minimum raises 3 devices to 10.
	minimum := f.addition(agr, 1, 9, nil)
	f.mapRow(f.site("Minimum", webrootsim.EndpointMix{Active: 3}), "endpoint", "active_without_hidden", agr, minimum, nil, ptr(10))
	additions[minimum] = 10

	s := f.syncer()
	res := f.sync(s, RunOptions{})
	if res.Run.Status != StatusSucceeded || len(res.Changes) != len(additions) {
		t.Fatalf("run %+v with %d changes", res.Run, len(res.Changes))
	}
	got := byAddition(res)
	for add, want := range additions {
		c := got[int64(add)]
		if c.After != int(want) || f.quantity(add) != want {
			t.Errorf("addition %d (%s): planned %d, Manage holds %v, want %v (%s: %s)", add, c.Basis, c.After, f.quantity(add), want, c.State, c.Text())
		}
	}
	wsatSame := got[int64(ids["WSAT seen"])]
	if wsatSame.State != StateUnchanged || wsatSame.Plan != PlanUnchanged {
		t.Errorf("an addition already right: %+v", wsatSame)
	}
	if c := got[int64(sum)]; len(c.Sites) != 2 || c.Sites[0].Count+c.Sites[1].Count != 18 || c.State != StateApplied {
		t.Errorf("summed addition %+v", c)
	}
	if a, _ := f.ms.Addition(less); a.LessIncluded == nil || *a.LessIncluded != 5 || got[int64(less)].State != StateApplied {
		t.Errorf("less included: %+v, change %+v", a.LessIncluded, got[int64(less)])
	}
	if c := got[int64(minimum)]; c.Proposed != 10 || !strings.Contains(c.Reason, "minimum of 10") {
		t.Errorf("minimum %+v", c)
	}
	// lessIncluded is sent only for the mapping that sets it.
	for _, r := range f.ms.RequestsTo("PATCH", "/finance/agreements/*/additions/*") {
		hasLess := strings.Contains(string(r.Body), "lessIncluded")
		if hasLess != strings.HasSuffix(r.Route, "/"+itoa(less)) {
			t.Errorf("PATCH %s body %s", r.Route, r.Body)
		}
	}
	// One list call per distinct agreement, asking only for the fields the plan needs.
	lists := f.ms.RequestsTo("GET", "/finance/agreements/*/additions")
	if len(lists) != 1 || !strings.Contains(lists[0].Query.Get("fields"), "quantity") || strings.Contains(lists[0].Query.Get("fields"), "description") {
		t.Errorf("reads: %d, fields %q", len(lists), lists[0].Query.Get("fields"))
	}
	if len(f.rec.Named(EventDone)) != 1 || s.Progress().Status != StatusSucceeded || s.Progress().Applied != len(additions)-1 {
		t.Errorf("progress %+v, done events %d", s.Progress(), len(f.rec.Named(EventDone)))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
