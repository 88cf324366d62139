// Package atexit is kstar's atexit module: functions that run when the
// script ends, as CPython runs them:
//
//	register(func, *args, **kwargs)   returns func (so it decorates too)
//	unregister(func)                  forgets every registration of func
//	_run_exitfuncs(), _clear(), _ncallbacks()
//
// The runtime runs them (py.Interp.RunExitFuncs), the last registered
// first, when the script ends normally, by an uncaught exception (after
// its traceback is printed), by sys.exit or by Ctrl-C, after the
// threads that are not daemon ended and before generators left
// suspended are closed and the Kafka clients flushed and closed; a
// loaded Script and a REPL Session run them when closed. An exception a
// function raises is printed ("Exception ignored in atexit callback:
// ...") and the others still run. They do not run when the host
// cancelled the execution or a limit stopped it.
package atexit

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the atexit module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "atexit", Members: starlark.StringDict{
		"register":       py.Func("register", register),
		"unregister":     py.Func("unregister", unregister),
		"_run_exitfuncs": py.Func("_run_exitfuncs", runExitFuncs),
		"_clear":         py.Func("_clear", clearExitFuncs),
		"_ncallbacks":    py.Func("_ncallbacks", ncallbacks),
	}}
}

// register is atexit.register(func, *args, **kwargs).
func register(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "register() takes at least 1 argument (0 given)")
	}
	fn := args[0]
	if _, ok := fn.(starlark.Callable); !ok {
		return nil, py.Errorf(py.TypeError, "the first argument must be callable")
	}
	py.InterpOf(thread).RegisterExit(fn, append(starlark.Tuple(nil), args[1:]...), kwargs)
	return fn, nil
}

// unregister is atexit.unregister(func).
func unregister(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "atexit.unregister() takes exactly one argument (%d given)", len(args)+len(kwargs))
	}
	return starlark.None, py.InterpOf(thread).UnregisterExit(args[0])
}

// runExitFuncs is atexit._run_exitfuncs(): runs them now, and forgets them.
func runExitFuncs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	py.InterpOf(thread).RunExitFuncs(thread)
	return starlark.None, nil
}

// clearExitFuncs is atexit._clear().
func clearExitFuncs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	py.InterpOf(thread).ClearExitFuncs()
	return starlark.None, nil
}

// ncallbacks is atexit._ncallbacks().
func ncallbacks(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt(py.InterpOf(thread).ExitFuncs()), nil
}
