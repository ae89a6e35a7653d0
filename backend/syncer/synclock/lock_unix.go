//go:build unix

package synclock

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive flock without blocking. flock locks belong to the open file
// description, so a second open of the file in the same process is refused too, and the
// kernel drops the lock when the holder exits, however it exits.
func tryLock(f *os.File) (bool, error) { return flock(f, syscall.LOCK_EX) }

// tryLockShared takes a shared flock without blocking.
func tryLockShared(f *os.File) (bool, error) { return flock(f, syscall.LOCK_SH) }

func flock(f *os.File, how int) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.EINTR):
			continue
		default:
			return false, err
		}
	}
}

func unlock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
