package py

import (
	"go.starlark.net/starlark"
)

// exitFunc is a function registered with atexit.register, with its
// arguments.
type exitFunc struct {
	fn     starlark.Value
	args   starlark.Tuple
	kwargs []starlark.Tuple
}

// RegisterExit registers fn(*args, **kwargs) to run when the script
// ends (atexit.register). The caller holds the interpreter's lock.
func (in *Interp) RegisterExit(fn starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) {
	in.exitFuncs = append(in.exitFuncs, exitFunc{fn, args, kwargs})
}

// UnregisterExit removes every registration of fn (atexit.unregister),
// comparing functions with ==, as CPython does.
func (in *Interp) UnregisterExit(fn starlark.Value) error {
	kept := in.exitFuncs[:0]
	for _, f := range in.exitFuncs {
		eq, err := starlark.Equal(f.fn, fn)
		if err != nil {
			return err
		}
		if !eq {
			kept = append(kept, f)
		}
	}
	clear(in.exitFuncs[len(kept):])
	in.exitFuncs = kept
	return nil
}

// ExitFuncs is the number of functions registered to run at exit.
func (in *Interp) ExitFuncs() int { return len(in.exitFuncs) }

// ClearExitFuncs forgets the functions registered to run at exit.
func (in *Interp) ClearExitFuncs() { in.exitFuncs = nil }

// RunExitFuncs runs the functions registered to run at exit, the last
// registered first, and forgets them, as CPython does when its script
// ends: an exception one raises (SystemExit too) is printed as CPython
// prints it ("Exception ignored in atexit callback: <function f at
// 0x...>" and its traceback) and the others still run. thread holds the
// interpreter's lock.
func (in *Interp) RunExitFuncs(thread *starlark.Thread) {
	funcs := in.exitFuncs
	in.exitFuncs = nil
	for i := len(funcs) - 1; i >= 0; i-- {
		f := funcs[i]
		_, err := starlark.Call(thread, f.fn, f.args, f.kwargs)
		if err != nil {
			repr, rerr := ReprOf(thread, f.fn)
			if rerr != nil {
				repr = f.fn.String()
			}
			in.reportIgnored(thread, "Exception ignored in atexit callback: "+repr, err)
		}
	}
}
