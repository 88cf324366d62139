package py

import (
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Frozenset is Python's frozenset: an immutable, hashable set (a dict
// key, a set's element). Its set operations with sets, frozensets and
// dict views give a frozenset; a set's with a frozenset give a set.
type Frozenset struct {
	set *starlark.Set // never changed
}

var (
	_ starlark.Sequence   = (*Frozenset)(nil)
	_ starlark.Container  = (*Frozenset)(nil)
	_ starlark.HasBinary  = (*Frozenset)(nil)
	_ starlark.HasAttrs   = (*Frozenset)(nil)
	_ starlark.Comparable = (*Frozenset)(nil)
)

// FrozensetType is frozenset: frozenset(iterable=()).
var FrozensetType = &Type{name: "frozenset", call: pyFrozenset, sample: &Frozenset{set: starlark.NewSet(0)}, contains: isA[*Frozenset]}

func pyFrozenset(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "frozenset() takes no keyword arguments")
	}
	if len(args) > 1 {
		return nil, Errorf(TypeError, "frozenset expected at most 1 argument, got %d", len(args))
	}
	set := starlark.NewSet(0)
	if len(args) == 1 {
		if f, ok := args[0].(*Frozenset); ok {
			return f, nil
		}
		elems, err := elements(thread, args[0])
		if err != nil {
			return nil, err
		}
		for _, e := range elems {
			if err := set.Insert(e); err != nil {
				return nil, err
			}
		}
	}
	return newFrozenset(set), nil
}

// newFrozenset makes set, which no one else holds, a frozenset. It is
// not frozen in Starlark's sense, which would freeze its elements too
// (frozenset([obj]) leaves obj as it is): no method changes it.
func newFrozenset(set *starlark.Set) *Frozenset {
	return &Frozenset{set: set}
}

func (f *Frozenset) String() string       { return Repr(f) }
func (f *Frozenset) Type() string         { return "frozenset" }
func (f *Frozenset) Freeze()              { f.set.Freeze() }
func (f *Frozenset) Truth() starlark.Bool { return f.set.Len() > 0 }
func (f *Frozenset) Len() int             { return f.set.Len() }

// Iterate takes the elements in the set's order.
func (f *Frozenset) Iterate() starlark.Iterator { return f.set.Iterate() }

// Has is `x in f`.
func (f *Frozenset) Has(x starlark.Value) (bool, error) { return f.set.Has(x) }

// Hash combines the elements' hashes in a way that does not depend on
// their order, so that equal frozensets hash alike.
func (f *Frozenset) Hash() (uint32, error) {
	h := uint32(1927868237) * uint32(f.set.Len()+1)
	for e := range f.set.Elements() {
		eh, err := e.Hash()
		if err != nil {
			return 0, err
		}
		h ^= (eh ^ (eh << 16) ^ 89869747) * 3644798167
	}
	return h, nil
}

// Binary is f & x, f | x, f - x and f ^ x with x a set, a frozenset or
// a keys or items view (either side): a frozenset when f is on the left,
// the type of the left operand otherwise.
func (f *Frozenset) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch op {
	case syntax.AMP, syntax.PIPE, syntax.MINUS, syntax.CIRCUMFLEX:
	default:
		return nil, nil
	}
	var other *starlark.Set
	switch y := y.(type) {
	case *starlark.Set:
		other = y
	case *DictView:
		if y.kind == valuesView {
			return nil, nil
		}
		return y.Binary(op, f, !side)
	default:
		return nil, nil
	}
	if side == starlark.Right {
		return setOp(op, other, f.set)
	}
	z, err := setOp(op, f.set, other)
	if err != nil {
		return nil, err
	}
	return newFrozenset(z), nil
}

// CompareSameType compares two frozensets as sets (== and subsets).
func (f *Frozenset) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return starlark.CompareDepth(op, f.set, y.(*Frozenset).set, depth)
}

// frozensetMethods are the set methods that do not change the set.
var frozensetMethods = map[string]*starlark.Builtin{
	"copy":                 Func("copy", frozensetCopy),
	"difference":           Func("difference", frozensetMethod),
	"intersection":         Func("intersection", frozensetMethod),
	"isdisjoint":           Func("isdisjoint", frozensetIsdisjoint),
	"issubset":             Func("issubset", frozensetMethod),
	"issuperset":           Func("issuperset", frozensetMethod),
	"symmetric_difference": Func("symmetric_difference", frozensetMethod),
	"union":                Func("union", frozensetMethod),
}

// Attr is one of frozensetMethods.
func (f *Frozenset) Attr(name string) (starlark.Value, error) {
	if m, ok := frozensetMethods[name]; ok {
		return m.BindReceiver(f), nil
	}
	return nil, nil
}

// AttrNames lists frozensetMethods.
func (f *Frozenset) AttrNames() []string {
	names := make([]string, 0, len(frozensetMethods))
	for n := range frozensetMethods {
		names = append(names, n)
	}
	return names
}

// frozensetMethod calls the set method of the same name on the
// frozenset's elements; a set it returns becomes a frozenset.
func frozensetMethod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f := b.Receiver().(*Frozenset)
	m, err := f.set.Attr(b.Name())
	if err != nil {
		return nil, err
	}
	for i, a := range args { // Starlark's set methods take only its iterables
		if _, ok := a.(starlark.Iterable); !ok {
			elems, err := elements(thread, a)
			if err != nil {
				return nil, err
			}
			args = append(args[:i:i], append(starlark.Tuple{starlark.NewList(elems)}, args[i+1:]...)...)
		}
	}
	v, err := starlark.Call(thread, m, args, kwargs)
	if set, ok := v.(*starlark.Set); ok && err == nil {
		return newFrozenset(set), nil
	}
	return v, err
}

// frozensetCopy is f.copy(): f itself, as in Python.
func frozensetCopy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return b.Receiver(), nil
}

// frozensetIsdisjoint is f.isdisjoint(iterable).
func frozensetIsdisjoint(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var other starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &other); err != nil {
		return nil, err
	}
	elems, err := elements(thread, other)
	if err != nil {
		return nil, err
	}
	f := b.Receiver().(*Frozenset)
	for _, e := range elems {
		if found, err := f.set.Has(e); found || err != nil {
			return starlark.False, err
		}
	}
	return starlark.True, nil
}
