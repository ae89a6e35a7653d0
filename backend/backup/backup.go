// Package backup copies an installation's database to one file and puts such a copy back:
// mappings, history, the activity log, users and settings survive a broken disk or a move
// to a new computer. Secrets are not in it (they live in the OS keychain): after a restore
// on another computer the two connections need their keys again.
//
// A backup is SQLite's VACUUM INTO: one consistent file even while the app writes. A
// restore refuses to run while the data folder is open (the desktop app or a command) or a
// sync runs, and keeps the database it replaces beside the new one.
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cwm-webroot/backend/install"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/syncer/synclock"
)

// Info describes a backup file.
type Info struct {
	Path          string `json:"path"`
	SchemaVersion int    `json:"schemaVersion"`
	Company       string `json:"company"` // "" before sign-up
	Mappings      int    `json:"mappings"`
	Runs          int    `json:"runs"`
	Bytes         int64  `json:"bytes"`
}

// DefaultName is the file name a save dialog offers.
func DefaultName(now time.Time) string {
	return "cwm-webroot-backup-" + now.Format("20060102-1504") + ".db"
}

// Write copies the database of st, kept in the data folder dataDir, to path and checks the
// copy. An existing file is replaced only when replace is set (a save dialog has asked),
// and only once the new copy is whole; a path inside the data folder is refused, since a
// backup there could take the place of the live database or go down with the folder.
func Write(ctx context.Context, st *store.Store, dataDir, path string, replace bool) (Info, error) {
	if inside(dataDir, path) {
		return Info{}, fmt.Errorf("%s is inside the data folder %s: keep backups somewhere else, such as another disk", path, dataDir)
	}
	if _, err := os.Stat(path); err == nil && !replace {
		return Info{}, fmt.Errorf("%s already exists: choose another file name", path)
	}
	tmp := path + ".partial"
	_ = os.Remove(tmp)
	defer os.Remove(tmp) // gone once renamed; a leftover only after a failure
	if _, err := st.DB.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return Info{}, fmt.Errorf("copying the database: %w", err)
	}
	info, err := Inspect(ctx, tmp)
	if err != nil {
		return Info{}, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return Info{}, fmt.Errorf("saving the backup: %w", err)
	}
	info.Path = path
	return info, nil
}

// inside says whether path is in the folder dir (or is dir), comparing absolute paths with
// symbolic links resolved where they exist.
func inside(dir, path string) bool {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			return filepath.Clean(p)
		}
		if r, err := filepath.EvalSymlinks(a); err == nil {
			return r
		}
		// The file itself may not exist yet: resolve its folder.
		if r, err := filepath.EvalSymlinks(filepath.Dir(a)); err == nil {
			return filepath.Join(r, filepath.Base(a))
		}
		return a
	}
	rel, err := filepath.Rel(abs(dir), abs(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Inspect opens a backup read-only, checks that it is whole and is this app's database,
// and says what it holds.
func Inspect(ctx context.Context, path string) (Info, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Info{}, fmt.Errorf("reading the backup: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_query_only=1")
	if err != nil {
		return Info{}, fmt.Errorf("opening the backup: %w", err)
	}
	defer db.Close()
	notOurs := fmt.Errorf("%s is not a Manage Webroot Integration backup", path)
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return Info{}, fmt.Errorf("%w: %v", notOurs, err)
	}
	if check != "ok" {
		return Info{}, fmt.Errorf("the backup %s is damaged: %s", path, check)
	}
	info := Info{Path: path, Bytes: fi.Size()}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&info.SchemaVersion); err != nil {
		return Info{}, notOurs
	}
	for _, q := range []struct {
		sql string
		dst *int
	}{{`SELECT COUNT(*) FROM mappings`, &info.Mappings}, {`SELECT COUNT(*) FROM sync_runs`, &info.Runs}} {
		if err := db.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil && !strings.Contains(err.Error(), "no such table") {
			return Info{}, fmt.Errorf("%w: %v", notOurs, err)
		}
	}
	var company sql.NullString
	err = db.QueryRowContext(ctx, `SELECT name FROM company LIMIT 1`).Scan(&company)
	if err != nil && !errors.Is(err, sql.ErrNoRows) && !strings.Contains(err.Error(), "no such table") {
		return Info{}, fmt.Errorf("%w: %v", notOurs, err)
	}
	info.Company = company.String
	return info, nil
}

// Restored says what a restore did.
type Restored struct {
	Info
	// Previous is where the replaced database now is ("" when there was none).
	Previous string `json:"previous"`
}

// dbFiles are the suffixes of a SQLite database's files: the database, its write-ahead log
// and its shared-memory index. They move together, or a log ends up beside the wrong file.
var dbFiles = []string{"", "-wal", "-shm"}

// Restore makes the backup at from the database of the data folder dir. The copy is made,
// migrated to this version and checked beside the live database first; only then does it
// replace the live one, in one rename, and a failure after that puts the old one back. The
// database it replaces is kept beside it, never deleted. It refuses while the data folder is open (the app or a
// command: install.LockFolder) or a sync runs, and refuses a backup from a newer version.
func Restore(ctx context.Context, dir, from string, now time.Time) (Restored, error) {
	info, err := Inspect(ctx, from)
	if err != nil {
		return Restored{}, err
	}
	latest, err := store.LatestVersion()
	if err != nil {
		return Restored{}, err
	}
	if info.SchemaVersion > latest {
		return Restored{}, fmt.Errorf("the backup was made by a newer version of the app (database version %d, this one knows %d): update the app first", info.SchemaVersion, latest)
	}
	holder := synclock.Holder{StartedAt: now, By: "restore"}
	folder, err := install.LockFolder(dir, holder)
	if err != nil {
		return Restored{}, err
	}
	defer folder.Release()
	syncLock, err := synclock.Acquire(dir, holder)
	if err != nil {
		return Restored{}, fmt.Errorf("cannot restore now: %w", err)
	}
	defer syncLock.Release()

	// 1. The new database, complete and at this version, beside the live one.
	tmp := filepath.Join(dir, ".restore-"+store.FileName)
	removeDB(tmp)
	defer removeDB(tmp) // gone once moved into place; left over only after a failure
	if err := copyDatabase(ctx, from, tmp); err != nil {
		return Restored{}, fmt.Errorf("copying the backup into the data folder: %w", err)
	}
	version, err := migrate(ctx, tmp)
	if err != nil {
		return Restored{}, fmt.Errorf("bringing the backup up to this version: %w", err)
	}

	// 2. The swap. The live database is first made a single file (its log written into
	// it), then kept under a second name (a hard link, or a copy where links are not
	// possible), then replaced in one rename: the folder never lacks a database, even if
	// the process dies in between, and no log file is ever left beside the wrong database.
	target := filepath.Join(dir, store.FileName)
	out := Restored{Info: info}
	out.Path, out.SchemaVersion = target, version
	if _, err := os.Stat(target); err == nil {
		if err := singleFile(ctx, target); err != nil {
			return Restored{}, fmt.Errorf("preparing the current database: %w", err)
		}
		out.Previous = keptName(target, now)
		if err := keep(target, out.Previous); err != nil {
			return Restored{}, fmt.Errorf("keeping the current database: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return Restored{}, err
	}
	for _, suffix := range dbFiles[1:] {
		// Only a log without its database can be here now: it belongs to nothing.
		_ = os.Remove(target + suffix)
	}
	if err := os.Rename(tmp, target); err != nil {
		return Restored{}, fmt.Errorf("putting the backup in place (the current database is unchanged): %w", err)
	}
	st, err := openStore(ctx, dir)
	if err != nil {
		return Restored{}, putBack(target, out.Previous, fmt.Errorf("the restored database does not open: %w", err))
	}
	return out, st.Close()
}

// putBack undoes a swap whose new database failed: its log files go, the kept database
// returns. When that fails too, the error says where the kept database is.
func putBack(target, kept string, cause error) error {
	for _, suffix := range dbFiles[1:] {
		_ = os.Remove(target + suffix)
	}
	if kept == "" {
		if err := os.Remove(target); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w; removing it failed as well (%v): delete %s before starting the app", cause, err, target)
		}
		return fmt.Errorf("%w (the data folder is as it was: empty)", cause)
	}
	if err := os.Rename(kept, target); err != nil {
		return fmt.Errorf("%w; putting the previous database back failed as well (%v): with the app closed, rename %s to %s", cause, err, kept, target)
	}
	return fmt.Errorf("%w (the previous database is back)", cause)
}

// singleFile writes the database's log into it and leaves it without one.
func singleFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		return err
	}
	defer db.Close()
	return toRollbackJournal(ctx, db)
}

// toRollbackJournal checkpoints the log and switches the database out of WAL mode on one
// connection, and checks that SQLite did.
func toRollbackJournal(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return err
	}
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "delete") {
		return fmt.Errorf("the database stayed in %s mode", mode)
	}
	return nil
}

// keptName is the free name the replaced database is kept under.
func keptName(target string, now time.Time) string {
	base := target + ".before-restore-" + now.Format("20060102-150405")
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		free := true
		for _, suffix := range dbFiles {
			if _, err := os.Lstat(name + suffix); err == nil {
				free = false
			}
		}
		if free {
			return name
		}
	}
}

// keep gives the database a second name: a hard link (instant, and the live name stays),
// or a copy where the file system has no links.
func keep(path, kept string) error {
	if err := os.Link(path, kept); err == nil {
		return nil
	}
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(kept, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(kept)
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		os.Remove(kept)
		return err
	}
	return dst.Close()
}

// openStore opens the restored database; tests make it fail.
var openStore = store.Open

// copyDatabase writes a consistent copy of the database at from to to, with SQLite rather
// than byte by byte, so a source that still has a write-ahead log beside it (a database kept
// aside by an earlier restore) is copied with what that log holds.
func copyDatabase(ctx context.Context, from, to string) error {
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: from}).EscapedPath()+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, to)
	return err
}

// migrate opens the database at path with this version's migrations, then leaves it as a
// single file (no write-ahead log) so it can be renamed into place, and returns its version.
func migrate(ctx context.Context, path string) (int, error) {
	st, err := store.OpenWith(ctx, path, store.Migrations())
	if err != nil {
		return 0, err
	}
	v, err := st.SchemaVersion(ctx)
	if err == nil {
		err = toRollbackJournal(ctx, st.DB)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return v, err
}

// removeDB removes a database's files.
func removeDB(path string) {
	for _, suffix := range dbFiles {
		_ = os.Remove(path + suffix)
	}
}
