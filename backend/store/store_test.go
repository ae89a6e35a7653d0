package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// onlyFirst returns the embedded migration set cut down to its first n files: the schema an
// older release of the app left behind.
func onlyFirst(t *testing.T, n int) fs.FS {
	t.Helper()
	list, err := loadMigrations(Migrations())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < n {
		t.Fatalf("want at least %d migrations, have %d", n, len(list))
	}
	m := fstest.MapFS{}
	for _, mg := range list[:n] {
		m[mg.name] = &fstest.MapFile{Data: []byte(mg.sql)}
	}
	return m
}

func TestOpenSetsPragmasOnRealFile(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	var mode string
	var fk, busy int
	if err := s.DB.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := s.DB.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := s.DB.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || fk != 1 || busy < 1000 {
		t.Fatalf("journal_mode=%s foreign_keys=%d busy_timeout=%d; want wal, 1, >=1000", mode, fk, busy)
	}
	if filepath.Base(s.Path) != FileName {
		t.Fatalf("database file %s, want %s", s.Path, FileName)
	}
}

func TestFreshDatabaseIsAtNewestVersion(t *testing.T) {
	s := openTemp(t)
	list, _ := loadMigrations(Migrations())
	v, err := s.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v != list[len(list)-1].version {
		t.Fatalf("schema version %d, want %d", v, list[len(list)-1].version)
	}
}

func TestMigratesOlderSchemaKeepingData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	old, err := OpenWith(ctx, path, onlyFirst(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := old.SetSettings(ctx, map[string]string{"theme": "dark"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := old.SchemaVersion(ctx); v != 1 {
		t.Fatalf("old database at version %d, want 1", v)
	}
	old.Close()

	s, err := OpenWith(ctx, path, Migrations())
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v < 2 {
		t.Fatalf("after migration version %d, want >= 2", v)
	}
	got, ok, err := s.Setting(ctx, "theme")
	if err != nil || !ok || got != "dark" {
		t.Fatalf("setting after migration = %q %v %v; want dark", got, ok, err)
	}
	// The table added by migration 2 works.
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		return Audit(ctx, tx, time.Now(), "tester", "settings.changed", "theme dark")
	})
	if err != nil {
		t.Fatal(err)
	}
	log, err := s.AuditLog(ctx, 10)
	if err != nil || len(log) != 1 || log[0].Action != "settings.changed" {
		t.Fatalf("audit log = %+v, %v", log, err)
	}
}

func TestFailedMigrationLeavesPreviousVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	set := fstest.MapFS{
		"0001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER);`)},
		"0002_b.sql": {Data: []byte(`CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);`)},
	}
	if _, err := OpenWith(ctx, path, set); err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Fatalf("want error naming 0002_b.sql, got %v", err)
	}
	s, err := OpenWith(ctx, path, fstest.MapFS{"0001_a.sql": set["0001_a.sql"]})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != 1 {
		t.Fatalf("version %d after failed migration, want 1", v)
	}
	var n int
	s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n)
	if n != 0 {
		t.Fatal("table b from the failed migration exists: the migration was half applied")
	}
}

func TestRefusesDatabaseFromNewerApp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	newer := fstest.MapFS{
		"0001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER);`)},
		"0002_b.sql": {Data: []byte(`CREATE TABLE b (x INTEGER);`)},
	}
	s, err := OpenWith(ctx, path, newer)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = OpenWith(ctx, path, fstest.MapFS{"0001_a.sql": newer["0001_a.sql"]})
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("want a 'newer schema' error, got %v", err)
	}
}

func TestBadMigrationNames(t *testing.T) {
	for name, set := range map[string]fstest.MapFS{
		"no number": {"init.sql": {Data: []byte("")}},
		"duplicate": {"0001_a.sql": {Data: []byte("")}, "01_b.sql": {Data: []byte("")}},
	} {
		if _, err := loadMigrations(set); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestTxRollsBackEveryRowOnError(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value, updated_at) VALUES('a', '1', 'now')`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx error %v, want boom", err)
	}
	if _, ok, _ := s.Setting(ctx, "a"); ok {
		t.Fatal("row written by a rolled-back transaction is visible")
	}
}

func TestConcurrentWritersFromTwoConnectionsWait(t *testing.T) {
	// The window and the command line open the same file; with WAL and the busy timeout a
	// second writer waits for the first instead of failing with "database is locked".
	ctx := context.Background()
	dir := t.TempDir()
	a, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 50; i++ {
		for _, s := range []*Store{a, b} {
			wg.Add(1)
			go func(s *Store, i int) {
				defer wg.Done()
				errs <- s.SetSettings(ctx, map[string]string{"k" + string(rune('a'+i%26)): "v", "counter": "x"})
			}(s, i)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write failed: %v", err)
		}
	}
}
