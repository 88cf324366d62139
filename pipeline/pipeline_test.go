package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/pipeline"
	"github.com/kstar-dev/kstar/runtime"
)

// fill produces n records with keys and values "0".."n-1" to topic.
func fill(t testing.TB, brokers []string, topic string, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.AllowAutoTopicCreation(), kgo.ProducerLinger(0),
		// Kafka creates a topic only after a metadata request or two has
		// answered UNKNOWN_TOPIC_OR_PARTITION; franz-go may wait
		// MetadataMinAge (5 s) before asking again.
		kgo.MetadataMinAge(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	recs := make([]*kgo.Record, n)
	for i := range recs {
		v := []byte(strconv.Itoa(i))
		recs[i] = &kgo.Record{Topic: topic, Key: v, Value: v}
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("filling %s: %v", topic, err)
	}
}

// drain reads topic's committed records (read_committed) from the start
// until it has n records or timeout.
func drain(t testing.TB, brokers []string, topic string, n int, timeout time.Duration) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out []*kgo.Record
	for len(out) < n && ctx.Err() == nil {
		out = append(out, cl.PollFetches(ctx).Records()...)
	}
	return out
}

// committed returns the group's committed offset per partition of topic.
func committed(t testing.TB, brokers []string, group, topic string) map[int32]int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offsets, err := kadm.NewClient(cl).FetchOffsets(ctx, group)
	if err != nil {
		t.Fatalf("fetching offsets of %s: %v", group, err)
	}
	m := map[int32]int64{}
	offsets.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic {
			m[o.Partition] = o.At
		}
	})
	return m
}

// runUntil runs p until its stats satisfy done, then stops it and returns
// Run's error (nil when it stopped because of done).
func runUntil(t testing.TB, p *pipeline.Pipeline, timeout time.Duration, done func(pipeline.Stats) bool) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- p.Run(ctx) }()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-errc:
			return err
		case <-tick.C:
			if done(p.Stats()) {
				cancel()
				if err := <-errc; !errors.Is(err, context.Canceled) {
					return err
				}
				return nil
			}
		}
	}
}

// values renders records as sorted "topic:value[h=v]" strings.
func values(recs []*kgo.Record) []string {
	var out []string
	for _, r := range recs {
		s := r.Topic + ":" + string(r.Value)
		for _, h := range r.Headers {
			s += fmt.Sprintf("[%s=%s]", h.Key, h.Value)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func newScript(t testing.TB, src string, opts ...runtime.Option) *runtime.Script {
	t.Helper()
	s, err := runtime.New(opts...).Load(context.Background(), "transform.star", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestScriptPipeline runs a script that drops, routes and fans out, per
// record and per batch, with one and several workers, at least once and
// exactly once.
func TestScriptPipeline(t *testing.T) {
	for _, tc := range []struct {
		name        string
		batch       bool
		parallelism int
		exactlyOnce bool
	}{
		{"per record", false, 1, false},
		{"per record, 4 workers", false, 4, false},
		{"per batch, 3 workers", true, 3, false},
		{"per record, 2 workers, exactly once", false, 2, true},
		{"per batch, exactly once", true, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			brokers := strings.Split(testbroker.Bootstrap(t), ",")
			src, dst, audit := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "audit")
			group := testbroker.UniqueName(t, "g")
			s := newScript(t, fmt.Sprintf("AUDIT = %q\n", audit)+`
def process(record):
    n = int(record.value)
    if n % 2 == 1:
        return None
    out = [record._replace(headers=[("half", str(n // 2).encode())])]
    if n % 10 == 0:
        out.append({"topic": AUDIT, "value": b"audit-" + record.value})
    return out

def process_batch(records):
    out = []
    for r in records:
        out.extend(process(r) or [])
    return out
`)
			const n = 100
			fill(t, brokers, src, n)
			cfg := pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, Parallelism: tc.parallelism, MaxPollRecords: 17, ExactlyOnce: tc.exactlyOnce}
			if tc.batch {
				cfg.Batch = pipeline.ScriptBatch(s, "process_batch")
				cfg.BatchSize = 5
			} else {
				cfg.Transform = pipeline.Script(s, "process")
			}
			p, err := pipeline.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if err := runUntil(t, p, 30*time.Second, func(s pipeline.Stats) bool { return s.Committed >= n }); err != nil {
				t.Fatal(err)
			}
			st := p.Stats()
			wantDropped := int64(n / 2)
			if tc.batch {
				wantDropped = 0 // a batch call reports no per-record drops
			}
			if st.Consumed != n || st.Produced != 60 || st.Dropped != wantDropped || st.Committed != n || st.Lag != 0 {
				t.Errorf("stats %+v", st)
			}
			var want []string
			for i := 0; i < n; i += 2 {
				want = append(want, fmt.Sprintf("%s:%d[half=%d]", dst, i, i/2))
			}
			sort.Strings(want)
			if got := values(drain(t, brokers, dst, 50, 10*time.Second)); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("output:\n%v\nwant:\n%v", got, want)
			}
			if got := values(drain(t, brokers, audit, 10, 10*time.Second)); len(got) != 10 || got[0] != audit+":audit-0" {
				t.Errorf("audit: %v", got)
			}
			for part, off := range committed(t, brokers, group, src) {
				if off <= 0 {
					t.Errorf("partition %d committed at %d", part, off)
				}
			}
		})
	}
}

// TestOrderKept checks that with several workers each output partition
// keeps the consumed order.
func TestOrderKept(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src, dst, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	const n = 300
	fill(t, brokers, src, n)
	s := newScript(t, "def process(record):\n    return record._replace(key=b'same')\n")
	p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, Parallelism: 8, Transform: pipeline.Script(s, "process")})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := runUntil(t, p, 30*time.Second, func(s pipeline.Stats) bool { return s.Committed >= n }); err != nil {
		t.Fatal(err)
	}
	// One key: one output partition, in which each input partition's
	// records appear in their offset order.
	out := drain(t, brokers, dst, n, 10*time.Second)
	in := drain(t, brokers, src, n, 10*time.Second)
	partOf := map[string]int32{}
	for _, r := range in {
		partOf[string(r.Value)] = r.Partition
	}
	last := map[int32]int{}
	for _, r := range out {
		v, _ := strconv.Atoi(string(r.Value))
		part := partOf[string(r.Value)]
		if prev, ok := last[part]; ok && v < prev {
			t.Fatalf("input partition %d: %d came after %d", part, v, prev)
		}
		last[part] = v
	}
	if len(out) != n {
		t.Errorf("%d records out, want %d", len(out), n)
	}
}

// TestTransformErrors checks that a failing transform stops the pipeline
// without committing, or is skipped when OnError says so.
func TestTransformErrors(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src, dst := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out")
	fill(t, brokers, src, 30)
	s := newScript(t, "def process(record):\n    if record.value == b'13':\n        fail('unlucky')\n    return record\n")

	group := testbroker.UniqueName(t, "stop")
	p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, Transform: pipeline.Script(s, "process"), MaxPollRecords: 1000})
	if err != nil {
		t.Fatal(err)
	}
	err = runUntil(t, p, 30*time.Second, func(pipeline.Stats) bool { return false })
	var se *runtime.ScriptError
	if !errors.As(err, &se) || se.Name() != "Exception" || se.Message() != "unlucky" {
		t.Fatalf("got %v, want the script's exception", err)
	}
	p.Close()
	// The round with 13 was not committed.
	in := drain(t, brokers, src, 30, 10*time.Second)
	var part13 int32
	var off13 int64
	for _, r := range in {
		if string(r.Value) == "13" {
			part13, off13 = r.Partition, r.Offset
		}
	}
	if off, ok := committed(t, brokers, group, src)[part13]; ok && off > off13 {
		t.Errorf("partition %d committed at %d, past the failed record at %d", part13, off, off13)
	}

	var skipped []string
	p, err = pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: testbroker.UniqueName(t, "skip"), Transform: pipeline.Script(s, "process"),
		OnError: func(ctx context.Context, recs []*kgo.Record, err error) error {
			skipped = append(skipped, string(recs[0].Value)+": "+err.Error())
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := runUntil(t, p, 30*time.Second, func(s pipeline.Stats) bool { return s.Committed >= 30 }); err != nil {
		t.Fatal(err)
	}
	if st := p.Stats(); st.Skipped != 1 || st.Produced != 29 || len(skipped) != 1 || skipped[0] != "13: transform.star:3: Exception: unlucky" {
		t.Errorf("stats %+v, skipped %q", st, skipped)
	}
}

// TestNoOutputTopic checks a record with nowhere to go stops the pipeline.
func TestNoOutputTopic(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src := testbroker.UniqueName(t, "in")
	fill(t, brokers, src, 3)
	p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, Group: testbroker.UniqueName(t, "g"),
		Transform: func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) {
			return []*kgo.Record{{Topic: r.Topic, Value: r.Value, Partition: -1}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	err = runUntil(t, p, 30*time.Second, func(pipeline.Stats) bool { return false })
	if want := fmt.Sprintf("pipeline: the transform returned a record for %q, and Config.To names no output topic", src); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestConfigErrors checks what New refuses.
func TestConfigErrors(t *testing.T) {
	tr := func(context.Context, *kgo.Record) ([]*kgo.Record, error) { return nil, nil }
	for _, tc := range []struct {
		cfg  pipeline.Config
		want string
	}{
		{pipeline.Config{Group: "g", Transform: tr}, "pipeline: Config.From names no topic"},
		{pipeline.Config{From: []string{"a"}, Transform: tr}, "pipeline: Config.Group is required"},
		{pipeline.Config{From: []string{"a"}, Group: "g"}, "pipeline: set exactly one of Config.Transform and Config.Batch"},
		{pipeline.Config{From: []string{"a"}, To: "a", Group: "g", Transform: tr}, `pipeline: Config.To "a" is also consumed (From)`},
		{pipeline.Config{From: []string{"a"}, Group: "g", Transform: tr, DeadLetter: "a"}, `pipeline: Config.DeadLetter "a" is also consumed (From)`},
		{pipeline.Config{From: []string{"a"}, Group: "g", Transform: tr, DeadLetter: "d", OnError: func(context.Context, []*kgo.Record, error) error { return nil }},
			"pipeline: set at most one of Config.OnError and Config.DeadLetter"},
		{pipeline.Config{From: []string{"a"}, Group: "g", Transform: tr, Retries: -2}, "pipeline: Config.Retries is -2; want -1 (until it succeeds), 0 or more"},
	} {
		if _, err := pipeline.New(tc.cfg); err == nil || err.Error() != tc.want {
			t.Errorf("got %v, want %s", err, tc.want)
		}
	}
}

// TestRebalanceWhileIdle starts a second pipeline in the group of one
// that has caught up and waits for new records: the group must rebalance
// at once (the first must not hold the rebalance off until its
// rebalance timeout), and both then share the new records.
func TestRebalanceWhileIdle(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src, dst, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	fill(t, brokers, src, 30)
	s := newScript(t, "def process(record):\n    return record\n")
	start := func() (*pipeline.Pipeline, func() error) {
		p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, Transform: pipeline.Script(s, "process")})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- p.Run(ctx) }()
		return p, sync.OnceValue(func() error {
			cancel()
			err := <-errc
			p.Close()
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		})
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waited 20 s for %s", what)
			}
		}
	}
	a, stopA := start()
	defer stopA()
	waitFor("the first pipeline to commit the first 30 records", func() bool { return a.Stats().Committed >= 30 })
	firstAssigned := a.Stats().Assigned
	b, stopB := start()
	defer stopB()
	waitFor("the rebalance", func() bool {
		return !b.Stats().Assigned.IsZero() && a.Stats().Assigned.After(firstAssigned)
	})
	fill(t, brokers, src, 30)
	waitFor("60 records committed", func() bool { return a.Stats().Committed+b.Stats().Committed >= 60 })
	if err := stopA(); err != nil {
		t.Error(err)
	}
	if err := stopB(); err != nil {
		t.Error(err)
	}
	if got := len(drain(t, brokers, dst, 60, 10*time.Second)); got != 60 {
		t.Errorf("%d records out, want 60", got)
	}
}

// TestCloseBounded checks that Close returns within CloseTimeout when the
// group cannot be left: here the coordinator holds the pipeline's
// JoinGroup, as Kafka does while it waits for the other members of a
// rebalancing group (franz-go's Close alone waits for that JoinGroup, up
// to the rebalance timeout, 60 s). Close also stops the Run under way.
// kfake only: it needs a coordinator that holds requests.
func TestCloseBounded(t *testing.T) {
	b := testbroker.Embedded(t, broker.Config{})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // before the broker closes
	joining := make(chan struct{}, 1)
	c := b.Cluster()
	c.ControlKey(int16(kmsg.JoinGroup), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		select {
		case joining <- struct{}{}:
		default:
		}
		c.SleepControl(func() { <-release })
		return nil, nil, false
	})
	fill(t, b.Addrs(), "in", 3)
	p, err := pipeline.New(pipeline.Config{Brokers: b.Addrs(), From: []string{"in"}, To: "out", Group: "g",
		Transform:    func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) { return nil, nil },
		CloseTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- p.Run(context.Background()) }()
	select {
	case <-joining:
	case <-time.After(10 * time.Second):
		t.Fatal("the pipeline sent no JoinGroup")
	}
	start := time.Now()
	p.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v with CloseTimeout 300ms", d)
	}
	select {
	case err := <-errc:
		if err == nil || err.Error() != "pipeline: closed" {
			t.Errorf("Run returned %v, want pipeline: closed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after Close")
	}
	if err := p.Run(context.Background()); err == nil || err.Error() != "pipeline: closed" {
		t.Errorf("Run after Close returned %v, want pipeline: closed", err)
	}
	p.Close() // again: no effect
}

// TestRunAgain stops Run in the middle of a round (the transform of
// record 7 ends Run's context) and calls Run again: the records of that
// round, which were polled but not committed, must be consumed again.
func TestRunAgain(t *testing.T) {
	for _, exactlyOnce := range []bool{false, true} {
		t.Run(map[bool]string{false: "at least once", true: "exactly once"}[exactlyOnce], func(t *testing.T) {
			brokers := strings.Split(testbroker.Bootstrap(t), ",")
			src, dst := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out")
			const n = 30
			fill(t, brokers, src, n)
			var stop atomic.Pointer[context.CancelFunc]
			var stopped atomic.Bool
			p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: testbroker.UniqueName(t, "g"), ExactlyOnce: exactlyOnce, MaxPollRecords: 5,
				Transform: func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) {
					if string(r.Value) == "7" && !stopped.Swap(true) {
						(*stop.Load())()
					}
					return copyRecord(ctx, r)
				}})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			ctx, cancel := context.WithCancel(context.Background())
			stop.Store(&cancel)
			if err := p.Run(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("first Run: %v", err)
			}
			if err := runUntil(t, p, 30*time.Second, func(s pipeline.Stats) bool { return s.Committed >= n }); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, r := range drain(t, brokers, dst, n, 10*time.Second) {
				seen[string(r.Value)] = true
			}
			if len(seen) != n {
				t.Errorf("%d of %d records out", len(seen), n)
			}
		})
	}
}
