package kafka

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	kbroker "github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// With enable_auto_commit=False and commit() after each record, a
// consumer that stops anywhere is resumed by the next one in the group
// exactly after its last committed record: nothing lost, nothing twice.
func TestConsumerCommitResume(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "cr", -1, 60, "m")
	var all []string
	for _, stop := range []int{7, 20, 1, 100} {
		out := runConsumer(t, boot, fmt.Sprintf(`
c = KafkaConsumer('cr', group_id='cr-g', auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=1500)
n = 0
for msg in c:
    print(msg.value)
    c.commit()
    n += 1
    if n == %d:
        break
`, stop))
		if strings.Contains(out, "ERROR") {
			t.Fatal(out)
		}
		all = append(all, strings.Fields(out)...)
	}
	seen := map[string]int{}
	for _, v := range all {
		seen[v]++
	}
	for i := 0; i < 60; i++ {
		v := fmt.Sprintf("b'm%d'", i)
		if seen[v] != 1 {
			t.Errorf("%s read %d times", v, seen[v])
		}
	}
	if len(all) != 60 {
		t.Errorf("read %d records, want 60", len(all))
	}
}

// Auto-commit commits only what iteration yielded: a loop that stops
// early leaves the rest for the next groupMember; close(autocommit=False)
// commits nothing.
func TestConsumerAutoCommit(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "ac", 0, 10, "m")
	runConsumerCases(t, boot, []consumerCase{
		{"auto-commit at close commits the yielded records", `
c = KafkaConsumer('ac', group_id='ac-g', auto_offset_reset='earliest', consumer_timeout_ms=1500)
n = 0
for msg in c:
    n += 1
    if n == 4:
        break
c.close()
d = KafkaConsumer(group_id='ac-g')
print(d.committed(TopicPartition('ac', 0)))
`, "4"},
		{"the interval commits during iteration", `
c = KafkaConsumer('ac', group_id='ac-g2', auto_offset_reset='earliest', auto_commit_interval_ms=100,
                  max_poll_records=1, consumer_timeout_ms=1500)
d = KafkaConsumer(group_id='ac-g2')
tp = TopicPartition('ac', 0)
n = 0
for msg in c:
    n += 1
    time.sleep(0.05)
    if n == 6:
        break
print('committed while iterating', d.committed(tp) in (3, 4, 5))
time.sleep(0.2)
c.poll(timeout_ms=0, max_records=1)
for i in range(40):
    if d.committed(tp) == 6:
        break
    time.sleep(0.05)
print(d.committed(tp))
c.close(autocommit=False)
`, "committed while iterating True\n6"},
		{"close without autocommit", `
c = KafkaConsumer('ac', group_id='ac-g3', auto_offset_reset='earliest', consumer_timeout_ms=1500)
print(len(list(c)))
c.close(autocommit=False)
print(KafkaConsumer(group_id='ac-g3').committed(TopicPartition('ac', 0)))
`, "10\nNone"},
		{"the end of the script commits", `
c = KafkaConsumer('ac', group_id='ac-g4', auto_offset_reset='earliest', consumer_timeout_ms=1500)
print(next(c).offset, next(c).offset)
`, "0 1"},
		{"resumed", `
print(KafkaConsumer(group_id='ac-g4').committed(TopicPartition('ac', 0)))
`, "2"},
	})
}

// commit, commit_async, committed, position and their errors.
func TestConsumerCommits(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "cm", 0, 5, "m")
	runConsumerCases(t, boot, []consumerCase{
		{"explicit offsets and metadata", `
tp = TopicPartition('cm', 0)
c = KafkaConsumer(group_id='cm-g', enable_auto_commit=False)
c.assign([tp])
print(c.committed(tp))
c.commit({tp: OffsetAndMetadata(3, 'note')})
print(c.committed(tp), c.committed(tp, metadata=True))
c.commit({tp: 4})
print(c.committed(tp))
print(c.position(tp))
results = []
f = c.commit_async({tp: OffsetAndMetadata(5, '')}, callback=lambda offsets, resp: results.append((offsets, resp)))
print(f.get(timeout=5), f.is_done, f.succeeded(), f.exception)
print(results)
print(c.committed(tp))
f = c.commit_async()
print(f.get(timeout=5))
print(c.committed(tp))
`, `
None
3 OffsetAndMetadata(offset=3, metadata='note')
4
4
None True True None
[({TopicPartition(topic='cm', partition=0): OffsetAndMetadata(offset=5, metadata='')}, None)]
5
None
4
`},
		// kfake answers OffsetFetch for an unknown group with
		// GROUP_ID_NOT_FOUND, Apache Kafka with offset -1: None on both.
		{"a group that never existed", `
c = KafkaConsumer(group_id='cm-never')
print(c.committed(TopicPartition('cm', 0)), c.committed(TopicPartition('cm', 0), metadata=True))
`, "None None"},
		{"no group", `KafkaConsumer().commit()`, "ERROR IllegalStateError: Requires group_id"},
		{"no group async", `KafkaConsumer().commit_async()`, "ERROR IllegalStateError: Requires group_id"},
		{"no group committed", `KafkaConsumer().committed(TopicPartition('cm', 0))`, "ERROR IllegalStateError: Requires group_id"},
		{"offsets type", `KafkaConsumer(group_id='x').commit({('cm', 0): 1})`,
			"ERROR TypeError: offsets must be dict[TopicPartition, OffsetAndMetadata]"},
		{"committed wants a TopicPartition", `KafkaConsumer(group_id='x').committed(('cm', 0))`,
			"ERROR TypeError: partition must be a TopicPartition namedtuple"},
		{"position of an unassigned partition", `KafkaConsumer().position(TopicPartition('cm', 0))`,
			"ERROR IllegalStateError: Partition is not assigned"},
		{"position wants a TopicPartition", `KafkaConsumer().position('cm')`,
			"ERROR TypeError: partition must be a TopicPartition namedtuple"},
		{"highwater wants a TopicPartition", `KafkaConsumer().highwater(None)`,
			"ERROR TypeError: partition must be a TopicPartition namedtuple"},
		{"end_offsets wants a list", `KafkaConsumer().end_offsets(5)`,
			"ERROR TypeError: partitions must be a list of TopicPartition namedtuples"},
		{"beginning_offsets wants TopicPartitions", `KafkaConsumer().beginning_offsets([('cm', 0)])`,
			"ERROR TypeError: partition must be a TopicPartition namedtuple"},
		{"offsets_for_times wants a dict", `KafkaConsumer().offsets_for_times([(TopicPartition('cm', 0), 0)])`,
			"ERROR TypeError: timestamps must be a dict of TopicPartition to int, not list"},
		{"default commit callback", `
tp = TopicPartition('cm', 0)
got = []
c = KafkaConsumer(group_id='cm-g5', default_offset_commit_callback=lambda o, r: got.append(r))
c.assign([tp])
c.commit_async({tp: 1}).get()
print(got)
`, "[None]"},
	})
}

// Metadata that is not a str is committed as kafka-python's encoder sends
// it: str() of the value, and a null string for None. committed() answers
// as kafka-python's does: for an assigned partition, the OffsetAndMetadata
// this consumer committed, as it was given; from the broker, the str (and
// for None what the broker kept: kfake keeps the null, Apache Kafka stores
// an empty string).
func TestConsumerCommitMetadata(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "md", 0, 1, "m")
	stored := "None"
	if os.Getenv(testbroker.EnvVar) != "" {
		stored = "''"
	}
	runConsumerCases(t, boot, []consumerCase{{"any metadata", `
tp = TopicPartition('md', 0)
c = KafkaConsumer(group_id='md-g', enable_auto_commit=False)
c.assign([tp])
for md in [12345, None, 1.5, True, b'x', ['l', 1], 'str']:
    c.commit({tp: OffsetAndMetadata(1, md)})
    fresh = KafkaConsumer(group_id='md-g', enable_auto_commit=False)
    print(repr(md), c.committed(tp), c.committed(tp, metadata=True), fresh.committed(tp, metadata=True))
    fresh.close()
done = []
c.commit_async({tp: OffsetAndMetadata(2, 7)}, callback=lambda offsets, res: done.append((offsets, res))).get(timeout=10)
print(done, c.committed(tp, metadata=True))
c.unsubscribe()
print(c.committed(tp, metadata=True))
`, `
12345 1 OffsetAndMetadata(offset=1, metadata=12345) OffsetAndMetadata(offset=1, metadata='12345')
None 1 OffsetAndMetadata(offset=1, metadata=None) OffsetAndMetadata(offset=1, metadata=` + stored + `)
1.5 1 OffsetAndMetadata(offset=1, metadata=1.5) OffsetAndMetadata(offset=1, metadata='1.5')
True 1 OffsetAndMetadata(offset=1, metadata=True) OffsetAndMetadata(offset=1, metadata='True')
b'x' 1 OffsetAndMetadata(offset=1, metadata=b'x') OffsetAndMetadata(offset=1, metadata="b'x'")
['l', 1] 1 OffsetAndMetadata(offset=1, metadata=['l', 1]) OffsetAndMetadata(offset=1, metadata="['l', 1]")
'str' 1 OffsetAndMetadata(offset=1, metadata='str') OffsetAndMetadata(offset=1, metadata='str')
[({TopicPartition(topic='md', partition=0): OffsetAndMetadata(offset=2, metadata=7)}, None)] OffsetAndMetadata(offset=2, metadata=7)
OffsetAndMetadata(offset=2, metadata='7')
`}})
	// What the broker holds, read with franz-go.
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offsets, err := kadm.NewClient(cl).FetchOffsets(ctx, "md-g")
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := offsets.Lookup("md", 0); o.At != 2 || o.Metadata != "7" {
		t.Errorf("the broker holds offset %d, metadata %q; want 2, \"7\"", o.At, o.Metadata)
	}
}

// A commit the coordinator rejects because the group moved on is
// CommitFailedError, as in kafka-python.
func TestConsumerCommitFailed(t *testing.T) {
	t.Parallel()
	b := testbroker.Embedded(t, kbroker.Config{})
	boot := b.Bootstrap()
	produceValues(t, boot, "cf", 0, 3, "m")
	b.Cluster().ControlKey(int16(kmsg.OffsetCommit), func(req kmsg.Request) (kmsg.Response, error, bool) {
		r := req.(*kmsg.OffsetCommitRequest)
		if r.Group != "cf-g" {
			return nil, nil, false
		}
		b.Cluster().KeepControl()
		resp := r.ResponseKind().(*kmsg.OffsetCommitResponse)
		for _, t := range r.Topics {
			rt := kmsg.NewOffsetCommitResponseTopic()
			rt.Topic = t.Topic
			for _, p := range t.Partitions {
				rp := kmsg.NewOffsetCommitResponseTopicPartition()
				rp.Partition, rp.ErrorCode = p.Partition, kerr.IllegalGeneration.Code
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp, nil, true
	})
	got := runConsumer(t, boot, `
c = KafkaConsumer('cf', group_id='cf-g', auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=2000)
print(next(c).value)
f = c.commit_async()
print(repr(f.exception) if f.get and False else 'async sent')
c.commit()
`)
	want := "b'm0'\nasync sent\nERROR CommitFailedError: " + commitFailedMessage + "\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// seek, seek_to_*, position, highwater, beginning/end offsets and
// offsets_for_times.
func TestConsumerSeekAndOffsets(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	base := time.UnixMilli(1700000000000)
	var recs []*kgo.Record
	for i := 0; i < 6; i++ {
		recs = append(recs, &kgo.Record{Partition: 0, Value: []byte(fmt.Sprintf("v%d", i)), Timestamp: base.Add(time.Duration(i) * time.Second)})
	}
	produceRecords(t, boot, "sk", recs...)
	runConsumerCases(t, boot, []consumerCase{
		{"seek and queries", `
tp, tp1 = TopicPartition('sk', 0), TopicPartition('sk', 1)
c = KafkaConsumer(auto_offset_reset='earliest', consumer_timeout_ms=2000)
c.assign([tp, tp1])
print(c.highwater(tp))
print(c.beginning_offsets([tp, tp1]), c.end_offsets([tp]))
print(c.position(tp), [m.value for m in c], c.position(tp), c.highwater(tp))
c.seek(tp, 2)
print(c.position(tp), next(c).value, c.position(tp))
c.seek_to_beginning(tp)
print(c.position(tp), next(c).offset)
c.seek_to_end()
print(c.position(tp), c.position(tp1), list(c))
c.seek_to_beginning()
print(len(list(c)))
print(c.offsets_for_times({tp: 1700000002500, tp1: 0}))
print(c.offsets_for_times({tp: 1700000009000}))
`, `
None
{TopicPartition(topic='sk', partition=0): 0, TopicPartition(topic='sk', partition=1): 0} {TopicPartition(topic='sk', partition=0): 6}
0 [b'v0', b'v1', b'v2', b'v3', b'v4', b'v5'] 6 6
2 b'v2' 3
0 0
6 0 []
6
{TopicPartition(topic='sk', partition=0): OffsetAndTimestamp(offset=3, timestamp=<TS>), TopicPartition(topic='sk', partition=1): None}
{TopicPartition(topic='sk', partition=0): None}
`},
		{"seek an unassigned partition", `KafkaConsumer().seek(TopicPartition('sk', 0), 1)`, "ERROR ValueError: Unassigned partition"},
		{"seek a negative offset", `
c = KafkaConsumer()
c.assign([TopicPartition('sk', 0)])
c.seek(TopicPartition('sk', 0), -1)`, "ERROR ValueError: Offset must be int >= 0"},
		{"seek_to_end with nothing assigned", `KafkaConsumer().seek_to_end()`, "ERROR ValueError: No partitions are currently assigned"},
		{"seek_to_beginning of an unassigned partition", `
c = KafkaConsumer()
c.assign([TopicPartition('sk', 0)])
c.seek_to_beginning(TopicPartition('sk', 3))`, "ERROR ValueError: Unassigned partition: TopicPartition(topic='sk', partition=3)"},
		{"highwater of an unassigned partition", `KafkaConsumer().highwater(TopicPartition('sk', 0))`, "ERROR IllegalStateError: Partition is not assigned"},
		{"negative time", `KafkaConsumer().offsets_for_times({TopicPartition('sk', 0): -5})`,
			"ERROR ValueError: The target time for partition TopicPartition(topic='sk', partition=0) is -5. The target time cannot be negative."},
		{"end offsets of a missing partition time out", `KafkaConsumer(request_timeout_ms=1000).end_offsets([TopicPartition('sk', 9)])`,
			"ERROR KafkaTimeoutError: Failed to get offsets by timestamps in 1000 ms"},
		{"topics and partitions", `
c = KafkaConsumer()
print('sk' in c.topics(), c.partitions_for_topic('sk'), c.partitions_for_topic('missing'))
`, "True {0, 1, 2} None"},
		{"seek inside the listener's on_partitions_assigned", `
c = KafkaConsumer(group_id='sk-g', consumer_timeout_ms=1500)
def assigned(tps):
    for tp in tps:
        c.seek(tp, 4 if tp.partition == 0 else 0)
c.subscribe(['sk'], listener=ConsumerRebalanceListener(on_partitions_assigned=assigned))
print([m.value for m in c])
`, "[b'v4', b'v5']"},
	})
}

// pause() stops a partition's records (also those already fetched) until
// resume(); paused() lists them.
func TestConsumerPauseResume(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "pr", 0, 4, "a")
	produceValues(t, boot, "pr", 1, 4, "b")
	runConsumerCases(t, boot, []consumerCase{
		{"pause and resume", `
p0, p1 = TopicPartition('pr', 0), TopicPartition('pr', 1)
c = KafkaConsumer(auto_offset_reset='earliest', consumer_timeout_ms=2000)
c.assign([p0, p1])
first = next(c)
c.pause(TopicPartition('pr', first.partition))
print(c.paused() == set([TopicPartition('pr', first.partition)]))
rest = list(c)
print(len(rest), set([m.partition for m in rest]) == set([1 - first.partition]))
c.resume(TopicPartition('pr', first.partition))
print(c.paused(), [m.offset for m in c])
`, `
True
4 True
set() [1, 2, 3]
`},
		{"pause an unassigned partition", `KafkaConsumer().pause(TopicPartition('pr', 0))`, "ERROR KeyError: TopicPartition(topic='pr', partition=0)"},
		{"pause wants TopicPartitions", `KafkaConsumer().pause(('pr', 0))`, "ERROR TypeError: partitions must be TopicPartition namedtuples"},
	})
}

// A pattern subscription picks up topics created later (after
// metadata_max_age_ms), in a group and without one. The second topic is
// created once the consumer has read the first one's record, and the
// script then polls until it has all three records (30 s at most): no
// fixed time window, since creating a topic takes 12 ms on kfake but
// about 0.6 s on Apache Kafka.
func TestConsumerPatternNewTopic(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "pat-one", 0, 1, "one")
	for _, group := range []string{"'pat-g'", "None"} {
		name := "grp"
		if group == "None" {
			name = "nogrp"
		}
		// Not parallel: on a real broker this test holds the cluster lock
		// (testbroker.Isolated) and parallel subtests could deadlock.
		t.Run("group_id="+group, func(t *testing.T) {
			r := newConsScript(boot)
			subscribed := make(chan struct{})
			var once sync.Once
			created := starlark.NewBuiltin("created", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
				once.Do(func() { close(subscribed) })
				return starlark.None, nil
			})
			done := make(chan error, 1)
			go func() {
				done <- r.exec(context.Background(), fmt.Sprintf(`
c = KafkaConsumer(group_id=%s, auto_offset_reset='earliest', metadata_max_age_ms=300)
c.subscribe(pattern='pat-(one|%s-.*)')
topics = []
deadline = time.time() + 30
while len(topics) < 3 and time.time() < deadline:
    for records in c.poll(timeout_ms=100).values():
        for m in records:
            topics.append(m.topic)
            if m.topic == 'pat-one':
                created()  # the test now creates the second topic
print(sorted(topics))
print(sorted(c.subscription()))
`, group, name), starlark.StringDict{"created": created})
			}()
			topic := "pat-" + name + "-two"
			select {
			case <-subscribed:
				produceValues(t, boot, topic, 0, 2, "two")
			case err := <-done:
				t.Fatalf("the script ended before reading pat-one: %v\n%s", err, r.out.String())
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("['%s', '%s', 'pat-one']\n['%s', 'pat-one']\n", topic, topic, topic)
			if got := r.out.String(); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
