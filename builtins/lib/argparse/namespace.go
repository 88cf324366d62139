package argparse

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Namespace is argparse.Namespace: attributes in the order they were
// set, printed as Namespace(a=1, b='x').
type Namespace struct {
	attrs  py.OrderedAttrs
	frozen bool
}

var (
	_ starlark.HasSetField = (*Namespace)(nil)
	_ starlark.Comparable  = (*Namespace)(nil)
	_ py.Reprer            = (*Namespace)(nil)
)

func newNamespace() *Namespace { return &Namespace{} }

func (ns *Namespace) has(name string) bool { _, ok := ns.attrs.Get(name); return ok }

func (ns *Namespace) get(name string) starlark.Value { v, _ := ns.attrs.Get(name); return v }

func (ns *Namespace) set(name string, v starlark.Value) { ns.attrs.Set(name, v) }

func (ns *Namespace) del(name string) { ns.attrs.Delete(name) }

// PyRepr is Namespace(a=1, b='x'); names that are not identifiers go in
// a trailing **{...}.
func (ns *Namespace) PyRepr() string {
	var parts []string
	star := starlark.NewDict(0)
	for _, n := range ns.attrs.Names() {
		if isIdentifier(n) {
			parts = append(parts, n+"="+py.Repr(ns.get(n)))
		} else {
			_ = star.SetKey(starlark.String(n), ns.get(n))
		}
	}
	if star.Len() > 0 {
		parts = append(parts, "**"+py.Repr(star))
	}
	return "Namespace(" + strings.Join(parts, ", ") + ")"
}

func (ns *Namespace) String() string        { return ns.PyRepr() }
func (ns *Namespace) Type() string          { return "Namespace" }
func (ns *Namespace) Freeze()               { ns.frozen = true }
func (ns *Namespace) Truth() starlark.Bool  { return true }
func (ns *Namespace) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'Namespace'") }

// Attr returns an attribute, and __dict__ as a dict of them.
func (ns *Namespace) Attr(name string) (starlark.Value, error) {
	if v, ok := ns.attrs.Get(name); ok {
		return v, nil
	}
	if name == "__dict__" {
		return ns.attrs.Dict(), nil
	}
	return nil, py.Errorf(py.AttributeError, "'Namespace' object has no attribute '%s'", name)
}

func (ns *Namespace) AttrNames() []string { return ns.attrs.Names() }

// SetField is ns.name = v.
func (ns *Namespace) SetField(name string, v starlark.Value) error {
	if ns.frozen {
		return fmt.Errorf("cannot set attribute %s of frozen Namespace", name)
	}
	ns.set(name, v)
	return nil
}

// CompareSameType: namespaces are equal when their attributes are.
func (ns *Namespace) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	eq, err := ns.attrs.Equal(&y.(*Namespace).attrs, depth)
	if err != nil {
		return false, err
	}
	switch op {
	case syntax.EQL:
		return eq, nil
	case syntax.NEQ:
		return !eq, nil
	}
	return false, py.Errorf(py.TypeError, "'%s' not supported between instances of 'Namespace' and 'Namespace'", op)
}

// Has is `name in ns`.
func (ns *Namespace) Has(v starlark.Value) (bool, error) {
	s, ok := v.(starlark.String)
	return ok && ns.has(string(s)), nil
}

// newNamespaceFunc is argparse.Namespace(**kwargs).
func newNamespaceFunc(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		return nil, py.Errorf(py.TypeError, "Namespace.__init__() takes 1 positional argument but %d were given", len(args)+1)
	}
	ns := newNamespace()
	for _, kv := range kwargs {
		ns.set(string(kv[0].(starlark.String)), kv[1])
	}
	return ns, nil
}
