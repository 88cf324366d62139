package re_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/internal/benchloop"
	"github.com/kstar-dev/kstar/builtins/lib/re"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/runtime"
)

// TestCatastrophicBacktrackingStopsAtCallTimeout: a match that would
// backtrack for hours ends with the execution's deadline, as
// WithCallTimeout promises for every call.
func TestCatastrophicBacktrackingStopsAtCallTimeout(t *testing.T) {
	rt := runtime.New(runtime.WithCallTimeout(300 * time.Millisecond))
	script, err := rt.Load(context.Background(), "slow.star", []byte(`
import re

def slow():
    return re.match('(a+)+$', 'a' * 30 + 'b')

def quick():
    return re.match('(a+)+$', 'a' * 10 + 'b')
`))
	if err != nil {
		t.Fatal(err)
	}
	defer script.Close()
	start := time.Now()
	_, err = script.Call(context.Background(), "slow")
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("the match ran %v past a 300 ms call timeout", elapsed)
	}
	if err == nil || !strings.Contains(err.Error(), "TimeoutError") {
		t.Errorf("slow() returned %v; want a TimeoutError", err)
	}
	// The same pattern on a short text still answers: the engine is intact.
	if v, err := script.Call(context.Background(), "quick"); err != nil || v != starlark.None {
		t.Errorf("quick() = %v, %v; want None", v, err)
	}
}

// TestCancelledContextStopsAMatch: a host's cancel (as Ctrl-C is) stops a
// match that has no deadline.
func TestCancelledContextStopsAMatch(t *testing.T) {
	thread := &starlark.Thread{Name: "cancel"}
	env := py.NewEnv()
	env.Attach(thread)
	ctx, cancel := context.WithCancel(context.Background())
	env.SetContext(ctx)
	time.AfterFunc(200*time.Millisecond, cancel)
	match, _ := re.New(env).(starlark.HasAttrs).Attr("match")
	start := time.Now()
	_, err := starlark.Call(thread, match, starlark.Tuple{starlark.String("(a+)+$"), starlark.String(strings.Repeat("a", 32) + "b")}, nil)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("the match ran %v past its cancellation", elapsed)
	}
	if e := py.AsException(err); e == nil || e.Class != py.CancelledError {
		t.Errorf("got %v; want CancelledError", err)
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatal("context not cancelled")
	}
}

// BenchmarkMatch measures re.match(r'(\w+)-(\d+)', 'topic-42') (the
// module's cache finds the compiled pattern) and the compiled pattern's
// p.match('topic-42') in a script's loop, as
// python3 -m timeit -s 'import re; p = re.compile(r"(\w+)-(\d+)")' "p.match('topic-42')"
// measures it for CPython; floor is the same loop calling a builtin that
// does nothing (mod.noop('topic-42')).
func BenchmarkMatch(b *testing.B) {
	setup := "p = re.compile(r'(\\w+)-(\\d+)')"
	modules := starlark.StringDict{"re": re.New(py.NewEnv())}
	b.Run("module", func(b *testing.B) { benchloop.Run(b, setup, "re.match(r'(\\w+)-(\\d+)', 'topic-42')", modules) })
	b.Run("compiled", func(b *testing.B) { benchloop.Run(b, setup, "p.match('topic-42')", modules) })
	b.Run("floor", func(b *testing.B) { benchloop.Run(b, setup, "mod.noop('topic-42')", modules) })
}
