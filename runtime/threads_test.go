package runtime_test

import (
	"bytes"
	"context"
	"strings"
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
