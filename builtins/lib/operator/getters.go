package operator

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// getter is an itemgetter, attrgetter or methodcaller: a callable that
// applies fetch to its one argument, rendered as
// operator.NAME(args...).
type getter struct {
	kind   getterKind
	args   starlark.Tuple // as the repr shows them
	kwargs []starlark.Tuple
	fetch  func(thread *starlark.Thread, obj starlark.Value) (starlark.Value, error)
}

var (
	_ starlark.Callable = (*getter)(nil)
	_ py.Instance       = (*getter)(nil)
)

// getterKind is the class of a getter.
type getterKind uint8

const (
	itemgetter getterKind = iota
	attrgetter
	methodcaller
)

var getterNames = [...]string{itemgetter: "itemgetter", attrgetter: "attrgetter", methodcaller: "methodcaller"}

func getterClass(kind getterKind, make py.BuiltinFunc) *py.Type {
	return py.NewClass("operator."+getterNames[kind], make, func(v starlark.Value) bool {
		g, ok := v.(*getter)
		return ok && g.kind == kind
	}, nil)
}

var getterClasses = [...]*py.Type{
	itemgetter:   getterClass(itemgetter, newItemgetter),
	attrgetter:   getterClass(attrgetter, newAttrgetter),
	methodcaller: getterClass(methodcaller, newMethodcaller),
}

func (g *getter) PyClass() *py.Type     { return getterClasses[g.kind] }
func (g *getter) Name() string          { return getterNames[g.kind] }
func (g *getter) Type() string          { return "operator." + getterNames[g.kind] }
func (g *getter) Freeze()               { g.args.Freeze() }
func (g *getter) Truth() starlark.Bool  { return true }
func (g *getter) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", g)).Hash() }

// String is the repr: operator.itemgetter(1, 'a').
func (g *getter) String() string {
	var b strings.Builder
	b.WriteString(g.Type())
	b.WriteByte('(')
	for i, v := range g.args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(py.Repr(v))
	}
	for _, kv := range g.kwargs {
		b.WriteString(", ")
		b.WriteString(string(kv[0].(starlark.String)))
		b.WriteByte('=')
		b.WriteString(py.Repr(kv[1]))
	}
	b.WriteByte(')')
	return b.String()
}

// CallInternal applies the getter to its one argument.
func (g *getter) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional(g.Name(), args, kwargs, 1, 1); err != nil {
		return nil, err
	}
	return g.fetch(thread, args[0])
}

// each applies fetch with each key: one result, or a tuple of them.
func each(keys starlark.Tuple, fetch func(obj, key starlark.Value) (starlark.Value, error)) func(thread *starlark.Thread, obj starlark.Value) (starlark.Value, error) {
	return func(thread *starlark.Thread, obj starlark.Value) (starlark.Value, error) {
		if len(keys) == 1 {
			return fetch(obj, keys[0])
		}
		t := make(starlark.Tuple, len(keys))
		for i, k := range keys {
			var err error
			if t[i], err = fetch(obj, k); err != nil {
				return nil, err
			}
		}
		return t, nil
	}
}

// atLeastOne checks the arguments of itemgetter and attrgetter, with
// CPython's errors.
func atLeastOne(name string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "%s() takes no keyword arguments", name)
	}
	if len(args) == 0 {
		return py.Errorf(py.TypeError, "%s expected 1 argument, got 0", name)
	}
	return nil
}

// itemgetter(*items): obj[item], or a tuple of obj[item] for each item.
func newItemgetter(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := atLeastOne("itemgetter", args, kwargs); err != nil {
		return nil, err
	}
	items := append(starlark.Tuple(nil), args...)
	return &getter{kind: itemgetter, args: items, fetch: each(items, getItem)}, nil
}

// attrgetter(*attrs): obj.attr (dotted names follow the chain), or a
// tuple of them.
func newAttrgetter(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := atLeastOne("attrgetter", args, kwargs); err != nil {
		return nil, err
	}
	for _, a := range args {
		if _, ok := a.(starlark.String); !ok {
			return nil, py.Errorf(py.TypeError, "attribute name must be a string")
		}
	}
	attrs := append(starlark.Tuple(nil), args...)
	return &getter{kind: attrgetter, args: attrs, fetch: each(attrs, func(obj, attr starlark.Value) (starlark.Value, error) {
		for _, name := range strings.Split(string(attr.(starlark.String)), ".") {
			var err error
			if obj, err = py.GetAttr(obj, name); err != nil {
				return nil, err
			}
		}
		return obj, nil
	})}, nil
}

// methodcaller(name, /, *args, **kwargs): obj.name(*args, **kwargs).
func newMethodcaller(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "methodcaller needs at least one argument, the method name")
	}
	name, ok := args[0].(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "method name must be a string")
	}
	callArgs := append(starlark.Tuple(nil), args[1:]...)
	return &getter{kind: methodcaller, args: append(starlark.Tuple{name}, callArgs...), kwargs: kwargs, fetch: func(thread *starlark.Thread, obj starlark.Value) (starlark.Value, error) {
		m, err := py.GetAttr(obj, string(name))
		if err != nil {
			return nil, err
		}
		return starlark.Call(thread, m, callArgs, kwargs)
	}}, nil
}
