// Package pystruct is Python's struct module for kstar scripts (the
// directory is builtins/lib/struct; struct is a Go keyword).
//
// It offers pack, unpack, unpack_from, iter_unpack, calcsize, the class
// Struct (format, size, pack, unpack, unpack_from, iter_unpack) and the
// exception struct.error, for every format character (x c b B ? h H i I l
// L q Q n N e f d s p P), repeat counts, and the byte orders @ = < > !,
// with the sizes and alignment of CPython on x86-64 Linux and CPython
// 3.11's messages ("unpack requires a buffer of 4 bytes", "'i' format
// requires -2147483648 <= number <= 2147483647", ...). Formats are parsed
// once per execution and kept, as CPython caches them.
//
// Not offered: pack_into, which writes into a bytearray (kstar has none
// yet).
package pystruct

import (
	"fmt"
	"maps"
	"sync"
	"sync/atomic"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyclass"
	"github.com/kstar-dev/kstar/builtins/py"
)

// Error is struct.error.
var Error = &py.ExceptionClass{ClassName: "error", Module: "struct", Base: py.PyException}

// StructClass is struct.Struct (CPython's _struct.Struct).
var StructClass = &pyclass.Class{Module: "_struct", ClassName: "Struct", Make: makeStruct, Instance: func(v starlark.Value) bool {
	_, ok := v.(*Struct)
	return ok
}}

// New returns the struct module for one execution.
func New(env *py.Env) starlark.Value {
	m := &module{}
	m.cache.Store(&map[string]*format{})
	return &starlarkstruct.Module{Name: "struct", Members: starlark.StringDict{
		"pack":        py.Func("pack", m.pack),
		"unpack":      py.Func("unpack", m.unpack),
		"unpack_from": py.Func("unpack_from", m.unpackFrom),
		"iter_unpack": py.Func("iter_unpack", m.iterUnpack),
		"calcsize":    py.Func("calcsize", m.calcsize),
		"Struct":      StructClass,
		"error":       Error,
	}}
}

// module keeps the formats the module functions parsed, by format
// string, as CPython's cache does (and, like it, forgets them all when it
// holds too many). The map is replaced, never changed, so that lookups
// need no lock.
type module struct {
	mu    sync.Mutex // serialises replacements of cache
	cache atomic.Pointer[map[string]*format]
	// last is the format found last, checked before the map: a loop
	// unpacking with one format string finds it without hashing.
	last atomic.Pointer[format]
}

const maxCache = 100

// formatOf returns the parsed format of a str or bytes argument.
func (m *module) formatOf(v starlark.Value) (*format, error) {
	var key string
	switch v := v.(type) {
	case starlark.String:
		key = string(v)
	case py.Bytes:
		key = string(v)
	default:
		return nil, formatTypeError(v)
	}
	if f := m.last.Load(); f != nil && f.text == key { // the same string compares in O(1)
		return f, nil
	}
	if f, ok := (*m.cache.Load())[key]; ok {
		m.last.Store(f)
		return f, nil
	}
	f, err := parseFormat(key)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.cache.Load()
	next := make(map[string]*format, len(old)+1)
	if len(old) < maxCache {
		maps.Copy(next, old)
	}
	next[key] = f
	m.cache.Store(&next)
	m.last.Store(f)
	return f, nil
}

func formatTypeError(v starlark.Value) error {
	return py.Errorf(py.TypeError, "Struct() argument 1 must be a str or bytes object, not %s", py.TypeName(v))
}

func (m *module) pack(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "pack() takes no keyword arguments")
	}
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "missing format argument")
	}
	f, err := m.formatOf(args[0])
	if err != nil {
		return nil, err
	}
	return packValue(thread, f, args[1:])
}

func packValue(thread *starlark.Thread, f *format, values starlark.Tuple) (starlark.Value, error) {
	if f.size > 1<<16 { // '2000000000x' packs 2 GB
		if err := py.Reserve(thread, int64(f.size)); err != nil {
			return nil, err
		}
	}
	out, err := f.pack(values)
	if err != nil {
		return nil, err
	}
	return py.Bytes(out), nil
}

func (m *module) unpack(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("unpack", args, kwargs, 2, 2); err != nil {
		return nil, err
	}
	f, err := m.formatOf(args[0])
	if err != nil {
		return nil, err
	}
	return unpackValue(f, args[1])
}

func unpackValue(f *format, buffer starlark.Value) (starlark.Value, error) {
	data, err := pyargs.Bytes(buffer)
	if err != nil {
		return nil, err
	}
	if len(data) != f.size {
		return nil, py.Errorf(Error, "unpack requires a buffer of %d bytes", f.size)
	}
	return f.unpack(data)
}

var unpackFromSpec = &pyargs.Func{Name: "unpack_from", Params: []string{"format", "buffer", "offset"}, Required: 2, C: true}

func (m *module) unpackFrom(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var formatArg, buffer, offset starlark.Value = nil, nil, starlark.MakeInt(0)
	if err := unpackFromSpec.Bind(args, kwargs, &formatArg, &buffer, &offset); err != nil {
		return nil, err
	}
	f, err := m.formatOf(formatArg)
	if err != nil {
		return nil, err
	}
	return unpackFromValue(f, buffer, offset)
}

// unpackFromValue is unpack_from(buffer, offset): offsets from the end
// when negative, with CPython's messages for short buffers.
func unpackFromValue(f *format, buffer, offsetArg starlark.Value) (starlark.Value, error) {
	data, err := pyargs.Bytes(buffer)
	if err != nil {
		return nil, err
	}
	offset, err := pyargs.Int64(offsetArg)
	if err != nil {
		return nil, err
	}
	size, n := int64(f.size), int64(len(data))
	if offset < 0 {
		if offset+size > 0 {
			return nil, py.Errorf(Error, "not enough data to unpack %d bytes at offset %d", size, offset)
		}
		if offset+n < 0 {
			return nil, py.Errorf(Error, "offset %d out of range for %d-byte buffer", offset, n)
		}
		offset += n
	}
	if n-offset < size {
		return nil, py.Errorf(Error, "unpack_from requires a buffer of at least %d bytes for unpacking %d bytes at offset %d (actual buffer size is %d)", size+offset, size, offset, n)
	}
	return f.unpack(data[offset : offset+size])
}

func (m *module) iterUnpack(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("iter_unpack", args, kwargs, 2, 2); err != nil {
		return nil, err
	}
	f, err := m.formatOf(args[0])
	if err != nil {
		return nil, err
	}
	return iterUnpackValue(f, args[1])
}

func iterUnpackValue(f *format, buffer starlark.Value) (starlark.Value, error) {
	data, err := pyargs.Bytes(buffer)
	if err != nil {
		return nil, err
	}
	if f.size == 0 {
		return nil, py.Errorf(Error, "cannot iteratively unpack with a struct of length 0")
	}
	if len(data)%f.size != 0 {
		return nil, py.Errorf(Error, "iterative unpacking requires a buffer of a multiple of %d bytes", f.size)
	}
	if len(data) > 0 {
		if _, err := f.unpack(data[:f.size]); err != nil {
			return nil, err // "0p", which CPython refuses at the first record
		}
	}
	return &unpackIterator{f: f, data: data}, nil
}

func (m *module) calcsize(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "_struct.calcsize() takes no keyword arguments")
	}
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "_struct.calcsize() takes exactly one argument (%d given)", len(args))
	}
	f, err := m.formatOf(args[0])
	if err != nil {
		return nil, err
	}
	return starlark.MakeInt(f.size), nil
}

// unpackIterator is what iter_unpack returns: the tuples of consecutive
// records, unpacked as the iteration reaches them.
type unpackIterator struct {
	f    *format
	data string
	// mu guards pos: an iterator in a script's frozen globals is shared by
	// calls running at once (runtime.Script).
	mu  sync.Mutex
	pos int
}

var (
	_ starlark.Iterable = (*unpackIterator)(nil)
	_ py.Nexter         = (*unpackIterator)(nil)
	_ py.Reprer         = (*unpackIterator)(nil)
)

// PyRepr is CPython's <_struct.unpack_iterator object at 0x...>.
func (it *unpackIterator) PyRepr() string {
	return fmt.Sprintf("<_struct.unpack_iterator object at %p>", it)
}
func (it *unpackIterator) String() string       { return it.PyRepr() }
func (it *unpackIterator) Type() string         { return "unpack_iterator" }
func (it *unpackIterator) Freeze()              {}
func (it *unpackIterator) Truth() starlark.Bool { return true }
func (it *unpackIterator) Hash() (uint32, error) {
	return starlark.String(it.PyRepr()).Hash()
}

// Next unpacks the next record.
func (it *unpackIterator) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	it.mu.Lock()
	pos := it.pos
	if pos >= len(it.data) {
		it.mu.Unlock()
		return nil, false, nil
	}
	it.pos += it.f.size
	it.mu.Unlock()
	v, err := it.f.unpack(it.data[pos : pos+it.f.size])
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

// Iterate iterates over the records not yet unpacked, consuming them as
// a Python iterator is consumed.
func (it *unpackIterator) Iterate() starlark.Iterator { return &recordIterator{it: it} }

type recordIterator struct {
	it  *unpackIterator
	err error
}

func (r *recordIterator) Next(p *starlark.Value) bool {
	v, ok, err := r.it.Next(nil)
	if err != nil {
		r.err = err
		return false
	}
	if ok {
		*p = v
	}
	return ok
}
func (r *recordIterator) Done()      {}
func (r *recordIterator) Err() error { return r.err }

// Struct is a struct.Struct: a parsed format with its methods.
type Struct struct{ f *format }

var (
	_ starlark.HasAttrs = (*Struct)(nil)
	_ py.Reprer         = (*Struct)(nil)
	_ py.PyClasser      = (*Struct)(nil)
)

var structSpec = &pyargs.Func{Name: "Struct", Params: []string{"format"}, Required: 1, C: true}

// makeStruct is Struct(format).
func makeStruct(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var formatArg starlark.Value
	if err := structSpec.Bind(args, kwargs, &formatArg); err != nil {
		return nil, err
	}
	var text string
	switch v := formatArg.(type) {
	case starlark.String:
		text = string(v)
	case py.Bytes:
		text = string(v)
	default:
		return nil, formatTypeError(formatArg)
	}
	f, err := parseFormat(text)
	if err != nil {
		return nil, err
	}
	return &Struct{f: f}, nil
}

// PyRepr is CPython's <_struct.Struct object at 0x...>.
func (s *Struct) PyRepr() string          { return fmt.Sprintf("<_struct.Struct object at %p>", s) }
func (s *Struct) String() string          { return s.PyRepr() }
func (s *Struct) Type() string            { return "_struct.Struct" }
func (s *Struct) Freeze()                 {}
func (s *Struct) Truth() starlark.Bool    { return true }
func (s *Struct) PyClass() starlark.Value { return StructClass }

// Hash hashes by identity, as CPython does.
func (s *Struct) Hash() (uint32, error) { return starlark.String(s.PyRepr()).Hash() }

// AttrNames lists the attributes of a Struct.
func (s *Struct) AttrNames() []string {
	return []string{"format", "iter_unpack", "pack", "size", "unpack", "unpack_from"}
}

// Attr returns the attributes and bound methods of a Struct.
func (s *Struct) Attr(name string) (starlark.Value, error) {
	switch name {
	case "format":
		return starlark.String(s.f.text), nil
	case "size":
		return starlark.MakeInt(s.f.size), nil
	case "pack":
		return structPack.BindReceiver(s), nil
	case "unpack":
		return structUnpack.BindReceiver(s), nil
	case "unpack_from":
		return structUnpackFrom.BindReceiver(s), nil
	case "iter_unpack":
		return structIterUnpack.BindReceiver(s), nil
	}
	return nil, nil
}

// The methods of Struct objects, bound to one by Attr.
var (
	structPack = py.Func("pack", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(kwargs) > 0 {
			return nil, py.Errorf(py.TypeError, "pack() takes no keyword arguments")
		}
		return packValue(thread, b.Receiver().(*Struct).f, args)
	})
	structUnpack = py.Func("unpack", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := oneArgument("Struct.unpack", args, kwargs); err != nil {
			return nil, err
		}
		return unpackValue(b.Receiver().(*Struct).f, args[0])
	})
	structUnpackFrom = py.Func("unpack_from", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var buffer, offset starlark.Value = nil, starlark.MakeInt(0)
		if err := structUnpackFromSpec.Bind(args, kwargs, &buffer, &offset); err != nil {
			return nil, err
		}
		return unpackFromValue(b.Receiver().(*Struct).f, buffer, offset)
	})
	structIterUnpack = py.Func("iter_unpack", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := oneArgument("Struct.iter_unpack", args, kwargs); err != nil {
			return nil, err
		}
		return iterUnpackValue(b.Receiver().(*Struct).f, args[0])
	})
	structUnpackFromSpec = &pyargs.Func{Name: "unpack_from", Params: []string{"buffer", "offset"}, Required: 1, C: true}
)

func oneArgument(name string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "%s() takes no keyword arguments", name)
	}
	if len(args) != 1 {
		return py.Errorf(py.TypeError, "%s() takes exactly one argument (%d given)", name, len(args))
	}
	return nil
}
