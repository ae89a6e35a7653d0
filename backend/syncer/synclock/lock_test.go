package synclock

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSecondAcquireIsBusyAndNamesTheHolder(t *testing.T) {
	dir := t.TempDir()
	started := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	l, err := Acquire(dir, Holder{StartedAt: started, By: "schedule"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir, Holder{StartedAt: time.Now(), By: "command line"})
	var busy *BusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) {
		t.Fatalf("second acquire: %v", err)
	}
	if busy.Holder.By != "schedule" || !busy.Holder.StartedAt.Equal(started) || busy.Holder.PID == 0 {
		t.Fatalf("holder %+v", busy.Holder)
	}
	if msg := err.Error(); !strings.Contains(msg, "a sync is already running (started ") || !strings.Contains(msg, "by schedule") {
		t.Fatalf("message %q", msg)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := Acquire(dir, Holder{By: "user"})
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	l2.Release()
	if err := (*Lock)(nil).Release(); err != nil {
		t.Fatal(err)
	}
}

// Shared holders coexist (the app and commands on a data folder); the one exclusive holder
// (a restore) waits for all of them, and while it holds the lock every shared attempt is
// refused with its name.
func TestSharedAndExclusive(t *testing.T) {
	dir := t.TempDir()
	a, err := AcquireShared(dir, "folder.lock")
	if err != nil {
		t.Fatal(err)
	}
	b, err := AcquireShared(dir, "folder.lock")
	if err != nil {
		t.Fatalf("a second shared holder: %v", err)
	}
	if _, err := AcquireFile(dir, "folder.lock", Holder{By: "restore"}); !errors.Is(err, ErrBusy) {
		t.Fatalf("exclusive while shared are held: %v", err)
	}
	a.Release()
	if _, err := AcquireFile(dir, "folder.lock", Holder{By: "restore"}); !errors.Is(err, ErrBusy) {
		t.Fatalf("exclusive while one shared is still held: %v", err)
	}
	b.Release()
	x, err := AcquireFile(dir, "folder.lock", Holder{StartedAt: time.Now(), By: "restore"})
	if err != nil {
		t.Fatal(err)
	}
	var busy *BusyError
	if _, err := AcquireShared(dir, "folder.lock"); !errors.As(err, &busy) || busy.Holder.By != "restore" {
		t.Fatalf("shared while a restore holds it: %v", err)
	}
	x.Release()
	if c, err := AcquireShared(dir, "folder.lock"); err != nil {
		t.Fatalf("shared after the restore: %v", err)
	} else {
		c.Release()
	}
}
