package demo

import (
	"context"
	"fmt"
	"time"

	"cwm-webroot/backend/install"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/secrets"
)

// OpenConnected opens a throw-away installation in dir with an in-memory keychain and
// connects it to freshly started demo simulators, with their data read: the demo MSP for
// tests of what comes after connecting. The caller closes both.
func OpenConnected(ctx context.Context, dir string) (*install.Installation, *Simulators, error) {
	inst, err := install.OpenDir(ctx, dir, false)
	if err != nil {
		return nil, nil, err
	}
	inst.Secrets = secrets.NewMemory()
	sims, err := StartSimulators(time.Now())
	if err != nil {
		inst.Close()
		return nil, nil, err
	}
	if err := sims.Connect(ctx, inst, "demo"); err != nil {
		sims.Close()
		inst.Close()
		return nil, nil, err
	}
	return inst, sims, nil
}

// AcceptAllSuggestions maps every line that has a suggestion, as a newcomer accepting
// them all would.
func AcceptAllSuggestions(ctx context.Context, inst *install.Installation) (mapping.AcceptOutcome, error) {
	maps := mapping.New(inst.Store, nil)
	rows, err := maps.Rows(ctx)
	if err != nil {
		return mapping.AcceptOutcome{}, err
	}
	var items []mapping.SiteProduct
	for _, r := range rows {
		if r.Suggestion != nil {
			items = append(items, mapping.SiteProduct{SiteID: r.SiteID, Product: r.Product})
		}
	}
	out, err := maps.AcceptSuggestions(ctx, "demo", items)
	if err != nil {
		return out, fmt.Errorf("accepting the demo's suggestions: %w", err)
	}
	return out, nil
}
