package runtime_test

import (
	"bytes"
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/runtime"
)

// runThreads runs src as t.py and returns its stdout, its stderr and the
// formatted error.
func runThreads(t *testing.T, src string, opts ...runtime.Option) (stdout, stderr, errText string) {
	t.Helper()
	var out, errOut bytes.Buffer
	opts = append([]runtime.Option{runtime.WithStdout(&out), runtime.WithStderr(&errOut)}, opts...)
	err := runtime.New(opts...).ExecFile(context.Background(), "t.py", []byte(src), []string{"t.py"})
	return out.String(), errOut.String(), runtime.FormatError(err)
}

// TestThreadException: an exception that ends a thread is printed as
// CPython's threading.excepthook prints it (without threading.py's own
// frames), the thread ends and the script goes on; SystemExit in a
// thread ends it silently.
func TestThreadException(t *testing.T) {
	stdout, stderr, errText := runThreads(t, `import threading, sys
def worker(x):
    return 1 // x
t = threading.Thread(target=worker, args=(0,))
t.start()
t.join()
q = threading.Thread(target=sys.exit, args=(3,))
q.start()
q.join()
print("after", t.is_alive(), q.is_alive())
`)
	want := `Exception in thread Thread-1 (worker):
Traceback (most recent call last):
  File "t.py", line 3, in worker
    return 1 // x
ZeroDivisionError: integer division or modulo by zero
`
	if stdout != "after False False\n" || stderr != want || errText != "" {
		t.Errorf("stdout %q\nstderr:\n%s\nerror %q\nwant stderr:\n%s", stdout, stderr, errText, want)
	}
}

// TestDaemonThreadStopped: the script ends while a daemon thread waits
// for ever; it is stopped, and prints nothing.
func TestDaemonThreadStopped(t *testing.T) {
	start := time.Now()
	stdout, stderr, errText := runThreads(t, `import threading
never = threading.Event()
def wait():
    never.wait()
    print("daemon woke")
threading.Thread(target=wait, daemon=True).start()
print("main ends")
`, runtime.WithCallTimeout(time.Minute))
	if stdout != "main ends\n" || stderr != "" || errText != "" {
		t.Errorf("stdout %q, stderr %q, error %q", stdout, stderr, errText)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the script took %s: it waited for its daemon thread", d)
	}
}

// TestThreadOutlivesTimeout: the main thread waits at exit for a thread
// that is not daemon until the call timeout stops the execution.
func TestThreadOutlivesTimeout(t *testing.T) {
	_, stderr, errText := runThreads(t, `import threading
never = threading.Event()
threading.Thread(target=never.wait).start()
print("main ends")
`, runtime.WithCallTimeout(200*time.Millisecond))
	if !strings.HasSuffix(strings.TrimSpace(errText), "TimeoutError: the call took longer than its limit of 200ms") || stderr != "" {
		t.Errorf("error %q, stderr %q", errText, stderr)
	}
}

// TestSessionThreadOutlivesChunk: a thread started by one REPL chunk
// keeps running (and waiting) after the chunk ends, as in CPython's REPL;
// Close waits for a thread that is not daemon, at most its timeout.
func TestSessionThreadOutlivesChunk(t *testing.T) {
	var out bytes.Buffer
	s := runtime.New(runtime.WithStdout(&out), runtime.WithStderr(&out), runtime.WithoutLimits()).NewSession(nil)
	chunks := []string{
		"import threading\nev = threading.Event()\ndef w():\n    ev.wait()\n    print('woke')\nt = threading.Thread(target=w)\nt.start()\n",
		"ev.set()\nt.join()\nprint(t.is_alive())\n",
		"last = threading.Event()\ndef tail():\n    last.wait()\nthreading.Thread(target=tail).start()\nthreading.Timer(0.001, last.set).start()\n",
	}
	for _, chunk := range chunks {
		if err := s.Exec(context.Background(), chunk); err != nil {
			t.Fatalf("%s: %v", chunk, runtime.FormatError(err))
		}
	}
	if err := s.Close(time.Minute); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	if got := out.String(); got != "woke\nFalse\n" {
		t.Errorf("the session printed %q", got)
	}
}

// TestSignalHandlerOnMainThread: a signal's handler runs on the main
// thread (waiting in join), as CPython's, not on a thread that is busy
// computing; when it returns, join waits on.
func TestSignalHandlerOnMainThread(t *testing.T) {
	signals := runtime.NewSignals()
	out := newLineWatcher("spinning\n")
	rt := runtime.New(runtime.WithStdout(out), runtime.WithStderr(out), runtime.WithSignals(signals), runtime.WithoutLimits())
	go func() {
		<-out.seen
		signals.Send(syscall.SIGINT)
	}()
	err := rt.ExecFile(context.Background(), "t.py", []byte(`import signal, threading
stop = [False]
started = threading.Event()
def handler(signum, frame):
    print("handler on", threading.current_thread().name)
    stop[0] = True
signal.signal(signal.SIGINT, handler)
def spin():
    started.set()
    n = 0
    while not stop[0]:
        n += 1
t = threading.Thread(target=spin)
t.start()
started.wait()
print("spinning")
t.join()
print("joined", t.is_alive())
`), nil)
	if got, want := out.String()+runtime.FormatError(err), "spinning\nhandler on MainThread\njoined False\n"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
