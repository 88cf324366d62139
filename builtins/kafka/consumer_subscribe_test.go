package kafka

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// subscribe/assign errors and states, as kafka-python (3.0's exception
// classes where 2.0.2 used bare asserts).
func TestConsumerSubscribeErrors(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	mixed := "ERROR IllegalStateError: You must choose only one way to configure your consumer: (1) subscribe to specific topics by name, (2) subscribe to topics matching a regex pattern, (3) assign itself specific topic-partitions."
	runConsumerCases(t, boot, []consumerCase{
		{"assign after subscribe", `
c = KafkaConsumer('a')
c.assign([TopicPartition('a', 0)])`, mixed},
		{"subscribe after assign", `
c = KafkaConsumer()
c.assign([TopicPartition('a', 0)])
c.subscribe(['a'])`, mixed},
		{"topics and pattern", `KafkaConsumer().subscribe(['a'], pattern='b.*')`, mixed},
		{"neither", `KafkaConsumer().subscribe()`, "ERROR ValueError: Must provide topics or pattern"},
		{"illegal name", `KafkaConsumer().subscribe(['bad topic'])`,
			`ERROR ValueError: Topic name "bad topic" is illegal, it contains a character other than ASCII alphanumerics, ".", "_" and "-"`},
		{"None topic", `KafkaConsumer().subscribe(['a', None])`, "ERROR TypeError: All topics must not be None"},
		{"not a listener, subscription kept", `
c = KafkaConsumer()
c.subscribe(['a'], listener=5)`, "ERROR TypeError: listener must be a ConsumerRebalanceListener"},
		{"assign takes TopicPartitions", `KafkaConsumer().assign([('a', 0)])`,
			"ERROR AttributeError: 'tuple' object has no attribute 'topic'"},
		{"assign a negative partition", `KafkaConsumer().assign([TopicPartition('a', 0), TopicPartition('t', -3)])`,
			"ERROR ValueError: assign(): partition must not be negative: TopicPartition(topic='t', partition=-3)"},
		{"assign a partition beyond int32", `KafkaConsumer().assign([TopicPartition('t', 2147483648)])`,
			"ERROR ValueError: assign(): partition must be at most 2147483647: TopicPartition(topic='t', partition=2147483648)"},
		{"assign a str partition", `KafkaConsumer().assign([TopicPartition('t', '0')])`,
			"ERROR TypeError: assign(): partition must be int, not str: TopicPartition(topic='t', partition='0')"},
		{"assign a bytes topic", `KafkaConsumer().assign([TopicPartition(b't', 0)])`,
			"ERROR TypeError: assign(): topic must be str, not bytes: TopicPartition(topic=b't', partition=0)"},
		{"states", `
c = KafkaConsumer()
c.subscribe('one')
print(c.subscription())
c.subscribe(['b', 'a', 'a'])
print(sorted(c.subscription()))
c.unsubscribe()
print(c.subscription(), c.assignment())
c.assign([TopicPartition('a', 1), TopicPartition('a', 0)])
print(sorted(c.assignment()), c.subscription())
c.assign([])
print(c.assignment())
c.subscribe(pattern='^a')
print(c.subscription())
l = ConsumerRebalanceListener()
c.subscribe(['a'], listener=l)
print(l, l.on_partitions_revoked(set()))
`, `
{'one'}
['a', 'b']
None set()
[TopicPartition(topic='a', partition=0), TopicPartition(topic='a', partition=1)] None
set()
set()
<kafka.consumer.subscription_state.ConsumerRebalanceListener object at 0x<ADDR>> None
`},
	})
}

// A group groupMember's listener hears of its partitions on the script's
// thread: revoked set() then assigned on the first join; when a second
// groupMember joins, revoked (after the auto-commit) then assigned with its
// share.
func TestConsumerGroupRebalance(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "rb", -1, 30, "m")
	joined := joinSecondMember(t, boot, "rb-g", "rb")
	got := runConsumerWith(t, boot, starlark.StringDict{"joined": joined}, `
events = []
def revoked(tps):
    events.append(('revoked', sorted([tp.partition for tp in tps])))
def assigned(tps):
    events.append(('assigned', sorted([tp.partition for tp in tps])))
c = KafkaConsumer(group_id='rb-g', auto_offset_reset='earliest', session_timeout_ms=1000,
                  heartbeat_interval_ms=100, consumer_timeout_ms=1500)
c.subscribe(['rb'], listener=ConsumerRebalanceListener(revoked, assigned))
n = len(list(c))
print(n, events)
joined()
for i in range(20):
    c.poll(timeout_ms=200)
    if len(events) == 4:
        break
print(events[2:])
print(sorted(c.assignment()) == [TopicPartition('rb', p) for p in events[-1][1]])
print(c.committed(TopicPartition('rb', 0)) + c.committed(TopicPartition('rb', 1)) + c.committed(TopicPartition('rb', 2)))
`)
	want := `30 [('revoked', []), ('assigned', [0, 1, 2])]
[('revoked', [0, 1, 2]), ('assigned', [0, 1])]
True
30
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// joinSecondMember returns joined(), which starts a franz-go member of
// group consuming topic, for the script's member to rebalance with; it
// leaves when the test ends.
func joinSecondMember(t *testing.T, boot, group, topic string) *starlark.Builtin {
	t.Helper()
	var other *kgo.Client
	t.Cleanup(func() {
		if other != nil {
			other.Close()
		}
	})
	return py.Func("joined", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.ConsumerGroup(group),
			kgo.ConsumeTopics(topic), kgo.Balancers(kgo.RangeBalancer()), kgo.SessionTimeout(time.Second),
			kgo.HeartbeatInterval(100*time.Millisecond))
		if err != nil {
			return nil, err
		}
		other = cl
		go func() {
			for {
				if fs := cl.PollFetches(context.Background()); fs.IsClientClosed() {
					return
				}
			}
		}()
		return starlark.None, nil
	})
}

// A script's subclass of ConsumerRebalanceListener (a class statement, as
// kafka-python's users write it) is called as the functions above are:
// it records the calls and commits on revocation with auto-commit off, so
// the commit made in on_partitions_revoked is what the group holds.
func TestConsumerRebalanceListenerSubclass(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "rbs", -1, 30, "m")
	r := newConsScript(boot)
	r.python = true
	err := r.exec(context.Background(), `
class CommitOnRevoke(ConsumerRebalanceListener):
    def __init__(self, consumer):
        self.consumer = consumer
        self.events = []

    def on_partitions_revoked(self, revoked):
        self.events.append(('revoked', sorted([tp.partition for tp in revoked])))
        if revoked:
            self.consumer.commit()


    def on_partitions_assigned(self, assigned):
        self.events.append(('assigned', sorted([tp.partition for tp in assigned])))


c = KafkaConsumer(group_id='rbs-g', auto_offset_reset='earliest', session_timeout_ms=1000,
                  heartbeat_interval_ms=100, consumer_timeout_ms=1500, enable_auto_commit=False)
listener = CommitOnRevoke(c)
c.subscribe(['rbs'], listener=listener)
n = len(list(c))
print(n, listener.events, isinstance(listener, ConsumerRebalanceListener))
joined()
for i in range(20):
    c.poll(timeout_ms=200)
    if len(listener.events) == 4:
        break
print(listener.events[2:])
print(c.committed(TopicPartition('rbs', 0)) + c.committed(TopicPartition('rbs', 1)) + c.committed(TopicPartition('rbs', 2)))
`, starlark.StringDict{"joined": joinSecondMember(t, boot, "rbs-g", "rbs")})
	if err != nil {
		t.Fatal(err)
	}
	want := `30 [('revoked', []), ('assigned', [0, 1, 2])] True
[('revoked', [0, 1, 2]), ('assigned', [0, 1])]
30
`
	if got := r.out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A host's AllowedTopics limits what a script may consume: naming another
// topic fails, and a pattern only matches allowed topics.
func TestConsumerAllowedTopics(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "open-1", 0, 1, "o")
	produceValues(t, boot, "open-2", 0, 1, "x")
	run := func(src string) string {
		r := newConsScript(boot)
		r.kafka.AllowedTopics = []string{"open-1"}
		err := r.exec(context.Background(), src, nil)
		out := r.out.String()
		if err != nil {
			out += "ERROR " + errorLine(err) + "\n"
		}
		return out
	}
	if got := run(`KafkaConsumer('open-2')`); got != "ERROR TopicAuthorizationFailedError: topic 'open-2' is not allowed here (allowed: open-1)\n" {
		t.Errorf("subscribe: %q", got)
	}
	if got := run(`KafkaConsumer().assign([TopicPartition('open-2', 0)])`); !strings.Contains(got, "TopicAuthorizationFailedError") {
		t.Errorf("assign: %q", got)
	}
	got := run(`
c = KafkaConsumer(auto_offset_reset='earliest', consumer_timeout_ms=2000)
c.subscribe(pattern='open-.*')
print([m.topic for m in c], c.subscription(), c.topics())
`)
	if got != "['open-1'] {'open-1'} {'open-1'}\n" {
		t.Errorf("pattern: %q", got)
	}
}

// Subscribing again in a group is a rebalance for the listener: the old
// partitions are revoked (after the auto-commit), then the new assigned.
func TestConsumerResubscribe(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "re-a", 0, 2, "a")
	produceValues(t, boot, "re-b", 0, 2, "b")
	got := runConsumer(t, boot, `
def revoked(tps):
    print('revoked', sorted([(tp.topic, tp.partition) for tp in tps]))
def assigned(tps):
    print('assigned', sorted([(tp.topic, tp.partition) for tp in tps]))
listener = ConsumerRebalanceListener(revoked, assigned)
c = KafkaConsumer(group_id='re-g', auto_offset_reset='earliest', consumer_timeout_ms=1000)
c.subscribe(['re-a'], listener=listener)
print([m.value for m in c])
c.subscribe(['re-b'], listener=listener)
print([m.value for m in c])
print(KafkaConsumer(group_id='re-g').committed(TopicPartition('re-a', 0)))
c.unsubscribe()
print(c.subscription(), c.assignment())
`)
	want := `revoked []
assigned [('re-a', 0), ('re-a', 1), ('re-a', 2)]
[b'a0', b'a1']
revoked [('re-a', 0), ('re-a', 1), ('re-a', 2)]
assigned [('re-b', 0), ('re-b', 1), ('re-b', 2)]
[b'b0', b'b1']
2
None set()
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
