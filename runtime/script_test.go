package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/runtime"
)

// load loads src as "t.star" with opts, failing the test on error.
func load(t *testing.T, src string, opts ...runtime.Option) *runtime.Script {
	t.Helper()
	s, err := runtime.New(opts...).Load(context.Background(), "t.star", []byte(src))
	if err != nil {
		t.Fatalf("Load: %v\n%s", err, traceback(err))
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func traceback(err error) string {
	var se *runtime.ScriptError
	if errors.As(err, &se) {
		return se.Traceback()
	}
	return ""
}

// in is a fetched record as a consumer would hand it to Process.
func in(topic string, partition int32, offset int64, key, value string, headers ...kgo.RecordHeader) *kgo.Record {
	r := &kgo.Record{Topic: topic, Partition: partition, Offset: offset, Value: []byte(value), Headers: headers, Timestamp: time.UnixMilli(1700000000000)}
	if key != "" {
		r.Key = []byte(key)
	}
	return r
}

// show renders records as "topic/partition key=value [h=v ...] @ts".
func show(recs []*kgo.Record) string {
	var b strings.Builder
	for i, r := range recs {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s/%d %q=%q", r.Topic, r.Partition, r.Key, r.Value)
		for _, h := range r.Headers {
			fmt.Fprintf(&b, " %s=%q", h.Key, h.Value)
		}
		if !r.Timestamp.IsZero() {
			fmt.Fprintf(&b, " @%d", r.Timestamp.UnixMilli())
		}
	}
	return b.String()
}

// TestProcessResults checks every shape a process function may return
// and the records Process makes of it.
func TestProcessResults(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"drop", "return None", ""},
		{"unchanged", "return record", `in/2 "k"="v" a="1" @1700000000000`},
		{"header added", "return record._replace(headers=record.headers + [('seen', b'yes')])", `in/-1 "k"="v" a="1" seen="yes" @1700000000000`},
		{"value from str", "return record._replace(value=record.value.decode().upper())", `in/-1 "k"="V" a="1" @1700000000000`},
		{"routed", "return record._replace(topic='out-' + record.key.decode())", `out-k/-1 "k"="v" a="1" @1700000000000`},
		{"partition chosen", "return record._replace(partition=0)", `in/0 "k"="v" a="1" @1700000000000`},
		{"new ConsumerRecord", "return ConsumerRecord('x', 1, 0, 5, 0, None, b'n', [], None, -1, 1, -1)", `x/1 ""="n" @5`},
		{"dict", "return {'value': b'd', 'key': 'kk', 'headers': {'h': 'x'}}", `/-1 "kk"="d" h="x" @1700000000000`},
		{"dict with everything", "return {'topic': 't2', 'partition': 3, 'key': None, 'value': None, 'headers': [('h', None)], 'timestamp': 42}", `t2/3 ""="" h="" @42`},
		{"dict timestamp None", "return {'value': b'x', 'timestamp': None}", `/-1 ""="x"`},
		{"fan-out", "return [record, None, {'topic': 'audit', 'value': record.key}]", `in/2 "k"="v" a="1" @1700000000000; audit/-1 ""="k" @1700000000000`},
		{"tuple", "return (record._replace(value=b'1'), record._replace(value=b'2'))", `in/-1 "k"="1" a="1" @1700000000000; in/-1 "k"="2" a="1" @1700000000000`},
		{"empty list", "return []", ""},
		{"bytearray value and key", "return {'value': bytearray(b'ba'), 'key': bytearray(b'bk')}", `/-1 "bk"="ba" @1700000000000`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, "from kafka.consumer.fetcher import ConsumerRecord\ndef process(record):\n    "+tc.body+"\n")
			out, err := s.Process(context.Background(), "process", in("in", 2, 7, "k", "v", kgo.RecordHeader{Key: "a", Value: []byte("1")}))
			if err != nil {
				t.Fatalf("Process: %v\n%s", err, traceback(err))
			}
			// A record unchanged keeps its partition field, which
			// Process reports as AnyPartition unless changed.
			got := strings.ReplaceAll(show(out), "in/2 ", "in/-1 ")
			want := strings.ReplaceAll(tc.want, "in/2 ", "in/-1 ")
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// TestProcessErrors checks what a process function may not return, and
// that the error names the exception and points at the function.
func TestProcessErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body, wantName, wantMsg string
	}{
		{"int", "return 1", "TypeError", "process() returned int: want None, a ConsumerRecord, a dict or a list of them"},
		{"nested", "return [[record]]", "TypeError", "process() returned a nested list at index 0: want a flat list of records"},
		{"bad value", "return {'value': 3}", "TypeError", "process() returned a record whose value is int: want bytes, str or None"},
		{"bad key", "return record._replace(key=1.5)", "TypeError", "process() returned a record whose key is float: want bytes, str or None"},
		{"unknown dict key", "return {'valu': b'x'}", "ValueError", "process() returned a dict with the key 'valu': want topic, key, value, headers, partition or timestamp"},
		{"bad header", "return {'headers': [('a',)]}", "TypeError", "process() returned a header ('a',): want a (str, bytes) pair"},
		{"bad header key", "return {'headers': [(1, b'x')]}", "TypeError", "process() returned a header key of type int: want str"},
		{"bad timestamp", "return {'timestamp': 'now'}", "TypeError", "process() returned a record whose timestamp is str: want int (milliseconds) or None"},
		{"bad topic", "return {'topic': 5}", "TypeError", "process() returned a record whose topic is int: want str"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, "x = 1\ndef process(record):\n    "+tc.body+"\n")
			_, err := s.Process(context.Background(), "process", in("in", 0, 0, "", "v"))
			var se *runtime.ScriptError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *ScriptError", err)
			}
			if se.Name() != tc.wantName || se.Message() != tc.wantMsg {
				t.Errorf("got %s: %s\nwant %s: %s", se.Name(), se.Message(), tc.wantName, tc.wantMsg)
			}
			if want := "t.star:2: " + tc.wantName + ": "; !strings.HasPrefix(se.Error(), want) {
				t.Errorf("Error() = %q, want it to start with %q", se.Error(), want)
			}
			if tb := se.Traceback(); !strings.Contains(tb, `File "t.star", line 2`) {
				t.Errorf("traceback does not point at the function:\n%s", tb)
			}
		})
	}
}

// TestScriptErrors checks the exception name, message, position and
// traceback of errors raised by the script itself.
func TestScriptErrors(t *testing.T) {
	s := load(t, `
LIMITS = {"a": 1}

def limit(name):
    return LIMITS[name]

def check(n):
    if n < 0:
        fail("negative: %d" % n)
    return limit("b")
`)
	_, err := s.Call(context.Background(), "check", starlark.MakeInt(1))
	var se *runtime.ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a *ScriptError", err)
	}
	if se.Name() != "KeyError" || se.Message() != "'b'" || se.Error() != "t.star:5: KeyError: 'b'" {
		t.Errorf("got name %q message %q error %q", se.Name(), se.Message(), se.Error())
	}
	wantTB := `Traceback (most recent call last):
  File "t.star", line 10, in check
    return limit("b")
  File "t.star", line 5, in limit
    return LIMITS[name]
KeyError: 'b'
`
	if got := se.Traceback(); got != wantTB {
		t.Errorf("traceback:\n%s\nwant:\n%s", got, wantTB)
	}
	if got := runtime.FormatError(err); got != wantTB {
		t.Errorf("FormatError:\n%s", got)
	}

	_, err = s.Call(context.Background(), "check", starlark.MakeInt(-2))
	if !errors.As(err, &se) || se.Name() != "Exception" || se.Message() != "negative: -2" {
		t.Errorf("fail(): got %v", err)
	}
	_, err = s.Call(context.Background(), "nope")
	if !errors.As(err, &se) || se.Name() != "NameError" || se.Message() != "name 'nope' is not defined in t.star" {
		t.Errorf("unknown function: got %v", err)
	}
	_, err = s.Call(context.Background(), "LIMITS")
	if !errors.As(err, &se) || se.Name() != "TypeError" {
		t.Errorf("calling a dict: got %v", err)
	}
	var exc *py.Exception
	if !errors.As(err, &exc) {
		t.Errorf("the py.Exception is not reachable with errors.As")
	}
}

// TestLoadErrors checks errors of the top level: syntax, names, exceptions.
func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ src, name, msg string }{
		{"def f(:\n", "SyntaxError", "invalid syntax"},
		{"x = undefined_name\n", "NameError", "name 'undefined_name' is not defined"},
		{"x = 1 // 0\n", "ZeroDivisionError", "integer division or modulo by zero"},
		{"import nosuchmodule\n", "ModuleNotFoundError", "No module named 'nosuchmodule'"},
	} {
		_, err := runtime.New().Load(context.Background(), "bad.star", []byte(tc.src))
		var se *runtime.ScriptError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a *ScriptError", tc.src, err)
			continue
		}
		if se.Name() != tc.name || !strings.HasPrefix(se.Message(), tc.msg) || se.Position().Filename() != "bad.star" {
			t.Errorf("%q: got %s: %s at %s, want %s: %s", tc.src, se.Name(), se.Message(), se.Position(), tc.name, tc.msg)
		}
	}
}

// TestLoadRunsTopLevelOnce checks that the top level runs once, that
// __name__ is not "__main__", and print's output.
func TestLoadRunsTopLevelOnce(t *testing.T) {
	var out bytes.Buffer
	s := load(t, `
print("loading", __name__)
if __name__ == "__main__":
    print("main block")
def hello(who):
    print("hello", who)
    return len(who)
`, runtime.WithStdout(&out))
	for _, who := range []string{"a", "bb"} {
		if _, err := s.Call(context.Background(), "hello", starlark.String(who)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := out.String(), "loading t\nhello a\nhello bb\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	if !s.HasFunction("hello") || s.HasFunction("nothing") {
		t.Errorf("HasFunction is wrong")
	}
	if got := strings.Join(s.Globals(), ","); got != "hello" {
		t.Errorf("Globals() = %s", got)
	}
}

// TestConcurrentCalls calls process from many goroutines at once (run
// with -race): results are per call, globals shared.
func TestConcurrentCalls(t *testing.T) {
	var out bytes.Buffer
	s := load(t, `
import json
TABLE = {"a": "alpha", "b": "beta"}
def process(record):
    doc = json.loads(record.value)
    doc["name"] = TABLE.get(doc["id"], "?")
    total = 0
    for i in range(doc["n"]):
        total += i
    doc["total"] = total
    print(doc["id"])
    return record._replace(value=json.dumps(doc, sort_keys=True))
`, runtime.WithStdout(&out))
	const goroutines, perG = 8, 200
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < perG; i++ {
				id := []string{"a", "b", "c"}[(g+i)%3]
				n := g*perG + i
				rec := in("in", 0, int64(i), "", fmt.Sprintf(`{"id": %q, "n": %d}`, id, n%50))
				outs, err := s.Process(context.Background(), "process", rec)
				if err != nil {
					errs <- err
					return
				}
				name := map[string]string{"a": "alpha", "b": "beta", "c": "?"}[id]
				want := fmt.Sprintf(`{"id": %q, "n": %d, "name": %q, "total": %d}`, id, n%50, name, (n%50)*(n%50-1)/2)
				if len(outs) != 1 || string(outs[0].Value) != want {
					errs <- fmt.Errorf("got %s, want %s", show(outs), want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if lines := strings.Count(out.String(), "\n"); lines != goroutines*perG {
		t.Errorf("%d lines printed, want %d", lines, goroutines*perG)
	}
}

// TestCancelMidCall cancels calls stuck in a Starlark loop and in a
// blocking builtin; the script stays usable afterwards.
func TestCancelMidCall(t *testing.T) {
	s := load(t, `
import time
def spin(record):
    n = 0
    while True:
        n += 1
def nap(record):
    time.sleep(30)
def process(record):
    return record
`)
	for _, fn := range []string{"spin", "nap"} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := s.Process(ctx, fn, in("in", 0, 0, "", "v"))
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: cancellation took %v", fn, d)
		}
		var se *runtime.ScriptError
		if !errors.As(err, &se) || se.Name() != "CancelledError" || !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v (%T), want a CancelledError that is context.Canceled", fn, err, err)
		}
		if se != nil && !strings.Contains(se.Traceback(), "in "+fn) {
			t.Errorf("%s: traceback lacks the function:\n%s", fn, se.Traceback())
		}
	}
	if out, err := s.Process(context.Background(), "process", in("in", 0, 0, "", "v")); err != nil || len(out) != 1 {
		t.Errorf("after cancellations: %v %v", out, err)
	}
}

// TestCallTimeout bounds each call's wall-clock time.
func TestCallTimeout(t *testing.T) {
	s := load(t, `
import time
def slow(seconds):
    time.sleep(seconds)
    return "done"
`, runtime.WithCallTimeout(100*time.Millisecond))
	v, err := s.Call(context.Background(), "slow", starlark.Float(0.01))
	if err != nil || v != starlark.String("done") {
		t.Fatalf("a quick call: %v %v", v, err)
	}
	_, err = s.Call(context.Background(), "slow", starlark.MakeInt(10))
	var se *runtime.ScriptError
	if !errors.As(err, &se) || se.Name() != "TimeoutError" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a TimeoutError that is context.DeadlineExceeded", err)
	}
	if want := "the call took longer than its limit of 100ms"; se.Message() != want {
		t.Errorf("message %q, want %q", se.Message(), want)
	}
	// Each call gets the whole limit again.
	for i := 0; i < 3; i++ {
		if _, err := s.Call(context.Background(), "slow", starlark.Float(0.06)); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}

// TestMaxStepsPerCall checks that the step limit applies to each call.
func TestMaxStepsPerCall(t *testing.T) {
	s := load(t, `
def count(n):
    t = 0
    for i in range(n):
        t += i
    return t
`, runtime.WithMaxSteps(5000))
	for i := 0; i < 5; i++ { // would exceed the limit if steps accumulated
		if _, err := s.Call(context.Background(), "count", starlark.MakeInt(300)); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	_, err := s.Call(context.Background(), "count", starlark.MakeInt(100000))
	var se *runtime.ScriptError
	if !errors.As(err, &se) || !strings.Contains(se.Message(), "too many steps") {
		t.Errorf("got %v, want too many steps", err)
	}
}

// TestHostFunctions checks a host's predeclared function and module, and
// that a panic inside one becomes a RuntimeError with the script's
// traceback instead of crashing the host.
func TestHostFunctions(t *testing.T) {
	cache := map[string]string{"42": "Ada"}
	var mu sync.Mutex
	lookup := starlark.NewBuiltin("lookup", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var id string
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "id", &id); err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		if name, ok := cache[id]; ok {
			return starlark.String(name), nil
		}
		return starlark.None, nil
	})
	boom := starlark.NewBuiltin("boom", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		var m map[string]int
		//lint:ignore SA5000 the test needs a Go runtime panic inside a builtin
		m["x"] = 1 // a host bug: assignment to a nil map
		return starlark.None, nil
	})
	geo := &starlarkstruct.Module{Name: "geo", Members: starlark.StringDict{
		"country": starlark.NewBuiltin("country", func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
			return starlark.String("FR"), nil
		}),
		"crash": boom,
	}}
	s := load(t, `
import geo
from geo import crash
def process(record):
    name = lookup(record.key.decode())
    if name == None:
        return None
    return record._replace(value=name + "@" + geo.country())
def explode():
    return boom()
def explode_module():
    return crash()
`, runtime.WithPredeclared("lookup", lookup), runtime.WithPredeclared("boom", boom), runtime.WithModule("geo", geo))
	out, err := s.Process(context.Background(), "process", in("users", 0, 0, "42", ""))
	if err != nil || show(out) != `users/-1 "42"="Ada@FR" @1700000000000` {
		t.Errorf("got %s %v", show(out), err)
	}
	out, err = s.Process(context.Background(), "process", in("users", 0, 0, "7", ""))
	if err != nil || len(out) != 0 {
		t.Errorf("unknown id: got %s %v", show(out), err)
	}
	for _, fn := range []string{"explode", "explode_module"} {
		_, err = s.Call(context.Background(), fn)
		var se *runtime.ScriptError
		if !errors.As(err, &se) || se.Name() != "RuntimeError" || !strings.Contains(se.Message(), "assignment to entry in nil map") {
			t.Fatalf("%s: got %v, want a RuntimeError", fn, err)
		}
		if !strings.Contains(se.Traceback(), "in "+fn) {
			t.Errorf("%s: traceback lacks the script's frame:\n%s", fn, se.Traceback())
		}
	}
}

// TestScriptKafkaClients checks clients a script opens: one opened by the
// top level serves every call (calls then run one at a time, since
// clients are not safe for concurrent use; run with -race), and one a
// call opens is flushed and closed when the call returns.
func TestScriptKafkaClients(t *testing.T) {
	// WithParallelCalls too: calls sharing the top level's producer take
	// turns (run with -race).
	for name, opts := range map[string][]runtime.Option{"in turn": nil, "parallel": {runtime.WithParallelCalls()}} {
		t.Run(name, func(t *testing.T) {
			boot := testbroker.Bootstrap(t)
			shared, perCall := testbroker.UniqueName(t, "shared"), testbroker.UniqueName(t, "percall")
			s := load(t, fmt.Sprintf(`
from kafka import KafkaProducer
SHARED, PER_CALL = %q, %q
producer = KafkaProducer(linger_ms=50)
def process(record):
    producer.send(SHARED, record.value)
    return None
def once(value):
    p = KafkaProducer(linger_ms=10000)
    p.send(PER_CALL, value)   # no flush: the end of the call flushes
`, shared, perCall), append(opts, runtime.WithBootstrapServers(boot))...)
			var wg sync.WaitGroup
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					for i := 0; i < 25; i++ {
						if _, err := s.Process(context.Background(), "process", in("in", 0, 0, "", fmt.Sprint(g*25+i))); err != nil {
							t.Error(err)
							return
						}
					}
				}(g)
			}
			wg.Wait()
			if _, err := s.Call(context.Background(), "once", starlark.Bytes("x")); err != nil {
				t.Fatal(err)
			}
			if got := countRecords(t, boot, perCall, 1); got != 1 {
				t.Errorf("%d records from the call's producer, want 1", got)
			}
			if err := s.Close(); err != nil { // flushes the top level's producer
				t.Fatal(err)
			}
			if got := countRecords(t, boot, shared, 100); got != 100 {
				t.Errorf("%d records from the shared producer, want 100", got)
			}
			if _, err := s.Call(context.Background(), "once", starlark.Bytes("y")); err == nil || !strings.Contains(err.Error(), "t.star is closed") {
				t.Errorf("a call after Close: %v", err)
			}
		})
	}
}

// countRecords reads topic from the start until it has want records (or
// 30 s pass: under the race detector on a loaded machine, 5 s missed
// records that were there) and returns how many it read.
func countRecords(t *testing.T, boot, topic string, want int) int {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := 0
	for n < want && ctx.Err() == nil {
		n += len(cl.PollFetches(ctx).Records())
	}
	return n
}

// TestLoadUndefinedNameInFunction checks that a function reading a name
// nothing defines loads, and raises NameError (with CPython's "Did you
// mean") only when called, as in CPython.
func TestLoadUndefinedNameInFunction(t *testing.T) {
	s := load(t, "limit = 3\ndef check(n):\n    return n < limt\n")
	_, err := s.Call(context.Background(), "check", starlark.MakeInt(1))
	var se *runtime.ScriptError
	if !errors.As(err, &se) || se.Name() != "NameError" || se.Message() != "name 'limt' is not defined. Did you mean: 'limit'?" || se.Position().Line != 3 {
		t.Errorf("got %v", err)
	}
}

// A loaded Script and a REPL Session run the atexit handlers their code
// registered when closed, the last registered first, before generators
// left suspended close (as the kstar command does at a script's end).
func TestCloseRunsAtexitHandlers(t *testing.T) {
	src := `import atexit
def gen():
    try:
        yield 1
    finally:
        print('generator closed')
g = gen()
next(g)
atexit.register(print, 'registered first')
def register_more():
    atexit.register(print, 'registered by a call')
`
	var out bytes.Buffer
	s, err := runtime.New(runtime.WithStdout(&out)).Load(context.Background(), "t.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Call(context.Background(), "register_more"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := "registered by a call\nregistered first\ngenerator closed\n"
	if out.String() != want {
		t.Errorf("Script.Close printed %q, want %q", out.String(), want)
	}

	out.Reset()
	session := runtime.New(runtime.WithStdout(&out)).NewSession(nil)
	for _, chunk := range []string{src, "register_more()"} {
		if err := session.Exec(context.Background(), chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := session.Close(time.Second); err != nil {
		t.Fatal(err)
	}
	// The REPL echoes next(g) and register's result, as CPython's does.
	if want = "1\n<built-in function print>\n" + want; out.String() != want {
		t.Errorf("Session.Close printed %q, want %q", out.String(), want)
	}
}
