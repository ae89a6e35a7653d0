package diagnostics

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/install"
	"cwm-webroot/backend/secrets"
)

// A report is most wanted when something is broken: with the database gone, every part
// that needs it says why, and the rest is still there.
func TestReportFromABrokenInstallationSaysWhatCouldNotBeRead(t *testing.T) {
	ctx := context.Background()
	inst, err := install.OpenDir(ctx, t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	inst.Secrets = secrets.NewMemory()
	inst.Close() // the database is unreadable from here on

	now := time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := Write(ctx, inst, &buf, Options{About: install.About{ProductName: "Manage Webroot Integration", Version: "1.2.3"}, Now: now}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		got[f.Name] = string(b)
	}
	if !strings.Contains(got["README.txt"], "made 2026-12-03T09:30:00Z") || !strings.Contains(got["about.json"], `"version": "1.2.3"`) {
		t.Fatalf("README %q about %q", got["README.txt"], got["about.json"])
	}
	if got["activity.csv"] != "Left out: only an admin's report includes the activity log.\n" {
		t.Errorf("activity.csv without WithActivity: %q", got["activity.csv"])
	}
	for _, name := range []string{"status.json", "settings.txt", "syncs.json", "mappings.csv"} {
		if !strings.HasPrefix(got[name], "This part could not be read: ") {
			t.Errorf("%s: %q", name, got[name])
		}
	}
	if got["crash.log"] != "The app has not crashed.\n" {
		t.Errorf("crash.log: %q", got["crash.log"])
	}
	if got["log.txt"] != "No log yet.\n" {
		t.Errorf("log.txt: %q", got["log.txt"])
	}
	if DefaultName(now) != "cwm-webroot-diagnostics-20261203-0930.zip" {
		t.Error(DefaultName(now))
	}
}
