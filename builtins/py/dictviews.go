package py

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Python's dict views: d.keys(), d.values() and d.items() return a
// DictView of d, which sees later changes to d (Starlark's methods return
// lists). Keys and items views are set-like: &, |, -, ^ with any iterable
// give a set, and they compare with sets (==, <, <=...).

// dictViewKind says which of a dict's views a DictView is.
type dictViewKind uint8

const (
	keysView dictViewKind = iota
	valuesView
	itemsView
)

// DictView is a live view of a dict: what d.keys(), d.values() and
// d.items() return.
type DictView struct {
	dict  *starlark.Dict
	kind  dictViewKind
	odict bool // an OrderedDict's: odict_keys([...])
}

// NewDictViews returns the keys, values and items views of d, as the
// dict-like types of the standard modules (Counter, defaultdict,
// OrderedDict) return them; ordered names them odict_keys, ....
func NewDictViews(d *starlark.Dict, ordered bool) (keys, values, items *DictView) {
	return &DictView{dict: d, kind: keysView, odict: ordered}, &DictView{dict: d, kind: valuesView, odict: ordered}, &DictView{dict: d, kind: itemsView, odict: ordered}
}

var (
	_ starlark.Sequence   = (*DictView)(nil)
	_ starlark.Container  = (*DictView)(nil)
	_ starlark.HasBinary  = (*DictView)(nil)
	_ starlark.Comparable = (*DictView)(nil)
)

// viewNames are the Python class names of the views, by kind.
var viewNames = [...]string{keysView: "dict_keys", valuesView: "dict_values", itemsView: "dict_items"}

// reverseIteratorNames are the class names of reversed(view), by kind.
var reverseIteratorNames = [...]string{keysView: "dict_reversekeyiterator", valuesView: "dict_reversevalueiterator", itemsView: "dict_reverseitemiterator"}

// iteratorNames are the class names of iter(view), by kind.
var iteratorNames = [...]string{keysView: "dict_keyiterator", valuesView: "dict_valueiterator", itemsView: "dict_itemiterator"}

func dictKeys(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return newDictView(b, args, kwargs, keysView)
}

func dictValues(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return newDictView(b, args, kwargs, valuesView)
}

func dictItems(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return newDictView(b, args, kwargs, itemsView)
}

func newDictView(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, kind dictViewKind) (starlark.Value, error) {
	if len(args) > 0 || len(kwargs) > 0 {
		return nil, Errorf(TypeError, "dict.%s() takes no arguments (%d given)", b.Name(), len(args)+len(kwargs))
	}
	return &DictView{dict: b.Receiver().(*starlark.Dict), kind: kind}, nil
}

func (v *DictView) String() string { return Repr(v) }
func (v *DictView) Type() string {
	if v.odict {
		return "o" + viewNames[v.kind]
	}
	return viewNames[v.kind]
}
func (v *DictView) Freeze()               { v.dict.Freeze() }
func (v *DictView) Truth() starlark.Bool  { return v.dict.Len() > 0 }
func (v *DictView) Len() int              { return v.dict.Len() }
func (v *DictView) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: '%s'", v.Type()) }

// elems is what the view holds now: keys, values or (key, value) tuples.
func (v *DictView) elems() []starlark.Value {
	switch v.kind {
	case keysView:
		return v.dict.Keys()
	case valuesView:
		vals := make([]starlark.Value, 0, v.dict.Len())
		for _, val := range v.dict.Entries() {
			vals = append(vals, val)
		}
		return vals
	}
	items := v.dict.Items()
	elems := make([]starlark.Value, len(items))
	for i, item := range items {
		elems[i] = item
	}
	return elems
}

// Iterate takes the view's elements as they are when the loop starts, so
// the loop's body may change the dict (d[k] = v for each k of d.items()),
// as in Python.
func (v *DictView) Iterate() starlark.Iterator {
	if v.kind == itemsView {
		return &itemsIteration{items: v.dict.Items()}
	}
	return &listIteration{elems: v.elems()}
}

// itemsIteration is a loop over a snapshot of a dict's items: the same
// allocations as Starlark's own d.items() list, less the list.
type itemsIteration struct {
	items []starlark.Tuple
	pos   int
}

func (it *itemsIteration) Next(p *starlark.Value) bool {
	if it.pos >= len(it.items) {
		return false
	}
	*p = it.items[it.pos]
	it.pos++
	return true
}
func (it *itemsIteration) Done() {}

// iterator is iter(view).
func (v *DictView) iterator() *listIterator {
	return &listIterator{typeName: iteratorNames[v.kind], elems: v.elems()}
}

// reversed is reversed(view).
func (v *DictView) reversed() *listIterator {
	elems := v.elems()
	for i, j := 0, len(elems)-1; i < j; i, j = i+1, j-1 {
		elems[i], elems[j] = elems[j], elems[i]
	}
	return &listIterator{typeName: reverseIteratorNames[v.kind], elems: elems}
}

// Has is `x in view`.
func (v *DictView) Has(x starlark.Value) (bool, error) {
	switch v.kind {
	case keysView:
		_, found, err := v.dict.Get(x)
		return found, err
	case itemsView:
		pair, ok := x.(starlark.Tuple)
		if !ok || len(pair) != 2 {
			return false, nil
		}
		val, found, err := v.dict.Get(pair[0])
		if !found || err != nil {
			return false, err
		}
		return starlark.Equal(val, pair[1])
	}
	for _, val := range v.dict.Entries() {
		if eq, err := starlark.Equal(val, x); eq || err != nil {
			return eq, err
		}
	}
	return false, nil
}

// asSet is a set of the view's elements (keys or items).
func (v *DictView) asSet() (*starlark.Set, error) {
	set := starlark.NewSet(v.dict.Len())
	for _, e := range v.elems() {
		if err := set.Insert(e); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// Binary is view & x, view | x, view - x and view ^ x (either side), a
// set, for keys and items views; x may be any iterable.
func (v *DictView) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch op {
	case syntax.AMP, syntax.PIPE, syntax.MINUS, syntax.CIRCUMFLEX:
	default:
		return nil, nil
	}
	if v.kind == valuesView {
		return nil, nil
	}
	x, err := v.asSet()
	if err != nil {
		return nil, err
	}
	other, err := iterableSet(y)
	if err != nil || other == nil {
		return nil, err
	}
	if side == starlark.Right {
		x, other = other, x
	}
	return setOp(op, x, other)
}

// iterableSet is a set of y's elements, or nil when y is not iterable.
func iterableSet(y starlark.Value) (*starlark.Set, error) {
	switch y := y.(type) {
	case *starlark.Set:
		return y, nil
	case *DictView:
		if y.kind == valuesView {
			return nil, nil
		}
		return y.asSet()
	case *Frozenset:
		return y.set, nil
	}
	if _, ok := y.(starlark.Iterable); !ok {
		return nil, nil
	}
	set := starlark.NewSet(0)
	it := starlark.Iterate(y)
	defer it.Done()
	var e starlark.Value
	for it.Next(&e) {
		if err := set.Insert(e); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// setOp is x OP y for two sets, a new set.
func setOp(op syntax.Token, x, y *starlark.Set) (*starlark.Set, error) {
	z, err := starlark.Binary(op, x, y)
	if err != nil {
		return nil, err
	}
	return z.(*starlark.Set), nil
}

// CompareSameType compares two views of one kind: keys and items views
// as sets, values views by identity (as Python does).
func (v *DictView) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	w := y.(*DictView)
	if v.kind == valuesView {
		switch op {
		case syntax.EQL:
			return v == w, nil
		case syntax.NEQ:
			return v != w, nil
		}
		return false, Errorf(TypeError, "'%s' not supported between instances of 'dict_values' and 'dict_values'", op)
	}
	x, err := v.asSet()
	if err != nil {
		return false, err
	}
	z, err := w.asSet()
	if err != nil {
		return false, err
	}
	return starlark.CompareDepth(op, x, z, depth)
}

// setEqual is __set_eq__(x, y), x == y where one side is a set display:
// a keys or items view or a frozenset equals the set of its elements.
func setEqual(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &y); err != nil {
		return nil, err
	}
	x, err := asSetLike(x)
	if err != nil {
		return nil, err
	}
	if y, err = asSetLike(y); err != nil {
		return nil, err
	}
	eq, err := starlark.Equal(x, y)
	return starlark.Bool(eq), err
}

// asSetLike is the set of x's elements when x is a keys or items view or
// a frozenset, and x otherwise.
func asSetLike(x starlark.Value) (starlark.Value, error) {
	switch x := x.(type) {
	case *DictView:
		if x.kind != valuesView {
			return x.asSet()
		}
	case *Frozenset:
		return x.set, nil
	}
	return x, nil
}
