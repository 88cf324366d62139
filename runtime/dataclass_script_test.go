package runtime_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/runtime"
)

// A loaded script's dataclasses work in its calls, also in parallel calls
// (run with -race): the generated __init__, __repr__, __eq__ and
// __hash__, asdict, and a frozen module-level instance that no call may
// change, as a processing script (kstar pipe) uses them.
func TestScriptCallsUseDataclasses(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run(fmt.Sprintf("parallel=%v", parallel), func(t *testing.T) { testScriptCallsUseDataclasses(t, parallel) })
	}
}

func testScriptCallsUseDataclasses(t *testing.T, parallel bool) {
	var opts []runtime.Option
	if parallel {
		opts = append(opts, runtime.WithParallelCalls())
	}
	s := load(t, `
import json
from dataclasses import dataclass, field, asdict
from typing import List

@dataclass(frozen=True)
class Key:
    user: int

@dataclass
class Event:
    key: Key
    tags: List[str] = field(default_factory=list)

DEFAULT = Key(0)

def process(n):
    e = Event(Key(n), ['t%d' % n])
    return "%s %s %s %s" % (e, e == Event(Key(n), ['t%d' % n]), {Key(n): 1}[Key(n)], json.dumps(asdict(e)))

def change_default():
    object.__setattr__(DEFAULT, 'user', 5)
    return DEFAULT.user
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
				want := fmt.Sprintf(`Event(key=Key(user=%d), tags=['t%d']) True 1 {"key": {"user": %d}, "tags": ["t%d"]}`, i, i, i, i)
				if got != starlark.String(want) {
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
	got, err := s.Call(context.Background(), "change_default")
	switch {
	case parallel && err == nil:
		t.Error("a parallel call changed a frozen module-level instance")
	case !parallel && (err != nil || got != starlark.MakeInt(5)):
		t.Errorf("change_default() = %v, %v; want 5", got, err)
	}
}
