package py

import "go.starlark.net/starlark"

// Python's list and dict methods that Starlark's lack: list.sort(key=None,
// reverse=False), list.reverse(), list.copy(), list.count(x),
// tuple.count(x), tuple.index(x, start, stop), dict.copy() and dict's
// views. The front end reaches them through __getattr__ (they are
// in RewrittenMethods).

// listMethods are Python's list methods that Starlark's list lacks, and
// those whose errors Starlark words its own way (index, pop, remove:
// they check what CPython checks, then leave the change to Starlark's).
var listMethods = map[string]*starlark.Builtin{
	"sort":    Func("sort", listSort),
	"reverse": Func("reverse", listReverse),
	"copy":    Func("copy", listCopy),
	"count":   Func("count", listCount),
	"index":   Func("index", listIndex),
	"pop":     Func("pop", listPop),
	"remove":  Func("remove", listRemove),
}

// tupleMethods are Python's tuple methods (Starlark's tuple has none).
var tupleMethods = map[string]*starlark.Builtin{
	"count": Func("count", tupleCount),
	"index": Func("index", tupleIndex),
}

// dictMethods are Python's dict methods that Starlark's dict lacks, and
// its views (dictviews.go) in place of Starlark's lists.
var dictMethods = map[string]*starlark.Builtin{
	"pop":    Func("pop", dictPop),
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
	i, err := indexOf("tuple", b.Receiver().(starlark.Tuple), args, kwargs)
	if err != nil || i < 0 {
		return nil, cmpErr(err, Errorf(ValueError, "tuple.index(x): x not in tuple"))
	}
	return starlark.MakeInt(i), nil
}

// list.index(x, start=0, stop=len): ValueError "x is not in list".
func listIndex(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	i, err := indexOf("list", b.Receiver().(*starlark.List), args, kwargs)
	if err != nil || i < 0 {
		if err == nil {
			r, rerr := ReprOf(thread, args[0])
			if rerr != nil {
				return nil, rerr
			}
			err = Errorf(ValueError, "%s is not in list", r)
		}
		return nil, err
	}
	return starlark.MakeInt(i), nil
}

// cmpErr is err, or missing when err is nil.
func cmpErr(err error, missing error) error {
	if err != nil {
		return err
	}
	return missing
}

// indexOf is the position of args[0] in seq between the optional start
// and stop of args[1:], -1 when it is not there.
func indexOf(kind string, seq starlark.Indexable, args starlark.Tuple, kwargs []starlark.Tuple) (int, error) {
	if len(kwargs) != 0 {
		return 0, Errorf(TypeError, "%s.index() takes no keyword arguments", kind)
	}
	if len(args) < 1 || len(args) > 3 {
		return 0, Errorf(TypeError, "index expected at least 1 argument, got %d", len(args))
	}
	n := seq.Len()
	bounds := [2]int{0, n}
	for i, a := range args[1:] {
		k, ok := a.(starlark.Int)
		if !ok {
			return 0, Errorf(TypeError, "slice indices must be integers or have an __index__ method")
		}
		v, ok := k.Int64()
		if !ok { // beyond any sequence's length
			v = int64(n)
			if k.Sign() < 0 {
				v = -v
			}
		}
		if v < 0 {
			v = max(v+int64(n), 0)
		}
		bounds[i] = int(min(v, int64(n)))
	}
	for i := bounds[0]; i < bounds[1]; i++ {
		eq, err := starlark.Equal(seq.Index(i), args[0])
		if err != nil {
			return 0, err
		}
		if eq {
			return i, nil
		}
	}
	return -1, nil
}

// list.pop(i=-1): CPython's IndexErrors, then Starlark's pop.
func listPop(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	list := b.Receiver().(*starlark.List)
	if err := CheckPositional("pop", args, kwargs, 0, 1); err != nil {
		return nil, err
	}
	if list.Len() == 0 {
		return nil, Errorf(IndexError, "pop from empty list")
	}
	if len(args) == 1 {
		k, ok := args[0].(starlark.Int)
		if !ok {
			return nil, Errorf(TypeError, "'%s' object cannot be interpreted as an integer", TypeName(args[0]))
		}
		i, ok := k.Int64()
		if i < 0 {
			i += int64(list.Len())
		}
		if !ok || i < 0 || i >= int64(list.Len()) {
			return nil, Errorf(IndexError, "pop index out of range")
		}
		args = starlark.Tuple{starlark.MakeInt64(i)}
	}
	return callStarlarkMethod(thread, list, "pop", args)
}

// list.remove(x): ValueError when x is not there, then Starlark's remove.
func listRemove(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	list := b.Receiver().(*starlark.List)
	if err := CheckPositional("remove", args, kwargs, 1, 1); err != nil {
		return nil, Errorf(TypeError, "list.remove() takes exactly one argument (%d given)", len(args)+len(kwargs))
	}
	i, err := indexOf("list", list, args, nil)
	if err != nil {
		return nil, err
	}
	if i < 0 {
		return nil, Errorf(ValueError, "list.remove(x): x not in list")
	}
	if _, err := callStarlarkMethod(thread, list, "pop", starlark.Tuple{starlark.MakeInt(i)}); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// dict.pop(key[, default]): KeyError(key) when it is missing and no
// default is given, then Starlark's pop.
func dictPop(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	d := b.Receiver().(*starlark.Dict)
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "dict.pop() takes no keyword arguments")
	}
	if len(args) < 1 || len(args) > 2 {
		return nil, Errorf(TypeError, "pop expected at least 1 argument, got %d", len(args))
	}
	if len(args) == 1 {
		if _, found, err := d.Get(args[0]); err == nil && !found {
			return nil, KeyErrorOf(args[0])
		}
	}
	return callStarlarkMethod(thread, d, "pop", args)
}

// callStarlarkMethod calls the method of Starlark's own x.
func callStarlarkMethod(thread *starlark.Thread, x starlark.HasAttrs, name string, args starlark.Tuple) (starlark.Value, error) {
	m, err := x.Attr(name)
	if err != nil {
		return nil, err
	}
	return starlark.Call(thread, m, args, nil)
}
