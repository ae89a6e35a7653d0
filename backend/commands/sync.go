package commands

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/syncer"
	"cwm-webroot/backend/syncer/synclock"
	"cwm-webroot/backend/webrootconn"
)

func init() {
	cli.Register(cli.Command{
		Name:    "sync",
		Usage:   "[--dry-run] [--include-held] [--json]",
		Summary: "plan and apply quantity changes (held changes only with --include-held; --dry-run applies nothing); exit 1 when a change failed",
		Run:     runSync,
	})
}

// syncOutput is `sync --json` (PRODUCT.md §2.7): exactly these keys.
type syncOutput struct {
	RunID   int64              `json:"run_id"`
	DryRun  bool               `json:"dry_run"`
	Status  string             `json:"status"`
	Changes []syncChangeOutput `json:"changes"`
}

// syncChangeOutput is one mapped addition; After is the planned quantity whatever the
// outcome, Before null when Manage could not tell it.
type syncChangeOutput struct {
	AdditionID  int64    `json:"addition_id"`
	AgreementID int64    `json:"agreement_id"`
	CompanyID   int64    `json:"company_id"`
	Product     string   `json:"product"`
	Sites       []string `json:"sites"`
	Before      *float64 `json:"before"`
	After       int      `json:"after"`
	State       string   `json:"state"`
	Message     string   `json:"message"`
}

// newSyncer is the installation's syncer on its saved connections.
func newSyncer(inst *install.Installation) *syncer.Syncer {
	src := syncer.ConnectionSources(inst.Store, inst.Secrets, manageconn.Options{}, webrootconn.Options{})
	return syncer.New(inst.Store, src, syncer.Options{})
}

func runSync(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("sync", env)
	dryRun := fs.Bool("dry-run", false, "plan only: apply nothing and report changes as planned")
	includeHeld := fs.Bool("include-held", false, "apply changes that need review too (drops to 0, large moves)")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parseFlags(fs, "sync", inv.Args, env); !ok {
		return code
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	ctx, inst := c.ctx, c.inst
	res, err := newSyncer(inst).Sync(ctx, syncer.RunOptions{Trigger: syncer.TriggerCLI, Actor: cliActor(),
		DryRun: *dryRun, IncludeHeld: *includeHeld})
	if res.Run.ID != 0 {
		if *asJSON {
			if perr := printJSON(env.Stdout, syncJSON(res)); perr != nil {
				return cli.Fail(env, "%v", perr)
			}
		} else {
			printSync(env.Stdout, res)
		}
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "cwm-webroot: sync: %s\n", syncErrorText(err))
		return syncErrorCode(err)
	}
	if res.Run.Status == syncer.StatusPartial || res.Run.Status == syncer.StatusFailed {
		return cli.ExitSyncFailed
	}
	return cli.ExitOK
}

// syncErrorCode maps a run that could not be made to the exit codes of PRODUCT.md §2.7.
func syncErrorCode(err error) int {
	switch {
	case errors.Is(err, synclock.ErrBusy):
		return cli.ExitSyncFailed
	case syncer.IsConnectionFailure(err):
		return cli.ExitConnection
	}
	return cli.ExitUsage // not configured, a secret missing, the data folder
}

func syncErrorText(err error) string {
	var ce *syncer.ConnectionError
	if errors.As(err, &ce) {
		return ce.Error()
	}
	if manageconn.IsConnectionFailure(err) {
		return manageconn.UserMessage(err)
	}
	if webrootconn.IsConnectionFailure(err) {
		return webrootconn.UserMessage(err)
	}
	return err.Error()
}

func syncJSON(res syncer.Result) syncOutput {
	out := syncOutput{RunID: res.Run.ID, DryRun: res.Run.DryRun, Status: res.Run.Status, Changes: []syncChangeOutput{}}
	for _, c := range res.Changes {
		out.Changes = append(out.Changes, syncChangeOutput{AdditionID: c.AdditionID, AgreementID: c.AgreementID,
			CompanyID: c.CompanyID, Product: c.Product, Sites: c.SiteIDs(), Before: c.Before, After: c.After,
			State: cliState(c.State), Message: cliMessage(c)})
	}
	return out
}

// cliMessage is a change's reason and outcome; a change a stop left open says so.
func cliMessage(c syncer.Change) string {
	switch c.State {
	case syncer.StateApplying:
		return "Stopped while ConnectWise was applying it: the next sync checks whether it was applied."
	case syncer.StatePending:
		return "Stopped before it was sent: the next sync applies it if it is still needed."
	}
	return c.Text()
}

// cliState folds the recorded states into the six the command line reports (PRODUCT.md
// §2.7): a plan error or an interruption is a failure; a change left open by a stop is one
// too, which the next sync settles.
func cliState(state string) string {
	switch state {
	case syncer.StateApplied, syncer.StateUnchanged, syncer.StateHeld, syncer.StateBlocked, syncer.StatePlanned:
		return state
	case syncer.StateApproved, syncer.StateSkipped:
		return syncer.StateHeld
	}
	return syncer.StateFailed
}

// printSync writes the run's outcome and every addition that is not unchanged.
func printSync(w io.Writer, res syncer.Result) {
	r := res.Run
	kind := "Sync"
	if r.DryRun {
		kind = "Dry run"
	}
	c := r.Counts
	fmt.Fprintf(w, "%s #%d: %s — %d applied, %d planned, %d held, %d blocked, %d failed, %d unchanged.\n",
		kind, r.ID, strings.ReplaceAll(r.Status, "_", " "), c.Applied, c.Planned, c.Held, c.Blocked,
		c.Failed+c.Errors+c.Interrupted+c.Applying+c.Pending, c.Unchanged)
	if r.Message != "" {
		fmt.Fprintln(w, r.Message)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	shown := 0
	for _, ch := range res.Changes {
		if ch.State == syncer.StateUnchanged {
			continue
		}
		if shown == 0 {
			fmt.Fprintln(tw, "STATE\tCOMPANY\tAGREEMENT\tADDITION\tPRODUCT\tBEFORE → AFTER\tMESSAGE")
		}
		shown++
		before := "?"
		if ch.Before != nil {
			before = fmt.Sprint(*ch.Before)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s → %d\t%s\n", cliState(ch.State), orID(ch.CompanyName, ch.CompanyID),
			ch.AgreementID, ch.AdditionID, ch.Product, before, ch.After, cliMessage(ch))
	}
	tw.Flush()
	if c.Held > 0 && !r.DryRun {
		fmt.Fprintln(w, "Changes that need review were held: check them, then run `cwm-webroot sync --include-held` or approve them in the app.")
	}
}

func orID(name string, id int64) string {
	if name == "" {
		return fmt.Sprintf("company %d", id)
	}
	return fmt.Sprintf("%s (%d)", name, id)
}
