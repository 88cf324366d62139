package runtime_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/runtime"
)

// A loaded script's enums, abstract classes and copies work in its calls,
// also in calls made from several goroutines (run with -race): members
// looked up by value and name, their str() from Go code, a class derived
// from an ABC defined in the call, deep copies of module-level state,
// which WithParallelCalls shares read-only.
func TestScriptCallsUseEnums(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run(fmt.Sprintf("parallel=%v", parallel), func(t *testing.T) {
			var opts []runtime.Option
			if parallel {
				opts = append(opts, runtime.WithParallelCalls())
			}
			s := load(t, `
import copy
from abc import ABC, abstractmethod
from enum import Enum, IntEnum, auto


class Level(IntEnum):
    LOW = auto()
    HIGH = auto()


class Color(Enum):
    RED = "r"
    GREEN = "g"


DEFAULTS = {"levels": [Level.LOW], "colors": {Color.RED: 1}}


def process(n):
    class Base(ABC):
        @abstractmethod
        def run(self):
            pass

    class Impl(Base):
        def run(self):
            return Level(n % 2 + 1)

    state = copy.deepcopy(DEFAULTS)
    state["levels"].append(Impl().run())
    return "%s %s %s %d" % (state["levels"], Color("g"), Color["RED"], len(Color))
`, opts...)
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 20 {
						got, err := s.Call(context.Background(), "process", starlark.MakeInt(i))
						if err != nil {
							errs <- err
							return
						}
						level := []string{"<Level.LOW: 1>", "<Level.HIGH: 2>"}[i%2]
						if want := fmt.Sprintf("[<Level.LOW: 1>, %s] Color.GREEN Color.RED 2", level); got != starlark.String(want) {
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
		})
	}
}
