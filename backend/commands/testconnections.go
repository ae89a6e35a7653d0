package commands

import (
	"context"
	"fmt"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
)

// ConnectionCheck is the outcome of one connection's test, as `test-connections` prints it.
type ConnectionCheck struct {
	Connection string `json:"connection"` // "manage" or "webroot"
	OK         bool   `json:"ok"`
	Configured bool   `json:"configured"`
	Summary    string `json:"summary"` // one line: "connected as …" or what to fix
	Steps      []Step `json:"steps"`
}

// Step is one step of a connection test.
type Step struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// connectionTesters run in this order (ConnectWise first, as the app asks users to
// configure it first); each connection's file appends its tester in init().
var connectionTesters []func(ctx context.Context, inst *install.Installation) ConnectionCheck

func init() {
	cli.Register(cli.Command{
		Name:    "test-connections",
		Usage:   "[--json]",
		Summary: "test the ConnectWise Manage and Webroot connections (exit 3 when one fails)",
		Run:     runTestConnections,
	})
}

func runTestConnections(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("test-connections", env)
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parseFlags(fs, "test-connections", inv.Args, env); !ok {
		return code
	}
	cmd, code := openCommand(inv, env)
	if cmd == nil {
		return code
	}
	defer cmd.close()
	ctx, inst := cmd.ctx, cmd.inst
	checks := make([]ConnectionCheck, 0, len(connectionTesters))
	for _, test := range connectionTesters {
		checks = append(checks, test(ctx, inst))
	}
	code = cli.ExitOK
	for _, c := range checks {
		if !c.OK {
			code = cli.ExitConnection
		}
	}
	if *asJSON {
		if err := printJSON(env.Stdout, map[string]any{"ok": code == cli.ExitOK, "connections": checks}); err != nil {
			return cli.Fail(env, "%v", err)
		}
		return code
	}
	for _, c := range checks {
		mark := "OK  "
		if !c.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(env.Stdout, "%s %-8s %s\n", mark, c.Connection, c.Summary)
		for _, s := range c.Steps {
			sm := "ok"
			if !s.OK {
				sm = "failed"
			}
			fmt.Fprintf(env.Stdout, "       - %s: %s%s\n", s.Name, sm, suffix(s.Message))
		}
	}
	return code
}

func suffix(msg string) string {
	if msg == "" {
		return ""
	}
	return " — " + msg
}
