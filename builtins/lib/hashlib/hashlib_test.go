package hashlib_test

import (
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/hashlib"
	"github.com/kstar-dev/kstar/builtins/lib/internal/benchloop"
)

// BenchmarkSha256Hexdigest measures the statement
// hashlib.sha256(b).hexdigest() in a script's loop, as
// python3 -m timeit -s 'import hashlib; b = b"the quick brown fox jumps over the lazy dog"' "hashlib.sha256(b).hexdigest()"
// measures it for CPython; floor is the same loop calling a builtin that
// does nothing, twice (mod.noop(b); mod.noop()).
func BenchmarkSha256Hexdigest(b *testing.B) {
	setup := "b = b'the quick brown fox jumps over the lazy dog'"
	modules := starlark.StringDict{"hashlib": hashlib.New(nil)}
	b.Run("sha256", func(b *testing.B) { benchloop.Run(b, setup, "hashlib.sha256(b).hexdigest()", modules) })
	b.Run("floor", func(b *testing.B) { benchloop.Run(b, setup, "mod.noop(b); mod.noop()", modules) })
}
