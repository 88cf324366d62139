package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	goruntime "runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/runtime"
)

// waitGoroutines waits until at most want goroutines run, or fails after
// a deadline: the bodies of ended generators return shortly after they
// are told to.
func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for goruntime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines still run, want at most %d", goruntime.NumGoroutine(), want)
		}
		goruntime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// goroutinesAfterWarmup is how many goroutines run once the runtime's own
// (started by the first execution) run: the baseline of the tests below.
func goroutinesAfterWarmup(t *testing.T) int {
	t.Helper()
	if err := runtime.New().ExecFile(context.Background(), "warm.py", []byte("pass"), nil); err != nil {
		t.Fatal(err)
	}
	return goruntime.NumGoroutine()
}

// A generator left suspended holds a goroutine: it ends when the
// execution ends, and when the generator becomes garbage while the
// execution runs (the script asks the host to wait for that, with the
// interpreter lock released as a blocking call releases it). Either way
// its finally block runs, once: closed as garbage, or at exit.
func TestGeneratorGoroutinesEnd(t *testing.T) {
	before := goroutinesAfterWarmup(t)
	waitCollected := starlark.NewBuiltin("wait_collected", func(thread *starlark.Thread, _ *starlark.Builtin, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
		py.Unlocked(thread, func() {
			waitGoroutines(t, before+5) // the suspended generator kept in `kept`, and a margin
		})
		return starlark.None, nil
	})
	var out bytes.Buffer
	rt := runtime.New(runtime.WithStdout(&out), runtime.WithPredeclared("wait_collected", waitCollected))
	src := `
def gen(i):
    try:
        while True:
            yield i
    finally:
        print("closed", i)

kept = gen(-1)
next(kept)
for i in range(200):
    g = gen(i)
    next(g)
g = None
wait_collected()
held = [gen(i) for i in range(200, 300)]
for g in held:
    next(g)
print("done")
`
	if err := rt.ExecFile(context.Background(), "gen.py", []byte(src), nil); err != nil {
		t.Fatalf("%v\n%s", runtime.FormatError(err), out.String())
	}
	waitGoroutines(t, before)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	closed := map[string]int{}
	for _, line := range lines {
		closed[line]++
	}
	for i := -1; i < 300; i++ {
		if n := closed[fmt.Sprint("closed ", i)]; n != 1 {
			t.Errorf("generator %d closed %d times", i, n)
		}
	}
	if len(lines) != 302 || closed["done"] != 1 {
		t.Errorf("output:\n%s", out.String())
	}
	// At exit, the generators the script holds close after "done", in
	// CPython's order: kept, then the list's from its end.
	if !strings.Contains(out.String(), "done\nclosed -1\nclosed 299\nclosed 298\n") {
		t.Errorf("exit order:\n%s", out.String())
	}
}

// Cancelling the execution, or running out of steps, while a generator's
// body runs stops the body too: the script ends instead of hanging.
func TestGeneratorBodyStops(t *testing.T) {
	src := `
def spin():
    n = 0
    while True:
        n += 1
        if n < 0:
            yield n

next(spin())
`
	for _, tc := range []struct {
		name string
		opts []runtime.Option
		ctx  func() (context.Context, context.CancelFunc)
		want string
	}{
		{"cancelled", []runtime.Option{runtime.WithoutLimits()}, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 200*time.Millisecond)
		}, "TimeoutError"},
		{"step limit", []runtime.Option{runtime.WithMaxSteps(100000)}, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Minute)
		}, "steps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := runtime.New(tc.opts...).ExecFile(context.Background(), "warm.py", []byte("pass"), nil); err != nil {
				t.Fatal(err)
			}
			before := goruntime.NumGoroutine()
			ctx, cancel := tc.ctx()
			defer cancel()
			rt := runtime.New(tc.opts...)
			err := rt.ExecFile(ctx, "spin.py", []byte(src), nil)
			if err == nil {
				t.Fatal("the script ended without an error")
			}
			if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) || !strings.Contains(runtime.FormatError(err), tc.want) {
				t.Errorf("error:\n%s\nwant it to mention %q", runtime.FormatError(err), tc.want)
			}
			waitGoroutines(t, before)
		})
	}
}

// The stacks of unfinished generators count against the memory limit
// (16 KiB each): a script that keeps suspended generators gets a
// MemoryError after about 4000 within 64 MiB; counting only the heap, it
// would make eight times as many, and a million would take gigabytes of
// stacks.
func TestGeneratorStacksCountAsMemory(t *testing.T) {
	var out bytes.Buffer
	rt := runtime.New(runtime.WithMaxMemory(64<<20), runtime.WithStdout(&out))
	src := `
def gen():
    yield 1

held = []
for i in range(1000000):
    g = gen()
    next(g)
    held.append(g)
    if i % 1000 == 0:
        print(i)
`
	err := rt.ExecFile(context.Background(), "many.py", []byte(src), nil)
	if err == nil || !strings.Contains(runtime.FormatError(err), "MemoryError") {
		t.Fatalf("got %v, want a MemoryError", err)
	}
	lines := strings.Fields(out.String())
	if len(lines) == 0 || len(lines) > 5 {
		t.Errorf("made %d thousand generators before the MemoryError, want 1 to 5", len(lines))
	}
}

// An error in a generator's body shows, as in CPython's traceback, the
// frames of the code that stepped the generator, then the body's, through
// every yield from.
func TestGeneratorTraceback(t *testing.T) {
	src := `def inner():
    yield 1
    raise KeyError("k")

def outer():
    yield from inner()

def main():
    return list(outer())

main()
`
	err := runtime.New().ExecFile(context.Background(), "tb.py", []byte(src), nil)
	want := `Traceback (most recent call last):
  File "tb.py", line 11, in <module>
    main()
  File "tb.py", line 9, in main
    return list(outer())
  File "tb.py", line 6, in outer
    yield from inner()
  File "tb.py", line 3, in inner
    raise KeyError("k")
KeyError: 'k'
`
	if got := runtime.FormatError(err); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A loaded script's generator, kept in its module state, goes on where it
// stopped from one call to the next, and ends when the script is closed
// (the collector cannot end it: its function's module refers to it).
func TestGeneratorAcrossScriptCalls(t *testing.T) {
	before := goroutinesAfterWarmup(t)
	src := `
def ids():
    n = 0
    while True:
        yield n
        n += 1

source = ids()

def next_id():
    return next(source)
`
	s, err := runtime.New().Load(context.Background(), "ids.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for want := 0; want < 3; want++ {
		v, err := s.Call(context.Background(), "next_id")
		if err != nil {
			t.Fatal(err)
		}
		if v.String() != fmt.Sprint(want) {
			t.Errorf("call %d: got %s", want, v)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	waitGoroutines(t, before)
}

// In a Session (the REPL) a generator made by one input is stepped by the
// next ones, and is closed (its finally runs) when the session is closed.
func TestGeneratorAcrossSessionInputs(t *testing.T) {
	before := goroutinesAfterWarmup(t)
	var out bytes.Buffer
	s := runtime.New(runtime.WithStdout(&out)).NewSession(nil)
	for _, src := range []string{
		"def ids():\n    n = 0\n    try:\n        while True:\n            yield n\n            n += 1\n    finally:\n        print('closed at', n)\n",
		"source = ids()",
		"print(next(source))",
		"print(next(source), next(source))",
	} {
		if err := s.Exec(context.Background(), src); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
	}
	if err := s.Close(time.Second); err != nil {
		t.Fatal(err)
	}
	if out.String() != "0\n1 2\nclosed at 2\n" {
		t.Errorf("output %q", out.String())
	}
	waitGoroutines(t, before)
}

// Ctrl-C while a generator's body runs raises KeyboardInterrupt in the
// body, which the code that stepped the generator can catch, as in
// CPython.
func TestGeneratorBodyInterrupted(t *testing.T) {
	signals := runtime.NewSignals()
	out := newLineWatcher("spinning\n")
	rt := runtime.New(runtime.WithStdout(out), runtime.WithSignals(signals))
	go func() {
		<-out.seen
		signals.Send(syscall.SIGINT)
	}()
	err := rt.ExecFile(context.Background(), "spin.py", []byte(`
def spin():
    print("spinning")
    n = 0
    while True:
        n += 1
        if n < 0:
            yield n

try:
    next(spin())
except KeyboardInterrupt:
    print("interrupted")
`), nil)
	if err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	if got := out.String(); got != "spinning\ninterrupted\n" {
		t.Errorf("output %q", got)
	}
}

// A loaded Script's suspended generators close when the host closes it:
// their finally blocks run, in CPython's exit order, and their goroutines
// end.
func TestScriptCloseClosesGenerators(t *testing.T) {
	before := goroutinesAfterWarmup(t)
	var out bytes.Buffer
	src := `
def gen(name):
    try:
        yield 1
    finally:
        print("closed", name)

loaded = gen("at load")
next(loaded)
made = []

def make(name):
    g = gen(name)
    next(g)
    made.append(g)
`
	s, err := runtime.New(runtime.WithStdout(&out)).Load(context.Background(), "gens.py", []byte(src))
	if err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	for _, name := range []string{"call 1", "call 2"} {
		if _, err := s.Call(context.Background(), "make", starlark.String(name)); err != nil {
			t.Fatal(runtime.FormatError(err))
		}
	}
	if out.Len() != 0 {
		t.Fatalf("closed before Close: %q", out.String())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if want := "closed at load\nclosed call 2\nclosed call 1\n"; out.String() != want {
		t.Errorf("Close printed %q, want %q", out.String(), want)
	}
	waitGoroutines(t, before)
}

// An exception that a generator closed at exit raises is printed as
// CPython prints it, and the other generators still close.
func TestGeneratorExceptionsAtExit(t *testing.T) {
	src := `
def fails():
    try:
        yield 1
    finally:
        raise ValueError("in finally")

def ignores():
    try:
        yield 1
    finally:
        yield 2

def fine():
    try:
        yield 1
    finally:
        print("fine closed")

a = fails()
next(a)
b = ignores()
next(b)
c = fine()
next(c)
print("end")
`
	var out bytes.Buffer
	rt := runtime.New(runtime.WithStdout(&out), runtime.WithStderr(&out))
	if err := rt.ExecFile(context.Background(), "exit.py", []byte(src), nil); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	want := `end
Exception ignored in: <generator object fails at 0xADDR>
Traceback (most recent call last):
  File "exit.py", line 6, in fails
    raise ValueError("in finally")
ValueError: in finally
Exception ignored in: <generator object ignores at 0xADDR>
RuntimeError: generator ignored GeneratorExit
fine closed
`
	if got := regexp.MustCompile(`0x[0-9a-f]+`).ReplaceAllString(out.String(), "0xADDR"); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// Generators that became garbage while the script held the interpreter
// lock close at exit, in the order they started, though the cleanups
// that would close them wait for the lock: exit does not wait for those
// (no deadlock) and no finally runs twice.
func TestGeneratorGarbageClosedAtExit(t *testing.T) {
	collect := starlark.NewBuiltin("collect", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		// Hold the lock until a cleanup's goroutine waits for it.
		n := goruntime.NumGoroutine()
		deadline := time.Now().Add(20 * time.Second)
		for goruntime.NumGoroutine() <= n {
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("no generator was collected")
			}
			goruntime.GC()
			time.Sleep(time.Millisecond)
		}
		return starlark.None, nil
	})
	var out bytes.Buffer
	rt := runtime.New(runtime.WithStdout(&out), runtime.WithPredeclared("collect", collect))
	src := `
def gen(i):
    try:
        yield i
    finally:
        print("closed", i)

for i in range(5):
    g = gen(i)
    next(g)
g = None
collect()
print("end")
`
	done := make(chan error, 1)
	go func() { done <- rt.ExecFile(context.Background(), "garbage.py", []byte(src), nil) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(runtime.FormatError(err))
		}
	case <-time.After(time.Minute):
		t.Fatal("the script did not end")
	}
	if want := "end\nclosed 0\nclosed 1\nclosed 2\nclosed 3\nclosed 4\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// A generator its for loop made is closed when the loop ends, and an
// exception its finally block raises is printed as CPython prints it
// there ("Exception ignored in", the traceback from the body), not
// raised: the script goes on, and an exception leaving the loop goes on
// to its except clause. (For a body that ignores GeneratorExit, CPython
// also prints the traceback of the loop's line.)
func TestGeneratorExceptionsOnLoopExit(t *testing.T) {
	src := `
def fails():
    try:
        yield 1
    finally:
        raise ValueError("in finally")

def ignores():
    try:
        yield 1
    finally:
        yield 2

for x in fails():
    break
print("after fails")
for x in ignores():
    break
print("after ignores")
try:
    for x in fails():
        raise KeyError("in loop")
except KeyError as e:
    print("caught", repr(e))
`
	var out bytes.Buffer
	rt := runtime.New(runtime.WithStdout(&out), runtime.WithStderr(&out))
	if err := rt.ExecFile(context.Background(), "loop.py", []byte(src), nil); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	want := `Exception ignored in: <generator object fails at 0xADDR>
Traceback (most recent call last):
  File "loop.py", line 6, in fails
    raise ValueError("in finally")
ValueError: in finally
after fails
Exception ignored in: <generator object ignores at 0xADDR>
RuntimeError: generator ignored GeneratorExit
after ignores
Exception ignored in: <generator object fails at 0xADDR>
Traceback (most recent call last):
  File "loop.py", line 6, in fails
    raise ValueError("in finally")
ValueError: in finally
caught KeyError('in loop')
`
	if got := regexp.MustCompile(`0x[0-9a-f]+`).ReplaceAllString(out.String(), "0xADDR"); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
