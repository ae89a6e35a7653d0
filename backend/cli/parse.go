// Package cli decides, before any window exists, whether this process is the desktop app or
// a command-line command, and runs the commands. Nothing here needs a display.
package cli

import (
	"fmt"
	"strings"
)

// Exit codes (PRODUCT.md §2.7).
const (
	ExitOK         = 0 // succeeded, or nothing to do
	ExitSyncFailed = 1 // a sync partly or wholly failed
	ExitUsage      = 2 // usage, validation or configuration error
	ExitConnection = 3 // a connection test failed
)

// LinkScheme is the URL scheme of account links handed to the app by the OS.
const LinkScheme = "cwm-webroot://"

// Invocation is the parsed command line.
type Invocation struct {
	// Command is "" for the desktop app, else the subcommand ("demo", "version", ...).
	Command string
	// Args are the subcommand's own arguments, global flags removed.
	Args []string
	// DataDir is the --data-dir value ("" when not given).
	DataDir string
	// Autostart is set by --autostart: start hidden in the tray.
	Autostart bool
	// Link is a cwm-webroot:// account link passed by the OS or a second launch.
	Link string
	// Help is set by --help, -h or `help`.
	Help bool
}

// GUI reports whether the invocation starts the desktop window.
func (inv Invocation) GUI() bool {
	return !inv.Help && (inv.Command == "" || inv.Command == "demo")
}

// wailsDevFlags are parsed by Wails itself in dev builds (each takes a value); they must be
// accepted, and ignored, by our parser in those builds.
var wailsDevFlags = map[string]bool{"assetdir": true, "devserver": true, "frontenddevserverurl": true, "loglevel": true}

// Parse reads the arguments after the program name. Global flags may come before or after
// the subcommand. allowWailsDevFlags is true only in dev builds.
func Parse(args []string, allowWailsDevFlags bool) (Invocation, error) {
	var inv Invocation
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		isFlag := strings.HasPrefix(a, "-") && a != "-"
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case isFlag && name == "data-dir":
			if !hasValue {
				if i+1 >= len(args) || args[i+1] == "" {
					return inv, fmt.Errorf("--data-dir needs a folder")
				}
				i++
				value = args[i]
			}
			if value == "" {
				return inv, fmt.Errorf("--data-dir needs a folder")
			}
			inv.DataDir = value
		case isFlag && name == "autostart" && !hasValue:
			inv.Autostart = true
		case isFlag && (name == "help" || name == "h") && !hasValue:
			inv.Help = true
		case isFlag && allowWailsDevFlags && wailsDevFlags[name]:
			if !hasValue {
				i++ // skip its value
			}
		case !isFlag && strings.HasPrefix(strings.ToLower(a), LinkScheme) && inv.Command == "":
			inv.Link = a
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		inv.Command, inv.Args = rest[0], rest[1:]
	} else {
		inv.Args = rest
	}
	if inv.Command == "help" {
		inv.Command, inv.Help = "", true
	}
	if inv.Command == "" && len(inv.Args) > 0 && !inv.Help {
		return inv, fmt.Errorf("unknown option %s", inv.Args[0])
	}
	return inv, nil
}
