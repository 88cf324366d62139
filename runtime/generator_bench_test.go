package runtime_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kstar-dev/kstar/runtime"
)

// benchLoop runs a script that loops b.N times over what make builds and
// reports ns per element (the script's setup included, which b.N hides).
func benchLoop(b *testing.B, setup, iterable string) {
	src := fmt.Sprintf("%s\nfor x in %s:\n    pass\n", setup, fmt.Sprintf(iterable, b.N))
	rt := runtime.New(runtime.WithoutLimits())
	b.ResetTimer()
	if err := rt.ExecFile(context.Background(), "bench.py", []byte(src), nil); err != nil {
		b.Fatal(runtime.FormatError(err))
	}
}

// BenchmarkGeneratorStep is one step of a generator function: a yield
// handed from the body's goroutine to the for loop's. Compare with
// python3 -m timeit -s 'def gen(n):' -s '  for i in range(n): yield i' 'for x in gen(1000000): pass'.
func BenchmarkGeneratorStep(b *testing.B) {
	benchLoop(b, "def gen(n):\n    for i in range(n):\n        yield i", "gen(%d)")
}

// BenchmarkGenexpStep is one element of a generator expression (no
// goroutine). Compare with
// python3 -m timeit 'for x in (i for i in range(1000000)): pass'.
func BenchmarkGenexpStep(b *testing.B) {
	benchLoop(b, "", "(i for i in range(%d))")
}

// BenchmarkRangeStep is the loop alone, for scale.
func BenchmarkRangeStep(b *testing.B) {
	benchLoop(b, "", "range(%d)")
}
