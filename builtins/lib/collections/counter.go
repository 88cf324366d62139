package collections

import (
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Counter(iterable=None, /, **kwds): counts the elements of iterable, or
// takes the counts of a mapping, then of the keywords.
func newCounter(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c := newDict(counterKind, thread)
	if len(args) > 1 {
		return nil, py.Errorf(py.TypeError, "Counter.__init__() takes from 1 to 2 positional arguments but %d were given", len(args)+1)
	}
	return c, c.count(thread, "__init__", args, kwargs, syntax.PLUS)
}

// count is Counter's update (op PLUS) and subtract (op MINUS): each
// element of an iterable counts one, a mapping's values are added (or
// subtracted), then the keywords' values.
func (d *Dict) count(thread *starlark.Thread, fname string, args starlark.Tuple, kwargs []starlark.Tuple, op syntax.Token) error {
	if len(args) > 1 {
		return py.Errorf(py.TypeError, "Counter.%s() takes from 1 to 2 positional arguments but %d were given", fname, len(args)+1)
	}
	if len(args) == 1 && args[0] != starlark.None {
		switch x := args[0].(type) {
		case starlark.IterableMapping:
			if err := d.addCounts(x.Items(), op); err != nil {
				return err
			}
		default:
			it, err := py.Iterate(thread, x)
			if err != nil {
				return err
			}
			one := starlark.MakeInt(1)
			meter := py.NewMeter(thread) // an endless or huge iterable
			for {
				if err := meter.Tick(); err != nil {
					return err
				}
				elem, ok, err := it.Next(thread)
				if !ok || err != nil {
					if err != nil {
						return err
					}
					break
				}
				if err := d.addCount(elem, one, op); err != nil {
					return err
				}
			}
		}
	}
	return d.addCounts(kwargs, op)
}

// addCounts adds (or subtracts) each count to its element's, as
// Counter.update does with a mapping: into an empty Counter the counts
// are copied as they are.
func (d *Dict) addCounts(items []starlark.Tuple, op syntax.Token) error {
	copyCounts := op == syntax.PLUS && d.dict.Len() == 0
	for _, kv := range items {
		if copyCounts {
			if err := d.dict.SetKey(kv[0], kv[1]); err != nil {
				return err
			}
		} else if err := d.addCount(kv[0], kv[1], op); err != nil {
			return err
		}
	}
	return nil
}

// addCount sets c[elem] to count + c.get(elem, 0) (op PLUS) or to
// c.get(elem, 0) - count (op MINUS).
func (d *Dict) addCount(elem, count starlark.Value, op syntax.Token) error {
	old, found, err := d.dict.Get(elem)
	if err != nil {
		return err
	}
	if !found {
		old = zero
	}
	var sum starlark.Value
	if op == syntax.PLUS {
		sum, err = starlark.Binary(op, count, old)
	} else {
		sum, err = starlark.Binary(op, old, count)
	}
	if err != nil {
		return err
	}
	return d.dict.SetKey(elem, sum)
}

// counterMethods are the methods Counter adds to dict's.
var counterMethods = map[string]*starlark.Builtin{
	"most_common": method("most_common", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		n := starlark.Value(starlark.None)
		if err := starlark.UnpackArgs("most_common", args, kwargs, "n?", &n); err != nil {
			return nil, err
		}
		limit := -1
		switch x := n.(type) {
		case starlark.NoneType:
		case starlark.Int:
			if x.Sign() <= 0 {
				return starlark.NewList(nil), nil
			}
			if i, ok := x.Int64(); ok && i < int64(d.dict.Len()) {
				limit = int(i)
			}
		default:
			return nil, py.Errorf(py.TypeError, "'>=' not supported between instances of '%s' and 'int'", py.TypeName(n))
		}
		items, err := d.mostCommon(limit)
		if err != nil {
			return nil, err
		}
		list := make([]starlark.Value, len(items))
		for i, kv := range items {
			list[i] = kv
		}
		return starlark.NewList(list), nil
	}),
	"elements": method("elements", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := selfOnly("Counter.elements", args, kwargs); err != nil {
			return nil, err
		}
		items := d.dict.Items()
		var repeat int64
		return py.NewIterator(thread, "itertools.chain", func(*starlark.Thread) (starlark.Value, bool, error) {
			for repeat <= 0 {
				if len(items) == 0 {
					return nil, false, nil
				}
				n, ok := items[0][1].(starlark.Int)
				if !ok {
					return nil, false, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(items[0][1]))
				}
				repeat, _ = n.Int64()
				if repeat <= 0 {
					items = items[1:]
				}
			}
			repeat--
			elem := items[0][0]
			if repeat == 0 {
				items = items[1:]
			}
			return elem, true, nil
		}), nil
	}),
	"subtract": method("subtract", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, d.count(thread, "subtract", args, kwargs, syntax.MINUS)
	}),
	"total": method("total", func(thread *starlark.Thread, d *Dict, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := selfOnly("Counter.total", args, kwargs); err != nil {
			return nil, err
		}
		var sum starlark.Value = zero
		for _, kv := range d.dict.Items() {
			var err error
			if sum, err = starlark.Binary(syntax.PLUS, sum, kv[1]); err != nil {
				return nil, err
			}
		}
		return sum, nil
	}),
}

// mostCommon returns the items by count, largest first, elements with
// equal counts in insertion order; the first limit of them (all for -1).
func (d *Dict) mostCommon(limit int) ([]starlark.Tuple, error) {
	items := d.dict.Items()
	var err error
	sort.SliceStable(items, func(i, j int) bool {
		if err != nil {
			return false
		}
		less, cerr := starlark.Compare(syntax.LT, items[j][1], items[i][1])
		if cerr != nil {
			err = cerr
		}
		return less
	})
	if err != nil {
		return nil, err
	}
	if limit >= 0 && limit < len(items) {
		items = items[:limit]
	}
	return items, nil
}

// selfOnly checks the arguments of a method defined in Python that takes
// only self, with Python's errors.
func selfOnly(fname string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, string(kwargs[0][0].(starlark.String)))
	}
	if len(args) > 0 {
		return py.Errorf(py.TypeError, "%s() takes 1 positional argument but %d were given", fname, len(args)+1)
	}
	return nil
}

// counterFromkeys is Counter.fromkeys, which Python leaves undefined.
var counterFromkeys = py.Func("fromkeys", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return nil, py.Errorf(py.NotImplementedError, "Counter.fromkeys() is undefined.  Use Counter(iterable) instead.")
})

// countOf returns c[elem]: 0 when elem is missing.
func (d *Dict) countOf(elem starlark.Value) starlark.Value {
	v, found, _ := d.dict.Get(elem)
	if !found {
		return zero
	}
	return v
}

// compareCounters compares counts, a missing element counting 0: ==
// when all agree, <= when each of x's is at most y's, < when <= and
// not ==, and so on.
func compareCounters(op syntax.Token, x, y *Dict, depth int) (bool, error) {
	all := func(cmp syntax.Token) (bool, error) {
		for _, c := range []*Dict{x, y} {
			for _, e := range c.dict.Keys() {
				ok, err := starlark.CompareDepth(cmp, x.countOf(e), y.countOf(e), depth-1)
				if !ok || err != nil {
					return false, err
				}
			}
		}
		return true, nil
	}
	switch op {
	case syntax.EQL:
		return all(syntax.EQL)
	case syntax.NEQ:
		eq, err := all(syntax.EQL)
		return !eq, err
	case syntax.LE, syntax.GE:
		return all(op)
	}
	// < and >: <= (>=) and !=.
	cmp := syntax.LE
	if op == syntax.GT {
		cmp = syntax.GE
	}
	ok, err := all(cmp)
	if !ok || err != nil {
		return false, err
	}
	eq, err := all(syntax.EQL)
	return !eq, err
}

// counterBinary is Counter + Counter (sums), - (differences), | (maxima)
// and & (minima), each keeping only positive counts: in the left
// operand's order, then the right's new elements.
func counterBinary(op syntax.Token, x *Dict, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	other, ok := y.(*Dict)
	if !ok || other.kind != counterKind || side != starlark.Left {
		return nil, nil
	}
	switch op {
	case syntax.PLUS, syntax.MINUS, syntax.PIPE, syntax.AMP:
	default:
		return nil, nil
	}
	result := newDict(counterKind, x.thread)
	for _, kv := range x.dict.Items() {
		elem, count := kv[0], kv[1]
		otherCount := other.countOf(elem)
		var n starlark.Value
		var err error
		switch op {
		case syntax.PLUS, syntax.MINUS:
			n, err = starlark.Binary(op, count, otherCount)
		case syntax.PIPE: // other_count if count < other_count else count
			n, err = pick(count, otherCount, otherCount, count)
		case syntax.AMP: // count if count < other_count else other_count
			n, err = pick(count, otherCount, count, otherCount)
		}
		if err != nil {
			return nil, err
		}
		if err := setPositive(result, elem, n); err != nil {
			return nil, err
		}
	}
	if op == syntax.AMP {
		return result, nil
	}
	for _, kv := range other.dict.Items() {
		elem, count := kv[0], kv[1]
		if _, found, _ := x.dict.Get(elem); found {
			continue
		}
		if op == syntax.MINUS { // 0 - count, when count < 0
			neg, err := starlark.Binary(syntax.MINUS, zero, count)
			if err != nil {
				return nil, err
			}
			if err := setPositive(result, elem, neg); err != nil {
				return nil, err
			}
			continue
		}
		if err := setPositive(result, elem, count); err != nil {
			return nil, err
		}
	}
	return result, nil
}

// pick returns ifLess when a < b, else otherwise.
func pick(a, b, ifLess, otherwise starlark.Value) (starlark.Value, error) {
	less, err := starlark.Compare(syntax.LT, a, b)
	if less {
		return ifLess, err
	}
	return otherwise, err
}

// setPositive sets c[elem] = v when v > 0.
func setPositive(c *Dict, elem, v starlark.Value) error {
	positive, err := starlark.Compare(syntax.GT, v, zero)
	if !positive || err != nil {
		return err
	}
	return c.dict.SetKey(elem, v)
}

// counterUnary is +c (the positive counts) and -c (the negated negative
// ones).
func counterUnary(op syntax.Token, c *Dict) (starlark.Value, error) {
	if op != syntax.PLUS && op != syntax.MINUS {
		return nil, nil
	}
	result := newDict(counterKind, c.thread)
	for _, kv := range c.dict.Items() {
		v := kv[1]
		if op == syntax.MINUS {
			var err error
			if v, err = starlark.Binary(syntax.MINUS, zero, v); err != nil {
				return nil, err
			}
		}
		if err := setPositive(result, kv[0], v); err != nil {
			return nil, err
		}
	}
	return result, nil
}
