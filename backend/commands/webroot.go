package commands

import (
	"context"
	"errors"
	"fmt"
	"os/user"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/webroot"
	"cwm-webroot/backend/webrootconn"
)

// Environment variables the Webroot secrets are read from (never flags: those show in
// process lists).
const (
	envWebrootClientSecret = "WEBROOT_CLIENT_SECRET"
	envWebrootPassword     = "WEBROOT_PASSWORD"
)

// webrootFlags names, for each form label, where the command line takes the value from.
var webrootFlags = map[string]string{
	webroot.FieldSite:         "--site",
	webroot.FieldScope:        "--scope",
	webroot.FieldClientID:     "--client-id",
	webroot.FieldClientSecret: envWebrootClientSecret,
	webroot.FieldGSMKey:       "--gsm-key",
	webroot.FieldUsername:     "--username",
	webroot.FieldPassword:     envWebrootPassword,
}

func init() {
	connectTargets["webroot"] = connectTarget{
		Usage: "--client-id I --gsm-key K --username U [--site S] [--scope S] [--json]   (secrets: " +
			envWebrootClientSecret + " and " + envWebrootPassword + "; a saved one is kept when unset)",
		Run: runConnectWebroot,
	}
	cli.Register(cli.Command{
		Name:    "sites",
		Usage:   "[--json] [--cached]",
		Summary: "refresh and list the GSM sites with their counts on every basis (--cached: no network)",
		Run:     runSites,
	})
	// After ConnectWise's tester (manage.go sorts before this file, and init functions run
	// in file-name order): the app asks users to configure ConnectWise first.
	connectionTesters = append(connectionTesters, testWebrootConnection)
}

// cliActor names the command line and the OS user in the audit log.
func cliActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "command line (" + u.Username + ")"
	}
	return "command line"
}

func runConnectWebroot(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("connect webroot", env)
	var in webrootconn.ConfigInput
	fs.StringVar(&in.ClientID, "client-id", "", "Client ID (Settings → API Access in the GSM console)")
	fs.StringVar(&in.GSMKey, "gsm-key", "", "GSM Parent Key (Settings → Account Information → Parent Keycode)")
	fs.StringVar(&in.Username, "username", "", "Super Admin: the console sign-in email")
	fs.StringVar(&in.Site, "site", webroot.DefaultSite, "Site: the Unity API host")
	fs.StringVar(&in.Scope, "scope", webroot.DefaultScope, "API Scope")
	asJSON := fs.Bool("json", false, "print the test result as JSON")
	if err := fs.Parse(inv.Args); err != nil {
		return cli.ExitUsage
	}
	if fs.NArg() > 0 {
		return cli.Fail(env, "connect webroot: unexpected argument %q (secrets come from %s and %s, not arguments)",
			fs.Arg(0), envWebrootClientSecret, envWebrootPassword)
	}
	in.ClientSecret = env.Getenv(envWebrootClientSecret)
	in.Password = env.Getenv(envWebrootPassword)

	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	ctx, inst := c.ctx, c.inst
	svc := webrootconn.New(inst.Store, inst.Secrets, webrootconn.Options{})

	saved, err := svc.Save(ctx, cliActor(), in)
	if err != nil {
		return printWebrootError(env, "the Webroot settings were not saved", err)
	}
	for _, kept := range []struct {
		value, label, envVar string
	}{{in.ClientSecret, webroot.FieldClientSecret, envWebrootClientSecret}, {in.Password, webroot.FieldPassword, envWebrootPassword}} {
		if kept.value == "" {
			fmt.Fprintf(env.Stderr, "cwm-webroot: %s not set: keeping the %s saved in the keychain\n", kept.envVar, kept.label)
		}
	}
	if !*asJSON {
		if len(saved.Changed) == 0 {
			fmt.Fprintln(env.Stdout, "Webroot settings unchanged; testing them.")
		} else {
			fmt.Fprintf(env.Stdout, "Webroot settings saved (%s); testing them.\n", strings.Join(saved.Changed, ", "))
		}
	}

	out, err := svc.Test(ctx)
	if err != nil {
		return printWebrootError(env, "the Webroot connection could not be tested", err)
	}
	if *asJSON {
		if err := printJSON(env.Stdout, out); err != nil {
			return cli.Fail(env, "%v", err)
		}
	} else {
		printSteps(env, out.Steps)
	}
	if !out.OK {
		fmt.Fprintf(env.Stderr, "cwm-webroot: the Webroot connection test failed (the settings are saved): %s\n", out.Summary)
		return cli.ExitConnection
	}
	if !*asJSON {
		fmt.Fprintf(env.Stdout, "%s: %s, %s.\n", out.Summary, countOf(out.SiteCount, "site"), countOf(out.TotalSeats, "seat"))
	}
	return cli.ExitOK
}

func printSteps(env cli.Env, steps []webrootconn.Step) {
	for _, s := range steps {
		mark := map[string]string{webrootconn.StepOK: "ok  ", webrootconn.StepWarning: "warn", webrootconn.StepFailed: "FAIL",
			webrootconn.StepSkipped: "skip"}[s.Status]
		fmt.Fprintf(env.Stdout, "  %s %s: %s\n", mark, s.Title, s.Message)
	}
}

// printWebrootError prints an error with each bad field named by its label and the flag or
// environment variable it comes from, and returns the exit code: 3 when Webroot (or the way
// to it) failed, 2 otherwise.
func printWebrootError(env cli.Env, what string, err error) int {
	var v *apperr.Validation
	var fe apperr.FieldError
	switch {
	case errors.As(err, &v):
		fmt.Fprintf(env.Stderr, "cwm-webroot: %s:\n", what)
		for _, f := range v.Fields {
			fmt.Fprintf(env.Stderr, "  %s (%s): %s\n", f.Field, webrootFlags[f.Field], f.Message)
		}
		return cli.ExitUsage
	case errors.As(err, &fe):
		fmt.Fprintf(env.Stderr, "cwm-webroot: %s: %s (%s) %s\n", what, fe.Field, webrootFlags[fe.Field], fe.Message)
		return cli.ExitUsage
	case errors.Is(err, webrootconn.ErrNotConfigured):
		fmt.Fprintf(env.Stderr, "cwm-webroot: %s: Webroot is not configured: run `cwm-webroot connect webroot --client-id I --gsm-key K --username U` first\n", what)
		return cli.ExitUsage
	case webrootconn.IsConnectionFailure(err):
		fmt.Fprintf(env.Stderr, "cwm-webroot: %s: %s\n", what, webrootconn.UserMessage(err))
		return cli.ExitConnection
	}
	fmt.Fprintf(env.Stderr, "cwm-webroot: %s: %s\n", what, webrootconn.UserMessage(err))
	return cli.ExitUsage
}

func testWebrootConnection(ctx context.Context, inst *install.Installation) ConnectionCheck {
	c := ConnectionCheck{Connection: "webroot", Configured: true, Steps: []Step{}}
	svc := webrootconn.New(inst.Store, inst.Secrets, webrootconn.Options{})
	out, err := svc.Test(ctx)
	switch {
	case errors.Is(err, webrootconn.ErrNotConfigured):
		c.Configured = false
		c.Summary = "not configured: run `cwm-webroot connect webroot --client-id I --gsm-key K --username U`"
		return c
	case err != nil:
		var fe apperr.FieldError
		if errors.As(err, &fe) {
			c.Summary = fmt.Sprintf("%s %s (set %s and run `cwm-webroot connect webroot …`)", fe.Field, fe.Message, webrootFlags[fe.Field])
		} else {
			c.Summary = webrootconn.UserMessage(err)
		}
		return c
	}
	c.OK = out.OK
	c.Summary = out.Summary
	if out.OK {
		c.Summary = fmt.Sprintf("%s: %s, %s", out.Summary, countOf(out.SiteCount, "site"), countOf(out.TotalSeats, "seat"))
	}
	for _, s := range out.Steps {
		c.Steps = append(c.Steps, Step{Name: s.Title, OK: s.Status == webrootconn.StepOK || s.Status == webrootconn.StepWarning, Message: s.Message})
	}
	return c
}

// ---- sites ----------------------------------------------------------------------------------

// sitesJSON is `sites --json`: snake_case like the rest of the command line's JSON.
type sitesJSON struct {
	RefreshedAt       *time.Time      `json:"refreshed_at"`
	TotalSeatsAllowed int             `json:"total_seats_allowed"`
	Bases             []basisJSON     `json:"bases"`
	Sites             []siteJSON      `json:"sites"`
	Warnings          []string        `json:"warnings,omitempty"`
	Refresh           *refreshSummary `json:"refresh,omitempty"`
}

type refreshSummary struct {
	NewSites     int `json:"new_sites"`
	RemovedSites int `json:"removed_sites"`
}

type basisJSON struct {
	Basis            string `json:"basis"`
	Product          string `json:"product"`
	Label            string `json:"label"`
	Default          bool   `json:"default"`
	ReportDate       string `json:"report_date,omitempty"`
	FellBackToLatest bool   `json:"fell_back_to_latest,omitempty"`
}

type siteJSON struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	KeyCode        string            `json:"key_code"`
	Comments       string            `json:"comments"`
	DevicesAllowed int               `json:"devices_allowed"`
	TotalEndpoints int               `json:"total_endpoints"`
	Suspended      bool              `json:"suspended"`
	Deactivated    bool              `json:"deactivated"`
	Modules        []string          `json:"modules"`
	FirstSeenAt    time.Time         `json:"first_seen_at"`
	New            bool              `json:"new"`
	OverSeatLimit  bool              `json:"over_seat_limit"`
	Counts         map[string]int    `json:"counts"`
	Missing        []string          `json:"missing"`
	Errors         map[string]string `json:"errors"`
}

// basisColumns are the table's short headings, in AllBases order.
var basisColumns = map[webroot.Basis]string{
	webroot.BasisActiveWithoutHidden: "EP ACTIVE",
	webroot.BasisActive:              "EP +HIDDEN",
	webroot.BasisSeen30d:             "EP 30D",
	webroot.BasisNotDeactivated:      "EP LIVE",
	webroot.BasisDevicesSeen:         "DNS",
	webroot.BasisDevicesSeen30d:      "DNS 30D",
	webroot.BasisUsersSeen:           "WSAT",
	webroot.BasisUsersSeen30d:        "WSAT 30D",
}

func runSites(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("sites", env)
	asJSON := fs.Bool("json", false, "print JSON")
	cached := fs.Bool("cached", false, "print the sites cached by the last refresh, without contacting Webroot")
	if code, ok := parseFlags(fs, "sites", inv.Args, env); !ok {
		return code
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	ctx, inst := c.ctx, c.inst
	svc := webrootconn.New(inst.Store, inst.Secrets, webrootconn.Options{})

	var refreshed *webrootconn.RefreshOutcome
	if !*cached {
		out, err := svc.Refresh(ctx)
		if err != nil {
			return printWebrootError(env, "the GSM sites could not be read", err)
		}
		refreshed = &out
	}
	list, err := svc.Sites(ctx)
	if err != nil {
		return cli.Fail(env, "%v", err)
	}
	if list.RefreshedAt == nil {
		return cli.Fail(env, "no GSM sites are cached yet: run `cwm-webroot sites` without --cached")
	}
	if *asJSON {
		return printSitesJSON(env, list, refreshed)
	}
	printSitesTable(env, list, refreshed)
	return cli.ExitOK
}

func printSitesJSON(env cli.Env, list webrootconn.SiteList, refreshed *webrootconn.RefreshOutcome) int {
	out := sitesJSON{RefreshedAt: list.RefreshedAt, TotalSeatsAllowed: list.TotalSeatsAllowed, Bases: []basisJSON{}, Sites: []siteJSON{}}
	for _, b := range list.Bases {
		out.Bases = append(out.Bases, basisJSON{Basis: b.Basis, Product: b.Product, Label: b.Label, Default: b.Default,
			ReportDate: b.ReportDate, FellBackToLatest: b.FellBackToLatest})
	}
	for _, s := range list.Sites {
		out.Sites = append(out.Sites, siteJSON{ID: s.ID, Name: s.Name, KeyCode: s.KeyCode, Comments: s.Comments,
			DevicesAllowed: s.DevicesAllowed, TotalEndpoints: s.TotalEndpoints, Suspended: s.Suspended, Deactivated: s.Deactivated,
			Modules: s.Modules, FirstSeenAt: s.FirstSeenAt, New: s.New, OverSeatLimit: s.OverSeatLimit, Counts: s.Counts,
			Missing: s.Missing, Errors: s.Errors})
	}
	if refreshed != nil {
		out.Warnings = refreshed.Warnings
		out.Refresh = &refreshSummary{NewSites: refreshed.NewSites, RemovedSites: refreshed.RemovedSites}
	}
	if err := printJSON(env.Stdout, out); err != nil {
		return cli.Fail(env, "%v", err)
	}
	return cli.ExitOK
}

func printSitesTable(env cli.Env, list webrootconn.SiteList, refreshed *webrootconn.RefreshOutcome) {
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	bases := webroot.AllBases()
	head := []string{"SITE", "SEATS"}
	for _, b := range bases {
		head = append(head, basisColumns[b])
	}
	fmt.Fprintln(tw, strings.Join(append(head, "NOTES"), "\t"))
	for _, s := range list.Sites {
		row := []string{s.Name, fmt.Sprint(s.DevicesAllowed)}
		for _, b := range bases {
			row = append(row, countCell(s, b))
		}
		fmt.Fprintln(tw, strings.Join(append(row, siteNotes(s)), "\t"))
	}
	tw.Flush()

	fmt.Fprintf(env.Stdout, "\n%s, refreshed %s", countOf(len(list.Sites), "site"), list.RefreshedAt.Local().Format("2006-01-02 15:04 MST"))
	if refreshed != nil && (refreshed.NewSites > 0 || refreshed.RemovedSites > 0) {
		fmt.Fprintf(env.Stdout, " (%d new, %d removed since the previous refresh)", refreshed.NewSites, refreshed.RemovedSites)
	}
	fmt.Fprintln(env.Stdout, ".")
	fmt.Fprintln(env.Stdout, "Columns:")
	for _, b := range list.Bases {
		date := "live count"
		if b.ReportDate != "" {
			date = "report of " + b.ReportDate
			if b.FellBackToLatest {
				date += ", the latest available"
			}
		}
		def := ""
		if b.Default {
			def = ", the default"
		}
		fmt.Fprintf(env.Stdout, "  %-11s %s — %s (%s%s)\n", basisColumns[webroot.Basis(b.Basis)], b.ProductLabel, b.Label, date, def)
	}
	fmt.Fprintln(env.Stdout, "  \"-\" the site does not have the product; \"0?\" the report had no figure for the site (counted 0); \"err\" the count failed.")
	if refreshed != nil {
		for _, w := range refreshed.Warnings {
			fmt.Fprintln(env.Stdout, "Note: "+w)
		}
	}
}

func countCell(s webrootconn.Site, b webroot.Basis) string {
	n, read := s.Counts[string(b)]
	_, failed := s.Errors[string(b)]
	switch {
	case failed:
		return "err"
	case !read || !s.HasProduct(b.Product()):
		return "-"
	case slices.Contains(s.Missing, string(b)):
		return "0?"
	}
	return fmt.Sprint(n)
}

func siteNotes(s webrootconn.Site) string {
	var notes []string
	if s.New {
		notes = append(notes, "new")
	}
	if s.Suspended {
		notes = append(notes, "suspended")
	}
	if s.Deactivated {
		notes = append(notes, "deactivated")
	}
	if s.OverSeatLimit {
		notes = append(notes, fmt.Sprintf("over seat limit (%d devices)", s.TotalEndpoints))
	}
	return strings.Join(notes, ", ")
}

func countOf(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
