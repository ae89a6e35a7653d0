// Package scheduler runs the scheduled sync (PRODUCT.md §2.5): daily, weekly or monthly at a
// time in the company's Primary Time Zone, catching up once on a run missed while the
// computer was off or asleep.
package scheduler

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

// Settings keys (table settings). The first six are the user's choice; the rest are the
// scheduler's own bookkeeping, kept in the database so it survives restarts.
const (
	KeyKind     = "schedule.kind"
	KeyTime     = "schedule.time"
	KeyWeekday  = "schedule.weekday"
	KeyMonthDay = "schedule.month_day"
	KeyEnabled  = "schedule.enabled"
	KeyPaused   = "schedule.paused"

	// KeyLastDue is the last due instant handled (run, or attempted), RFC 3339 UTC.
	KeyLastDue = "schedule.last_due"
	// KeyLastRunAt is when the last scheduled run started, RFC 3339 UTC.
	KeyLastRunAt = "schedule.last_run_at"
	// KeySince is when the schedule in force took effect, RFC 3339 UTC: due times at or before
	// it are never caught up, so a new install, a changed rule or a resume does not run at once
	// for a due time that belonged to an earlier rule.
	KeySince = "schedule.since"
	// KeyRule fingerprints the rule KeySince belongs to, so a rule changed while the app was
	// not running (or without a Reload) is noticed at the next start.
	KeyRule = "schedule.rule"
)

// Field labels, as the Settings page shows them; validation errors name them.
const (
	FieldKind     = "Frequency"
	FieldTime     = "Time"
	FieldWeekday  = "Day of week"
	FieldMonthDay = "Day of month"
)

// Kinds of schedule.
const (
	KindDaily   = "daily"
	KindWeekly  = "weekly"
	KindMonthly = "monthly"
)

// Defaults.
const (
	DefaultKind     = KindDaily
	DefaultTime     = "06:00"
	DefaultWeekday  = int(time.Monday)
	DefaultMonthDay = 1
)

// Schedule is when the scheduled sync runs.
type Schedule struct {
	// Kind is daily, weekly or monthly.
	Kind string `json:"kind"`
	// Time is the local time of day, "HH:MM" on a 24-hour clock, in the company's Primary
	// Time Zone.
	Time string `json:"time"`
	// Weekday is the day of a weekly run, 0 = Sunday … 6 = Saturday.
	Weekday int `json:"weekday"`
	// MonthDay is the day of a monthly run, 1–31; in a month too short for it the run is on
	// the month's last day (31 → 30 April, 28 or 29 February), so no month is skipped.
	MonthDay int `json:"monthDay"`
	// Enabled turns scheduled syncs on; manual syncs work either way.
	Enabled bool `json:"enabled"`
	// Paused holds scheduled syncs from the tray without losing the chosen schedule.
	Paused bool `json:"paused"`
}

// DefaultSchedule is what an installation starts with: daily at 06:00, on.
func DefaultSchedule() Schedule {
	return Schedule{Kind: DefaultKind, Time: DefaultTime, Weekday: DefaultWeekday, MonthDay: DefaultMonthDay, Enabled: true}
}

// normalized replaces anything unusable with its default, so computing due times never
// fails on a schedule that was not validated (one written by hand into the database).
func (s Schedule) normalized() Schedule {
	d := DefaultSchedule()
	if validKind(s.Kind) != "" {
		s.Kind = d.Kind
	}
	if t, ok := normalizeClock(s.Time); ok {
		s.Time = t
	} else {
		s.Time = d.Time
	}
	if validWeekday(s.Weekday) != "" {
		s.Weekday = d.Weekday
	}
	if validMonthDay(s.MonthDay) != "" {
		s.MonthDay = d.MonthDay
	}
	return s
}

// LoadSchedule reads the schedule, with defaults for what was never set (or was written by
// hand into something unreadable).
func LoadSchedule(ctx context.Context, st *store.Store) (Schedule, error) {
	s := DefaultSchedule()
	get := func(key string) (string, bool, error) {
		v, ok, err := st.Setting(ctx, key)
		return strings.TrimSpace(v), ok, err
	}
	if v, ok, err := get(KeyKind); err != nil {
		return s, err
	} else if ok && validKind(v) == "" {
		s.Kind = v
	}
	if v, ok, err := get(KeyTime); err != nil {
		return s, err
	} else if t, valid := normalizeClock(v); ok && valid {
		s.Time = t
	}
	if v, ok, err := get(KeyWeekday); err != nil {
		return s, err
	} else if n, perr := strconv.Atoi(v); ok && perr == nil && validWeekday(n) == "" {
		s.Weekday = n
	}
	if v, ok, err := get(KeyMonthDay); err != nil {
		return s, err
	} else if n, perr := strconv.Atoi(v); ok && perr == nil && validMonthDay(n) == "" {
		s.MonthDay = n
	}
	if v, ok, err := get(KeyEnabled); err != nil {
		return s, err
	} else if b, perr := strconv.ParseBool(v); ok && perr == nil {
		s.Enabled = b
	}
	if v, ok, err := get(KeyPaused); err != nil {
		return s, err
	} else if b, perr := strconv.ParseBool(v); ok && perr == nil {
		s.Paused = b
	}
	return s, nil
}

// AuditSchedule is the activity log's action for a change of the schedule.
const AuditSchedule = "settings.schedule"

// SaveSchedule checks every field and saves them all, or none: the error is an
// *apperr.Validation naming each wrong field by its label. Day of week and Day of month are
// only checked when the frequency uses them, because the Settings page hides the other one
// and should not fail on a value the user cannot see; an unusable hidden value is saved as
// its default. The time is saved as HH:MM ("6:00" becomes "06:00"). A running Scheduler
// picks the change up at its next Reload.
func SaveSchedule(ctx context.Context, st *store.Store, actor string, s Schedule) error {
	var v apperr.Validation
	s.Kind = strings.TrimSpace(s.Kind)
	if msg := validKind(s.Kind); msg != "" {
		v.Add(FieldKind, msg)
	}
	clock, ok := normalizeClock(s.Time)
	if !ok {
		v.Add(FieldTime, "Enter a time as HH:MM, for example 06:00.")
	}
	if msg := validWeekday(s.Weekday); msg != "" {
		if s.Kind == KindWeekly {
			v.Add(FieldWeekday, msg)
		}
		s.Weekday = DefaultWeekday
	}
	if msg := validMonthDay(s.MonthDay); msg != "" {
		if s.Kind == KindMonthly {
			v.Add(FieldMonthDay, msg)
		}
		s.MonthDay = DefaultMonthDay
	}
	if err := v.Err(); err != nil {
		return err
	}
	s.Time = clock
	before, err := LoadSchedule(ctx, st)
	if err != nil {
		return err
	}
	return st.ChangeSettings(ctx, store.SettingsChange{Actor: actor, Action: AuditSchedule,
		Values: s.values(), Before: before.values(), Labels: scheduleLabels})
}

// values are the schedule as saved, by key.
func (s Schedule) values() map[string]string {
	return map[string]string{
		KeyKind:     s.Kind,
		KeyTime:     s.Time,
		KeyWeekday:  strconv.Itoa(s.Weekday),
		KeyMonthDay: strconv.Itoa(s.MonthDay),
		KeyEnabled:  strconv.FormatBool(s.Enabled),
		KeyPaused:   strconv.FormatBool(s.Paused),
	}
}

// scheduleLabels name the keys in the activity log as the Settings page does.
var scheduleLabels = map[string]string{
	KeyKind: FieldKind, KeyTime: FieldTime, KeyWeekday: FieldWeekday + " (0 = Sunday)", KeyMonthDay: FieldMonthDay,
	KeyEnabled: "Sync on a schedule", KeyPaused: "Paused",
}

// SetPaused saves only the pause switch, so pausing from the tray cannot overwrite a
// schedule the Settings page is saving at the same time.
func SetPaused(ctx context.Context, st *store.Store, paused bool) error {
	return st.SetSettings(ctx, map[string]string{KeyPaused: strconv.FormatBool(paused)})
}

// Describe is the schedule in words, as the tray and the Settings page show it, naming the
// zone because the company's zone may differ from this computer's.
func Describe(s Schedule, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	s = s.normalized()
	zone := " (" + loc.String() + ")"
	switch s.Kind {
	case KindWeekly:
		return fmt.Sprintf("Weekly on %s at %s%s", time.Weekday(s.Weekday), s.Time, zone)
	case KindMonthly:
		d := fmt.Sprintf("Monthly on day %d at %s%s", s.MonthDay, s.Time, zone)
		if s.MonthDay > 28 {
			d += ", or the last day in shorter months"
		}
		return d
	default:
		return fmt.Sprintf("Daily at %s%s", s.Time, zone)
	}
}

func validKind(k string) string {
	switch k {
	case KindDaily, KindWeekly, KindMonthly:
		return ""
	}
	return "Choose daily, weekly or monthly."
}

func validWeekday(n int) string {
	if n < 0 || n > 6 {
		return "Choose a day from Sunday to Saturday."
	}
	return ""
}

func validMonthDay(n int) string {
	if n < 1 || n > 31 {
		return "Choose a day from 1 to 31 (a day the month does not have means its last day)."
	}
	return ""
}

// parseClock reads "HH:MM" (or "H:MM") on a 24-hour clock.
func parseClock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(strings.TrimSpace(s), ":")
	if !found || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || hs[0] == '+' || hs[0] == '-' || ms[0] == '+' || ms[0] == '-' ||
		h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

func normalizeClock(s string) (string, bool) {
	h, m, ok := parseClock(s)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", h, m), true
}
