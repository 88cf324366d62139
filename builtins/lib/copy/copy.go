// Package copy is kstar's copy module, as CPython 3.11's:
//
//	copy(x)               a shallow copy: a new list, dict, set,
//	                      bytearray, collections container or instance of a
//	                      script's class holding the same items and
//	                      attributes; x.__copy__() when x's class defines it
//	deepcopy(x, memo=None) a deep copy: the same, with every item and
//	                      attribute copied deeply, each object once (memo,
//	                      a dict from id() to copy, keeps shared and
//	                      cyclic structure); x.__deepcopy__(memo) when x's
//	                      class defines it
//	Error                 copy.Error
//
// Immutable values (numbers, str, bytes, tuples of them, functions,
// classes, namedtuples, datetime values) are their own copies; so are
// exceptions and the values of Go-defined classes other than the
// containers above (a KafkaProducer, a lock), which CPython refuses to
// copy. A deep copy is metered as builtins are (py.Meter): each value it
// visits counts as a step, each container it makes reserves its memory,
// and nesting deeper than CPython's recursion limit is a RecursionError.
package copy

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Error is copy.Error.
var Error = py.NewExceptionClass("Error", "copy", py.PyException)

// New returns the copy module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "copy", Members: starlark.StringDict{
		"copy":     py.Func("copy", shallowCopy),
		"deepcopy": py.Func("deepcopy", deepCopy),
		"Error":    Error,
	}}
}

// Estimated sizes, in bytes, of what a copy allocates: a list slot, a
// dict or set entry or attribute.
const (
	slotSize  = 16
	entrySize = 64
)

// maxDepth is how deeply values may nest: CPython's recursion limit.
const maxDepth = 1000

func shallowCopy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	if n := size(x); n >= py.MinReserve {
		if err := py.Reserve(thread, n); err != nil {
			return nil, err
		}
	}
	switch v := x.(type) {
	case *starlark.List:
		return starlark.NewList(elems(v)), nil
	case *starlark.Dict:
		d := starlark.NewDict(v.Len())
		for _, kv := range v.Items() {
			if err := d.SetKey(kv[0], kv[1]); err != nil {
				return nil, err
			}
		}
		return d, nil
	case *starlark.Set:
		s := starlark.NewSet(v.Len())
		for _, e := range elems(v) {
			if err := s.Insert(e); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	if hook, err := method(x, "__copy__"); hook != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return starlark.Call(thread, hook, nil, nil)
	}
	if c := instanceClass(x); c != nil {
		y := c.NewInstance()
		for _, kv := range vars(x) {
			if err := py.SetInstanceAttr(thread, y, string(kv[0].(starlark.String)), kv[1]); err != nil {
				return nil, err
			}
		}
		return y, nil
	}
	if hasCopyMethod(x) {
		return callAttr(thread, x, "copy")
	}
	return x, nil
}

func deepCopy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	var memo starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x, &memo); err != nil {
		return nil, err
	}
	c := &copier{thread: thread, meter: py.NewMeter(thread)}
	switch m := memo.(type) {
	case starlark.NoneType:
		c.memo = starlark.NewDict(0)
	case *starlark.Dict:
		c.memo = m
	default:
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'get'", py.TypeName(memo))
	}
	return c.copy(x, 0)
}

// copier makes one deep copy.
type copier struct {
	thread   *starlark.Thread
	meter    py.Meter
	memo     *starlark.Dict // id(original) → its copy
	reserved int64          // bytes allocated since the last reservation
}

// reserve accounts for n bytes of copies, asking the Limiter for them
// once they add up to py.MinReserve.
func (c *copier) reserve(n int64) error {
	c.reserved += n
	if c.reserved < py.MinReserve {
		return nil
	}
	n, c.reserved = c.reserved, 0
	return c.meter.Reserve(n)
}

// remember records y as the copy of x.
func (c *copier) remember(x, y starlark.Value) error {
	return c.memo.SetKey(starlark.MakeUint64(py.ID(x)), y)
}

// copy returns the deep copy of x, nested depth deep.
func (c *copier) copy(x starlark.Value, depth int) (starlark.Value, error) {
	if err := c.meter.Tick(); err != nil {
		return nil, err
	}
	if depth > maxDepth {
		return nil, py.Errorf(py.RecursionError, "maximum recursion depth exceeded")
	}
	switch x.(type) {
	case starlark.NoneType, starlark.Bool, starlark.Int, starlark.Float, starlark.String, py.Bytes:
		return x, nil
	}
	if y, found, err := c.memo.Get(starlark.MakeUint64(py.ID(x))); found || err != nil {
		return y, err
	}
	if err := c.reserve(size(x)); err != nil {
		return nil, err
	}
	switch v := x.(type) {
	case starlark.Tuple:
		var t starlark.Tuple
		for i, e := range v {
			y, err := c.copy(e, depth+1)
			if err != nil {
				return nil, err
			}
			if t == nil && py.ID(y) != py.ID(e) {
				t = append(make(starlark.Tuple, 0, len(v)), v[:i]...)
			}
			if t != nil {
				t = append(t, y)
			}
		}
		if t == nil {
			return x, nil // a tuple of immutable values is its own copy
		}
		return t, c.remember(x, t)
	case *starlark.List:
		l := starlark.NewList(make([]starlark.Value, 0, v.Len()))
		if err := c.remember(x, l); err != nil {
			return nil, err
		}
		for _, e := range elems(v) {
			y, err := c.copy(e, depth+1)
			if err != nil {
				return nil, err
			}
			if err := l.Append(y); err != nil {
				return nil, err
			}
		}
		return l, nil
	case *starlark.Dict:
		d := starlark.NewDict(v.Len())
		if err := c.remember(x, d); err != nil {
			return nil, err
		}
		return d, c.copyItems(v, d, depth)
	case *starlark.Set:
		s := starlark.NewSet(v.Len())
		if err := c.remember(x, s); err != nil {
			return nil, err
		}
		for _, e := range elems(v) {
			y, err := c.copy(e, depth+1)
			if err != nil {
				return nil, err
			}
			if err := s.Insert(y); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	if hook, err := method(x, "__deepcopy__"); hook != nil || err != nil {
		if err != nil {
			return nil, err
		}
		y, err := starlark.Call(c.thread, hook, starlark.Tuple{c.memo}, nil)
		if err != nil {
			return nil, err
		}
		return y, c.remember(x, y)
	}
	if k := instanceClass(x); k != nil {
		y := k.NewInstance()
		if err := c.remember(x, y); err != nil {
			return nil, err
		}
		attrs := vars(x)
		if err := c.reserve(entrySize * int64(len(attrs))); err != nil {
			return nil, err
		}
		for _, kv := range attrs {
			v, err := c.copy(kv[1], depth+1)
			if err != nil {
				return nil, err
			}
			if err := py.SetInstanceAttr(c.thread, y, string(kv[0].(starlark.String)), v); err != nil {
				return nil, err
			}
		}
		return y, nil
	}
	if !hasCopyMethod(x) {
		return x, nil
	}
	return c.copyContainer(x, depth)
}

// copyItems copies the items of from into to, deeply.
func (c *copier) copyItems(from, to *starlark.Dict, depth int) error {
	for _, kv := range from.Items() {
		k, err := c.copy(kv[0], depth+1)
		if err != nil {
			return err
		}
		v, err := c.copy(kv[1], depth+1)
		if err != nil {
			return err
		}
		if err := to.SetKey(k, v); err != nil {
			return err
		}
	}
	return nil
}

// copyContainer deep-copies a bytearray or a collections container: its
// copy() method's result, with its items copied deeply.
func (c *copier) copyContainer(x starlark.Value, depth int) (starlark.Value, error) {
	y, err := callAttr(c.thread, x, "copy")
	if err != nil {
		return nil, err
	}
	if err := c.remember(x, y); err != nil {
		return nil, err
	}
	switch v := y.(type) {
	case py.DictSubclass:
		d := v.Dict()
		items := d.Items()
		d.Clear()
		for _, kv := range items {
			k, err := c.copy(kv[0], depth+1)
			if err != nil {
				return nil, err
			}
			val, err := c.copy(kv[1], depth+1)
			if err != nil {
				return nil, err
			}
			if err := d.SetKey(k, val); err != nil {
				return nil, err
			}
		}
	case *py.Bytearray:
	default: // a deque: cleared and extended with the copies
		var copies []starlark.Value
		for _, e := range elems(x.(starlark.Iterable)) {
			e, err := c.copy(e, depth+1)
			if err != nil {
				return nil, err
			}
			copies = append(copies, e)
		}
		if _, err := callAttr(c.thread, y, "clear"); err != nil {
			return nil, err
		}
		if _, err := callAttr(c.thread, y, "extend", starlark.NewList(copies)); err != nil {
			return nil, err
		}
	}
	return y, nil
}

// instanceClass is the class of an instance of a script's class that a
// copy copies attribute by attribute, or nil (an exception is its own
// copy, as is an instance of a class derived from a Go class, whose Go
// part cannot be copied).
func instanceClass(x starlark.Value) *py.Class {
	c := py.ClassOf(x)
	if c == nil || c.HasGoBase() {
		return nil
	}
	return c
}

// vars returns the attributes of an instance of a script's class.
func vars(x starlark.Value) []starlark.Tuple {
	return x.(py.VarsHaver).Vars().Items()
}

// method returns x's method name when x is an instance of a script's
// class that defines it, else nil.
func method(x starlark.Value, name string) (starlark.Value, error) {
	c := py.ClassOf(x)
	if c == nil || c.Lookup(name) == nil {
		return nil, nil
	}
	return x.(starlark.HasAttrs).Attr(name)
}

// hasCopyMethod reports whether x is a mutable Go value whose copy()
// method makes its shallow copy: a bytearray or a collections container.
func hasCopyMethod(x starlark.Value) bool {
	switch x.(type) {
	case py.DictSubclass, *py.Bytearray:
		return true
	}
	return x.Type() == "collections.deque"
}

// callAttr calls x's method name.
func callAttr(thread *starlark.Thread, x starlark.Value, name string, args ...starlark.Value) (starlark.Value, error) {
	m, err := x.(starlark.HasAttrs).Attr(name)
	if err != nil {
		return nil, err
	}
	return starlark.Call(thread, m, args, nil)
}

// elems returns the elements of a list, set or other iterable.
func elems(x starlark.Iterable) []starlark.Value {
	var out []starlark.Value
	if n := starlark.Len(x); n > 0 {
		out = make([]starlark.Value, 0, n)
	}
	it := x.Iterate()
	defer it.Done()
	var e starlark.Value
	for it.Next(&e) {
		out = append(out, e)
	}
	return out
}

// size estimates the memory a copy of x takes.
func size(x starlark.Value) int64 {
	switch v := x.(type) {
	case starlark.Tuple:
		return slotSize * int64(len(v))
	case *starlark.List:
		return slotSize * int64(v.Len())
	case *starlark.Dict, *starlark.Set, py.DictSubclass:
		return entrySize * int64(starlark.Len(v))
	case *py.Bytearray:
		return int64(v.Len())
	case starlark.Sequence:
		return slotSize * int64(v.Len())
	}
	return 0
}
