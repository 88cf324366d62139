package kafka

import (
	"context"
	"fmt"
	"maps"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	kbroker "github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/starbytes"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// The producer benchmarks send b.N records of 100 bytes to an in-process
// broker and flush, reporting records/s:
//
//	go test ./builtins/kafka -run '^$' -bench BenchmarkProducer -benchtime 1000000x
//
// Script runs the kstar loop `for i in range(N): producer.send('t', v)`;
// JSON the same with a json.dumps value serializer; Native produces the
// same records with franz-go directly, with the very options the kstar
// producer built its client with. The Blackhole variants use kfake's
// BlackholeProduce (acknowledge without storing) so the broker is less
// of a bottleneck for both sides.

func BenchmarkProducerScript(b *testing.B) { prodBenchScript(b, false, "v") }
func BenchmarkProducerJSON(b *testing.B) {
	prodBenchScript(b, false, "{'id': i, 'payload': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}")
}
func BenchmarkProducerNative(b *testing.B)          { prodBenchNative(b, false) }
func BenchmarkProducerScriptBlackhole(b *testing.B) { prodBenchScript(b, true, "v") }
func BenchmarkProducerNativeBlackhole(b *testing.B) { prodBenchNative(b, true) }

func prodBenchBroker(b *testing.B, blackhole bool) string {
	cfg := kbroker.Config{}
	if blackhole {
		cfg.Options = []kfake.Opt{kfake.BlackholeProduce()}
	}
	return testbroker.Embedded(b, cfg).Bootstrap()
}

func prodBenchScript(b *testing.B, blackhole bool, value string) {
	boot := prodBenchBroker(b, blackhole)
	serializer, warm := "", "v"
	if value != "v" {
		serializer, warm = ", value_serializer=lambda v: json.dumps(v)", "{'warm': 1}"
	}
	src := fmt.Sprintf(`
producer = KafkaProducer(bootstrap_servers=BOOT%s)
v = b'x' * 100
producer.send('t', %s).get()
def run(n):
    for i in range(n):
        producer.send('t', %s)
    producer.flush()
`, serializer, warm, value)
	r := newScriptRun(boot)
	predeclared := benchPredeclared(r, boot)
	globals, err := starbytes.ExecFile(scriptFileOptions, r.thread, "bench.star", src, predeclared)
	if err != nil {
		b.Fatal(err)
	}
	run := globals["run"]
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	if _, err := starlark.Call(r.thread, run, starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
	if err := r.kafka.Shutdown(r.thread, 10*time.Second); err != nil {
		b.Fatal(err)
	}
}

func benchPredeclared(r *scriptRun, boot string) starlark.StringDict {
	predeclared := maps.Clone(testGlobals)
	modules := testModules(r.env)
	predeclared["json"] = modules["json"]
	predeclared["KafkaProducer"] = KafkaProducerClass
	predeclared["BOOT"] = starlark.String(boot)
	return predeclared
}

// prodBenchNative produces with franz-go using the options of a kstar
// producer's client.
func prodBenchNative(b *testing.B, blackhole bool) {
	boot := prodBenchBroker(b, blackhole)
	r := newScriptRun(boot)
	p, err := newKafkaProducer(r.thread, []starlark.Tuple{{starlark.String("bootstrap_servers"), starlark.String(boot)}})
	if err != nil {
		b.Fatal(err)
	}
	opts := p.cl.Opts()
	_ = r.kafka.Shutdown(r.thread, time.Second)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "t", Value: []byte("warm")}).FirstErr(); err != nil {
		b.Fatal(err)
	}
	v := make([]byte, 100)
	for i := range v {
		v[i] = 'x'
	}
	var failed atomic.Int64
	promise := func(_ *kgo.Record, err error) {
		if err != nil {
			failed.Add(1)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		cl.Produce(ctx, &kgo.Record{Topic: "t", Value: v, Partition: autoPartition}, promise)
	}
	if err := cl.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
	if failed.Load() > 0 {
		b.Fatalf("%d records failed", failed.Load())
	}
}
