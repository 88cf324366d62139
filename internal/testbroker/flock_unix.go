//go:build unix

package testbroker

import (
	"os"
	"syscall"
)

// flock blocks until it holds a shared or exclusive lock on f; closing f
// releases it.
func flock(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
}
