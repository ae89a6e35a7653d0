// Package install opens one installation: the data folder, its database and its keychain
// namespace. The desktop app and every command-line command start here.
package install

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"cwm-webroot/backend/applog"
	"cwm-webroot/backend/datadir"
	"cwm-webroot/backend/secrets"
	"cwm-webroot/backend/store"
	"cwm-webroot/backend/syncer/synclock"
)

// Installation is an opened data folder.
type Installation struct {
	DataDir   string
	IsDefault bool
	Store     *store.Store
	Keychain  *secrets.Keychain
	// Secrets is the keychain as the rest of the app sees it (a fake in narrow tests).
	Secrets secrets.Store

	folder *synclock.Lock // shared while open: a restore waits for every holder to close
}

// FolderLock is the lock file every open installation holds in shared mode and a restore
// takes alone (LockFolder), so a database is never replaced under an open one.
const FolderLock = "folder.lock"

// ErrFolderInUse: a restore needs the data folder to itself.
var ErrFolderInUse = errors.New("the data folder is in use: quit Manage Webroot Integration (tray menu → Quit) and let running commands finish, then try again")

// LockFolder takes dir for a restore: refused (ErrFolderInUse) while any installation of it
// is open, in this process or another.
func LockFolder(dir string, h synclock.Holder) (*synclock.Lock, error) {
	if err := datadir.Ensure(dir); err != nil {
		return nil, err
	}
	l, err := synclock.AcquireFile(dir, FolderLock, h)
	if errors.Is(err, synclock.ErrBusy) {
		return nil, ErrFolderInUse
	}
	return l, err
}

// Open resolves the data folder (flag, env, default), creates it and opens the database.
func Open(ctx context.Context, dataDirFlag string) (*Installation, error) {
	dir, isDefault, err := datadir.Resolve(dataDirFlag)
	if err != nil {
		return nil, err
	}
	return OpenDir(ctx, dir, isDefault)
}

// OpenDir opens an already resolved data folder.
func OpenDir(ctx context.Context, dir string, isDefault bool) (*Installation, error) {
	if err := datadir.Ensure(dir); err != nil {
		return nil, err
	}
	folder, err := synclock.AcquireShared(dir, FolderLock)
	var busy *synclock.BusyError
	if errors.As(err, &busy) {
		return nil, fmt.Errorf("data folder %s: a restore is putting a backup in place: wait for it to finish, then try again", dir)
	}
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		folder.Release()
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	kc := secrets.NewKeychain(secrets.ServiceName(dir, isDefault))
	return &Installation{DataDir: dir, IsDefault: isDefault, Store: st, Keychain: kc, Secrets: kc, folder: folder}, nil
}

// Close closes the database, then lets a restore have the folder.
func (i *Installation) Close() error {
	err := i.Store.Close()
	if i.folder != nil {
		_ = i.folder.Release()
		i.folder = nil
	}
	return err
}

// About describes the installation for the Settings → About panel and support requests.
type About struct {
	ProductName     string `json:"productName"`
	Version         string `json:"version"`
	Commit          string `json:"commit"`
	DataDir         string `json:"dataDir"`
	DatabasePath    string `json:"databasePath"`
	SchemaVersion   int    `json:"schemaVersion"`
	KeychainService string `json:"keychainService"`
	// KeychainProblem is empty when the keychain works, else what is wrong and what to do.
	KeychainProblem string `json:"keychainProblem"`
	Demo            bool   `json:"demo"`
	// LogFile is the desktop app's log (backend/applog).
	LogFile string `json:"logFile"`
	// LastCrashAt is when the app last died of a crash (its crash log's time); nil: never.
	LastCrashAt *time.Time `json:"lastCrashAt,omitempty" ts_type:"string"`
}

// Describe reports versions, paths and whether the keychain is usable right now.
func (i *Installation) Describe(ctx context.Context, productName, version, commit string, demo bool) (About, error) {
	v, err := i.Store.SchemaVersion(ctx)
	if err != nil {
		return About{}, err
	}
	a := About{ProductName: productName, Version: version, Commit: commit, DataDir: i.DataDir,
		DatabasePath: i.Store.Path, SchemaVersion: v, KeychainService: i.Keychain.Service(), Demo: demo,
		LogFile: filepath.Join(i.DataDir, applog.Dir, applog.FileName)}
	if err := i.Keychain.Check(); err != nil {
		a.KeychainProblem = err.Error()
	}
	if _, at, err := applog.LastCrash(i.DataDir, 1); err == nil && !at.IsZero() {
		a.LastCrashAt = &at
	}
	return a, nil
}
