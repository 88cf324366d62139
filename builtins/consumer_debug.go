package builtins

import (
	"fmt"
	"os"
)

var consumerDebug = os.Getenv("KSTAR_DEBUG_CONSUMER") != ""

func dbg(format string, args ...any) {
	if consumerDebug {
		fmt.Fprintf(os.Stderr, "DBG "+format+"\n", args...)
	}
}
