package demo

import (
	"context"
	"testing"

	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/webrootconn"
)

// TestDemoSyncShowsARealisticMix accepts every suggestion of the demo, as a newcomer would,
// and makes a dry run against the simulators: most additions change by a few seats (applied
// without review), a handful need review (a drop to zero, a large jump), some are right
// already.
func TestDemoSyncShowsARealisticMix(t *testing.T) {
	ctx := context.Background()
	inst, sims := openConnected(t)
	if _, err := AcceptAllSuggestions(ctx, inst); err != nil {
		t.Fatal(err)
	}

	s := syncer.New(inst.Store, syncer.ConnectionSources(inst.Store, inst.Secrets,
		manageconn.Options{BaseContext: ctx}, webrootconn.Options{BaseContext: ctx}), syncer.Options{LockDir: t.TempDir()})
	res, err := s.Sync(ctx, syncer.RunOptions{Trigger: syncer.TriggerCLI, Actor: "demo test", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Run.Counts
	for _, ch := range res.Changes {
		before := -1.0
		if ch.Before != nil {
			before = *ch.Before
		}
		t.Logf("%-32s %-8s %5.0f -> %4d %-9s %s", ch.CompanyName, ch.Product, before, ch.After, ch.State, ch.Reason)
	}
	t.Logf("demo dry run: %d additions, %d planned, %d held, %d unchanged, %d blocked, %d errors",
		c.Total, c.Planned, c.Held, c.Unchanged, c.Blocked, c.Errors)
	if c.Held < 2 || c.Held > 6 || c.Planned < 10 || c.Unchanged < 5 || c.Blocked+c.Errors > 0 {
		t.Errorf("the demo's first sync should mostly apply small changes: %+v", c)
	}
	var dropToZero, jumps int
	for _, ch := range res.Changes {
		if ch.State != syncer.StateHeld {
			continue
		}
		switch {
		case ch.After == 0:
			dropToZero++
		case ch.Before != nil && float64(ch.After) > 1.2**ch.Before:
			jumps++
		}
	}
	if dropToZero != 1 || jumps < 1 || jumps > 2 {
		t.Errorf("held: %d drops to 0 and %d large jumps, want 1 and 1 or 2", dropToZero, jumps)
	}

	// Each change carries its addition's unit price, as recorded with the run, so the pages
	// can say what it does to the bill.
	recorded, err := s.Changes(ctx, syncer.ChangeQuery{RunID: res.Run.ID})
	if err != nil || len(recorded) != len(res.Changes) {
		t.Fatalf("recorded changes: %d, %v", len(recorded), err)
	}
	for _, ch := range recorded {
		a, ok := sims.Manage.Addition(int(ch.AdditionID))
		if !ok || ch.UnitPrice == nil || *ch.UnitPrice != a.UnitPrice || a.UnitPrice == 0 {
			t.Fatalf("addition %d: recorded price %v, Manage has %+v", ch.AdditionID, ch.UnitPrice, a.UnitPrice)
		}
	}
}
