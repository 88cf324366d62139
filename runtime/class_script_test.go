package runtime_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/runtime"
)

// A loaded script's classes work in its calls, also in calls made from
// several goroutines (run with -race): __str__, __eq__ and a property run
// from Go code (str(), ==) without the caller's thread. A module-level
// instance is the script's state, which calls may change; under
// WithParallelCalls it is shared read-only (frozen with the other
// globals).
func TestScriptCallsUseClasses(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run(fmt.Sprintf("parallel=%v", parallel), func(t *testing.T) { testScriptCallsUseClasses(t, parallel) })
	}
}

func testScriptCallsUseClasses(t *testing.T, parallel bool) {
	var opts []runtime.Option
	if parallel {
		opts = append(opts, runtime.WithParallelCalls())
	}
	s := load(t, `
class Point:
    def __init__(self, x):
        self.x = x

    @property
    def double(self):
        return self.x * 2

    def __eq__(self, other):
        return self.x == other.x

    def __hash__(self):
        return hash(self.x)

    def __str__(self):
        return "P%d" % self.x

ORIGIN = Point(0)

def process(n):
    p = Point(n)
    return "%s %s %s %s %d" % (p, p == Point(n), p == ORIGIN, [str(q) for q in {p: 1}], p.double)

def move_origin():
    ORIGIN.x = 5
    return ORIGIN.x
`, opts...)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				got, err := s.Call(context.Background(), "process", starlark.MakeInt(i))
				if err != nil {
					errs <- err
					return
				}
				if want := fmt.Sprintf("P%d True %s ['P%d'] %d", i, starlark.Bool(i == 0), i, 2*i); got != starlark.String(want) {
					errs <- fmt.Errorf("process(%d) = %v, want %q", i, got, want)
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
	got, err := s.Call(context.Background(), "move_origin")
	switch {
	case parallel && err == nil:
		t.Error("a parallel call changed a frozen module-level instance")
	case !parallel && (err != nil || got != starlark.MakeInt(5)):
		t.Errorf("move_origin() = %v, %v; want 5", got, err)
	}
}

// The REPL echoes an instance as Python's does: its __repr__, or
// <__main__.Name object at 0x...>; a class defined in one chunk is used
// in the next.
func TestSessionEchoesInstances(t *testing.T) {
	var out bytes.Buffer
	s := runtime.New(runtime.WithStdout(&out)).NewSession(nil)
	defer s.Close(time.Second)
	for _, chunk := range []string{
		"class P:\n    def __init__(self, x):\n        self.x = x\n    def __repr__(self):\n        return 'P(%d)' % self.x\n",
		"class Q:\n    pass\n",
		"P(1)",
		"[P(2), P(3)]",
		"q = Q()\nq.y = 4",
		"q.y",
		"Q()",
	} {
		if err := s.Exec(context.Background(), chunk); err != nil {
			t.Fatalf("%q: %v", chunk, err)
		}
	}
	got := regexp.MustCompile(`0x[0-9a-f]+`).ReplaceAllString(out.String(), "0x<ADDR>")
	if want := "P(1)\n[P(2), P(3)]\n4\n<__main__.Q object at 0x<ADDR>>\n"; got != want {
		t.Errorf("echoed %q, want %q", got, want)
	}
}
