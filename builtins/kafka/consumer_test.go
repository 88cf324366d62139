package kafka

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/builtins/py"
)

// consumerCase is a consumer script and what it prints (normalised),
// "ERROR Class: message" last when it fails.
type consumerCase struct {
	name, src, want string
}

func runConsumerCases(t *testing.T, boot string, cases []consumerCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := consNormalise(runConsumer(t, boot, c.src))
			if strings.TrimSpace(got) != strings.TrimSpace(c.want) {
				t.Errorf("script:\n%s\n--- got ---\n%s\n--- want ---\n%s", c.src, got, c.want)
			}
		})
	}
}

// Construction fails on a bad config before any connection is made, with
// kafka-python's exception naming the key.
func TestConsumerConfigErrors(t *testing.T) {
	t.Parallel()
	const nowhere = "127.0.0.1:1"
	runConsumerCases(t, nowhere, []consumerCase{
		{"unknown key, set form, did you mean", `KafkaConsumer(auto_offset_rest='earliest')`,
			"ERROR KafkaConfigurationError: Unrecognized configs: {'auto_offset_rest'} (did you mean 'auto_offset_reset'?)"},
		{"unknown key far from any", `KafkaConsumer(foo=1)`,
			"ERROR KafkaConfigurationError: Unrecognized configs: {'foo'}"},
		{"bad auto_offset_reset", `KafkaConsumer(auto_offset_reset='middle')`,
			"ERROR KafkaConfigurationError: auto_offset_reset: must be one of 'earliest', 'latest', 'smallest', 'largest', 'none', None, not 'middle'"},
		{"wrong type", `KafkaConsumer(group_id=5)`,
			"ERROR KafkaConfigurationError: group_id: want str or None, got int (5)"},
		{"bool key", `KafkaConsumer(enable_auto_commit='yes')`,
			"ERROR KafkaConfigurationError: enable_auto_commit: want bool, got str ('yes')"},
		{"max_poll_records positive", `KafkaConsumer(max_poll_records=0)`,
			"ERROR KafkaConfigurationError: max_poll_records: must be positive, not 0"},
		{"max_poll_records beyond 64 bits", `KafkaConsumer(max_poll_records=1180591620717411303424)`,
			"ERROR KafkaConfigurationError: max_poll_records: must be at most 9223372036854775807, not 1180591620717411303424"},
		{"a timeout beyond 64 bits", `KafkaConsumer(session_timeout_ms=18446744073709551616)`,
			"ERROR KafkaConfigurationError: session_timeout_ms: must be at most 9223372036854775807, not 18446744073709551616"},
		{"fetch_max_wait_ms beyond 64 bits", `KafkaConsumer(fetch_max_wait_ms=-1180591620717411303424)`,
			"ERROR KafkaConfigurationError: fetch_max_wait_ms: must not be negative, not -1180591620717411303424"},
		{"isolation level", `KafkaConsumer(isolation_level='serializable')`,
			"ERROR KafkaConfigurationError: isolation_level: must be one of 'read_uncommitted', 'read_committed', not 'serializable'"},
		{"deserializer", `KafkaConsumer(value_deserializer='json')`,
			"ERROR KafkaConfigurationError: value_deserializer: want a callable or an object with deserialize(), got str ('json')"},
		{"assignor", `KafkaConsumer(partition_assignment_strategy=['fair'])`,
			"ERROR KafkaConfigurationError: partition_assignment_strategy: unknown partition assignor 'fair' (want RangePartitionAssignor, RoundRobinPartitionAssignor or StickyPartitionAssignor)"},
		{"timeouts ordered", `KafkaConsumer(request_timeout_ms=100)`,
			"ERROR KafkaConfigurationError: connections_max_idle_ms (540000) must be larger than request_timeout_ms (100) which must be larger than fetch_max_wait_ms (500)."},
		{"request vs session timeout", `KafkaConsumer(group_id='g', request_timeout_ms=10000)`,
			"ERROR KafkaConfigurationError: Request timeout (10000) must be larger than session timeout (10000)"},
		{"heartbeat vs session", `KafkaConsumer(group_id='g', heartbeat_interval_ms=20000)`,
			"ERROR AssertionError: Heartbeat interval must be lower than the session timeout"},
		{"instance id needs group", `KafkaConsumer(group_instance_id='i')`,
			"ERROR KafkaConfigurationError: group_instance_id requires group_id"},
		{"security protocol", `KafkaConsumer(security_protocol='TLS')`,
			"ERROR AssertionError: security_protocol must be in PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"},
		{"sasl user", `KafkaConsumer(security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN')`,
			"ERROR AssertionError: sasl_plain_username required for PLAIN or SCRAM sasl"},
		{"topics are str", `KafkaConsumer(5)`,
			"ERROR TypeError: KafkaConsumer() topics must be str, not int (argument 1)"},
		{"no broker", `KafkaConsumer(api_version_auto_timeout_ms=500)`,
			"ERROR NoBrokersAvailable (caused by KafkaConnectionError: unable to dial: dial tcp 127.0.0.1:<PORT>: connect: connection refused)"},
	})
}

// The consumer's config carries kafka-python's defaults.
func TestConsumerDefaults(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	runConsumerCases(t, boot, []consumerCase{
		{"defaults", `
c = KafkaConsumer()
for k in ['group_id', 'auto_offset_reset', 'enable_auto_commit', 'auto_commit_interval_ms',
          'consumer_timeout_ms', 'isolation_level', 'request_timeout_ms', 'session_timeout_ms',
          'max_poll_records', 'client_id', 'fetch_max_wait_ms', 'max_partition_fetch_bytes']:
    print(k, repr(c.config[k]))
print(c.subscription(), c.assignment(), c.paused())
print(c.bootstrap_connected() in (True, False))
print(sorted(c.metrics().keys())[:3])
c.close()
c.close()
`, `
group_id None
auto_offset_reset 'latest'
enable_auto_commit True
auto_commit_interval_ms 5000
consumer_timeout_ms inf
isolation_level 'read_uncommitted'
request_timeout_ms 305000
session_timeout_ms 10000
max_poll_records 500
client_id 'kafka-python-2.0.2'
fetch_max_wait_ms 500
max_partition_fetch_bytes 1048576
None set() set()
True
['consumer-coordinator-metrics', 'consumer-fetch-manager-metrics', 'consumer-metrics']
`},
	})
}

// Every key KafkaConsumer accepts, passed explicitly with its default
// value (those a test must set: bootstrap_servers, auto_offset_reset,
// consumer_timeout_ms, group_id), is accepted and the consumer works.
func TestConsumerEveryKey(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "allkeys", 0, 2, "v")
	chosen := map[string]string{
		"bootstrap_servers":             "[BOOT]",
		"auto_offset_reset":             "'earliest'",
		"consumer_timeout_ms":           "2000",
		"group_id":                      "'allkeys-g'",
		"partition_assignment_strategy": "['range', 'roundrobin']",
	}
	var args []string
	for _, k := range consumerSpec().Keys {
		v, ok := chosen[k.Name]
		if !ok {
			v = py.Repr(k.Default)
		}
		args = append(args, k.Name+"="+v)
	}
	src := "c = KafkaConsumer('allkeys', " + strings.Join(args, ", ") + ")\n" +
		"print([m.value for m in c], c.config['partition_assignment_strategy'])\n"
	runConsumerCases(t, boot, []consumerCase{{"all keys", src,
		"[b'v0', b'v1'] ['range', 'roundrobin']"}})
}

// ConsumerRecord has kafka-python 2.0.2's fields, repr and tuple
// behaviour.
func TestConsumerRecord(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	ts := time.UnixMilli(1563437749438) // normalised to <TS> in the output
	produceRecords(t, boot, "rec",
		&kgo.Record{Partition: 0, Key: []byte("k1"), Value: []byte("hello"), Timestamp: ts,
			Headers: []kgo.RecordHeader{{Key: "h", Value: []byte("v")}, {Key: "é", Value: nil}}},
		&kgo.Record{Partition: 0, Value: []byte("message0"), Timestamp: ts},
		&kgo.Record{Partition: 0, Key: []byte("k"), Value: nil, Timestamp: ts},
	)
	runConsumerCases(t, boot, []consumerCase{
		{"repr and fields", `
c = KafkaConsumer('rec', auto_offset_reset='earliest', consumer_timeout_ms=2000)
recs = list(c)
for r in recs:
    print(r)
r = recs[0]
print(r.topic, r.partition, r.offset, r.timestamp, r.timestamp_type, r.key, r.value)
print(r.timestamp == 1563437749438)
print(r.headers, r.checksum, r.serialized_key_size, r.serialized_value_size, r.serialized_header_size)
print(len(r), r[0], r[-1], r[5:7])
topic, partition, offset, timestamp, tstype, key, value, headers, checksum, ks, vs, hs = r
print(topic, offset, value)
print(r == recs[0], r == recs[1], r != recs[1])
print(r._fields[:3], list(r._asdict().keys())[-1])
print(r._replace(value=b'x'))
`, `
ConsumerRecord(topic='rec', partition=0, offset=0, timestamp=<TS>, timestamp_type=0, key=b'k1', value=b'hello', headers=[('h', b'v'), ('é', None)], checksum=None, serialized_key_size=2, serialized_value_size=5, serialized_header_size=4)
ConsumerRecord(topic='rec', partition=0, offset=1, timestamp=<TS>, timestamp_type=0, key=None, value=b'message0', headers=[], checksum=None, serialized_key_size=-1, serialized_value_size=8, serialized_header_size=-1)
ConsumerRecord(topic='rec', partition=0, offset=2, timestamp=<TS>, timestamp_type=0, key=b'k', value=None, headers=[], checksum=None, serialized_key_size=1, serialized_value_size=-1, serialized_header_size=-1)
rec 0 0 <TS> 0 b'k1' b'hello'
True
[('h', b'v'), ('é', None)] None 2 5 4
12 rec 4 (b'k1', b'hello')
rec 0 b'hello'
True False True
('topic', 'partition', 'offset') serialized_header_size
ConsumerRecord(topic='rec', partition=0, offset=0, timestamp=<TS>, timestamp_type=0, key=b'k1', value=b'x', headers=[('h', b'v'), ('é', None)], checksum=None, serialized_key_size=2, serialized_value_size=5, serialized_header_size=4)
`},
		{"unhashable like a namedtuple with a list", `
c = KafkaConsumer('rec', auto_offset_reset='earliest', consumer_timeout_ms=2000)
print({next(c): 1})
`, "ERROR TypeError: unhashable type: 'list'"},
		{"deserialized values print as Python would", `
c = KafkaConsumer('rec', auto_offset_reset='earliest', consumer_timeout_ms=2000,
                  key_deserializer=lambda k: k, value_deserializer=lambda v: {'len': len(v) if v != None else None})
for r in c:
    print(r.key, r.value, r.serialized_value_size)
`, `
b'k1' {'len': 5} 5
None {'len': 8} 8
b'k' {'len': None} -1
`},
	})
}

// Iteration: consumer_timeout_ms ends a loop that long after the last
// record (the clock restarts on each record), the consumer can be
// iterated again, and next() works.
func TestConsumerIteration(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "it", 0, 1, "first")
	r := newConsScript(boot)
	done := make(chan error, 1)
	go func() {
		done <- r.exec(context.Background(), `
c = KafkaConsumer('it', group_id='it-g', auto_offset_reset='earliest', consumer_timeout_ms=2000)
start = time.time()
got = [m.value for m in c]
d = time.time() - start
print(len(got), got[0], got[-1], 'longer than the timeout', d > 1.5)
start = time.time()
print('again', list(c))
d = time.time() - start
print('waited the timeout', d > 0.6 and d < 3)
print('next', next(c, 'default'))
`, nil)
	}()
	// A record every 250ms for 2s: less than the timeout apart.
	for i := 0; i < 8; i++ {
		time.Sleep(250 * time.Millisecond)
		produceValues(t, boot, "it", 0, 1, fmt.Sprintf("r%d-", i))
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := `9 b'first0' b'r7-0' longer than the timeout True
again []
waited the timeout True
next default
`
	if got := consNormalise(r.out.String()); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// auto_offset_reset='latest' (the default) starts after what was
// written before; 'earliest' at the start.
func TestConsumerResetPolicy(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "rp", 0, 3, "old")
	runConsumerCases(t, boot, []consumerCase{{"latest and earliest", `
tp = TopicPartition('rp', 0)
latest = KafkaConsumer(consumer_timeout_ms=500)
latest.assign([tp])
print(latest.position(tp), list(latest))
earliest = KafkaConsumer(auto_offset_reset='earliest', consumer_timeout_ms=2000)
earliest.assign([tp])
print(earliest.position(tp), [m.value for m in earliest])
none = KafkaConsumer(auto_offset_reset='none', consumer_timeout_ms=500)
none.assign([tp])
none.poll()
`, `
3 []
0 [b'old0', b'old1', b'old2']
ERROR NoOffsetForPartitionError: TopicPartition(topic='rp', partition=0)
`}})
}

// Cancelling the execution (Ctrl-C) stops an iteration that waits for
// records, promptly, with KeyboardInterrupt.
func TestConsumerIterationCancel(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	r := newConsScript(boot)
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		time.Sleep(500 * time.Millisecond)
		cancel(py.ErrKeyboardInterrupt)
	}()
	start := time.Now()
	err := r.exec(ctx, `
c = KafkaConsumer('idle', auto_offset_reset='earliest')
for msg in c:
    print(msg)
print('not reached')
`, nil)
	if e := py.AsException(err); e == nil || e.Class != py.KeyboardInterrupt {
		t.Fatalf("got %v, want KeyboardInterrupt", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to stop", d)
	}
	if strings.Contains(r.out.String(), "not reached") {
		t.Errorf("the script went on after the interrupted loop")
	}
}

// poll() returns {TopicPartition: [ConsumerRecord]} with at most
// max_records records, and checks its arguments as kafka-python 3.0 does.
func TestConsumerPoll(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "pl", 0, 5, "a")
	produceValues(t, boot, "pl", 1, 5, "b")
	runConsumerCases(t, boot, []consumerCase{
		{"shape and max_records", `
c = KafkaConsumer('pl', auto_offset_reset='earliest')
print(c.poll())
total = 0
for _ in range(20):
    batch = c.poll(timeout_ms=500, max_records=3)
    n = sum([len(v) for v in batch.values()])
    if n > 3:
        print('too many', n)
    total += n
    for tp, recs in batch.items():
        if [r.partition for r in recs] != [tp.partition] * len(recs):
            print('wrong key', tp)
    if total == 10:
        break
print(total, type(list(batch.keys())[0]))
print(c.position(TopicPartition('pl', 0)), c.position(TopicPartition('pl', 1)))
`, `
{}
10 <class 'kafka.structs.TopicPartition'>
5 5
`},
		{"bad arguments", `
c = KafkaConsumer()
for args in [{'timeout_ms': -1}, {'max_records': 0}, {'max_records': 'x'}]:
    print(args)
    c.poll(**args)
`, `
{'timeout_ms': -1}
ERROR ValueError: Timeout must not be negative
`},
		{"max_records", `KafkaConsumer().poll(max_records=0)`, "ERROR ValueError: max_records must be positive"},
		{"sys.maxsize is a max_poll_records", `print(KafkaConsumer(max_poll_records=9223372036854775807).poll(timeout_ms=0))`, "{}"},
		{"max_records beyond 64 bits", `KafkaConsumer().poll(max_records=1180591620717411303424)`, "ERROR ValueError: max_records must be at most 9223372036854775807"},
		{"max_records type", `KafkaConsumer().poll(max_records='x')`, "ERROR TypeError: max_records must be an integer"},
		{"timeout_ms type", `KafkaConsumer().poll(timeout_ms='1s')`, "ERROR TypeError: timeout_ms must be an int, not str"},
		{"after close", `
c = KafkaConsumer()
c.close()
print(list(c), next(c, 'stop'))
c.poll()
`, `
[] stop
ERROR IllegalStateError: KafkaConsumer is closed
`},
		{"nothing assigned", `print(KafkaConsumer(consumer_timeout_ms=300).poll(timeout_ms=200), list(KafkaConsumer(consumer_timeout_ms=300)))`, "{} []"},
	})
}

// docs/consumer-config.md holds the consumer's key table as
// ConsumerConfigTable renders it; every key says what kstar does with it.
// KSTAR_UPDATE_DOCS=1 rewrites the table.
func TestConsumerConfigDoc(t *testing.T) {
	t.Parallel()
	checkConfigDoc(t, "../../docs/consumer-config.md", ConsumerConfigTable())
}
