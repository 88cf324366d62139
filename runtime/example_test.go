package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/runtime"
)

// Running a script once, as the kstar command does: print goes to the
// host's writer, and an error formats as Python's traceback.
func ExampleRuntime_ExecFile() {
	rt := runtime.New(runtime.WithStdout(os.Stdout))
	src := []byte(`
import json
order = json.loads('{"id": 7, "items": [3, 4]}')
print(f"order {order['id']}: {sum(order['items'])} items")
print(order["customer"])
`)
	err := rt.ExecFile(context.Background(), "order.star", src, []string{"order.star"})
	fmt.Print(runtime.FormatError(err))
	// Output:
	// order 7: 7 items
	// Traceback (most recent call last):
	//   File "order.star", line 5, in <module>
	//     print(order["customer"])
	// KeyError: 'customer'
}

// Loading a script once and calling its process function for each
// record: it returns None to drop a record, a record to produce, or a
// list of records to fan out. Calls are safe from many goroutines.
func ExampleScript_Process() {
	rt := runtime.New()
	script, err := rt.Load(context.Background(), "transform.star", []byte(`
import json

def process(record):
    event = json.loads(record.value)
    if event["type"] == "heartbeat":
        return None                                   # drop
    enriched = record._replace(
        value=json.dumps({"user": event["user"], "amount_cents": int(event["amount"] * 100)}),
        headers=record.headers + [("source", b"kstar")],
    )
    if event["amount"] > 1000:
        return [enriched, {"topic": "alerts", "key": record.key, "value": b"big payment"}]
    return enriched
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	for _, value := range []string{
		`{"type": "heartbeat"}`,
		`{"type": "payment", "user": "ada", "amount": 12.5}`,
		`{"type": "payment", "user": "bob", "amount": 5000}`,
	} {
		in := &kgo.Record{Topic: "payments", Key: []byte("k1"), Value: []byte(value)}
		out, err := script.Process(context.Background(), "process", in)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d record(s)\n", len(out))
		for _, r := range out {
			fmt.Printf("  %s %s %s headers=%d\n", r.Topic, r.Key, r.Value, len(r.Headers))
		}
	}
	// Output:
	// 0 record(s)
	// 1 record(s)
	//   payments k1 {"user": "ada", "amount_cents": 1250} headers=1
	// 2 record(s)
	//   payments k1 {"user": "bob", "amount_cents": 500000} headers=1
	//   alerts k1 big payment headers=0
}

// Every error a Script returns is a *runtime.ScriptError: the exception's
// name and message, where the script raised it, and the traceback CPython
// would print. A cancelled call or one past its deadline also matches
// the context's error.
func ExampleScriptError() {
	script, err := runtime.New().Load(context.Background(), "transform.star", []byte(`
def process(record):
    order = {"id": 7}
    return record._replace(value=order["customer"])

def spin():
    while True:
        pass
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	_, err = script.Process(context.Background(), "process", &kgo.Record{Topic: "orders"})
	fmt.Println(err) // one line
	var se *runtime.ScriptError
	if errors.As(err, &se) {
		fmt.Printf("%s | %s | %s\n", se.Name(), se.Message(), se.Position())
		fmt.Print(se.Traceback())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = script.Call(ctx, "spin")
	fmt.Println(errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled))
	// Output:
	// transform.star:4: KeyError: 'customer'
	// KeyError | 'customer' | transform.star:4:39
	// Traceback (most recent call last):
	//   File "transform.star", line 4, in process
	//     return record._replace(value=order["customer"])
	// KeyError: 'customer'
	// true false
}

// Adding a host module: scripts import it like any other. Here a lookup
// backed by the host's cache; a panic in a host function would become a
// RuntimeError with the script's traceback, not a crash.
func ExampleWithModule() {
	users := map[string]string{"u1": "Ada Lovelace", "u2": "Alan Turing"}
	lookup := starlark.NewBuiltin("lookup", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var id string
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "id", &id); err != nil {
			return nil, err
		}
		if name, ok := users[id]; ok {
			return starlark.String(name), nil
		}
		return starlark.None, nil
	})
	rt := runtime.New(
		runtime.WithModule("directory", &starlarkstruct.Module{Name: "directory", Members: starlark.StringDict{"lookup": lookup}}),
		runtime.WithPredeclared("REGION", starlark.String("eu-west")),
	)
	script, err := rt.Load(context.Background(), "names.star", []byte(`
from directory import lookup
def process(record):
    name = lookup(record.key.decode())
    if name == None:
        fail("unknown user %s" % record.key.decode())
    return record._replace(value=f"{name} ({REGION})")
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	for _, key := range []string{"u2", "u9"} {
		out, err := script.Process(context.Background(), "process", &kgo.Record{Topic: "t", Key: []byte(key)})
		var se *runtime.ScriptError
		if errors.As(err, &se) {
			fmt.Printf("%s: %s\n", se.Name(), se.Message())
			fmt.Print(se.Traceback())
			continue
		}
		fmt.Println(string(out[0].Value))
	}
	// Output:
	// Alan Turing (eu-west)
	// Exception: unknown user u9
	// Traceback (most recent call last):
	//   File "names.star", line 6, in process
	//     fail("unknown user %s" % record.key.decode())
	// Exception: unknown user u9
}

// Sandboxing untrusted scripts: no broker, file or environment variable
// is reachable unless granted, modules load only from the host's
// directory, and each call is bounded in steps and time.
// Example_sandbox shows what a script may not do by default: reach a broker,
// a file or an environment variable the host did not grant.
func Example_sandbox() {
	dir, _ := os.MkdirTemp("", "kstar-example")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "rules.star"), []byte("BLOCKED = ['spam']\n"), 0o644)
	rt := runtime.New(
		runtime.WithLoadDir(dir),                         // import rules → dir/rules.star
		runtime.WithAllowedTopics("clean", "quarantine"), // where records may go
		runtime.WithMaxSteps(100000),
		runtime.WithCallTimeout(time.Second),
	)
	script, err := rt.Load(context.Background(), "filter.star", []byte(`
import os
from rules import BLOCKED

def process(record):
    if record.value.decode() in BLOCKED:
        return record._replace(topic="quarantine")
    return record._replace(topic="clean")

def connect():
    from kafka import KafkaProducer
    return KafkaProducer(bootstrap_servers="db.internal:9092")

def secrets():
    return os.getenv("AWS_SECRET_ACCESS_KEY")

def escape():
    return load("../../etc/passwd")

def route(record):
    return record._replace(topic="elsewhere")

def spin():
    while True:
        pass
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	out, _ := script.Process(context.Background(), "process", &kgo.Record{Topic: "in", Value: []byte("spam")})
	fmt.Println("spam goes to", out[0].Topic)
	for _, fn := range []string{"connect", "secrets", "escape", "spin"} {
		v, err := script.Call(context.Background(), fn)
		if err != nil {
			fmt.Printf("%s: %s\n", fn, strings.SplitN(err.Error(), ": ", 2)[1])
		} else {
			fmt.Printf("%s: %s\n", fn, v)
		}
	}
	_, err = script.Process(context.Background(), "route", &kgo.Record{Topic: "in"})
	fmt.Println("route:", strings.SplitN(err.Error(), ": ", 2)[1])
	// Output:
	// spam goes to quarantine
	// connect: KafkaConfigurationError: bootstrap_servers: broker db.internal:9092 is not allowed here (the host allows none)
	// secrets: None
	// escape: PermissionError: load(): '../../etc/passwd' is outside the load directory
	// spin: RuntimeError: too many steps: the script ran past its limit of 100000 steps
	// route: TopicAuthorizationFailedError: route() returned a record for topic 'elsewhere', which is not allowed here (allowed: clean, quarantine)
}

// Passing configuration to a script through its environment: os.getenv
// and os.environ see the host's variables and nothing of the process
// environment, so a script reads its settings as it would under
// kafka-python, without seeing the host's secrets.
func ExampleWithEnviron() {
	config := map[string]string{"OUTPUT_TOPIC": "payments-large", "MIN_AMOUNT": "100"}
	rt := runtime.New(runtime.WithEnviron(func() map[string]string { return config }))
	script, err := rt.Load(context.Background(), "route.star", []byte(`
import os

OUTPUT_TOPIC = os.environ["OUTPUT_TOPIC"]
MIN_AMOUNT = int(os.getenv("MIN_AMOUNT", "0"))
CURRENCY = os.getenv("CURRENCY", "EUR")   # not set: the default
print("settings:", sorted(os.environ.keys()), "HOME" in os.environ)

def process(record):
    if int(record.value) < MIN_AMOUNT:
        return None
    return record._replace(topic=OUTPUT_TOPIC, headers=[("currency", CURRENCY)])
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	for _, amount := range []string{"20", "250"} {
		out, err := script.Process(context.Background(), "process", &kgo.Record{Topic: "payments", Value: []byte(amount)})
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, r := range out {
			fmt.Printf("%s -> %s (%s=%s)\n", r.Value, r.Topic, r.Headers[0].Key, r.Headers[0].Value)
		}
		if len(out) == 0 {
			fmt.Printf("%s dropped\n", amount)
		}
	}
	// Output:
	// settings: ['MIN_AMOUNT', 'OUTPUT_TOPIC'] False
	// 20 dropped
	// 250 -> payments-large (currency=EUR)
}

// A script keeps state in its globals between calls: here a count of its
// calls and the set of keys it has let through, to drop records whose key
// it has seen. Calls from several goroutines take turns, as Python
// threads do, so none of them is lost.
func ExampleScript_Process_state() {
	script, err := runtime.New().Load(context.Background(), "dedupe.star", []byte(`
seen = set()
calls = 0

def process(record):
    global calls
    calls += 1
    if record.key in seen:
        return None                  # a key already let through: drop
    seen.add(record.key)
    return record
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	var wg sync.WaitGroup
	var passed atomic.Int64
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				key := fmt.Sprint("user-", (g*100+i)%30)
				out, err := script.Process(context.Background(), "process", &kgo.Record{Topic: "logins", Key: []byte(key)})
				if err != nil {
					fmt.Println(err)
					return
				}
				passed.Add(int64(len(out)))
			}
		}()
	}
	wg.Wait()
	fmt.Println(script.Global("calls"), "calls,", passed.Load(), "records let through")
	// Output:
	// 400 calls, 30 records let through
}

// WithParallelCalls runs a Script's calls at once, on all cores, for
// scripts that keep no state: the globals are frozen when the script is
// loaded, and a call that changes one fails.
func ExampleWithParallelCalls() {
	rt := runtime.New(runtime.WithParallelCalls())
	script, err := rt.Load(context.Background(), "dedupe.star", []byte(`
seen = set()

def process(record):
    if record.key in seen:
        return None
    seen.add(record.key)
    return record
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	_, err = script.Process(context.Background(), "process", &kgo.Record{Topic: "logins", Key: []byte("user-1")})
	fmt.Println(err)
	// Output:
	// dedupe.star:7: TypeError: add: cannot insert into frozen hash table (the script's calls run in parallel, so its globals are frozen: with kstar pipe --parallelism 1, or without runtime.WithParallelCalls, calls may keep state in globals)
}

// Stopping a script as Ctrl-C stops a Python program: the host sends
// SIGINT, the script's blocking call raises KeyboardInterrupt, and its
// except and finally blocks run.
func ExampleSignals() {
	signals := runtime.NewSignals()
	out := newLineWatcher("waiting\n")
	rt := runtime.New(runtime.WithStdout(out), runtime.WithSignals(signals))
	go func() {
		<-out.seen
		signals.Send(syscall.SIGINT)
	}()
	err := rt.ExecFile(context.Background(), "wait.py", []byte(`
import time
try:
    print("waiting")
    time.sleep(60)
except KeyboardInterrupt:
    print("interrupted")
finally:
    print("cleaned up")
`), nil)
	fmt.Print(out.String(), runtime.FormatError(err))
	// Output:
	// waiting
	// interrupted
	// cleaned up
}
