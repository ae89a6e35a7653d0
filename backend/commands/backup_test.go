package commands

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
)

func TestBackupThenRestoreOnAnotherComputer(t *testing.T) {
	s := newSyncCLI(t)
	if code, _, errOut := s.run("sync"); code != cli.ExitOK {
		t.Fatalf("sync: %d %s", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "backup.db")
	code, out, errOut := s.run("backup", "--out", file)
	if code != cli.ExitOK || !strings.Contains(out, "Backed up ") || !strings.Contains(out, "1 sync") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	_, mapped, _ := s.run("mappings", "list", "--json")

	fresh := t.TempDir()
	code, out, errOut = runCLI(t, fresh, "", nil, "restore", "--from", file)
	if code != cli.ExitOK || !strings.Contains(out, "Restored ") || !strings.Contains(out, "enter the ConnectWise and Webroot keys again") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	_, restored, _ := runCLI(t, fresh, "", nil, "mappings", "list", "--json")
	var a, b []any
	if json.Unmarshal([]byte(mapped), &a) != nil || json.Unmarshal([]byte(restored), &b) != nil || len(a) == 0 || len(a) != len(b) {
		t.Fatalf("mappings before %d, after restore %d", len(a), len(b))
	}
	_, history, _ := runCLI(t, fresh, "", nil, "history", "--json")
	if !strings.Contains(history, `"run_id": 1`) {
		t.Fatalf("the restored history lacks the sync:\n%.300s", history)
	}

	// The desktop app running on the folder: refused with what to do.
	app, err := install.OpenDir(context.Background(), fresh, false)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	code, _, errOut = runCLI(t, fresh, "", nil, "restore", "--from", file)
	if code != cli.ExitUsage || !strings.Contains(errOut, "quit Manage Webroot Integration (tray menu → Quit)") {
		t.Fatalf("restore while the app runs: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, fresh, "", nil, "backup"); code != cli.ExitUsage || !strings.Contains(errOut, "--out is required") {
		t.Fatalf("backup without --out: %d %s", code, errOut)
	}
}
