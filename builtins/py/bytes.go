package py

import (
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Bytes is Python's bytes, kstar's own because Starlark's bytes differ
// from Python's where scripts look: an item of Bytes is an int
// (b'abc'[0] is 97), a for loop, list() or `in` go through ints, and the
// methods are Python's (decode, hex, startswith, split, ...). A slice is
// Bytes; str() and repr() are CPython's b'...'. Like Starlark's bytes it
// is a Go string, so converting either way costs nothing and a record's
// value can share the fetched memory.
//
// Every bytes a script sees is a Bytes: literals (the front end hoists
// each b'...' to a module constant made by __bytes_lit__), bytes(),
// str.encode, the modules and records; the runtime makes a Go host's
// Starlark bytes Bytes where they enter. AsBytes, which accepts both,
// reads the values sent to Kafka and bytes-like arguments.
type Bytes string

var (
	_ starlark.TotallyOrdered = Bytes("")
	_ starlark.Sliceable      = Bytes("")
	_ starlark.Iterable       = Bytes("")
	_ starlark.Container      = Bytes("")
	_ starlark.HasBinary      = Bytes("")
	_ starlark.HasAttrs       = Bytes("")
	_ PyClasser               = Bytes("")
)

// AsBytes returns the content of v when v is bytes: a Bytes or a
// Starlark bytes value (which a Go host may pass).
func AsBytes(v starlark.Value) (Bytes, bool) {
	switch b := v.(type) {
	case Bytes:
		return b, true
	case starlark.Bytes:
		return Bytes(b), true
	}
	return "", false
}

// String is CPython's repr, as str(b) is: b'...'. The methods that
// follow make Bytes a hashable, immutable starlark.Value whose items
// are ints (Index) and whose class is bytes (PyClass).
func (b Bytes) String() string             { return QuoteBytes(string(b)) }
func (b Bytes) Type() string               { return "bytes" }
func (b Bytes) PyClass() starlark.Value    { return BytesType }
func (b Bytes) Freeze()                    {} // immutable
func (b Bytes) Truth() starlark.Bool       { return len(b) > 0 }
func (b Bytes) Hash() (uint32, error)      { return starlark.String(b).Hash() }
func (b Bytes) Len() int                   { return len(b) }
func (b Bytes) Index(i int) starlark.Value { return starlark.MakeInt(int(b[i])) }

// Slice is b[start:end:step], bytes.
func (b Bytes) Slice(start, end, step int) starlark.Value {
	if step == 1 {
		return b[start:end]
	}
	var out []byte
	for i := start; (step > 0 && i < end) || (step < 0 && i > end); i += step {
		out = append(out, b[i])
	}
	return Bytes(out)
}

// Iterate yields the bytes as ints.
func (b Bytes) Iterate() starlark.Iterator { return &bytesIterator{s: string(b)} }

type bytesIterator struct {
	s string
	i int
}

func (it *bytesIterator) Next(p *starlark.Value) bool {
	if it.i >= len(it.s) {
		return false
	}
	*p = starlark.MakeInt(int(it.s[it.i]))
	it.i++
	return true
}

func (it *bytesIterator) Done() {}

// Cmp orders bytes by their bytes, as Python does.
func (b Bytes) Cmp(y starlark.Value, depth int) (int, error) {
	return strings.Compare(string(b), string(y.(Bytes))), nil
}

// Has is `y in b`: y a bytes-like value (a substring) or an int (a byte).
func (b Bytes) Has(y starlark.Value) (bool, error) {
	if sub, ok := BytesLike(y); ok {
		return strings.Contains(string(b), sub), nil
	}
	c, err := byteValue(y)
	if err != nil {
		if e, ok := err.(*Exception); ok && e.Class == TypeError {
			return false, Errorf(TypeError, "a bytes-like object is required, not '%s'", TypeName(y))
		}
		return false, err
	}
	return strings.IndexByte(string(b), c) >= 0, nil
}

// Binary is + with bytes or a bytearray (bytes either way round) and *
// with an int.
func (b Bytes) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch op {
	case syntax.PLUS:
		other, ok := BytesLike(y)
		if !ok {
			if side == starlark.Left {
				return nil, Errorf(TypeError, "can't concat %s to bytes", TypeName(y))
			}
			return nil, nil
		}
		if side == starlark.Left {
			return b + Bytes(other), nil
		}
		return Bytes(other) + b, nil
	case syntax.STAR:
		n, ok := y.(starlark.Int)
		if !ok {
			return nil, Errorf(TypeError, "can't multiply sequence by non-int of type '%s'", TypeName(y))
		}
		k, ok := n.Int64()
		switch {
		case !ok:
			return nil, Errorf(OverflowError, "cannot fit 'int' into an index-sized integer")
		case k <= 0 || len(b) == 0:
			return Bytes(""), nil
		case k > maxRepeat/int64(len(b)):
			return nil, Errorf(MemoryError, "")
		}
		return Bytes(strings.Repeat(string(b), int(k))), nil
	}
	return nil, nil
}

// maxRepeat bounds the length of b * n, as Starlark bounds its own
// repetitions (the memory limit, when set, refuses smaller ones first).
const maxRepeat = 1 << 30

// Attr returns a method of bytes bound to b, or a static method of the
// class (fromhex, maketrans).
func (b Bytes) Attr(name string) (starlark.Value, error) {
	if m, ok := bytesMethods[name]; ok {
		return m.BindReceiver(b), nil
	}
	return BytesType.attrs[name], nil
}

// AttrNames lists the methods of bytes.
func (b Bytes) AttrNames() []string {
	names := make([]string, 0, len(bytesMethods)+len(BytesType.attrs))
	for n := range bytesMethods {
		names = append(names, n)
	}
	for n := range BytesType.attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// makeBytes is __bytes_lit__(s), the bytes of a literal b'...' (s holds its
// bytes): the front end assigns each literal to a module constant once.
func makeBytes(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &s); err != nil {
		return nil, err
	}
	return Bytes(s), nil
}
