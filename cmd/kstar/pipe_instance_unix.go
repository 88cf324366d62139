//go:build unix

package main

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on f if no other process holds one,
// and reports whether it did; closing f (or the process ending) releases
// it.
func lockFile(f *os.File) (bool, error) {
	for {
		switch err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err {
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
