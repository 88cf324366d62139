// Package collections is Python's collections module for kstar scripts:
//
//	Counter(iterable=None, /, **kwds)      most_common, elements, update, subtract, total,
//	                                       + - | & and unary + -, multiset comparisons
//	defaultdict(default_factory=None, ...) d[k] of a missing key inserts default_factory()
//	OrderedDict(...)                       move_to_end, popitem(last=True), order-sensitive ==
//	deque(iterable=(), maxlen=None)        append(left), pop(left), extend(left), rotate,
//	                                       clear, count, index, remove, insert, reverse, copy
//	namedtuple(typename, field_names, *, rename=False, defaults=None, module=None)
//
// Counter, defaultdict and OrderedDict are dicts to scripts: d[k], `in`,
// len, iteration, the dict methods, dict(d), isinstance(d, dict) and
// json.dumps. Reprs are CPython 3.11's (OrderedDict([('a', 1)])).
// namedtuple makes classes of the one namedtuple implementation kstar
// has (py.NamedTupleType), which kafka's TopicPartition uses too.
//
// Differences from CPython: as for dict, keys(), values() and items()
// return lists; a Counter, defaultdict or OrderedDict never equals a
// plain dict (nor a namedtuple a plain tuple) with ==, since Starlark
// compares values of different types as unequal; `del d[k]` does not
// exist in Starlark (use pop); deque slices are refused as in Python but
// with Starlark's message; a deque changed inside a for loop over it
// raises "deque mutated during iteration" at the change rather than at
// the next step; classes cannot be subclassed.
package collections

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the collections module for one execution.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "collections", Members: starlark.StringDict{
		"Counter":     dictClasses[counterKind],
		"defaultdict": dictClasses[defaultDictKind],
		"OrderedDict": dictClasses[orderedDictKind],
		"deque":       dequeClass,
		"namedtuple":  py.Func("namedtuple", namedtuple),
	}}
}

// dictClasses are Counter, defaultdict and OrderedDict, by kind.
var dictClasses = [...]*py.Type{
	counterKind:     py.NewClass("collections.Counter", newCounter, isDict(counterKind), map[string]starlark.Value{"fromkeys": counterFromkeys}),
	defaultDictKind: py.NewClass("collections.defaultdict", newDefaultDict, isDict(defaultDictKind), nil),
	orderedDictKind: py.NewClass("collections.OrderedDict", newOrderedDict, isDict(orderedDictKind), nil),
}

var dequeClass = py.NewClass("collections.deque", newDeque, func(v starlark.Value) bool {
	_, ok := v.(*Deque)
	return ok
}, nil)

func isDict(kind dictKind) func(v starlark.Value) bool {
	return func(v starlark.Value) bool {
		d, ok := v.(*Dict)
		return ok && d.kind == kind
	}
}

// defaultdict(default_factory=None, /, [mapping or iterable], **kwargs)
func newDefaultDict(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	d := newDict(defaultDictKind, thread)
	if len(args) > 0 {
		if _, ok := args[0].(starlark.Callable); !ok && args[0] != starlark.None {
			return nil, py.Errorf(py.TypeError, "first argument must be callable or None")
		}
		d.factory = args[0]
		args = args[1:]
	}
	if len(args) > 1 {
		return nil, py.Errorf(py.TypeError, "dict expected at most 1 argument, got %d", len(args))
	}
	return d, d.fill(thread, args, kwargs)
}

// OrderedDict([mapping or iterable], **kwargs)
func newOrderedDict(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	d := newDict(orderedDictKind, thread)
	if len(args) > 1 {
		return nil, py.Errorf(py.TypeError, "expected at most 1 arguments, got %d", len(args))
	}
	return d, d.fill(thread, args, kwargs)
}

// fill adds the items of a mapping or iterable of pairs (args[0], if
// any), then the keywords, as dict(...) does.
func (d *Dict) fill(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(args) == 1 {
		items, err := pairs(thread, args[0], d.kind == orderedDictKind)
		if err != nil {
			return err
		}
		if err := update(d.dict, items); err != nil {
			return err
		}
	}
	return update(d.dict, kwargs)
}
