package runtime_test

import (
	"context"
	"strings"
	"sync"
	"syscall"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/runtime"
)

// lineWatcher is an output writer that closes seen once want was written.
type lineWatcher struct {
	mu   sync.Mutex
	out  strings.Builder
	want string
	seen chan struct{}
}

func newLineWatcher(want string) *lineWatcher {
	return &lineWatcher{want: want, seen: make(chan struct{})}
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.out.String(), w.want)
	w.out.Write(p)
	if !had && strings.Contains(w.out.String(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *lineWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.String()
}

// A handler installed with signal.signal runs when the host sends the
// signal, on the script's thread; when it returns, the call it
// interrupted is made again, so time.sleep still sleeps. Send reports
// whether a script took the signal: not once none runs, nor for a signal
// no script handles.
func TestSignalHandlerResumesTheInterruptedCall(t *testing.T) {
	signals := runtime.NewSignals()
	out := newLineWatcher("sleeping\n")
	rt := runtime.New(runtime.WithStdout(out), runtime.WithSignals(signals))
	took := make(chan [2]bool, 1)
	go func() {
		<-out.seen
		took <- [2]bool{signals.Send(syscall.SIGTERM), signals.Send(syscall.SIGHUP)}
	}()
	err := rt.ExecFile(context.Background(), "resume.py", []byte(`
import signal, time
signal.signal(signal.SIGTERM, lambda signum, frame: print("handler", signum))
print("sleeping")
time.sleep(0.2)
print("slept")
`), nil)
	if err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	if got, want := out.String(), "sleeping\nhandler 15\nslept\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	if sent := <-took; !sent[0] || sent[1] {
		t.Errorf("Send(SIGTERM) = %v, Send(SIGHUP) = %v; want true (handled), false (no handler)", sent[0], sent[1])
	}
	if signals.Send(syscall.SIGINT) {
		t.Error("Send(SIGINT) with no execution running = true, want false")
	}
}

// A signal the script raises itself and has no handler for ends it with
// status 128+signum, without a traceback, and without running finally,
// as CPython's process is killed by it. Without WithSignals, handlers
// still run for raise_signal.
func TestRaiseSignalWithoutHandler(t *testing.T) {
	var out strings.Builder
	rt := runtime.New(runtime.WithStdout(&out), runtime.WithStderr(&out))
	err := rt.ExecFile(context.Background(), "term.py", []byte(`
import signal
signal.signal(signal.SIGHUP, lambda signum, frame: print("handled", signum))
signal.raise_signal(signal.SIGHUP)
try:
    signal.raise_signal(signal.SIGTERM)
except BaseException:
    print("caught")
finally:
    print("finally")
`), nil)
	if code := runtime.ExitCode(err); code != 143 {
		t.Errorf("exit status %d, want 143", code)
	}
	if got := out.String() + runtime.FormatError(err); got != "handled 1\n" {
		t.Errorf("output %q, want only the SIGHUP handler's line", got)
	}
}

// A Ctrl-C that comes while the previous one still waits for a safe
// point stops the script, as cancelling its context does: here the
// script is in a host function that never looks, so the first SIGINT is
// not delivered before the second comes.
func TestSecondInterruptStops(t *testing.T) {
	signals := runtime.NewSignals()
	out := newLineWatcher("blocked\n")
	release := make(chan struct{})
	block := starlark.NewBuiltin("block", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		<-release
		return starlark.None, nil
	})
	rt := runtime.New(runtime.WithStdout(out), runtime.WithSignals(signals), runtime.WithoutLimits(),
		runtime.WithPredeclared("block", block))
	go func() {
		<-out.seen
		signals.Send(syscall.SIGINT)
		signals.Send(syscall.SIGINT)
		close(release)
	}()
	err := rt.ExecFile(context.Background(), "stuck.py", []byte(`
print("blocked")
block()
n = 0
while True:
    n += 1
`), nil)
	if code := runtime.ExitCode(err); code != 130 || !strings.HasSuffix(runtime.FormatError(err), "KeyboardInterrupt\n") {
		t.Errorf("exit %d, error %q; want 130 and KeyboardInterrupt", code, runtime.FormatError(err))
	}
}

// A SIGINT that a REPL chunk did not reach a safe point for before it
// ended is dropped with the chunk: the next chunk does not start with a
// KeyboardInterrupt.
func TestSignalDoesNotOutliveItsExecution(t *testing.T) {
	signals := runtime.NewSignals()
	interruptMe := starlark.NewBuiltin("interrupt_me", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		signals.Send(syscall.SIGINT)
		return starlark.None, nil
	})
	var out strings.Builder
	rt := runtime.New(runtime.WithStdout(&out), runtime.WithSignals(signals), runtime.WithPredeclared("interrupt_me", interruptMe))
	session := rt.NewSession(nil)
	for _, chunk := range []string{"interrupt_me()\n", "import time\ntime.sleep(0.01)\nprint('slept')\n"} {
		if err := session.Exec(context.Background(), chunk); err != nil {
			t.Fatalf("%q: %s", chunk, runtime.FormatError(err))
		}
	}
	if out.String() != "slept\n" {
		t.Errorf("output %q, want slept", out.String())
	}
}

// An exception raised while a SIGINT waits for delivery is caught as
// usual; the KeyboardInterrupt comes at the handler's first statement,
// as in CPython (which checks for signals between bytecodes).
func TestExceptionWhileSignalWaits(t *testing.T) {
	signals := runtime.NewSignals()
	interruptThenFail := starlark.NewBuiltin("interrupt_then_fail", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		signals.Send(syscall.SIGINT)
		return nil, py.Errorf(py.ValueError, "bad value")
	})
	var out strings.Builder
	rt := runtime.New(runtime.WithStdout(&out), runtime.WithSignals(signals), runtime.WithPredeclared("interrupt_then_fail", interruptThenFail))
	err := rt.ExecFile(context.Background(), "both.py", []byte(`
try:
    try:
        interrupt_then_fail()
    except ValueError:
        print("caught ValueError")
except KeyboardInterrupt:
    print("then KeyboardInterrupt")
`), nil)
	if err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	if got := out.String(); got != "then KeyboardInterrupt\n" {
		t.Errorf("output %q, want only the KeyboardInterrupt handler's line", got)
	}
}

// A Ctrl-C that stops the script (here a second one before the first
// was delivered) still runs its atexit handlers, as CPython runs them
// after KeyboardInterrupt: the traceback is printed first, and the
// returned error then formats as nothing, keeping its exit status.
func TestInterruptRunsAtexitHandlers(t *testing.T) {
	signals := runtime.NewSignals()
	out := newLineWatcher("blocked\n")
	release := make(chan struct{})
	block := starlark.NewBuiltin("block", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		<-release
		return starlark.None, nil
	})
	rt := runtime.New(runtime.WithStdout(out), runtime.WithStderr(out), runtime.WithSignals(signals), runtime.WithoutLimits(),
		runtime.WithPredeclared("block", block))
	go func() {
		<-out.seen
		signals.Send(syscall.SIGINT)
		signals.Send(syscall.SIGINT)
		close(release)
	}()
	err := rt.ExecFile(context.Background(), "stuck.py", []byte(`
import atexit
atexit.register(print, "handler ran")
print("blocked")
block()
while True:
    pass
`), nil)
	if code := runtime.ExitCode(err); code != 130 || runtime.FormatError(err) != "" {
		t.Errorf("exit %d, error %q; want 130 and nothing more to print", code, runtime.FormatError(err))
	}
	if got := out.String(); !strings.HasPrefix(got, "blocked\nTraceback (most recent call last):\n") || !strings.HasSuffix(got, "KeyboardInterrupt\nhandler ran\n") {
		t.Errorf("printed\n%s\nwant the KeyboardInterrupt traceback, then the handler's line", got)
	}
}
