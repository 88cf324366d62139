//go:build !unix

package testbroker

import (
	"errors"
	"os"
)

// tryFlock is not available on this system: tests against an external
// cluster (KSTAR_TEST_BROKERS) need a Unix system.
func tryFlock(*os.File, bool) (bool, error) {
	return false, errors.New("running tests against KSTAR_TEST_BROKERS needs a Unix system (flock)")
}
