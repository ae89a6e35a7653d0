package activity

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func audit(t *testing.T, st *store.Store, actor, action, detail string) {
	t.Helper()
	if err := st.Tx(context.Background(), func(tx *sql.Tx) error {
		return store.Audit(context.Background(), tx, time.Now(), actor, action, detail)
	}); err != nil {
		t.Fatal(err)
	}
}

// Saving settings records who changed which value from what to what; saving the same
// values again records nothing.
func TestChangeSettingsRecordsWhatChanged(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	labels := map[string]string{"sync.auto_apply": "Apply automatically"}
	save := func(actor string, before, values map[string]string, notes ...string) {
		t.Helper()
		if err := st.ChangeSettings(ctx, store.SettingsChange{Actor: actor, Action: "settings.sync", Values: values,
			Before: before, Labels: labels, Notes: notes}); err != nil {
			t.Fatal(err)
		}
	}
	defaults := map[string]string{"sync.auto_apply": "true"} // review_share had no default
	save("dana@msp.example", defaults, map[string]string{"sync.auto_apply": "true", "sync.review_share": "20"})
	save("fox@msp.example", map[string]string{"sync.auto_apply": "true", "sync.review_share": "20"},
		map[string]string{"sync.auto_apply": "false", "sync.review_share": "20"})
	same := map[string]string{"sync.auto_apply": "false", "sync.review_share": "20"}
	save("fox@msp.example", same, same) // nothing changes: nothing recorded
	save("fox@msp.example", same, same, "Password: replaced")
	p, err := List(ctx, st, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) != 3 || p.More {
		t.Fatalf("entries %+v", p.Entries)
	}
	if p.Entries[0].Detail != "Password: replaced" {
		t.Fatalf("a note alone is recorded: %+v", p.Entries[0])
	}
	second := p.Entries[1]
	if second.Actor != "fox@msp.example" || second.Label != "Sync settings changed" || second.Area != "settings" ||
		second.Detail != "Apply automatically: true → false" {
		t.Fatalf("second %+v", second)
	}
	// Unchanged defaults are not listed; a key without a known value before is told as set.
	if p.Entries[2].Detail != "sync.review_share: 20" {
		t.Fatalf("first %+v", p.Entries[2])
	}
	if v, _, _ := st.Setting(ctx, "sync.auto_apply"); v != "false" {
		t.Fatalf("setting %q", v)
	}
}

// Pages are newest first, continue where the last one ended even when entries arrive in
// between, and search matches actor, action and detail (a % or _ is not a wildcard).
func TestPagingAndSearch(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	for i := 1; i <= 7; i++ {
		audit(t, st, fmt.Sprintf("user%d@msp.example", i), "mapping.saved", fmt.Sprintf("site %d → addition %d", i, 100+i))
	}
	audit(t, st, "dana@msp.example", "user.login", "")
	audit(t, st, "dana@msp.example", "mapping.imported", "50_rows from 100% file")

	first, err := List(ctx, st, store.AuditQuery{Limit: 4})
	if err != nil || len(first.Entries) != 4 || !first.More || first.Entries[0].Label != "Mappings imported" {
		t.Fatalf("first page %+v %v", first, err)
	}
	audit(t, st, "late@msp.example", "user.login", "") // arrives between pages
	next, err := List(ctx, st, store.AuditQuery{Limit: 4, BeforeID: first.Entries[3].ID})
	if err != nil || len(next.Entries) != 4 || !next.More {
		t.Fatalf("second page %+v %v", next, err)
	}
	if next.Entries[0].ID != first.Entries[3].ID-1 {
		t.Fatalf("the second page starts at %d, want %d", next.Entries[0].ID, first.Entries[3].ID-1)
	}
	last, _ := List(ctx, st, store.AuditQuery{Limit: 4, BeforeID: next.Entries[3].ID})
	if len(last.Entries) != 1 || last.More {
		t.Fatalf("last page %+v", last)
	}

	for search, want := range map[string]int{"dana@": 2, "user.login": 2, "addition 103": 1, "100%": 1, "50_rows": 1, "e_2": 0, "%": 1, "nobody": 0} {
		p, err := List(ctx, st, store.AuditQuery{Search: search})
		if err != nil || len(p.Entries) != want {
			t.Errorf("search %q: %d entries, want %d (%v)", search, len(p.Entries), want, err)
		}
	}
}

func TestCSVHasEveryMatchingEntryGuarded(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	for i := 0; i < 1203; i++ { // more than two reads' worth
		audit(t, st, "dana@msp.example", "sync.change.approved", fmt.Sprintf("sync #%d: addition %d", i, i))
	}
	audit(t, st, "=HYPERLINK(\"x\")", "user.login", "")
	var b strings.Builder
	n, err := WriteCSV(ctx, st, "", 0, &b)
	if err != nil || n != 1204 {
		t.Fatalf("wrote %d, %v", n, err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "at,actor,action,label,detail" || len(rows) != 1205 {
		t.Fatalf("header %v, %d rows", rows[0], len(rows))
	}
	if rows[1][1] != `'=HYPERLINK("x")` || rows[1][3] != "Logged in" {
		t.Fatalf("newest row %v: a formula must be guarded", rows[1])
	}
	if rows[1204][4] != "sync #0: addition 0" || rows[2][3] != "Change approved" {
		t.Fatalf("oldest row %v", rows[1204])
	}
	if _, err := time.Parse(time.RFC3339, rows[1][0]); err != nil {
		t.Fatal(err)
	}
	if n, err := WriteCSV(ctx, st, "", 600, &strings.Builder{}); n != 600 || err != nil {
		t.Fatalf("capped CSV: %d, %v", n, err)
	}
	// The search narrows the CSV as it narrows the page: additions 120 and 1200–1202.
	if n, err := WriteCSV(ctx, st, "addition 120", 0, &strings.Builder{}); n != 4 || err != nil {
		t.Fatalf("searched CSV: %d, %v", n, err)
	}
}

// Entries written before the keys were shortened at the source are shortened wherever the
// trail is shown or exported.
func TestOldEntriesShowKeysShortened(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	audit(t, st, "dana@msp.example", "webroot.config.saved", "site unityapi.webrootcloudav.com, API scope *, client ID c1, GSM parent key 1C86-7AFC-FDFF-4562-AB91, super admin a@b.example; client secret kept")
	audit(t, st, "dana@msp.example", "manage.config.saved", "site na.myconnectwise.net, company ID bluewave, username api, public key Xy7PublicKeyAbCd, client ID g; private key kept")
	audit(t, st, "dana@msp.example", "manage.config.saved", "public key …AbCd, client ID g")
	p, err := List(ctx, st, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if _, err := WriteCSV(ctx, st, "", 0, &b); err != nil {
		t.Fatal(err)
	}
	all := b.String()
	for _, e := range p.Entries {
		all += "\n" + e.Detail
	}
	for _, full := range []string{"1C86-7AFC-FDFF-4562-AB91", "Xy7PublicKeyAbCd"} {
		if strings.Contains(all, full) {
			t.Errorf("%s shown in full:\n%s", full, all)
		}
	}
	if !strings.Contains(p.Entries[2].Detail, "GSM parent key …AB91, super admin") || !strings.Contains(p.Entries[1].Detail, "public key …AbCd, client ID g") ||
		p.Entries[0].Detail != "public key …AbCd, client ID g" {
		t.Fatalf("details: %q / %q / %q", p.Entries[2].Detail, p.Entries[1].Detail, p.Entries[0].Detail)
	}
}
