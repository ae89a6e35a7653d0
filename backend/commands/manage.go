package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/user"
	"sort"
	"strings"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
	"cwm-webroot/backend/manageconn"
	"cwm-webroot/backend/secrets"
)

// `connect` is shared by the connections: `connect manage …` and `connect webroot …`. Only
// one file may register the command (cli.Register panics on a duplicate), so it is
// registered here, and each connection's file adds its target to connectTargets in its
// init():
//
//	func init() { connectTargets["webroot"] = connectTarget{Usage: "…", Run: runConnectWebroot} }
//
// Files' init functions run in file-name order, and every init runs before main, so the
// map is complete before any command line is dispatched.
type connectTarget struct {
	Usage string // flags after `connect NAME`
	Run   func(inv cli.Invocation, env cli.Env) int
}

var connectTargets = map[string]connectTarget{}

// envManagePrivateKey holds the ConnectWise private key for `connect manage` (never a flag:
// flags show in process lists).
const envManagePrivateKey = "CWM_PRIVATE_KEY"

func init() {
	cli.Register(cli.Command{
		Name:    "connect",
		Usage:   "manage|webroot [flags]",
		Summary: "save a connection's settings (secrets from the environment or stdin), then test it (exit 3 when the test fails)",
		Run:     runConnect,
	})
	connectTargets["manage"] = connectTarget{
		Usage: "--site S --company-id C --username U --public-key K [--client-id G] [--json]   (private key: " + envManagePrivateKey + ", else the first line of stdin; a saved one is kept when neither is given)",
		Run:   runConnectManage,
	}
	// ConnectWise is tested first, as the app asks users to configure it first (this file's
	// init runs before webroot.go's).
	connectionTesters = append(connectionTesters, testManageConnection)
}

func runConnect(inv cli.Invocation, env cli.Env) int {
	names := make([]string, 0, len(connectTargets))
	for n := range connectTargets {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(inv.Args) == 0 {
		return connectUsage(env, names, "connect: name the connection: "+strings.Join(names, " or "))
	}
	t, ok := connectTargets[inv.Args[0]]
	if !ok {
		return connectUsage(env, names, fmt.Sprintf("connect: unknown connection %q: use %s", inv.Args[0], strings.Join(names, " or ")))
	}
	sub := inv
	sub.Args = inv.Args[1:]
	return t.Run(sub, env)
}

func connectUsage(env cli.Env, names []string, msg string) int {
	fmt.Fprintf(env.Stderr, "cwm-webroot: %s\n\nUsage:\n", msg)
	for _, n := range names {
		fmt.Fprintf(env.Stderr, "  cwm-webroot connect %s %s\n", n, connectTargets[n].Usage)
	}
	return cli.ExitUsage
}

// manageService is the ConnectWise connection of an opened installation, for one command.
func manageService(inst *install.Installation) *manageconn.Service {
	return manageconn.New(inst.Store, inst.Secrets, manageconn.Options{})
}

// manageActor names the command line and the OS user in the audit log.
func manageActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "command line (" + u.Username + ")"
	}
	return "command line"
}

// runConnectManage saves the ConnectWise settings (the private key to the keychain), tests
// them and, when the test passes, fills the cache the mapping pickers use. A failed test
// leaves the settings saved and exits 3 with the reason.
func runConnectManage(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("connect manage", env)
	var in manageconn.ConfigInput
	fs.StringVar(&in.Site, "site", "", "Site: the Manage host (na.myconnectwise.net) or URL")
	fs.StringVar(&in.CompanyID, "company-id", "", "Company ID: the one typed on the Manage login screen")
	fs.StringVar(&in.Username, "username", "", "Username of the API member")
	fs.StringVar(&in.PublicKey, "public-key", "", "Public Key of the API member")
	fs.StringVar(&in.ClientID, "client-id", "", "Client ID (clientId GUID); default: the app's own")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(inv.Args); err != nil {
		return cli.ExitUsage
	}
	if fs.NArg() > 0 {
		return cli.Fail(env, "connect manage: unexpected argument %q (the private key is read from CWM_PRIVATE_KEY or standard input, never from the command line)", fs.Arg(0))
	}
	key := env.Getenv(envManagePrivateKey)
	if key == "" {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return cli.Fail(env, "reading the ConnectWise private key from standard input: %v", err)
		}
		key = strings.TrimSpace(line)
	}
	in.PrivateKey = key
	inst, err := openInstallation(inv)
	if err != nil {
		return cli.Fail(env, "%v", err)
	}
	defer inst.Close()
	if key == "" {
		// Nothing typed: keep the key saved in the keychain, if there is one.
		saved, err := inst.Secrets.Has(secrets.ManagePrivateKey)
		if err != nil {
			return cli.Fail(env, "%v", err)
		}
		if !saved {
			return cli.Fail(env, "the ConnectWise private key is required: set %s or write it as the first line of standard input", envManagePrivateKey)
		}
		fmt.Fprintf(env.Stderr, "cwm-webroot: %s not set and nothing on standard input: keeping the %s saved in the keychain\n", envManagePrivateKey, manageconn.FieldPrivateKey)
	}
	ctx, cancel := commandContext()
	defer cancel()
	svc := manageService(inst)

	saved, err := svc.Save(ctx, manageActor(), in)
	if err != nil {
		var v *apperr.Validation
		if errors.As(err, &v) {
			for _, f := range v.Fields {
				fmt.Fprintf(env.Stderr, "cwm-webroot: %s: %s\n", f.Field, f.Message)
			}
			return cli.ExitUsage
		}
		return cli.Fail(env, "%v", err)
	}
	report := struct {
		OK      bool                       `json:"ok"`
		Saved   bool                       `json:"saved"`
		Changed []string                   `json:"changed"`
		Test    *manageconn.TestOutcome    `json:"test,omitempty"`
		Refresh *manageconn.RefreshOutcome `json:"refresh,omitempty"`
		Error   string                     `json:"error,omitempty"`
	}{Saved: true, Changed: saved.Changed}
	out := env.Stdout
	if *asJSON {
		out = io.Discard
	}
	if len(saved.Changed) > 0 {
		fmt.Fprintf(out, "Saved the ConnectWise settings (changed: %s).\n", strings.Join(saved.Changed, ", "))
	} else {
		fmt.Fprintln(out, "The ConnectWise settings were already saved as given.")
	}
	finish := func(code int, problem string) int {
		report.OK = code == cli.ExitOK
		report.Error = problem
		if *asJSON {
			if err := printJSON(env.Stdout, report); err != nil {
				return cli.Fail(env, "%v", err)
			}
		}
		if problem != "" {
			fmt.Fprintf(env.Stderr, "cwm-webroot: %s\n", problem)
		}
		return code
	}

	test, err := svc.Test(ctx)
	if err != nil {
		return finish(cli.ExitUsage, "the settings are saved, but the test could not run: "+manageconn.UserMessage(err))
	}
	report.Test = &test
	printManageSteps(out, test.Steps)
	if !test.OK {
		return finish(cli.ExitConnection, "the settings are saved, but the ConnectWise connection test failed: "+test.Summary)
	}
	fmt.Fprintf(out, "%s.\n", test.Summary)

	refresh, err := svc.Refresh(ctx)
	report.Refresh = &refresh
	if err != nil {
		code := cli.ExitUsage
		if manageconn.IsConnectionFailure(err) {
			code = cli.ExitConnection
		}
		return finish(code, "connected, but reading the companies and agreements failed: "+refresh.Message)
	}
	c := refresh.Counts
	fmt.Fprintf(out, "Cached %d companies, %d agreements (%d active), %d additions and %d catalog items.\n",
		c.Companies, c.Agreements, c.ActiveAgreements, c.Additions, c.CatalogItems)
	for _, w := range refresh.Warnings {
		fmt.Fprintf(out, "Note: %s\n", w)
	}
	return finish(cli.ExitOK, "")
}

func printManageSteps(w io.Writer, steps []manageconn.Step) {
	for _, s := range steps {
		mark := map[string]string{manageconn.StepOK: "ok  ", manageconn.StepWarning: "warn",
			manageconn.StepFailed: "FAIL", manageconn.StepSkipped: "skip"}[s.Status]
		fmt.Fprintf(w, "  %s %s%s\n", mark, s.Title, suffix(s.Message))
	}
}

// testManageConnection is the ConnectWise half of `test-connections`.
func testManageConnection(ctx context.Context, inst *install.Installation) ConnectionCheck {
	check := ConnectionCheck{Connection: "manage", Steps: []Step{}}
	svc := manageService(inst)
	_, configured, err := svc.LoadConfig(ctx)
	if err != nil {
		check.Summary = err.Error()
		return check
	}
	if !configured {
		check.Summary = "Not configured: run `cwm-webroot connect manage …` or open Configure ConnectWise in the app"
		return check
	}
	check.Configured = true
	out, err := svc.Test(ctx)
	if err != nil {
		check.Summary = manageconn.UserMessage(err)
		return check
	}
	check.OK, check.Summary = out.OK, out.Summary
	for _, s := range out.Steps {
		if s.Status == manageconn.StepSkipped {
			continue // not checked: the failed step before it says why
		}
		check.Steps = append(check.Steps, Step{Name: s.Title, OK: s.Status != manageconn.StepFailed, Message: s.Message})
	}
	return check
}
