package kafka

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
	"github.com/kstar-dev/kstar/internal/starbytes"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// consScript is one consumer test script executed as the runtime would
// (see scriptRun), the error an iteration reports through Fail taken as
// the script's.
type consScript struct {
	*scriptRun
	python bool // src is Python for the front end (class statements), not Starlark
}

// execPython runs Python source as the runtime does: lowered by the front
// end, then executed with predeclared.
func execPython(thread *starlark.Thread, src string, predeclared starlark.StringDict) error {
	f, err := frontend.Parse("test.py", []byte(src))
	if err != nil {
		return err
	}
	prog, err := starlark.FileProgram(f, predeclared.Has)
	if err != nil {
		return err
	}
	_, err = prog.Init(thread, predeclared)
	return err
}

func newConsScript(bootstrap string) *consScript {
	return &consScript{scriptRun: newScriptRun(bootstrap)}
}

// exec runs src with ctx as the execution context (extra: more
// predeclared names) and returns the script's error, or the shutdown's.
func (r *consScript) exec(ctx context.Context, src string, extra starlark.StringDict) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.env.SetContext(ctx)
	stop := context.AfterFunc(ctx, func() { r.thread.Cancel("cancelled") })
	r.extra = extra
	var err error
	if r.python {
		err = execPython(r.thread, src, r.predeclared())
	} else {
		_, err = starbytes.ExecFile(scriptFileOptions, r.thread, "test.star", src, r.predeclared())
	}
	stop()
	if f := py.TakeFailure(r.thread); f != nil {
		err = f
	}
	if err != nil && ctx.Err() != nil && py.AsException(err) == nil {
		err = py.Interrupted(ctx)
	}
	r.env.SetContext(context.Background())
	r.thread.Uncancel()
	if serr := r.kafka.Shutdown(r.thread, 10*time.Second); err == nil {
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
		out += "ERROR " + errorLine(err) + "\n"
	}
	return consNormalise(out)
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

// testMetadataMinAge is the franz-go MetadataMinAge of the test
// producers: on Apache Kafka a new topic is missing from the first
// metadata answers, and franz-go's default (5 s) sometimes made the first
// produce to it wait 5 s instead of about 0.6 s.
const testMetadataMinAge = 100 * time.Millisecond

// produceValues writes n records "<prefix><i>" to topic with a franz-go
// producer, to the given partition (-1: spread round-robin).
func produceValues(t testing.TB, bootstrap, topic string, partition int32, n int, prefix string, opts ...kgo.Opt) {
	t.Helper()
	base := []kgo.Opt{kgo.SeedBrokers(strings.Split(bootstrap, ",")...), kgo.AllowAutoTopicCreation(), kgo.DefaultProduceTopic(topic),
		kgo.MetadataMinAge(testMetadataMinAge)}
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
		kgo.DefaultProduceTopic(topic), kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.MetadataMinAge(testMetadataMinAge))
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
