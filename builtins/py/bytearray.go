package py

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Bytearray is Python's bytearray: a mutable sequence of bytes. It is
// made like bytes (bytearray(b'..'), bytearray(n), bytearray('s',
// 'utf-8'), bytearray([1, 2])); items are ints, slices are bytearrays;
// ba[i] = n, append, extend, insert, pop, remove, clear, reverse and copy
// change it; bytes' other methods (decode, hex, find, upper, ...) read
// it, and the bytes they return are bytearrays. `ba += b'..'` makes a new bytearray (Starlark rebinds augmented
// assignments of values that are not lists), and slice assignment is not
// offered (Starlark has none).
type Bytearray struct {
	data   []byte
	frozen bool
}

// BytearrayType is bytearray.
var BytearrayType = &Type{name: "bytearray", call: pyBytearray, contains: isA[*Bytearray]}

func init() {
	for name, fn := range bytearrayMethods {
		bytearrayBuiltins[name] = Func(name, fn)
	}
}

var (
	_ starlark.Sequence    = (*Bytearray)(nil)
	_ starlark.Indexable   = (*Bytearray)(nil)
	_ starlark.HasSetIndex = (*Bytearray)(nil)
	_ starlark.Sliceable   = (*Bytearray)(nil)
	_ starlark.HasBinary   = (*Bytearray)(nil)
	_ starlark.Comparable  = (*Bytearray)(nil)
	_ starlark.HasAttrs    = (*Bytearray)(nil)
	_ PyClasser            = (*Bytearray)(nil)
)

// pyBytearray is bytearray(source=b”, encoding=..., errors=...): the
// arguments of bytes().
func pyBytearray(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 1 && len(kwargs) == 0 {
		if ba, ok := args[0].(*Bytearray); ok {
			return &Bytearray{data: append([]byte(nil), ba.data...)}, nil
		}
	}
	v, err := newBytes(thread, args, kwargs, "bytearray")
	if err != nil {
		return nil, err
	}
	return &Bytearray{data: []byte(v)}, nil
}

// String is CPython's repr: bytearray(b'...').
func (ba *Bytearray) String() string {
	return "bytearray(" + Repr(Bytes(ba.data)) + ")"
}
func (ba *Bytearray) Type() string            { return "bytearray" }
func (ba *Bytearray) PyClass() starlark.Value { return BytearrayType }
func (ba *Bytearray) Freeze()                 { ba.frozen = true }
func (ba *Bytearray) Truth() starlark.Bool    { return len(ba.data) > 0 }
func (ba *Bytearray) Hash() (uint32, error) {
	return 0, Errorf(TypeError, "unhashable type: 'bytearray'")
}
func (ba *Bytearray) Len() int                   { return len(ba.data) }
func (ba *Bytearray) Index(i int) starlark.Value { return starlark.MakeInt(int(ba.data[i])) }

// Iterate yields the bytes as ints.
func (ba *Bytearray) Iterate() starlark.Iterator {
	return starlark.Tuple(ba.ints()).Iterate()
}

func (ba *Bytearray) ints() []starlark.Value {
	out := make([]starlark.Value, len(ba.data))
	for i, c := range ba.data {
		out[i] = starlark.MakeInt(int(c))
	}
	return out
}

func (ba *Bytearray) checkMutable() error {
	if ba.frozen {
		return Errorf(TypeError, "cannot modify frozen bytearray")
	}
	return nil
}

// byteValue checks that v is an int in range(0, 256).
func byteValue(v starlark.Value) (byte, error) {
	n, ok := v.(starlark.Int)
	if !ok {
		if b, isBool := v.(starlark.Bool); isBool {
			return map[bool]byte{false: 0, true: 1}[bool(b)], nil
		}
		return 0, Errorf(TypeError, "'%s' object cannot be interpreted as an integer", TypeName(v))
	}
	i, ok := n.Int64()
	if !ok || i < 0 || i > 255 {
		return 0, Errorf(ValueError, "byte must be in range(0, 256)")
	}
	return byte(i), nil
}

// SetIndex is ba[i] = n.
func (ba *Bytearray) SetIndex(i int, v starlark.Value) error {
	if err := ba.checkMutable(); err != nil {
		return err
	}
	c, err := byteValue(v)
	if err != nil {
		return err
	}
	ba.data[i] = c
	return nil
}

// Slice is ba[start:end:step], a new bytearray.
func (ba *Bytearray) Slice(start, end, step int) starlark.Value {
	s := Bytes(ba.data).Slice(start, end, step).(Bytes)
	return &Bytearray{data: []byte(s)}
}

// Binary is + with bytes or a bytearray, * with an int, and `in`.
func (ba *Bytearray) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch op {
	case syntax.PLUS:
		other, ok := BytesLike(y)
		if !ok {
			if side == starlark.Left {
				return nil, Errorf(TypeError, "can't concat %s to bytearray", TypeName(y))
			}
			return nil, nil
		}
		if side == starlark.Left {
			return &Bytearray{data: append(append([]byte(nil), ba.data...), other...)}, nil
		}
		// bytes + bytearray is bytes, as in CPython.
		return Bytes(other + string(ba.data)), nil
	case syntax.STAR:
		n, ok := y.(starlark.Int)
		if !ok {
			return nil, nil
		}
		k, _ := n.Int64()
		if k < 0 {
			k = 0
		}
		return &Bytearray{data: []byte(strings.Repeat(string(ba.data), int(k)))}, nil
	case syntax.IN:
		if side != starlark.Right {
			return nil, nil
		}
		if sub, ok := BytesLike(y); ok {
			return starlark.Bool(strings.Contains(string(ba.data), sub)), nil
		}
		c, err := byteValue(y)
		if err != nil {
			if e, ok := err.(*Exception); ok && e.Class == TypeError {
				return nil, Errorf(TypeError, "a bytes-like object is required, not '%s'", TypeName(y))
			}
			return nil, err
		}
		return starlark.Bool(strings.IndexByte(string(ba.data), c) >= 0), nil
	}
	return nil, nil
}

// CompareSameType compares two bytearrays as bytes.
func (ba *Bytearray) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return starlark.Compare(op, Bytes(ba.data), Bytes(y.(*Bytearray).data))
}

// bytearrayBuiltins are the methods that change a bytearray; bytes'
// methods serve the others.
var bytearrayBuiltins = map[string]*starlark.Builtin{}

var bytearrayMethods = map[string]BuiltinFunc{
	"append": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		ba := b.Receiver().(*Bytearray)
		x, err := oneArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		if err := ba.checkMutable(); err != nil {
			return nil, err
		}
		c, err := byteValue(x)
		if err != nil {
			return nil, err
		}
		ba.data = append(ba.data, c)
		return starlark.None, nil
	},
	"extend": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		ba := b.Receiver().(*Bytearray)
		x, err := oneArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		if err := ba.checkMutable(); err != nil {
			return nil, err
		}
		if s, ok := BytesLike(x); ok {
			ba.data = append(ba.data, s...)
			return starlark.None, nil
		}
		if _, ok := x.(starlark.String); ok {
			return nil, Errorf(TypeError, "'str' object cannot be interpreted as an integer")
		}
		it, ok := x.(starlark.Iterable)
		if !ok {
			return nil, Errorf(TypeError, "can't extend bytearray with %s", TypeName(x))
		}
		iter := it.Iterate()
		defer iter.Done()
		var v starlark.Value
		var add []byte
		for iter.Next(&v) {
			c, err := byteValue(v)
			if err != nil {
				return nil, err
			}
			add = append(add, c)
		}
		ba.data = append(ba.data, add...)
		return starlark.None, nil
	},
	"insert": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		ba := b.Receiver().(*Bytearray)
		var i int
		var x starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &i, &x); err != nil {
			return nil, err
		}
		if err := ba.checkMutable(); err != nil {
			return nil, err
		}
		c, err := byteValue(x)
		if err != nil {
			return nil, err
		}
		n := len(ba.data)
		if i < 0 {
			i = max(i+n, 0)
		}
		i = min(i, n)
		ba.data = append(ba.data[:i], append([]byte{c}, ba.data[i:]...)...)
		return starlark.None, nil
	},
	"pop": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		ba := b.Receiver().(*Bytearray)
		i := -1
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &i); err != nil {
			return nil, err
		}
		if err := ba.checkMutable(); err != nil {
			return nil, err
		}
		n := len(ba.data)
		if n == 0 {
			return nil, Errorf(IndexError, "pop from empty bytearray")
		}
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, Errorf(IndexError, "pop index out of range")
		}
		c := ba.data[i]
		ba.data = append(ba.data[:i], ba.data[i+1:]...)
		return starlark.MakeInt(int(c)), nil
	},
	"remove": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		ba := b.Receiver().(*Bytearray)
		x, err := oneArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		if err := ba.checkMutable(); err != nil {
			return nil, err
		}
		c, err := byteValue(x)
		if err != nil {
			return nil, err
		}
		i := strings.IndexByte(string(ba.data), c)
		if i < 0 {
			return nil, Errorf(ValueError, "value not found in bytearray")
		}
		ba.data = append(ba.data[:i], ba.data[i+1:]...)
		return starlark.None, nil
	},
	"clear": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		ba := b.Receiver().(*Bytearray)
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		if err := ba.checkMutable(); err != nil {
			return nil, err
		}
		ba.data = ba.data[:0]
		return starlark.None, nil
	},
	"reverse": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		ba := b.Receiver().(*Bytearray)
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		if err := ba.checkMutable(); err != nil {
			return nil, err
		}
		for i, j := 0, len(ba.data)-1; i < j; i, j = i+1, j-1 {
			ba.data[i], ba.data[j] = ba.data[j], ba.data[i]
		}
		return starlark.None, nil
	},
	"copy": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		return &Bytearray{data: append([]byte(nil), b.Receiver().(*Bytearray).data...)}, nil
	},
}

// Attr offers bytearray's own methods, then bytes' methods on the
// contents (decode, hex, find, upper, split, ...).
func (ba *Bytearray) Attr(name string) (starlark.Value, error) {
	if m, ok := bytearrayBuiltins[name]; ok {
		return m.BindReceiver(ba), nil
	}
	if _, ok := bytesMethods[name]; ok {
		return starlark.NewBuiltin(name, bytesMethodOfBytearray).BindReceiver(ba), nil
	}
	return BytearrayType.attrs[name], nil // fromhex, maketrans
}

// bytesMethodOfBytearray calls the bytes method named b.Name() on the
// contents of the bytearray b is bound to. The bytes it returns, alone or
// as the items of a list (split) or tuple (partition), are made
// bytearrays, as Python's bytearray methods return.
func bytesMethodOfBytearray(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	ba := b.Receiver().(*Bytearray)
	v, err := bytesMethods[b.Name()].BindReceiver(Bytes(ba.data)).CallInternal(thread, args, kwargs)
	switch v := v.(type) {
	case Bytes:
		return &Bytearray{data: []byte(v)}, err
	case *starlark.List: // made by the method: changed in place
		for i := range v.Len() {
			if item, ok := v.Index(i).(Bytes); ok {
				if err := v.SetIndex(i, &Bytearray{data: []byte(item)}); err != nil {
					return nil, err
				}
			}
		}
	case starlark.Tuple:
		items := make(starlark.Tuple, len(v))
		for i, item := range v {
			items[i] = item
			if item, ok := item.(Bytes); ok {
				items[i] = &Bytearray{data: []byte(item)}
			}
		}
		return items, err
	}
	return v, err
}

// AttrNames lists the methods.
func (ba *Bytearray) AttrNames() []string {
	var names []string
	for n := range bytearrayBuiltins {
		names = append(names, n)
	}
	for n := range bytesMethods {
		if _, own := bytearrayBuiltins[n]; !own {
			names = append(names, n)
		}
	}
	for n := range BytearrayType.attrs {
		names = append(names, n)
	}
	return names
}
