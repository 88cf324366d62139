package itertools_test

import (
	"context"
	"fmt"
	"os"

	"github.com/kstar-dev/kstar/runtime"
)

// batched (Python 3.12's) takes each batch from its iterable only when it
// is asked for one, so it works over an endless iterator. CPython 3.12
// prints the same; testdata/python/itertools_batched.star compares the
// rest of its behaviour with CPython.
func Example_batched() {
	rt := runtime.New(runtime.WithStdout(os.Stdout))
	src := []byte(`
from itertools import batched, count, islice
it = iter(range(10))
b = batched(it, 4)
print(next(b), next(it), next(b), list(b))
print(list(islice(batched(count(), 2), 3)))
`)
	err := rt.ExecFile(context.Background(), "batched.star", src, nil)
	fmt.Print(runtime.FormatError(err))
	// Output:
	// (0, 1, 2, 3) 4 (5, 6, 7, 8) [(9,)]
	// [(0, 1), (2, 3), (4, 5)]
}
