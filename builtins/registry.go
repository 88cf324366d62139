package builtins

import (
	"fmt"
	"runtime/debug"

	"go.starlark.net/starlark"
)

// Each module and global registers itself from its own file's init, so
// adding one touches only that file.
var (
	moduleMakers = map[string]func(env *Env) starlark.Value{}
	globals      = starlark.StringDict{}
)

// registerModule makes a module importable under name; make builds it for
// one execution (modules such as sys depend on the Env).
func registerModule(name string, make func(env *Env) starlark.Value) {
	moduleMakers[name] = make
}

// registerGlobal predeclares a global every script sees.
func registerGlobal(name string, v starlark.Value) { globals[name] = v }

// Modules returns the importable modules for one execution, by import
// name ("json", "kafka", "kafka.errors", ...).
func Modules(env *Env) map[string]starlark.Value {
	m := make(map[string]starlark.Value, len(moduleMakers))
	for name, make := range moduleMakers {
		m[name] = make(env)
	}
	return m
}

// Globals returns a fresh copy of the predeclared globals: Python's
// builtins as kstar provides them, overriding Starlark's where they differ.
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
var debugPanics = false
