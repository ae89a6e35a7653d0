package demo

import (
	"context"
	"testing"

	"cwm-webroot/backend/attention"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/mapping"
)

// The demo's trial site ("Prestige Worldwide": trial until the contract is signed) is told
// apart on the Mappings page, and once mapped the dashboard warns that syncs bill a trial.
func TestTrialSiteIsFlaggedAndWarnedAbout(t *testing.T) {
	ctx := context.Background()
	inst, _ := openConnected(t)
	rows, err := mapping.New(inst.Store, nil).Rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var trial *mapping.Row
	for i, r := range rows {
		switch {
		case r.SiteName == "Prestige Worldwide" && r.Product == "endpoint":
			trial = &rows[i]
		case r.Trial && r.SiteName != "Prestige Worldwide":
			t.Errorf("%s %s is flagged as a trial", r.SiteName, r.Product)
		}
	}
	if trial == nil || !trial.Trial {
		t.Fatalf("the trial site's Endpoint Protection row: %+v", trial)
	}

	items, err := attention.List(ctx, attention.Sources{Store: inst.Store, Secrets: inst.Secrets})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Kind == attention.KindTrials {
			t.Fatalf("a trial warning before the trial is mapped: %+v", it)
		}
	}
	// Map it onto any active addition of the demo: now syncs would bill a trial.
	first := rows[0]
	for _, r := range rows {
		if r.Suggestion != nil && r.Suggestion.AdditionID != 0 {
			first = r
			break
		}
	}
	if first.Suggestion == nil {
		t.Fatal("the demo has no suggestion to borrow an addition from")
	}
	m := mapping.Mapping{SiteID: trial.SiteID, Product: "endpoint", CountBasis: "active_without_hidden",
		CompanyID: first.Suggestion.CompanyID, AgreementID: first.Suggestion.AgreementID, AdditionID: first.Suggestion.AdditionID}
	if err := mapping.New(inst.Store, nil).Save(ctx, "test", m); err != nil {
		t.Fatal(err)
	}
	items, err = attention.List(ctx, attention.Sources{Store: inst.Store, Secrets: inst.Secrets})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Kind == attention.KindTrials {
			if it.Count != 1 || it.Title != "1 mapped product line is a Webroot trial" || it.Page != "mappings" {
				t.Fatalf("trial warning %+v", it)
			}
			return
		}
	}
	t.Fatalf("no trial warning once the trial is mapped: %+v", items)
}

// openConnected is OpenConnected in a temporary folder, closed when the test ends.
func openConnected(t *testing.T) (*install.Installation, *Simulators) {
	t.Helper()
	inst, sims, err := OpenConnected(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sims.Close)
	t.Cleanup(func() { inst.Close() })
	return inst, sims
}
