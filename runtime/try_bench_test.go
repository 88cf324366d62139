package runtime_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/runtime"
)

// BenchmarkTry is the cost of one execution of a try block whose body is
// 1 or 10 assignments, in a function's loop; "no try" is the same loop
// with the statements alone, to read the try's own cost from. CPython's
// figure for the same loop (divide by a million):
//
//	python3 -m timeit $'for i in range(1000000):\n try:\n  x = i\n except ValueError:\n  pass'
//	python3 -m timeit $'for i in range(1000000):\n if True:\n  x = i'     # no try
func BenchmarkTry(b *testing.B) {
	for _, n := range []int{1, 10} {
		body := strings.Repeat("            x = i\n", n)
		for _, tc := range []struct{ name, src string }{
			{"no try", "def run(n):\n    for i in range(n):\n        if True:\n" + body},
			{"try", "def run(n):\n    for i in range(n):\n        try:\n" + body + "        except ValueError:\n            pass\n"},
		} {
			b.Run(fmt.Sprintf("%s/statements=%d", tc.name, n), func(b *testing.B) {
				s, err := runtime.New(runtime.WithMaxSteps(0), runtime.WithCallTimeout(0)).Load(context.Background(), "bench.py", []byte(tc.src))
				if err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				if _, err := s.Call(context.Background(), "run", starlark.MakeInt(b.N)); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}
