package builtins

import (
	"fmt"
	"os"
	"runtime/debug"

	"go.starlark.net/starlark"
)

// Modules returns the importable modules for one execution, by import
// name ("json", "kafka", "kafka.errors", ...). Some depend on the Env (sys:
// argv) or keep state for one execution (logging), so each execution
// gets its own; the kafka modules are shared.
func Modules(env *Env) map[string]starlark.Value {
	m := map[string]starlark.Value{
		"json":    newJSONModule(env),
		"logging": newLoggingModule(env),
		"msgpack": newMsgpackModule(env),
		"os":      newOSModule(env),
		"sys":     newSysModule(env),
		"time":    newTimeModule(env),
	}
	for name, module := range kafkaModules() {
		m[name] = module
	}
	return m
}

// Globals returns a fresh copy of the predeclared globals (globals.go).
func Globals() starlark.StringDict {
	g := make(starlark.StringDict, len(globals))
	for k, v := range globals {
		g[k] = v
	}
	return g
}

// BuiltinFunc is the signature of a Starlark builtin's implementation.
type BuiltinFunc = func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// Func returns a builtin that recovers from panics: a bug in kstar or in a
// host-added builtin becomes a RuntimeError at the script's position
// instead of a Go stack trace.
func Func(name string, fn BuiltinFunc) *starlark.Builtin {
	return starlark.NewBuiltin(name, Guard(fn))
}

// Guard wraps fn so that a panic becomes a RuntimeError.
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
		return fn(thread, b, args, kwargs)
	}
}

// debugPanics prints the Go stack of recovered panics (for kstar's own
// debugging; set KSTAR_DEBUG_PANICS=1).
var debugPanics = os.Getenv("KSTAR_DEBUG_PANICS") != ""
