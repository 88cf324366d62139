package pipeline_test

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/pipeline"
	"github.com/kstar-dev/kstar/runtime"
)

// A pipeline from "orders" to "orders-tagged" through a script, on an
// in-process broker: it drops test orders, tags the others, and commits
// the consumed offsets once the results are acknowledged.
func Example() {
	b, err := broker.Start(broker.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Some input.
	cl, _ := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.AllowAutoTopicCreation())
	defer cl.Close()
	for _, v := range []string{"book", "test", "pen", "lamp"} {
		cl.ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte(v)})
	}

	// The script keeps no state: its calls may run at once.
	script, err := runtime.New(runtime.WithParallelCalls()).Load(ctx, "tag.star", []byte(`
def process(record):
    if record.value == b"test":
        return None
    return record._replace(headers=[("tagged-by", b"kstar")])
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	p, err := pipeline.New(pipeline.Config{
		Brokers:     b.Addrs(),
		From:        []string{"orders"},
		To:          "orders-tagged",
		Group:       "tagger",
		Transform:   pipeline.Script(script, "process"), // or any func(ctx, *kgo.Record) ([]*kgo.Record, error)
		Parallelism: 2,                                  // calls at once; the output keeps the input order
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()

	// Run until the four orders are committed (a service would run until
	// it is told to stop).
	runCtx, stop := context.WithCancel(ctx)
	go func() {
		for p.Stats().Committed < 4 && runCtx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		stop()
	}()
	_ = p.Run(runCtx)
	st := p.Stats()
	fmt.Printf("consumed %d, produced %d, dropped %d, committed %d\n", st.Consumed, st.Produced, st.Dropped, st.Committed)

	// What arrived.
	reader, _ := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics("orders-tagged"))
	defer reader.Close()
	var got []string
	for len(got) < 3 && ctx.Err() == nil {
		reader.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			got = append(got, fmt.Sprintf("%s (%s=%s)", r.Value, r.Headers[0].Key, r.Headers[0].Value))
		})
	}
	sort.Strings(got)
	for _, g := range got {
		fmt.Println(g)
	}
	// Output:
	// consumed 4, produced 3, dropped 1, committed 4
	// book (tagged-by=kstar)
	// lamp (tagged-by=kstar)
	// pen (tagged-by=kstar)
}

// An exactly-once pipeline: each round's results, including a record the
// script failed on (sent to a dead-letter topic with the error in its
// headers), and the consumed offsets are committed in one transaction. A
// read_committed consumer of the output sees each result once.
func Example_exactlyOnce() {
	b, err := broker.Start(broker.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	cl, _ := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.AllowAutoTopicCreation())
	defer cl.Close()
	for _, v := range []string{"1200", "oops", "80"} {
		cl.ProduceSync(ctx, &kgo.Record{Topic: "payments", Value: []byte(v)})
	}

	script, err := runtime.New().Load(ctx, "cents.star", []byte(`
def process(record):
    return record._replace(value=str(int(record.value) * 100))
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer script.Close()
	p, err := pipeline.New(pipeline.Config{
		Brokers:     b.Addrs(),
		From:        []string{"payments"},
		To:          "payments-cents",
		Group:       "cents",
		Transform:   pipeline.Script(script, "process"),
		ExactlyOnce: true,
		InstanceID:  "node-1", // transactional id "cents.node-1"
		DeadLetter:  "payments-dlq",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	runCtx, stop := context.WithCancel(ctx)
	go func() {
		for p.Stats().Committed < 3 && runCtx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		stop()
	}()
	_ = p.Run(runCtx)
	st := p.Stats()
	fmt.Printf("consumed %d, produced %d, dead-lettered %d, committed %d\n", st.Consumed, st.Produced, st.Skipped, st.Committed)

	reader, _ := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics("payments-cents", "payments-dlq"),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	defer reader.Close()
	var got []string
	for len(got) < 3 && ctx.Err() == nil {
		reader.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			s := fmt.Sprintf("%s: %s", r.Topic, r.Value)
			for _, h := range r.Headers {
				if h.Key == pipeline.HeaderError {
					s += fmt.Sprintf(" (%s)", h.Value)
				}
			}
			got = append(got, s)
		})
	}
	sort.Strings(got)
	for _, g := range got {
		fmt.Println(g)
	}
	// Output:
	// consumed 3, produced 3, dead-lettered 1, committed 3
	// payments-cents: 120000
	// payments-cents: 8000
	// payments-dlq: oops (cents.star:3: ValueError: invalid literal for int() with base 10: b'oops')
}
