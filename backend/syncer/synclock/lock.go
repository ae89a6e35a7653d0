// Package synclock is the one-sync-at-a-time lock of an installation: an operating-system
// file lock on a file in the data folder. The window, the tray's schedule and the command
// line may be different processes, so an in-process mutex is not enough; and a lock that a
// crashed process could leave behind would stop every later sync, so the lock is one the
// operating system drops when its holder dies (flock on unix, LockFileEx on Windows) rather
// than the mere presence of a file.
//
// The holder writes who it is (process id, start time, what started it) into the file, so
// a second attempt can say "a sync is already running (started … by …)".
package synclock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FileName is the lock file inside the data folder.
const FileName = "sync.lock"

// Holder describes who holds the lock.
type Holder struct {
	PID       int       `json:"pid"`
	StartedAt time.Time `json:"startedAt"`
	// By says what started the sync: "command line (dana)", "schedule", a user's email.
	By string `json:"by"`
}

// BusyError is returned when another sync holds the lock.
type BusyError struct {
	Holder Holder // zero when the holder's details could not be read
}

func (e *BusyError) Error() string {
	h := e.Holder
	if h.StartedAt.IsZero() {
		return "a sync is already running: wait for it to finish, then try again"
	}
	by := h.By
	if by == "" {
		by = "another process"
	}
	return fmt.Sprintf("a sync is already running (started %s by %s, process %d): wait for it to finish, then try again",
		h.StartedAt.Local().Format("2006-01-02 15:04:05 MST"), by, h.PID)
}

// ErrBusy matches every *BusyError with errors.Is.
var ErrBusy = errors.New("a sync is already running")

// Is lets errors.Is(err, ErrBusy) match.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Lock is a held lock.
type Lock struct {
	f      *os.File
	shared bool
}

// AcquireShared takes the lock named name in dir in shared mode without waiting: any number
// of shared holders at once, none while someone holds it with AcquireFile (a *BusyError
// naming that holder).
func AcquireShared(dir, name string) (*Lock, error) {
	f, err := take(filepath.Join(dir, name), tryLockShared)
	if err != nil {
		return nil, err
	}
	return &Lock{f: f, shared: true}, nil
}

// Acquire takes the sync lock in dir without waiting: a lock held by another process, or
// by another Acquire in this one, is a *BusyError.
func Acquire(dir string, h Holder) (*Lock, error) {
	return AcquireFile(dir, FileName, h)
}

// AcquireFile takes the lock named name in dir alone, the same way: the data folder's other
// lock (install.FolderLock, which a restore takes alone) uses the same machinery.
func AcquireFile(dir, name string, h Holder) (*Lock, error) {
	path := filepath.Join(dir, name)
	f, err := take(path, tryLock)
	if err != nil {
		return nil, err
	}
	if h.PID == 0 {
		h.PID = os.Getpid()
	}
	if err := writeHolder(f, h); err != nil {
		_ = unlock(f)
		f.Close()
		return nil, fmt.Errorf("writing the lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// take opens the lock file and locks it with try; a lock held elsewhere is a *BusyError
// naming the holder written in the file.
func take(path string, try func(*os.File) (bool, error)) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the lock %s: %w", path, err)
	}
	ok, err := try(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("taking the lock %s: %w", path, err)
	}
	if !ok {
		holder := readHolder(f)
		f.Close()
		return nil, &BusyError{Holder: holder}
	}
	return f, nil
}

// Release gives the lock up. The file stays: removing it would race with a process that has
// just opened it.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	if !l.shared { // shared holders wrote nothing; another may still hold it
		_ = l.f.Truncate(0)
	}
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

func writeHolder(f *os.File, h Holder) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(append(b, '\n'), 0); err != nil {
		return err
	}
	return f.Sync()
}

// readHolder reads the details the holder wrote; they are informative only, so a file that
// cannot be read yields a zero Holder.
func readHolder(f *os.File) Holder {
	var h Holder
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 4096))
	if err != nil {
		return h
	}
	_ = json.Unmarshal([]byte(strings.TrimSpace(string(b))), &h)
	return h
}
