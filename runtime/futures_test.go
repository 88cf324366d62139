package runtime_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/runtime"
)

// TestFuturesPoolSendsToKafka: a pool of workers sends records with one
// producer, each worker waiting for its record's metadata, as scripts do
// to send faster than one get() at a time; every record arrives once.
func TestFuturesPoolSendsToKafka(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	topic := testbroker.UniqueName(t, "pool")
	src := fmt.Sprintf(`from concurrent.futures import ThreadPoolExecutor, as_completed
from kafka import KafkaProducer, KafkaConsumer

producer = KafkaProducer()

def send(i):
    md = producer.send(%[1]q, value=b'record-%%d' %% i, key=str(i %% 7).encode()).get(timeout=30)
    return md.topic

with ThreadPoolExecutor(max_workers=8) as pool:
    fs = [pool.submit(send, i) for i in range(300)]
    topics = set(f.result() for f in as_completed(fs, timeout=60))
producer.close()
print(topics)

consumer = KafkaConsumer(%[1]q, auto_offset_reset='earliest', consumer_timeout_ms=3000)
values = [m.value for m in consumer]
consumer.close()
print(len(values), len(set(values)), sorted(values) == sorted(b'record-%%d' %% i for i in range(300)))
`, topic)
	stdout, stderr, errText := runThreads(t, src, runtime.WithBootstrapServers(boot), runtime.WithCallTimeout(2*time.Minute))
	want := fmt.Sprintf("{'%s'}\n300 300 True\n", topic)
	if stdout != want || stderr != "" || errText != "" {
		t.Errorf("stdout %q, want %q\nstderr %q\nerror %s", stdout, want, stderr, errText)
	}
}

// TestFuturesErrorsPrinted: what a pool's initializer or a done
// callback raises is printed as CPython's logger prints it (without
// concurrent.futures' own frames); a pool whose initializer raised fails
// its calls with BrokenThreadPool, a callback's exception goes no
// further.
func TestFuturesErrorsPrinted(t *testing.T) {
	for _, tc := range []struct{ name, src, wantOut, wantErr string }{{
		name: "initializer",
		src: `from concurrent.futures import ThreadPoolExecutor
def init():
    raise OSError("no connection")
pool = ThreadPoolExecutor(max_workers=1, initializer=init)
try:
    pool.submit(len, "x").result()
except Exception as e:
    print(repr(e))
`,
		wantOut: "BrokenThreadPool('A thread initializer failed, the thread pool is not usable anymore')\n",
		wantErr: `Exception in initializer:
Traceback (most recent call last):
  File "t.py", line 3, in init
    raise OSError("no connection")
OSError: no connection
`,
	}, {
		name: "callback",
		src: `from concurrent.futures import ThreadPoolExecutor
def bad(f):
    raise KeyError(f.result())
with ThreadPoolExecutor(1) as p:
    f = p.submit(len, "ab")
    f.result()
    f.add_done_callback(bad)
print("end")
`,
		wantOut: "end\n",
		wantErr: `exception calling callback for <Future at 0x<ADDR> state=finished returned int>
Traceback (most recent call last):
  File "t.py", line 7, in <module>
    f.add_done_callback(bad)
  File "t.py", line 3, in bad
    raise KeyError(f.result())
KeyError: 2
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, errText := runThreads(t, tc.src)
			if stdout != tc.wantOut || Normalise(stderr) != tc.wantErr || errText != "" {
				t.Errorf("stdout %q\nstderr:\n%s\nerror %q", stdout, stderr, errText)
			}
		})
	}
}

// TestFuturesWaitsEndWithCancellation: result(), as_completed, wait and
// shutdown waiting for a call that never ends stop at the host's
// cancellation, and the execution ends.
func TestFuturesWaitsEndWithCancellation(t *testing.T) {
	for _, waitFor := range []string{
		"f.result()",
		"f.exception()",
		"list(as_completed([f]))",
		"wait([f])",
		"pool.shutdown()",
		"list(pool.map(never.wait, [None]))",
	} {
		t.Run(waitFor, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			src := `import threading
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
never = threading.Event()
pool = ThreadPoolExecutor(max_workers=2)
f = pool.submit(never.wait)
` + waitFor + "\n"
			done := make(chan error, 1)
			go func() {
				done <- runtime.New(runtime.WithStdout(&strings.Builder{}), runtime.WithStderr(&strings.Builder{})).ExecFile(ctx, "t.py", []byte(src), nil)
			}()
			select {
			case err := <-done:
				if err == nil {
					t.Fatal("the script ended without an error")
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the execution did not end after its context did")
			}
		})
	}
}

// TestFuturesResultTraceback: an exception result() raises again has
// the waiting thread's frames, then the call's, as CPython's traceback
// (less concurrent.futures' own frames); the exception() value's
// traceback is the call's. A Go error of Starlark's (division by zero)
// too, which before showed the call's frames only.
func TestFuturesResultTraceback(t *testing.T) {
	stdout, stderr, errText := runThreads(t, `import traceback
from concurrent.futures import ThreadPoolExecutor
def inner(x):
    return 1 // x
def boom(x):
    return inner(x)
p = ThreadPoolExecutor(2)
f = p.submit(boom, 0)
print("".join(traceback.format_exception(f.exception())), end="")
f.result()
`)
	call := `  File "t.py", line 6, in boom
    return inner(x)
  File "t.py", line 4, in inner
    return 1 // x
ZeroDivisionError: integer division or modulo by zero
`
	wantOut := "Traceback (most recent call last):\n" + call
	wantErr := "Traceback (most recent call last):\n  File \"t.py\", line 10, in <module>\n    f.result()\n" + call
	if stdout != wantOut || errText != wantErr || stderr != "" {
		t.Errorf("stdout:\n%s\nerror:\n%s\nstderr %q", stdout, errText, stderr)
	}
}
