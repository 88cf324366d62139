// Package contextlib is kstar's contextlib module:
//
//	contextmanager(func)       a generator function made a context manager factory
//	suppress(*exceptions)      a context manager that swallows those exceptions
//	closing(thing)             a context manager that calls thing.close() on exit
//	nullcontext(enter_result=None)  a context manager that does nothing
//
// The context managers have __enter__ and __exit__(exc_type, exc, tb), as
// Python's, for the with statement and for scripts that call them. A
// contextmanager's generator runs up to its yield on __enter__ (the value
// it yields is __enter__'s result); __exit__ resumes it, raising the
// exception at the yield if there is one: if the generator swallows it
// (it ends without raising), __exit__ returns True and the exception is
// suppressed.
package contextlib

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the contextlib module (one per execution; it keeps no state).
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "contextlib", Members: starlark.StringDict{
		"contextmanager": py.Func("contextmanager", contextmanager),
		"suppress":       py.Func("suppress", suppress),
		"closing":        py.Func("closing", closing),
		"nullcontext":    py.Func("nullcontext", nullcontext),
	}}
}

// manager is a context manager made in Go: its class name (as repr shows
// it) and what __enter__ and __exit__ do.
type manager struct {
	class string
	enter func(thread *starlark.Thread) (starlark.Value, error)
	exit  func(thread *starlark.Thread, typ, exc starlark.Value) (starlark.Value, error)
}

var _ starlark.HasAttrs = (*manager)(nil)

func (m *manager) String() string        { return fmt.Sprintf("<contextlib.%s object at %p>", m.class, m) }
func (m *manager) Type() string          { return m.class }
func (m *manager) Freeze()               {}
func (m *manager) Truth() starlark.Bool  { return true }
func (m *manager) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", m)).Hash() }

// AttrNames lists __enter__ and __exit__.
func (m *manager) AttrNames() []string { return []string{"__enter__", "__exit__"} }

// Attr returns __enter__() and __exit__(exc_type, exc, tb).
func (m *manager) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__enter__":
		return starlark.NewBuiltin("__enter__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			return m.enter(thread)
		}).BindReceiver(m), nil
	case "__exit__":
		return starlark.NewBuiltin("__exit__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var typ, exc, tb starlark.Value = starlark.None, starlark.None, starlark.None
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 3, &typ, &exc, &tb); err != nil {
				return nil, err
			}
			return m.exit(thread, typ, exc)
		}).BindReceiver(m), nil
	}
	return nil, nil
}

// contextmanager(func) returns a function that calls func, which must
// return a generator, and makes a context manager of it.
func contextmanager(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn starlark.Callable
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &fn); err != nil {
		return nil, err
	}
	return py.Func(fn.Name(), func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := starlark.Call(thread, fn, args, kwargs)
		if err != nil {
			return nil, err
		}
		gen, ok := v.(*py.Generator)
		if !ok {
			return nil, py.Errorf(py.TypeError, "'%s' object is not an iterator", py.TypeName(v))
		}
		return generatorManager(gen), nil
	}), nil
}

// generatorManager is the context manager of a contextmanager function's
// generator (Python's contextlib._GeneratorContextManager).
func generatorManager(gen *py.Generator) *manager {
	return &manager{
		class: "_GeneratorContextManager",
		enter: func(thread *starlark.Thread) (starlark.Value, error) {
			v, ok, err := gen.Next(thread)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, py.Errorf(py.RuntimeError, "generator didn't yield")
			}
			return v, nil
		},
		exit: func(thread *starlark.Thread, typ, exc starlark.Value) (starlark.Value, error) {
			if typ == starlark.None {
				_, ok, err := gen.Next(thread)
				if err != nil {
					return nil, err
				}
				if ok {
					return nil, py.Errorf(py.RuntimeError, "generator didn't stop")
				}
				return starlark.False, nil
			}
			thrown, err := exceptionOf(thread, typ, exc)
			if err != nil {
				return nil, err
			}
			_, ok, err := gen.Throw(thread, thrown)
			switch {
			case ok:
				return nil, py.Errorf(py.RuntimeError, "generator didn't stop after throw()")
			case err == nil: // the generator swallowed the exception
				return starlark.True, nil
			case py.AsException(err) != nil && py.AsException(err) == py.AsException(thrown):
				return starlark.False, nil // the same exception: the with statement re-raises it
			}
			return nil, err
		},
	}
}

// exceptionOf is the exception __exit__ is given: exc, or an instance of
// typ when exc is None.
func exceptionOf(thread *starlark.Thread, typ, exc starlark.Value) (error, error) {
	if e, ok := exc.(error); ok {
		return e, nil
	}
	v, err := starlark.Call(thread, typ, nil, nil)
	if err != nil {
		return nil, err
	}
	if e, ok := v.(error); ok {
		return e, nil
	}
	return nil, py.Errorf(py.TypeError, "exceptions must derive from BaseException")
}

// issubclass is Python's builtin, which knows every kind of class.
var issubclass = py.Globals()["issubclass"]

// suppress(*exceptions) swallows, on exit, an exception of one of the
// classes.
func suppress(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "suppress() takes no keyword arguments")
	}
	classes := append(starlark.Tuple(nil), args...)
	return &manager{
		class: "suppress",
		enter: func(*starlark.Thread) (starlark.Value, error) { return starlark.None, nil },
		exit: func(thread *starlark.Thread, typ, exc starlark.Value) (starlark.Value, error) {
			if typ == starlark.None {
				return starlark.False, nil
			}
			return starlark.Call(thread, issubclass, starlark.Tuple{typ, classes}, nil)
		},
	}, nil
}

// closing(thing) returns thing on enter and calls thing.close() on exit.
func closing(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var thing starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &thing); err != nil {
		return nil, err
	}
	return &manager{
		class: "closing",
		enter: func(*starlark.Thread) (starlark.Value, error) { return thing, nil },
		exit: func(thread *starlark.Thread, _, _ starlark.Value) (starlark.Value, error) {
			closeMethod, err := py.GetAttr(thing, "close")
			if err != nil {
				return nil, err
			}
			if _, err := starlark.Call(thread, closeMethod, nil, nil); err != nil {
				return nil, err
			}
			return starlark.None, nil
		},
	}, nil
}

// nullcontext(enter_result=None) returns enter_result on enter and does
// nothing on exit.
func nullcontext(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var result starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "enter_result?", &result); err != nil {
		return nil, err
	}
	return &manager{
		class: "nullcontext",
		enter: func(*starlark.Thread) (starlark.Value, error) { return result, nil },
		exit: func(*starlark.Thread, starlark.Value, starlark.Value) (starlark.Value, error) {
			return starlark.None, nil
		},
	}, nil
}
