package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

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
	fmt.Fprint(w, wrap(buildinfo.ProductName+" — keeps ConnectWise Manage agreement additions equal to Webroot GSM usage.", "", "", helpWidth))
	fmt.Fprintln(w)
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
	// One command per entry, its summary indented below, both wrapped to a terminal's
	// 80 columns: a table as wide as the longest usage line would not fit one.
	for _, r := range rows {
		fmt.Fprint(w, wrap(r[0], "  ", "        ", helpWidth))
		fmt.Fprint(w, wrap(r[1], "      ", "      ", helpWidth))
	}
	fmt.Fprintf(w, "\nGlobal options:\n  --data-dir DIR\n")
	fmt.Fprint(w, wrap("data folder (default: the OS user config folder; env CWM_WEBROOT_DATA_DIR)", "      ", "      ", helpWidth))
	fmt.Fprintf(w, "  --help\n      show this help\n\n")
	fmt.Fprint(w, wrap("Exit codes: 0 success, 1 sync failed, 2 usage or configuration error, 3 connection test failed.", "", "", helpWidth))
}

// helpWidth is the width the help text is wrapped to.
const helpWidth = 80

// wrap breaks text at spaces into lines of at most width columns (a longer word stands on
// its own line), the first line indented by first and the rest by rest.
func wrap(text, first, rest string, width int) string {
	var b strings.Builder
	line := first
	fresh := true
	for _, word := range strings.Fields(text) {
		if !fresh && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
			b.WriteString(line + "\n")
			line, fresh = rest, true
		}
		if !fresh {
			line += " "
		}
		line += word
		fresh = false
	}
	b.WriteString(line + "\n")
	return b.String()
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
