package builtins

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/internal/testbroker"
)

// consFileOptions is the dialect kstar scripts get.
var consFileOptions = &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}

// consScript is one consumer test script executed as the runtime would:
// kstar's globals and modules, the kafka names predeclared (the front
// end's `from kafka import` is the runtime's business), BOOT bound to the
// broker, the error an iteration reports through Fail taken as the
// script's, and the clients shut down at the end.
type consScript struct {
	env    *Env
	out    bytes.Buffer
	thread *starlark.Thread
}

func newConsScript(bootstrap string) *consScript {
	r := &consScript{env: NewEnv()}
	r.env.Stdout, r.env.Stderr = &r.out, &r.out
	r.env.BootstrapServers = bootstrap
	r.thread = &starlark.Thread{Name: "test", Print: func(_ *starlark.Thread, msg string) {
		r.out.WriteString(msg + "\n")
	}}
	r.env.Attach(r.thread)
	return r
}

// predeclared returns the names a test script sees, plus extra.
func (r *consScript) predeclared(extra starlark.StringDict) starlark.StringDict {
	predeclared := Globals()
	modules := Modules(r.env)
	for name, m := range modules {
		if !strings.Contains(name, ".") {
			predeclared[name] = m
		}
	}
	for _, name := range KafkaMemberNames("kafka") {
		predeclared[name], _ = modules["kafka"].(starlark.HasAttrs).Attr(name)
	}
	predeclared["BOOT"] = starlark.String(r.env.BootstrapServers)
	for k, v := range extra {
		predeclared[k] = v
	}
	return predeclared
}

// exec runs src with ctx as the execution context (extra: more
// predeclared names) and returns the script's error, or the shutdown's.
func (r *consScript) exec(ctx context.Context, src string, extra starlark.StringDict) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.env.SetContext(ctx)
	stop := context.AfterFunc(ctx, func() { r.thread.Cancel("cancelled") })
	_, err := starlark.ExecFileOptions(consFileOptions, r.thread, "test.star", src, r.predeclared(extra))
	stop()
	if f := TakeFailure(r.thread); f != nil {
		err = f
	}
	if err != nil && ctx.Err() != nil && AsException(err) == nil {
		err = Interrupted(ctx)
	}
	r.env.SetContext(context.Background())
	r.thread.Uncancel()
	if serr := r.env.Shutdown(r.thread, 10*time.Second); err == nil {
		err = serr
	}
	return err
}

// runConsumer runs a consumer script against bootstrap and returns what
// it printed, then "ERROR Class: message" if it failed.
func runConsumer(t *testing.T, bootstrap, src string) string {
	t.Helper()
	return runConsumerWith(t, bootstrap, nil, src)
}

// runConsumerWith is runConsumer with extra predeclared names; its
// output is normalised.
func runConsumerWith(t *testing.T, bootstrap string, extra starlark.StringDict, src string) string {
	t.Helper()
	r := newConsScript(bootstrap)
	err := r.exec(context.Background(), src, extra)
	out := r.out.String()
	if err != nil {
		out += "ERROR " + consErrorLine(err) + "\n"
	}
	return consNormalise(out)
}

// consErrorLine is "Class: message" for an exception, Starlark's text
// otherwise.
func consErrorLine(err error) string {
	if e := AsException(err); e != nil {
		return e.Error()
	}
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		return ee.Msg
	}
	return err.Error()
}

var consNormalisers = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`\b1[5-9]\d{11}\b`), "<TS>"},
	{regexp.MustCompile(`0x[0-9a-f]{6,}`), "0x<ADDR>"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:<PORT>"},
}

// consNormalise replaces what changes between runs (timestamps,
// addresses, ports) as the golden tests do.
func consNormalise(s string) string {
	for _, n := range consNormalisers {
		s = n.re.ReplaceAllString(s, n.repl)
	}
	return s
}

// consBroker returns a fresh broker for one test (an emptied, unshared
// cluster when KSTAR_TEST_BROKERS names a real one).
func consBroker(t testing.TB) string { return testbroker.Isolated(t) }

// produceValues writes n records "<prefix><i>" to topic with a franz-go
// producer, to the given partition (-1: spread round-robin).
func produceValues(t testing.TB, bootstrap, topic string, partition int32, n int, prefix string, opts ...kgo.Opt) {
	t.Helper()
	base := []kgo.Opt{kgo.SeedBrokers(strings.Split(bootstrap, ",")...), kgo.AllowAutoTopicCreation(), kgo.DefaultProduceTopic(topic)}
	if partition >= 0 {
		base = append(base, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	} else {
		base = append(base, kgo.RecordPartitioner(kgo.RoundRobinPartitioner()))
	}
	cl, err := kgo.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	recs := make([]*kgo.Record, n)
	for i := range recs {
		recs[i] = &kgo.Record{Value: []byte(fmt.Sprintf("%s%d", prefix, i)), Partition: max(partition, 0)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// produceRecords writes records with a franz-go producer (their
// Partition is used as is).
func produceRecords(t testing.TB, bootstrap, topic string, recs ...*kgo.Record) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(bootstrap, ",")...), kgo.AllowAutoTopicCreation(),
		kgo.DefaultProduceTopic(topic), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

func errorsAsEval(err error, target **starlark.EvalError) bool { return errors.As(err, target) }
