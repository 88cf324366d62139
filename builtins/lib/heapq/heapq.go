// Package heapq is kstar's heapq module, as CPython 3.11's: a min-heap
// kept in a list, compared with < only, so that the list holds its items
// in the same places as CPython's:
//
//	heappush(heap, item), heappop(heap), heapify(x),
//	heappushpop(heap, item), heapreplace(heap, item),
//	nlargest(n, iterable, key=None), nsmallest(n, iterable, key=None)
//
// Each comparison is metered (py.Meter), as sorted's are.
package heapq

import (
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the heapq module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "heapq", Members: starlark.StringDict{
		"heappush":    py.Func("heappush", heappush),
		"heappop":     py.Func("heappop", heappop),
		"heapify":     py.Func("heapify", heapify),
		"heappushpop": py.Func("heappushpop", heappushpop),
		"heapreplace": py.Func("heapreplace", heapreplace),
		"nlargest":    py.Func("nlargest", nBest(true)),
		"nsmallest":   py.Func("nsmallest", nBest(false)),
	}}
}

// heap is a list kept as a heap, and the meter of its comparisons.
type heap struct {
	list  *starlark.List
	meter py.Meter
}

// heapArgs unpacks the heap list and, when n is 2, the item.
func heapArgs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, n int) (*heap, starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, nil, py.Errorf(py.TypeError, "%s() takes no keyword arguments", b.Name())
	}
	if len(args) != n {
		if n == 1 {
			return nil, nil, py.Errorf(py.TypeError, "_heapq.%s() takes exactly one argument (%d given)", b.Name(), len(args))
		}
		return nil, nil, py.Errorf(py.TypeError, "%s expected %d arguments, got %d", b.Name(), n, len(args))
	}
	list, ok := args[0].(*starlark.List)
	if !ok {
		which := "argument"
		if n == 2 {
			which = "argument 1"
		}
		return nil, nil, py.Errorf(py.TypeError, "%s() %s must be list, not %s", b.Name(), which, py.TypeName(args[0]))
	}
	var item starlark.Value
	if n == 2 {
		item = args[1]
	}
	return &heap{list: list, meter: py.NewMeter(thread)}, item, nil
}

// less is a < b, metered.
func (h *heap) less(a, b starlark.Value) (bool, error) {
	if err := h.meter.Tick(); err != nil {
		return false, err
	}
	return starlark.Compare(syntax.LT, a, b)
}

// siftDown moves the item at pos towards the root (no further than
// start) while it is less than its parent.
func (h *heap) siftDown(start, pos int) error {
	item := h.list.Index(pos)
	for pos > start {
		parentPos := (pos - 1) >> 1
		parent := h.list.Index(parentPos)
		lt, err := h.less(item, parent)
		if err != nil {
			return err
		}
		if !lt {
			break
		}
		if err := h.list.SetIndex(pos, parent); err != nil {
			return err
		}
		pos = parentPos
	}
	return h.list.SetIndex(pos, item)
}

// siftUp moves the smaller child up into pos until a leaf is reached,
// puts pos's item there and sifts it down: CPython's bottom-up order,
// which makes fewer comparisons and places items where CPython does.
func (h *heap) siftUp(pos int) error {
	end, start := h.list.Len(), pos
	item := h.list.Index(pos)
	child := 2*pos + 1
	for child < end {
		if right := child + 1; right < end {
			lt, err := h.less(h.list.Index(child), h.list.Index(right))
			if err != nil {
				return err
			}
			if !lt {
				child = right
			}
		}
		if err := h.list.SetIndex(pos, h.list.Index(child)); err != nil {
			return err
		}
		pos = child
		child = 2*pos + 1
	}
	if err := h.list.SetIndex(pos, item); err != nil {
		return err
	}
	return h.siftDown(start, pos)
}

// pop removes the list's last item.
func (h *heap) pop(thread *starlark.Thread) (starlark.Value, error) {
	pop, err := h.list.Attr("pop")
	if err != nil {
		return nil, err
	}
	return starlark.Call(thread, pop, nil, nil)
}

func heappush(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h, item, err := heapArgs(thread, b, args, kwargs, 2)
	if err != nil {
		return nil, err
	}
	if err := h.list.Append(item); err != nil {
		return nil, err
	}
	return starlark.None, h.siftDown(0, h.list.Len()-1)
}

func heappop(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h, _, err := heapArgs(thread, b, args, kwargs, 1)
	if err != nil {
		return nil, err
	}
	if h.list.Len() == 0 {
		return nil, py.Errorf(py.IndexError, "index out of range")
	}
	last, err := h.pop(thread)
	if err != nil || h.list.Len() == 0 {
		return last, err
	}
	first := h.list.Index(0)
	if err := h.list.SetIndex(0, last); err != nil {
		return nil, err
	}
	return first, h.siftUp(0)
}

func heapreplace(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h, item, err := heapArgs(thread, b, args, kwargs, 2)
	if err != nil {
		return nil, err
	}
	if h.list.Len() == 0 {
		return nil, py.Errorf(py.IndexError, "index out of range")
	}
	first := h.list.Index(0)
	if err := h.list.SetIndex(0, item); err != nil {
		return nil, err
	}
	return first, h.siftUp(0)
}

func heappushpop(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h, item, err := heapArgs(thread, b, args, kwargs, 2)
	if err != nil {
		return nil, err
	}
	if h.list.Len() == 0 {
		return item, nil
	}
	first := h.list.Index(0)
	lt, err := h.less(first, item)
	if err != nil || !lt {
		return item, err
	}
	if err := h.list.SetIndex(0, item); err != nil {
		return nil, err
	}
	return first, h.siftUp(0)
}

func heapify(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	h, _, err := heapArgs(thread, b, args, kwargs, 1)
	if err != nil {
		return nil, err
	}
	for i := h.list.Len()/2 - 1; i >= 0; i-- {
		if err := h.siftUp(i); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

// nBest is nlargest (largest) or nsmallest: as CPython documents them,
// sorted(iterable, key=key, reverse=largest)[:n], a stable sort.
func nBest(largest bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var n, iterable starlark.Value
		var key starlark.Value = starlark.None
		sig := &pyargs.Func{Name: b.Name(), Params: []string{"n", "iterable", "key"}, Required: 2}
		if err := sig.Bind(args, kwargs, &n, &iterable, &key); err != nil {
			return nil, err
		}
		count, err := starlark.AsInt32(n)
		if err != nil {
			return nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(n))
		}
		items, err := py.Elements(thread, iterable)
		if err != nil {
			return nil, err
		}
		if count <= 0 {
			return starlark.NewList(nil), nil
		}
		keys := items
		if key != starlark.None {
			keys = make([]starlark.Value, len(items))
			for i, x := range items {
				if keys[i], err = starlark.Call(thread, key, starlark.Tuple{x}, nil); err != nil {
					return nil, err
				}
			}
		}
		order := make([]int, len(items))
		for i := range order {
			order[i] = i
		}
		h := &heap{meter: py.NewMeter(thread)}
		sort.SliceStable(order, func(i, j int) bool {
			if err != nil {
				return false
			}
			a, b := keys[order[i]], keys[order[j]]
			if largest {
				a, b = b, a
			}
			var lt bool
			lt, err = h.less(a, b)
			return lt
		})
		if err != nil {
			return nil, err
		}
		best := make([]starlark.Value, min(int(count), len(items)))
		for i := range best {
			best[i] = items[order[i]]
		}
		return starlark.NewList(best), nil
	}
}
