//go:build unix

// Package flock takes advisory locks on files (flock(2)), which the
// operating system releases when the process ends, however it ends.
package flock

import (
	"os"
	"syscall"
)

// TryLock takes a shared or exclusive lock on f if nobody holds a
// conflicting one, and reports whether it did; closing f releases it.
func TryLock(f *os.File, exclusive bool) (bool, error) {
	how := syscall.LOCK_SH | syscall.LOCK_NB
	if exclusive {
		how = syscall.LOCK_EX | syscall.LOCK_NB
	}
	for {
		switch err := syscall.Flock(int(f.Fd()), how); err {
		case nil:
			return true, nil
		case syscall.EWOULDBLOCK:
			return false, nil
		case syscall.EINTR:
		default:
			return false, err
		}
	}
}
