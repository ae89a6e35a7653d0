package commands

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/attention"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/notify"
	"cwm-webroot/backend/scheduler"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/webrootconn"
)

func init() {
	cli.Register(cli.Command{
		Name:    "status",
		Usage:   "[--json]",
		Summary: "connections, last sync, next scheduled sync and what needs attention (exit 3 when a connection fails)",
		Run:     runStatus,
	})
}

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

func runStatus(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("status", env)
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parseFlags(fs, "status", inv.Args, env); !ok {
		return code
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	st, loc, err := readStatus(c.ctx, c.inst, time.Now())
	if err != nil {
		return cli.Fail(env, "%v", err)
	}
	if *asJSON {
		if err := printJSON(env.Stdout, st); err != nil {
			return cli.Fail(env, "%v", err)
		}
	} else {
		printStatus(env.Stdout, st, loc)
	}
	if st.Manage.State == manageconn.StateFailing || st.Webroot.State == webrootconn.StateFailing {
		return cli.ExitConnection
	}
	return cli.ExitOK
}

// readStatus gathers the status from the saved state only: it makes no network call, so a
// monitor may run it often.
func readStatus(ctx context.Context, inst *install.Installation, now time.Time) (Status, *time.Location, error) {
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

func printStatus(w io.Writer, st Status, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	when := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 MST") }
	fmt.Fprintf(tw, "ConnectWise Manage\t%s\n", st.Manage.Summary)
	fmt.Fprintf(tw, "Webroot\t%s\n", st.Webroot.Summary)
	if l := st.LastSync; l != nil {
		fmt.Fprintf(tw, "Last sync\t#%d %s, %s (%s): %d applied, %d failed, %d awaiting review\n",
			l.RunID, l.Outcome, when(l.FinishedAt), l.Trigger, l.Applied, l.Failed, l.Held)
	} else {
		fmt.Fprintf(tw, "Last sync\tnone yet\n")
	}
	switch {
	case !st.Schedule.Enabled:
		fmt.Fprintf(tw, "Next sync\tno schedule\n")
	case st.Schedule.Paused:
		fmt.Fprintf(tw, "Next sync\tpaused (%s)\n", st.Schedule.Description)
	default:
		fmt.Fprintf(tw, "Next sync\t%s (%s)\n", when(*st.Schedule.NextRun), st.Schedule.Description)
	}
	tw.Flush()
	if len(st.Attention) == 0 {
		fmt.Fprintln(w, "Needs attention: nothing.")
		return
	}
	fmt.Fprintln(w, "Needs attention:")
	for _, it := range st.Attention {
		fmt.Fprintf(w, "  %s %s\n", map[string]string{attention.Problem: "!", attention.Warning: "-"}[it.Severity], it.Title)
		if it.Detail != "" {
			fmt.Fprintf(w, "    %s\n", it.Detail)
		}
	}
}
