// Package itertools is Python's itertools module for kstar scripts:
//
//	islice(iterable, stop) / islice(iterable, start, stop[, step])
//	chain(*iterables), chain.from_iterable(iterable)
//	count(start=0, step=1), cycle(iterable), repeat(object[, times])
//	groupby(iterable, key=None), accumulate(iterable[, func, *, initial=None])
//	takewhile(predicate, iterable), dropwhile(predicate, iterable)
//	filterfalse(predicate, iterable), compress(data, selectors)
//	starmap(function, iterable), zip_longest(*iterables, fillvalue=None)
//	pairwise(iterable), batched(iterable, n), tee(iterable, n=2)
//	product(*iterables, repeat=1), permutations(iterable, r=None)
//	combinations(iterable, r), combinations_with_replacement(iterable, r)
//
// All are lazy, as CPython's: they take an element from their iterables
// only when they are advanced, so they work over an endless
// KafkaConsumer (islice(consumer, 10) reads exactly 10 records, and the
// consumer's position is right after them). product, permutations and
// the combinations read their iterables whole when they are made, as
// CPython's do. batched is Python 3.12's (kstar follows CPython 3.11
// otherwise, which lacks it).
package itertools

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the itertools module for one execution.
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{"tee": py.Func("tee", tee)}
	for name, class := range classes {
		members[name] = class
	}
	return &starlarkstruct.Module{Name: "itertools", Members: members}
}

// classes are the module's classes, each a maker of iterators.
var classes = map[string]*py.Type{
	"islice":                        class("islice", islice, nil),
	"chain":                         class("chain", chain, map[string]starlark.Value{"from_iterable": py.Func("from_iterable", chainFromIterable)}),
	"count":                         class("count", count, nil),
	"cycle":                         class("cycle", cycle, nil),
	"repeat":                        class("repeat", repeat, nil),
	"groupby":                       class("groupby", groupby, nil),
	"accumulate":                    class("accumulate", accumulate, nil),
	"takewhile":                     class("takewhile", whilePredicate(true), nil),
	"dropwhile":                     class("dropwhile", whilePredicate(false), nil),
	"filterfalse":                   class("filterfalse", filterfalse, nil),
	"compress":                      class("compress", compress, nil),
	"starmap":                       class("starmap", starmap, nil),
	"zip_longest":                   class("zip_longest", zipLongest, nil),
	"pairwise":                      class("pairwise", pairwise, nil),
	"batched":                       class("batched", batched, nil),
	"product":                       class("product", product, nil),
	"permutations":                  class("permutations", permutations, nil),
	"combinations":                  class("combinations", combinations(false), nil),
	"combinations_with_replacement": class("combinations_with_replacement", combinations(true), nil),
}

// class makes an itertools class whose instances are the iterators call
// returns.
func class(name string, call py.BuiltinFunc, attrs map[string]starlark.Value) *py.Type {
	qualname := "itertools." + name
	return py.NewClass(qualname, call, func(v starlark.Value) bool {
		it, ok := v.(*py.Iterator)
		return ok && it.TypeName == qualname
	}, attrs)
}

// next is how each iterator makes its next element.
type next = func(thread *starlark.Thread) (starlark.Value, bool, error)

func newIterator(thread *starlark.Thread, name string, next next) *py.Iterator {
	return py.NewIterator(thread, "itertools."+name, next)
}

// iterate is py.Iterate with each element taken counted by a Meter: an
// iterator that skips elements (islice's start, dropwhile, filterfalse,
// compress, groupby) may take any number of them in one next, and the
// execution's limits must stop it there as they stop a loop.
func iterate(thread *starlark.Thread, x starlark.Value) (py.Nexter, error) {
	src, err := py.Iterate(thread, x)
	if err != nil {
		return nil, err
	}
	return &meteredNexter{src: src, meter: py.NewMeter(thread)}, nil
}

// reserve asks the execution's memory limit for n things of size bytes
// (n from the script, so its product may not fit an int64).
func reserve(thread *starlark.Thread, n, size int) error {
	const most = 1 << 62
	if size > 0 && n > most/size {
		return py.Reserve(thread, most)
	}
	return py.Reserve(thread, int64(n*size))
}

// meteredNexter is a Nexter whose elements a Meter counts.
type meteredNexter struct {
	src   py.Nexter
	meter py.Meter
}

func (m *meteredNexter) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	if err := m.meter.Tick(); err != nil {
		return nil, false, err
	}
	return m.src.Next(thread)
}

// end is what a next function returns when there are no more elements.
func end() (starlark.Value, bool, error) { return nil, false, nil }

// indexArg is CPython's PyNumber_AsSsize_t of an islice argument: an int
// (or bool) within Go's int, or -1 with ok false.
func indexArg(v starlark.Value) (int, bool) {
	var i starlark.Int
	switch v := v.(type) {
	case starlark.Int:
		i = v
	case starlark.Bool:
		if v {
			return 1, true
		}
		return 0, true
	default:
		return -1, false
	}
	n, ok := i.Int64()
	if !ok || int64(int(n)) != n {
		return -1, false
	}
	return int(n), true
}

// intArg converts an int argument, with CPython's errors.
func intArg(v starlark.Value) (int, error) {
	switch v.(type) {
	case starlark.Int, starlark.Bool:
		if n, ok := indexArg(v); ok {
			return n, nil
		}
		return 0, py.Errorf(py.OverflowError, "Python int too large to convert to C ssize_t")
	}
	return 0, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
}

// islice(iterable, stop) or islice(iterable, start, stop[, step]): the
// elements at start, start+step, ... before stop. Like CPython's, it
// reads no element past the last it yields, and once it has ended it
// stays ended.
func islice(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("islice", args, kwargs, 2, 4); err != nil {
		return nil, err
	}
	const stopError = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize."
	start, stop, step := 0, -1, 1
	if len(args) == 2 {
		if args[1] != starlark.None {
			var ok bool
			if stop, ok = indexArg(args[1]); !ok || stop == -1 {
				return nil, py.Errorf(py.ValueError, stopError)
			}
		}
	} else {
		if args[1] != starlark.None {
			start, _ = indexArg(args[1])
		}
		if args[2] != starlark.None {
			var ok bool
			if stop, ok = indexArg(args[2]); !ok || stop == -1 {
				return nil, py.Errorf(py.ValueError, stopError)
			}
		}
	}
	if start < 0 || stop < -1 {
		return nil, py.Errorf(py.ValueError, "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
	}
	if len(args) == 4 && args[3] != starlark.None {
		step, _ = indexArg(args[3])
	}
	if step < 1 {
		return nil, py.Errorf(py.ValueError, "Step for islice() must be a positive integer or None.")
	}
	src, err := iterate(thread, args[0])
	if err != nil {
		return nil, err
	}
	read, want := 0, start // elements read; the position of the next to yield
	return newIterator(thread, "islice", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if src == nil {
			return end()
		}
		for read < want {
			if _, ok, err := src.Next(thread); !ok || err != nil {
				src = nil
				return nil, false, err
			}
			read++
		}
		if stop != -1 && read >= stop {
			src = nil
			return end()
		}
		v, ok, err := src.Next(thread)
		if !ok || err != nil {
			src = nil
			return nil, false, err
		}
		read++
		want += step
		if stop != -1 && want > stop {
			want = stop
		}
		return v, true, nil
	}), nil
}

// chain(*iterables): the elements of each iterable in turn.
func chain(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "chain() takes no keyword arguments")
	}
	return chainOf(thread, &listIterables{elems: args}), nil
}

// chain.from_iterable(iterable): the elements of each iterable that
// iterable yields, taken as they are needed.
func chainFromIterable(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := py.OneArg("chain.from_iterable", args, kwargs)
	if err != nil {
		return nil, err
	}
	iterables, err := iterate(thread, x)
	if err != nil {
		return nil, err
	}
	return chainOf(thread, iterables), nil
}

// listIterables yields the arguments of chain(*iterables).
type listIterables struct {
	elems starlark.Tuple
}

func (l *listIterables) Next(*starlark.Thread) (starlark.Value, bool, error) {
	if len(l.elems) == 0 {
		return end()
	}
	v := l.elems[0]
	l.elems = l.elems[1:]
	return v, true, nil
}

func chainOf(thread *starlark.Thread, iterables py.Nexter) *py.Iterator {
	var current py.Nexter
	return newIterator(thread, "chain", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		for iterables != nil {
			if current == nil {
				x, ok, err := iterables.Next(thread)
				if !ok || err != nil {
					iterables = nil
					return nil, false, err
				}
				if current, err = iterate(thread, x); err != nil {
					return nil, false, err
				}
			}
			v, ok, err := current.Next(thread)
			if ok || err != nil {
				return v, ok, err
			}
			current = nil
		}
		return end()
	})
}

// isNumber reports whether v is an int, bool or float.
func isNumber(v starlark.Value) bool {
	switch v.(type) {
	case starlark.Int, starlark.Bool, starlark.Float:
		return true
	}
	return false
}

// count(start=0, step=1): start, start+step, start+2*step, ... for ever.
// Its repr shows the next value: count(5), count(0, 2).
func count(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var start, step starlark.Value = starlark.MakeInt(0), starlark.MakeInt(1)
	if err := py.UnpackArgs("count", args, kwargs, []string{"start?", "step?"}, &start, &step); err != nil {
		return nil, err
	}
	if !isNumber(start) || !isNumber(step) {
		return nil, py.Errorf(py.TypeError, "a number is required")
	}
	if v, ok := start.(starlark.Bool); ok {
		start = starlark.MakeInt(boolInt(v))
	}
	if v, ok := step.(starlark.Bool); ok {
		step = starlark.MakeInt(boolInt(v))
	}
	it := newIterator(thread, "count", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		v := start
		next, err := starlark.Binary(syntax.PLUS, start, step)
		if err != nil {
			return nil, false, err
		}
		start = next
		return v, true, nil
	})
	it.ReprFunc = func() string {
		if i, ok := step.(starlark.Int); ok && i.Sign() > 0 && i.String() == "1" {
			return "count(" + py.Repr(start) + ")"
		}
		return "count(" + py.Repr(start) + ", " + py.Repr(step) + ")"
	}
	return it, nil
}

func boolInt(b starlark.Bool) int {
	if b {
		return 1
	}
	return 0
}

// cycle(iterable): the elements of iterable, then the same again for
// ever (saved as they are first read).
func cycle(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("cycle", args, kwargs, 1, 1); err != nil {
		return nil, err
	}
	src, err := iterate(thread, args[0])
	if err != nil {
		return nil, err
	}
	var saved []starlark.Value
	i := 0
	return newIterator(thread, "cycle", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if src != nil {
			v, ok, err := src.Next(thread)
			if err != nil {
				return nil, false, err
			}
			if ok {
				saved = append(saved, v)
				return v, true, nil
			}
			src = nil
		}
		if len(saved) == 0 {
			return end()
		}
		v := saved[i%len(saved)]
		i++
		return v, true, nil
	}), nil
}

// repeat(object[, times]): object, times times or for ever. Its repr
// shows how many are left: repeat('a', 3).
func repeat(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var object, times starlark.Value
	if err := py.UnpackArgs("repeat", args, kwargs, []string{"object", "times?"}, &object, &times); err != nil {
		return nil, err
	}
	left := -1 // for ever
	if times != nil {
		var err error
		if left, err = intArg(times); err != nil {
			return nil, err
		}
		left = max(left, 0)
	}
	it := newIterator(thread, "repeat", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if left == 0 {
			return end()
		}
		if left > 0 {
			left--
		}
		return object, true, nil
	})
	var guard py.ReprGuard
	it.ReprFunc = func() string {
		if !guard.Enter() { // object contains the repeat
			return "..."
		}
		defer guard.Leave()
		if left < 0 {
			return "repeat(" + py.Repr(object) + ")"
		}
		return "repeat(" + py.Repr(object) + ", " + starlark.MakeInt(left).String() + ")"
	}
	return it, nil
}

// callKey returns fn(v), or v when fn is None.
func callKey(thread *starlark.Thread, fn, v starlark.Value) (starlark.Value, error) {
	if fn == starlark.None {
		return v, nil
	}
	return starlark.Call(thread, fn, starlark.Tuple{v}, nil)
}

// groupby(iterable, key=None): (key, group) for each run of consecutive
// elements with equal keys; each group is an iterator over the run,
// sharing the source with the groupby, so advancing the groupby ends the
// previous group (as in CPython).
func groupby(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var iterable, key starlark.Value = nil, starlark.None
	if err := py.UnpackArgs("groupby", args, kwargs, []string{"iterable", "key?"}, &iterable, &key); err != nil {
		return nil, err
	}
	src, err := iterate(thread, iterable)
	if err != nil {
		return nil, err
	}
	g := &grouping{src: src, key: key}
	return newIterator(thread, "groupby", g.next), nil
}

// grouping is the state of a groupby: the element read last and its key.
type grouping struct {
	src         py.Nexter
	key         starlark.Value
	tgtkey      starlark.Value // the current group's key
	currkey     starlark.Value // the key of currvalue, or of the last element read
	currvalue   starlark.Value // the element read but not yet yielded, or nil
	currgrouper *py.Iterator
	keyed       bool // an element has been read
}

// step reads the next element and its key.
func (g *grouping) step(thread *starlark.Thread) (bool, error) {
	v, ok, err := g.src.Next(thread)
	if !ok || err != nil {
		return false, err
	}
	k, err := callKey(thread, g.key, v)
	if err != nil {
		return false, err
	}
	g.currvalue, g.currkey, g.keyed = v, k, true
	return true, nil
}

func (g *grouping) next(thread *starlark.Thread) (starlark.Value, bool, error) {
	g.currgrouper = nil
	for {
		if g.keyed {
			if g.tgtkey == nil {
				break
			}
			eq, err := starlark.Equal(g.tgtkey, g.currkey)
			if err != nil {
				return nil, false, err
			}
			if !eq {
				break
			}
		}
		if ok, err := g.step(thread); !ok || err != nil {
			return nil, false, err
		}
	}
	g.tgtkey = g.currkey
	tgtkey := g.tgtkey
	var grouper *py.Iterator
	grouper = newIterator(thread, "_grouper", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if g.currgrouper != grouper {
			return end()
		}
		if g.currvalue == nil {
			if ok, err := g.step(thread); !ok || err != nil {
				return nil, false, err
			}
		}
		eq, err := starlark.Equal(tgtkey, g.currkey)
		if !eq || err != nil {
			return nil, false, err
		}
		v := g.currvalue
		g.currvalue = nil
		return v, true, nil
	})
	g.currgrouper = grouper
	return starlark.Tuple{g.currkey, grouper}, true, nil
}

// accumulate(iterable[, func, *, initial=None]): running totals (or
// results of func), starting with initial when it is given.
func accumulate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var iterable, fn, initial starlark.Value = nil, starlark.None, starlark.None
	if err := py.UnpackArgs("accumulate", args, kwargs, []string{"iterable", "func?", "*", "initial?"}, &iterable, &fn, &initial); err != nil {
		return nil, err
	}
	src, err := iterate(thread, iterable)
	if err != nil {
		return nil, err
	}
	var total starlark.Value
	if initial != starlark.None {
		total = initial
	}
	pending := total != nil // initial is yielded first
	return newIterator(thread, "accumulate", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if pending {
			pending = false
			return total, true, nil
		}
		v, ok, err := src.Next(thread)
		if !ok || err != nil {
			return nil, false, err
		}
		switch {
		case total == nil:
			total = v
		case fn == starlark.None:
			total, err = starlark.Binary(syntax.PLUS, total, v)
		default:
			total, err = starlark.Call(thread, fn, starlark.Tuple{total, v}, nil)
		}
		if err != nil {
			return nil, false, err
		}
		return total, true, nil
	}), nil
}

// whilePredicate is takewhile (take set: the elements while predicate
// holds) or dropwhile (the elements from the first for which it does
// not).
func whilePredicate(take bool) py.BuiltinFunc {
	name := "dropwhile"
	if take {
		name = "takewhile"
	}
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := py.CheckPositional(name, args, kwargs, 2, 2); err != nil {
			return nil, err
		}
		predicate := args[0]
		src, err := iterate(thread, args[1])
		if err != nil {
			return nil, err
		}
		done := false // takewhile: the predicate failed; dropwhile: it has failed once
		return newIterator(thread, name, func(thread *starlark.Thread) (starlark.Value, bool, error) {
			for {
				if take && done {
					return end()
				}
				v, ok, err := src.Next(thread)
				if !ok || err != nil {
					return nil, false, err
				}
				if !take && done {
					return v, true, nil
				}
				holds, err := starlark.Call(thread, predicate, starlark.Tuple{v}, nil)
				if err != nil {
					return nil, false, err
				}
				if take {
					if holds.Truth() {
						return v, true, nil
					}
					done = true
					return end()
				}
				if !holds.Truth() {
					done = true
					return v, true, nil
				}
			}
		}), nil
	}
}

// filterfalse(predicate, iterable): the elements for which predicate is
// false (the false elements when predicate is None).
func filterfalse(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("filterfalse", args, kwargs, 2, 2); err != nil {
		return nil, err
	}
	predicate := args[0]
	src, err := iterate(thread, args[1])
	if err != nil {
		return nil, err
	}
	return newIterator(thread, "filterfalse", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		for {
			v, ok, err := src.Next(thread)
			if !ok || err != nil {
				return nil, false, err
			}
			holds, err := callKey(thread, predicate, v)
			if err != nil {
				return nil, false, err
			}
			if !holds.Truth() {
				return v, true, nil
			}
		}
	}), nil
}

// compress(data, selectors): the elements of data whose selector is true.
func compress(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data, selectors starlark.Value
	if err := py.UnpackArgs("compress", args, kwargs, []string{"data", "selectors"}, &data, &selectors); err != nil {
		return nil, err
	}
	sources, err := iterateAll(thread, starlark.Tuple{data, selectors})
	if err != nil {
		return nil, err
	}
	return newIterator(thread, "compress", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		for {
			v, ok, err := sources[0].Next(thread)
			if !ok || err != nil {
				return nil, false, err
			}
			s, ok, err := sources[1].Next(thread)
			if !ok || err != nil {
				return nil, false, err
			}
			if s.Truth() {
				return v, true, nil
			}
		}
	}), nil
}

// iterateAll returns an iterator over each of iterables.
func iterateAll(thread *starlark.Thread, iterables starlark.Tuple) ([]py.Nexter, error) {
	sources := make([]py.Nexter, len(iterables))
	for i, x := range iterables {
		var err error
		if sources[i], err = iterate(thread, x); err != nil {
			return nil, err
		}
	}
	return sources, nil
}

// starmap(function, iterable): function(*args) for each args iterable
// yields.
func starmap(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("starmap", args, kwargs, 2, 2); err != nil {
		return nil, err
	}
	fn := args[0]
	src, err := iterate(thread, args[1])
	if err != nil {
		return nil, err
	}
	return newIterator(thread, "starmap", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		v, ok, err := src.Next(thread)
		if !ok || err != nil {
			return nil, false, err
		}
		fnArgs, err := py.Elements(thread, v)
		if err != nil {
			return nil, false, err
		}
		r, err := starlark.Call(thread, fn, fnArgs, nil)
		return r, err == nil, err
	}), nil
}

// zip_longest(*iterables, fillvalue=None): tuples of the iterables' i-th
// elements until the longest ends, fillvalue standing in for those that
// ended.
func zipLongest(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	fill := starlark.Value(starlark.None)
	for _, kv := range kwargs {
		if kv[0] != starlark.String("fillvalue") {
			return nil, py.Errorf(py.TypeError, "zip_longest() got an unexpected keyword argument")
		}
		fill = kv[1]
	}
	sources, err := iterateAll(thread, args)
	if err != nil {
		return nil, err
	}
	active := len(sources)
	return newIterator(thread, "zip_longest", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if active == 0 {
			return end()
		}
		t := make(starlark.Tuple, len(sources))
		for i, src := range sources {
			if src == nil {
				t[i] = fill
				continue
			}
			v, ok, err := src.Next(thread)
			if err != nil {
				return nil, false, err
			}
			if !ok {
				active--
				if active == 0 {
					return end()
				}
				sources[i] = nil
				v = fill
			}
			t[i] = v
		}
		return t, true, nil
	}), nil
}

// pairwise(iterable): (a, b), (b, c), ... of successive elements.
func pairwise(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("pairwise", args, kwargs, 1, 1); err != nil {
		return nil, err
	}
	src, err := iterate(thread, args[0])
	if err != nil {
		return nil, err
	}
	var prev starlark.Value
	return newIterator(thread, "pairwise", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if src == nil {
			return end()
		}
		if prev == nil {
			v, ok, err := src.Next(thread)
			if !ok || err != nil {
				src = nil
				return nil, false, err
			}
			prev = v
		}
		v, ok, err := src.Next(thread)
		if !ok || err != nil {
			src = nil
			return nil, false, err
		}
		pair := starlark.Tuple{prev, v}
		prev = v
		return pair, true, nil
	}), nil
}

// batched(iterable, n): tuples of n successive elements, the last one
// shorter if they run out (Python 3.12).
func batched(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var iterable, nArg starlark.Value
	if err := py.UnpackArgs("batched", args, kwargs, []string{"iterable", "n"}, &iterable, &nArg); err != nil {
		return nil, err
	}
	n, err := intArg(nArg)
	if err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, py.Errorf(py.ValueError, "n must be at least one")
	}
	src, err := iterate(thread, iterable)
	if err != nil {
		return nil, err
	}
	return newIterator(thread, "batched", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if src == nil {
			return end()
		}
		var batch starlark.Tuple
		for len(batch) < n {
			v, ok, err := src.Next(thread)
			if err != nil {
				return nil, false, err
			}
			if !ok {
				src = nil
				break
			}
			batch = append(batch, v)
		}
		if len(batch) == 0 {
			return end()
		}
		return batch, true, nil
	}), nil
}

// tee(iterable, n=2): n independent iterators over iterable's elements,
// which are read once and kept until every iterator has passed them.
func tee(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("tee", args, kwargs, 1, 2); err != nil {
		return nil, err
	}
	n := 2
	if len(args) == 2 {
		var err error
		if n, err = intArg(args[1]); err != nil {
			return nil, err
		}
	}
	if n < 0 {
		return nil, py.Errorf(py.ValueError, "n must be >= 0")
	}
	if err := reserve(thread, n, 128); err != nil { // an iterator and its closure
		return nil, err
	}
	src, err := iterate(thread, args[0])
	if err != nil {
		return nil, err
	}
	iterators := make(starlark.Tuple, n)
	start := &teeLink{}
	for i := range iterators {
		at := start
		iterators[i] = newIterator(thread, "_tee", func(thread *starlark.Thread) (starlark.Value, bool, error) {
			if at.next == nil {
				v, ok, err := src.Next(thread)
				if !ok || err != nil {
					return nil, false, err
				}
				at.next = &teeLink{value: v}
			}
			at = at.next
			return at.value, true, nil
		})
	}
	return iterators, nil
}

// teeLink holds an element tee's iterators share, and the link to the
// next one read.
type teeLink struct {
	value starlark.Value
	next  *teeLink
}

// pools returns the elements of each iterable, as product and the
// combinatoric iterators read them when they are made.
func pools(thread *starlark.Thread, iterables starlark.Tuple) ([][]starlark.Value, error) {
	pools := make([][]starlark.Value, len(iterables))
	for i, x := range iterables {
		var err error
		if pools[i], err = py.Elements(thread, x); err != nil {
			return nil, err
		}
	}
	return pools, nil
}

// product(*iterables, repeat=1): the cartesian product, as tuples in
// lexicographic order (the iterables repeated repeat times).
func product(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	times := 1
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		if name != "repeat" {
			return nil, py.Errorf(py.TypeError, "'%s' is an invalid keyword argument for product()", name)
		}
		var err error
		if times, err = intArg(kv[1]); err != nil {
			return nil, err
		}
		if times < 0 {
			return nil, py.Errorf(py.ValueError, "repeat argument cannot be negative")
		}
	}
	base, err := pools(thread, args)
	if err != nil {
		return nil, err
	}
	if err := reserve(thread, times, len(base)*(24+8)); err != nil { // all, indices and each tuple
		return nil, err
	}
	var all [][]starlark.Value
	if len(base) > 0 {
		for range times {
			all = append(all, base...)
		}
	}
	indices := make([]int, len(all))
	first, done := true, false
	for _, p := range all {
		if len(p) == 0 {
			done = true
		}
	}
	return newIterator(thread, "product", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if done {
			return end()
		}
		if !first {
			i := len(indices) - 1
			for ; i >= 0; i-- {
				indices[i]++
				if indices[i] < len(all[i]) {
					break
				}
				indices[i] = 0
			}
			if i < 0 {
				done = true
				return end()
			}
		}
		first = false
		t := make(starlark.Tuple, len(indices))
		for i, k := range indices {
			t[i] = all[i][k]
		}
		return t, true, nil
	}), nil
}

// rArg is the r argument of the combinatoric iterators.
func rArg(r starlark.Value, intMsg string) (int, error) {
	if _, ok := r.(starlark.Int); !ok {
		if _, ok := r.(starlark.Bool); !ok {
			if intMsg != "" {
				return 0, py.Errorf(py.TypeError, "%s", intMsg)
			}
		}
	}
	n, err := intArg(r)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, py.Errorf(py.ValueError, "r must be non-negative")
	}
	return n, nil
}

// permutations(iterable, r=None): the r-length orderings of the
// elements, in lexicographic order of their positions.
func permutations(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var iterable, rv starlark.Value = nil, starlark.None
	if err := py.UnpackArgs("permutations", args, kwargs, []string{"iterable", "r?"}, &iterable, &rv); err != nil {
		return nil, err
	}
	p, err := pools(thread, starlark.Tuple{iterable})
	if err != nil {
		return nil, err
	}
	pool := p[0]
	n, r := len(pool), len(pool)
	if rv != starlark.None {
		if r, err = rArg(rv, "Expected int as r"); err != nil {
			return nil, err
		}
	}
	indices := make([]int, n)
	for i := range indices {
		indices[i] = i
	}
	cycles := make([]int, r)
	for i := range cycles {
		cycles[i] = n - i
	}
	first, done := true, r > n
	return newIterator(thread, "permutations", func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if done {
			return end()
		}
		if !first {
			i := r - 1
			for ; i >= 0; i-- {
				cycles[i]--
				if cycles[i] == 0 {
					moved := indices[i]
					copy(indices[i:], indices[i+1:])
					indices[n-1] = moved
					cycles[i] = n - i
					continue
				}
				j := n - cycles[i]
				indices[i], indices[j] = indices[j], indices[i]
				break
			}
			if i < 0 {
				done = true
				return end()
			}
		}
		first = false
		t := make(starlark.Tuple, r)
		for i := range t {
			t[i] = pool[indices[i]]
		}
		return t, true, nil
	}), nil
}

// combinations(iterable, r) and, with replacement,
// combinations_with_replacement(iterable, r): the r-length subsequences
// of the elements (elements repeated, with replacement), in
// lexicographic order of their positions.
func combinations(replacement bool) py.BuiltinFunc {
	name := "combinations"
	if replacement {
		name = "combinations_with_replacement"
	}
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var iterable, rv starlark.Value
		if err := py.UnpackArgs(name, args, kwargs, []string{"iterable", "r"}, &iterable, &rv); err != nil {
			return nil, err
		}
		p, err := pools(thread, starlark.Tuple{iterable})
		if err != nil {
			return nil, err
		}
		r, err := rArg(rv, "")
		if err != nil {
			return nil, err
		}
		pool := p[0]
		n := len(pool)
		indices := make([]int, r)
		if !replacement {
			for i := range indices {
				indices[i] = i
			}
		}
		first := true
		done := (!replacement && r > n) || (replacement && n == 0 && r > 0)
		return newIterator(thread, name, func(thread *starlark.Thread) (starlark.Value, bool, error) {
			if done {
				return end()
			}
			if !first {
				i := r - 1
				if replacement {
					for i >= 0 && indices[i] == n-1 {
						i--
					}
				} else {
					for i >= 0 && indices[i] == i+n-r {
						i--
					}
				}
				if i < 0 {
					done = true
					return end()
				}
				if replacement {
					v := indices[i] + 1
					for j := i; j < r; j++ {
						indices[j] = v
					}
				} else {
					indices[i]++
					for j := i + 1; j < r; j++ {
						indices[j] = indices[j-1] + 1
					}
				}
			}
			first = false
			t := make(starlark.Tuple, r)
			for i, k := range indices {
				t[i] = pool[k]
			}
			return t, true, nil
		}), nil
	}
}
