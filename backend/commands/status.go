package commands

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"cwm-webroot/backend/attention"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/health"
	"cwm-webroot/backend/manageconn"
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
	st, loc, err := health.Read(c.ctx, c.inst, time.Now())
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

func printStatus(w io.Writer, st health.Status, loc *time.Location) {
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
