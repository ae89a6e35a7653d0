package backup

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/demo"
	"cwm-webroot/backend/mapping"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/syncer/synclock"
)

// source is a signed-up, connected installation with its suggestions mapped.
func source(t *testing.T) (string, *store.Store, int) {
	t.Helper()
	ctx := context.Background()
	inst, sims, err := demo.OpenConnected(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sims.Close)
	t.Cleanup(func() { inst.Close() })
	if _, err := demo.SeedAccount(ctx, account.New(inst.Store, nil, nil)); err != nil {
		t.Fatal(err)
	}
	out, err := demo.AcceptAllSuggestions(ctx, inst)
	if err != nil || out.Accepted == 0 {
		t.Fatalf("%+v %v", out, err)
	}
	maps, err := mapping.New(inst.Store, nil).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return inst.DataDir, inst.Store, len(maps)
}

func mappingsIn(t *testing.T, dir string) int {
	t.Helper()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	maps, err := mapping.New(st, nil).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(maps)
}

func TestBackupAndRestoreOnAnotherComputer(t *testing.T) {
	ctx := context.Background()
	_, st, mapped := source(t)
	file := filepath.Join(t.TempDir(), "cwm-webroot-backup.db")
	info, err := Write(ctx, st, file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mappings != mapped || info.Company != demo.DemoCompany.CompanyName || info.SchemaVersion == 0 || info.Bytes == 0 {
		t.Fatalf("backup %+v, want %d mappings of %q", info, mapped, demo.DemoCompany.CompanyName)
	}
	if _, err := Write(ctx, st, file); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("overwriting a backup: %v", err)
	}

	// A new computer: an empty data folder.
	fresh := t.TempDir()
	got, err := Restore(ctx, fresh, file, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got.Previous != "" || got.Mappings != mapped || mappingsIn(t, fresh) != mapped {
		t.Fatalf("restored %+v; %d mappings in the folder, want %d", got, mappingsIn(t, fresh), mapped)
	}
}

func TestRestoreKeepsTheReplacedDatabaseAndWaitsForTheApp(t *testing.T) {
	ctx := context.Background()
	_, st, mapped := source(t)
	file := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Write(ctx, st, file); err != nil {
		t.Fatal(err)
	}
	// The data folder being restored into has a database of its own, with nothing mapped.
	dir := t.TempDir()
	own, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := own.SetSettings(ctx, map[string]string{"marker": "the old database"}); err != nil {
		t.Fatal(err)
	}
	own.Close()

	// The desktop app runs on it: refused, nothing touched.
	app, err := HoldAppLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, dir, file, time.Now()); !errors.Is(err, ErrAppRunning) {
		t.Fatalf("restore while the app runs: %v", err)
	}
	app.Release()
	// A sync runs (the command line): refused too.
	sync, err := synclock.Acquire(dir, synclock.Holder{StartedAt: time.Now(), By: "command line"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, dir, file, time.Now()); !errors.Is(err, synclock.ErrBusy) {
		t.Fatalf("restore during a sync: %v", err)
	}
	sync.Release()
	if mappingsIn(t, dir) != 0 {
		t.Fatal("a refused restore changed the database")
	}

	at := time.Date(2026, 12, 3, 19, 30, 0, 0, time.UTC)
	got, err := Restore(ctx, dir, file, at)
	if err != nil {
		t.Fatal(err)
	}
	if got.Previous != filepath.Join(dir, store.FileName+".before-restore-20261203-193000") {
		t.Fatalf("previous database at %q", got.Previous)
	}
	if mappingsIn(t, dir) != mapped {
		t.Fatal("the restored database does not hold the backup's mappings")
	}
	old, err := store.OpenWith(ctx, got.Previous, store.Migrations())
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if v, _, err := old.Setting(ctx, "marker"); err != nil || v != "the old database" {
		t.Fatalf("the replaced database is not whole beside the new one: %q %v", v, err)
	}
}

func TestRestoreRefusesWhatIsNotAUsableBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	text := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(text, []byte("not a database at all, just some words\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, dir, text, time.Now()); err == nil || !strings.Contains(err.Error(), "is not a Manage Webroot Integration backup") {
		t.Fatalf("a text file: %v", err)
	}
	if _, err := Restore(ctx, dir, filepath.Join(dir, "missing.db"), time.Now()); err == nil || !strings.Contains(err.Error(), "reading the backup") {
		t.Fatalf("a missing file: %v", err)
	}

	// A backup from a newer version of the app.
	_, st, _ := source(t)
	newer := filepath.Join(t.TempDir(), "newer.db")
	if _, err := Write(ctx, st, newer); err != nil {
		t.Fatal(err)
	}
	ns, err := store.OpenWith(ctx, newer, store.Migrations())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ns.DB.ExecContext(ctx, `INSERT INTO schema_migrations(version, name) VALUES(999, '0999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	ns.Close()
	if _, err := Restore(ctx, dir, newer, time.Now()); err == nil || !strings.Contains(err.Error(), "newer version of the app") {
		t.Fatalf("a newer backup: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused restore left a database behind")
	}
}
