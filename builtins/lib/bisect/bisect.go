// Package bisect is kstar's bisect module, as CPython 3.11's: binary
// search in a sorted sequence, compared with < only:
//
//	bisect_left(a, x, lo=0, hi=None, *, key=None)
//	bisect_right(a, x, lo=0, hi=None, *, key=None), also bisect
//	insort_left(a, x, lo=0, hi=None, *, key=None)
//	insort_right(a, x, lo=0, hi=None, *, key=None), also insort
//
// key applies to a's items, not to x, in bisect_*; insort_* insert x
// where key(x) goes.
package bisect

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the bisect module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "bisect", Members: starlark.StringDict{
		"bisect_left":  py.Func("bisect_left", search(false, false)),
		"bisect_right": py.Func("bisect_right", search(true, false)),
		"bisect":       py.Func("bisect_right", search(true, false)),
		"insort_left":  py.Func("insort_left", search(false, true)),
		"insort_right": py.Func("insort_right", search(true, true)),
		"insort":       py.Func("insort_right", search(true, true)),
	}}
}

// search is bisect_left or bisect_right (right), or the insort that
// inserts where it finds (insert).
func search(right, insert bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var a, x, key starlark.Value
		lo, hi := starlark.Value(starlark.MakeInt(0)), starlark.Value(starlark.None)
		key = starlark.None
		sig := &pyargs.Func{Name: b.Name(), Params: []string{"a", "x", "lo", "hi", "*", "key"}, Required: 2, C: true, Wording: py.ClinicWording}
		if err := sig.Bind(args, kwargs, &a, &x, &lo, &hi, &key); err != nil {
			return nil, err
		}
		seq, ok := a.(starlark.Indexable)
		if !ok {
			return nil, py.Errorf(py.TypeError, "'%s' object is not subscriptable", py.TypeName(a))
		}
		low, err := pyargs.Index(lo)
		if err != nil {
			return nil, err
		}
		l, ok := low.Int64()
		if !ok || l < 0 {
			return nil, py.Errorf(py.ValueError, "lo must be non-negative")
		}
		h := int64(seq.Len())
		if hi != starlark.None {
			high, err := pyargs.Index(hi)
			if err != nil {
				return nil, err
			}
			if h, ok = high.Int64(); !ok {
				return nil, py.Errorf(py.OverflowError, "Python int too large to convert to C ssize_t")
			}
		}
		target := x
		if insert && key != starlark.None {
			if target, err = starlark.Call(thread, key, starlark.Tuple{x}, nil); err != nil {
				return nil, err
			}
		}
		meter := py.NewMeter(thread)
		for l < h {
			mid := int((l + h) / 2)
			if mid >= seq.Len() {
				return nil, py.Errorf(py.IndexError, "list index out of range")
			}
			item := seq.Index(mid)
			if key != starlark.None {
				if item, err = starlark.Call(thread, key, starlark.Tuple{item}, nil); err != nil {
					return nil, err
				}
			}
			if err := meter.Tick(); err != nil {
				return nil, err
			}
			// bisect_right: x < item goes left; bisect_left: item < x goes right.
			var goLeft bool
			if right {
				goLeft, err = starlark.Compare(syntax.LT, target, item)
			} else {
				var goRight bool
				goRight, err = starlark.Compare(syntax.LT, item, target)
				goLeft = !goRight
			}
			if err != nil {
				return nil, err
			}
			if goLeft {
				h = int64(mid)
			} else {
				l = int64(mid) + 1
			}
		}
		if !insert {
			return starlark.MakeInt64(l), nil
		}
		ins, ok := a.(starlark.HasAttrs)
		if !ok {
			return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'insert'", py.TypeName(a))
		}
		m, err := ins.Attr("insert")
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'insert'", py.TypeName(a))
		}
		if _, err := starlark.Call(thread, m, starlark.Tuple{starlark.MakeInt64(l), x}, nil); err != nil {
			return nil, err
		}
		return starlark.None, nil
	}
}
