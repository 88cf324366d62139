package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/fstest"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/runtime"
)

// dedupe counts its calls in a global and remembers the keys it has seen
// in a global dict and list, as a process function deduplicating records
// does.
const dedupe = `
calls = 0
seen = {}
order = []

def first(key):
    global calls
    calls += 1
    if key in seen:
        seen[key] += 1
        return False
    seen[key] = 1
    order.append(key)
    return True

def stats():
    return (calls, len(seen), len(order), sum(seen.values()))
`

// TestStateAcrossCalls calls a script that keeps state in its globals
// from many goroutines at once (run with -race): the calls take turns,
// so every call counts, and each key is reported first exactly once.
func TestStateAcrossCalls(t *testing.T) {
	s := load(t, dedupe)
	const goroutines, perG, keys = 8, 250, 37
	var wg sync.WaitGroup
	firsts := make([]int, keys) // calls that saw each key first
	var mu sync.Mutex
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perG {
				k := (g*perG + i) % keys
				v, err := s.Call(context.Background(), "first", starlark.String(fmt.Sprint("key-", k)))
				if err != nil {
					errs <- err
					return
				}
				if v == starlark.True {
					mu.Lock()
					firsts[k]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("%v\n%s", err, traceback(err))
	}
	for k, n := range firsts {
		if n != 1 {
			t.Errorf("key-%d was first %d times, want 1", k, n)
		}
	}
	v, err := s.Call(context.Background(), "stats")
	if err != nil {
		t.Fatal(err)
	}
	const total = goroutines * perG
	if got, want := v.String(), fmt.Sprintf("(%d, %d, %d, %d)", total, keys, keys, total); got != want {
		t.Errorf("stats() = %s, want %s (calls, keys in seen, keys in order, sum of counts)", got, want)
	}
	// The host sees the global a function rebinds under its own name.
	if got := fmt.Sprint(s.Globals(), " ", s.Global("calls")); got != fmt.Sprint("[calls first order seen stats] ", total) {
		t.Errorf("Globals() Global(\"calls\"): %s", got)
	}
}

// TestCallHoldsInterpreter checks that a call, in either mode, holds
// the interpreter lock of its thread, so that Go code it calls finds it
// as Current (to run a script's __repr__ or __eq__ on it).
func TestCallHoldsInterpreter(t *testing.T) {
	check := starlark.NewBuiltin("holds_interp", func(thread *starlark.Thread, _ *starlark.Builtin, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(py.InterpOf(thread).Current() == thread), nil
	})
	for _, parallel := range []bool{false, true} {
		opts := []runtime.Option{runtime.WithPredeclared("holds_interp", check)}
		if parallel {
			opts = append(opts, runtime.WithParallelCalls())
		}
		s := load(t, "def f():\n    return holds_interp()\n", opts...)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					if v, err := s.Call(context.Background(), "f"); err != nil || v != starlark.True {
						t.Errorf("parallel=%v: holds_interp() = %v, %v; want True", parallel, v, err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
}

// parallelHint ends the error of a parallel call that changed a global.
const parallelHint = " (the script's calls run in parallel, so its globals are frozen: with kstar pipe --parallelism 1, or without runtime.WithParallelCalls, calls may keep state in globals)"

// TestModuleStateModes runs scripts that change module state, by default
// (calls share the state) and WithParallelCalls (the state is frozen,
// and the change fails naming its line).
func TestModuleStateModes(t *testing.T) {
	lib := fstest.MapFS{"counter.star": {Data: []byte(`
n = 0
def bump():
    global n
    n += 1
    return n
`)}}
	for _, tc := range []struct {
		name, src string
		want      string // the third call's result by default
		frozen    string // the first call's error WithParallelCalls
	}{
		{"global statement", "n = 0\ndef f():\n    global n\n    n += 1\n    return n\n",
			"3", "t.star:4: TypeError: cannot assign to global n: globals are frozen once the script is loaded" + parallelHint},
		{"dict item", "d = {}\ndef f():\n    d[len(d)] = True\n    return len(d)\n",
			"3", "t.star:3: TypeError: cannot insert into frozen hash table" + parallelHint},
		{"list append", "l = []\ndef f():\n    l.append(1)\n    return len(l)\n",
			"3", "t.star:3: TypeError: append: cannot append to frozen list" + parallelHint},
		{"set add", "s = set()\ndef f():\n    s.add(len(s))\n    return len(s)\n",
			"3", "t.star:3: TypeError: add: cannot insert into frozen hash table" + parallelHint},
		{"imported module", "import counter\ndef f():\n    return counter.bump()\n",
			"3", "counter.star:5: TypeError: cannot assign to global n: globals are frozen once the script is loaded" + parallelHint},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, tc.src, runtime.WithLoadFS(lib))
			var v starlark.Value
			var err error
			for range 3 {
				if v, err = s.Call(context.Background(), "f"); err != nil {
					t.Fatalf("default: %v\n%s", err, traceback(err))
				}
			}
			if v.String() != tc.want {
				t.Errorf("default: third call = %s, want %s", v, tc.want)
			}
			s = load(t, tc.src, runtime.WithLoadFS(lib), runtime.WithParallelCalls())
			_, err = s.Call(context.Background(), "f")
			var se *runtime.ScriptError
			if !errors.As(err, &se) || se.Error() != tc.frozen {
				t.Errorf("WithParallelCalls: got %v\nwant %s", err, tc.frozen)
			}
		})
	}
}

// TestRebindProcess switches the function Process calls by rebinding a
// global (global process) while other goroutines call it (run with
// -race): the host finds the function in its cell, under the lock.
func TestRebindProcess(t *testing.T) {
	s := load(t, `
def drop(record):
    return None

def keep(record):
    return record

process = drop

def switch():
    global process
    process = keep
`)
	ctx := context.Background()
	if out, err := s.Process(ctx, "process", in("t", 0, 0, "", "v")); err != nil || len(out) != 0 {
		t.Fatalf("before switch(): %s, %v", show(out), err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if _, err := s.Process(ctx, "process", in("t", 0, 0, "", "v")); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	if _, err := s.Call(ctx, "switch"); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if out, err := s.Process(ctx, "process", in("t", 0, 0, "", "v")); err != nil || show(out) != `t/-1 ""="v" @1700000000000` {
		t.Errorf("after switch(): %s, %v", show(out), err)
	}
	if !s.HasFunction("process") {
		t.Errorf("HasFunction(%q) = false", "process")
	}
}
