package commands

import (
	"fmt"
	"text/tabwriter"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/activity"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/store"
)

func init() {
	cli.Register(cli.Command{
		Name:    "activity",
		Usage:   "[--json | --csv] [--search TEXT] [--limit N]",
		Summary: "the activity log: who changed mappings, connections, settings and held changes, and when",
		Run:     runActivity,
	})
}

func runActivity(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("activity", env)
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print every matching entry as CSV (at,actor,action,label,detail)")
	search := fs.String("search", "", "only entries whose actor, action or detail contains this text")
	limit := fs.Int("limit", 50, "how many entries to list, newest first (not for --csv)")
	if code, ok := parseFlags(fs, "activity", inv.Args, env); !ok {
		return code
	}
	if *asJSON && *asCSV {
		return cli.Fail(env, "activity: choose --json or --csv, not both")
	}
	if *limit <= 0 {
		return cli.Fail(env, "activity: --limit must be 1 or more")
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	if *asCSV {
		if _, err := activity.WriteCSV(c.ctx, c.inst.Store, *search, 0, env.Stdout); err != nil {
			return cli.Fail(env, "%v", err)
		}
		return cli.ExitOK
	}
	page, err := activity.List(c.ctx, c.inst.Store, store.AuditQuery{Search: *search, Limit: *limit})
	if err != nil {
		return cli.Fail(env, "%v", err)
	}
	if *asJSON {
		if page.Entries == nil {
			page.Entries = []activity.Entry{}
		}
		if err := printJSON(env.Stdout, page.Entries); err != nil {
			return cli.Fail(env, "%v", err)
		}
		return cli.ExitOK
	}
	if len(page.Entries) == 0 {
		fmt.Fprintln(env.Stdout, "No activity recorded.")
		return cli.ExitOK
	}
	loc := account.New(c.inst.Store, nil, nil).Location(c.ctx)
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tWHO\tWHAT\tDETAIL")
	for _, e := range page.Entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.At.In(loc).Format("2006-01-02 15:04"), e.Actor, e.Label, e.Detail)
	}
	tw.Flush()
	if page.More {
		fmt.Fprintf(env.Stdout, "Older entries exist: raise --limit or use --csv for all of them.\n")
	}
	return cli.ExitOK
}
