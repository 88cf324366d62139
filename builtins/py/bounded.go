package py

import (
	"errors"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Bounded forms of Starlark's builtins that iterate in Go (list, sorted,
// enumerate, "".join, list.extend, ...): they look at the thread's
// Limiter as they go (see Meter), and ask it for the memory of a result
// whose size they know before allocating it, so that list(range(1 << 40))
// is a MemoryError and sorted() of ten million values stops at a call's
// timeout.

func init() {
	for name, fn := range map[string]BuiltinFunc{
		"join":       strJoin,
		"replace":    strReplace,
		"split":      strSplit("split"),
		"rsplit":     strSplit("rsplit"),
		"splitlines": strSplitlines,
	} {
		// s.join(...) must reach the bounded form through __getattr__.
		strMethods[name] = Func(name, fn)
		RewrittenMethods[name] = true
	}
	listMethods["extend"] = Func("extend", listExtend)
	RewrittenMethods["extend"] = true
}

// Estimated sizes, in bytes, of what builtins allocate per element: a
// list or tuple slot, a str value (header and a few bytes), a set or dict
// entry, a tuple of n in enumerate and zip.
const (
	slotSize  = 16
	strSize   = 32
	entrySize = 64
)

func tupleSize(n int) int64 { return int64(slotSize + 24 + slotSize*n) }

// MinReserve is the smallest allocation builtins ask the Limiter for:
// below it the heap watcher sees growth in time.
const MinReserve = 1 << 16

// reserveElems asks the Limiter of thread for n elements of size each,
// when that is a lot.
func reserveElems(thread *starlark.Thread, n int, size int64) error {
	if n <= 0 || int64(n)*size < MinReserve {
		return nil
	}
	if int64(n) > (1<<62)/size {
		return Reserve(thread, 1<<62)
	}
	return Reserve(thread, int64(n)*size)
}

// metered returns x as the iterable argument of a Starlark builtin that
// iterates it in Go: an iteration that ticks m (and stops the builtin,
// through Fail, when the execution must stop), after reserving perElem
// bytes per element when x knows its length. Mappings stay as they are
// (dict(d) reads their items), as does a value that is not iterable (for
// the builtin's own error).
func metered(m *Meter, x starlark.Value, perElem int64) (starlark.Value, error) {
	it, ok := x.(starlark.Iterable)
	if !ok || m.limiter() == nil {
		return x, nil
	}
	if _, ok := x.(starlark.IterableMapping); ok {
		return x, nil
	}
	if seq, ok := x.(starlark.Sequence); ok {
		if err := reserveElems(m.thread, seq.Len(), perElem); err != nil {
			return nil, err
		}
		return &meteredSequence{meteredIterable{it, m}, seq}, nil
	}
	return &meteredIterable{it, m}, nil
}

// meteredIterable is an iterable whose iteration ticks a Meter.
type meteredIterable struct {
	starlark.Iterable
	m *Meter
}

// meteredSequence is a meteredIterable that knows its length.
type meteredSequence struct {
	meteredIterable
	seq starlark.Sequence
}

func (s *meteredSequence) Len() int { return s.seq.Len() }

func (it *meteredIterable) Iterate() starlark.Iterator {
	return &meteredIterator{Iterator: it.Iterable.Iterate(), m: it.m}
}

type meteredIterator struct {
	starlark.Iterator
	m *Meter
}

// Next stops the iteration, and the execution, when the Meter says so.
func (it *meteredIterator) Next(p *starlark.Value) bool {
	if err := it.m.Tick(); err != nil {
		Fail(it.m.thread, err)
		return false
	}
	return it.Iterator.Next(p)
}

// sortedBuiltin is sorted, which list.sort uses too.
var sortedBuiltin = Func("sorted", pySorted)

// meteredArgs returns the arguments of the Starlark builtin name with
// the first n (all for n < 0) metered (see metered), reserving for each
// element what name makes of it.
func meteredArgs(thread *starlark.Thread, name string, args starlark.Tuple, n int) (starlark.Tuple, error) {
	if LimiterOf(thread) == nil {
		return args, nil
	}
	m := NewMeter(thread)
	var perElem int64
	switch name {
	case "list", "tuple", "reversed":
		perElem = slotSize
	case "set":
		perElem = entrySize
	case "enumerate":
		perElem = tupleSize(2)
	case "zip":
		perElem = tupleSize(len(args))
	}
	out := make(starlark.Tuple, len(args))
	for i, a := range args {
		if n >= 0 && i >= n {
			out[i] = a
			continue
		}
		x, err := metered(&m, a, perElem)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// pySorted is sorted(iterable, key=None, reverse=False), Starlark's, with
// its comparisons counted by a Meter.
func pySorted(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	args, err := strElements(thread, args)
	if err != nil {
		return nil, err
	}
	var iterable starlark.Iterable
	var key starlark.Callable
	var reverse bool
	if err := starlark.UnpackArgs("sorted", args, kwargs, "iterable", &iterable, "key?", &key, "reverse?", &reverse); err != nil {
		return nil, err
	}
	n := starlark.Len(iterable)
	if err := reserveElems(thread, n, 2*slotSize); err != nil {
		return nil, err
	}
	s := &sortSlice{values: make([]starlark.Value, 0, max(n, 0)), byKey: key != nil, m: NewMeter(thread)}
	iter := iterable.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		if err := s.m.Tick(); err != nil {
			return nil, err
		}
		s.values = append(s.values, x)
	}
	s.keys = s.values
	if key != nil {
		s.keys = make([]starlark.Value, len(s.values))
		for i, v := range s.values {
			k, err := starlark.Call(thread, key, starlark.Tuple{v}, nil)
			if err != nil {
				return nil, err // as Starlark's, keeping the key function's traceback
			}
			s.keys[i] = k
		}
	}
	if err := s.sort(reverse); err != nil {
		return nil, err
	}
	return starlark.NewList(s.values), nil
}

// sortSlice sorts values by keys (which may be values itself).
type sortSlice struct {
	keys, values []starlark.Value
	byKey        bool // keys is not values
	m            Meter
	err          error // a comparison's, or the Meter's
}

// errStopSort unwinds sort.Stable when the Meter stops the sort.
var errStopSort = errors.New("sort stopped")

// sort sorts stably, as Starlark's sorted does.
func (s *sortSlice) sort(reverse bool) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p != errStopSort {
				panic(p)
			}
			err = s.err
		}
	}()
	if reverse {
		sort.Stable(sort.Reverse(s))
	} else {
		sort.Stable(s)
	}
	return s.err
}

func (s *sortSlice) Len() int { return len(s.values) }

func (s *sortSlice) Less(i, j int) bool {
	if err := s.m.Tick(); err != nil {
		s.err = err
		panic(errStopSort)
	}
	ok, err := starlark.Compare(syntax.LT, s.keys[i], s.keys[j])
	if err != nil && s.err == nil {
		s.err = err
	}
	return ok
}

func (s *sortSlice) Swap(i, j int) {
	if s.byKey {
		s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
	}
	s.values[i], s.values[j] = s.values[j], s.values[i]
}

// strJoin is str.join of a list or tuple of str, joined once its memory
// is granted, with a Meter; Starlark's for anything else (its errors).
func strJoin(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, Errorf(TypeError, "str.join() takes exactly one argument (%d given)", len(args)+len(kwargs))
	}
	seq, err := joinedItems(thread, args[0])
	if err != nil {
		return nil, err
	}
	m := NewMeter(thread)
	sep, size := recvString(b), 0
	for i := range seq.Len() {
		s, ok := seq.Index(i).(starlark.String)
		if !ok {
			return nil, Errorf(TypeError, "sequence item %d: expected str instance, %s found", i, TypeName(seq.Index(i)))
		}
		if err := m.Tick(); err != nil {
			return nil, err
		}
		size += len(s) + len(sep)
	}
	if size >= MinReserve {
		if err := m.Reserve(int64(size)); err != nil {
			return nil, err
		}
	}
	var out strings.Builder
	out.Grow(size)
	for i := range seq.Len() {
		if i > 0 {
			out.WriteString(sep)
		}
		s := seq.Index(i).(starlark.String)
		out.WriteString(string(s))
		if err := m.TickN(1 + len(s)/BytesPerTick); err != nil {
			return nil, err
		}
	}
	return starlark.String(out.String()), nil
}

// joinedItems is what str.join and bytes.join join: a list or tuple as it
// is, the elements of any other iterable (a str's characters too).
func joinedItems(thread *starlark.Thread, x starlark.Value) (starlark.Indexable, error) {
	switch x := x.(type) {
	case *starlark.List:
		return x, nil
	case starlark.Tuple:
		return x, nil
	case starlark.String, Nexter, starlark.Iterable:
		elems, err := elements(thread, x)
		return starlark.Tuple(elems), err
	}
	return nil, Errorf(TypeError, "can only join an iterable")
}

// strReplace is str.replace: Starlark's, once the result's memory is
// granted.
func strReplace(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) >= 2 {
		old, ok1 := args[0].(starlark.String)
		repl, ok2 := args[1].(starlark.String)
		if s := recvString(b); ok1 && ok2 && len(repl) > len(old) {
			n := strings.Count(s, string(old))
			if len(args) > 2 {
				if c, ok := args[2].(starlark.Int); ok {
					if c, ok := c.Int64(); ok && c >= 0 && int64(n) > c {
						n = int(c)
					}
				}
			}
			if size := int64(len(s)) + int64(n)*int64(len(repl)-len(old)); size >= MinReserve {
				if err := Reserve(thread, size); err != nil {
					return nil, err
				}
			}
		}
	}
	return starlarkMethod(thread, b, args, kwargs)
}

// strSplit is str.split or str.rsplit: Starlark's, once the memory of the
// pieces is granted.
func strSplit(name string) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		s := recvString(b)
		pieces := len(s)/2 + 1 // split on whitespace: at most every other byte
		if len(args) > 0 {
			if sep, ok := args[0].(starlark.String); ok && sep != "" {
				pieces = strings.Count(s, string(sep)) + 1
			}
		}
		if err := reserveElems(thread, pieces, slotSize+strSize); err != nil {
			return nil, err
		}
		return starlarkMethod(thread, b, args, kwargs)
	}
}

// strSplitlines is str.splitlines: Starlark's, once the memory of the
// lines is granted.
func strSplitlines(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	lines := strings.Count(recvString(b), "\n") + 1
	if err := reserveElems(thread, lines, slotSize+strSize); err != nil {
		return nil, err
	}
	return starlarkMethod(thread, b, args, kwargs)
}

// listExtend is list.extend: Starlark's, with the memory of a sized
// argument granted first and its iteration metered.
func listExtend(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 1 && len(kwargs) == 0 && LimiterOf(thread) != nil {
		m := NewMeter(thread)
		list := b.Receiver().(*starlark.List)
		if err := reserveElems(thread, list.Len()+max(starlark.Len(args[0]), 0), slotSize); err != nil {
			return nil, err
		}
		if _, self := args[0].(*starlark.List); !self {
			// A list is copied at once (l.extend(l) doubles l once,
			// where an iteration would see it grow).
			x, err := metered(&m, args[0], 0)
			if err != nil {
				return nil, err
			}
			args = starlark.Tuple{x}
		}
	}
	return starlarkMethod(thread, b, args, kwargs)
}

// starlarkMethod calls the Starlark method of b's receiver that b stands
// in for.
func starlarkMethod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	m, err := b.Receiver().(starlark.HasAttrs).Attr(b.Name())
	if err != nil {
		return nil, err
	}
	return starlark.Call(thread, m, args, kwargs)
}

// specSize is the largest of the width and the precision of a format
// spec (0 for none): about the length of what it formats, when large.
func specSize(spec string) int {
	size, n, digits := 0, 0, false
	for i := 0; i < len(spec); i++ {
		if c := spec[i]; c >= '0' && c <= '9' {
			n, digits = min(n*10+int(c-'0'), 1<<40), true
			continue
		}
		if digits {
			size, n, digits = max(size, n), 0, false
		}
	}
	return max(size, n)
}

// reserveFormatted asks the Limiter of thread for the memory of
// format % args or format.format(*args) when its str and bytes arguments
// are large (s = "%s%s" % (s, s) doubles s).
func reserveFormatted(thread *starlark.Thread, format, args starlark.Value) error {
	size := len(recvOrString(format))
	switch a := args.(type) {
	case starlark.Tuple:
		for _, x := range a {
			size += len(recvOrString(x))
		}
	default:
		size += len(recvOrString(a))
	}
	if size < MinReserve {
		return nil
	}
	return Reserve(thread, int64(size))
}

// recvOrString is the contents of a str or bytes ("" for other values).
func recvOrString(v starlark.Value) string {
	switch v := v.(type) {
	case starlark.String:
		return string(v)
	case Bytes:
		return string(v)
	}
	return ""
}
