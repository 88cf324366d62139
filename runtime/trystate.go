package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/kafka"
	libjson "github.com/kstar-dev/kstar/builtins/lib/json"
	"github.com/kstar-dev/kstar/builtins/lib/msgpack"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// The helpers the code of a lowered try statement (frontend/lower_try.go)
// calls: __try__ runs its blocks, __caught__ matches an except clause,
// __raise__ raises.

// callHandling calls fn(args...) with exc (caught in err) as the
// exception being handled. An error fn raises gets exc as its context.
func callHandling(thread *starlark.Thread, fn starlark.Value, args starlark.Tuple, exc *py.Exception, err error) (starlark.Value, error) {
	h := py.Handling(thread)
	*h = append(*h, py.Handled{Exc: exc, Err: err})
	v, ferr := starlark.Call(thread, fn, args, nil)
	if name := (*h)[len(*h)-1].Name; ferr != nil && name != nil {
		// As Python's implicit finally of "except E as name:"
		// (name = None; del name) when an exception leaves the clause.
		name.(*cell).v = nil
	}
	*h = (*h)[:len(*h)-1]
	if ferr != nil && !sameError(ferr, err) { // a bare raise re-raises err as it is
		ferr = chained(thread, ferr, exc)
	}
	return v, ferr
}

// sameError reports whether a and b are the same error value.
func sameError(a, b error) bool {
	return reflect.TypeOf(a) == reflect.TypeOf(b) && reflect.TypeOf(a).Comparable() && a == b
}

// chained returns err, an error raised while context was being handled,
// with its exception's __context__ set (unless it has one, or is
// context). An error that carries no Python exception (one Starlark
// raised) is returned as the exception made from it, which keeps the
// error and so its traceback.
func chained(thread *starlark.Thread, err error, context *py.Exception) error {
	err, ok := catchable(thread, err)
	if !ok {
		return err
	}
	exc := py.AsException(err)
	native := exc == nil
	if native {
		exc = pyException(err)
	}
	setContext(exc, context)
	if native {
		return exc
	}
	return err
}

// setContext makes context the __context__ of exc, unless exc has one or
// that would make a cycle.
func setContext(exc, context *py.Exception) {
	if exc.Context != nil || context == nil {
		return
	}
	for c := context; c != nil; c = c.Context {
		if c == exc {
			return
		}
	}
	exc.Context = context
}

// newTryRunner is __try__(body, handlers, orelse, finally): the runner of
// a try statement whose blocks are those functions (or 0 for those it
// lacks).
func newTryRunner(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 4 || len(kwargs) != 0 || block(args[0]) == nil {
		return nil, fmt.Errorf("%s: want a body and 3 blocks", b.Name())
	}
	return &tryRunner{body: block(args[0]), handlers: block(args[1]), orElse: block(args[2]), final: block(args[3]), env: py.EnvOf(thread)}, nil
}

// tryRunner runs a try statement each time it is called (without
// arguments, so that the call costs no allocation).
type tryRunner struct {
	body, handlers, orElse, final starlark.Callable
	// env is the execution's, where signals wait: the function (or
	// module) that holds the try makes its runner, and runs it, on one
	// of the execution's threads.
	env *py.Env
}

var _ starlark.Callable = (*tryRunner)(nil)

func (r *tryRunner) String() string        { return "<try>" }
func (r *tryRunner) Type() string          { return "try" }
func (r *tryRunner) Truth() starlark.Bool  { return true }
func (r *tryRunner) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'try'") }

// Name is the name of the runner's frame, which tracebacks hide.
func (r *tryRunner) Name() string { return frontend.TryFunc }

func (r *tryRunner) Freeze() {
	for _, b := range []starlark.Callable{r.body, r.handlers, r.orElse, r.final} {
		if b != nil {
			b.Freeze()
		}
	}
}

// CallInternal runs the try statement's blocks as Python does and
// returns the jump that ends the statement (None, or what a block
// returned: a return's 1-tuple, break's 1, continue's 2), or raises the
// exception left.
func (r *tryRunner) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	handlers, orElse, final := r.handlers, r.orElse, r.final
	// A signal waiting for delivery is raised here, as the body's
	// exception, rather than at the next step hook, which may be past
	// the try.
	var jump starlark.Value
	var err error
	if r.env.SignalsWaiting() {
		err = signalsBeforeStatement(thread)
	}
	if err == nil {
		jump, err = starlark.Call(thread, r.body, nil, nil)
	}
	var exc *py.Exception // the exception pending after the handlers
	if err != nil {
		var ok bool
		if err, ok = catchable(thread, err); !ok {
			return nil, err
		}
		exc = caught(thread, err)
		if serr := r.signalsBeforeHandlers(thread); serr != nil {
			// A signal that came meanwhile is raised where the handlers
			// begin, as CPython checks for one between bytecodes.
			jump, err = nil, chained(thread, serr, exc)
		} else if handlers != nil {
			v, herr := callHandling(thread, handlers, starlark.Tuple{exc}, exc, err)
			switch {
			case herr != nil:
				jump, err = nil, herr
			case v != exc:
				jump, err, exc = v, nil, nil
			}
		}
	} else if orElse != nil && jump == starlark.None {
		jump, err = starlark.Call(thread, orElse, nil, nil)
	}
	if err != nil {
		var ok bool
		if err, ok = catchable(thread, err); !ok {
			return nil, err
		}
	}
	if final != nil {
		var fjump starlark.Value
		var ferr error
		if err != nil {
			pending := py.AsException(err)
			if pending == nil {
				pending = caught(thread, err)
			}
			fjump, ferr = callHandling(thread, final, nil, pending, err)
		} else {
			fjump, ferr = starlark.Call(thread, final, nil, nil)
		}
		if ferr != nil {
			return nil, ferr
		}
		if fjump != starlark.None { // a jump in finally wins over all
			return fjump, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return jump, nil
}

// signalsBeforeHandlers delivers the signals waiting when a try's
// handlers begin.
func (r *tryRunner) signalsBeforeHandlers(thread *starlark.Thread) error {
	if !r.env.SignalsWaiting() {
		return nil
	}
	return signalsBeforeStatement(thread)
}

// block is x, a block of a try statement, or nil for one it lacks.
// Blocks are nested functions the lowering makes.
func block(x starlark.Value) starlark.Callable {
	c, _ := x.(starlark.Callable)
	return c
}

// caught is the exception an except clause sees for err, caught by the
// function that called __try__: err, from that function's frame on, is
// its traceback.
func caught(thread *starlark.Thread, err error) *py.Exception {
	exc := pyException(err)
	exc.Traceback = &caughtAt{err: err, depth: thread.CallStackDepth() - 2}
	return exc
}

// caughtAt is an error caught by the function at depth depth of its
// call stack, whose traceback starts there, as Python's __traceback__.
type caughtAt struct {
	err   error
	depth int
}

func (e *caughtAt) Error() string { return e.err.Error() }
func (e *caughtAt) Unwrap() error { return e.err }

// caughtBy is __caught__(exc, classes): whether the except clause of
// classes (None for a bare except) catches exc. __caught__(exc, classes,
// cell), for "except E as name:", also binds name's cell to exc when it
// does, for the clause's end to unbind (callHandling when an exception
// leaves the clause).
func caughtBy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) < 2 || len(args) > 3 || len(kwargs) > 0 {
		return nil, fmt.Errorf("%s: want an exception, classes and a cell", b.Name())
	}
	exc, ok := args[0].(*py.Exception)
	if !ok {
		return nil, fmt.Errorf("%s: want an exception and classes", b.Name())
	}
	match, err := exceptionMatches(exc, args[1])
	if match && len(args) == 3 {
		name, ok := args[2].(*cell)
		if !ok {
			return nil, fmt.Errorf("%s: want a cell, not %s", b.Name(), args[2].Type())
		}
		if err := name.SetField("v", exc); err != nil {
			return nil, err
		}
		if h := py.Handling(thread); len(*h) > 0 {
			(*h)[len(*h)-1].Name = name
		}
	}
	return starlark.Bool(match), err
}

// catchable returns the error an except clause may catch in place of
// err, and true; or err and false when err ends the script whatever the
// try says: any error once kstar is stopping the
// execution (Ctrl-C, the host's cancellation, the step limit) or its
// context is done, however it surfaced: a builtin's KeyboardInterrupt, an
// iterator's Fail or the thread's cancellation, which arrive in any
// order. An iterator's error ended by py.Fail (which cancels the
// thread) is turned back into that error, and the thread uncancelled,
// only when catchable.
func catchable(thread *starlark.Thread, err error) (error, bool) {
	if py.EnvOf(thread).Context().Err() != nil || isStopped(thread) { // the execution's context: a signal waiting for delivery stops nothing
		return err, false
	}
	if failure := py.TakeFailure(thread); failure != nil {
		thread.Uncancel()
		err = failure
	}
	return err, true
}

// pyException is the Python exception an error stands for.
func pyException(err error) *py.Exception {
	var exc *py.Exception
	if errors.As(err, &exc) {
		return exc
	}
	var exit *py.SystemExit
	if errors.As(err, &exit) {
		status := exit.Status
		if status == nil {
			status = starlark.MakeInt(exit.Code)
		}
		args := starlark.Tuple{status}
		if status == starlark.None {
			args = nil // sys.exit(): SystemExit()
		}
		e, _ := py.SystemExitClass.CallInternal(nil, args, nil)
		e.(*py.Exception).Cause = err
		return e.(*py.Exception)
	}
	name, msg, _ := describe(err)
	class := lookupClass(name)
	if class == nil {
		class = py.RuntimeError
	}
	e := py.NewException(class, msg)
	e.Cause = err
	if class == py.KeyError {
		// The message is the key's repr; Python's exception holds the key.
		if key, err := starlark.EvalOptions(frontend.FileOptions, &starlark.Thread{}, "", msg, nil); err == nil {
			if b, ok := key.(starlark.Bytes); ok {
				key = py.Bytes(b)
			}
			e.Args = starlark.Tuple{key}
		}
	}
	return e
}

// libClasses are the exception classes of kstar's Python modules.
var libClasses = []*py.ExceptionClass{libjson.JSONDecodeError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError}

// lookupClass finds an exception class by name: Python's, kafka.errors',
// then those of kstar's Python modules.
func lookupClass(name string) *py.ExceptionClass {
	name = strings.TrimSpace(name)
	if c := py.LookupExceptionClass(name); c != nil {
		return c
	}
	if c := kafka.LookupErrorClass(name); c != nil {
		return c
	}
	for _, c := range libClasses {
		if c.ClassName == name {
			return c
		}
	}
	return nil
}

// exceptionMatches is Python's matching of except CLASSES: None (a bare
// except) matches anything, else a class or a tuple of classes.
func exceptionMatches(exc *py.Exception, classes starlark.Value) (bool, error) {
	switch c := classes.(type) {
	case starlark.NoneType:
		return true, nil
	case *py.ExceptionClass:
		return exc.Class.IsSubclass(c), nil
	case starlark.Tuple:
		for _, x := range c {
			if m, err := exceptionMatches(exc, x); m || err != nil {
				return m, err
			}
		}
		return false, nil
	}
	return false, py.Errorf(py.TypeError, "catching classes that do not inherit from BaseException is not allowed")
}

// tryHelpers are the predeclared functions rewritten try and raise
// statements call.
var tryHelpers = starlark.StringDict{
	frontend.TryFunc:    py.Func(frontend.TryFunc, newTryRunner),
	frontend.CaughtFunc: py.Func(frontend.CaughtFunc, caughtBy),
	frontend.RaiseFunc:  py.Func("raise", raise),
}

// raise is __raise__(), __raise__(exc) and __raise__(exc, cause): raise,
// raise X, raise X from Y. A bare raise re-raises the exception being
// handled as it was caught (its traceback the original one); with none,
// it has nothing to re-raise. An exception raised while another is
// handled gets that one as its __context__.
func raise(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 || len(args) > 2 {
		return nil, fmt.Errorf("raise: want at most 2 arguments")
	}
	var current *py.Handled
	if h := py.Handling(thread); len(*h) > 0 {
		current = &(*h)[len(*h)-1]
	}
	if len(args) == 0 {
		if current == nil {
			return nil, py.Errorf(py.RuntimeError, "No active exception to reraise")
		}
		return nil, current.Err
	}
	exc, err := exceptionValue(thread, args[0], "exceptions must derive from BaseException")
	if err != nil {
		return nil, err
	}
	if len(args) == 2 {
		exc.SuppressContext = true
		exc.DirectCause = nil
		if args[1] != starlark.None {
			if exc.DirectCause, err = exceptionValue(thread, args[1], "exception causes must derive from BaseException"); err != nil {
				return nil, err
			}
		}
	}
	if current != nil {
		setContext(exc, current.Exc)
	}
	if exc.Class.IsSubclass(py.SystemExitClass) { // ends the script with its code, as sys.exit
		status, _ := exc.Attr("code")
		return nil, py.RaiseSystemExit(thread, status)
	}
	return nil, exc
}

// exceptionValue is the exception that raise makes of x: x itself, or an
// instance of the class x.
func exceptionValue(thread *starlark.Thread, x starlark.Value, notException string) (*py.Exception, error) {
	switch e := x.(type) {
	case *py.Exception:
		return e, nil
	case *py.ExceptionClass:
		v, err := starlark.Call(thread, e, nil, nil)
		if err != nil {
			return nil, err
		}
		if exc, ok := v.(*py.Exception); ok {
			return exc, nil
		}
	}
	return nil, py.Errorf(py.TypeError, "%s", notException)
}
