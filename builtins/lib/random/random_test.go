package random_test

import (
	"sync"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/random"
)

// TestConcurrentDraws draws from one module's generator on several
// goroutines at once, as the calls of a runtime.Script share its frozen
// globals; under -race it fails if the generator's state is unguarded,
// and every draw must still come out of the one sequence.
func TestConcurrentDraws(t *testing.T) {
	module := random.New(nil).(*starlarkstruct.Module)
	module.Freeze()
	seed, _ := module.Attr("seed")
	randint, _ := module.Attr("randint")
	if _, err := starlark.Call(&starlark.Thread{}, seed, starlark.Tuple{starlark.MakeInt(7)}, nil); err != nil {
		t.Fatal(err)
	}
	const workers, draws = 4, 500
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			thread := &starlark.Thread{}
			for range draws {
				if _, err := starlark.Call(thread, randint, starlark.Tuple{starlark.MakeInt(1), starlark.MakeInt(6)}, nil); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// After seed(7) and 2000 draws of randint(1, 6), the next random() is
	// the 2001st draw of CPython's sequence whatever the interleaving.
	next, _ := module.Attr("random")
	got, err := starlark.Call(&starlark.Thread{}, next, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// python3 -c 'import random; random.seed(7); [random.randint(1, 6) for _ in range(2000)]; print(random.random())'
	if want := "0.012617300443508617"; got.String() != want {
		t.Errorf("random() after 2000 shared draws = %s, want %s", got, want)
	}
}
