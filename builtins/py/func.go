package py

import (
	"fmt"
	"os"
	"runtime/debug"

	"go.starlark.net/starlark"
)

// BuiltinFunc is the signature of a Starlark builtin's implementation.
type BuiltinFunc = func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// Func returns a builtin that recovers from panics: a bug in kstar or in a
// host-added builtin becomes a RuntimeError at the script's position
// instead of a Go stack trace.
func Func(name string, fn BuiltinFunc) *starlark.Builtin {
	return starlark.NewBuiltin(name, Guard(fn))
}

// Guard wraps fn so that a panic becomes a RuntimeError, and so that a
// blocking call a signal interrupted is made again once the signal's
// handler has returned (see ErrSignalHandled).
func Guard(fn BuiltinFunc) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (v starlark.Value, err error) {
		defer func() {
			if p := recover(); p != nil {
				if debugPanics {
					fmt.Printf("panic in %s: %v\n%s", b.Name(), p, debug.Stack())
				}
				v, err = nil, Errorf(RuntimeError, "internal error in %s: %v", b.Name(), p)
			}
		}()
		v, err = fn(thread, b, args, kwargs)
		for err == ErrSignalHandled {
			v, err = fn(thread, b, args, kwargs)
		}
		return v, err
	}
}

// debugPanics prints the Go stack of recovered panics (for kstar's own
// debugging; set KSTAR_DEBUG_PANICS=1).
var debugPanics = os.Getenv("KSTAR_DEBUG_PANICS") != ""
