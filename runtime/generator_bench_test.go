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

// benchScript runs src, with %d replaced by b.N, and reports ns per outer
// iteration.
func benchScript(b *testing.B, src string) {
	rt := runtime.New(runtime.WithoutLimits())
	b.ResetTimer()
	if err := rt.ExecFile(context.Background(), "bench.py", []byte(fmt.Sprintf(src, b.N)), nil); err != nil {
		b.Fatal(runtime.FormatError(err))
	}
}

// BenchmarkNestedRangeLoop is a short loop over a call inside a hot
// loop: its iterable goes through __owned_iterable__, which must cost no
// more than __iterable__ did.
func BenchmarkNestedRangeLoop(b *testing.B) {
	benchScript(b, "for n in range(%d):\n    for i in range(3):\n        pass\n")
}

// BenchmarkNestedItemsLoop is the same over a dict's items().
func BenchmarkNestedItemsLoop(b *testing.B) {
	benchScript(b, "d = {'a': 1, 'b': 2, 'c': 3}\nfor n in range(%d):\n    for k, v in d.items():\n        pass\n")
}

// BenchmarkGeneratorLoopBreak makes a generator, takes one value and
// breaks: the loop closes it.
func BenchmarkGeneratorLoopBreak(b *testing.B) {
	benchScript(b, "def gen():\n    try:\n        yield 1\n        yield 2\n    finally:\n        pass\nfor n in range(%d):\n    for x in gen():\n        break\n")
}
