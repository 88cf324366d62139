package runtime

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// The helpers the code of a lowered with statement
// (frontend/lower_with.go) calls.

// withHelpers are the predeclared functions lowered with statements call,
// and the class their handler catches.
var withHelpers = starlark.StringDict{
	frontend.WithFunc:     py.Func(frontend.WithFunc, enterWith),
	frontend.WithExitFunc: py.Func(frontend.WithExitFunc, exitWith),
	frontend.WithCatches:  py.BaseException,
}

// withState is what __with__(manager) returns: one execution of one with
// statement.
type withState struct {
	exit   starlark.Value // the manager's __exit__, looked up before __enter__ ran
	value  starlark.Value // what __enter__ returned
	exited bool           // __exit__ has been called
}

var _ starlark.HasAttrs = (*withState)(nil)

func (s *withState) String() string        { return "<with>" }
func (s *withState) Type() string          { return "with" }
func (s *withState) Freeze()               {}
func (s *withState) Truth() starlark.Bool  { return true }
func (s *withState) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'with'") }
func (s *withState) AttrNames() []string   { return []string{frontend.WithValue} }

func (s *withState) Attr(name string) (starlark.Value, error) {
	if name == frontend.WithValue {
		return s.value, nil
	}
	return nil, nil
}

// enterWith is __with__(manager): as CPython 3.11, it looks up __enter__,
// then __exit__, then calls __enter__.
func enterWith(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, py.Errorf(py.TypeError, "%s() takes 1 positional argument", b.Name())
	}
	manager := args[0]
	enter, err := contextMethod(manager, "__enter__")
	if err != nil {
		return nil, err
	}
	if enter == nil {
		return nil, py.Errorf(py.TypeError, "'%s' object does not support the context manager protocol", py.TypeName(manager))
	}
	exit, err := contextMethod(manager, "__exit__")
	if err != nil {
		return nil, err
	}
	if exit == nil {
		return nil, py.Errorf(py.TypeError, "'%s' object does not support the context manager protocol (missed __exit__ method)", py.TypeName(manager))
	}
	value, err := starlark.Call(thread, enter, nil, nil)
	if err != nil {
		return nil, err
	}
	return &withState{exit: exit, value: value}, nil
}

// contextMethod is manager's method name as Python looks it up (on its
// class), or nil when it has none (the lookup returns nil, a
// NoSuchAttrError or an AttributeError).
func contextMethod(manager starlark.Value, name string) (starlark.Value, error) {
	m, err := py.LookupSpecial(manager, name)
	if _, missing := err.(starlark.NoSuchAttrError); missing {
		return nil, nil
	}
	if exc := py.AsException(err); exc != nil && exc.Class.IsSubclass(py.AttributeError) {
		return nil, nil
	}
	return m, err
}

// noException is the arguments of __exit__ when the body raised nothing,
// one tuple for every call (a tuple cannot change).
var noException = starlark.Tuple{starlark.None, starlark.None, starlark.None}

// exitWith is __with_exit__(state, exc): __exit__(type(exc), exc, None),
// returning whether the exception is suppressed; and
// __with_exit__(state): __exit__(None, None, None) unless __exit__ has
// been called. kstar has no traceback objects: __exit__ gets None for
// the traceback.
func exitWith(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s *withState
	if len(args) > 0 {
		s, _ = args[0].(*withState)
	}
	if s == nil || len(args) > 2 || len(kwargs) != 0 {
		return nil, py.Errorf(py.TypeError, "%s() takes a with statement's state and an optional exception", b.Name())
	}
	if len(args) == 1 {
		if s.exited {
			return starlark.None, nil
		}
		s.exited = true
		_, err := starlark.Call(thread, s.exit, noException, nil)
		return starlark.None, err
	}
	s.exited = true
	exc := args[1]
	suppress, err := starlark.Call(thread, s.exit, starlark.Tuple{py.TypeOf(exc), exc, starlark.None}, nil)
	if err != nil {
		return nil, err
	}
	return suppress.Truth(), nil
}
