package connstate_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/connstate"
	"cwm-webroot/backend/connstate/connstatetest"
)

// testState is a connection's stored state, as manageconn and webrootconn declare theirs.
type testState struct {
	connstate.Core
	Console  string `json:"console,omitempty"`
	Revision int64  `json:"revision"`
}

var errStale = errors.New("the settings changed while they were checked")

func newSetting(t *testing.T) (connstate.Setting[testState], *connstatetest.Env) {
	e := connstatetest.New(t, nil)
	return connstate.Setting[testState]{DB: e.Store, Key: "test.connection_state", Name: "Test", Stale: errStale,
		Core:     func(s *testState) *connstate.Core { return &s.Core },
		Revision: func(s *testState) *int64 { return &s.Revision }}, e
}

func read(t *testing.T, k connstate.Setting[testState]) testState {
	t.Helper()
	st, err := k.Read(context.Background(), k.DB.DB)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func reset(t *testing.T, k connstate.Setting[testState]) {
	t.Helper()
	if err := k.DB.Tx(context.Background(), func(tx *sql.Tx) error { return k.Reset(context.Background(), tx) }); err != nil {
		t.Fatal(err)
	}
}

func TestNothingStoredOrUnreadableIsUntested(t *testing.T) {
	k, e := newSetting(t)
	if st := read(t, k); st.State != connstate.Untested || st.Revision != 0 {
		t.Errorf("nothing stored: %+v", st)
	}
	for _, raw := range []string{`not json`, `{"revision": 4}`} {
		if err := e.Store.SetSettings(context.Background(), map[string]string{k.Key: raw}); err != nil {
			t.Fatal(err)
		}
		if st := read(t, k); st.State != connstate.Untested || st.Revision != 0 {
			t.Errorf("%s: %+v", raw, st)
		}
	}
}

func TestConnectedSinceFirstSuccessFailingSinceFirstFailure(t *testing.T) {
	k, e := newSetting(t)
	ctx := context.Background()
	reset(t, k)
	rev, err := k.CurrentRevision(ctx)
	if err != nil || rev != 1 {
		t.Fatalf("revision after a save: %d %v", rev, err)
	}
	t0 := time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)
	learn := func(s *testState) { s.Console = "Bluewave" }
	steps := []struct {
		o           connstate.Outcome
		state       string
		since       time.Time
		problem     string
		learnedFrom func(*testState)
	}{
		{connstate.Outcome{Revision: 1, OK: true}, connstate.Connected, t0, "", learn},
		{connstate.Outcome{Revision: 1, OK: true}, connstate.Connected, t0, "", nil},
		{connstate.Outcome{Revision: 1, Problem: "Keys rejected", Kind: "keys_rejected", Field: "Private Key"}, connstate.Failing, t0.Add(2 * time.Minute), "Keys rejected", nil},
		{connstate.Outcome{Revision: 1, Problem: "Unreachable", Kind: "site_unreachable"}, connstate.Failing, t0.Add(2 * time.Minute), "Unreachable", nil},
		{connstate.Outcome{Revision: 1, OK: true}, connstate.Connected, t0.Add(4 * time.Minute), "", nil},
	}
	for i, step := range steps {
		now := t0.Add(time.Duration(i) * time.Minute)
		if err := k.Record(ctx, now, step.o, step.learnedFrom); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		st := read(t, k)
		if st.State != step.state || !st.Since.Equal(step.since) || !st.CheckedAt.Equal(now) || st.Problem != step.problem ||
			st.Console != "Bluewave" || st.Revision != 1 {
			t.Fatalf("step %d: %+v", i, st)
		}
		if step.problem != "" && (st.Kind != step.o.Kind || st.Field != step.o.Field) {
			t.Errorf("step %d: kind and field %+v", i, st)
		}
		if step.problem == "" && (st.Kind != "" || st.Field != "") {
			t.Errorf("step %d: a success kept the problem %+v", i, st)
		}
	}
	raw, _ := e.Setting(k.Key)
	var keys map[string]any
	if err := json.Unmarshal([]byte(raw), &keys); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"state", "since", "checkedAt", "console", "revision"} {
		if _, ok := keys[key]; !ok {
			t.Errorf("stored state %s has no %q", raw, key)
		}
	}
	for _, key := range []string{"problem", "kind", "field"} {
		if _, ok := keys[key]; ok {
			t.Errorf("stored state %s keeps %q after a success", raw, key)
		}
	}
}

func TestOutcomeOfReplacedSettingsIsNotRecorded(t *testing.T) {
	k, _ := newSetting(t)
	ctx := context.Background()
	reset(t, k)
	if err := k.Record(ctx, time.Now(), connstate.Outcome{Revision: 1, OK: true}, nil); err != nil {
		t.Fatal(err)
	}
	reset(t, k) // saved again: revision 2, untested
	if st := read(t, k); st.State != connstate.Untested || st.Revision != 2 || !st.Since.IsZero() {
		t.Fatalf("after a save: %+v", st)
	}
	learned := false
	err := k.Record(ctx, time.Now(), connstate.Outcome{Revision: 1, Problem: "old"}, func(*testState) { learned = true })
	if !errors.Is(err, errStale) || learned {
		t.Fatalf("record of revision 1 after a save: %v (learn called: %v)", err, learned)
	}
	if st := read(t, k); st.State != connstate.Untested || st.Problem != "" {
		t.Errorf("a stale outcome was recorded: %+v", st)
	}
	check := func(rev int64) error {
		return k.DB.Tx(ctx, func(tx *sql.Tx) error { return k.Check(ctx, tx, rev) })
	}
	if err := check(1); !errors.Is(err, errStale) {
		t.Errorf("check of revision 1: %v", err)
	}
	if err := check(2); err != nil {
		t.Errorf("check of revision 2: %v", err)
	}
}

func TestTimesAndSummary(t *testing.T) {
	since := time.Date(2025, 6, 15, 10, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	checked := since.Add(time.Hour)
	c := connstate.Core{State: connstate.Failing, Since: since, CheckedAt: checked}
	conn, fail, at := c.Times()
	if conn != nil || fail == nil || !fail.Equal(since) || fail.Location() != time.UTC || at == nil || !at.Equal(checked) {
		t.Errorf("failing: %v %v %v", conn, fail, at)
	}
	c.State = connstate.Connected
	if conn, fail, _ := c.Times(); conn == nil || fail != nil {
		t.Errorf("connected: %v %v", conn, fail)
	}
	if conn, fail, at := (connstate.Core{State: connstate.Untested}).Times(); conn != nil || fail != nil || at != nil {
		t.Errorf("untested: %v %v %v", conn, fail, at)
	}

	for _, tc := range []struct {
		s    connstate.Summary
		want string
	}{
		{connstate.Summary{State: connstate.NotConfigured}, "Not configured"},
		{connstate.Summary{State: connstate.Untested}, "Saved, not tested yet"},
		{connstate.Summary{State: connstate.Connected, Username: "api-billing"}, "Connected as api-billing"},
		{connstate.Summary{State: connstate.Connected, Username: "api-billing", To: "Bluewave IT"}, `Connected as api-billing to "Bluewave IT"`},
		{connstate.Summary{State: connstate.Failing}, "Failing"},
		{connstate.Summary{State: connstate.Failing, Problem: "Keys rejected"}, "Failing: Keys rejected"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
	fs := since.UTC()
	got := connstate.Summary{State: connstate.Failing, FailingSince: &fs, Problem: "Keys rejected"}.String()
	if want := "Failing since " + fs.Local().Format("2006-01-02 15:04 MST") + ": Keys rejected"; got != want {
		t.Errorf("failing since: %q, want %q", got, want)
	}
	if !strings.HasPrefix(got, "Failing since 2025-06-15") {
		t.Errorf("failing since: %q", got)
	}
}
