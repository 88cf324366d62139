package pystruct_test

import (
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	pystruct "github.com/kstar-dev/kstar/builtins/lib/struct"
)

// BenchmarkUnpack measures the statement struct.unpack('>iq', b) in a
// script's loop, as
// python3 -m timeit -s 'import struct; b = struct.pack(">iq", 1, 2)' "struct.unpack('>iq', b)"
// measures it for CPython.
func BenchmarkUnpack(b *testing.B) {
	src := "data = struct.pack('>iq', 1, 2)\ndef f(n):\n    for _ in range(n):\n        struct.unpack('>iq', data)\n"
	thread := &starlark.Thread{}
	globals, err := starlark.ExecFileOptions(&syntax.FileOptions{}, thread, "bench.star", src, starlark.StringDict{"struct": pystruct.New(nil)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := starlark.Call(thread, globals["f"], starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
}
