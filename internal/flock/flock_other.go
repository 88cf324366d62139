//go:build !unix

package flock

import (
	"errors"
	"os"
)

// TryLock is not available on this system.
func TryLock(*os.File, bool) (bool, error) {
	return false, errors.ErrUnsupported
}
