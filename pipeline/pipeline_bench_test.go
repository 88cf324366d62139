package pipeline_test

import (
	"context"
	"fmt"
	goruntime "runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/pipeline"
	"github.com/kstar-dev/kstar/runtime"
)

// The speed of a Starlark transform against the same transform in Go:
// return the record with one header added.
//
//	go test ./pipeline -run '^$' -bench . -benchtime 50000x
//
// BenchmarkPipeline moves b.N records through the whole pipeline on the
// in-process broker (consume, transform, produce, commit) and reports
// records/s; BenchmarkProcess measures one call of the transform alone
// (ns/op), which is the Starlark overhead per record. Each runs the
// script's calls in both modes: "starlark" one at a time, holding the
// script's interpreter lock (the default: globals may keep state), and
// "starlark-parallelcalls" at once (runtime.WithParallelCalls: frozen
// globals).

const benchScript = `
def process(record):
    return record._replace(headers=record.headers + [("seen", b"yes")])

def noop(record):
    return None
`

// nativeTransform is benchScript's process written in Go.
func nativeTransform(_ context.Context, r *kgo.Record) ([]*kgo.Record, error) {
	headers := append(slices.Clip(r.Headers), kgo.RecordHeader{Key: "seen", Value: []byte("yes")})
	return []*kgo.Record{{Topic: r.Topic, Key: r.Key, Value: r.Value, Headers: headers, Timestamp: r.Timestamp, Partition: runtime.AnyPartition}}, nil
}

func benchLoad(b *testing.B, opts ...runtime.Option) *runtime.Script {
	s, err := runtime.New(opts...).Load(context.Background(), "bench.star", []byte(benchScript))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkPipeline(b *testing.B) {
	br, err := broker.Start(broker.Config{Partitions: 8})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	scripts := map[string]*runtime.Script{
		"starlark":               benchLoad(b),
		"starlark-parallelcalls": benchLoad(b, runtime.WithParallelCalls()),
	}
	round := 0
	for _, impl := range []string{"native", "starlark", "starlark-parallelcalls"} {
		for _, par := range []int{1, goruntime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("%s/parallel=%d", impl, par), func(b *testing.B) {
				round++
				src, dst := fmt.Sprintf("bench-in-%d", round), fmt.Sprintf("bench-out-%d", round)
				fill(b, br.Addrs(), src, b.N)
				cfg := pipeline.Config{Brokers: br.Addrs(), From: []string{src}, To: dst, Group: "bench-" + strconv.Itoa(round), Parallelism: par}
				if impl == "native" {
					cfg.Transform = nativeTransform
				} else {
					cfg.Transform = pipeline.Script(scripts[impl], "process")
				}
				p, err := pipeline.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer p.Close()
				b.ResetTimer()
				start := time.Now()
				if err := runUntil(b, p, 10*time.Minute, func(s pipeline.Stats) bool { return s.Committed >= int64(b.N) }); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "records/s")
				if st := p.Stats(); st.Produced != int64(b.N) {
					b.Fatalf("produced %d of %d", st.Produced, b.N)
				}
			})
		}
	}
}

func BenchmarkProcess(b *testing.B) {
	script := benchLoad(b)
	parallelScript := benchLoad(b, runtime.WithParallelCalls())
	rec := &kgo.Record{Topic: "in", Partition: 3, Offset: 42, Key: []byte("key-1"), Value: []byte("a value of some thirty bytes.."), Timestamp: time.UnixMilli(1700000000000)}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		fn   pipeline.Transform
	}{
		{"native", nativeTransform},
		{"starlark", pipeline.Script(script, "process")},
		{"starlark-noop", pipeline.Script(script, "noop")},
		{"starlark-parallelcalls", pipeline.Script(parallelScript, "process")},
		{"starlark-parallelcalls-noop", pipeline.Script(parallelScript, "noop")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := tc.fn(ctx, rec); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := tc.fn(ctx, rec); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
