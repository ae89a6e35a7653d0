package commands

import (
	"fmt"
	"io"
	"time"

	"cwm-webroot/backend/buildinfo"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/diagnostics"
)

func init() {
	cli.Register(cli.Command{
		Name:    "diagnostics",
		Usage:   "--out FILE.zip",
		Summary: "write a support report (versions, connection states, recent syncs, mappings, log; no secrets)",
		Run:     runDiagnostics,
	})
}

func runDiagnostics(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("diagnostics", env)
	out := fs.String("out", "", "the zip file to write, e.g. "+diagnostics.DefaultName(time.Now()))
	if code, ok := parseFlags(fs, "diagnostics", inv.Args, env); !ok {
		return code
	}
	if *out == "" {
		return cli.Fail(env, "diagnostics: --out is required: where to write the report, e.g. --out %s", diagnostics.DefaultName(time.Now()))
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	about, err := c.inst.Describe(c.ctx, buildinfo.ProductName, buildinfo.Version, buildinfo.Commit, false)
	if err != nil {
		return cli.Fail(env, "%v", err)
	}
	// The OS user who owns the data folder sees everything in it.
	opts := diagnostics.Options{About: about, Now: time.Now(), WithActivity: true}
	if err := writeFileAtomic(*out, func(w io.Writer) error { return diagnostics.Write(c.ctx, c.inst, w, opts) }); err != nil {
		return cli.Fail(env, "writing %s: %v", *out, err)
	}
	fmt.Fprintf(env.Stdout, "Wrote the diagnostics report to %s. It holds no passwords, keys or tokens.\n", *out)
	return cli.ExitOK
}
