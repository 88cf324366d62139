// Package pyclass makes Python classes of the standard modules whose
// instances are Go values (random.Random, uuid.UUID, struct.Struct):
// calling the class makes an instance, isinstance recognises them, and
// the class prints as CPython prints it.
package pyclass

import (
	"sort"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Class is a Python class implemented in Go.
type Class struct {
	// Module and ClassName make its repr, <class 'uuid.UUID'>.
	Module, ClassName string
	// Make is called with the arguments of a call to the class.
	Make py.BuiltinFunc
	// Instance reports whether a value is an instance of the class.
	Instance func(v starlark.Value) bool
	// Attrs are the class attributes (constants, static methods).
	Attrs starlark.StringDict
}

var (
	_ starlark.Callable  = (*Class)(nil)
	_ starlark.HasAttrs  = (*Class)(nil)
	_ py.InstanceChecker = (*Class)(nil)
)

func (c *Class) String() string        { return "<class '" + c.Module + "." + c.ClassName + "'>" }
func (c *Class) Type() string          { return "type" }
func (c *Class) Freeze()               { c.Attrs.Freeze() }
func (c *Class) Truth() starlark.Bool  { return true }
func (c *Class) Hash() (uint32, error) { return starlark.String(c.String()).Hash() }

// Name is the class name, as Python's __name__.
func (c *Class) Name() string { return c.ClassName }

// IsInstance reports whether v is an instance of the class.
func (c *Class) IsInstance(v starlark.Value) bool { return c.Instance(v) }

// CallInternal makes an instance.
func (c *Class) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return py.Func(c.ClassName, c.Make).CallInternal(thread, args, kwargs)
}

// Attr returns __name__, __qualname__, __module__ and the class attributes.
func (c *Class) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__", "__qualname__":
		return starlark.String(c.ClassName), nil
	case "__module__":
		return starlark.String(c.Module), nil
	}
	return c.Attrs[name], nil
}

// AttrNames lists the attributes, sorted.
func (c *Class) AttrNames() []string {
	names := append(c.Attrs.Keys(), "__module__", "__name__", "__qualname__")
	sort.Strings(names)
	return names
}
