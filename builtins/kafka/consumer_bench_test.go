package kafka

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	kbroker "github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// The consumer benchmarks read b.N records of 100 bytes from an in-process
// broker (3 partitions), reporting records/s:
//
//	go test ./builtins/kafka -run '^$' -bench BenchmarkConsumer -benchtime 1000000x
//
// Script is a kstar loop `for msg in consumer:` touching msg.value; Poll
// reads them with consumer.poll(max_records=1) instead; JSON
// the same with value_deserializer=lambda m: json.loads(m) over 100-byte
// JSON documents; Native is franz-go's PollFetches loop over the same
// records, with the options the kstar consumer uses. Memory reads the
// records with the kstar loop while sampling the live heap (after a GC)
// and reports the peak above what the broker already holds: it must stay
// bounded by the fetch settings, not grow with the topic.

func BenchmarkConsumerScript(b *testing.B) { benchConsumerScript(b, false, false, readLoop) }
func BenchmarkConsumerPoll(b *testing.B)   { benchConsumerScript(b, false, false, pollLoop) }
func BenchmarkConsumerJSON(b *testing.B)   { benchConsumerScript(b, true, false, readLoop) }
func BenchmarkConsumerMemory(b *testing.B) { benchConsumerScript(b, false, true, readLoop) }
func BenchmarkConsumerNative(b *testing.B) { benchConsumerNative(b) }

// readLoop and pollLoop are the bodies of the benchmark scripts' run(n):
// iteration, and poll calls.
const (
	readLoop = `
    for msg in consumer:
        v = msg.value
        i += 1
        if i == n:
            break`
	pollLoop = `
    while i < n:
        for msgs in consumer.poll(timeout_ms=1000, max_records=1).values():
            for msg in msgs:
                v = msg.value
                i += 1`
)

// benchTopic starts a broker and fills topic t with n records of 100
// bytes (JSON documents when asJSON).
func benchTopic(b *testing.B, n int, asJSON bool) string {
	b.Helper()
	boot := testbroker.Embedded(b, kbroker.Config{}).Bootstrap()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.AllowAutoTopicCreation(),
		kgo.DefaultProduceTopic("t"), kgo.RecordPartitioner(kgo.RoundRobinPartitioner()), kgo.ProducerLinger(5*time.Millisecond))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	// Random letters, different for every record: franz-go's default
	// snappy compression cannot shrink them much, so fetches carry about
	// 100 bytes per record.
	rng := rand.New(rand.NewPCG(1, 2))
	value := func() []byte {
		n, prefix, suffix := 100, "", ""
		if asJSON {
			n, prefix, suffix = 70, `{"id": 1234567, "payload": "`, `"}`
		}
		b := make([]byte, 0, 100)
		b = append(b, prefix...)
		for i := 0; i < n; i++ {
			b = append(b, byte('a'+rng.IntN(26)))
		}
		return append(b, suffix...)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	var firstErr error
	var mu sync.Mutex
	for i := 0; i < n; i++ {
		wg.Add(1)
		cl.Produce(ctx, &kgo.Record{Value: value()}, func(_ *kgo.Record, err error) {
			if err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
			}
			wg.Done()
		})
	}
	wg.Wait()
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	return boot
}

func benchConsumerScript(b *testing.B, asJSON, memory bool, loop string) {
	boot := benchTopic(b, b.N, asJSON)
	deser := ""
	if asJSON {
		deser = ", value_deserializer=lambda m: json.loads(m)"
	}
	src := fmt.Sprintf(`
consumer = KafkaConsumer('t', bootstrap_servers=BOOT, auto_offset_reset='earliest'%s)
def run(n):
    i = 0%s
    return i
`, deser, loop)
	r := newConsScript(boot)
	globals, err := starlark.ExecFileOptions(scriptFileOptions, r.thread, "bench.star", src, r.predeclared())
	if err != nil {
		b.Fatal(err)
	}
	var stop func() (peak, base uint64)
	if memory {
		stop = sampleLiveHeap()
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	got, err := starlark.Call(r.thread, globals["run"], starlark.Tuple{starlark.MakeInt(b.N)}, nil)
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if n, _ := starlark.AsInt32(got); n != b.N {
		b.Fatalf("read %v records, want %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
	if stop != nil {
		peak, base := stop()
		b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-MB-above-broker")
		b.ReportMetric(float64(base)/(1<<20), "broker-MB")
	}
	if err := r.kafka.Shutdown(r.thread, 10*time.Second); err != nil {
		b.Fatal(err)
	}
}

// sampleLiveHeap measures the live heap (after a GC) now and then every
// 200ms until stop is called, which returns the peak and the first value.
func sampleLiveHeap() (stop func() (peak, base uint64)) {
	live := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := live()
	peak := base
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				peak = max(peak, live())
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		<-finished
		return peak, base
	}
}

func benchConsumerNative(b *testing.B) {
	boot := benchTopic(b, b.N, false)
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...),
		kgo.ConsumeTopics("t"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMinBytes(1), kgo.FetchMaxWait(500*time.Millisecond),
		kgo.FetchMaxBytes(52428800), kgo.FetchMaxPartitionBytes(1048576))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Ping(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	n, size := 0, 0
	for n < b.N {
		fs := cl.PollFetches(context.Background())
		if err := fs.Err0(); err != nil {
			b.Fatal(err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			size += len(r.Value)
			n++
		})
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if size < n*100 {
		b.Fatalf("read %d bytes in %d records", size, n)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
}
