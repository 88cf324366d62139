package builtins

import (
	"fmt"

	"go.starlark.net/starlark"
)

// Python's lazy map() and filter(), which Starlark lacks. Like Python's,
// they return iterators that call the function only as elements are
// taken, so map(f, consumer) over an endless KafkaConsumer works: a for
// loop, next(), list() and everything else that iterates takes from it.
func init() {
	registerGlobal("map", Func("map", pyMap))
	registerGlobal("filter", Func("filter", pyFilter))
	registerGlobal(GenExpFunc, Func(GenExpFunc, genexp))
}

// genexp is what a generator expression evaluates to: the front end
// makes it a list comprehension and passes the list here.
func genexp(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var list *starlark.List
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &list); err != nil {
		return nil, err
	}
	elems := make([]starlark.Value, list.Len())
	for i := range elems {
		elems[i] = list.Index(i)
	}
	return &listIterator{typeName: "generator", elems: elems}, nil
}

func pyMap(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "map() takes no keyword arguments")
	}
	if len(args) < 2 {
		return nil, Errorf(TypeError, "map() must have at least two arguments.")
	}
	if !isCallable(args[0]) {
		return nil, Errorf(TypeError, "'%s' object is not callable", PyTypeName(args[0]))
	}
	it := &lazyIterator{typeName: "map", thread: thread, fn: args[0]}
	for _, x := range args[1:] {
		src, err := newSource(thread, x)
		if err != nil {
			return nil, Errorf(TypeError, "'%s' object is not iterable", PyTypeName(x))
		}
		it.sources = append(it.sources, src)
	}
	return it, nil
}

func pyFilter(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn, iterable starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &fn, &iterable); err != nil {
		return nil, err
	}
	if fn != starlark.None && !isCallable(fn) {
		return nil, Errorf(TypeError, "'%s' object is not callable", PyTypeName(fn))
	}
	src, err := newSource(thread, iterable)
	if err != nil {
		return nil, Errorf(TypeError, "'%s' object is not iterable", PyTypeName(iterable))
	}
	return &lazyIterator{typeName: "filter", thread: thread, fn: fn, sources: []*source{src}, filter: true}, nil
}

func isCallable(v starlark.Value) bool {
	_, ok := v.(starlark.Callable)
	return ok
}

// source yields the elements of one iterable, one at a time.
type source struct {
	nexter  Nexter             // an iterator (a consumer, iter(x), another map)
	indexed starlark.Indexable // a list or tuple: read by index, as Python's list iterator does, so nothing is locked
	elems   []starlark.Value   // anything else, taken whole when map() is called
	pos     int
}

func newSource(thread *starlark.Thread, x starlark.Value) (*source, error) {
	switch x := x.(type) {
	case Nexter:
		return &source{nexter: x}, nil
	case *starlark.List, starlark.Tuple:
		return &source{indexed: x.(starlark.Indexable)}, nil
	case starlark.String, starlark.Bytes, starlark.Iterable:
		elems, err := elements(thread, x)
		return &source{elems: elems}, err
	}
	return nil, fmt.Errorf("not iterable")
}

func (s *source) next(thread *starlark.Thread) (starlark.Value, bool, error) {
	switch {
	case s.nexter != nil:
		return s.nexter.Next(thread)
	case s.indexed != nil:
		if s.pos >= s.indexed.Len() {
			return nil, false, nil
		}
	default:
		if s.pos >= len(s.elems) {
			return nil, false, nil
		}
	}
	s.pos++
	if s.indexed != nil {
		return s.indexed.Index(s.pos - 1), true, nil
	}
	return s.elems[s.pos-1], true, nil
}

// lazyIterator is a map or filter object.
type lazyIterator struct {
	typeName string
	thread   *starlark.Thread // the script's thread, for iteration by a for loop
	fn       starlark.Value   // None for filter(None, xs): keep true elements
	sources  []*source
	filter   bool
	done     bool
}

var (
	_ Nexter            = (*lazyIterator)(nil)
	_ starlark.Iterable = (*lazyIterator)(nil)
)

func (it *lazyIterator) String() string       { return fmt.Sprintf("<%s object at %p>", it.typeName, it) }
func (it *lazyIterator) Type() string         { return it.typeName }
func (it *lazyIterator) Freeze()              {}
func (it *lazyIterator) Truth() starlark.Bool { return true }
func (it *lazyIterator) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: '%s'", it.typeName)
}

// Next returns the next mapped element, or for filter the next element
// the function accepts. map stops at its shortest iterable.
func (it *lazyIterator) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	for !it.done {
		args := make(starlark.Tuple, len(it.sources))
		for i, src := range it.sources {
			v, ok, err := src.next(thread)
			if err != nil || !ok {
				it.done = true
				return nil, false, err
			}
			args[i] = v
		}
		if !it.filter {
			v, err := starlark.Call(thread, it.fn, args, nil)
			return v, err == nil, err
		}
		keep := starlark.Value(args[0])
		if it.fn != starlark.None {
			var err error
			if keep, err = starlark.Call(thread, it.fn, args, nil); err != nil {
				return nil, false, err
			}
		}
		if keep.Truth() {
			return args[0], true, nil
		}
	}
	return nil, false, nil
}

// Iterate lets a for loop take the remaining elements; an error from the
// function or a source stops the script (Starlark iterators cannot return
// one).
func (it *lazyIterator) Iterate() starlark.Iterator { return (*lazyIteration)(it) }

type lazyIteration lazyIterator

func (it *lazyIteration) Next(p *starlark.Value) bool {
	v, ok, err := (*lazyIterator)(it).Next(it.thread)
	if err != nil {
		Fail(it.thread, iterationError(it.thread, err))
		return false
	}
	if ok {
		*p = v
	}
	return ok
}

func (it *lazyIteration) Done() {}
