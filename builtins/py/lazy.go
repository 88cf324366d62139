package py

import (
	"errors"
	"fmt"

	"go.starlark.net/starlark"
)

// Python's lazy map(), filter(), zip() and enumerate(), and any() and
// all(), which stop at the first element that decides. Like Python's, the
// iterators take elements from their iterables only as they are advanced,
// so they work over an endless KafkaConsumer: a for loop that breaks
// leaves the consumer's position right after the last record it saw.

func pyMap(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "map() takes no keyword arguments")
	}
	if len(args) < 2 {
		return nil, Errorf(TypeError, "map() must have at least two arguments.")
	}
	if !isCallable(args[0]) {
		return nil, Errorf(TypeError, "'%s' object is not callable", TypeName(args[0]))
	}
	sources, err := newSources(thread, args[1:])
	if err != nil {
		return nil, err
	}
	return &lazyIterator{kind: lazyMap, thread: thread, fn: args[0], sources: sources}, nil
}

func pyFilter(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn, iterable starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &fn, &iterable); err != nil {
		return nil, err
	}
	if fn != starlark.None && !isCallable(fn) {
		return nil, Errorf(TypeError, "'%s' object is not callable", TypeName(fn))
	}
	sources, err := newSources(thread, starlark.Tuple{iterable})
	if err != nil {
		return nil, err
	}
	return &lazyIterator{kind: lazyFilter, thread: thread, fn: fn, sources: sources}, nil
}

// zip(*iterables, strict=False)
func pyZip(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	strict := false
	for _, kv := range kwargs {
		if kv[0] != starlark.String("strict") {
			return nil, Errorf(TypeError, "'%s' is an invalid keyword argument for zip()", string(kv[0].(starlark.String)))
		}
		strict = bool(kv[1].Truth())
	}
	sources, err := newSources(thread, args)
	if err != nil {
		return nil, err
	}
	return &lazyIterator{kind: lazyZip, thread: thread, sources: sources, strict: strict}, nil
}

// enumerate(iterable, start=0)
func pyEnumerate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if n := len(args) + len(kwargs); n > 2 {
		return nil, Errorf(TypeError, "enumerate() takes at most 2 arguments (%d given)", n)
	}
	var iterable, start starlark.Value
	if len(args) > 0 {
		iterable = args[0]
	}
	if len(args) > 1 {
		start = args[1]
	}
	for _, kv := range kwargs {
		switch name := string(kv[0].(starlark.String)); {
		case name == "iterable" && iterable == nil:
			iterable = kv[1]
		case name == "start" && start == nil:
			start = kv[1]
		case name == "iterable" || name == "start":
			return nil, Errorf(TypeError, "argument for enumerate() given by name ('%s') and position", name)
		default:
			return nil, Errorf(TypeError, "'%s' is an invalid keyword argument for enumerate()", name)
		}
	}
	if iterable == nil {
		return nil, Errorf(TypeError, "enumerate() missing required argument 'iterable'")
	}
	sources, err := newSources(thread, starlark.Tuple{iterable})
	if err != nil {
		return nil, err
	}
	count := starlark.MakeInt(0)
	if start != nil {
		if count, err = asIndex(start); err != nil {
			return nil, err
		}
	}
	return &lazyIterator{kind: lazyEnumerate, thread: thread, sources: sources, count: count}, nil
}

// anyAll returns any (want true) or all: they take elements until one
// decides (a true one for any, a false one for all), as Python's do.
func anyAll(want bool) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(kwargs) > 0 {
			return nil, Errorf(TypeError, "%s() takes no keyword arguments", b.Name())
		}
		if len(args) != 1 {
			return nil, Errorf(TypeError, "%s() takes exactly one argument (%d given)", b.Name(), len(args))
		}
		src, err := newSource(thread, args[0])
		if err != nil {
			return nil, err
		}
		m := NewMeter(thread)
		for {
			if err := m.Tick(); err != nil {
				return nil, err
			}
			v, ok, err := src.Next(thread)
			if err != nil {
				return nil, err
			}
			if !ok {
				return starlark.Bool(!want), nil
			}
			if bool(v.Truth()) == want {
				return starlark.Bool(want), nil
			}
		}
	}
}

// Iterators are Containers: x in it takes elements until one equals x,
// as Python's `in` does with an iterator.
var (
	_ starlark.Container = (*lazyIterator)(nil)
	_ starlark.Container = (*listIterator)(nil)
)

// Has is `x in it`: map(...), zip(...) and the others.
func (it *lazyIterator) Has(x starlark.Value) (bool, error) { return IteratorHas(it.thread, it, x) }

// Has is `x in it` for iter(x) and generator expressions.
func (it *listIterator) Has(x starlark.Value) (bool, error) { return IteratorHas(nil, it, x) }

// IteratorHas is `x in it` for an iterator: it advances it until an
// element equals x or it is exhausted.
func IteratorHas(thread *starlark.Thread, it Nexter, x starlark.Value) (bool, error) {
	for {
		v, ok, err := it.Next(thread)
		if !ok || err != nil {
			return false, err
		}
		if eq, err := starlark.Equal(v, x); eq || err != nil {
			return eq, err
		}
	}
}

// isCallable reports whether v can be called: an instance of a script's
// class only when the class defines __call__.
func isCallable(v starlark.Value) bool {
	if o := objectOf(v); o != nil {
		return o.class.scriptMethod("__call__") != nil
	}
	_, ok := v.(starlark.Callable)
	return ok
}

// source yields the elements of one iterable, one at a time.
type source struct {
	nexter  Nexter             // an iterator (a consumer, iter(x), another map)
	indexed starlark.Indexable // a sequence (list, tuple, range, namedtuple): read by index, as Python's list iterator does, so nothing is locked
	elems   []starlark.Value   // anything else (str, bytes, dict, set), taken whole when the source is made
	pos     int
	done    bool // a sequence's end was reached: it stays exhausted if it grows, as Python's list iterator does
}

// newSources makes a source of each iterable, or raises Python's
// TypeError for the first that is not one.
func newSources(thread *starlark.Thread, iterables starlark.Tuple) ([]*source, error) {
	sources := make([]*source, len(iterables))
	for i, x := range iterables {
		src, err := newSource(thread, x)
		if err != nil {
			return nil, err
		}
		sources[i] = src
	}
	return sources, nil
}

func newSource(thread *starlark.Thread, x starlark.Value) (*source, error) {
	switch x := x.(type) {
	case Nexter:
		return &source{nexter: x}, nil
	case starlark.String: // indexable by byte, iterated by character
	case starlark.Indexable:
		return &source{indexed: x}, nil
	}
	elems, err := elements(thread, x)
	return &source{elems: elems}, err
}

// Next returns the source's next element.
func (s *source) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	switch {
	case s.nexter != nil:
		return s.nexter.Next(thread)
	case s.done:
	case s.indexed != nil:
		if s.pos < s.indexed.Len() {
			s.pos++
			return s.indexed.Index(s.pos - 1), true, nil
		}
	case s.pos < len(s.elems):
		s.pos++
		return s.elems[s.pos-1], true, nil
	}
	s.done = true
	return nil, false, nil
}

// lazyKind is the builtin a lazyIterator implements.
type lazyKind uint8

const (
	lazyMap lazyKind = iota
	lazyFilter
	lazyZip
	lazyEnumerate
)

var lazyTypeNames = [...]string{lazyMap: "map", lazyFilter: "filter", lazyZip: "zip", lazyEnumerate: "enumerate"}

// lazyIterator is a map, filter, zip or enumerate object. Like CPython's
// it keeps no "exhausted" state of its own: once its sources end it is
// exhausted as long as they are, and a consumer that ended because
// consumer_timeout_ms passed can yield again, as kafka-python's does.
type lazyIterator struct {
	kind    lazyKind
	thread  *starlark.Thread // the script's thread, for iteration by a for loop
	fn      starlark.Value   // map's function; filter's, or None to keep true elements
	sources []*source
	count   starlark.Int // enumerate's next index
	strict  bool         // zip(strict=True): all sources must end together
}

var (
	_ Nexter            = (*lazyIterator)(nil)
	_ starlark.Iterable = (*lazyIterator)(nil)
)

func (it *lazyIterator) String() string {
	return fmt.Sprintf("<%s object at %p>", lazyTypeNames[it.kind], it)
}
func (it *lazyIterator) Type() string         { return lazyTypeNames[it.kind] }
func (it *lazyIterator) Freeze()              {}
func (it *lazyIterator) Truth() starlark.Bool { return true }
func (it *lazyIterator) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: '%s'", it.Type())
}

var one = starlark.MakeInt(1)

// Next returns the next element: the function applied to the next
// elements of the sources (map), the next element the function accepts
// (filter), a tuple of the sources' next elements (zip) or of a count and
// the next element (enumerate). map and zip stop at the shortest source,
// having taken an element from each source before it, as Python's do.
func (it *lazyIterator) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	switch it.kind {
	case lazyEnumerate:
		v, ok, err := it.sources[0].Next(thread)
		if !ok || err != nil {
			return nil, false, err
		}
		pair := starlark.Tuple{it.count, v}
		it.count = it.count.Add(one)
		return pair, true, nil
	case lazyFilter:
		for {
			v, ok, err := it.sources[0].Next(thread)
			if !ok || err != nil {
				return nil, false, err
			}
			keep := v
			if it.fn != starlark.None {
				if keep, err = starlark.Call(thread, it.fn, starlark.Tuple{v}, nil); err != nil {
					return nil, false, err
				}
			}
			if keep.Truth() {
				return v, true, nil
			}
		}
	}
	if len(it.sources) == 0 {
		return nil, false, nil // zip()
	}
	elems := make(starlark.Tuple, len(it.sources))
	for i, src := range it.sources {
		v, ok, err := src.Next(thread)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			if it.strict {
				return nil, false, it.checkStrict(thread, i)
			}
			return nil, false, nil
		}
		elems[i] = v
	}
	if it.kind == lazyZip {
		return elems, true, nil
	}
	v, err := starlark.Call(thread, it.fn, elems, nil)
	return v, err == nil, err
}

// checkStrict is zip(strict=True)'s check when source i has ended: every
// other source must have ended too, with CPython's messages.
func (it *lazyIterator) checkStrict(thread *starlark.Thread, i int) error {
	plural := func(n int) string {
		if n == 1 {
			return " 1"
		}
		return fmt.Sprintf("s 1-%d", n)
	}
	if i > 0 {
		return Errorf(ValueError, "zip() argument %d is shorter than argument%s", i+1, plural(i))
	}
	for j := 1; j < len(it.sources); j++ {
		_, ok, err := it.sources[j].Next(thread)
		if err != nil {
			return err
		}
		if ok {
			return Errorf(ValueError, "zip() argument %d is longer than argument%s", j+1, plural(j))
		}
	}
	return nil
}

// Iterate lets a for loop take the remaining elements.
func (it *lazyIterator) Iterate() starlark.Iterator {
	return &nexterIteration{thread: it.thread, it: it}
}

// nexterIteration is a for loop over a Nexter (an iterator made by a
// builtin, on the script's thread): an error from it stops the script,
// since Starlark iterators cannot return one.
type nexterIteration struct {
	thread *starlark.Thread
	it     Nexter
}

func (it *nexterIteration) Next(p *starlark.Value) bool {
	v, ok, err := it.it.Next(it.thread)
	if err != nil {
		Fail(it.thread, IterationError(it.thread, err))
		return false
	}
	if ok {
		*p = v
	}
	return ok
}

func (it *nexterIteration) Done() {}

// Iterate is Python's iter(x) for Go code: a Nexter that takes the
// elements of x one at a time, as they are asked for. It is x itself when
// x is an iterator (a KafkaConsumer, map(...)), so that what is not taken
// stays in x, as in Python; a sequence is read by index, a str by
// character. When x is not iterable it raises Python's TypeError.
func Iterate(thread *starlark.Thread, x starlark.Value) (Nexter, error) {
	if n, ok := x.(Nexter); ok {
		return n, nil
	}
	src, err := newSource(thread, x)
	if err != nil {
		return nil, err
	}
	return src, nil
}

// Iterator is a Python iterator object made in Go, such as the standard
// modules' itertools.islice: next() and for loops advance it, `x in it`
// takes elements until one equals x, and it renders as
// <TypeName object at 0x...> unless Repr says otherwise.
type Iterator struct {
	// TypeName is its class as type() and error messages name it
	// ("itertools.islice").
	TypeName string
	// NextFunc returns the next element, or false once there is none
	// (as Nexter.Next).
	NextFunc func(thread *starlark.Thread) (starlark.Value, bool, error)
	// ReprFunc, when set, renders the iterator (itertools.count(5)).
	ReprFunc func() string
	thread   *starlark.Thread
}

// NewIterator returns an iterator whose elements next makes; thread is
// the script's, on which for loops call next.
func NewIterator(thread *starlark.Thread, typeName string, next func(thread *starlark.Thread) (starlark.Value, bool, error)) *Iterator {
	return &Iterator{TypeName: typeName, NextFunc: next, thread: thread}
}

var (
	_ Nexter             = (*Iterator)(nil)
	_ starlark.Iterable  = (*Iterator)(nil)
	_ starlark.Container = (*Iterator)(nil)
)

func (it *Iterator) String() string {
	if it.ReprFunc != nil {
		return it.ReprFunc()
	}
	return fmt.Sprintf("<%s object at %p>", it.TypeName, it)
}
func (it *Iterator) Type() string         { return it.TypeName }
func (it *Iterator) Freeze()              {}
func (it *Iterator) Truth() starlark.Bool { return true }

// Hash is by identity, as for Python's iterators.
func (it *Iterator) Hash() (uint32, error) {
	return starlark.String(fmt.Sprintf("%p", it)).Hash()
}

// Next returns the next element.
func (it *Iterator) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	return it.NextFunc(thread)
}

// Iterate lets a for loop take the remaining elements.
func (it *Iterator) Iterate() starlark.Iterator {
	return &nexterIteration{thread: it.thread, it: it}
}

// Has is `x in it`.
func (it *Iterator) Has(x starlark.Value) (bool, error) { return IteratorHas(it.thread, it, x) }

// IterationError gives an error raised by iteration itself (not by a
// deserializer, whose error has its own) the script's call stack at the
// for statement, as Python's traceback shows where a loop was interrupted.
func IterationError(thread *starlark.Thread, err error) error {
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		return err
	}
	raise := starlark.NewBuiltin("next", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		return nil, err
	})
	_, wrapped := starlark.Call(thread, raise, nil, nil)
	return wrapped
}
