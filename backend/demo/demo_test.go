package demo

import (
	"context"
	"os"
	"testing"

	"cwm-webroot/backend/account"
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
