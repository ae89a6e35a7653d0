package commands

import (
	"errors"
	"fmt"
	"strings"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/webrootconn"
)

func init() {
	cli.Register(cli.Command{
		Name:    "devices",
		Usage:   "SITE-ID-OR-NAME [--csv FILE]",
		Summary: "export a GSM site's device list (every endpoint, active and deactivated) as CSV to FILE or standard output",
		Run:     runDevices,
	})
}

const devicesUsage = "usage: cwm-webroot devices SITE-ID-OR-NAME [--csv FILE]   (a site by its id or its exact name, any case)"

func runDevices(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("devices", env)
	csvPath := fs.String("csv", "", "write the CSV to FILE instead of standard output")
	// The site may come before or after the flags: parse, take it, parse the rest.
	var site []string
	args := inv.Args
	for {
		if err := fs.Parse(args); err != nil {
			return cli.ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		site = append(site, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(site) == 0:
		return cli.Fail(env, "devices: name a site\n%s", devicesUsage)
	case len(site) > 1:
		return cli.Fail(env, "devices: unexpected argument %q (quote a site name with spaces)\n%s", site[1], devicesUsage)
	}

	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	ctx, inst := c.ctx, c.inst
	svc := webrootconn.New(inst.Store, inst.Secrets, webrootconn.Options{})

	found, err := svc.FindSite(ctx, site[0])
	var choice *webrootconn.SiteChoiceError
	if errors.As(err, &choice) {
		return cli.Fail(env, "devices: %v", err)
	}
	if err != nil {
		return printWebrootError(env, "the GSM sites could not be read", err)
	}
	list, err := svc.DeviceList(ctx, found)
	if err != nil {
		return printWebrootError(env, "the device list of "+found.Name+" could not be read", err)
	}

	if *csvPath == "" {
		if err := list.WriteCSV(env.Stdout); err != nil {
			return cli.Fail(env, "%v", err)
		}
		return cli.ExitOK
	}
	if err := writeFileAtomic(*csvPath, list.WriteCSV); err != nil {
		return cli.Fail(env, "writing %s: %v", *csvPath, err)
	}
	fmt.Fprintf(env.Stdout, "Exported %s of %s to %s", countOf(len(list.Endpoints), "device"), found.Name, *csvPath)
	if n, ok := list.Billed(); ok {
		fmt.Fprintf(env.Stdout, " (%d counted as billed: %s)", n, strings.ToLower(list.Basis.Label()))
	}
	fmt.Fprintln(env.Stdout, ".")
	if _, dup, stale := list.Notes(); dup+stale > 0 {
		var look []string
		if dup > 0 {
			look = append(look, countOf(dup, "possible duplicate")+" of a reinstalled computer")
		}
		if stale > 0 {
			look = append(look, countOf(stale, "active device")+" not seen for 30 days")
		}
		fmt.Fprintf(env.Stdout, "Worth a look (see the Note column): %s.\n", strings.Join(look, "; "))
	}
	return cli.ExitOK
}
