// Package types is kstar's types module, as CPython 3.11's for what
// scripts use:
//
//	SimpleNamespace(**kwargs)  attributes set, read and deleted as an
//	                           object's, printed namespace(a=1, b='x'),
//	                           equal when their attributes are
//	FunctionType               the class of functions and lambdas (isinstance)
//	GeneratorType              the class of generators (isinstance)
package types

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// simpleNamespaceClass is types.SimpleNamespace.
var simpleNamespaceClass = py.NewClass("types.SimpleNamespace", newSimpleNamespace, func(v starlark.Value) bool {
	_, ok := v.(*SimpleNamespace)
	return ok
}, nil)

// New returns the types module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "types", Members: starlark.StringDict{
		"SimpleNamespace": simpleNamespaceClass,
		"FunctionType": py.NewClass("function", nil, func(v starlark.Value) bool {
			_, ok := v.(*starlark.Function)
			return ok
		}, nil),
		"GeneratorType": py.NewClass("generator", nil, func(v starlark.Value) bool {
			_, ok := v.(*py.Generator)
			return ok
		}, nil),
	}}
}

// SimpleNamespace is types.SimpleNamespace: attributes in the order they
// were set.
type SimpleNamespace struct {
	attrs  py.OrderedAttrs
	frozen bool
}

var (
	_ py.Instance          = (*SimpleNamespace)(nil)
	_ py.Reprer            = (*SimpleNamespace)(nil)
	_ py.AttrDeleter       = (*SimpleNamespace)(nil)
	_ py.VarsHaver         = (*SimpleNamespace)(nil)
	_ starlark.HasSetField = (*SimpleNamespace)(nil)
	_ starlark.Comparable  = (*SimpleNamespace)(nil)
)

func newSimpleNamespace(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		return nil, py.Errorf(py.TypeError, "no positional arguments expected")
	}
	ns := &SimpleNamespace{}
	for _, kv := range kwargs {
		ns.attrs.Set(string(kv[0].(starlark.String)), kv[1])
	}
	return ns, nil
}

// PyClass is types.SimpleNamespace.
func (ns *SimpleNamespace) PyClass() *py.Type { return simpleNamespaceClass }

// PyRepr is namespace(a=1, b='x').
func (ns *SimpleNamespace) PyRepr() string {
	names := ns.attrs.Names()
	parts := make([]string, len(names))
	for i, n := range names {
		v, _ := ns.attrs.Get(n)
		parts[i] = n + "=" + py.Repr(v)
	}
	return "namespace(" + strings.Join(parts, ", ") + ")"
}

func (ns *SimpleNamespace) String() string       { return ns.PyRepr() }
func (ns *SimpleNamespace) Type() string         { return "types.SimpleNamespace" }
func (ns *SimpleNamespace) Freeze()              { ns.frozen = true }
func (ns *SimpleNamespace) Truth() starlark.Bool { return true }
func (ns *SimpleNamespace) Hash() (uint32, error) {
	return 0, py.Errorf(py.TypeError, "unhashable type: 'types.SimpleNamespace'")
}

// Attr returns an attribute, and __dict__ as a dict of them.
func (ns *SimpleNamespace) Attr(name string) (starlark.Value, error) {
	if v, ok := ns.attrs.Get(name); ok {
		return v, nil
	}
	if name == "__dict__" {
		return ns.Vars(), nil
	}
	return nil, ns.noAttr(name)
}

// Vars is vars(ns): a dict of the attributes (a copy).
func (ns *SimpleNamespace) Vars() *starlark.Dict { return ns.attrs.Dict() }

func (ns *SimpleNamespace) noAttr(name string) error {
	return py.Errorf(py.AttributeError, "'types.SimpleNamespace' object has no attribute '%s'", name)
}

// AttrNames lists the attributes, in the order they were set.
func (ns *SimpleNamespace) AttrNames() []string { return ns.attrs.Names() }

// SetField is ns.name = v.
func (ns *SimpleNamespace) SetField(name string, v starlark.Value) error {
	if ns.frozen {
		return fmt.Errorf("cannot set attribute %s of a frozen SimpleNamespace (shared by parallel calls)", name)
	}
	ns.attrs.Set(name, v)
	return nil
}

// DelAttr is del ns.name.
func (ns *SimpleNamespace) DelAttr(name string) error {
	if _, ok := ns.attrs.Get(name); !ok {
		return ns.noAttr(name)
	}
	if ns.frozen {
		return fmt.Errorf("cannot delete attribute %s of a frozen SimpleNamespace (shared by parallel calls)", name)
	}
	ns.attrs.Delete(name)
	return nil
}

// CompareSameType: namespaces are equal when their attributes are.
func (ns *SimpleNamespace) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	eq, err := ns.attrs.Equal(&y.(*SimpleNamespace).attrs, depth)
	if err != nil {
		return false, err
	}
	switch op {
	case syntax.EQL:
		return eq, nil
	case syntax.NEQ:
		return !eq, nil
	}
	return false, py.Errorf(py.TypeError, "'%s' not supported between instances of 'types.SimpleNamespace' and 'types.SimpleNamespace'", op)
}
