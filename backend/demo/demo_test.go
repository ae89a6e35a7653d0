package demo

import (
	"context"
	"os"
	"testing"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/store"
)

func TestDemoFolderAndAccount(t *testing.T) {
	dir, err := NewDataDir()
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := account.New(st, nil, nil)
	u, err := SeedAccount(context.Background(), svc)
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != account.RoleAdmin || u.Status != account.StatusActive {
		t.Fatalf("demo user %+v", u)
	}
	c, ok, _ := svc.Company(context.Background())
	if !ok || c.Name != DemoCompany.CompanyName {
		t.Fatalf("demo company %+v", c)
	}
	other, _ := NewDataDir()
	defer os.RemoveAll(other)
	if other == dir {
		t.Fatal("two demos share a data folder")
	}
}

func TestDemoConnectsToBothSimulatorsAndSuggests(t *testing.T) {
	ctx := context.Background()
	inst, _ := openConnected(t)
	rows, err := mapping.New(inst.Store, nil).Rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, r := range rows {
		states[r.State]++
	}
	t.Logf("demo rows %d, states %v", len(rows), states)
	// Dozens of site product lines, a good share of them with confident suggestions, and
	// some left for the user to map by hand.
	if len(rows) < 40 || states[mapping.StateSuggested] < 10 || states[mapping.StateUnmapped] == 0 {
		t.Fatalf("demo rows %d, states %v", len(rows), states)
	}
}
