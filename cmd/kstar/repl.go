package main

import (
	"fmt"
	"io"

	"github.com/kstar-dev/kstar/runtime"
)

// replCmd runs the interactive REPL.
func replCmd(rt *runtime.Runtime, stdin io.Reader, stdout, stderr io.Writer, bootstrap string, embedded bool) int {
	fmt.Fprintln(stderr, "kstar: the interactive REPL is not built yet; run a script or pipe one on stdin")
	return exitUsage
}
