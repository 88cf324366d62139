package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/pipeline"
)

// copyRecord is a transform that passes each record on unchanged.
func copyRecord(_ context.Context, r *kgo.Record) ([]*kgo.Record, error) {
	return []*kgo.Record{{Key: r.Key, Value: r.Value, Partition: -1}}, nil
}

// running is a pipeline whose Run goes on in the background.
type running struct {
	*pipeline.Pipeline
	errc chan error
	stop context.CancelFunc
}

func startPipeline(t *testing.T, cfg pipeline.Config) *running {
	t.Helper()
	p, err := pipeline.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Pipeline: p, errc: make(chan error, 1), stop: cancel}
	go func() { r.errc <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		p.Close()
	})
	return r
}

// waitUntil waits for cond, failing the test after timeout.
func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
	}
}

// exactlyOnceOutput checks that topic's committed records are the values
// "0".."n-1", each once.
func exactlyOnceOutput(t *testing.T, brokers []string, topic string, n int) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range drain(t, brokers, topic, n, 10*time.Second) {
		seen[string(r.Value)]++
	}
	// Anything more would have come by now.
	for _, r := range drain(t, brokers, topic, n+1, 300*time.Millisecond) {
		if _, ok := seen[string(r.Value)]; !ok {
			seen[string(r.Value)] = 0
		}
	}
	for i := 0; i < n; i++ {
		if c := seen[fmt.Sprint(i)]; c != 1 {
			t.Errorf("record %d is in %s %d times", i, topic, c)
		}
	}
	if len(seen) != n {
		t.Errorf("%s has %d distinct values, want %d", topic, len(seen), n)
	}
}

// TestExactlyOnceProduceError makes one record of a round impossible to
// produce (too large): the transaction is aborted, so the records of the
// round that were produced are never seen by a read_committed consumer,
// and every visible output is one whose input offset was committed.
func TestExactlyOnceProduceError(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src, dst, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	fill(t, brokers, src, 30)
	p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, ExactlyOnce: true, MaxPollRecords: 4,
		Transform: func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) {
			if string(r.Value) == "13" {
				return []*kgo.Record{{Value: make([]byte, 2<<20), Partition: -1}}, nil
			}
			return copyRecord(ctx, r)
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	err = runUntil(t, p, 30*time.Second, func(pipeline.Stats) bool { return false })
	if !errors.Is(err, kerr.MessageTooLarge) {
		t.Fatalf("got %v, want the too large record's error", err)
	}
	p.Close()
	in := map[string]*kgo.Record{}
	for _, r := range drain(t, brokers, src, 30, 10*time.Second) {
		in[string(r.Value)] = r
	}
	offsets := committed(t, brokers, group, src)
	var total int64
	for _, off := range offsets {
		total += off
	}
	out := drain(t, brokers, dst, int(total), 10*time.Second)
	out = append(out, drain(t, brokers, dst, int(total)+1, 300*time.Millisecond)[len(out):]...)
	if int64(len(out)) != total {
		t.Errorf("%d records out, %d committed", len(out), total)
	}
	for _, r := range out {
		src := in[string(r.Value)]
		if src.Offset >= offsets[src.Partition] {
			t.Errorf("%s (partition %d offset %d) is out, the partition committed at %d", r.Value, src.Partition, src.Offset, offsets[src.Partition])
		}
	}
	if src := in["13"]; src.Offset < offsets[src.Partition] {
		t.Errorf("13 (partition %d offset %d) committed at %d", src.Partition, src.Offset, offsets[src.Partition])
	}
}

// TestErrorPolicies checks, in both modes, a dead-letter topic (inside
// the transaction exactly once) and retries.
func TestErrorPolicies(t *testing.T) {
	for _, exactlyOnce := range []bool{false, true} {
		mode := map[bool]string{false: "at least once", true: "exactly once"}[exactlyOnce]
		t.Run(mode+"/dead letter", func(t *testing.T) {
			brokers := strings.Split(testbroker.Bootstrap(t), ",")
			src, dst, dlq := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "dlq")
			fill(t, brokers, src, 30)
			s := newScript(t, "def process(record):\n    if record.value in (b'13', b'17'):\n        fail('unlucky')\n    return record\n")
			p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: testbroker.UniqueName(t, "g"),
				Transform: pipeline.Script(s, "process"), DeadLetter: dlq, ExactlyOnce: exactlyOnce})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if err := runUntil(t, p, 30*time.Second, func(s pipeline.Stats) bool { return s.Committed >= 30 }); err != nil {
				t.Fatal(err)
			}
			if st := p.Stats(); st.Produced != 30 || st.Skipped != 2 {
				t.Errorf("stats %+v", st)
			}
			if got := len(drain(t, brokers, dst, 28, 10*time.Second)); got != 28 {
				t.Errorf("%d records out, want 28", got)
			}
			dead := drain(t, brokers, dlq, 2, 10*time.Second)
			in := map[string]*kgo.Record{}
			for _, r := range drain(t, brokers, src, 30, 10*time.Second) {
				in[string(r.Value)] = r
			}
			for _, r := range dead {
				h := map[string]string{}
				for _, x := range r.Headers {
					h[x.Key] = string(x.Value)
				}
				orig := in[string(r.Value)]
				want := map[string]string{
					pipeline.HeaderError:           "transform.star:3: Exception: unlucky",
					pipeline.HeaderErrorType:       "Exception",
					pipeline.HeaderErrorTraceback:  "Traceback (most recent call last):\n  File \"transform.star\", line 3, in process\n    fail('unlucky')\nException: unlucky\n",
					pipeline.HeaderSourceTopic:     src,
					pipeline.HeaderSourcePartition: fmt.Sprint(orig.Partition),
					pipeline.HeaderSourceOffset:    fmt.Sprint(orig.Offset),
				}
				if fmt.Sprint(h) != fmt.Sprint(want) || string(r.Key) != string(orig.Key) {
					t.Errorf("dead letter %s (key %s) headers:\n%q\nwant\n%q", r.Value, r.Key, h, want)
				}
				if r.Attrs.IsTransactional() != exactlyOnce {
					t.Errorf("dead letter %s: transactional %v", r.Value, r.Attrs.IsTransactional())
				}
			}
		})
		t.Run(mode+"/retry", func(t *testing.T) {
			brokers := strings.Split(testbroker.Bootstrap(t), ",")
			src := testbroker.UniqueName(t, "in")
			fill(t, brokers, src, 30)
			for _, tc := range []struct {
				retries int
				ok      bool
			}{{2, true}, {1, false}, {-1, true}} {
				var failures atomic.Int64
				p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: testbroker.UniqueName(t, "out"), Group: testbroker.UniqueName(t, "g"),
					ExactlyOnce: exactlyOnce, Retries: tc.retries, RetryBackoff: time.Millisecond,
					Transform: func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) {
						if string(r.Value) == "13" && failures.Add(1) <= 2 {
							return nil, errors.New("lookup service unavailable")
						}
						return copyRecord(ctx, r)
					}})
				if err != nil {
					t.Fatal(err)
				}
				err = runUntil(t, p, 30*time.Second, func(s pipeline.Stats) bool { return s.Committed >= 30 })
				p.Close()
				st := p.Stats()
				switch {
				case tc.ok && (err != nil || st.Produced != 30 || st.Retried != 2):
					t.Errorf("retries %d: %v, stats %+v", tc.retries, err, st)
				case !tc.ok && (err == nil || err.Error() != "lookup service unavailable" || st.Retried != 1 || st.Committed >= 30):
					t.Errorf("retries %d: got %v, stats %+v; want the transform's error after one retry", tc.retries, err, st)
				}
			}
		})
	}
}

// TestExactlyOnceRebalance holds a member's transaction open while a
// second member joins and takes partitions from it: the first member's
// transaction is aborted, and every record comes out once.
func TestExactlyOnceRebalance(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src, dst, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	const n = 60
	fill(t, brokers, src, n)
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	a := startPipeline(t, pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, ExactlyOnce: true, InstanceID: "a",
		Transform: func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) {
			once.Do(func() {
				close(entered)
				<-release
			})
			return copyRecord(ctx, r)
		}})
	select {
	case <-entered:
	case err := <-a.errc:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("the first member transformed nothing")
	}
	b := startPipeline(t, pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, ExactlyOnce: true, InstanceID: "b", Transform: copyRecord})
	// b commits records only from partitions a gave up.
	waitUntil(t, "the second member to commit", 30*time.Second, func() bool { return b.Stats().Committed > 0 })
	close(release)
	waitUntil(t, "every record to be committed", 30*time.Second, func() bool { return a.Stats().Committed+b.Stats().Committed >= n })
	if st := a.Stats(); st.Aborted == 0 {
		t.Errorf("the first member's transaction was not aborted: %+v", st)
	}
	exactlyOnceOutput(t, brokers, dst, n)
}

// TestExactlyOnceFencing runs a second member with the instance id of a
// first one that is stuck in a transaction, as a restarted member would
// while its predecessor is not quite dead: the second fences the first,
// which stops with an error saying why, and every record comes out once.
func TestExactlyOnceFencing(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src, dst, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	const n = 30
	fill(t, brokers, src, n)
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	zombie := startPipeline(t, pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, ExactlyOnce: true, InstanceID: "m",
		Transform: func(ctx context.Context, r *kgo.Record) ([]*kgo.Record, error) {
			once.Do(func() {
				close(entered)
				<-release
			})
			return copyRecord(ctx, r)
		}})
	select {
	case <-entered:
	case err := <-zombie.errc:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("the first member transformed nothing")
	}
	successor := startPipeline(t, pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, ExactlyOnce: true, InstanceID: "m", Transform: copyRecord})
	waitUntil(t, "the successor to commit every record", 30*time.Second, func() bool { return successor.Stats().Committed >= n })
	close(release)
	select {
	case err := <-zombie.errc:
		if !errors.Is(err, kerr.ProducerFenced) && !errors.Is(err, kerr.InvalidProducerEpoch) && !errors.Is(err, kerr.FencedInstanceID) ||
			!strings.Contains(err.Error(), "each member needs its own") {
			t.Errorf("the fenced member stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the fenced member goes on")
	}
	if st := zombie.Stats(); st.Committed != 0 {
		t.Errorf("the fenced member committed: %+v", st)
	}
	exactlyOnceOutput(t, brokers, dst, n)
}

// TestStaticMemberLeaves closes one of two members with instance ids:
// the other gets its partitions at once, not after the session timeout
// (45 s) that a static member's Close would otherwise leave them for.
func TestStaticMemberLeaves(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src, dst, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	fill(t, brokers, src, 30)
	a := startPipeline(t, pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, InstanceID: "a", Transform: copyRecord})
	b := startPipeline(t, pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group, InstanceID: "b", Transform: copyRecord})
	waitUntil(t, "both members to be assigned partitions", 30*time.Second, func() bool {
		return !a.Stats().Assigned.IsZero() && !b.Stats().Assigned.IsZero() && a.Stats().Committed+b.Stats().Committed >= 30
	})
	a.stop()
	a.Close()
	fill(t, brokers, src, 30)
	waitUntil(t, "the remaining member to take every partition", 20*time.Second, func() bool { return b.Stats().Committed+a.Stats().Committed >= 60 })
}

// TestTransactionalID checks the transactional ids members use: derived
// from the group, the name and the instance id (the host name by
// default), or set.
func TestTransactionalID(t *testing.T) {
	brokers := strings.Split(testbroker.Bootstrap(t), ",")
	src := testbroker.UniqueName(t, "in")
	fill(t, brokers, src, 3)
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	admCl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer admCl.Close()
	adm := kadm.NewClient(admCl)
	for i, tc := range []struct{ name, instanceID, transactionalID, want string }{
		{"enrich", "node-1", "", "GROUP.enrich.node-1"},
		{"", "node-2", "", "GROUP.node-2"},
		{"", "", "", "GROUP." + host},
		{"", "node-3", "mine-GROUP", "mine-GROUP"},
	} {
		group := testbroker.UniqueName(t, fmt.Sprint("g", i))
		p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: testbroker.UniqueName(t, "out"), Group: group, Transform: copyRecord,
			ExactlyOnce: true, Name: tc.name, InstanceID: tc.instanceID, TransactionalID: strings.ReplaceAll(tc.transactionalID, "GROUP", group)})
		if err != nil {
			t.Fatal(err)
		}
		if err := runUntil(t, p, 30*time.Second, func(s pipeline.Stats) bool { return s.Rounds > 0 }); err != nil {
			t.Fatal(err)
		}
		p.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		txns, err := adm.ListTransactions(ctx, nil, nil)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.ReplaceAll(tc.want, "GROUP", group); !slices.Contains(txns.TransactionalIDs(), want) {
			t.Errorf("no transactional id %s among %v", want, txns.TransactionalIDs())
		}
	}
}

// TestExactlyOnceRestartAbortsZombie holds a member's EndTxn, as if the
// member died after committing its offsets in the transaction but before
// ending it, and starts its successor (the same instance id): the
// successor must abort that transaction at once rather than wait for
// Kafka to time it out, since until then the group does not hand out
// the pending offsets. kfake only: it needs a broker that holds a
// request.
func TestExactlyOnceRestartAbortsZombie(t *testing.T) {
	b := testbroker.Embedded(t, broker.Config{})
	release := make(chan struct{})
	releaseOnce := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseOnce) // before the broker closes
	held := make(chan struct{})
	c := b.Cluster()
	var seen atomic.Bool
	c.ControlKey(int16(kmsg.EndTxn), func(kmsg.Request) (kmsg.Response, error, bool) {
		if !seen.Swap(true) { // the first EndTxn only
			close(held)
			c.SleepControl(func() { <-release })
		}
		return nil, nil, false
	})
	const n = 30
	fill(t, b.Addrs(), "in", n)
	cfg := pipeline.Config{Brokers: b.Addrs(), From: []string{"in"}, To: "out", Group: "g", ExactlyOnce: true, InstanceID: "m", Transform: copyRecord,
		// Kafka would time the zombie's transaction out after this.
		ClientOptions: []kgo.Opt{kgo.TransactionTimeout(5 * time.Minute)}}
	zombie := startPipeline(t, cfg)
	select {
	case <-held:
	case err := <-zombie.errc:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("no EndTxn")
	}
	successor := startPipeline(t, cfg)
	waitUntil(t, "the successor to commit every record", 20*time.Second, func() bool {
		select {
		case err := <-successor.errc:
			t.Fatalf("the successor stopped: %v", err)
		default:
		}
		return successor.Stats().Committed >= n
	})
	releaseOnce()
	select {
	case err := <-zombie.errc:
		if !strings.Contains(err.Error(), "each member needs its own") {
			t.Errorf("the zombie stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the zombie goes on")
	}
	exactlyOnceOutput(t, b.Addrs(), "out", n)
}

// TestTransactionalInput chains two pipelines, the first exactly once:
// the second, at least once or exactly once, reads a topic with
// transaction markers and an aborted transaction. It skips the aborted
// records, and once it has caught up its group's offsets are at the end
// of the topic (past the markers) and its lag is 0, as kstar pipe
// --idle-exit needs.
func TestTransactionalInput(t *testing.T) {
	for _, exactlyOnce := range []bool{false, true} {
		t.Run(map[bool]string{false: "at least once", true: "exactly once"}[exactlyOnce], func(t *testing.T) {
			brokers := strings.Split(testbroker.Bootstrap(t), ",")
			src, mid, dst := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "mid"), testbroker.UniqueName(t, "out")
			group := testbroker.UniqueName(t, "g")
			const n = 30
			fill(t, brokers, src, n)
			abortTransaction(t, brokers, mid)
			startPipeline(t, pipeline.Config{Brokers: brokers, From: []string{src}, To: mid, Group: testbroker.UniqueName(t, "g"), Transform: copyRecord, ExactlyOnce: true, InstanceID: "first"})
			second := startPipeline(t, pipeline.Config{Brokers: brokers, From: []string{mid}, To: dst, Group: group, Transform: copyRecord, ExactlyOnce: exactlyOnce, InstanceID: "second"})
			cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			adm := kadm.NewClient(cl)
			var state string
			waitUntil(t, "the second pipeline to commit the whole topic", 30*time.Second, func() bool {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				ends, err := adm.ListEndOffsets(ctx, mid)
				if err != nil {
					t.Fatal(err)
				}
				offsets, err := adm.FetchOffsets(ctx, group)
				if err != nil {
					return false // the group has no coordinator yet, say
				}
				state = fmt.Sprintf("committed %v, ends", offsets.Offsets().KOffsets())
				done := second.Stats().Committed == n
				ends.Each(func(e kadm.ListedOffset) {
					state += fmt.Sprintf(" %d:%d", e.Partition, e.Offset)
					o, _ := offsets.Lookup(mid, e.Partition)
					done = done && o.At >= e.Offset
				})
				return done
			})
			t.Log(state)
			if st := second.Stats(); st.Lag != 0 || st.Committed != n {
				t.Errorf("stats %+v", st)
			}
			exactlyOnceOutput(t, brokers, dst, n)
		})
	}
}

// abortTransaction writes records "aborted-0".."aborted-9" to topic in a
// transaction that it aborts.
func abortTransaction(t *testing.T, brokers []string, topic string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.TransactionalID(testbroker.UniqueName(t, "txn")), kgo.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		v := []byte(fmt.Sprint("aborted-", i))
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Key: v, Value: v}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	if err := cl.EndTransaction(ctx, kgo.TryAbort); err != nil {
		t.Fatal(err)
	}
}
