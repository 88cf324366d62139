package pystruct_test

import (
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/internal/benchloop"
	pystruct "github.com/kstar-dev/kstar/builtins/lib/struct"
)

// BenchmarkUnpack measures the statement struct.unpack('>iq', b) in a
// script's loop, as
// python3 -m timeit -s 'import struct; b = struct.pack(">iq", 1, 2)' "struct.unpack('>iq', b)"
// measures it for CPython; floor is the same loop calling a builtin that
// does nothing (mod.noop('>iq', b)).
func BenchmarkUnpack(b *testing.B) {
	setup := "b = struct.pack('>iq', 1, 2)"
	modules := starlark.StringDict{"struct": pystruct.New(nil)}
	b.Run("unpack", func(b *testing.B) { benchloop.Run(b, setup, "struct.unpack('>iq', b)", modules) })
	b.Run("floor", func(b *testing.B) { benchloop.Run(b, setup, "mod.noop('>iq', b)", modules) })
}
