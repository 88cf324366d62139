package runtime

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins"
	libjson "github.com/kstar-dev/kstar/builtins/lib/json"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// The helpers the code of a lowered try statement (frontend/try.go) calls.

// tryState is what __try__() returns: one execution of one try statement.
type tryState struct {
	exc      *py.Exception // the body's exception, as Python sees it
	excErr   error         // and the error itself, re-raised as is
	handled  bool
	afterErr error // an error in a handler or else, raised after finally
}

var _ starlark.HasAttrs = (*tryState)(nil)

func (s *tryState) String() string        { return "<try>" }
func (s *tryState) Type() string          { return "try" }
func (s *tryState) Freeze()               {}
func (s *tryState) Truth() starlark.Bool  { return true }
func (s *tryState) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'try'") }
func (s *tryState) AttrNames() []string   { return slices.Clone(frontend.TryStateMethods) }

func (s *tryState) Attr(name string) (starlark.Value, error) {
	method := func(fn py.BuiltinFunc) (starlark.Value, error) {
		return py.Func(name, fn), nil
	}
	switch name {
	case "ok":
		return starlark.Bool(s.excErr == nil), nil
	case "after_ok":
		return starlark.Bool(s.afterErr == nil), nil
	case "exception":
		if s.exc == nil {
			return starlark.None, nil
		}
		return s.exc, nil
	case frontend.TryRun, frontend.TryRunAfter:
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			err := signalsBeforeStatement(thread)
			var v starlark.Value
			if err == nil {
				if v, err = starlark.Call(thread, args[0], nil, nil); err == nil {
					return v, nil
				}
			}
			err, ok := catchable(thread, err)
			if !ok {
				return nil, err
			}
			if name == frontend.TryRun {
				s.excErr, s.exc = err, pyException(err)
			} else {
				s.afterErr = err
			}
			return starlark.None, nil
		})
	case "each":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			x := args[0]
			switch x.(type) {
			case starlark.String, starlark.Bytes:
				var err error
				if x, err = starlark.Call(thread, builtins.Globals()[py.IterableFunc], starlark.Tuple{x}, nil); err != nil {
					return nil, err
				}
			}
			after := args[1] == starlark.String("after_ok")
			return &tryIterable{state: s, thread: thread, x: x, after: after}, nil
		})
	case "caught":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if s.exc == nil || s.handled {
				return starlark.False, nil
			}
			var classes starlark.Value = starlark.None
			if len(args) > 0 {
				classes = args[0]
			}
			match, err := exceptionMatches(s.exc, classes)
			if err != nil {
				return nil, err
			}
			s.handled = match
			return starlark.Bool(match), nil
		})
	case "reraise":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return nil, s.excErr
		})
	case "end":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			switch {
			case s.afterErr != nil:
				return nil, s.afterErr
			case s.excErr != nil && !s.handled:
				return nil, s.excErr
			}
			return starlark.None, nil
		})
	}
	return nil, nil
}

// isGuardFrame reports whether frame i of a traceback is a lambda the try
// rewrite made (called by a try state's run method), which Python's
// traceback would not show.
func isGuardFrame(stack starlark.CallStack, i int) bool {
	if i == 0 || stack[i].Name != "lambda" {
		return false
	}
	caller := stack[i-1]
	return caller.Pos.Filename() == "<builtin>" && (caller.Name == frontend.TryRun || caller.Name == frontend.TryRunAfter)
}

// catchable returns the error an except clause may catch in place of
// err, and true; or err and false when err ends the script whatever the
// try says: sys.exit(), and any error once kstar is stopping the
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
	var exit *py.SystemExit
	if errors.As(err, &exit) {
		return err, false
	}
	return err, true
}

// pyException is the Python exception an error stands for.
func pyException(err error) *py.Exception {
	var exc *py.Exception
	if errors.As(err, &exc) {
		return exc
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
			e.Args = starlark.Tuple{key}
		}
	}
	return e
}

// libClasses are the exception classes of kstar's Python modules.
var libClasses = []*py.ExceptionClass{libjson.JSONDecodeError, builtins.ExtraData, builtins.FormatError, builtins.StackError}

// lookupClass finds an exception class by name: Python's, kafka.errors',
// then those of kstar's Python modules.
func lookupClass(name string) *py.ExceptionClass {
	name = strings.TrimSpace(name)
	if c := py.LookupExceptionClass(name); c != nil {
		return c
	}
	if c := builtins.LookupErrorClass(name); c != nil {
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

// tryIterable is the iterable of a for loop in a try body: it stops when
// the try has failed, and an error taking the next element is recorded
// in the try instead of raised.
type tryIterable struct {
	state  *tryState
	thread *starlark.Thread
	x      starlark.Value
	after  bool
}

func (it *tryIterable) String() string        { return "<try iterator>" }
func (it *tryIterable) Type() string          { return "iterator" }
func (it *tryIterable) Freeze()               {}
func (it *tryIterable) Truth() starlark.Bool  { return true }
func (it *tryIterable) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'iterator'") }

func (it *tryIterable) Iterate() starlark.Iterator {
	t := &tryIterator{it: it}
	if n, ok := it.x.(py.Nexter); ok {
		t.next = n
	} else if x, ok := it.x.(starlark.Iterable); ok {
		t.inner = x.Iterate()
	} else {
		it.record(py.Errorf(py.TypeError, "'%s' object is not iterable", py.TypeName(it.x)))
	}
	return t
}

func (it *tryIterable) ok() bool {
	if it.after {
		return it.state.afterErr == nil
	}
	return it.state.excErr == nil
}

func (it *tryIterable) record(err error) {
	if it.after {
		it.state.afterErr = err
	} else {
		it.state.excErr, it.state.exc = err, pyException(err)
	}
}

type tryIterator struct {
	it    *tryIterable
	next  py.Nexter
	inner starlark.Iterator
}

func (t *tryIterator) Next(p *starlark.Value) bool {
	if !t.it.ok() {
		return false
	}
	if t.inner != nil {
		return t.inner.Next(p)
	}
	if t.next == nil {
		return false
	}
	v, ok, err := t.next.Next(t.it.thread)
	if err != nil {
		if err, ok := catchable(t.it.thread, err); ok {
			t.it.record(err)
		} else {
			py.Fail(t.it.thread, err)
		}
		return false
	}
	if ok {
		*p = v
	}
	return ok
}

func (t *tryIterator) Done() {
	if t.inner != nil {
		t.inner.Done()
	}
}

// tryHelpers are the predeclared functions rewritten try and raise
// statements call.
var tryHelpers = starlark.StringDict{
	frontend.TryFunc: py.Func(frontend.TryFunc, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return &tryState{}, nil
	}),
	frontend.RaiseFunc: py.Func("raise", raise),
}

// raise is __raise__(exc=None, cause=None): raise X, raise X from Y. A
// bare raise outside a handler has nothing to re-raise.
func raise(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var exc, cause starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackPositionalArgs("raise", args, kwargs, 0, &exc, &cause); err != nil {
		return nil, err
	}
	switch e := exc.(type) {
	case starlark.NoneType:
		return nil, py.Errorf(py.RuntimeError, "No active exception to reraise")
	case *py.Exception:
		return nil, e
	case *py.ExceptionClass:
		v, err := starlark.Call(thread, e, nil, nil)
		if err != nil {
			return nil, err
		}
		return nil, v.(*py.Exception)
	}
	return nil, py.Errorf(py.TypeError, "exceptions must derive from BaseException")
}
