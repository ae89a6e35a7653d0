package manageconn_test

import (
	"context"
	"errors"
	"testing"

	"cwm-webroot/backend/manageconn"
)

func TestCreateAdditionIsExplicitAndCachedForMapping(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.save(e.good())
	if _, err := e.svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var agreementID, blockedID, catalogID int
	e.Store.DB.QueryRow(`SELECT id FROM manage_agreements WHERE blocked_reason = '' ORDER BY id LIMIT 1`).Scan(&agreementID)
	e.Store.DB.QueryRow(`SELECT id FROM manage_agreements WHERE blocked_reason != '' ORDER BY id LIMIT 1`).Scan(&blockedID)
	e.Store.DB.QueryRow(`SELECT id FROM manage_catalog WHERE inactive = 0 ORDER BY id LIMIT 1`).Scan(&catalogID)
	if agreementID == 0 || blockedID == 0 || catalogID == 0 {
		t.Fatal("demo data lacks an active agreement, a blocked one or a catalog item")
	}
	before := len(e.sim.AdditionsOf(agreementID))
	add, err := e.svc.CreateAddition(ctx, "tester@bluewave.example", agreementID, catalogID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(e.sim.AdditionsOf(agreementID)); got != before+1 {
		t.Fatalf("Manage has %d additions on the agreement, want %d", got, before+1)
	}
	cached, err := e.svc.Additions(ctx, agreementID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range cached {
		found = found || a.ID == add.ID
	}
	if !found || add.Quantity == nil || *add.Quantity != 0 {
		t.Fatalf("new addition %+v not cached (found %v) or quantity not 0", add, found)
	}
	if n := e.Count(`SELECT COUNT(*) FROM audit_log WHERE action = 'manage.addition_created'`); n != 1 {
		t.Fatalf("audit entries %d", n)
	}
	if _, err := e.svc.CreateAddition(ctx, "tester", blockedID, catalogID); !errors.Is(err, manageconn.ErrAgreementNotWritable) {
		t.Fatalf("blocked agreement: %v", err)
	}
	if _, err := e.svc.CreateAddition(ctx, "tester", agreementID, 999999); err == nil {
		t.Fatal("unknown catalog item accepted")
	}
}
