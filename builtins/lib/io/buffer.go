package io

import (
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// unit is what a buffer holds: bytes for BytesIO, characters for StringIO
// (whose positions and sizes count characters, as CPython's do).
type unit interface{ ~byte | ~rune }

// buffer is the contents and position of a StringIO or BytesIO. The
// position may lie past the end (after a seek there): a write fills the
// gap with zeros, as CPython's does.
type buffer[T unit] struct {
	data []T
	pos  int
}

// unitSize is the size of a T in bytes, for reserving memory.
func unitSize[T unit]() int64 {
	var t T
	if ^t > 0xff {
		return 4
	}
	return 1
}

// write puts p at the position, overwriting what is there and growing
// the buffer as needed. Growth is reserved from the execution's memory
// limit first, so a script that grows a buffer without end gets a
// MemoryError.
func (b *buffer[T]) write(thread *starlark.Thread, p []T) error {
	end := b.pos + len(p)
	if end > cap(b.data) {
		grown := max(end, 2*cap(b.data))
		if err := py.Reserve(thread, int64(grown)*unitSize[T]()); err != nil {
			return err
		}
		data := make([]T, len(b.data), grown)
		copy(data, b.data)
		b.data = data
	}
	for len(b.data) < b.pos { // a seek past the end: zeros up to the position
		b.data = append(b.data, 0)
	}
	if end > len(b.data) {
		b.data = b.data[:end]
	}
	copy(b.data[b.pos:], p)
	b.pos = end
	return nil
}

// read returns up to n units from the position (all when n < 0).
func (b *buffer[T]) read(n int) []T {
	if b.pos >= len(b.data) {
		return nil
	}
	rest := b.data[b.pos:]
	if n >= 0 && n < len(rest) {
		rest = rest[:n]
	}
	b.pos += len(rest)
	return rest
}

// readLine returns the next line, with its terminator, of at most limit
// units when limit >= 0. lineEnd gives the end of the first line in its
// argument, or -1.
func (b *buffer[T]) readLine(limit int, lineEnd func([]T) int) []T {
	if b.pos >= len(b.data) {
		return nil
	}
	rest := b.data[b.pos:]
	if limit >= 0 && limit < len(rest) {
		rest = rest[:limit]
	}
	if i := lineEnd(rest); i >= 0 {
		rest = rest[:i]
	}
	b.pos += len(rest)
	return rest
}

// truncate cuts the buffer to size units (never longer); the position
// stays.
func (b *buffer[T]) truncate(size int) {
	if size < len(b.data) {
		b.data = b.data[:size]
	}
}

// lfEnd is the end of the first line ending in '\n', or -1.
func lfEnd[T unit](s []T) int {
	for i, c := range s {
		if c == '\n' {
			return i + 1
		}
	}
	return -1
}

// sizeArg is the size argument of read, readline and readlines: None or
// an int, -1 (all) when negative or absent.
func sizeArg(v starlark.Value) (int, error) {
	if v == nil || v == starlark.None {
		return -1, nil
	}
	i, ok := v.(starlark.Int)
	if !ok {
		return 0, py.Errorf(py.TypeError, "argument should be integer or None, not '%s'", py.TypeName(v))
	}
	n, ok := i.Int64()
	if !ok || n < 0 {
		return -1, nil
	}
	return int(n), nil
}
