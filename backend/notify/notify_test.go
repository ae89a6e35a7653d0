package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/syncer"
)

func TestPreferencesDefaultsRoundTripAndValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := LoadPreferences(ctx, f.st)
	if err != nil {
		t.Fatal(err)
	}
	if p != DefaultPreferences() || !p.SyncFailed || !p.StaleSync || p.StaleDays != 3 || p.DigestEnabled {
		t.Fatalf("defaults %+v", p)
	}

	p.HeldChanges, p.StaleDays, p.DigestEnabled = false, 7, true
	p.DigestRecipients = " billing@example.com,ops@example.com , Billing@Example.com,, "
	if err := SavePreferences(ctx, f.st, "admin@msp.example", p); err != nil {
		t.Fatal(err)
	}
	got, err := LoadPreferences(ctx, f.st)
	if err != nil {
		t.Fatal(err)
	}
	if got.HeldChanges || got.StaleDays != 7 || !got.DigestEnabled || got.DigestRecipients != "billing@example.com, ops@example.com" {
		t.Fatalf("saved %+v", got)
	}

	for _, tc := range []struct {
		name   string
		change func(*Preferences)
		want   map[string]string // field → part of its message
	}{
		{"stale days too low", func(p *Preferences) { p.StaleDays = 0 }, map[string]string{FieldStaleDays: "between 1 and 90"}},
		{"stale days too high", func(p *Preferences) { p.StaleDays = 91 }, map[string]string{FieldStaleDays: "between 1 and 90"}},
		{"digest without recipients", func(p *Preferences) { p.DigestEnabled, p.DigestRecipients = true, " , " },
			map[string]string{FieldDigestRecipients: "at least one"}},
		{"bad address", func(p *Preferences) { p.DigestRecipients = "billing@example.com, not-an-address" },
			map[string]string{FieldDigestRecipients: `"not-an-address" is not a valid`}},
		{"semicolons", func(p *Preferences) { p.DigestRecipients = "a@example.com; b@example.com" },
			map[string]string{FieldDigestRecipients: "separate addresses with commas"}},
		{"display name", func(p *Preferences) { p.DigestRecipients = "Billing <billing@example.com>" },
			map[string]string{FieldDigestRecipients: "only the address"}},
		{"header injection", func(p *Preferences) { p.DigestRecipients = "a@example.com\r\nBcc: x@example.com" },
			map[string]string{FieldDigestRecipients: "line breaks"}},
		{"both at once", func(p *Preferences) { p.StaleDays, p.DigestEnabled, p.DigestRecipients = -1, true, "" },
			map[string]string{FieldStaleDays: "between", FieldDigestRecipients: "at least one"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := got
			tc.change(&bad)
			err := SavePreferences(ctx, f.st, "admin@msp.example", bad)
			var v *apperr.Validation
			if !errors.As(err, &v) {
				t.Fatalf("error %v, want *apperr.Validation", err)
			}
			if len(v.Fields) != len(tc.want) {
				t.Errorf("fields %+v, want %v", v.Fields, tc.want)
			}
			for _, fe := range v.Fields {
				mustContain(t, fe.Field+" message", fe.Message, tc.want[fe.Field])
			}
			if after, _ := LoadPreferences(ctx, f.st); after != got {
				t.Errorf("a rejected save changed the preferences: %+v", after)
			}
		})
	}

	many := make([]string, MaxDigestRecipients+1)
	for i := range many {
		many[i] = fmt.Sprintf("u%d@example.com", i)
	}
	if err := (Preferences{StaleDays: 3, DigestRecipients: strings.Join(many, ",")}).Validate(); err == nil {
		t.Error("too many recipients accepted")
	}

	f.exec(t, `UPDATE settings SET value = 'soon' WHERE key = ?`, KeyStaleDays)
	if p, _ := LoadPreferences(ctx, f.st); p.StaleDays != DefaultStaleDays {
		t.Errorf("unreadable stale days loaded as %d", p.StaleDays)
	}
}

func TestAfterSyncFailureToldOncePerEpisode(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	partial := result(1, syncer.StatusPartial,
		change(1, "Acme Corp", syncer.StateApplied, 10, 12, ""),
		change(2, "Contoso", syncer.StateApplied, 5, 4, ""),
		change(3, "Fabrikam", syncer.StateFailed, 7, 9, "Manage answered 400: quantity is locked"),
		change(4, "Globex", syncer.StateUnchanged, 3, 3, ""))
	if err := f.AfterSync(ctx, partial); err != nil {
		t.Fatal(err)
	}
	got := f.takeSent()
	expectSent(t, got, "Sync partly failed")
	mustContain(t, "body", got[0].Body, "2 applied, 1 failed.", "First error: Fabrikam · Fabrikam MSA: Manage answered 400: quantity is locked")

	// The next scheduled run fails the same way: not told again.
	partial.Run.ID = 2
	if err := f.AfterSync(ctx, partial); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())

	// A different failure is news.
	failed := result(3, syncer.StatusFailed, change(3, "Fabrikam", syncer.StateFailed, 7, 9, "Manage answered 500"),
		change(5, "Initech", syncer.StateError, 1, 2, "mappings disagree"))
	if err := f.AfterSync(ctx, failed); err != nil {
		t.Fatal(err)
	}
	got = f.takeSent()
	expectSent(t, got, "Sync failed")
	mustContain(t, "body", got[0].Body, "2 changes failed.", "Manage answered 500")

	// A success ends the episode, so the same failure afterwards is told again.
	if err := f.AfterSync(ctx, result(4, syncer.StatusNoChanges, change(3, "Fabrikam", syncer.StateUnchanged, 9, 9, ""))); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())
	failed.Run.ID = 5
	if err := f.AfterSync(ctx, failed); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "Sync failed")

	// A run that failed before planning anything says why.
	early := result(6, syncer.StatusFailed)
	early.Run.Message = "Webroot could not be reached: connection refused"
	if err := f.AfterSync(ctx, early); err != nil {
		t.Fatal(err)
	}
	got = f.takeSent()
	expectSent(t, got, "Sync failed")
	if got[0].Body != "Webroot could not be reached: connection refused" {
		t.Errorf("body %q", got[0].Body)
	}
}

func TestAfterSyncHeldChangesGroupedAndNotRepeated(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	held := []syncer.Change{
		change(1, "Acme Corp", syncer.StateHeld, 10, 0, "drops to 0"),
		change(2, "Contoso", syncer.StateHeld, 10, 30, "more than 20% up"),
		change(3, "Acme Corp", syncer.StateHeld, 4, 9, "more than 20% up"),
		change(4, "Fabrikam", syncer.StateHeld, 4, 9, ""),
		change(5, "Globex", syncer.StateHeld, 4, 9, ""),
	}
	if err := f.AfterSync(ctx, result(1, syncer.StatusNoChanges, held...)); err != nil {
		t.Fatal(err)
	}
	got := f.takeSent()
	expectSent(t, got, "Changes awaiting review")
	want := "5 changes awaiting review: Acme Corp, Contoso, Fabrikam and 1 more. Open Sync to approve, adjust or skip them."
	if got[0].Body != want {
		t.Errorf("body %q, want %q", got[0].Body, want)
	}

	// Every scheduled run holds the same changes again, in any order: told once.
	reordered := append([]syncer.Change{held[4]}, held[:4]...)
	if err := f.AfterSync(ctx, result(2, syncer.StatusNoChanges, reordered...)); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())

	// One more held change (or another target) is news.
	if err := f.AfterSync(ctx, result(3, syncer.StatusNoChanges, held[0])); err != nil {
		t.Fatal(err)
	}
	got = f.takeSent()
	expectSent(t, got, "Changes awaiting review")
	mustContain(t, "body", got[0].Body, "1 change awaiting review: Acme Corp.")

	// Reviewed away, then held again: told again.
	if err := f.AfterSync(ctx, result(4, syncer.StatusSucceeded, change(1, "Acme Corp", syncer.StateApplied, 10, 0, ""))); err != nil {
		t.Fatal(err)
	}
	if err := f.AfterSync(ctx, result(5, syncer.StatusNoChanges, held[0])); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "Changes awaiting review")
}

func TestAfterSyncQuietForDryRunsUnfinishedAndCleanRuns(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dry := result(1, syncer.StatusFailed, change(1, "Acme", syncer.StateFailed, 1, 2, "boom"), change(2, "B", syncer.StateHeld, 1, 9, ""))
	dry.Run.DryRun = true
	for _, r := range []syncer.Result{
		dry,
		result(2, syncer.StatusApplying, change(1, "Acme", syncer.StateApplying, 1, 2, "")),
		result(3, syncer.StatusNoChanges, change(1, "Acme", syncer.StateUnchanged, 2, 2, "")),
		result(4, syncer.StatusSucceeded, change(1, "Acme", syncer.StateApplied, 1, 2, "")),
	} {
		if err := f.AfterSync(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	expectSent(t, f.takeSent())
}

func TestPreferencesOffSendNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.prefs(t, func(p *Preferences) {
		*p = Preferences{StaleDays: 1}
	})
	seedSites(t, f)
	f.clk.Add(30 * 24 * time.Hour)
	if err := f.AfterSync(ctx, result(1, syncer.StatusFailed, change(1, "Acme", syncer.StateFailed, 1, 2, "boom"),
		change(2, "B", syncer.StateHeld, 1, 9, ""))); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{f.CredentialsRejected(ctx, ServiceManage), f.CheckSites(ctx), f.CheckStale(ctx)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	expectSent(t, f.takeSent())

	// Each kind is switched on its own.
	f.prefs(t, func(p *Preferences) { *p = Preferences{StaleDays: 1, OverSeatLimit: true} })
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "Webroot sites over their seat limit")
}

func TestCredentialsRejectedOncePerEpisode(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.CredentialsRejected(ctx, ServiceWebroot); err != nil {
		t.Fatal(err)
	}
	got := f.takeSent()
	expectSent(t, got, "Webroot credentials rejected")
	mustContain(t, "body", got[0].Body, "Webroot refused the saved credentials", "Webroot connection settings")

	for range 3 {
		if err := f.CredentialsRejected(ctx, ServiceWebroot); err != nil {
			t.Fatal(err)
		}
	}
	expectSent(t, f.takeSent())

	// The other service is a fact of its own.
	if err := f.CredentialsRejected(ctx, ServiceManage); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "ConnectWise Manage credentials rejected")

	if err := f.CredentialsAccepted(ctx, ServiceWebroot); err != nil {
		t.Fatal(err)
	}
	if err := f.CredentialsRejected(ctx, ServiceWebroot); err != nil {
		t.Fatal(err)
	}
	if err := f.CredentialsRejected(ctx, ServiceManage); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "Webroot credentials rejected")

	if err := f.CredentialsRejected(ctx, " "); err == nil {
		t.Error("an empty service name was accepted")
	}
}

// seedSites makes a snapshot first refreshed at t0-10d with Old Site from then, and sites
// over and within their limits.
func seedSites(t *testing.T, f *fixture) {
	t.Helper()
	first := t0.Add(-10 * 24 * time.Hour).Format(time.RFC3339)
	f.exec(t, `INSERT INTO webroot_snapshot(id, refreshed_at, first_refreshed_at) VALUES (1, ?, ?)`, t0.Format(time.RFC3339), first)
	f.exec(t, `INSERT INTO webroot_sites(site_id, name, devices_allowed, total_endpoints, deactivated, first_seen_at, last_seen_at, removed_at) VALUES
		('OLD', 'Old Site', 10, 5, 0, ?1, ?1, NULL),
		('OVER-A', 'Over A', 10, 12, 0, ?1, ?1, NULL),
		('OVER-B', 'Over B', 25, 30, 0, ?1, ?1, NULL),
		('EXACT', 'Exactly Full', 10, 10, 0, ?1, ?1, NULL),
		('NOLIMIT', 'No Limit', 0, 50, 0, ?1, ?1, NULL),
		('OFF', 'Deactivated Over', 5, 9, 1, ?1, ?1, NULL),
		('GONE', 'Removed Over', 5, 9, 0, ?1, ?1, ?1)`, first)
}

func addNewSite(t *testing.T, f *fixture, id, name string) {
	t.Helper()
	seen := f.clk.Now().Format(time.RFC3339)
	f.exec(t, `INSERT INTO webroot_sites(site_id, name, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)`, id, name, seen, seen)
}

func TestCheckSitesNewUnmappedGroupedAndToldOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.prefs(t, func(p *Preferences) { p.OverSeatLimit = false })
	seedSites(t, f)
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent()) // the first refresh's sites are not new

	for _, s := range []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo"} {
		addNewSite(t, f, "NEW-"+s, s)
	}
	// A new site already excluded needs no decision.
	addNewSite(t, f, "NEW-X", "Excluded Ltd")
	f.exec(t, `INSERT INTO mapping_exclusions(site_id, product, created_at) VALUES ('NEW-X', 'endpoint', ?)`, t0.Format(time.RFC3339))
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	got := f.takeSent()
	expectSent(t, got, "New Webroot sites are not mapped")
	want := "5 new Webroot sites are not mapped: Alpha, Bravo, Charlie and 2 more. Open Mappings to map or exclude them."
	if got[0].Body != want {
		t.Errorf("body %q, want %q", got[0].Body, want)
	}

	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())

	addNewSite(t, f, "new-foxtrot", "Foxtrot & Sons <UK>")
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	got = f.takeSent()
	expectSent(t, got, "New Webroot site is not mapped")
	mustContain(t, "body", got[0].Body, "A new Webroot site is not mapped: Foxtrot & Sons <UK>.")
}

func TestCheckSitesOverSeatLimit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.prefs(t, func(p *Preferences) { p.NewUnmappedSites = false })
	seedSites(t, f)
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	got := f.takeSent()
	expectSent(t, got, "Webroot sites over their seat limit")
	want := "2 Webroot sites use more devices than their GSM seat limit: Over A (12 of 10) and Over B (30 of 25)."
	if got[0].Body != want {
		t.Errorf("body %q, want %q", got[0].Body, want)
	}

	// Same figures: quiet. Figures that move within a day: still quiet.
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	f.exec(t, `UPDATE webroot_sites SET total_endpoints = 13 WHERE site_id = 'OVER-A'`)
	f.clk.Add(23 * time.Hour)
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())

	// A day later the changed site is told again, alone; the unchanged one is not.
	f.clk.Add(2 * time.Hour)
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	got = f.takeSent()
	expectSent(t, got, "Webroot site over its seat limit")
	if want := "Over A uses 13 devices, more than its GSM seat limit of 10."; got[0].Body != want {
		t.Errorf("body %q, want %q", got[0].Body, want)
	}

	// Back within the limit, then over again: told at once.
	f.exec(t, `UPDATE webroot_sites SET total_endpoints = 25 WHERE site_id = 'OVER-B'`)
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())
	f.exec(t, `UPDATE webroot_sites SET total_endpoints = 30 WHERE site_id = 'OVER-B'`)
	if err := f.CheckSites(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "Webroot site over its seat limit")
}

func TestCheckStale(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Before any refresh: counted from installation.
	f.exec(t, `UPDATE schema_migrations SET applied_at = ?`, t0.Add(-2*24*time.Hour).Format("2006-01-02T15:04:05.000Z"))
	if err := f.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())
	f.clk.Add(25 * time.Hour) // 3 days and 1 hour
	if err := f.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	got := f.takeSent()
	expectSent(t, got, "No successful sync for 3 days")
	mustContain(t, "body", got[0].Body, "No sync has succeeded since the app was installed on Sun 8 Mar 2026 09:00.")

	// The first refresh, later than installation, is the start instead: not stale yet.
	refreshed := f.clk.Now().Add(-24 * time.Hour)
	f.exec(t, `INSERT INTO webroot_snapshot(id, refreshed_at, first_refreshed_at) VALUES (1, ?1, ?1)`, refreshed.Format(time.RFC3339))
	if err := f.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())

	// Successful syncs count; dry runs and failed or partial ones do not.
	ok := refreshed.Add(time.Hour)
	insertRun := func(status string, dry bool, finished time.Time) {
		f.exec(t, `INSERT INTO sync_runs(trigger, actor, dry_run, status, started_at, finished_at, review_share, requests_per_minute)
			VALUES ('schedule', 'scheduler', ?, ?, ?2, ?3, 20, 1000)`, dry, status, finished.Format(time.RFC3339Nano))
	}
	insertRun(syncer.StatusSucceeded, false, ok)
	insertRun(syncer.StatusSucceeded, true, ok.Add(48*time.Hour))
	insertRun(syncer.StatusPartial, false, ok.Add(49*time.Hour))
	insertRun(syncer.StatusFailed, false, ok.Add(50*time.Hour))
	f.clk.Set(ok.Add(3*24*time.Hour + time.Minute))
	if err := f.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	got = f.takeSent()
	expectSent(t, got, "No successful sync for 3 days")
	mustContain(t, "body", got[0].Body, "The last successful sync was on")

	// At most once a day while it lasts.
	f.clk.Add(23 * time.Hour)
	if err := f.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())
	f.clk.Add(time.Hour)
	if err := f.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "No successful sync for 4 days")

	// A longer threshold: quiet.
	f.prefs(t, func(p *Preferences) { p.StaleDays = 6 })
	f.clk.Add(24 * time.Hour)
	if err := f.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent())

	// A new success starts over: no reminder until the threshold passes again.
	insertRun(syncer.StatusNoChanges, false, f.clk.Now())
	f.clk.Add(2 * 24 * time.Hour)
	f.prefs(t, func(p *Preferences) { p.StaleDays = 1 })
	if err := f.CheckStale(ctx); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "No successful sync for 2 days")
}

func TestDesktopFailureIsRetriedNextTime(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.desk.Fail = errors.New("org.freedesktop.Notifications was not provided by any .service files")
	err := f.CredentialsRejected(ctx, ServiceManage)
	if err == nil || !strings.Contains(err.Error(), "not provided") {
		t.Fatalf("error %v", err)
	}
	mustContain(t, "log", f.logs.String(), "desktop notification failed")
	f.desk.Fail = nil
	if err := f.CredentialsRejected(ctx, ServiceManage); err != nil {
		t.Fatal(err)
	}
	expectSent(t, f.takeSent(), "ConnectWise Manage credentials rejected")
}

func TestNoDesktopIsQuiet(t *testing.T) {
	f := newFixture(t)
	f.Desktop = nil
	if err := f.CredentialsRejected(context.Background(), ServiceManage); err != nil {
		t.Fatal(err)
	}
}

func TestTextIsCleanedForDisplay(t *testing.T) {
	if got := clean("  a\tb\x00c \x1b[31mred\n\n  second   line ", 100); got != "a b c [31mred\n\nsecond line" {
		t.Errorf("clean = %q", got)
	}
	long := strings.Repeat("x", 400)
	if got := clean(long, maxBody); len([]rune(got)) != maxBody || !strings.HasSuffix(got, "…") {
		t.Errorf("cut to %d runes: %q…", len([]rune(got)), got[:10])
	}
	f := newFixture(t)
	bad := result(1, syncer.StatusFailed, change(1, "Acme\x07 Corp", syncer.StateFailed, 1, 2, strings.Repeat("very long error ", 50)))
	if err := f.AfterSync(context.Background(), bad); err != nil {
		t.Fatal(err)
	}
	got := f.takeSent()
	expectSent(t, got, "Sync failed")
	if n := len([]rune(got[0].Body)); n > maxBody || strings.ContainsRune(got[0].Body, '\x07') {
		t.Errorf("body of %d runes: %q", n, got[0].Body)
	}
}

func TestNameList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"A"}, "A"},
		{[]string{"A", "B"}, "A and B"},
		{[]string{"A", "B", "C"}, "A, B and C"},
		{[]string{"A", "B", "C", "D"}, "A, B, C and 1 more"},
	} {
		if got := nameList(tc.in, 3); got != tc.want {
			t.Errorf("nameList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
