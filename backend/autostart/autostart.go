// Package autostart keeps the "Start at login" setting and the OS's login entry in step:
// the entry starts the app hidden in the tray (--autostart), and it is rewritten at every
// start while the setting is on, so a moved or updated executable still starts.
package autostart

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	goautostart "github.com/emersion/go-autostart"

	"cwm-webroot/backend/buildinfo"
	"cwm-webroot/backend/store"
)

// KeyEnabled is the settings key of "Start at login".
const KeyEnabled = "app.start_at_login"

// Entry is the OS's login entry. Tests use a fake; the app uses OSEntry.
type Entry interface {
	// Write creates or replaces the entry so that it runs command at login.
	Write(command []string) error
	// Remove deletes the entry; a missing entry is not an error.
	Remove() error
	// Exists says whether the entry is there.
	Exists() bool
}

// OSEntry is the login entry go-autostart writes: a .desktop file in
// $XDG_CONFIG_HOME/autostart on Linux, a LaunchAgent plist on macOS, a Startup-folder
// shortcut on Windows.
type OSEntry struct {
	Name        string // file name without extension, unique per installation
	DisplayName string
}

// app builds a fresh go-autostart App for every call: Enable quotes Exec in place, so
// reusing one would quote the arguments twice.
func (e OSEntry) app(command []string) *goautostart.App {
	return &goautostart.App{Name: e.Name, DisplayName: e.DisplayName, Exec: append([]string(nil), command...)}
}

func (e OSEntry) Write(command []string) error {
	if err := e.app(command).Enable(); err != nil {
		return fmt.Errorf("write the login entry: %w", err)
	}
	return nil
}

func (e OSEntry) Remove() error {
	if err := e.app(nil).Disable(); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the login entry: %w", err)
	}
	return nil
}

func (e OSEntry) Exists() bool { return e.app(nil).IsEnabled() }

// Status is what the Settings page shows.
type Status struct {
	Enabled bool `json:"enabled"`
	// Command is what the login entry runs, so the user can see which copy of the app starts.
	Command string `json:"command"`
}

// Service ties the setting to the entry.
type Service struct {
	Store *store.Store
	Entry Entry
	// Command is the command line the entry runs: the executable with --autostart.
	Command []string
}

// Command returns the login command for the running executable: its real path (symlinks
// resolved, so the entry survives a re-linked shortcut) followed by --autostart and, for a
// non-default data folder, --data-dir.
func Command(dataDir string, isDefaultDataDir bool) ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the running executable: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	cmd := []string{exe, "--autostart"}
	if !isDefaultDataDir {
		cmd = append(cmd, "--data-dir", dataDir)
	}
	return cmd, nil
}

// EntryName is the login entry's file name: the executable name, plus a short hash of the
// data folder for a non-default one, so a second installation never replaces the first's.
func EntryName(dataDirHash string) string {
	if dataDirHash == "" {
		return buildinfo.ExecutableName
	}
	return buildinfo.ExecutableName + "-" + dataDirHash
}

// Enabled reads the setting (off until the user turns it on).
func (s *Service) Enabled(ctx context.Context) (bool, error) {
	v, ok, err := s.Store.Setting(ctx, KeyEnabled)
	if err != nil || !ok {
		return false, err
	}
	on, _ := strconv.ParseBool(v)
	return on, nil
}

// Status reports the setting and the command the entry runs.
func (s *Service) Status(ctx context.Context) (Status, error) {
	on, err := s.Enabled(ctx)
	if err != nil {
		return Status{}, err
	}
	return Status{Enabled: on, Command: display(s.Command)}, nil
}

// AuditStartAtLogin is the activity log's action for turning Start at login on or off.
const AuditStartAtLogin = "settings.start_at_login"

// Set turns "Start at login" on or off: the entry is written or removed first and the
// setting saved only when that worked, so the two never disagree.
func (s *Service) Set(ctx context.Context, actor string, on bool) (Status, error) {
	before, err := s.Enabled(ctx)
	if err != nil {
		return Status{}, err
	}
	if on {
		if err := s.Entry.Write(s.Command); err != nil {
			return Status{}, err
		}
	} else if err := s.Entry.Remove(); err != nil {
		return Status{}, err
	}
	if err := s.Store.ChangeSettings(ctx, store.SettingsChange{Actor: actor, Action: AuditStartAtLogin,
		Values: map[string]string{KeyEnabled: strconv.FormatBool(on)}, Before: map[string]string{KeyEnabled: strconv.FormatBool(before)},
		Labels: map[string]string{KeyEnabled: "Start at login"}}); err != nil {
		if on {
			_ = s.Entry.Remove()
		}
		return Status{}, err
	}
	return s.Status(ctx)
}

// Refresh runs at every start: while the setting is on, the entry is rewritten with the
// current executable's path, unless this copy runs from a place that will vanish (a mounted
// disk image, macOS App Translocation, a temporary folder), where the entry would soon
// point at nothing; when off, a stray entry (say, left by a restored backup) is removed.
func (s *Service) Refresh(ctx context.Context) error {
	on, err := s.Enabled(ctx)
	if err != nil {
		return err
	}
	if on {
		if len(s.Command) > 0 && Transient(s.Command[0]) {
			return nil
		}
		return s.Entry.Write(s.Command)
	}
	if s.Entry.Exists() {
		return s.Entry.Remove()
	}
	return nil
}

// Transient says whether an executable path is one that will not be there next login.
func Transient(exe string) bool {
	p := filepath.ToSlash(exe)
	tmp := filepath.ToSlash(filepath.Clean(os.TempDir()))
	return strings.HasPrefix(p, "/Volumes/") || strings.Contains(p, "/AppTranslocation/") ||
		(tmp != "" && tmp != "." && strings.HasPrefix(p, tmp+"/"))
}

func display(cmd []string) string {
	parts := make([]string, len(cmd))
	for i, a := range cmd {
		if a == "" || strings.ContainsAny(a, " \t\"") {
			a = strconv.Quote(a)
		}
		parts[i] = a
	}
	return strings.Join(parts, " ")
}
