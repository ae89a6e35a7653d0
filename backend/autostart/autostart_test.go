package autostart

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"cwm-webroot/backend/store"
)

// go-autostart reads XDG_CONFIG_HOME once, in its init(), so t.Setenv comes too late: the
// test binary re-runs itself with a private config folder instead, and never touches the
// user's real autostart folder.
const reexecMarker = "CWM_AUTOSTART_TEST_CONFIG"

func TestMain(m *testing.M) {
	if os.Getenv(reexecMarker) == "" {
		dir, err := os.MkdirTemp("", "cwm-autostart-*")
		if err != nil {
			panic(err)
		}
		cmd := exec.Command(os.Args[0], os.Args[1:]...)
		cmd.Env = append(os.Environ(), reexecMarker+"="+dir, "XDG_CONFIG_HOME="+dir)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		err = cmd.Run()
		_ = os.RemoveAll(dir)
		if exit, ok := err.(*exec.ExitError); ok {
			os.Exit(exit.ExitCode())
		} else if err != nil {
			panic(err)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func newService(t *testing.T, name string, command []string) (*Service, string) {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	entry := OSEntry{Name: name, DisplayName: "Manage Webroot Integration"}
	path := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart", name+".desktop")
	return &Service{Store: st, Entry: entry, Command: command}, path
}

func TestEnableWritesDesktopEntryAndDisableRemovesIt(t *testing.T) {
	ctx := context.Background()
	s, path := newService(t, "cwm-webroot-enable", []string{"/opt/Manage Webroot/cwm-webroot", "--autostart"})

	st, err := s.Set(ctx, "admin@msp.example", true)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Enabled || st.Command != `"/opt/Manage Webroot/cwm-webroot" --autostart` {
		t.Fatalf("status %+v", st)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("login entry not written: %v", err)
	}
	entry := string(b)
	for _, want := range []string{"[Desktop Entry]", "Name=Manage Webroot Integration",
		`Exec="/opt/Manage Webroot/cwm-webroot" "--autostart"`} {
		if !strings.Contains(entry, want) {
			t.Errorf("entry lacks %q:\n%s", want, entry)
		}
	}
	// Enabling twice must not quote the command twice (go-autostart quotes in place).
	if _, err := s.Set(ctx, "admin@msp.example", true); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(path); string(b2) != entry {
		t.Errorf("second enable changed the entry:\n%s", b2)
	}

	st, err = s.Set(ctx, "admin@msp.example", false)
	if err != nil || st.Enabled {
		t.Fatalf("disable: %+v %v", st, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("entry still there after disable: %v", err)
	}
	// Disabling again (entry already gone) is fine.
	if _, err := s.Set(ctx, "admin@msp.example", false); err != nil {
		t.Fatal(err)
	}
	// The activity log has the two changes (not the repeats), newest first.
	log, err := s.Store.AuditLog(ctx, 10)
	if err != nil || len(log) != 2 || log[0].Detail != "Start at login: true → false" || log[1].Detail != "Start at login: false → true" ||
		log[0].Action != AuditStartAtLogin || log[0].Actor != "admin@msp.example" {
		t.Fatalf("activity %+v %v", log, err)
	}
}

func TestRefreshRewritesMovedExecutableAndRemovesStrayEntry(t *testing.T) {
	ctx := context.Background()
	s, path := newService(t, "cwm-webroot-refresh", []string{"/old/place/cwm-webroot", "--autostart"})
	if _, err := s.Set(ctx, "admin@msp.example", true); err != nil {
		t.Fatal(err)
	}
	// The user moves the app; the next start refreshes the entry.
	s.Command = []string{"/new/place/cwm-webroot", "--autostart", "--data-dir", "/data/msp one"}
	if err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `Exec="/new/place/cwm-webroot" "--autostart" "--data-dir" "/data/msp one"`) ||
		strings.Contains(string(b), "/old/place") {
		t.Fatalf("entry not refreshed:\n%s", b)
	}

	// Setting off but an entry exists (say, restored from a backup): refresh removes it.
	if err := s.Store.SetSettings(ctx, map[string]string{KeyEnabled: "false"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("stray entry kept: %v", err)
	}
	// And with the setting off and no entry, refresh writes nothing.
	if err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("refresh with the setting off wrote an entry")
	}
}

type failingEntry struct{ removed bool }

func (f *failingEntry) Write([]string) error { return os.ErrPermission }
func (f *failingEntry) Remove() error        { f.removed = true; return nil }
func (f *failingEntry) Exists() bool         { return false }

func TestSettingStaysOffWhenEntryCannotBeWritten(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, "unused", []string{"/x", "--autostart"})
	s.Entry = &failingEntry{}
	if _, err := s.Set(ctx, "admin@msp.example", true); err == nil {
		t.Fatal("enable succeeded although the entry could not be written")
	}
	if on, err := s.Enabled(ctx); err != nil || on {
		t.Fatalf("setting saved as on after a failed write: %v %v", on, err)
	}
}

func TestCommandUsesRealExecutableAndDataDir(t *testing.T) {
	cmd, err := Command("/data/one", false)
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(cmd[0]) || cmd[1] != "--autostart" || cmd[2] != "--data-dir" || cmd[3] != "/data/one" {
		t.Fatalf("command %q", cmd)
	}
	if cmd, _ := Command("/ignored", true); len(cmd) != 2 {
		t.Fatalf("default data folder still passed: %q", cmd)
	}
	if EntryName("") != "cwm-webroot" || EntryName("ab12") != "cwm-webroot-ab12" {
		t.Fatal("entry names")
	}
}

func TestRefreshKeepsTheEntryWhenRunFromAPlaceThatWillVanish(t *testing.T) {
	ctx := context.Background()
	s, path := newService(t, "cwm-webroot-transient", []string{"/Applications/Manage Webroot Integration.app/Contents/MacOS/cwm-webroot", "--autostart"})
	if _, err := s.Set(ctx, "admin@msp.example", true); err != nil {
		t.Fatal(err)
	}
	for _, exe := range []string{
		"/Volumes/Manage Webroot Integration/Manage Webroot Integration.app/Contents/MacOS/cwm-webroot",
		"/private/var/folders/x/AppTranslocation/1234/d/Manage Webroot Integration.app/Contents/MacOS/cwm-webroot",
		filepath.Join(os.TempDir(), "go-build123", "cwm-webroot"),
	} {
		s.Command = []string{exe, "--autostart"}
		if err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); !strings.Contains(string(b), "/Applications/") {
			t.Fatalf("refresh from %s replaced the installed app's entry:\n%s", exe, b)
		}
	}
}
