package functools

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// metadata is what update_wrapper copies from the wrapped function:
// __module__, __name__, __qualname__ and __doc__ (each nil when the
// wrapped value has none), and the wrapped value as __wrapped__.
type metadata struct {
	module, nameAttr, qualname, doc starlark.Value
	wrapped                         starlark.Value
}

// metadataOf reads the metadata of fn.
func metadataOf(fn starlark.Value) metadata {
	m := metadata{wrapped: fn}
	switch fn := fn.(type) {
	case *starlark.Function:
		name := fn.Name()
		if name == "lambda" {
			name = "<lambda>"
		}
		m.nameAttr, m.qualname, m.module = starlark.String(name), starlark.String(name), starlark.String("__main__")
		m.doc = starlark.None
		if doc := fn.Doc(); doc != "" {
			m.doc = starlark.String(doc)
		}
	case *starlark.Builtin:
		m.nameAttr, m.qualname = starlark.String(fn.Name()), starlark.String(fn.Name())
	default:
		for _, a := range []struct {
			name string
			to   *starlark.Value
		}{{"__module__", &m.module}, {"__name__", &m.nameAttr}, {"__qualname__", &m.qualname}, {"__doc__", &m.doc}} {
			if v, err := py.GetAttr(fn, a.name); err == nil {
				*a.to = v
			}
		}
	}
	return m
}

// name is __name__ as a Go string ("" without one).
func (m metadata) name() string {
	if s, ok := m.nameAttr.(starlark.String); ok {
		return string(s)
	}
	return ""
}

// attr returns the attribute name of the metadata, or nil.
func (m metadata) attr(name string) starlark.Value {
	switch name {
	case "__module__":
		return m.module
	case "__name__":
		return m.nameAttr
	case "__qualname__":
		return m.qualname
	case "__doc__":
		return m.doc
	case "__wrapped__":
		return m.wrapped
	}
	return nil
}

// names lists the attributes the metadata has.
func (m metadata) names() []string {
	var names []string
	for _, name := range []string{"__doc__", "__module__", "__name__", "__qualname__", "__wrapped__"} {
		if m.attr(name) != nil {
			names = append(names, name)
		}
	}
	return names
}

// wrappedFunction is what update_wrapper and wraps return: it calls
// wrapper, and has the metadata of the function it wraps.
type wrappedFunction struct {
	wrapper starlark.Value
	meta    metadata
}

var (
	_ starlark.Callable = (*wrappedFunction)(nil)
	_ starlark.HasAttrs = (*wrappedFunction)(nil)
	_ py.MethodLike     = (*wrappedFunction)(nil)
)

// BindsAsMethod: a decorated method is bound to the instance, as the
// function wraps returns is in Python.
func (f *wrappedFunction) BindsAsMethod() {}

// String is the repr of a function named as the wrapped one.
func (f *wrappedFunction) String() string {
	name := f.meta.name()
	if q, ok := f.meta.qualname.(starlark.String); ok {
		name = string(q)
	}
	return fmt.Sprintf("<function %s at %p>", name, f)
}
func (f *wrappedFunction) Name() string          { return f.meta.name() }
func (f *wrappedFunction) Type() string          { return "function" }
func (f *wrappedFunction) Freeze()               { f.wrapper.Freeze() }
func (f *wrappedFunction) Truth() starlark.Bool  { return true }
func (f *wrappedFunction) Hash() (uint32, error) { return identityHash(f) }

func (f *wrappedFunction) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return starlark.Call(thread, f.wrapper, args, kwargs)
}

func (f *wrappedFunction) Attr(name string) (starlark.Value, error) { return f.meta.attr(name), nil }
func (f *wrappedFunction) AttrNames() []string                      { return f.meta.names() }

// wraps(wrapped, assigned=..., updated=...) returns a decorator that
// applies update_wrapper(wrapper, wrapped).
func wraps(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var wrapped starlark.Value
	if len(args) > 0 {
		wrapped = args[0]
	}
	for _, kv := range kwargs {
		switch name := string(kv[0].(starlark.String)); {
		case name == "wrapped" && wrapped == nil:
			wrapped = kv[1]
		case name != "assigned" && name != "updated":
			return nil, py.Errorf(py.TypeError, "wraps() got an unexpected keyword argument '%s'", name)
		}
	}
	if wrapped == nil {
		return nil, py.Errorf(py.TypeError, "wraps() missing 1 required positional argument: 'wrapped'")
	}
	if len(args) > 3 {
		return nil, py.Errorf(py.TypeError, "wraps() takes from 1 to 3 positional arguments but %d were given", len(args))
	}
	return py.Func("update_wrapper", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var wrapper starlark.Value
		if err := py.UnpackArgs("update_wrapper", args, kwargs, []string{"wrapper"}, &wrapper); err != nil {
			return nil, err
		}
		return &wrappedFunction{wrapper: wrapper, meta: metadataOf(wrapped)}, nil
	}), nil
}

// update_wrapper(wrapper, wrapped, assigned=..., updated=...) returns a
// function that calls wrapper with wrapped's metadata.
func updateWrapper(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var wrapper, wrapped, assigned, updated starlark.Value
	if err := py.UnpackArgs("update_wrapper", args, kwargs, []string{"wrapper", "wrapped", "assigned?", "updated?"}, &wrapper, &wrapped, &assigned, &updated); err != nil {
		return nil, err
	}
	return &wrappedFunction{wrapper: wrapper, meta: metadataOf(wrapped)}, nil
}
