package commands

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
)

// seedCaches fills the Webroot and Manage caches of a data folder as a refresh would.
func seedCaches(t *testing.T, dir string) {
	t.Helper()
	inst, err := install.OpenDir(context.Background(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	ts := "2026-03-01T00:00:00Z"
	for _, q := range []string{
		`INSERT INTO webroot_sites(site_id, name, first_seen_at, last_seen_at) VALUES ('S1', 'Acme Corp', '` + ts + `', '` + ts + `'), ('S2', 'Contoso', '` + ts + `', '` + ts + `')`,
		`INSERT INTO webroot_site_counts(site_id, basis, count) VALUES ('S1', 'active_without_hidden', 12), ('S2', 'active_without_hidden', 3)`,
		`INSERT INTO manage_companies(id, identifier, name) VALUES (10, 'Acme', 'Acme Corporation')`,
		`INSERT INTO manage_agreements(id, company_id, name, blocked_reason) VALUES (100, 10, 'Acme MSA', '')`,
		`INSERT INTO manage_additions(id, agreement_id, product_identifier) VALUES (1000, 100, 'WEBROOT-EP')`,
	} {
		if _, err := inst.Store.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMappingsImportListExport(t *testing.T) {
	dir := t.TempDir()
	seedCaches(t, dir)
	good := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(good, []byte("site_id,site_name,product,count_basis,company_id,agreement_id,addition_id,less_included,minimum\nS1,Acme Corp,endpoint,active_without_hidden,10,100,1000,,5\n"), 0o600)
	code, out, errOut := runCLI(t, dir, "", nil, "mappings", "import", "--csv", good)
	if code != cli.ExitOK || !strings.Contains(out, "1 created") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, dir, "", nil, "mappings", "list", "--json")
	var rows []struct {
		SiteID, State string
	}
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 {
		t.Fatalf("list --json: %d %q", code, out)
	}
	code, out, _ = runCLI(t, dir, "", nil, "mappings", "list")
	if code != cli.ExitOK || !strings.Contains(out, "Acme Corporation (10)") || !strings.Contains(out, "1 waiting for a mapping") {
		t.Fatalf("list: %q", out)
	}
	exported := filepath.Join(t.TempDir(), "out.csv")
	code, _, errOut = runCLI(t, dir, "", nil, "mappings", "export", "--csv", exported)
	body, _ := os.ReadFile(exported)
	if code != cli.ExitOK || !strings.Contains(string(body), "S1,Acme Corp,endpoint,active_without_hidden,10,100,1000,,5") {
		t.Fatalf("export: %d %q %q", code, body, errOut)
	}
}

func TestMappingsImportRefusesBadFileWithLineNumbers(t *testing.T) {
	dir := t.TempDir()
	seedCaches(t, dir)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("site_id,site_name,product,count_basis,company_id,agreement_id,addition_id,less_included,minimum\nS2,Contoso,endpoint,active,10,100,1000,,\nS1,Acme,endpoint,devices_seen,10,100,1000,,\n"), 0o600)
	code, _, errOut := runCLI(t, dir, "", nil, "mappings", "import", "--csv", bad)
	if code != cli.ExitUsage || !strings.Contains(errOut, "line 3: count_basis:") || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("bad import: %d %q", code, errOut)
	}
	code, out, _ := runCLI(t, dir, "", nil, "mappings", "list")
	if code != cli.ExitOK || !strings.Contains(out, "2 waiting for a mapping") {
		t.Fatalf("the good row of a refused file was applied: %q", out)
	}
	for _, args := range [][]string{{"mappings"}, {"mappings", "import"}, {"mappings", "frob"}} {
		if code, _, _ := runCLI(t, dir, "", nil, args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestMappingsSuggest(t *testing.T) {
	dir := t.TempDir()
	seedCaches(t, dir)
	code, out, _ := runCLI(t, dir, "", nil, "mappings", "suggest")
	if code != cli.ExitOK || !strings.Contains(out, "Acme Corporation (10)") || !strings.Contains(out, "WEBROOT-EP (1000)") || strings.Contains(out, "Contoso") {
		t.Fatalf("suggest: %d %q", code, out)
	}
	code, out, _ = runCLI(t, dir, "", nil, "mappings", "suggest", "--json")
	var rows []struct {
		SiteID     string
		Suggestion struct{ CompanyID, AdditionID int64 }
	}
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0].Suggestion.AdditionID != 1000 {
		t.Fatalf("suggest --json: %d %q", code, out)
	}
}
