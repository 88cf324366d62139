package py

import "go.starlark.net/starlark"

// Python's list and dict methods that Starlark's lack: list.sort(key=None,
// reverse=False), list.reverse(), list.copy(), list.count(x),
// tuple.count(x), tuple.index(x, start, stop), dict.copy() and dict's
// views. The front end reaches them through __getattr__ (they are
// in RewrittenMethods).

// listMethods are Python's list methods that Starlark's list lacks.
var listMethods = map[string]*starlark.Builtin{
	"sort":    Func("sort", listSort),
	"reverse": Func("reverse", listReverse),
	"copy":    Func("copy", listCopy),
	"count":   Func("count", listCount),
}

// tupleMethods are Python's tuple methods (Starlark's tuple has none).
var tupleMethods = map[string]*starlark.Builtin{
	"count": Func("count", tupleCount),
	"index": Func("index", tupleIndex),
}

// dictMethods are Python's dict methods that Starlark's dict lacks, and
// its views (dictviews.go) in place of Starlark's lists.
var dictMethods = map[string]*starlark.Builtin{
	"copy":   Func("copy", dictCopy),
	"keys":   Func("keys", dictKeys),
	"values": Func("values", dictValues),
	"items":  Func("items", dictItems),
}

// listSort sorts the list in place, stably, as sorted() would.
func listSort(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		return nil, Errorf(TypeError, "sort() takes no positional arguments")
	}
	var key starlark.Value = starlark.None
	var reverse bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "key?", &key, "reverse?", &reverse); err != nil {
		return nil, err
	}
	list := b.Receiver().(*starlark.List)
	opts := []starlark.Tuple{{starlark.String("reverse"), starlark.Bool(reverse)}}
	if key != starlark.None {
		opts = append(opts, starlark.Tuple{starlark.String("key"), key})
	}
	sorted, err := starlark.Call(thread, sortedBuiltin, starlark.Tuple{list}, opts)
	if err != nil {
		return nil, err
	}
	return starlark.None, setElems(list, sorted.(*starlark.List))
}

func listReverse(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	list := b.Receiver().(*starlark.List)
	reversed := make([]starlark.Value, list.Len())
	for i := range reversed {
		reversed[i] = list.Index(len(reversed) - 1 - i)
	}
	return starlark.None, setElems(list, starlark.NewList(reversed))
}

// setElems overwrites list's elements with those of src (same length);
// it fails as Starlark does for a frozen list or one being iterated.
func setElems(list, src *starlark.List) error {
	for i := range src.Len() {
		if err := list.SetIndex(i, src.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

func listCopy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	list := b.Receiver().(*starlark.List)
	elems := make([]starlark.Value, list.Len())
	for i := range elems {
		elems[i] = list.Index(i)
	}
	return starlark.NewList(elems), nil
}

func listCount(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	list := b.Receiver().(starlark.Indexable)
	n := 0
	for i := range list.Len() {
		eq, err := starlark.Equal(list.Index(i), x)
		if err != nil {
			return nil, err
		}
		if eq {
			n++
		}
	}
	return starlark.MakeInt(n), nil
}

func dictCopy(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	d := b.Receiver().(*starlark.Dict)
	out := starlark.NewDict(d.Len())
	for _, item := range d.Items() {
		if err := out.SetKey(item[0], item[1]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func tupleCount(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, Errorf(TypeError, "tuple.count() takes exactly one argument (%d given)", len(args)+len(kwargs))
	}
	return listCount(thread, b, args, kwargs)
}

// tupleIndex is tuple.index(x, start=0, stop=len): the first index of x
// between start and stop (negative ones count from the end).
func tupleIndex(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) != 0 {
		return nil, Errorf(TypeError, "tuple.index() takes no keyword arguments")
	}
	if len(args) < 1 || len(args) > 3 {
		return nil, Errorf(TypeError, "index expected at least 1 argument, got %d", len(args))
	}
	tuple := b.Receiver().(starlark.Tuple)
	bounds := [2]int{0, len(tuple)}
	for i, a := range args[1:] {
		n, ok := a.(starlark.Int)
		if !ok {
			return nil, Errorf(TypeError, "slice indices must be integers or have an __index__ method")
		}
		v, ok := n.Int64()
		if !ok { // beyond any tuple's length
			v = int64(len(tuple))
			if n.Sign() < 0 {
				v = -v
			}
		}
		if v < 0 {
			v = max(v+int64(len(tuple)), 0)
		}
		bounds[i] = int(min(v, int64(len(tuple))))
	}
	for i := bounds[0]; i < bounds[1]; i++ {
		eq, err := starlark.Equal(tuple[i], args[0])
		if err != nil {
			return nil, err
		}
		if eq {
			return starlark.MakeInt(i), nil
		}
	}
	return nil, Errorf(ValueError, "tuple.index(x): x not in tuple")
}
