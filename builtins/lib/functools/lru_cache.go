package functools

import (
	"container/list"
	"fmt"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// cacheInfoType is functools' CacheInfo namedtuple, which cache_info()
// returns.
var cacheInfoType = func() *py.NamedTupleType {
	t := py.NewNamedTupleType("CacheInfo", []string{"hits", "misses", "maxsize", "currsize"})
	t.Module = "functools"
	return t
}()

// lru_cache(maxsize=128, typed=False) returns a decorator; lru_cache(f)
// (a callable first argument) decorates f with maxsize 128. A negative
// maxsize is 0 (no caching), None is unbounded.
func lruCache(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 2 {
		return nil, py.Errorf(py.TypeError, "lru_cache() takes from 0 to 2 positional arguments but %d were given", len(args))
	}
	var maxsize, typed starlark.Value = starlark.MakeInt(128), starlark.False
	params := []*starlark.Value{&maxsize, &typed}
	for i, v := range args {
		*params[i] = v
	}
	for _, kv := range kwargs {
		switch name := string(kv[0].(starlark.String)); {
		case name == "maxsize" && len(args) < 1:
			maxsize = kv[1]
		case name == "typed" && len(args) < 2:
			typed = kv[1]
		case name == "maxsize" || name == "typed":
			return nil, py.Errorf(py.TypeError, "lru_cache() got multiple values for argument '%s'", name)
		default:
			return nil, py.Errorf(py.TypeError, "lru_cache() got an unexpected keyword argument '%s'", name)
		}
	}
	limit := -1 // unbounded
	switch m := maxsize.(type) {
	case starlark.Int, starlark.Bool:
		n := starlark.MakeInt(0)
		switch m := m.(type) {
		case starlark.Int:
			n = m
		case starlark.Bool:
			if m {
				n = starlark.MakeInt(1)
			}
		}
		if n.Sign() < 0 {
			n = starlark.MakeInt(0)
			maxsize = n
		}
		if l, ok := n.Int64(); ok && l < 1<<40 {
			limit = int(l)
		}
	case starlark.NoneType:
	case starlark.Callable:
		if _, ok := typed.(starlark.Bool); ok {
			return newLRUWrapper(m, starlark.MakeInt(128), 128, typed)
		}
		return nil, py.Errorf(py.TypeError, "Expected first argument to be an integer, a callable, or None")
	default:
		return nil, py.Errorf(py.TypeError, "Expected first argument to be an integer, a callable, or None")
	}
	return py.Func("decorating_function", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var fn starlark.Value
		if err := py.UnpackArgs("decorating_function", args, kwargs, []string{"user_function"}, &fn); err != nil {
			return nil, err
		}
		return newLRUWrapper(fn, maxsize, limit, typed)
	}), nil
}

// cache(user_function) is lru_cache(maxsize=None)(user_function).
func cache(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn starlark.Value
	if err := py.UnpackArgs("cache", args, kwargs, []string{"user_function"}, &fn); err != nil {
		return nil, err
	}
	return newLRUWrapper(fn, starlark.None, -1, starlark.False)
}

// lruWrapper is the function lru_cache returns: it calls fn for
// arguments it has not seen, and keeps the results of the last limit
// distinct calls (of all, when limit < 0).
type lruWrapper struct {
	fn      starlark.Value
	maxsize starlark.Value // as cache_parameters() shows it
	limit   int
	typed   starlark.Value
	meta    metadata
	// entries maps a key's hash to the entries with that hash; order
	// holds them from the most recently used to the least.
	entries      map[uint32][]*list.Element
	order        list.List
	hits, misses int
}

var _ py.MethodLike = (*lruWrapper)(nil)

// BindsAsMethod: an lru_cache'd method is bound to the instance, as
// CPython's cache wrapper is (the instance is part of the cache key).
func (w *lruWrapper) BindsAsMethod() {}

// cacheEntry is one remembered call.
type cacheEntry struct {
	key   starlark.Value
	hash  uint32
	value starlark.Value
}

var (
	_ starlark.Callable = (*lruWrapper)(nil)
	_ starlark.HasAttrs = (*lruWrapper)(nil)
)

func newLRUWrapper(fn, maxsize starlark.Value, limit int, typed starlark.Value) (starlark.Value, error) {
	if _, ok := fn.(starlark.Callable); !ok {
		return nil, py.Errorf(py.TypeError, "the first argument must be callable")
	}
	return &lruWrapper{fn: fn, maxsize: maxsize, limit: limit, typed: typed, meta: metadataOf(fn), entries: map[uint32][]*list.Element{}}, nil
}

func (w *lruWrapper) String() string {
	return fmt.Sprintf("<functools._lru_cache_wrapper object at %p>", w)
}
func (w *lruWrapper) Name() string          { return w.meta.name() }
func (w *lruWrapper) Type() string          { return "functools._lru_cache_wrapper" }
func (w *lruWrapper) Freeze()               {}
func (w *lruWrapper) Truth() starlark.Bool  { return true }
func (w *lruWrapper) Hash() (uint32, error) { return identityHash(w) }

// kwdMark separates the positional arguments from the keywords in a key.
type kwdMark struct{}

func (kwdMark) String() string        { return "<kwd_mark>" }
func (kwdMark) Type() string          { return "object" }
func (kwdMark) Freeze()               {}
func (kwdMark) Truth() starlark.Bool  { return true }
func (kwdMark) Hash() (uint32, error) { return 0x6b77646d, nil }

// key is the cache key of a call, as CPython's make_key makes it: the
// one argument itself when it is an int or str (so f(1) and f(1.0) are
// different calls, as in CPython), else the arguments, then the keywords
// in order after a mark, then (typed) the type of each.
func (w *lruWrapper) key(args starlark.Tuple, kwargs []starlark.Tuple) starlark.Value {
	if len(args) == 1 && len(kwargs) == 0 && !w.typed.Truth() {
		switch args[0].(type) {
		case starlark.Int, starlark.String:
			return args[0]
		}
	}
	key := append(make(starlark.Tuple, 0, len(args)+1+2*len(kwargs)), args...)
	if len(kwargs) > 0 {
		key = append(key, kwdMark{})
		for _, kv := range kwargs {
			key = append(key, kv[0], kv[1])
		}
	}
	if w.typed.Truth() {
		for _, v := range args {
			key = append(key, py.TypeOf(v))
		}
		for _, kv := range kwargs {
			key = append(key, py.TypeOf(kv[1]))
		}
	}
	return key
}

// unhashable returns the TypeError for the first unhashable value in v.
func unhashable(v starlark.Value) error {
	_, err := v.Hash()
	switch {
	case err == nil:
		return nil
	case py.AsException(err) != nil:
		return err
	}
	if t, ok := v.(starlark.Tuple); ok {
		for _, e := range t {
			if err := unhashable(e); err != nil {
				return err
			}
		}
	}
	return py.Errorf(py.TypeError, "unhashable type: '%s'", py.TypeName(v))
}

// find returns the entry of key, or nil.
func (w *lruWrapper) find(key starlark.Value, hash uint32) (*list.Element, error) {
	for _, e := range w.entries[hash] {
		eq, err := starlark.Equal(e.Value.(*cacheEntry).key, key)
		if err != nil {
			return nil, err
		}
		if eq {
			return e, nil
		}
	}
	return nil, nil
}

func (w *lruWrapper) remove(e *list.Element) {
	entry := w.order.Remove(e).(*cacheEntry)
	bucket := w.entries[entry.hash]
	for i, x := range bucket {
		if x == e {
			bucket = append(bucket[:i], bucket[i+1:]...)
			break
		}
	}
	if len(bucket) == 0 {
		delete(w.entries, entry.hash)
	} else {
		w.entries[entry.hash] = bucket
	}
}

// CallInternal returns the remembered result of an earlier call with
// equal arguments, or calls the function and remembers its result
// (evicting the least recently used one when the cache is full).
func (w *lruWrapper) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if w.limit == 0 {
		w.misses++
		return starlark.Call(thread, w.fn, args, kwargs)
	}
	key := w.key(args, kwargs)
	hash, err := key.Hash()
	if err != nil {
		return nil, unhashable(key)
	}
	e, err := w.find(key, hash)
	if err != nil {
		return nil, err
	}
	if e != nil {
		w.hits++
		w.order.MoveToFront(e)
		return e.Value.(*cacheEntry).value, nil
	}
	w.misses++
	v, err := starlark.Call(thread, w.fn, args, kwargs)
	if err != nil {
		return nil, err
	}
	// A recursive call may have remembered the same key meanwhile.
	if e, err := w.find(key, hash); err != nil || e != nil {
		return v, err
	}
	if w.limit > 0 && w.order.Len() >= w.limit {
		w.remove(w.order.Back())
	}
	w.entries[hash] = append(w.entries[hash], w.order.PushFront(&cacheEntry{key: key, hash: hash, value: v}))
	return v, nil
}

// Attr returns cache_info, cache_clear, cache_parameters and the
// wrapped function's metadata.
func (w *lruWrapper) Attr(name string) (starlark.Value, error) {
	if m, ok := lruMethods[name]; ok {
		return m.BindReceiver(w), nil
	}
	return w.meta.attr(name), nil
}

func (w *lruWrapper) AttrNames() []string {
	return append([]string{"cache_clear", "cache_info", "cache_parameters"}, w.meta.names()...)
}

// noArgs checks that a method that takes no arguments got none.
func noArgs(fname string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "%s() takes no keyword arguments", fname)
	}
	if len(args) > 0 {
		return py.Errorf(py.TypeError, "%s() takes no arguments (%d given)", fname, len(args))
	}
	return nil
}

var lruMethods = map[string]*starlark.Builtin{
	"cache_info": py.Func("cache_info", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("_lru_cache_wrapper.cache_info", args, kwargs); err != nil {
			return nil, err
		}
		w := b.Receiver().(*lruWrapper)
		var maxsize starlark.Value = starlark.None
		if w.limit >= 0 {
			maxsize = starlark.MakeInt(w.limit)
		}
		return cacheInfoType.Make(starlark.MakeInt(w.hits), starlark.MakeInt(w.misses), maxsize, starlark.MakeInt(w.order.Len())), nil
	}),
	"cache_clear": py.Func("cache_clear", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("_lru_cache_wrapper.cache_clear", args, kwargs); err != nil {
			return nil, err
		}
		w := b.Receiver().(*lruWrapper)
		w.entries = map[uint32][]*list.Element{}
		w.order.Init()
		w.hits, w.misses = 0, 0
		return starlark.None, nil
	}),
	"cache_parameters": py.Func("cache_parameters", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("_lru_cache_wrapper.cache_parameters", args, kwargs); err != nil {
			return nil, err
		}
		w := b.Receiver().(*lruWrapper)
		d := starlark.NewDict(2)
		_ = d.SetKey(starlark.String("maxsize"), w.maxsize)
		_ = d.SetKey(starlark.String("typed"), w.typed)
		return d, nil
	}),
}
