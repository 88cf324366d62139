//go:build !unix

package main

import (
	"errors"
	"os"
)

// lockFile is not available here: pipes started without --instance-id
// join as dynamic members.
func lockFile(*os.File) (bool, error) { return false, errors.ErrUnsupported }
