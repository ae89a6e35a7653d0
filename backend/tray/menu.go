// Package tray is the app's icon in the system tray (the menu bar on macOS): a state icon,
// and a menu to open the window, sync now, pause the schedule, see the last result and
// what waits for review, and quit. The menu's content is computed by plain Go (render) so
// it is tested without a tray; the systray glue only copies titles and flags.
package tray

import (
	"fmt"
	"time"

	"cwm-webroot/backend/buildinfo"
)

// State is what the icon shows.
type State string

const (
	StateIdle      State = "idle"
	StateSyncing   State = "syncing"
	StateAttention State = "attention"
)

// LastRun is the latest finished sync.
type LastRun struct {
	At time.Time
	// Outcome is the run's result in words: "succeeded", "partly failed", "failed",
	// "no changes", "needs review".
	Outcome string
	// Failed says the outcome needs attention (failed or partly failed).
	Failed bool
}

// Status is everything the tray shows.
type Status struct {
	Syncing bool
	// Progress says how far a running sync is, e.g. "12 of 40 changes applied".
	Progress string
	Last     *LastRun // nil before the first sync
	// Held is how many changes of the latest run wait for review.
	Held int
	// ScheduleOn: a schedule is set; Paused: the user paused it from the tray.
	ScheduleOn bool
	Paused     bool
	NextRun    *time.Time
	// Problem is why the user should open the app, e.g. "Webroot rejected the credentials".
	Problem string
	// Location is the company's Primary Time Zone, in which times are shown.
	Location *time.Location
	// QuitPending: the user chose "Quit when the sync finishes".
	QuitPending bool
}

// line is one menu entry's look.
type line struct {
	Title   string
	Visible bool
	Enabled bool
}

// view is the whole tray: icon, tooltip and every menu entry.
type view struct {
	Icon    State
	Tooltip string
	Open    line
	Problem line
	SyncNow line
	Pause   line
	Last    line
	Next    line
	Held    line
	Quit    line
}

func render(s Status, now time.Time) view {
	loc := s.Location
	if loc == nil {
		loc = time.Local
	}
	v := view{
		Icon:    StateIdle,
		Open:    line{Title: "Open " + buildinfo.ProductName, Visible: true, Enabled: true},
		SyncNow: line{Title: "Sync now", Visible: true, Enabled: true},
		Quit:    line{Title: "Quit", Visible: true, Enabled: true},
		Last:    line{Title: "Last sync: never", Visible: true},
	}
	summary := ""
	if s.Last != nil {
		v.Last.Title = fmt.Sprintf("Last sync: %s, %s", when(s.Last.At, now, loc), s.Last.Outcome)
		summary = fmt.Sprintf("last sync %s, %s", when(s.Last.At, now, loc), s.Last.Outcome)
	}
	if s.ScheduleOn {
		v.Pause = line{Title: "Pause schedule", Visible: true, Enabled: true}
		v.Next = line{Title: "Next sync: not planned", Visible: true}
		if s.Paused {
			v.Pause.Title = "Resume schedule"
			v.Next.Title = "Schedule paused"
		} else if s.NextRun != nil {
			v.Next.Title = "Next sync: " + when(*s.NextRun, now, loc)
		}
	}
	if s.Held > 0 {
		v.Held = line{Title: plural(s.Held, "change") + " awaiting review", Visible: true, Enabled: true}
		summary = v.Held.Title
		v.Icon = StateAttention
	}
	if s.Last != nil && s.Last.Failed {
		v.Icon = StateAttention
	}
	if s.Problem != "" {
		v.Problem = line{Title: "⚠ " + s.Problem, Visible: true, Enabled: true}
		summary = s.Problem
		v.Icon = StateAttention
	}
	if s.Syncing {
		v.Icon = StateSyncing
		v.SyncNow = line{Title: "Syncing…", Visible: true}
		if s.Progress != "" {
			v.SyncNow.Title = "Syncing… " + s.Progress
		}
		summary = "syncing"
		if s.QuitPending {
			v.Quit.Title = "Quit now (quitting when the sync finishes)"
			summary = "syncing, then quitting"
		}
	}
	v.Tooltip = buildinfo.ProductName
	if summary != "" {
		v.Tooltip += ": " + summary
	}
	return v
}

// when says a time the way a person would: "today 06:00", "yesterday 18:30",
// "tomorrow 06:00", "Mon 7 Dec 06:00", with the year only when it is not this year's.
func when(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	clock := t.Format("15:04")
	ty, tm, td := t.Date()
	day := time.Date(ty, tm, td, 0, 0, 0, 0, loc)
	ny, nm, nd := now.Date()
	today := time.Date(ny, nm, nd, 0, 0, 0, 0, loc)
	switch {
	case day.Equal(today):
		return "today " + clock
	case day.Equal(today.AddDate(0, 0, -1)):
		return "yesterday " + clock
	case day.Equal(today.AddDate(0, 0, 1)):
		return "tomorrow " + clock
	case ty == ny:
		return t.Format("Mon 2 Jan 15:04")
	}
	return t.Format("2 Jan 2006 15:04")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
