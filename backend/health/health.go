// Package health is the installation's state at a glance, from what is saved only (no
// network call): the connections, the last real sync, the next scheduled one and the
// "Needs attention" list. The status command prints it for people and RMM monitors; a
// diagnostics report includes it.
package health

import (
	"context"
	"time"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/attention"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/notify"
	"cwm-webroot/backend/scheduler"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/webrootconn"
)

// Status is the installation's health at a glance, for people and for RMM monitors.
type Status struct {
	Manage    ConnectionStatus `json:"manage"`
	Webroot   ConnectionStatus `json:"webroot"`
	LastSync  *LastSync        `json:"last_sync"` // null before the first real sync
	Schedule  ScheduleStatus   `json:"schedule"`
	Attention []attention.Item `json:"attention"`
}

// ConnectionStatus is one connection's state in a line.
type ConnectionStatus struct {
	State   string `json:"state"` // not_configured, untested, connected, failing
	Summary string `json:"summary"`
}

// LastSync is the newest finished sync that was not a dry run.
type LastSync struct {
	RunID      int64     `json:"run_id"`
	Status     string    `json:"status"`
	Outcome    string    `json:"outcome"`
	Trigger    string    `json:"trigger"`
	FinishedAt time.Time `json:"finished_at"`
	Applied    int       `json:"applied"`
	Failed     int       `json:"failed"`
	Held       int       `json:"held"`
}

// ScheduleStatus is the sync schedule and its next run (null when off or paused).
type ScheduleStatus struct {
	Enabled     bool       `json:"enabled"`
	Paused      bool       `json:"paused"`
	Description string     `json:"description"`
	NextRun     *time.Time `json:"next_run"`
}

// Read gathers the status from the saved state only: it makes no network call, so a
// monitor may run it often.
func Read(ctx context.Context, inst *install.Installation, now time.Time) (Status, *time.Location, error) {
	var out Status
	loc := account.New(inst.Store, nil, nil).Location(ctx)
	ms, err := manageconn.New(inst.Store, inst.Secrets, manageconn.Options{}).Status(ctx)
	if err != nil {
		return out, loc, err
	}
	ws, err := webrootconn.New(inst.Store, inst.Secrets, webrootconn.Options{}).Status(ctx)
	if err != nil {
		return out, loc, err
	}
	out.Manage = ConnectionStatus{State: ms.State, Summary: ms.Summary}
	out.Webroot = ConnectionStatus{State: ws.State, Summary: ws.Summary}

	if r, ok, err := syncer.NewHistory(inst.Store).LastRealRun(ctx); err != nil {
		return out, loc, err
	} else if ok {
		out.LastSync = &LastSync{RunID: r.ID, Status: r.Status, Outcome: r.Outcome(), Trigger: string(r.Trigger),
			FinishedAt: r.FinishedAt.UTC(), Applied: r.Counts.Applied, Failed: r.Counts.Failed, Held: r.Counts.Held}
	}

	sc, err := scheduler.LoadSchedule(ctx, inst.Store)
	if err != nil {
		return out, loc, err
	}
	out.Schedule = ScheduleStatus{Enabled: sc.Enabled, Paused: sc.Paused, Description: scheduler.Describe(sc, loc)}
	if sc.Enabled && !sc.Paused {
		next := scheduler.Next(sc, now, loc).UTC()
		out.Schedule.NextRun = &next
	}

	prefs, err := notify.LoadPreferences(ctx, inst.Store)
	if err != nil {
		return out, loc, err
	}
	stale := time.Duration(0)
	if prefs.StaleSync {
		stale = time.Duration(prefs.StaleDays) * 24 * time.Hour
	}
	out.Attention, err = attention.List(ctx, attention.Sources{Store: inst.Store, Secrets: inst.Secrets,
		Now: func() time.Time { return now }, StaleAfter: stale})
	return out, loc, err
}
