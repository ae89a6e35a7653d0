package syncer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/simulator/managesim"
	"cwm-webroot/backend/simulator/webrootsim"
	"cwm-webroot/backend/syncer/synclock"
)

func TestBlockedAdditionsAreReportedNeverWritten(t *testing.T) {
	f := newFixture(t)
	mix := webrootsim.EndpointMix{Active: 8}
	now := time.Now()
	cancelled := f.agreement(func(a *managesim.Agreement) {
		a.Cancelled, a.DateCancelled, a.Status = true, now.AddDate(0, -1, 0), "Cancelled"
	})
	expired := f.agreement(func(a *managesim.Agreement) { a.Status, a.EndDate = "Expired", now.AddDate(0, -1, 0) })
	active := f.agreement(nil)
	cases := map[string]struct {
		agreement, addition int
		siteID              string
		want                string
	}{
		"cancelled agreement": {cancelled, f.addition(cancelled, 1, 5, nil), f.site("A", mix), "is cancelled"},
		"expired agreement":   {expired, f.addition(expired, 1, 5, nil), f.site("B", mix), "is expired"},
		"cancelled addition": {active, f.addition(active, 1, 5, func(a *managesim.Addition) {
			a.CancelledDate = now.AddDate(0, 0, -3)
		}), f.site("C", mix), "was cancelled on"},
		"missing addition":  {active, 99999, f.site("D", mix), "is no longer on agreement"},
		"missing agreement": {4242, 99998, f.site("E", mix), "is missing in ConnectWise"},
		"missing site":      {active, f.addition(active, 1, 5, nil), "00000000-0000-0000-0000-00000000dead", "no longer in Webroot"},
	}
	for _, c := range cases {
		f.mapRow(c.siteID, "endpoint", "active_without_hidden", c.agreement, c.addition, nil, nil)
	}
	res := f.sync(f.syncer(), RunOptions{})
	got := byAddition(res)
	for name, c := range cases {
		ch := got[int64(c.addition)]
		if ch.State != StateBlocked || ch.Plan != PlanBlocked || !strings.Contains(ch.Reason, c.want) {
			t.Errorf("%s: %s %s %q", name, ch.Plan, ch.State, ch.Reason)
		}
	}
	if n := f.patches(); n != 0 {
		t.Errorf("%d PATCHes for blocked additions", n)
	}
	if res.Run.Status != StatusNoChanges || res.Run.Counts.Blocked != len(cases) {
		t.Errorf("run %+v", res.Run)
	}
}

// reviewFixture has one change that applies, one drop to 0 and one move above 20 %.
func reviewFixture(t *testing.T) (f *fixture, small, drop, big int) {
	f = newFixture(t)
	agr := f.agreement(nil)
	small = f.addition(agr, 1, 10, nil)
	f.mapRow(f.site("Small", webrootsim.EndpointMix{Active: 12}), "endpoint", "active_without_hidden", agr, small, nil, nil)
	drop = f.addition(agr, 1, 5, nil)
	f.mapRow(f.site("Empty", webrootsim.EndpointMix{}), "endpoint", "active_without_hidden", agr, drop, nil, nil)
	big = f.addition(agr, 1, 10, nil)
	f.mapRow(f.site("Big", webrootsim.EndpointMix{Active: 13}), "endpoint", "active_without_hidden", agr, big, nil, nil)
	return f, small, drop, big
}

func TestReviewHoldsDropsToZeroAndLargeMoves(t *testing.T) {
	f, small, drop, big := reviewFixture(t)
	s := f.syncer()
	res := f.sync(s, RunOptions{})
	got := byAddition(res)
	if c := got[int64(small)]; c.State != StateApplied || c.Plan != PlanChange || f.quantity(small) != 12 {
		t.Errorf("20 %% move: %+v", c)
	}
	if c := got[int64(drop)]; c.State != StateHeld || c.Plan != PlanNeedsReview || !strings.Contains(c.Reason, "Drops from 5 to 0") || f.quantity(drop) != 5 {
		t.Errorf("drop to 0: %+v", c)
	}
	if c := got[int64(big)]; c.State != StateHeld || !strings.Contains(c.Reason, "+3 (+30 %)") || !strings.Contains(c.Reason, "20 % review threshold") {
		t.Errorf("30 %% move: %+v", c)
	}
	if res.Run.Status != StatusSucceeded || res.Run.Counts.Held != 2 {
		t.Errorf("run %+v", res.Run)
	}

	// The review threshold is a setting.
	if err := SetReviewShare(context.Background(), f.st, 50); err != nil {
		t.Fatal(err)
	}
	res = f.sync(s, RunOptions{DryRun: true})
	if c := byAddition(res)[int64(big)]; c.State != StatePlanned || c.Plan != PlanChange {
		t.Errorf("30 %% move under a 50 %% threshold: %+v", c)
	}

	// --include-held applies them.
	res = f.sync(s, RunOptions{IncludeHeld: true})
	if got := byAddition(res); got[int64(drop)].State != StateApplied || f.quantity(drop) != 0 || f.quantity(big) != 13 {
		t.Errorf("include held: %+v %v %v", got[int64(drop)], f.quantity(drop), f.quantity(big))
	}
	// A zero is sent as a number, never dropped from the PATCH.
	reqs := f.ms.RequestsTo("PATCH", "/finance/agreements/*/additions/"+itoa(drop))
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"value":0`) {
		t.Errorf("PATCH of the drop: %+v", reqs)
	}
}

func TestApproveAdjustSkipThenApplyApproved(t *testing.T) {
	f, small, drop, big := reviewFixture(t)
	ctx := context.Background()
	if err := SetAutoApply(ctx, f.st, false); err != nil {
		t.Fatal(err)
	}
	s := f.syncer()
	res := f.sync(s, RunOptions{Trigger: TriggerUser, Actor: "dana@example.com"})
	got := byAddition(res)
	if c := got[int64(small)]; c.State != StateHeld || !strings.Contains(c.Reason, "Apply automatically") {
		t.Fatalf("with auto-apply off: %+v", c)
	}
	if f.patches() != 0 || res.Run.AutoApply {
		t.Fatalf("applied with auto-apply off: %d PATCHes", f.patches())
	}
	id := res.Run.ID
	if _, err := s.Skip(ctx, "dana@example.com", id, int64(drop)); err != nil {
		t.Fatal(err)
	}
	c, err := s.Adjust(ctx, "dana@example.com", id, int64(big), 11)
	if err != nil || c.State != StateApproved || c.After != 11 || !c.Adjusted || c.DecidedBy != "dana@example.com" {
		t.Fatalf("adjust: %+v %v", c, err)
	}
	if _, err := s.Adjust(ctx, "dana", id, int64(big), -1); err == nil || !strings.Contains(err.Error(), "Quantity") {
		t.Fatalf("negative adjust: %v", err)
	}
	if n, err := s.ApproveAll(ctx, "dana@example.com", id); err != nil || n != 1 {
		t.Fatalf("approve all: %d %v", n, err)
	}
	if _, err := s.Approve(ctx, "dana", id, int64(small)); err != nil {
		t.Fatalf("approving an approved change again: %v", err)
	}
	res, err = s.ApplyApproved(ctx, "dana@example.com", id)
	if err != nil {
		t.Fatal(err)
	}
	got = byAddition(res)
	if got[int64(small)].State != StateApplied || got[int64(big)].State != StateApplied || got[int64(drop)].State != StateSkipped {
		t.Fatalf("after apply: %+v", res.Changes)
	}
	if f.quantity(small) != 12 || f.quantity(big) != 11 || f.quantity(drop) != 5 || res.Run.Status != StatusSucceeded {
		t.Fatalf("Manage holds %v %v %v; run %+v", f.quantity(small), f.quantity(big), f.quantity(drop), res.Run)
	}
	// A decided plan is closed once a newer sync exists.
	f.sync(s, RunOptions{Trigger: TriggerUser})
	if _, err := s.Approve(ctx, "dana", id, int64(drop)); !errors.Is(err, ErrSuperseded) {
		t.Fatalf("approving an old plan: %v", err)
	}
	if log, _ := f.st.AuditLog(ctx, 10); len(log) < 3 || log[len(log)-1].Action != AuditSkipped {
		t.Errorf("audit log %+v", log)
	}
}

func TestSecondRunChangesNothing(t *testing.T) {
	f, _, _, _ := reviewFixture(t)
	s := f.syncer()
	first := f.sync(s, RunOptions{IncludeHeld: true})
	if first.Run.Counts.Applied != 3 {
		t.Fatalf("first run %+v", first.Run)
	}
	before := f.patches()
	second := f.sync(s, RunOptions{IncludeHeld: true})
	if n := f.patches() - before; n != 0 || second.Run.Status != StatusNoChanges || second.Run.Counts.Unchanged != 3 {
		t.Fatalf("second run: %d PATCHes, %+v", n, second.Run)
	}
}

func TestDryRunPlansAndAppliesNothing(t *testing.T) {
	f, small, drop, _ := reviewFixture(t)
	res := f.sync(f.syncer(), RunOptions{DryRun: true})
	got := byAddition(res)
	if f.patches() != 0 || got[int64(small)].State != StatePlanned || got[int64(drop)].State != StateHeld {
		t.Fatalf("dry run: %d PATCHes, %+v", f.patches(), res.Changes)
	}
	if !res.Run.DryRun || res.Run.Status != StatusSucceeded {
		t.Fatalf("run %+v", res.Run)
	}
}

func TestOneFailureNeverStopsTheOthers(t *testing.T) {
	f := newFixture(t)
	agr := f.agreement(nil)
	var adds []int
	for i := range 6 {
		add := f.addition(agr, 1, 10, nil)
		f.mapRow(f.site("Site "+itoa(i), webrootsim.EndpointMix{Active: 11}), "endpoint", "active_without_hidden", agr, add, nil, nil)
		adds = append(adds, add)
	}
	f.ms.Inject(managesim.Fault{Method: "PATCH", Path: "/finance/agreements/*/additions/" + itoa(adds[1]), Status: 400,
		Body: `{"code":"InvalidObject","message":"Addition is locked by an open invoice","errors":[]}`})
	f.ms.Inject(managesim.Fault{Method: "PATCH", Path: "/finance/agreements/*/additions/" + itoa(adds[4]), Status: 500, Times: -1})
	s := f.syncer()
	res := f.sync(s, RunOptions{})
	got := byAddition(res)
	locked, broken := got[int64(adds[1])], got[int64(adds[4])]
	t.Logf("400: %s\n500: %s", locked.Message, broken.Message)
	if locked.State != StateFailed || !strings.Contains(locked.Message, "Addition is locked by an open invoice") || locked.RequestID == "" {
		t.Errorf("400: %+v", locked)
	}
	if broken.State != StateFailed || !strings.Contains(broken.Message, "HTTP 500") {
		t.Errorf("500: %+v", broken)
	}
	for _, a := range []int{adds[0], adds[2], adds[3], adds[5]} {
		if got[int64(a)].State != StateApplied || f.quantity(a) != 11 {
			t.Errorf("addition %d: %+v", a, got[int64(a)])
		}
	}
	if res.Run.Status != StatusPartial || res.Run.Counts.Failed != 2 || res.Run.Counts.Applied != 4 {
		t.Errorf("run %+v", res.Run)
	}
	// History keeps the error and the vendor's words.
	var buf bytes.Buffer
	if _, err := s.WriteCSV(context.Background(), &buf, ChangeQuery{RunID: res.Run.ID, State: StateFailed}); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	recs, _ := csv.NewReader(&buf).ReadAll()
	if len(recs) != 3 || !strings.Contains(text, "locked by an open invoice") {
		t.Errorf("csv %q", text)
	}
	f.ms.ClearFaults()
	retry := f.sync(s, RunOptions{})
	if retry.Run.Status != StatusSucceeded || retry.Run.Counts.Applied != 2 {
		t.Errorf("the next run did not finish the job: %+v", retry.Run)
	}
}

func TestOnlyOneSyncAtATime(t *testing.T) {
	f, _, _, _ := reviewFixture(t)
	f.ms.SetLatency(400 * time.Millisecond)
	s := f.syncer()
	done := make(chan error, 1)
	go func() {
		_, err := s.Sync(context.Background(), RunOptions{Trigger: TriggerSchedule, Actor: "schedule"})
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !s.Progress().Running && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// Another syncer of the same data folder, as the command line would be.
	other := New(f.st, f.sources(), Options{})
	_, err := other.Sync(context.Background(), RunOptions{Trigger: TriggerCLI, Actor: "command line (dana)"})
	var busy *synclock.BusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "a sync is already running (started ") || !strings.Contains(err.Error(), "by schedule") {
		t.Fatalf("second sync: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := other.Sync(context.Background(), RunOptions{Trigger: TriggerCLI, Actor: "cli"}); err != nil {
		t.Fatalf("after the first finished: %v", err)
	}
	runs, _ := s.Runs(context.Background(), RunQuery{})
	if len(runs) != 2 {
		t.Errorf("the refused attempt left a run: %d runs", len(runs))
	}
}

func TestHistorySearchTimelineAndCSV(t *testing.T) {
	f, small, _, _ := reviewFixture(t)
	s := f.syncer()
	f.sync(s, RunOptions{Trigger: TriggerCLI, Actor: "command line (dana)"})
	f.ms.SetQuantity(small, 7) // someone edits it in Manage
	f.sync(s, RunOptions{Trigger: TriggerSchedule, Actor: "schedule"})
	ctx := context.Background()
	tl, err := s.Timeline(ctx, int64(small))
	if err != nil || len(tl) != 2 || tl[0].RunID <= tl[1].RunID || *tl[0].Before != 7 || tl[0].After != 12 {
		t.Fatalf("timeline %+v %v", tl, err)
	}
	runs, err := s.Runs(ctx, RunQuery{Search: "Empty"})
	if err != nil || len(runs) != 2 {
		t.Fatalf("search by site name: %d %v", len(runs), err)
	}
	runs, _ = s.Runs(ctx, RunQuery{Trigger: TriggerSchedule})
	if len(runs) != 1 || runs[0].Actor != "schedule" || runs[0].Counts.Total != 3 {
		t.Fatalf("by trigger: %+v", runs)
	}
	changes, _ := s.Changes(ctx, ChangeQuery{Search: itoa(small)})
	if len(changes) != 2 {
		t.Fatalf("search by addition id: %d", len(changes))
	}
	var buf bytes.Buffer
	n, err := s.WriteCSV(ctx, &buf, ChangeQuery{})
	if err != nil || n != 6 {
		t.Fatalf("csv: %d %v", n, err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "run_id,started_at,finished_at,trigger,addition_id,agreement_id,company_id,product,before,after,state,message" {
		t.Fatalf("header %v", recs[0])
	}
	for _, r := range recs[1:] {
		for _, col := range []int{1, 2} {
			if ts, err := time.Parse(time.RFC3339, r[col]); err != nil || ts.Location() != time.UTC || !strings.HasSuffix(r[col], "Z") {
				t.Errorf("time %q: %v", r[col], err)
			}
		}
		if r[3] != "cli" && r[3] != "schedule" || r[7] != "endpoint" || r[6] != "100" {
			t.Errorf("row %v", r)
		}
	}
}

// History pages through every run, newest first, without losing or repeating one when a
// run starts between two pages.
func TestHistoryPagesThroughRuns(t *testing.T) {
	f, _, _, _ := reviewFixture(t)
	s := f.syncer()
	for range 7 {
		f.sync(s, RunOptions{DryRun: true})
	}
	ctx := context.Background()
	var seen []int64
	q := RunQuery{Limit: 3}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		p, err := s.RunsPage(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Runs {
			seen = append(seen, r.ID)
		}
		if pages == 0 {
			if len(p.Runs) != 3 || !p.More || p.Runs[0].Counts.Total == 0 {
				t.Fatalf("first page %+v", p)
			}
			f.sync(s, RunOptions{DryRun: true}) // a run lands while the user reads page 1
		}
		if !p.More {
			break
		}
		q.BeforeID = p.Runs[len(p.Runs)-1].ID
	}
	want := []int64{7, 6, 5, 4, 3, 2, 1}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("paged through %v, want %v", seen, want)
	}
	// A page that ends exactly at the last run says there are no more.
	if p, _ := s.RunsPage(ctx, RunQuery{Limit: 8}); len(p.Runs) != 8 || p.More {
		t.Errorf("all 8 runs in one page: %d, more %v", len(p.Runs), p.More)
	}
	// Offset paging still works for the command line.
	if runs, _ := s.Runs(ctx, RunQuery{Limit: 2, Offset: 6}); len(runs) != 2 || runs[0].ID != 2 || runs[1].ID != 1 {
		t.Errorf("offset page %+v", runs)
	}
}

// A stop (Ctrl+C) mid-apply records what was sent and what was not; the next run settles
// the rest without sending anything twice.
func TestStopMidApplyIsSettledByTheNextRun(t *testing.T) {
	f, adds := throttleFixture(t, 15) // 5 changes
	f.ms.SetLatency(150 * time.Millisecond)
	s := New(f.st, f.sources(), Options{MaxInFlight: 2})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for f.patches() < 2 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	res, err := s.Sync(ctx, RunOptions{Trigger: TriggerCLI, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Run.Counts
	if c.Applied+c.Applying+c.Interrupted != 5 || c.Interrupted == 0 || !strings.Contains(res.Run.Message, "Stopped before every change") {
		t.Fatalf("stopped run: %+v %q", c, res.Run.Message)
	}
	time.Sleep(200 * time.Millisecond) // let the simulator finish or drop what was in flight
	next := f.sync(s, RunOptions{})
	for _, a := range adds {
		if f.quantity(a) != 11 {
			t.Errorf("addition %d holds %v", a, f.quantity(a))
		}
		ok := 0
		for _, r := range f.ms.RequestsTo("PATCH", "/finance/agreements/*/additions/"+itoa(a)) {
			if r.Status == 200 {
				ok++
			}
		}
		if ok > 1 {
			t.Errorf("addition %d applied %d times", a, ok)
		}
	}
	stopped, _ := s.GetRun(context.Background(), res.Run.ID)
	if next.Run.Status != StatusSucceeded || stopped.Counts.Applying != 0 || stopped.Counts.Pending != 0 {
		t.Fatalf("next %+v; stopped %+v", next.Run, stopped.Counts)
	}
}

func TestHistoryCanLeaveDryRunsOut(t *testing.T) {
	f, _, _, _ := reviewFixture(t)
	s := f.syncer()
	f.sync(s, RunOptions{Trigger: TriggerUser, Actor: "dana", DryRun: true})
	f.sync(s, RunOptions{Trigger: TriggerCLI, Actor: "command line (dana)"})
	f.sync(s, RunOptions{Trigger: TriggerUser, Actor: "dana", DryRun: true})
	ctx := context.Background()
	if all, _ := s.Runs(ctx, RunQuery{}); len(all) != 3 {
		t.Fatalf("%d runs, want 3", len(all))
	}
	real, err := s.Runs(ctx, RunQuery{RealOnly: true})
	if err != nil || len(real) != 1 || real[0].DryRun || real[0].Trigger != TriggerCLI {
		t.Fatalf("real runs only: %+v %v", real, err)
	}
	if p, _ := s.RunsPage(ctx, RunQuery{RealOnly: true, Trigger: TriggerUser}); len(p.Runs) != 0 {
		t.Fatalf("real runs started in the app: %+v", p.Runs)
	}
}
