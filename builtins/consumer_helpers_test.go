package builtins

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
)

// execConsumer runs src as the runtime does, including the error an
// iteration reports through Fail, and shuts the clients down.
func (r *scriptRun) execConsumer(ctx context.Context, src string) error {
	return r.execConsumerWith(ctx, src, nil)
}

// execConsumerWith is execConsumer with extra predeclared names.
func (r *scriptRun) execConsumerWith(ctx context.Context, src string, extra starlark.StringDict) error {
	predeclared := Globals()
	for k, v := range extra {
		predeclared[k] = v
	}
	modules := Modules(r.env)
	for name, m := range modules {
		if !strings.Contains(name, ".") {
			predeclared[name] = m
		}
	}
	for _, name := range KafkaMemberNames("kafka") {
		predeclared[name], _ = modules["kafka"].(starlark.HasAttrs).Attr(name)
	}
	predeclared["errors"] = modules["kafka.errors"]
	predeclared["BOOT"] = starlark.String(r.env.BootstrapServers)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.env.SetContext(ctx)
	stop := context.AfterFunc(ctx, func() { r.thread.Cancel("cancelled") })
	_, err := starlark.ExecFileOptions(producerScriptOptions, r.thread, "test.star", src, predeclared)
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

// consume runs a consumer script against bootstrap and returns what it
// printed, then "ERROR Class: message" if it failed.
func consume(t *testing.T, bootstrap, src string) string {
	t.Helper()
	r := newScriptRun(bootstrap)
	err := r.execConsumer(context.Background(), src)
	out := r.out.String()
	if err != nil {
		out += "ERROR " + errorLine(err) + "\n"
	}
	return out
}

// consumeWith is consume with extra predeclared names.
func consumeWith(t *testing.T, bootstrap string, extra starlark.StringDict, src string) string {
	t.Helper()
	r := newScriptRun(bootstrap)
	err := r.execConsumerWith(context.Background(), src, extra)
	out := r.out.String()
	if err != nil {
		out += "ERROR " + errorLine(err) + "\n"
	}
	return normaliseOutput(out)
}

// produceN writes n records "<prefix><i>" to topic with a franz-go
// producer, to the given partition (-1: spread round-robin).
func produceN(t testing.TB, bootstrap, topic string, partition int32, n int, prefix string, opts ...kgo.Opt) {
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

func errorsAs(err error, target any) bool { return errors.As(err, target) }
