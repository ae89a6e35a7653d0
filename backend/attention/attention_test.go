package attention

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/demo"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/secrets"
)

func kinds(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Kind)
	}
	return out
}

func find(items []Item, kind string) *Item {
	for i := range items {
		if items[i].Kind == kind {
			return &items[i]
		}
	}
	return nil
}

func TestNewInstallationNeedsBothConnections(t *testing.T) {
	ctx := context.Background()
	inst, err := install.OpenDir(ctx, t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	inst.Secrets = secrets.NewMemory()
	items, err := List(ctx, Sources{Store: inst.Store, Secrets: inst.Secrets, Now: time.Now, StaleAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].Title != "ConnectWise Manage is not connected" || items[0].Page != "configure-connectwise" ||
		items[1].Title != "Webroot is not connected" || items[1].Severity != Problem {
		t.Fatalf("items %+v", items)
	}
}

func TestDemoMSP(t *testing.T) {
	ctx := context.Background()
	inst, sims, err := demo.OpenConnected(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	defer sims.Close()
	now := time.Now()
	src := Sources{Store: inst.Store, Secrets: inst.Secrets, Now: func() time.Time { return now }, StaleAfter: 72 * time.Hour}

	items, err := List(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if find(items, KindManage) != nil || find(items, KindWebroot) != nil || find(items, KindStale) != nil {
		t.Fatalf("connected demo, just refreshed: %q", kinds(items))
	}
	rows, err := mapping.New(inst.Store, nil).Rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	open, suggested := 0, []mapping.SiteProduct{}
	for _, r := range rows {
		if r.State == mapping.StateUnmapped || r.State == mapping.StateSuggested {
			open++
		}
		if r.Suggestion != nil {
			suggested = append(suggested, mapping.SiteProduct{SiteID: r.SiteID, Product: r.Product})
		}
	}
	un := find(items, KindUnmapped)
	if un == nil || un.Count != open || un.Page != "mappings" || !strings.HasSuffix(un.Title, "are not mapped") ||
		!strings.HasPrefix(un.Detail, fmt.Sprintf("%d have suggestions ready to review. ", len(suggested))) {
		t.Fatalf("unmapped item %+v, want %d lines", un, open)
	}
	overBefore := 0
	if o := find(items, KindOverSeatLimit); o != nil {
		overBefore = o.Count // the demo has a site over its limit to find
	}

	// Accepting the suggestions leaves fewer unmapped lines.
	out, err := mapping.New(inst.Store, nil).AcceptSuggestions(ctx, "demo", suggested)
	if err != nil || out.Accepted == 0 {
		t.Fatal(out, err)
	}
	// A site goes over its seat limit; a mapped addition disappears from Manage.
	if _, err := inst.Store.DB.ExecContext(ctx, `UPDATE webroot_sites SET devices_allowed = 10, total_endpoints = 14
		WHERE site_id = (SELECT site_id FROM webroot_sites ORDER BY name LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	var mapped int64
	if err := inst.Store.DB.QueryRowContext(ctx, `SELECT addition_id FROM mappings LIMIT 1`).Scan(&mapped); err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Store.DB.ExecContext(ctx, `DELETE FROM manage_additions WHERE id = ?`, mapped); err != nil {
		t.Fatal(err)
	}
	// And days pass without a sync.
	now = now.Add(5 * 24 * time.Hour)

	items, err = List(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("items: %+v", items)
	if un2 := find(items, KindUnmapped); un2 == nil || un2.Count != open-out.Accepted {
		t.Fatalf("after accepting %d suggestions: %+v (was %d)", out.Accepted, un2, open)
	}
	over := find(items, KindOverSeatLimit)
	if over == nil || over.Count != overBefore+1 || !strings.Contains(over.Detail, "(14 of 10)") {
		t.Fatalf("over seat limit %+v", over)
	}
	broken := find(items, KindMappingProblems)
	if broken == nil || broken.Count < 1 || broken.Severity != Problem {
		t.Fatalf("cancelled addition not reported: %q", kinds(items))
	}
	st := find(items, KindStale)
	if st == nil || st.Title != "No successful sync for 5 days" || !strings.Contains(st.Detail, "since Webroot was connected") {
		t.Fatalf("stale %+v", st)
	}
	if items[0].Severity != Problem {
		t.Fatalf("problems must come first: %q", kinds(items))
	}
}

func TestList(t *testing.T) {
	if got := list([]string{"A"}, 3); got != "A" {
		t.Fatal(got)
	}
	if got := list([]string{"A", "B", "C"}, 3); got != "A, B and C" {
		t.Fatal(got)
	}
	if got := list([]string{"A", "B", "C", "D", "E"}, 3); got != "A, B, C and 2 more" {
		t.Fatal(got)
	}
}
