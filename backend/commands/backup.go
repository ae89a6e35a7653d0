package commands

import (
	"fmt"
	"time"

	"cwm-webroot/backend/backup"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/datadir"
)

func init() {
	cli.Register(cli.Command{
		Name:    "backup",
		Usage:   "--out FILE.db",
		Summary: "copy the database (mappings, history, activity, users, settings; no secrets) to one file, also while the app runs",
		Run:     runBackup,
	})
	cli.Register(cli.Command{
		Name:    "restore",
		Usage:   "--from FILE.db",
		Summary: "make a backup the data folder's database (the app must be closed; the old database is kept beside it)",
		Run:     runRestore,
	})
}

func runBackup(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("backup", env)
	out := fs.String("out", "", "the file to write, e.g. "+backup.DefaultName(time.Now()))
	if code, ok := parseFlags(fs, "backup", inv.Args, env); !ok {
		return code
	}
	if *out == "" {
		return cli.Fail(env, "backup: --out is required: where to write the backup, e.g. --out %s", backup.DefaultName(time.Now()))
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	info, err := backup.Write(c.ctx, c.inst.Store, c.inst.DataDir, *out, false)
	if err != nil {
		return cli.Fail(env, "backup: %v", err)
	}
	fmt.Fprintf(env.Stdout, "Backed up %s to %s: %s, %s, %s.\n", companyOrNone(info.Company), info.Path,
		countOf(info.Mappings, "mapping"), countOf(info.Runs, "sync"), byteSize(info.Bytes))
	fmt.Fprintln(env.Stdout, "Passwords and keys are not in it: they stay in this computer's keychain.")
	return cli.ExitOK
}

func runRestore(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("restore", env)
	from := fs.String("from", "", "the backup file to restore")
	if code, ok := parseFlags(fs, "restore", inv.Args, env); !ok {
		return code
	}
	if *from == "" {
		return cli.Fail(env, "restore: --from is required: the backup file to restore")
	}
	// Not openCommand: the database being replaced must not be open.
	dir, _, err := datadir.Resolve(inv.DataDir)
	if err != nil {
		return cli.Fail(env, "restore: %v", err)
	}
	ctx, cancel := commandContext()
	defer cancel()
	got, err := backup.Restore(ctx, dir, *from, time.Now())
	if err != nil {
		return cli.Fail(env, "restore: %v", err)
	}
	fmt.Fprintf(env.Stdout, "Restored %s from %s into %s: %s, %s.\n", companyOrNone(got.Company), *from, dir,
		countOf(got.Mappings, "mapping"), countOf(got.Runs, "sync"))
	if got.Previous != "" {
		fmt.Fprintf(env.Stdout, "The database it replaced is kept as %s.\n", got.Previous)
	}
	fmt.Fprintln(env.Stdout, "On another computer, enter the ConnectWise and Webroot keys again (Configure pages or `connect`): the keychain is not in a backup.")
	return cli.ExitOK
}

func companyOrNone(name string) string {
	if name == "" {
		return "an installation without a company"
	}
	return name
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
