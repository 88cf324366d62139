package collections

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Deque is Python's collections.deque: a sequence with fast appends and
// pops at both ends, optionally bounded by maxlen (appending to a full
// deque drops an element from the other end).
type Deque struct {
	ring   []starlark.Value // the elements, from head, wrapping around
	head   int
	n      int
	maxlen int // -1: unbounded
	// state changes with every append, pop, rotation or clearing: a for
	// loop over the deque that sees it change stops with Python's
	// "deque mutated during iteration", raised on the script's thread.
	state  uint64
	thread *starlark.Thread
	frozen bool
	repr   py.ReprGuard
}

var (
	_ py.Instance          = (*Deque)(nil)
	_ starlark.Indexable   = (*Deque)(nil)
	_ starlark.Mapping     = (*Deque)(nil) // d[i], for Python's index errors
	_ starlark.HasSetKey   = (*Deque)(nil)
	_ starlark.Iterable    = (*Deque)(nil)
	_ starlark.Container   = (*Deque)(nil)
	_ starlark.Comparable  = (*Deque)(nil)
	_ starlark.HasBinary   = (*Deque)(nil)
	_ starlark.HasAttrs    = (*Deque)(nil)
	_ starlark.HasSetField = (*Deque)(nil)
)

// deque(iterable=(), maxlen=None)
func newDeque(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if n := len(args) + len(kwargs); n > 2 {
		return nil, py.Errorf(py.TypeError, "deque() takes at most 2 arguments (%d given)", n)
	}
	var iterable, maxlen starlark.Value = nil, starlark.None
	if len(args) > 0 {
		iterable = args[0]
	}
	if len(args) > 1 {
		maxlen = args[1]
	}
	for _, kv := range kwargs {
		switch name := string(kv[0].(starlark.String)); {
		case name == "iterable" && len(args) < 1:
			iterable = kv[1]
		case name == "maxlen" && len(args) < 2:
			maxlen = kv[1]
		case name == "iterable" || name == "maxlen":
			return nil, py.Errorf(py.TypeError, "argument for deque() given by name ('%s') and position (%d)", name, 1+boolInt(name == "maxlen"))
		default:
			return nil, py.Errorf(py.TypeError, "deque() got an unexpected keyword argument '%s'", name)
		}
	}
	d := &Deque{maxlen: -1, thread: thread}
	if maxlen != starlark.None {
		n, err := intArg(maxlen, "an integer is required")
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, py.Errorf(py.ValueError, "maxlen must be non-negative")
		}
		d.maxlen = n
	}
	if iterable != nil {
		if err := d.extend(thread, iterable, false); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// intArg converts an int (or bool) to a Go int, raising TypeError with
// msg for any other type and OverflowError beyond the machine's ints.
func intArg(v starlark.Value, msg string) (int, error) {
	var i starlark.Int
	switch v := v.(type) {
	case starlark.Int:
		i = v
	case starlark.Bool:
		i = starlark.MakeInt(boolInt(bool(v)))
	default:
		return 0, py.Errorf(py.TypeError, "%s", msg)
	}
	n, ok := i.Int64()
	if !ok || int64(int(n)) != n {
		return 0, py.Errorf(py.OverflowError, "Python int too large to convert to C ssize_t")
	}
	return int(n), nil
}

// PyClass returns collections.deque.
func (d *Deque) PyClass() *py.Type { return dequeClass }

func (d *Deque) Type() string         { return "collections.deque" }
func (d *Deque) Truth() starlark.Bool { return d.n > 0 }
func (d *Deque) Len() int             { return d.n }
func (d *Deque) Freeze() {
	if !d.frozen {
		d.frozen = true
		for i := 0; i < d.n; i++ {
			d.Index(i).Freeze()
		}
	}
}
func (d *Deque) Hash() (uint32, error) {
	return 0, py.Errorf(py.TypeError, "unhashable type: 'collections.deque'")
}

// Index returns the i-th element (0 <= i < Len()).
func (d *Deque) Index(i int) starlark.Value { return d.ring[(d.head+i)%len(d.ring)] }

func (d *Deque) setIndex(i int, v starlark.Value) { d.ring[(d.head+i)%len(d.ring)] = v }

// elems returns the elements as a tuple.
func (d *Deque) elems() starlark.Tuple {
	t := make(starlark.Tuple, d.n)
	for i := range t {
		t[i] = d.Index(i)
	}
	return t
}

// String is the repr: deque([1, 2]) or deque([1, 2], maxlen=3).
func (d *Deque) String() string {
	if !d.repr.Enter() { // the deque contains itself
		return "[...]"
	}
	defer d.repr.Leave()
	var b strings.Builder
	b.WriteString("deque(")
	b.WriteString(py.Repr(starlark.NewList(d.elems())))
	if d.maxlen >= 0 {
		b.WriteString(", maxlen=")
		b.WriteString(starlark.MakeInt(d.maxlen).String())
	}
	b.WriteByte(')')
	return b.String()
}

// position converts the index of d[i] to a position, with Python's
// errors.
func (d *Deque) position(k starlark.Value) (int, error) {
	var i int
	switch k := k.(type) {
	case starlark.Int, starlark.Bool:
		var err error
		if i, err = intArg(k, ""); err != nil {
			return 0, py.Errorf(py.IndexError, "cannot fit 'int' into an index-sized integer")
		}
	default:
		return 0, py.Errorf(py.TypeError, "sequence index must be integer, not '%s'", py.TypeName(k))
	}
	if i < 0 {
		i += d.n
	}
	if i < 0 || i >= d.n {
		return 0, py.Errorf(py.IndexError, "deque index out of range")
	}
	return i, nil
}

// Get is d[i].
func (d *Deque) Get(k starlark.Value) (starlark.Value, bool, error) {
	i, err := d.position(k)
	if err != nil {
		return nil, false, err
	}
	return d.Index(i), true, nil
}

// SetKey is d[i] = v.
func (d *Deque) SetKey(k, v starlark.Value) error {
	if err := d.checkMutable(); err != nil {
		return err
	}
	i, err := d.position(k)
	if err != nil {
		return err
	}
	d.setIndex(i, v)
	return nil
}

// checkMutable refuses changes to a frozen deque.
func (d *Deque) checkMutable() error {
	if d.frozen {
		return py.Errorf(py.TypeError, "cannot modify a frozen deque")
	}
	return nil
}

// Has is `x in d`.
func (d *Deque) Has(x starlark.Value) (bool, error) {
	return d.elems().Has(x)
}

// Iterate lets a for loop take the elements.
func (d *Deque) Iterate() starlark.Iterator {
	return &dequeIterator{d: d, state: d.state}
}

type dequeIterator struct {
	d     *Deque
	i     int
	state uint64 // the deque's when the loop began
}

func (it *dequeIterator) Next(p *starlark.Value) bool {
	if it.d.state != it.state {
		if it.d.thread != nil {
			py.Fail(it.d.thread, py.Errorf(py.RuntimeError, "deque mutated during iteration"))
		}
		return false
	}
	if it.i >= it.d.n {
		return false
	}
	*p = it.d.Index(it.i)
	it.i++
	return true
}

func (it *dequeIterator) Done() {}

// CompareSameType compares two deques as lists.
func (d *Deque) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return starlark.CompareDepth(op, d.elems(), y.(*Deque).elems(), depth)
}

// Binary is deque + deque and deque * int (a new deque with the left
// operand's maxlen).
func (d *Deque) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch op {
	case syntax.PLUS:
		other, ok := y.(*Deque)
		if !ok {
			if side == starlark.Left {
				return nil, py.Errorf(py.TypeError, "can only concatenate deque (not \"%s\") to deque", py.TypeName(y))
			}
			return nil, nil
		}
		if side == starlark.Right {
			return nil, nil
		}
		r := d.copy()
		for i := 0; i < other.n; i++ {
			r.append(other.Index(i))
		}
		return r, nil
	case syntax.STAR:
		k, ok := y.(starlark.Int)
		if !ok {
			return nil, nil
		}
		// The result is the last maxlen elements of d's repeated.
		times, ok := k.Int64()
		elems := d.elems()
		total := max(times, 0) * int64(len(elems))
		if !ok || (times > 0 && total/times != int64(len(elems))) || (d.maxlen < 0 && total >= 1<<31) {
			return nil, py.Errorf(py.OverflowError, "cannot fit 'int' into an index-sized integer")
		}
		r := &Deque{maxlen: d.maxlen, thread: d.thread}
		start := int64(0)
		if d.maxlen >= 0 && total > int64(d.maxlen) {
			start = total - int64(d.maxlen)
		}
		for i := start; i < total; i++ {
			r.append(elems[i%int64(len(elems))])
		}
		return r, nil
	}
	return nil, nil
}

func (d *Deque) copy() *Deque {
	r := &Deque{maxlen: d.maxlen, thread: d.thread}
	for i := 0; i < d.n; i++ {
		r.append(d.Index(i))
	}
	return r
}

// grow makes room for one more element.
func (d *Deque) grow() {
	if d.n < len(d.ring) {
		return
	}
	ring := make([]starlark.Value, max(8, 2*len(d.ring)))
	for i := 0; i < d.n; i++ {
		ring[i] = d.Index(i)
	}
	d.ring, d.head = ring, 0
}

// append adds v at the right end, dropping the leftmost element of a
// full bounded deque.
func (d *Deque) append(v starlark.Value) {
	if d.maxlen == 0 {
		return
	}
	if d.n == d.maxlen {
		d.popleft()
	}
	d.grow()
	d.n++
	d.setIndex(d.n-1, v)
	d.state++
}

// appendleft adds v at the left end, dropping the rightmost element of a
// full bounded deque.
func (d *Deque) appendleft(v starlark.Value) {
	if d.maxlen == 0 {
		return
	}
	if d.n == d.maxlen {
		d.pop()
	}
	d.grow()
	d.head = (d.head - 1 + len(d.ring)) % len(d.ring)
	d.n++
	d.setIndex(0, v)
	d.state++
}

func (d *Deque) pop() starlark.Value {
	v := d.Index(d.n - 1)
	d.setIndex(d.n-1, nil)
	d.n--
	d.state++
	return v
}

func (d *Deque) popleft() starlark.Value {
	v := d.Index(0)
	d.setIndex(0, nil)
	d.head = (d.head + 1) % len(d.ring)
	d.n--
	d.state++
	return v
}

// extend appends the elements of iterable, at the left end one by one
// when left is set (so they end up reversed).
func (d *Deque) extend(thread *starlark.Thread, iterable starlark.Value, left bool) error {
	if iterable == starlark.Value(d) {
		iterable = d.elems()
	}
	it, err := py.Iterate(thread, iterable)
	if err != nil {
		return err
	}
	meter := py.NewMeter(thread) // an endless or huge iterable
	for {
		if err := meter.Tick(); err != nil {
			return err
		}
		v, ok, err := it.Next(thread)
		if !ok || err != nil {
			return err
		}
		if left {
			d.appendleft(v)
		} else {
			d.append(v)
		}
	}
}

// rotate moves the last n elements to the front (n < 0: the first -n to
// the back).
func (d *Deque) rotate(n int) {
	if d.n <= 1 {
		return
	}
	d.state++
	n %= d.n
	if n < 0 {
		n += d.n
	}
	if n == 0 {
		return
	}
	elems := d.elems()
	for i := range elems {
		d.setIndex((i+n)%d.n, elems[i])
	}
}

// find returns the position of the first element equal to x in
// [start, stop), or -1.
func (d *Deque) find(x starlark.Value, start, stop int) (int, error) {
	for i := start; i < stop && i < d.n; i++ {
		eq, err := starlark.Equal(d.Index(i), x)
		if err != nil {
			return -1, err
		}
		if eq {
			return i, nil
		}
	}
	return -1, nil
}

// deleteAt removes the element at position i.
func (d *Deque) deleteAt(i int) {
	for j := i; j < d.n-1; j++ {
		d.setIndex(j, d.Index(j+1))
	}
	d.pop()
}

// Attr returns a method, or maxlen.
func (d *Deque) Attr(name string) (starlark.Value, error) {
	if name == "maxlen" {
		if d.maxlen < 0 {
			return starlark.None, nil
		}
		return starlark.MakeInt(d.maxlen), nil
	}
	if m, ok := dequeMethods[name]; ok {
		return m.BindReceiver(d), nil
	}
	return nil, nil
}

// AttrNames lists the methods and maxlen.
func (d *Deque) AttrNames() []string {
	names := []string{"maxlen"}
	for name := range dequeMethods {
		names = append(names, name)
	}
	return names
}

// SetField refuses to set maxlen, as Python does.
func (d *Deque) SetField(name string, v starlark.Value) error {
	if name == "maxlen" {
		return py.Errorf(py.AttributeError, "attribute 'maxlen' of 'collections.deque' objects is not writable")
	}
	return py.Errorf(py.AttributeError, "'collections.deque' object has no attribute '%s'", name)
}

// dequeMethod makes a method of deque; mutating ones refuse to change a
// frozen deque or one being iterated.
func dequeMethod(name string, mutates bool, fn func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error), minArgs, maxArgs int) *starlark.Builtin {
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		d := b.Receiver().(*Deque)
		if maxArgs == 0 {
			if err := noArgs("deque."+name, args, kwargs); err != nil {
				return nil, err
			}
		} else if minArgs == 1 && maxArgs == 1 {
			if _, err := py.OneArg("deque."+name, args, kwargs); err != nil {
				return nil, err
			}
		} else if err := py.CheckPositional(name, args, kwargs, minArgs, maxArgs); err != nil {
			return nil, err
		}
		if mutates {
			if err := d.checkMutable(); err != nil {
				return nil, err
			}
		}
		return fn(thread, d, args)
	})
}

var emptyError = py.Errorf(py.IndexError, "pop from an empty deque")

var dequeMethods = map[string]*starlark.Builtin{
	"append": dequeMethod("append", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		d.append(args[0])
		return starlark.None, nil
	}, 1, 1),
	"appendleft": dequeMethod("appendleft", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		d.appendleft(args[0])
		return starlark.None, nil
	}, 1, 1),
	"pop": dequeMethod("pop", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		if d.n == 0 {
			return nil, emptyError
		}
		return d.pop(), nil
	}, 0, 0),
	"popleft": dequeMethod("popleft", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		if d.n == 0 {
			return nil, emptyError
		}
		return d.popleft(), nil
	}, 0, 0),
	"extend": dequeMethod("extend", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		return starlark.None, d.extend(thread, args[0], false)
	}, 1, 1),
	"extendleft": dequeMethod("extendleft", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		return starlark.None, d.extend(thread, args[0], true)
	}, 1, 1),
	"rotate": dequeMethod("rotate", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		n := 1
		if len(args) == 1 {
			var err error
			if n, err = intArg(args[0], "'"+py.TypeName(args[0])+"' object cannot be interpreted as an integer"); err != nil {
				return nil, err
			}
		}
		d.rotate(n)
		return starlark.None, nil
	}, 0, 1),
	"clear": dequeMethod("clear", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		d.ring, d.head, d.n = nil, 0, 0
		d.state++
		return starlark.None, nil
	}, 0, 0),
	"count": dequeMethod("count", false, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		count := 0
		for i := 0; i < d.n; i++ {
			eq, err := starlark.Equal(d.Index(i), args[0])
			if err != nil {
				return nil, err
			}
			if eq {
				count++
			}
		}
		return starlark.MakeInt(count), nil
	}, 1, 1),
	"index": dequeMethod("index", false, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		bounds := [2]int{0, d.n}
		for k, v := range args[1:] {
			i, err := intArg(v, "slice indices must be integers or have an __index__ method")
			if err != nil {
				return nil, err
			}
			if i < 0 {
				i = max(i+d.n, 0)
			}
			bounds[k] = min(i, d.n)
		}
		i, err := d.find(args[0], bounds[0], bounds[1])
		if err != nil {
			return nil, err
		}
		if i < 0 {
			return nil, py.Errorf(py.ValueError, "%s is not in deque", py.Repr(args[0]))
		}
		return starlark.MakeInt(i), nil
	}, 1, 3),
	"remove": dequeMethod("remove", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		i, err := d.find(args[0], 0, d.n)
		if err != nil {
			return nil, err
		}
		if i < 0 {
			return nil, py.Errorf(py.ValueError, "%s is not in deque", py.Repr(args[0]))
		}
		d.deleteAt(i)
		return starlark.None, nil
	}, 1, 1),
	"insert": dequeMethod("insert", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		i, err := intArg(args[0], "'"+py.TypeName(args[0])+"' object cannot be interpreted as an integer")
		if err != nil {
			return nil, err
		}
		if d.maxlen >= 0 && d.n == d.maxlen {
			return nil, py.Errorf(py.IndexError, "deque already at its maximum size")
		}
		if i < 0 {
			i = max(i+d.n, 0)
		}
		i = min(i, d.n)
		d.append(args[1])
		for j := d.n - 1; j > i; j-- {
			d.setIndex(j, d.Index(j-1))
		}
		d.setIndex(i, args[1])
		return starlark.None, nil
	}, 2, 2),
	"reverse": dequeMethod("reverse", true, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		for i, j := 0, d.n-1; i < j; i, j = i+1, j-1 {
			x, y := d.Index(i), d.Index(j)
			d.setIndex(i, y)
			d.setIndex(j, x)
		}
		return starlark.None, nil
	}, 0, 0),
	"copy": dequeMethod("copy", false, func(thread *starlark.Thread, d *Deque, args starlark.Tuple) (starlark.Value, error) {
		return d.copy(), nil
	}, 0, 0),
}
