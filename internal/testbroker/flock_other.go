//go:build !unix

package testbroker

import (
	"errors"
	"os"
)

// flock is not available on this system: tests against an external
// cluster (KSTAR_TEST_BROKERS) need a Unix system.
func flock(*os.File, bool) error {
	return errors.New("running tests against KSTAR_TEST_BROKERS needs a Unix system (flock)")
}
