package scheduler

import (
	"testing"
	"time"
	_ "time/tzdata" // the DST cases must not depend on the test machine's zone files
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func daily(hhmm string) Schedule {
	s := DefaultSchedule()
	s.Time = hhmm
	return s
}

func weekly(day time.Weekday, hhmm string) Schedule {
	s := daily(hhmm)
	s.Kind, s.Weekday = KindWeekly, int(day)
	return s
}

func monthly(day int, hhmm string) Schedule {
	s := daily(hhmm)
	s.Kind, s.MonthDay = KindMonthly, day
	return s
}

// chain lists the next n due instants after start, each strictly after the one before.
func chain(s Schedule, start time.Time, loc *time.Location, n int) []time.Time {
	var out []time.Time
	t := start
	for range n {
		t = Next(s, t, loc)
		out = append(out, t)
	}
	return out
}

func wantChain(t *testing.T, got []time.Time, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d instants, want %d", len(got), len(want))
	}
	for i := range want {
		if w := utc(want[i]); !got[i].Equal(w) {
			t.Errorf("due #%d = %s (%s), want %s", i+1, got[i].UTC().Format(time.RFC3339), got[i].Format("Mon 2006-01-02 15:04 MST"), w.Format(time.RFC3339))
		}
	}
}

func TestNextDailyIsStrictlyAfterAndInTheCompanysZone(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	s := daily("06:00")
	// 05:59 New York (EST, UTC-5) → today 06:00; exactly 06:00 → tomorrow; 23:00 → tomorrow.
	wantChain(t, []time.Time{
		Next(s, utc("2025-01-15T10:59:00Z"), ny),
		Next(s, utc("2025-01-15T11:00:00Z"), ny),
		Next(s, utc("2025-01-16T04:00:00Z"), ny),
	}, "2025-01-15T11:00:00Z", "2025-01-16T11:00:00Z", "2025-01-16T11:00:00Z")
	// The same rule in UTC is a different instant: the zone is the company's, not the machine's.
	if got := Next(s, utc("2025-01-15T05:00:00Z"), nil); !got.Equal(utc("2025-01-15T06:00:00Z")) {
		t.Fatalf("UTC daily = %s", got)
	}
}

func TestNextWeekly(t *testing.T) {
	london := mustZone(t, "Europe/London")
	s := weekly(time.Monday, "06:00")
	// Wednesday 2025-01-15 → Monday 20th, 27th, 3 Feb.
	wantChain(t, chain(s, utc("2025-01-15T12:00:00Z"), london, 3),
		"2025-01-20T06:00:00Z", "2025-01-27T06:00:00Z", "2025-02-03T06:00:00Z")
	// On the Monday itself, before and at the time.
	if got := Next(s, utc("2025-01-20T05:00:00Z"), london); !got.Equal(utc("2025-01-20T06:00:00Z")) {
		t.Fatalf("Monday 05:00 → %s", got)
	}
	if got := Next(s, utc("2025-01-20T06:00:00Z"), london); !got.Equal(utc("2025-01-27T06:00:00Z")) {
		t.Fatalf("Monday 06:00 → %s", got)
	}
	// Sunday (0) and Saturday (6) are reachable.
	if got := Next(weekly(time.Sunday, "00:00"), utc("2025-01-15T12:00:00Z"), nil); !got.Equal(utc("2025-01-19T00:00:00Z")) {
		t.Fatalf("Sunday → %s", got)
	}
	if got := Next(weekly(time.Saturday, "23:59"), utc("2025-01-15T12:00:00Z"), nil); !got.Equal(utc("2025-01-18T23:59:00Z")) {
		t.Fatalf("Saturday → %s", got)
	}
}

func TestNextMonthlyUsesTheLastDayOfShorterMonths(t *testing.T) {
	// Day 31 through a non-leap year's February, then a leap year's.
	wantChain(t, chain(monthly(31, "06:00"), utc("2025-01-01T00:00:00Z"), nil, 5),
		"2025-01-31T06:00:00Z", "2025-02-28T06:00:00Z", "2025-03-31T06:00:00Z", "2025-04-30T06:00:00Z", "2025-05-31T06:00:00Z")
	wantChain(t, chain(monthly(31, "06:00"), utc("2024-01-31T06:00:00Z"), nil, 2),
		"2024-02-29T06:00:00Z", "2024-03-31T06:00:00Z")
	// Day 30: April has it, February does not.
	wantChain(t, chain(monthly(30, "06:00"), utc("2025-03-30T06:00:00Z"), nil, 1), "2025-04-30T06:00:00Z")
	wantChain(t, chain(monthly(30, "06:00"), utc("2025-01-30T06:00:00Z"), nil, 2), "2025-02-28T06:00:00Z", "2025-03-30T06:00:00Z")
	wantChain(t, chain(monthly(29, "06:00"), utc("2024-01-30T00:00:00Z"), nil, 1), "2024-02-29T06:00:00Z")
	// Day 1 across a year end.
	wantChain(t, chain(monthly(1, "06:00"), utc("2025-12-01T06:00:00Z"), nil, 2), "2026-01-01T06:00:00Z", "2026-02-01T06:00:00Z")
	// Previous finds February's clamped day from early March.
	if got := Previous(monthly(31, "06:00"), utc("2025-03-15T00:00:00Z"), nil); !got.Equal(utc("2025-02-28T06:00:00Z")) {
		t.Fatalf("Previous monthly 31 = %s", got)
	}
}

// dstCase is one zone's changeover: the due instants of a daily rule across it.
type dstCase struct {
	zone, hhmm, from string
	want             []string
}

func TestNextAcrossDaylightSaving(t *testing.T) {
	cases := map[string]dstCase{
		// Sunday 9 March 2025 02:00 EST → 03:00 EDT: 02:30 does not exist, runs at 03:00 EDT.
		"New York spring-forward gap": {"America/New_York", "02:30", "2025-03-07T12:00:00Z",
			[]string{"2025-03-08T07:30:00Z", "2025-03-09T07:00:00Z", "2025-03-10T06:30:00Z"}},
		// A time just before the gap is unaffected.
		"New York 01:59 before the gap": {"America/New_York", "01:59", "2025-03-08T12:00:00Z",
			[]string{"2025-03-09T06:59:00Z", "2025-03-10T05:59:00Z"}},
		// Sunday 2 November 2025 02:00 EDT → 01:00 EST: 01:30 happens twice, runs at the first
		// (EDT, 05:30Z) only.
		"New York fall-back repeat 01:30": {"America/New_York", "01:30", "2025-11-01T12:00:00Z",
			[]string{"2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"}},
		// 02:30 happens once on that day (clocks went back at 02:00 to 01:00).
		"New York fall-back 02:30": {"America/New_York", "02:30", "2025-11-01T12:00:00Z",
			[]string{"2025-11-02T07:30:00Z", "2025-11-03T07:30:00Z"}},
		// Southern hemisphere. Sunday 6 April 2025 03:00 AEDT → 02:00 AEST: 02:30 twice, first
		// is AEDT (UTC+11).
		"Sydney April fall-back repeat": {"Australia/Sydney", "02:30", "2025-04-04T00:00:00Z",
			[]string{"2025-04-04T15:30:00Z", "2025-04-05T15:30:00Z", "2025-04-06T16:30:00Z"}},
		// Sunday 5 October 2025 02:00 AEST → 03:00 AEDT: 02:30 runs at 03:00 AEDT (16:00Z).
		"Sydney October spring-forward gap": {"Australia/Sydney", "02:30", "2025-10-03T00:00:00Z",
			[]string{"2025-10-03T16:30:00Z", "2025-10-04T16:00:00Z", "2025-10-05T15:30:00Z"}},
		// Sunday 30 March 2025 01:00 GMT → 02:00 BST: 01:30 runs at 02:00 BST (01:00Z).
		"London spring-forward gap": {"Europe/London", "01:30", "2025-03-28T12:00:00Z",
			[]string{"2025-03-29T01:30:00Z", "2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z"}},
		// Sunday 26 October 2025 02:00 BST → 01:00 GMT: 01:30 twice, first is BST (00:30Z).
		"London fall-back repeat": {"Europe/London", "01:30", "2025-10-24T12:00:00Z",
			[]string{"2025-10-25T00:30:00Z", "2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			loc := mustZone(t, c.zone)
			got := chain(daily(c.hhmm), utc(c.from), loc, len(c.want))
			wantChain(t, got, c.want...)
			// Previous agrees with Next: each due instant is its own Previous, and the
			// instant just before it belongs to the one before.
			for i, g := range got {
				if p := Previous(daily(c.hhmm), g, loc); !p.Equal(g) {
					t.Errorf("Previous(%s) = %s", g, p)
				}
				if i > 0 {
					if p := Previous(daily(c.hhmm), g.Add(-time.Second), loc); !p.Equal(got[i-1]) {
						t.Errorf("Previous(just before %s) = %s, want %s", g, p, got[i-1])
					}
				}
			}
		})
	}
}

func TestNextAfterTheFirstOccurrenceSkipsTheRepeat(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	first := utc("2025-11-02T05:30:00Z") // 01:30 EDT
	// Anywhere between the two 01:30s, and at the second one, the next run is the next day.
	for _, after := range []time.Time{first, first.Add(30 * time.Minute), first.Add(time.Hour)} {
		if got := Next(daily("01:30"), after, ny); !got.Equal(utc("2025-11-03T06:30:00Z")) {
			t.Fatalf("Next(%s) = %s, want the next day", after, got)
		}
	}
}

func TestWeeklyAndMonthlyLandingInAGap(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	// 9 March 2025 is a Sunday and the changeover day.
	if got := Next(weekly(time.Sunday, "02:15"), utc("2025-03-05T00:00:00Z"), ny); !got.Equal(utc("2025-03-09T07:00:00Z")) {
		t.Fatalf("weekly in the gap = %s", got)
	}
	if got := Next(monthly(9, "02:15"), utc("2025-03-01T00:00:00Z"), ny); !got.Equal(utc("2025-03-09T07:00:00Z")) {
		t.Fatalf("monthly in the gap = %s", got)
	}
}

func TestPrevious(t *testing.T) {
	s := daily("06:00")
	if got := Previous(s, utc("2025-01-15T06:00:00Z"), nil); !got.Equal(utc("2025-01-15T06:00:00Z")) {
		t.Fatalf("at the due time: %s", got)
	}
	if got := Previous(s, utc("2025-01-15T05:59:59Z"), nil); !got.Equal(utc("2025-01-14T06:00:00Z")) {
		t.Fatalf("just before: %s", got)
	}
	if got := Previous(weekly(time.Monday, "06:00"), utc("2025-01-19T12:00:00Z"), nil); !got.Equal(utc("2025-01-13T06:00:00Z")) {
		t.Fatalf("weekly: %s", got)
	}
}

func TestDescribe(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	for _, c := range []struct {
		s    Schedule
		want string
	}{
		{daily("06:00"), "Daily at 06:00 (America/New_York)"},
		{weekly(time.Monday, "06:00"), "Weekly on Monday at 06:00 (America/New_York)"},
		{monthly(31, "06:00"), "Monthly on day 31 at 06:00 (America/New_York), or the last day in shorter months"},
		{monthly(15, "18:30"), "Monthly on day 15 at 18:30 (America/New_York)"},
	} {
		if got := Describe(c.s, ny); got != c.want {
			t.Errorf("Describe = %q, want %q", got, c.want)
		}
	}
}
