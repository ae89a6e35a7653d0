package applog

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLogsToTheDataFolderAndTheTerminal(t *testing.T) {
	dir := t.TempDir()
	var term bytes.Buffer
	l, err := Open(dir, slog.LevelInfo, &term)
	if err != nil {
		t.Fatal(err)
	}
	l.Logger.Info("scheduled sync finished", "run", 42, "status", "succeeded")
	l.Logger.Debug("below the level")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if l.Path() != filepath.Join(dir, "logs", "cwm-webroot.log") {
		t.Fatal(l.Path())
	}
	b, err := os.ReadFile(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{string(b), term.String()} {
		if !strings.Contains(out, `msg="scheduled sync finished" run=42 status=succeeded`) || strings.Contains(out, "below the level") {
			t.Fatalf("log reads %q", out)
		}
	}
}

func TestSecretNamedAttributesAreRedacted(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, slog.LevelDebug, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Logger.Warn("oops", "password", "hunter2-secret", "client_secret", "cs-value-1", "refresh_token", "rt-value-2",
		"Authorization", "Basic abc", "privateKey", "pk-value-3", "site", "na.myconnectwise.net")
	l.Logger.With("smtp_password", "smtp-value-4").Info("mail")
	l.Close()
	text, err := Recent(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"hunter2-secret", "cs-value-1", "rt-value-2", "Basic abc", "pk-value-3", "smtp-value-4"} {
		if strings.Contains(text, secret) {
			t.Errorf("the log holds %q: %s", secret, text)
		}
	}
	if !strings.Contains(text, "password=[redacted]") || !strings.Contains(text, "site=na.myconnectwise.net") {
		t.Fatalf("log: %s", text)
	}
}

// The file rotates at MaxSizeMB; Recent reads across the rotated files, oldest first, in
// whole lines, within its budget.
func TestRotationAndRecentAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, slog.LevelInfo, nil)
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", 1000)
	lines := (MaxSizeMB<<20)/1000 + 500 // enough to pass the size limit once
	for i := 0; i < lines; i++ {
		l.Logger.Info("line", "n", i, "pad", pad)
	}
	l.Close()
	files, err := logFiles(filepath.Join(dir, Dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[1] != FileName {
		t.Fatalf("files %v: want one rotated file and the current one", files)
	}
	// A budget larger than the current file reaches into the rotated one.
	cur, _ := os.Stat(filepath.Join(dir, Dir, FileName))
	text, err := Recent(dir, cur.Size()+20_000)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, line := range got {
		if !strings.Contains(line, "msg=line n=") || !strings.HasSuffix(line, pad) {
			t.Fatalf("line %d is not whole: %.80q", i, line)
		}
	}
	last := got[len(got)-1]
	if !strings.Contains(last, " n="+strconv.Itoa(lines-1)+" ") {
		t.Fatalf("the newest line is missing: %.80q", last)
	}
	first := got[0]
	if !strings.Contains(text, " n="+strconv.Itoa(lines-1)+" ") || strings.Contains(first, " n=0 ") {
		t.Fatalf("oldest line %.80q: the budget should cut the start", first)
	}
	if int64(len(text)) > cur.Size()+20_000 {
		t.Fatalf("Recent returned %d bytes, over its budget", len(text))
	}
	if empty, err := Recent(t.TempDir(), 1000); err != nil || empty != "" {
		t.Fatalf("no log yet: %q %v", empty, err)
	}
}

// A child process (this test binary again) captures crashes into a data folder, then dies
// of a panic: the panic and its stack are in logs/crash.log, as the next start finds them.
func TestCrashIsWrittenToTheCrashLog(t *testing.T) {
	if dir := os.Getenv("APPLOG_CRASH_DIR"); dir != "" {
		if err := CaptureCrashes(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		panic("the sky is falling")
	}
	dir := t.TempDir()
	if text, at, err := LastCrash(dir, 1<<20); text != "" || !at.IsZero() || err != nil {
		t.Fatalf("no crash yet: %q %v %v", text, at, err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashIsWrittenToTheCrashLog$")
	cmd.Env = append(os.Environ(), "APPLOG_CRASH_DIR="+dir)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("the child should die of its panic (exit 2): %v\n%s", err, out)
	}
	text, at, err := LastCrash(dir, 1<<20)
	if err != nil || time.Since(at) > time.Minute {
		t.Fatalf("crash log: %v, written %v", err, at)
	}
	if !strings.Contains(text, "panic: the sky is falling") || !strings.Contains(text, "goroutine ") ||
		!strings.Contains(text, "TestCrashIsWrittenToTheCrashLog") {
		t.Fatalf("crash log lacks the panic and its stack:\n%s", text)
	}
}
