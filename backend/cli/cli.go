package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"cwm-webroot/backend/buildinfo"
)

// Env is what a command may touch: its streams and the environment. Tests fill it with
// buffers and a map.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// Command is one subcommand.
type Command struct {
	Name    string
	Usage   string // argument synopsis, e.g. "[--json]"
	Summary string
	// Run executes the command and returns the process exit code.
	Run func(inv Invocation, env Env) int
}

var commands = map[string]Command{}

// Register adds a subcommand; domain packages' commands are registered by the wiring in
// commands.go so this package stays free of domain imports.
func Register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

func init() {
	Register(Command{Name: "version", Summary: "print the version", Run: func(_ Invocation, env Env) int {
		fmt.Fprintln(env.Stdout, buildinfo.String())
		return ExitOK
	}})
}

// Usage writes the help text.
func Usage(w io.Writer) {
	fmt.Fprintf(w, "%s — keeps ConnectWise Manage agreement additions equal to Webroot GSM usage.\n\n", buildinfo.ProductName)
	fmt.Fprintf(w, "Usage:\n")
	rows := [][2]string{
		{buildinfo.ExecutableName, "start the desktop app"},
		{buildinfo.ExecutableName + " --autostart", "start hidden in the tray (used by \"Start at login\")"},
		{buildinfo.ExecutableName + " demo", "start the desktop app on simulated Webroot and Manage services"},
	}
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		rows = append(rows, [2]string{strings.TrimSpace(buildinfo.ExecutableName + " " + c.Name + " " + c.Usage), c.Summary})
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r[0], r[1])
	}
	fmt.Fprintf(w, "\nGlobal options:\n  --data-dir DIR  data folder (default: the OS user config folder; env CWM_WEBROOT_DATA_DIR)\n  --help          show this help\n")
	fmt.Fprintf(w, "\nExit codes: 0 success, 1 sync failed, 2 usage or configuration error, 3 connection test failed.\n")
}

// Main runs a command-line invocation (inv.GUI() is false) and returns the exit code.
func Main(inv Invocation, env Env) int {
	if inv.Help {
		Usage(env.Stdout)
		return ExitOK
	}
	c, ok := commands[inv.Command]
	if !ok {
		fmt.Fprintf(env.Stderr, "%s: unknown command %q\n\n", buildinfo.ExecutableName, inv.Command)
		Usage(env.Stderr)
		return ExitUsage
	}
	return c.Run(inv, env)
}

// Fail prints a usage error for a command and returns ExitUsage.
func Fail(env Env, format string, args ...any) int {
	fmt.Fprintf(env.Stderr, "%s: %s\n", buildinfo.ExecutableName, fmt.Sprintf(format, args...))
	return ExitUsage
}
