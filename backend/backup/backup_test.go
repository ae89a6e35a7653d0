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
	"cwm-webroot/backend/install"
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
	dir0, st, mapped := source(t)
	file := filepath.Join(t.TempDir(), "cwm-webroot-backup.db")
	info, err := Write(ctx, st, dir0, file, false)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mappings != mapped || info.Company != demo.DemoCompany.CompanyName || info.SchemaVersion == 0 || info.Bytes == 0 {
		t.Fatalf("backup %+v, want %d mappings of %q", info, mapped, demo.DemoCompany.CompanyName)
	}
	if _, err := Write(ctx, st, dir0, file, false); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("overwriting a backup: %v", err)
	}
	// Replacing (the save dialog asked) works; a backup inside the data folder, where it
	// could take the live database's place, is refused.
	if again, err := Write(ctx, st, dir0, file, true); err != nil || again.Mappings != mapped {
		t.Fatalf("replacing a backup: %+v %v", again, err)
	}
	for _, bad := range []string{filepath.Join(dir0, store.FileName), filepath.Join(dir0, "logs", "b.db"), dir0} {
		if _, err := Write(ctx, st, dir0, bad, true); err == nil || !strings.Contains(err.Error(), "inside the data folder") {
			t.Fatalf("backup to %s: %v", bad, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "*.partial")); len(left) != 0 {
		t.Fatalf("partial files left: %v", left)
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
	dir0, st, mapped := source(t)
	file := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Write(ctx, st, dir0, file, false); err != nil {
		t.Fatal(err)
	}
	// The data folder being restored into has a database of its own, with nothing mapped.
	dir := t.TempDir()
	markDatabase(t, dir, "the old database")

	// The desktop app (or a command) has it open: refused, nothing touched.
	app, err := install.OpenDir(ctx, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, dir, file, time.Now()); !errors.Is(err, install.ErrFolderInUse) {
		t.Fatalf("restore while the folder is open: %v", err)
	}
	app.Close()
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
	dir0, st, _ := source(t)
	newer := filepath.Join(t.TempDir(), "newer.db")
	if _, err := Write(ctx, st, dir0, newer, false); err != nil {
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

// While a restore has the folder, the app or a command cannot open it; and a database kept
// aside by a restore can itself be restored (it is copied with SQLite, log and all).
func TestOpeningWaitsForARestoreAndTheKeptDatabaseRestores(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	held, err := install.LockFolder(dir, synclock.Holder{StartedAt: time.Now(), By: "restore"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := install.OpenDir(ctx, dir, false); err == nil || !strings.Contains(err.Error(), "a restore is putting a backup in place") {
		t.Fatalf("opening during a restore: %v", err)
	}
	held.Release()

	dir0, st, mapped := source(t)
	file := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Write(ctx, st, dir0, file, false); err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	markDatabase(t, target, "kept")
	got, err := Restore(ctx, target, file, time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	if err != nil || mappingsIn(t, target) != mapped {
		t.Fatalf("first restore: %+v %v", got, err)
	}
	// Changed their mind, in the same second: the kept database goes back in, and the one
	// it replaces is kept under another name rather than over the first.
	again, err := Restore(ctx, target, got.Previous, time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if again.Previous == got.Previous || !strings.HasSuffix(again.Previous, "-2") {
		t.Fatalf("kept as %q after %q", again.Previous, got.Previous)
	}
	kept, err := store.OpenWith(ctx, again.Previous, store.Migrations())
	if err != nil {
		t.Fatal(err)
	}
	if maps, _ := mapping.New(kept, nil).All(ctx); len(maps) != mapped {
		t.Fatalf("the second kept database has %d mappings, want the backup's %d", len(maps), mapped)
	}
	kept.Close()
	back, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if v, _, _ := back.Setting(ctx, "marker"); v != "kept" {
		t.Fatalf("the kept database did not come back: marker %q", v)
	}
	if left, _ := filepath.Glob(filepath.Join(target, ".restore-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// When the restored database does not open, the previous one is put back, without a log
// file the failed attempt left beside it.
func TestFailedRestorePutsThePreviousDatabaseBack(t *testing.T) {
	ctx := context.Background()
	dir0, st, _ := source(t)
	file := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Write(ctx, st, dir0, file, false); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	markDatabase(t, dir, "the old database")
	target := filepath.Join(dir, store.FileName)
	orig := openStore
	openStore = func(context.Context, string) (*store.Store, error) {
		_ = os.WriteFile(target+"-wal", []byte("a log of the new database"), 0o600)
		return nil, errors.New("the disk said no")
	}
	defer func() { openStore = orig }()
	if _, err := Restore(ctx, dir, file, time.Now()); err == nil || !strings.Contains(err.Error(), "the previous database is back") {
		t.Fatalf("restore: %v", err)
	}
	if b, err := os.ReadFile(target + "-wal"); err == nil && strings.Contains(string(b), "new database") {
		t.Fatal("the failed attempt's log was left beside the old database")
	}
	back, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if v, _, _ := back.Setting(ctx, "marker"); v != "the old database" {
		t.Fatalf("marker %q: the old database is not back", v)
	}
	if aside, _ := filepath.Glob(target + ".before-restore-*"); len(aside) != 0 {
		t.Fatalf("files left aside: %v", aside)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".restore-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// markDatabase gives the data folder dir a database of its own, told apart by a setting.
func markDatabase(t *testing.T, dir, marker string) {
	t.Helper()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SetSettings(context.Background(), map[string]string{"marker": marker}); err != nil {
		t.Fatal(err)
	}
}
