package commands

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/demo"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/syncer/synclock"
)

// syncCLI is a data folder connected (through the real keychain) to the demo's simulated
// Webroot and Manage, with every confident suggestion accepted as a mapping.
type syncCLI struct {
	t    *testing.T
	dir  string
	sims *demo.Simulators
}

func newSyncCLI(t *testing.T) *syncCLI {
	t.Helper()
	dir := t.TempDir()
	kc := secrets.NewKeychain(secrets.ServiceName(dir, false))
	if err := kc.Check(); err != nil {
		if os.Getenv("CWM_WEBROOT_SKIP_KEYCHAIN") == "1" {
			t.Skipf("no keychain on this machine: %v", err)
		}
		t.Fatalf("keychain not reachable (run inside scripts/with-keyring.sh): %v", err)
	}
	t.Cleanup(func() { _ = kc.DeleteAll() })
	sims, err := demo.StartSimulators(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sims.Close)
	ctx := context.Background()
	inst, err := install.OpenDir(ctx, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if err := sims.Connect(ctx, inst, "test"); err != nil {
		t.Fatal(err)
	}
	// The pace is the syncer's business (tested there); here it would only slow the test.
	if err := syncer.SetRequestsPerMinute(ctx, inst.Store, 60000); err != nil {
		t.Fatal(err)
	}
	svc := mapping.New(inst.Store, nil)
	rows, err := svc.Rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var items []mapping.SiteProduct
	for _, r := range rows {
		if r.Suggestion != nil && r.Suggestion.AdditionID != 0 {
			items = append(items, mapping.SiteProduct{SiteID: r.SiteID, Product: r.Product})
		}
	}
	if out, err := svc.AcceptSuggestions(ctx, "test", items); err != nil || out.Accepted < 10 {
		t.Fatalf("accepting suggestions: %+v %v", out, err)
	}
	return &syncCLI{t: t, dir: dir, sims: sims}
}

func (s *syncCLI) run(args ...string) (int, string, string) {
	s.t.Helper()
	return runCLI(s.t, s.dir, "", nil, args...)
}

func (s *syncCLI) syncJSON(args ...string) (int, syncOutput, string) {
	s.t.Helper()
	code, out, errOut := s.run(append([]string{"sync", "--json"}, args...)...)
	var o syncOutput
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		s.t.Fatalf("sync %v: exit %d, not JSON (%v):\n%s\n%s", args, code, err, out, errOut)
	}
	return code, o, errOut
}

func TestSyncCommandJSONShapeStatesAndExitCodes(t *testing.T) {
	s := newSyncCLI(t)
	patches := func() int { return s.sims.Manage.CountRequests("PATCH", "/finance/agreements/*/additions/*") }

	// A dry run plans every mapped addition and applies nothing.
	code, dry, errOut := s.syncJSON("--dry-run")
	if code != cli.ExitOK || !dry.DryRun || dry.RunID == 0 || len(dry.Changes) < 10 || patches() != 0 {
		t.Fatalf("dry run: exit %d, %d changes, %d PATCHes, %s", code, len(dry.Changes), patches(), errOut)
	}
	states := map[string]int{}
	for _, c := range dry.Changes {
		states[c.State]++
		if len(c.Sites) == 0 || c.AdditionID == 0 || c.AgreementID == 0 || c.CompanyID == 0 || c.Product == "" {
			t.Errorf("incomplete entry %+v", c)
		}
	}
	if states["planned"] == 0 || states["applied"] != 0 {
		t.Fatalf("dry run states %v", states)
	}
	// Exactly the keys of PRODUCT.md §2.7.
	_, raw, _ := s.run("sync", "--json", "--dry-run")
	var shape map[string]any
	json.Unmarshal([]byte(raw), &shape)
	if got := keys(shape); !reflect.DeepEqual(got, []string{"changes", "dry_run", "run_id", "status"}) {
		t.Fatalf("top-level keys %v", got)
	}
	entry := shape["changes"].([]any)[0].(map[string]any)
	if got := keys(entry); !reflect.DeepEqual(got, []string{"addition_id", "after", "agreement_id", "before", "company_id", "message", "product", "sites", "state"}) {
		t.Fatalf("change keys %v", got)
	}

	// A real run applies the planned changes and holds the rest.
	code, run, errOut := s.syncJSON()
	if code != cli.ExitOK || run.DryRun || (run.Status != "succeeded" && run.Status != "no_changes") {
		t.Fatalf("sync: exit %d, %+v, %s", code, run.Status, errOut)
	}
	applied, held := 0, 0
	for _, c := range run.Changes {
		switch c.State {
		case "applied":
			applied++
			if q := s.quantity(c.AdditionID); q != float64(c.After) {
				t.Errorf("addition %d holds %v, planned %d", c.AdditionID, q, c.After)
			}
		case "held":
			held++
			if c.Message == "" {
				t.Errorf("held without a reason: %+v", c)
			}
		}
	}
	if applied != states["planned"] || patches() != applied || len(run.Changes) != len(dry.Changes) {
		t.Fatalf("applied %d of %d planned with %d PATCHes", applied, states["planned"], patches())
	}

	// A failure on one addition: exit 1, the others applied, the vendor's words recorded.
	var victim syncChangeOutput
	for _, c := range run.Changes {
		if c.State == "held" {
			victim = c
			break
		}
	}
	if victim.AdditionID == 0 {
		t.Fatal("the demo has no held change to fail")
	}
	s.sims.Manage.Inject(managesim.Fault{Method: "PATCH", Path: "/finance/agreements/*/additions/" + itoa64(victim.AdditionID),
		Status: 400, Body: `{"code":"InvalidObject","message":"Quantity cannot change on a billed period","errors":[]}`})
	code, incl, _ := s.syncJSON("--include-held")
	if code != cli.ExitSyncFailed || incl.Status != "partial" {
		t.Fatalf("include held with a failure: exit %d, %s", code, incl.Status)
	}
	for _, c := range incl.Changes {
		switch {
		case c.AdditionID == victim.AdditionID:
			if c.State != "failed" || !strings.Contains(c.Message, "Quantity cannot change on a billed period") {
				t.Errorf("failed entry %+v", c)
			}
		case c.State == "held" || c.State == "failed":
			t.Errorf("not applied: %+v", c)
		}
	}

	// History has every change of the three runs, in the PRODUCT.md §2.7 columns.
	code, out, _ := s.run("history", "--csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != cli.ExitOK || err != nil || len(recs) != 1+len(dry.Changes)*4 {
		t.Fatalf("history --csv: exit %d, %d rows, %v", code, len(recs), err)
	}
	if strings.Join(recs[0], ",") != "run_id,started_at,finished_at,trigger,addition_id,agreement_id,company_id,product,before,after,state,message" {
		t.Fatalf("header %v", recs[0])
	}
	found := false
	for _, r := range recs[1:] {
		if r[3] != "cli" || !strings.HasSuffix(r[1], "Z") || !strings.HasSuffix(r[2], "Z") {
			t.Fatalf("row %v", r)
		}
		if r[4] == itoa64(victim.AdditionID) && r[10] == "failed" && strings.Contains(r[11], "billed period") {
			found = true
		}
	}
	if !found {
		t.Error("the failure is not in the CSV")
	}
	code, out, _ = s.run("history", "--json", "--limit", "2")
	var hist []historyRun
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &hist) != nil || len(hist) != 2 || hist[0].RunID != incl.RunID || hist[0].Status != "partial" {
		t.Fatalf("history --json: %d %s", code, out)
	}
	code, out, _ = s.run("history")
	t.Logf("history:\n%s", out)
	if code != cli.ExitOK || !strings.Contains(out, "partial") || !strings.Contains(out, "(dry run)") {
		t.Fatalf("history: %d\n%s", code, out)
	}
	code, out, _ = s.run("history", "--json", "--addition", itoa64(victim.AdditionID))
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &hist) != nil || len(hist) != 4 || len(hist[0].Changes) != 1 || hist[0].Changes[0].State != "failed" {
		t.Fatalf("history --addition: %d %s", code, out)
	}
	code, out, _ = s.run("history", "--run", strconv.FormatInt(incl.RunID, 10))
	if code != cli.ExitOK || !strings.Contains(out, "billed period") {
		t.Fatalf("history --run: %d %s", code, out)
	}
	if code, _, errOut := s.run("history", "--json", "--csv"); code != cli.ExitUsage || !strings.Contains(errOut, "not both") {
		t.Fatalf("--json --csv: %d %s", code, errOut)
	}

	// Right after, a second run changes nothing.
	s.sims.Manage.ClearFaults()
	s.run("sync", "--include-held")
	before := patches()
	code, again, _ := s.syncJSON("--include-held")
	if code != cli.ExitOK || again.Status != "no_changes" || patches() != before {
		t.Fatalf("second run: exit %d, %s, %d PATCHes", code, again.Status, patches()-before)
	}
	code, human, _ := s.run("sync", "--dry-run")
	t.Logf("sync --dry-run:\n%s", human)
	if code != cli.ExitOK || !strings.Contains(human, "Dry run #") || !strings.Contains(human, "no changes") {
		t.Fatalf("human output: %d\n%s", code, human)
	}
}

func TestSyncCommandBusyConfigAndConnectionErrors(t *testing.T) {
	s := newSyncCLI(t)
	// Another sync holds the lock: exit 1 with who and since when.
	lock, err := synclock.Acquire(s.dir, synclock.Holder{StartedAt: time.Now(), By: "schedule"})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := s.run("sync", "--json")
	lock.Release()
	if code != cli.ExitSyncFailed || out != "" || !strings.Contains(errOut, "a sync is already running (started ") || !strings.Contains(errOut, "by schedule") {
		t.Fatalf("busy: %d %q %q", code, out, errOut)
	}
	// Manage refuses the member: exit 3, recorded as a failed run.
	s.sims.Manage.Deny(managesim.ModuleAgreements)
	code, res, errOut := s.syncJSON()
	if code != cli.ExitConnection || res.Status != "failed" || !strings.Contains(errOut, "Agreements") {
		t.Fatalf("denied: %d %+v %q", code, res.Status, errOut)
	}
	// Not configured: exit 2.
	dir := t.TempDir()
	inst, err := install.OpenDir(context.Background(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	inst.Store.DB.Exec(`INSERT INTO mappings(site_id, product, count_basis, company_id, agreement_id, addition_id, created_at, updated_at)
		VALUES('S1', 'endpoint', 'active', 1, 2, 3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`)
	inst.Close()
	code, _, errOut = runCLI(t, dir, "", nil, "sync")
	if code != cli.ExitUsage || !strings.Contains(errOut, "ConnectWise is not configured") {
		t.Fatalf("not configured: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, dir, "", nil, "sync", "extra"); code != cli.ExitUsage || !strings.Contains(errOut, "unexpected argument") {
		t.Fatalf("usage: %d %q", code, errOut)
	}
}

func (s *syncCLI) quantity(additionID int64) float64 {
	a, ok := s.sims.Manage.Addition(int(additionID))
	if !ok {
		s.t.Fatalf("addition %d not in the simulator", additionID)
	}
	return a.Quantity
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
