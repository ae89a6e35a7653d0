//go:build windows

package synclock

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockOffset is where the locked byte range starts: far past the holder details at the
// start of the file, because a LockFileEx range blocks reads of those bytes by others and
// a second attempt must still read who holds the lock.
const lockOffset = 1 << 30

// tryLock takes an exclusive LockFileEx lock without waiting. Windows releases it when the
// holder's handle closes, including when the process dies.
func tryLock(f *os.File) (bool, error) { return lockFileEx(f, windows.LOCKFILE_EXCLUSIVE_LOCK) }

// tryLockShared takes a shared LockFileEx lock without waiting.
func tryLockShared(f *os.File) (bool, error) { return lockFileEx(f, 0) }

func lockFileEx(f *os.File, mode uint32) (bool, error) {
	ol := &windows.Overlapped{Offset: lockOffset}
	err := windows.LockFileEx(windows.Handle(f.Fd()), mode|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	default:
		return false, err
	}
}

func unlock(f *os.File) error {
	ol := &windows.Overlapped{Offset: lockOffset}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}
