// Package io is kstar's io module: the in-memory streams scripts use to
// build or parse text and bytes (a CSV or JSON document, a serialised
// record) with file methods:
//
//	StringIO(initial_value='', newline='\n')
//	BytesIO(initial_bytes=b'')
//	    write, writelines, read, readline, readlines, getvalue, seek,
//	    tell, truncate, flush, close, closed, readable, writable,
//	    seekable, isatty, iteration by line, with blocks;
//	    BytesIO also read1
//	SEEK_SET, SEEK_CUR, SEEK_END, UnsupportedOperation
//
// As in CPython, a StringIO's positions and sizes count characters, and
// its errors are CPython 3.11's (closed-file messages included, with or
// without their final period as each method of CPython has it). A
// StringIO is a py.TextWriter, so print(file=), json.dump, csv.writer
// and logging write to it directly. Writes reserve the memory they grow
// the buffer by from the execution's limit (py.Reserve).
//
// Not offered: TextIOWrapper, BufferedReader and the other classes over
// files (open() makes those), getbuffer, readinto.
package io

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyclass"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the io module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "io", Members: starlark.StringDict{
		"StringIO":             StringIOClass,
		"BytesIO":              BytesIOClass,
		"SEEK_SET":             starlark.MakeInt(0),
		"SEEK_CUR":             starlark.MakeInt(1),
		"SEEK_END":             starlark.MakeInt(2),
		"UnsupportedOperation": py.UnsupportedOperation,
	}}
}

// StringIO is io.StringIO: text in memory.
type StringIO = stream[rune]

// BytesIO is io.BytesIO: bytes in memory.
type BytesIO = stream[byte]

// The classes io.StringIO and io.BytesIO.
var (
	StringIOClass = &pyclass.Class{Module: "_io", ClassName: "StringIO", Make: newStringIO,
		Instance: func(v starlark.Value) bool { _, ok := v.(*StringIO); return ok }}
	BytesIOClass = &pyclass.Class{Module: "_io", ClassName: "BytesIO", Make: newBytesIO,
		Instance: func(v starlark.Value) bool { _, ok := v.(*BytesIO); return ok }}
)

var (
	stringIOSpec = &pyargs.Func{Name: "StringIO", Params: []string{"initial_value", "newline"}}
	bytesIOSpec  = &pyargs.Func{Name: "BytesIO", Params: []string{"initial_bytes"}}
)

// newStringIO is StringIO(initial_value=”, newline='\n').
func newStringIO(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var initial, newline starlark.Value
	if err := stringIOSpec.Bind(args, kwargs, &initial, &newline); err != nil {
		return nil, err
	}
	s := &StringIO{kind: stringKind, newline: "\n"}
	switch nl := newline.(type) {
	case nil:
	case starlark.NoneType:
		s.newline = ""
		s.universal = true
	case starlark.String:
		switch nl {
		case "", "\n", "\r", "\r\n":
			s.newline = string(nl)
		default:
			return nil, py.Errorf(py.ValueError, "illegal newline value: %s", py.QuoteString(string(nl)))
		}
	default:
		return nil, py.Errorf(py.TypeError, "newline must be str or None, not %s", py.TypeName(newline))
	}
	switch v := initial.(type) {
	case nil, starlark.NoneType:
	case starlark.String:
		if err := s.buf.write(thread, []rune(s.translate(string(v)))); err != nil {
			return nil, err
		}
		s.buf.pos = 0
	default:
		return nil, py.Errorf(py.TypeError, "initial_value must be str or None, not %s", py.TypeName(initial))
	}
	return s, nil
}

// newBytesIO is BytesIO(initial_bytes=b”).
func newBytesIO(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var initial starlark.Value
	if err := bytesIOSpec.Bind(args, kwargs, &initial); err != nil {
		return nil, err
	}
	s := &BytesIO{kind: bytesKind}
	if initial != nil && initial != starlark.None {
		data, err := pyargs.Bytes(initial)
		if err != nil {
			return nil, err
		}
		if err := s.buf.write(thread, []byte(data)); err != nil {
			return nil, err
		}
		s.buf.pos = 0
	}
	return s, nil
}

// NewBytesIO returns a BytesIO holding data, at position 0.
func NewBytesIO(data []byte) *BytesIO {
	return &BytesIO{kind: bytesKind, buf: buffer[byte]{data: data}}
}

// kind is what differs between StringIO and BytesIO.
type kind[T unit] struct {
	name string
	// units converts what write() takes into the stream's units, with
	// what write() returns.
	units func(v starlark.Value) ([]T, error)
	// value converts units into what reads return.
	value func([]T) starlark.Value
	// closedPeriod tells whether a method's closed-file message ends with
	// a period, as CPython's do.
	closedPeriod func(method string) bool
}

var stringKind = &kind[rune]{
	name: "StringIO",
	units: func(v starlark.Value) ([]rune, error) {
		s, ok := v.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "string argument expected, got '%s'", py.TypeName(v))
		}
		return []rune(string(s)), nil
	},
	value: func(r []rune) starlark.Value { return starlark.String(string(r)) },
	// CPython's _io.StringIO checks with its own message; the methods it
	// inherits from IOBase add the period.
	closedPeriod: func(method string) bool {
		switch method {
		case "readlines", "__iter__", "__enter__", "isatty", "writelines":
			return true
		}
		return false
	},
}

var bytesKind = &kind[byte]{
	name: "BytesIO",
	units: func(v starlark.Value) ([]byte, error) {
		s, err := pyargs.Bytes(v)
		return []byte(s), err
	},
	value:        func(b []byte) starlark.Value { return py.Bytes(b) },
	closedPeriod: func(string) bool { return true },
}

// stream is a StringIO or a BytesIO.
type stream[T unit] struct {
	mu     sync.Mutex // a stream in frozen globals is shared by concurrent calls
	kind   *kind[T]
	buf    buffer[T]
	closed bool
	// newline is StringIO's newline argument ("" also for None);
	// universal is newline=None: writes translate \r\n and \r to \n.
	newline   string
	universal bool
}

var (
	_ py.TextWriter     = (*StringIO)(nil)
	_ starlark.HasAttrs = (*BytesIO)(nil)
	_ starlark.Iterable = (*BytesIO)(nil)
	_ py.Nexter         = (*BytesIO)(nil)
	_ py.PyClasser      = (*BytesIO)(nil)
)

func (s *stream[T]) String() string        { return fmt.Sprintf("<_io.%s object at %p>", s.kind.name, s) }
func (s *stream[T]) Type() string          { return s.kind.name }
func (s *stream[T]) Freeze()               {}
func (s *stream[T]) Truth() starlark.Bool  { return true }
func (s *stream[T]) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", s)).Hash() }

// PyClass is type(s).
func (s *stream[T]) PyClass() starlark.Value {
	if s.kind.name == "StringIO" {
		return StringIOClass
	}
	return BytesIOClass
}

// WriteText writes text, as print(file=s) and the modules that write to
// files do (a BytesIO refuses it as its write() does).
func (s *stream[T]) WriteText(thread *starlark.Thread, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.write(thread, "write", starlark.String(text))
	return err
}

// checkOpen is CPython's ValueError for a method called on a closed
// stream.
func (s *stream[T]) checkOpen(method string) error {
	if !s.closed {
		return nil
	}
	msg := "I/O operation on closed file"
	if s.kind.closedPeriod(method) {
		msg += "."
	}
	return py.NewException(py.ValueError, msg)
}

// translate applies StringIO's newline argument to text written.
func (s *stream[T]) translate(text string) string {
	switch {
	case s.universal && strings.IndexByte(text, '\r') >= 0:
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	case s.newline == "\r" || s.newline == "\r\n":
		text = strings.ReplaceAll(text, "\n", s.newline)
	}
	return text
}

// write is write(v): the number of characters or bytes written.
func (s *stream[T]) write(thread *starlark.Thread, method string, v starlark.Value) (int, error) {
	if seq, ok := v.(starlark.Sequence); ok { // a str's or bytes' length in bytes
		// What converting it into units allocates.
		if err := py.Reserve(thread, int64(seq.Len())*unitSize[T]()); err != nil {
			return 0, err
		}
	}
	units, err := s.kind.units(v)
	if err != nil {
		return 0, err
	}
	if err := s.checkOpen(method); err != nil {
		return 0, err
	}
	n := len(units)
	if text, ok := v.(starlark.String); ok && (s.universal || len(s.newline) > 0 && s.newline != "\n") {
		if units, err = s.kind.units(starlark.String(s.translate(string(text)))); err != nil {
			return 0, err
		}
	}
	return n, s.buf.write(thread, units)
}

// lineEnd is the end of the first line of p, after its terminator, or
// -1: a BytesIO's lines end with \n, a StringIO's as its newline says.
func (s *stream[T]) lineEnd(p []T) int {
	switch {
	case s.newline == "" && !s.universal: // newline='': \r, \n or \r\n
		for i, c := range p {
			if c == '\n' {
				return i + 1
			}
			if c == '\r' {
				if i+1 < len(p) && p[i+1] == '\n' {
					return i + 2
				}
				return i + 1
			}
		}
		return -1
	case s.newline == "\r":
		for i, c := range p {
			if c == '\r' {
				return i + 1
			}
		}
		return -1
	case s.newline == "\r\n":
		for i := 0; i+1 < len(p); i++ {
			if p[i] == '\r' && p[i+1] == '\n' {
				return i + 2
			}
		}
		return -1
	}
	return lfEnd(p)
}

// readLine is readline(limit).
func (s *stream[T]) readLine(limit int) starlark.Value {
	return s.kind.value(s.buf.readLine(limit, s.lineEnd))
}

// seek is seek(offset, whence) with CPython's rules and messages, which
// differ between the two classes.
func (s *stream[T]) seek(offset, whence int) (int, error) {
	if err := s.checkOpen("seek"); err != nil {
		return 0, err
	}
	text := s.kind.name == "StringIO"
	if whence < 0 || whence > 2 {
		if text {
			return 0, py.Errorf(py.ValueError, "Invalid whence (%d, should be 0, 1 or 2)", whence)
		}
		return 0, py.Errorf(py.ValueError, "invalid whence (%d, should be 0, 1 or 2)", whence)
	}
	if text {
		switch {
		case whence == 0 && offset < 0:
			return 0, py.Errorf(py.ValueError, "Negative seek position %d", offset)
		case whence != 0 && offset != 0:
			return 0, py.Errorf(py.OSError, "Can't do nonzero cur-relative seeks")
		}
	} else if whence == 0 && offset < 0 {
		return 0, py.Errorf(py.ValueError, "negative seek value %d", offset)
	}
	switch whence {
	case 1:
		offset += s.buf.pos
	case 2:
		offset += len(s.buf.data)
	}
	s.buf.pos = max(offset, 0)
	return s.buf.pos, nil
}

// Next reads the next line, as next(s) does: a stream is its own
// iterator.
func (s *stream[T]) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen("__next__"); err != nil {
		return nil, false, err
	}
	line := s.buf.readLine(-1, s.lineEnd)
	if len(line) == 0 {
		return nil, false, nil
	}
	return s.kind.value(line), true, nil
}

// Iterate yields the lines (a for loop over a closed stream gets no
// lines: Starlark's iterators cannot fail; next() raises).
func (s *stream[T]) Iterate() starlark.Iterator { return &lines[T]{s} }

type lines[T unit] struct{ s *stream[T] }

func (it *lines[T]) Next(p *starlark.Value) bool {
	v, ok, _ := it.s.Next(nil)
	if ok {
		*p = v
	}
	return ok
}
func (it *lines[T]) Done() {}

// method is one method of a stream, called with the stream locked.
type method[T unit] func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// methods returns the methods of a stream of T.
func methods[T unit]() map[string]method[T] {
	noArgs := func(f func(s *stream[T]) starlark.Value) method[T] {
		return func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			if err := s.checkOpen(b.Name()); err != nil {
				return nil, err
			}
			return f(s), nil
		}
	}
	sized := func(f func(s *stream[T], size int) starlark.Value) method[T] {
		return func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var v starlark.Value = starlark.None
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &v); err != nil {
				return nil, err
			}
			size, err := sizeArg(v)
			if err != nil {
				return nil, err
			}
			if err := s.checkOpen(b.Name()); err != nil {
				return nil, err
			}
			return f(s, size), nil
		}
	}
	read := sized(func(s *stream[T], size int) starlark.Value { return s.kind.value(s.buf.read(size)) })
	return map[string]method[T]{
		"read":  read,
		"read1": read,
		"readline": sized(func(s *stream[T], size int) starlark.Value {
			return s.readLine(size)
		}),
		"readlines": sized(func(s *stream[T], hint int) starlark.Value {
			var lines []starlark.Value
			total := 0
			for hint <= 0 || total < hint {
				line := s.buf.readLine(-1, s.lineEnd)
				if len(line) == 0 {
					break
				}
				total += len(line)
				lines = append(lines, s.kind.value(line))
			}
			return starlark.NewList(lines)
		}),
		"getvalue": func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			if err := s.checkOpen("getvalue"); err != nil {
				return nil, err
			}
			if err := py.Reserve(thread, int64(len(s.buf.data))*unitSize[T]()); err != nil {
				return nil, err
			}
			return s.kind.value(s.buf.data), nil
		},
		"tell":     noArgs(func(s *stream[T]) starlark.Value { return starlark.MakeInt(s.buf.pos) }),
		"readable": noArgs(func(*stream[T]) starlark.Value { return starlark.True }),
		"writable": noArgs(func(*stream[T]) starlark.Value { return starlark.True }),
		"seekable": noArgs(func(*stream[T]) starlark.Value { return starlark.True }),
		"isatty":   noArgs(func(*stream[T]) starlark.Value { return starlark.False }),
		"__enter__": func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			return s, s.checkOpen("__enter__")
		},
		"__exit__": func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			s.closed = true
			return starlark.None, nil
		},
		"close": func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			s.closed = true
			return starlark.None, nil
		},
		"flush": func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			if s.kind.name == "StringIO" { // CPython's StringIO.flush does not check
				return starlark.None, nil
			}
			return starlark.None, s.checkOpen("flush")
		},
		"write": func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var v starlark.Value
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
				return nil, err
			}
			n, err := s.write(thread, "write", v)
			if err != nil {
				return nil, err
			}
			return starlark.MakeInt(n), nil
		},
		"seek": func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var offsetV, whenceV starlark.Value = nil, starlark.MakeInt(0)
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &offsetV, &whenceV); err != nil {
				return nil, err
			}
			offset, err := pyargs.Int64(offsetV)
			if err != nil {
				return nil, err
			}
			whence, err := pyargs.Int64(whenceV)
			if err != nil {
				return nil, err
			}
			pos, err := s.seek(int(offset), int(whence))
			if err != nil {
				return nil, err
			}
			return starlark.MakeInt(pos), nil
		},
		"truncate": func(s *stream[T], thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var sizeV starlark.Value = starlark.None
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &sizeV); err != nil {
				return nil, err
			}
			if err := s.checkOpen("truncate"); err != nil {
				return nil, err
			}
			size := s.buf.pos
			if sizeV != starlark.None {
				n, err := pyargs.Int64(sizeV)
				if err != nil {
					return nil, err
				}
				if n < 0 {
					if s.kind.name == "StringIO" {
						return nil, py.Errorf(py.ValueError, "Negative size value %d", n)
					}
					return nil, py.Errorf(py.ValueError, "negative size value %d", n)
				}
				size = int(n)
			}
			s.buf.truncate(size)
			return starlark.MakeInt(size), nil
		},
	}
}

// writelines is writelines(lines), which takes its lines before locking
// the stream: they may come from iterating it.
func (s *stream[T]) writelines(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var lines starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &lines); err != nil {
		return nil, err
	}
	s.mu.Lock()
	err := s.checkOpen("writelines")
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	it, err := py.Iterate(thread, lines)
	if err != nil {
		return nil, err
	}
	for {
		v, ok, err := it.Next(thread)
		if err != nil || !ok {
			return starlark.None, err
		}
		s.mu.Lock()
		_, err = s.write(thread, "writelines", v)
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
	}
}

var (
	stringMethods = methods[rune]()
	bytesMethods  = methods[byte]()
)

// table is the method table of the stream's class.
func (s *stream[T]) table() map[string]method[T] {
	if m, ok := any(stringMethods).(map[string]method[T]); ok {
		return m
	}
	return any(bytesMethods).(map[string]method[T])
}

// Attr offers the methods, closed, and for a StringIO line_buffering and
// newlines.
func (s *stream[T]) Attr(name string) (starlark.Value, error) {
	switch name {
	case "closed":
		s.mu.Lock()
		defer s.mu.Unlock()
		return starlark.Bool(s.closed), nil
	case "line_buffering", "newlines":
		if s.kind.name != "StringIO" {
			return nil, nil
		}
		if name == "newlines" {
			return starlark.None, nil
		}
		return starlark.False, nil
	case "writelines":
		return py.Func(name, s.writelines).BindReceiver(s), nil
	case "read1":
		if s.kind.name == "StringIO" {
			return nil, nil
		}
	}
	m, ok := s.table()[name]
	if !ok {
		return nil, nil
	}
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return m(s, thread, b, args, kwargs)
	}).BindReceiver(s), nil
}

// AttrNames lists the attributes, sorted.
func (s *stream[T]) AttrNames() []string {
	names := []string{"closed", "writelines"}
	if s.kind.name == "StringIO" {
		names = append(names, "line_buffering", "newlines")
	}
	for name := range s.table() {
		if name != "read1" || s.kind.name != "StringIO" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
