package kafka

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	libjson "github.com/kstar-dev/kstar/builtins/lib/json"
	"github.com/kstar-dev/kstar/builtins/lib/msgpack"
	libtime "github.com/kstar-dev/kstar/builtins/lib/time"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/starbytes"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// scriptFileOptions is the dialect kstar scripts get.
var scriptFileOptions = &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}

// testGlobals are the globals test scripts see: the core's, with a help
// over the core and the kafka types (runtime assembles kstar's own, over
// every layer).
var testGlobals = py.Globals()

// Set here, not by testGlobals' initialiser: help's index refers back to
// the globals.
func init() {
	testGlobals["help"] = py.Func("help", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return testHelp().Help(thread, b, args, kwargs)
	})
}

// testHelp is the help index of test scripts, built when first used.
var testHelp = sync.OnceValue(func() *py.HelpIndex {
	names := slices.Sorted(maps.Keys(testModules(py.NewEnv())))
	return &py.HelpIndex{Globals: testGlobals, Modules: names, Tables: []py.HelpTable{py.Help, libjson.Help, msgpack.Help, libtime.Help, Help}}
})

// testModules are the modules test scripts import: kafka's, and json,
// msgpack and time.
func testModules(env *py.Env) map[string]starlark.Value {
	m := map[string]starlark.Value{"json": libjson.New(env), "msgpack": msgpack.New(env), "time": libtime.New(env)}
	for name, module := range Modules() {
		m[name] = module
	}
	return m
}

// scriptRun is one script executed as the runtime would: kstar's globals,
// the kafka names predeclared (the front end's `from kafka import` is the
// runtime's business), BOOT bound to the broker, clients shut down at the
// end.
type scriptRun struct {
	env    *py.Env
	kafka  *KafkaEnv
	out    bytes.Buffer
	thread *starlark.Thread
	// extra are more predeclared names (test hooks).
	extra starlark.StringDict
}

func newScriptRun(bootstrap string) *scriptRun {
	r := &scriptRun{env: py.NewEnv(), kafka: NewKafkaEnv()}
	r.env.Stdout, r.env.Stderr = &r.out, &r.out
	r.kafka.BootstrapServers = bootstrap
	r.thread = &starlark.Thread{Name: "test", Print: func(_ *starlark.Thread, msg string) {
		r.out.WriteString(msg + "\n")
	}}
	r.env.Attach(r.thread)
	r.kafka.Attach(r.thread)
	return r
}

// predeclared returns the names a test script sees: kstar's globals and
// top-level modules, the kafka names, errors (kafka.errors), BOOT and
// r.extra.
func (r *scriptRun) predeclared() starlark.StringDict {
	predeclared := maps.Clone(testGlobals)
	modules := testModules(r.env)
	for name, m := range modules {
		if !strings.Contains(name, ".") {
			predeclared[name] = m
		}
	}
	for _, name := range KafkaMemberNames("kafka") {
		predeclared[name], _ = modules["kafka"].(starlark.HasAttrs).Attr(name)
	}
	predeclared["errors"] = modules["kafka.errors"]
	predeclared["BOOT"] = starlark.String(r.kafka.BootstrapServers)
	for k, v := range r.extra {
		predeclared[k] = v
	}
	return predeclared
}

// exec runs src with ctx as the execution context and shuts the clients
// down afterwards; it returns the script's error (or the shutdown's).
func (r *scriptRun) exec(ctx context.Context, src string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.env.SetContext(ctx)
	stop := context.AfterFunc(ctx, func() { r.thread.Cancel("cancelled") })
	_, err := starbytes.ExecFile(scriptFileOptions, r.thread, "test.star", src, r.predeclared())
	stop()
	r.env.SetContext(context.Background())
	if serr := r.kafka.Shutdown(r.thread, prodShutdownTimeout); err == nil {
		err = serr
	}
	return err
}

// prodShutdownTimeout bounds the flush of the clients a test script
// leaves open.
var prodShutdownTimeout = 10 * time.Second

// prodRun runs src against bootstrap and returns what it printed, then
// the error line ("Class: message") if it failed.
func prodRun(t *testing.T, bootstrap, src string) string {
	t.Helper()
	r := newScriptRun(bootstrap)
	err := r.exec(context.Background(), src)
	out := r.out.String()
	if err != nil {
		out += "ERROR " + errorLine(err) + "\n"
	}
	return out
}

// errorLine is "Class: message" for an exception, Starlark's text otherwise.
func errorLine(err error) string {
	if e := py.AsException(err); e != nil {
		return e.Error()
	}
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		return ee.Msg
	}
	return err.Error()
}

// prodConsumeAll reads every record of topic with a franz-go consumer (the
// tests check what the producer wrote with an independent client).
func prodConsumeAll(t *testing.T, bootstrap, topic string, want int, opts ...kgo.Opt) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(strings.Split(bootstrap, ",")...),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	// It returns as soon as want records arrived; the bound only matters
	// when they never do (a read_committed fetch under the race detector on
	// a loaded 2-core machine has taken over 5 s).
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for len(recs) < want {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			break
		}
		recs = append(recs, fs.Records()...)
	}
	return recs
}

// testBootstrap returns an empty cluster for one test (the tests use fixed
// topic names): a fresh kfake broker, or the real cluster of
// KSTAR_TEST_BROKERS, emptied and kept for this test alone.
func testBootstrap(t *testing.T) string { return testbroker.Isolated(t) }
