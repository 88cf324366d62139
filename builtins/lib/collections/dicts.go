package collections

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// dictKind is the dict subclass a *Dict is.
type dictKind uint8

const (
	counterKind dictKind = iota
	defaultDictKind
	orderedDictKind
)

// Dict is an instance of one of Python's dict subclasses in collections:
// Counter, defaultdict or OrderedDict. Their items live in a Starlark
// dict, so they keep insertion order; what differs between the three
// (a missing key, the repr, equality, some methods) is decided by kind.
// They behave as dicts wherever scripts use one: d[k], d[k] = v, `in`,
// len, iteration, the dict methods, dict(d), isinstance(d, dict) and
// json.dumps.
type Dict struct {
	kind dictKind
	dict *starlark.Dict
	// factory is a defaultdict's default_factory (None or a callable).
	factory starlark.Value
	// thread is the script's thread, on which d[k] calls factory: a
	// Mapping's Get has no thread of its own.
	thread *starlark.Thread
	frozen bool
	repr   py.ReprGuard
}

var (
	_ py.DictSubclass      = (*Dict)(nil)
	_ py.Instance          = (*Dict)(nil)
	_ starlark.HasSetKey   = (*Dict)(nil)
	_ starlark.Sequence    = (*Dict)(nil)
	_ starlark.Container   = (*Dict)(nil)
	_ starlark.HasAttrs    = (*Dict)(nil)
	_ starlark.HasSetField = (*Dict)(nil)
	_ starlark.Comparable  = (*Dict)(nil)
	_ starlark.HasBinary   = (*Dict)(nil)
	_ starlark.HasUnary    = (*Dict)(nil)
)

func newDict(kind dictKind, thread *starlark.Thread) *Dict {
	return &Dict{kind: kind, dict: starlark.NewDict(0), factory: starlark.None, thread: thread}
}

// Dict returns the dict holding the items.
func (d *Dict) Dict() *starlark.Dict { return d.dict }

// PyClass returns Counter, defaultdict or OrderedDict.
func (d *Dict) PyClass() *py.Type { return dictClasses[d.kind] }

func (d *Dict) Truth() starlark.Bool       { return d.dict.Len() > 0 }
func (d *Dict) Len() int                   { return d.dict.Len() }
func (d *Dict) Iterate() starlark.Iterator { return d.dict.Iterate() }
func (d *Dict) Items() []starlark.Tuple    { return d.dict.Items() }
func (d *Dict) Hash() (uint32, error) {
	return 0, py.Errorf(py.TypeError, "unhashable type: '%s'", d.Type())
}

// Type is the class as Python's errors name it: Counter is defined in
// Python, defaultdict and OrderedDict in C (as collections.defaultdict).
func (d *Dict) Type() string { return dictTypeNames[d.kind] }

var dictTypeNames = [...]string{counterKind: "Counter", defaultDictKind: "collections.defaultdict", orderedDictKind: "collections.OrderedDict"}

func (d *Dict) Freeze() {
	d.frozen = true
	d.dict.Freeze()
	d.factory.Freeze()
}

// Has is `k in d`: it never inserts nor counts.
func (d *Dict) Has(k starlark.Value) (bool, error) {
	_, found, err := d.dict.Get(k)
	return found, err
}

// Get is d[k]: a Counter's missing key counts 0, a defaultdict's is
// inserted with default_factory() as its value, any other is KeyError.
func (d *Dict) Get(k starlark.Value) (starlark.Value, bool, error) {
	v, found, err := d.dict.Get(k)
	if found || err != nil {
		return v, found, err
	}
	switch {
	case d.kind == counterKind:
		return zero, true, nil
	case d.kind == defaultDictKind && d.factory != starlark.None:
		v, err := starlark.Call(d.thread, d.factory, nil, nil)
		if err != nil {
			return nil, false, err
		}
		if err := d.dict.SetKey(k, v); err != nil {
			return nil, false, err
		}
		return v, true, nil
	}
	return nil, false, py.KeyErrorOf(k)
}

// SetKey is d[k] = v.
func (d *Dict) SetKey(k, v starlark.Value) error { return d.dict.SetKey(k, v) }

// String is the repr: Counter({'a': 2}), defaultdict(<class 'list'>,
// {...}), OrderedDict([('a', 1)]) (as Python 3.11 shows it).
func (d *Dict) String() string {
	if !d.repr.Enter() { // the dict contains itself: CPython's placeholders
		switch d.kind {
		case orderedDictKind:
			return "..."
		case defaultDictKind:
			return "defaultdict(" + py.Repr(d.factory) + ", {...})"
		}
		return "Counter({...})"
	}
	defer d.repr.Leave()
	var b strings.Builder
	b.WriteString(dictClasses[d.kind].Name())
	b.WriteByte('(')
	switch d.kind {
	case counterKind:
		if d.dict.Len() > 0 {
			items, err := d.mostCommon(-1)
			if err != nil { // counts that do not compare: insertion order
				items = d.dict.Items()
			}
			writeItems(&b, items, "{", ": ", "}")
		}
	case defaultDictKind:
		b.WriteString(py.Repr(d.factory))
		b.WriteString(", ")
		b.WriteString(py.Repr(d.dict))
	case orderedDictKind:
		if d.dict.Len() > 0 {
			writeItems(&b, d.dict.Items(), "[(", ", ", ")]")
		}
	}
	b.WriteByte(')')
	return b.String()
}

// writeItems renders items as a dict ({k: v, ...}) or a list of pairs
// ([(k, v), ...]).
func writeItems(b *strings.Builder, items []starlark.Tuple, open, sep, close string) {
	b.WriteString(open)
	for i, kv := range items {
		if i > 0 {
			if open == "{" {
				b.WriteString(", ")
			} else {
				b.WriteString("), (")
			}
		}
		b.WriteString(py.Repr(kv[0]))
		b.WriteString(sep)
		b.WriteString(py.Repr(kv[1]))
	}
	b.WriteString(close)
}

// CompareSameType compares two instances of the same class: Counters by
// their counts (a missing key counts 0; <= and the others are multiset
// inclusion), OrderedDicts by their items in order, defaultdicts as
// dicts.
func (d *Dict) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	e := y.(*Dict)
	switch d.kind {
	case counterKind:
		return compareCounters(op, d, e, depth)
	case orderedDictKind:
		if op == syntax.EQL || op == syntax.NEQ {
			eq, err := sameOrder(d.dict, e.dict, depth)
			return eq == (op == syntax.EQL), err
		}
	}
	return starlark.CompareDepth(op, d.dict, e.dict, depth)
}

// sameOrder reports whether x and y hold equal items in the same order.
func sameOrder(x, y *starlark.Dict, depth int) (bool, error) {
	if x.Len() != y.Len() {
		return false, nil
	}
	xs, ys := x.Items(), y.Items()
	for i := range xs {
		if eq, err := starlark.EqualDepth(xs[i], ys[i], depth-1); !eq || err != nil {
			return false, err
		}
	}
	return true, nil
}

// Binary is | (a copy of d updated by another dict) for defaultdict and
// OrderedDict, and Counter's multiset operators.
func (d *Dict) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	if d.kind == counterKind {
		return counterBinary(op, d, y, side)
	}
	if op != syntax.PIPE {
		return nil, nil
	}
	var other *starlark.Dict
	switch y := y.(type) {
	case *starlark.Dict:
		other = y
	case *Dict:
		other = y.dict
	default:
		return nil, nil
	}
	if side == starlark.Left {
		r := d.copy()
		return r, update(r.dict, other.Items())
	}
	// dict | OrderedDict: a copy of the right operand's class, as Python's
	// __ror__ makes it.
	r := &Dict{kind: d.kind, dict: starlark.NewDict(other.Len() + d.dict.Len()), factory: d.factory, thread: d.thread}
	if err := update(r.dict, other.Items()); err != nil {
		return nil, err
	}
	return r, update(r.dict, d.dict.Items())
}

// Unary is +c and -c of a Counter.
func (d *Dict) Unary(op syntax.Token) (starlark.Value, error) {
	if d.kind != counterKind {
		return nil, nil
	}
	return counterUnary(op, d)
}

func update(d *starlark.Dict, items []starlark.Tuple) error {
	for _, kv := range items {
		if err := d.SetKey(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// copy returns a shallow copy of the same class (and default_factory).
func (d *Dict) copy() *Dict {
	r := &Dict{kind: d.kind, dict: starlark.NewDict(d.dict.Len()), factory: d.factory, thread: d.thread}
	_ = update(r.dict, d.dict.Items())
	return r
}

// Attr returns a method, or a defaultdict's default_factory.
func (d *Dict) Attr(name string) (starlark.Value, error) {
	if name == "default_factory" && d.kind == defaultDictKind {
		return d.factory, nil
	}
	m := dictMethods[name]
	if m == nil {
		m = kindMethods[d.kind][name]
	}
	if m == nil {
		return nil, nil
	}
	return m.BindReceiver(d), nil
}

// AttrNames lists the methods (and default_factory).
func (d *Dict) AttrNames() []string {
	var names []string
	for name := range dictMethods {
		names = append(names, name)
	}
	for name := range kindMethods[d.kind] {
		names = append(names, name)
	}
	if d.kind == defaultDictKind {
		names = append(names, "default_factory")
	}
	return names
}

// SetField sets a defaultdict's default_factory.
func (d *Dict) SetField(name string, v starlark.Value) error {
	if name == "default_factory" && d.kind == defaultDictKind {
		if d.frozen {
			return py.Errorf(py.TypeError, "cannot set default_factory of a frozen defaultdict")
		}
		d.factory = v
		return nil
	}
	if dictMethods[name] != nil || kindMethods[d.kind][name] != nil {
		return py.Errorf(py.AttributeError, "'%s' object attribute '%s' is read-only", d.Type(), name)
	}
	return py.Errorf(py.AttributeError, "'%s' object has no attribute '%s'", d.Type(), name)
}

var zero = starlark.MakeInt(0)

// owner is the class whose methods Python's errors name: OrderedDict
// has its own, Counter and defaultdict inherit dict's.
func (d *Dict) owner() string {
	if d.kind == orderedDictKind {
		return "OrderedDict"
	}
	return "dict"
}

// method makes a builtin method of the dict subclasses.
func method(name string, fn func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return fn(thread, b.Receiver().(*Dict), args, kwargs)
	})
}

// dictMethods are dict's methods, which the three classes share.
var dictMethods = map[string]*starlark.Builtin{
	"get": method("get", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := py.CheckPositional("get", args, kwargs, 1, 2); err != nil {
			return nil, err
		}
		v, found, err := d.dict.Get(args[0])
		switch {
		case err != nil:
			return nil, err
		case found:
			return v, nil
		case len(args) == 2:
			return args[1], nil
		}
		return starlark.None, nil
	}),
	"keys": method("keys", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(d.owner()+".keys", args, kwargs); err != nil {
			return nil, err
		}
		keys, _, _ := py.NewDictViews(d.dict, d.kind == orderedDictKind)
		return keys, nil
	}),
	"values": method("values", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(d.owner()+".values", args, kwargs); err != nil {
			return nil, err
		}
		_, values, _ := py.NewDictViews(d.dict, d.kind == orderedDictKind)
		return values, nil
	}),
	"items": method("items", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(d.owner()+".items", args, kwargs); err != nil {
			return nil, err
		}
		_, _, items := py.NewDictViews(d.dict, d.kind == orderedDictKind)
		return items, nil
	}),
	"pop": method("pop", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := py.CheckPositional("pop", args, kwargs, 1, 2); err != nil {
			return nil, err
		}
		v, found, err := d.dict.Delete(args[0])
		switch {
		case err != nil:
			return nil, err
		case found:
			return v, nil
		case len(args) == 2:
			return args[1], nil
		}
		return nil, py.KeyErrorOf(args[0])
	}),
	"setdefault": method("setdefault", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := py.CheckPositional("setdefault", args, kwargs, 1, 2); err != nil {
			return nil, err
		}
		v, found, err := d.dict.Get(args[0])
		if found || err != nil {
			return v, err
		}
		v = starlark.None
		if len(args) == 2 {
			v = args[1]
		}
		return v, d.dict.SetKey(args[0], v)
	}),
	"clear": method("clear", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(d.owner()+".clear", args, kwargs); err != nil {
			return nil, err
		}
		return starlark.None, d.dict.Clear()
	}),
	"copy": method("copy", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(d.owner()+".copy", args, kwargs); err != nil {
			return nil, err
		}
		return d.copy(), nil
	}),
	"update": method("update", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if d.kind == counterKind {
			return starlark.None, d.count(thread, "update", args, kwargs, syntax.PLUS)
		}
		if len(args) > 1 {
			return nil, py.Errorf(py.TypeError, "update expected at most 1 argument, got %d", len(args))
		}
		return starlark.None, d.fill(thread, args, kwargs)
	}),
	"popitem": method("popitem", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		last := true
		if d.kind == orderedDictKind {
			var err error
			if last, err = lastArg("popitem", args, kwargs); err != nil {
				return nil, err
			}
		} else if err := noArgs("dict.popitem", args, kwargs); err != nil {
			return nil, err
		}
		n := d.dict.Len()
		if n == 0 {
			if d.kind == orderedDictKind {
				return nil, py.KeyErrorOf(starlark.String("dictionary is empty"))
			}
			return nil, py.KeyErrorOf(starlark.String("popitem(): dictionary is empty"))
		}
		items := d.dict.Items()
		kv := items[n-1]
		if !last {
			kv = items[0]
		}
		if _, _, err := d.dict.Delete(kv[0]); err != nil {
			return nil, err
		}
		return kv, nil
	}),
}

// kindMethods are the methods each class adds to dict's.
var kindMethods = [...]map[string]*starlark.Builtin{
	counterKind: counterMethods,
	orderedDictKind: {
		"move_to_end": method("move_to_end", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) == 0 {
				return nil, py.Errorf(py.TypeError, "move_to_end() missing required argument 'key' (pos 1)")
			}
			last, err := lastArg("move_to_end", args[1:], kwargs)
			if err != nil {
				return nil, err
			}
			v, found, err := d.dict.Delete(args[0])
			if err != nil {
				return nil, err
			}
			if !found {
				return nil, py.KeyErrorOf(args[0])
			}
			if last {
				return starlark.None, d.dict.SetKey(args[0], v)
			}
			items := d.dict.Items()
			if err := d.dict.Clear(); err != nil {
				return nil, err
			}
			if err := d.dict.SetKey(args[0], v); err != nil {
				return nil, err
			}
			return starlark.None, update(d.dict, items)
		}),
	},
}

// lastArg unpacks the last=True argument of OrderedDict's popitem and
// move_to_end (after the key).
func lastArg(fname string, args starlark.Tuple, kwargs []starlark.Tuple) (bool, error) {
	last := starlark.Value(starlark.True)
	if len(args) > 1 {
		if fname == "popitem" {
			return false, py.Errorf(py.TypeError, "popitem() takes at most 1 argument (%d given)", len(args)+len(kwargs))
		}
		return false, py.Errorf(py.TypeError, "%s() takes at most 2 arguments (%d given)", fname, len(args)+len(kwargs)+1)
	}
	if len(args) == 1 {
		last = args[0]
	}
	for _, kv := range kwargs {
		if kv[0] != starlark.String("last") || len(args) == 1 {
			return false, py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, string(kv[0].(starlark.String)))
		}
		last = kv[1]
	}
	return bool(last.Truth()), nil
}

// boolInt is 1 for true, 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// noArgs checks that a method that takes no arguments got none; fname
// is its qualified name (dict.keys).
func noArgs(fname string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "%s() takes no keyword arguments", fname)
	}
	if len(args) > 0 {
		return py.Errorf(py.TypeError, "%s() takes no arguments (%d given)", fname, len(args))
	}
	return nil
}

// pairs returns the items dict.update takes from x: a mapping's items,
// or the pairs an iterable yields, with Python's errors for elements
// that are not pairs: dict's, or those of unpacking each element when
// unpack is set (OrderedDict's update does `for key, value in x`).
func pairs(thread *starlark.Thread, x starlark.Value, unpack bool) ([]starlark.Tuple, error) {
	if m, ok := x.(starlark.IterableMapping); ok {
		return m.Items(), nil
	}
	elems, err := py.Elements(thread, x)
	if err != nil {
		return nil, err
	}
	items := make([]starlark.Tuple, len(elems))
	for i, e := range elems {
		kv, err := py.Elements(thread, e)
		switch {
		case err != nil && unpack:
			return nil, err
		case err != nil:
			return nil, py.Errorf(py.TypeError, "cannot convert dictionary update sequence element #%d to a sequence", i)
		case len(kv) != 2 && unpack && len(kv) > 2:
			return nil, py.Errorf(py.ValueError, "too many values to unpack (expected 2)")
		case len(kv) == 1 && unpack:
			return nil, py.Errorf(py.ValueError, "need more than 1 value to unpack")
		case len(kv) != 2 && unpack:
			return nil, py.Errorf(py.ValueError, "need more than 0 values to unpack")
		case len(kv) != 2:
			return nil, py.Errorf(py.ValueError, "dictionary update sequence element #%d has length %d; 2 is required", i, len(kv))
		}
		items[i] = starlark.Tuple{kv[0], kv[1]}
	}
	return items, nil
}
