// Package commands registers the domain subcommands of the command line (signup, connect,
// test-connections, sites, devices, mappings, sync, history, users) with backend/cli. It is the one
// place where the command line meets the domain packages.
package commands

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
)

// openInstallation opens the data folder named by --data-dir / the environment.
func openInstallation(inv cli.Invocation) (*install.Installation, error) {
	return install.Open(context.Background(), inv.DataDir)
}

// command is a command's open installation and its context.
type command struct {
	inst   *install.Installation
	ctx    context.Context
	cancel context.CancelFunc
}

func (c *command) close() {
	c.cancel()
	_ = c.inst.Close()
}

// openCommand opens the installation with a context cancelled by Ctrl+C or SIGTERM; when it
// cannot, it says why and returns nil with the exit code.
func openCommand(inv cli.Invocation, env cli.Env) (*command, int) {
	inst, err := openInstallation(inv)
	if err != nil {
		return nil, cli.Fail(env, "%v", err)
	}
	ctx, cancel := commandContext()
	return &command{inst: inst, ctx: ctx, cancel: cancel}, 0
}

// parseFlags parses a command's flags and refuses positional arguments; when it cannot, ok
// is false with the exit code to return.
func parseFlags(fs *flag.FlagSet, name string, args []string, env cli.Env) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage, false
	}
	if fs.NArg() > 0 {
		return cli.Fail(env, "%s: unexpected argument %q", name, fs.Arg(0)), false
	}
	return 0, true
}

// writeFileAtomic writes a file through a temporary file next to it and a rename, so an
// existing file is never half replaced.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// commandContext is cancelled by Ctrl+C or SIGTERM, so a long command stops cleanly.
func commandContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
}

// secretInput reads a secret from the environment variable, else from the first line of
// standard input. Secrets are never taken from flags: those show in process lists.
func secretInput(env cli.Env, envVar, what string) (string, error) {
	if v := env.Getenv(envVar); v != "" {
		return v, nil
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading %s from standard input: %w", what, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("%s is required: set %s or write it as the first line of standard input", what, envVar)
	}
	return line, nil
}

// newFlagSet returns a flag set that reports errors through the command's usage instead of
// exiting the process.
func newFlagSet(name string, env cli.Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// printJSON writes v indented, for --json output.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
