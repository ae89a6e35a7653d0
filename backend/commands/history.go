package commands

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/syncer"
)

func init() {
	cli.Register(cli.Command{
		Name:    "history",
		Usage:   "[--json | --csv] [--run ID] [--addition ID] [--search TEXT] [--limit N]",
		Summary: "list recorded syncs and their changes; --csv writes every change (one row each) to standard output",
		Run:     runHistory,
	})
}

// historyRun is one run of `history --json`, in the command line's snake_case, with the
// recorded states (history keeps skipped, interrupted… as they were).
type historyRun struct {
	RunID      int64                 `json:"run_id"`
	StartedAt  string                `json:"started_at"`
	FinishedAt string                `json:"finished_at"`
	Trigger    string                `json:"trigger"`
	Actor      string                `json:"actor"`
	DryRun     bool                  `json:"dry_run"`
	Status     string                `json:"status"`
	Message    string                `json:"message"`
	Changes    []historyChangeOutput `json:"changes"`
}

type historyChangeOutput struct {
	syncChangeOutput
	Basis     string `json:"basis"`
	RequestID string `json:"request_id,omitempty"`
}

func runHistory(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("history", env)
	asJSON := fs.Bool("json", false, "print JSON: runs with their changes")
	asCSV := fs.Bool("csv", false, "print every change as CSV")
	runID := fs.Int64("run", 0, "only this sync")
	additionID := fs.Int64("addition", 0, "only this addition (its timeline)")
	search := fs.String("search", "", "only runs and changes matching this text")
	limit := fs.Int("limit", 20, "how many syncs to list (newest first; not for --csv)")
	if code, ok := parseFlags(fs, "history", inv.Args, env); !ok {
		return code
	}
	if *asJSON && *asCSV {
		return cli.Fail(env, "history: choose --json or --csv, not both")
	}
	if *limit <= 0 {
		return cli.Fail(env, "history: --limit must be 1 or more")
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	ctx, inst := c.ctx, c.inst
	h := syncer.NewHistory(inst.Store)
	q := syncer.ChangeQuery{RunID: *runID, AdditionID: *additionID, Search: *search}
	if *asCSV {
		if _, err := h.WriteCSV(ctx, env.Stdout, q); err != nil {
			return cli.Fail(env, "%v", err)
		}
		return cli.ExitOK
	}
	var runs []syncer.Run
	var err error
	switch {
	case *runID != 0:
		var r syncer.Run
		r, err = h.GetRun(ctx, *runID)
		runs = []syncer.Run{r}
	case *additionID != 0:
		runs, err = runsOfAddition(ctx, h, *additionID, *limit)
	default:
		runs, err = h.Runs(ctx, syncer.RunQuery{Search: *search, Limit: *limit})
	}
	if err != nil {
		return cli.Fail(env, "%v", err)
	}
	if *asJSON {
		out := []historyRun{}
		for _, r := range runs {
			cq := q
			cq.RunID = r.ID
			changes, err := h.Changes(ctx, cq)
			if err != nil {
				return cli.Fail(env, "%v", err)
			}
			out = append(out, historyJSON(r, changes))
		}
		if err := printJSON(env.Stdout, out); err != nil {
			return cli.Fail(env, "%v", err)
		}
		return cli.ExitOK
	}
	if *runID != 0 || *additionID != 0 {
		changes, err := h.Changes(ctx, q)
		if err != nil {
			return cli.Fail(env, "%v", err)
		}
		printChanges(env.Stdout, changes)
		return cli.ExitOK
	}
	printRuns(env.Stdout, runs)
	return cli.ExitOK
}

// runsOfAddition lists the runs that planned an addition, newest first.
func runsOfAddition(ctx context.Context, h *syncer.History, additionID int64, limit int) ([]syncer.Run, error) {
	changes, err := h.Timeline(ctx, additionID)
	if err != nil {
		return nil, err
	}
	var runs []syncer.Run
	for _, c := range changes {
		if len(runs) == limit {
			break
		}
		r, err := h.GetRun(ctx, c.RunID)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

func historyJSON(r syncer.Run, changes []syncer.Change) historyRun {
	out := historyRun{RunID: r.ID, StartedAt: rfc3339(&r.StartedAt), FinishedAt: rfc3339(r.FinishedAt),
		Trigger: string(r.Trigger), Actor: r.Actor, DryRun: r.DryRun, Status: r.Status, Message: r.Message,
		Changes: []historyChangeOutput{}}
	for _, c := range changes {
		out.Changes = append(out.Changes, historyChangeOutput{syncChangeOutput: syncChangeOutput{AdditionID: c.AdditionID,
			AgreementID: c.AgreementID, CompanyID: c.CompanyID, Product: c.Product, Sites: c.SiteIDs(), Before: c.Before,
			After: c.After, State: c.State, Message: c.Text()}, Basis: c.Basis, RequestID: c.RequestID})
	}
	return out
}

func rfc3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

func printRuns(w io.Writer, runs []syncer.Run) {
	if len(runs) == 0 {
		fmt.Fprintln(w, "No syncs yet: run `cwm-webroot sync --dry-run` to see what a sync would change.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTARTED\tTRIGGER\tSTATUS\tAPPLIED\tHELD\tBLOCKED\tFAILED\tUNCHANGED\tBY")
	for _, r := range runs {
		c := r.Counts
		status := r.Status
		if r.DryRun {
			status += " (dry run)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", r.ID, r.StartedAt.Local().Format("2006-01-02 15:04"),
			r.Trigger, status, c.Applied+c.Planned, c.Held, c.Blocked, c.Failed+c.Errors+c.Interrupted, c.Unchanged, r.Actor)
	}
	tw.Flush()
}

func printChanges(w io.Writer, changes []syncer.Change) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTATE\tCOMPANY\tADDITION\tPRODUCT\tBEFORE → AFTER\tMESSAGE")
	for _, c := range changes {
		before := "?"
		if c.Before != nil {
			before = fmt.Sprint(*c.Before)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s → %d\t%s\n", c.RunID, c.State, orID(c.CompanyName, c.CompanyID),
			c.AdditionID, c.Product, before, c.After, strings.TrimSpace(c.Text()))
	}
	tw.Flush()
}
