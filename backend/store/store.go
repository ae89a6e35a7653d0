// Package store owns the SQLite database in the data folder: opening it with the pragmas the
// app relies on, applying the embedded migrations, and the small helpers other packages use
// to run their writes in transactions.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver (cgo)
)

// FileName is the database file inside the data folder.
const FileName = "cwm-webroot.db"

//go:embed migrations/*.sql
var embedded embed.FS

// Migrations returns the migrations compiled into the binary.
func Migrations() fs.FS {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	return sub
}

// Store is the open database. It is safe for concurrent use.
type Store struct {
	DB   *sql.DB
	Path string
}

// Open opens (creating if needed) the database file in dir and migrates it to the newest
// schema the binary knows.
func Open(ctx context.Context, dir string) (*Store, error) {
	return OpenWith(ctx, filepath.Join(dir, FileName), Migrations())
}

// OpenWith opens the database at path and applies migrations from the given set; tests use
// it to build databases at older schema versions.
func OpenWith(ctx context.Context, path string, migrations fs.FS) (*Store, error) {
	q := url.Values{}
	// WAL lets the window, the tray's scheduler and the command line read while one writes;
	// the busy timeout makes a second writer wait instead of failing at once; _txlock=immediate
	// takes the write lock at BEGIN so two transactions cannot deadlock upgrading their locks.
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	s := &Store{DB: db, Path: path}
	if err := s.migrate(ctx, migrations); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.DB.Close() }

// Tx runs fn in one transaction: committed when fn returns nil, rolled back otherwise, so a
// multi-row write is never left half done.
func (s *Store) Tx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	return nil
}

// ErrNotFound is returned by lookups that find no row.
var ErrNotFound = errors.New("not found")
