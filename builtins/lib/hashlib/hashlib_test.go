package hashlib_test

import (
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/hashlib"
	"github.com/kstar-dev/kstar/internal/starbytes"
)

// BenchmarkSha256Hexdigest measures the statement
// hashlib.sha256(b'...').hexdigest() in a script's loop, as
// python3 -m timeit -s 'import hashlib' "hashlib.sha256(b'...').hexdigest()"
// measures it for CPython.
func BenchmarkSha256Hexdigest(b *testing.B) {
	src := "def f(n):\n    for _ in range(n):\n        hashlib.sha256(b'the quick brown fox jumps over the lazy dog').hexdigest()\n"
	thread := &starlark.Thread{}
	globals, err := starbytes.ExecFile(&syntax.FileOptions{}, thread, "bench.star", src, starlark.StringDict{"hashlib": hashlib.New(nil)})
	if err != nil {
		b.Fatal(err)
	}
	f := globals["f"]
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := starlark.Call(thread, f, starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
}
