package scheduler

import (
	"context"
	"errors"
	"strings"
	"testing"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestLoadScheduleDefaultsAndSaveSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openStore(t, dir)
	got, err := LoadSchedule(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if got != (Schedule{Kind: "daily", Time: "06:00", Weekday: 1, MonthDay: 1, Enabled: true}) {
		t.Fatalf("defaults %+v", got)
	}
	want := Schedule{Kind: KindMonthly, Time: "6:05", Weekday: 3, MonthDay: 31, Enabled: false, Paused: true}
	if err := SaveSchedule(ctx, st, "admin@msp.example", want); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st = openStore(t, dir)
	got, err = LoadSchedule(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	want.Time = "06:05" // saved in the HH:MM form
	if got != want {
		t.Fatalf("after reopen %+v, want %+v", got, want)
	}
}

func TestLoadScheduleIgnoresUnreadableValues(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	if err := st.SetSettings(ctx, map[string]string{
		KeyKind: "hourly", KeyTime: "25:00", KeyWeekday: "7", KeyMonthDay: "zero", KeyEnabled: "maybe", KeyPaused: "",
	}); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSchedule(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if got != DefaultSchedule() {
		t.Fatalf("got %+v, want the defaults", got)
	}
}

func TestSaveScheduleNamesEveryWrongFieldAndSavesNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	check := func(s Schedule, want map[string]string) {
		t.Helper()
		err := SaveSchedule(ctx, st, "admin@msp.example", s)
		var v *apperr.Validation
		if !errors.As(err, &v) {
			t.Fatalf("SaveSchedule(%+v) = %v, want a validation error", s, err)
		}
		got := map[string]string{}
		for _, f := range v.Fields {
			got[f.Field] = f.Message
		}
		if len(got) != len(want) {
			t.Fatalf("fields %v, want %v", got, want)
		}
		for field, fragment := range want {
			if !strings.Contains(got[field], fragment) {
				t.Errorf("%s: %q, want it to mention %q", field, got[field], fragment)
			}
		}
		if p := apperr.Format(err).(apperr.Payload); len(p.Fields) != len(want) {
			t.Errorf("payload %+v", p)
		}
	}
	check(Schedule{Kind: "hourly", Time: "6am", Weekday: 1, MonthDay: 1}, map[string]string{
		"Frequency": "daily, weekly or monthly",
		"Time":      "Enter a time as HH:MM, for example 06:00",
	})
	for _, bad := range []string{"", "24:00", "12:60", "1200", "12:5", "+1:00", "ab:cd"} {
		check(Schedule{Kind: KindDaily, Time: bad, MonthDay: 1}, map[string]string{"Time": "HH:MM"})
	}
	check(Schedule{Kind: KindWeekly, Time: "06:00", Weekday: 7, MonthDay: 1}, map[string]string{"Day of week": "Sunday to Saturday"})
	check(Schedule{Kind: KindMonthly, Time: "06:00", MonthDay: 32}, map[string]string{"Day of month": "1 to 31"})
	check(Schedule{Kind: KindMonthly, Time: "06:00", MonthDay: 0}, map[string]string{"Day of month": "1 to 31"})

	// Nothing of the rejected schedules was saved.
	if got, _ := LoadSchedule(ctx, st); got != DefaultSchedule() {
		t.Fatalf("after rejected saves %+v", got)
	}
	// A field the frequency does not use (and the page hides) does not block saving.
	if err := SaveSchedule(ctx, st, "admin@msp.example", Schedule{Kind: KindDaily, Time: "07:00", Weekday: 9, MonthDay: 0, Enabled: true}); err != nil {
		t.Fatalf("daily with hidden junk: %v", err)
	}
	if got, _ := LoadSchedule(ctx, st); got.Time != "07:00" || got.Weekday != DefaultWeekday || got.MonthDay != DefaultMonthDay {
		t.Fatalf("saved %+v", got)
	}
}
