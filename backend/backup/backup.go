// Package backup copies an installation's database to one file and puts such a copy back:
// mappings, history, the activity log, users and settings survive a broken disk or a move
// to a new computer. Secrets are not in it (they live in the OS keychain): after a restore
// on another computer the two connections need their keys again.
//
// A backup is SQLite's VACUUM INTO: one consistent file even while the app writes. A
// restore refuses to run while the desktop app has the data folder open (it holds AppLock)
// or a sync runs, and keeps the database it replaces beside the new one.
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

	"cwm-webroot/backend/store"
	"cwm-webroot/backend/syncer/synclock"
)

// AppLock is the lock file the desktop app holds in its data folder while it runs.
const AppLock = "app.lock"

// ErrAppRunning: the desktop app has the data folder open.
var ErrAppRunning = errors.New("Manage Webroot Integration is running on this data folder: quit it (tray menu → Quit), then try again")

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

// HoldAppLock takes the desktop app's lock of dir for as long as it runs; Release it at
// shutdown. A second instance that briefly starts gets ErrAppRunning, which it may ignore.
func HoldAppLock(dir string) (*synclock.Lock, error) {
	l, err := synclock.AcquireFile(dir, AppLock, synclock.Holder{StartedAt: time.Now(), By: "desktop app"})
	if errors.Is(err, synclock.ErrBusy) {
		return nil, ErrAppRunning
	}
	return l, err
}

// Write copies the database of st to path (which must not exist yet) and checks the copy.
func Write(ctx context.Context, st *store.Store, path string) (Info, error) {
	if _, err := os.Stat(path); err == nil {
		return Info{}, fmt.Errorf("%s already exists: choose another file name", path)
	}
	tmp := path + ".partial"
	_ = os.Remove(tmp)
	if _, err := st.DB.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return Info{}, fmt.Errorf("copying the database: %w", err)
	}
	info, err := Inspect(ctx, tmp)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return Info{}, err
	}
	info.Path = path
	return info, nil
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

// Restore makes the backup at from the database of the data folder dir, migrating it when
// it comes from an older version. The database it replaces is moved aside, never deleted.
// It refuses while the desktop app runs on dir or a sync runs, and refuses a backup made
// by a newer version of the app.
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
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Restored{}, err
	}
	app, err := HoldAppLock(dir)
	if err != nil {
		return Restored{}, err
	}
	defer app.Release()
	syncLock, err := synclock.Acquire(dir, synclock.Holder{StartedAt: now, By: "restore"})
	if err != nil {
		return Restored{}, fmt.Errorf("cannot restore now: %w", err)
	}
	defer syncLock.Release()

	target := filepath.Join(dir, store.FileName)
	tmp := filepath.Join(dir, ".restore-"+store.FileName)
	if err := copyFile(from, tmp); err != nil {
		return Restored{}, fmt.Errorf("copying the backup into the data folder: %w", err)
	}
	out := Restored{Info: info}
	if _, err := os.Stat(target); err == nil {
		// The database travels with its WAL and shared-memory files, so the copy kept
		// aside is whole too.
		out.Previous = target + ".before-restore-" + now.Format("20060102-150405")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(target+suffix, out.Previous+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				_ = os.Remove(tmp)
				return Restored{}, fmt.Errorf("moving the current database aside: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return Restored{}, fmt.Errorf("putting the backup in place: %w", err)
	}
	// Opening migrates a backup from an older version to this one.
	st, err := store.Open(ctx, dir)
	if err != nil {
		return out, fmt.Errorf("the restored database does not open: %w", err)
	}
	defer st.Close()
	out.Path = target
	out.SchemaVersion, err = st.SchemaVersion(ctx)
	return out, err
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
