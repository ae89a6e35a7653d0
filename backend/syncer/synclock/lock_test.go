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
