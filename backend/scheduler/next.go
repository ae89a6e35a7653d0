package scheduler

import (
	"time"
)

// Next is the first due instant strictly after after, with the rule read in loc (the
// company's Primary Time Zone, so "06:00" means 06:00 where the company works, whatever zone
// this computer is set to). A nil loc means UTC.
//
// Daylight-saving rules, chosen so every due day runs exactly once:
//   - a local time that does not exist that day (it falls in the spring-forward gap, such as
//     02:30 on the changeover day in America/New_York) runs at the first instant after the
//     gap, 03:00 local: late rather than skipped, and not an hour early;
//   - a local time that occurs twice (the fall-back repeat, such as 01:30 in
//     America/New_York) runs once, at its first occurrence.
//
// Both are computed from the zone's transitions (resolve), not left to time.Date, whose
// choice for such times the Go documentation leaves unspecified.
func Next(s Schedule, after time.Time, loc *time.Location) time.Time {
	for _, t := range candidates(s, after, loc) {
		if t.After(after) {
			return t
		}
	}
	return time.Time{} // not reached: candidates always reach past after
}

// Previous is the latest due instant at or before at, under the same rules as Next. The
// scheduler compares it with the last due instant it handled to see whether a run was missed
// while the computer was off or asleep.
func Previous(s Schedule, at time.Time, loc *time.Location) time.Time {
	c := candidates(s, at, loc)
	for i := len(c) - 1; i >= 0; i-- {
		if !c[i].After(at) {
			return c[i]
		}
	}
	return time.Time{} // not reached: candidates always reach before at
}

// candidates lists, in ascending order, every due instant from a little before around to a
// little after it: wide enough that both the previous and the next due instant are among
// them, even when a zone change moves a wall-clock date across around.
func candidates(s Schedule, around time.Time, loc *time.Location) []time.Time {
	if loc == nil {
		loc = time.UTC
	}
	s = s.normalized()
	h, m, _ := parseClock(s.Time)
	y, mo, d := around.In(loc).Date()
	var out []time.Time
	switch s.Kind {
	case KindMonthly:
		for i := -2; i <= 2; i++ {
			first := time.Date(y, mo+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
			day := min(s.MonthDay, daysIn(first.Year(), first.Month()))
			out = append(out, resolve(first.Year(), first.Month(), day, h, m, loc))
		}
	default:
		span := 2
		if s.Kind == KindWeekly {
			span = 9
		}
		for i := -span; i <= span; i++ {
			day := time.Date(y, mo, d+i, 0, 0, 0, 0, time.UTC)
			if s.Kind == KindWeekly && int(day.Weekday()) != s.Weekday {
				continue
			}
			out = append(out, resolve(day.Year(), day.Month(), day.Day(), h, m, loc))
		}
	}
	return out
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// resolve turns a wall-clock time in loc into an instant. It walks the zone's periods (the
// spans between transitions) around the wall time: a period whose offset maps the wall time
// back into that same period is a real occurrence, and the earliest wins (fall-back repeat);
// when there is none the wall time lies in a gap, and the answer is the start of the first
// period whose wall clock begins after it (spring-forward: the instant the clocks jumped).
func resolve(y int, mo time.Month, d, h, m int, loc *time.Location) time.Time {
	wall := time.Date(y, mo, d, h, m, 0, 0, time.UTC) // the wall time, read as if it were UTC
	// Offsets in use stay within about ±15 h, so every instant showing this wall time lies in
	// [wall-15h, wall+15h]; one more hour either side catches the transition ending a gap.
	from, to := wall.Add(-16*time.Hour), wall.Add(16*time.Hour)
	var gapEnd time.Time
	p := from
	for range 16 { // a handful of periods at most; the bound only guards against a bad zone
		start, end := p.In(loc).ZoneBounds()
		_, off := p.In(loc).Zone()
		t := wall.Add(-time.Duration(off) * time.Second)
		inPeriod := (start.IsZero() || !t.Before(start)) && (end.IsZero() || t.Before(end))
		if inPeriod {
			return t.In(loc) // periods come in time order, so the first match is the earliest
		}
		if gapEnd.IsZero() && !start.IsZero() && start.Add(time.Duration(off)*time.Second).After(wall) {
			gapEnd = start
		}
		if end.IsZero() || end.After(to) {
			break
		}
		p = end
	}
	if !gapEnd.IsZero() {
		return gapEnd.In(loc)
	}
	// Not reached for real zones; fall back on Go's own reading rather than return nothing.
	return time.Date(y, mo, d, h, m, 0, 0, loc)
}
