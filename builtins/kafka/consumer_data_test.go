package kafka

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// A failing deserializer stops the script with its own error (the call
// stack reaching into the deserializer) plus a note naming the record, and
// that record's offset is not committed.
func TestConsumerDeserializerFailure(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceRecords(t, boot, "ds",
		&kgo.Record{Partition: 0, Value: []byte(`{"a": 1}`)},
		&kgo.Record{Partition: 0, Value: []byte(`not json`)},
		&kgo.Record{Partition: 0, Value: []byte(`{"a": 3}`)},
	)
	r := newConsScript(boot)
	err := r.exec(context.Background(), `
def parse(m):
    return json.loads(m)
c = KafkaConsumer('ds', group_id='ds-g', auto_offset_reset='earliest', consumer_timeout_ms=2000, value_deserializer=parse)
for msg in c:
    print(msg.value)
print('not reached')
`, nil)
	if got := r.out.String(); got != "{\"a\": 1}\n" && got != "{'a': 1}\n" {
		t.Errorf("printed %q", got)
	}
	var ee *starlark.EvalError
	if !errorsAsEval(err, &ee) {
		t.Fatalf("got %T %v, want the deserializer's EvalError", err, err)
	}
	var frames []string
	for _, fr := range ee.CallStack {
		frames = append(frames, fr.Name)
	}
	if s := strings.Join(frames, " "); !strings.Contains(s, "<toplevel> parse") {
		t.Errorf("call stack %q does not reach into the deserializer", s)
	}
	line := errorLine(err)
	if !strings.HasSuffix(line, "\nwhile deserializing the value of the record at topic 'ds', partition 0, offset 1") {
		t.Errorf("error %q lacks the record note", line)
	}
	got := runConsumer(t, boot, `print(KafkaConsumer(group_id='ds-g').committed(TopicPartition('ds', 0)))`)
	if got != "1\n" {
		t.Errorf("committed %q, want 1 (the failed record is not committed)", got)
	}
	// next() raises it too, and poll() as well, without advancing.
	got = runConsumer(t, boot, `
c = KafkaConsumer('ds', auto_offset_reset='earliest', consumer_timeout_ms=2000, key_deserializer=lambda k: k.decode())
next(c)
`)
	if !strings.Contains(got, "ERROR NoneType has no .decode") || !strings.Contains(got, "while deserializing the key of the record at topic 'ds', partition 0, offset 0") {
		t.Errorf("next: %q", got)
	}
	got = runConsumer(t, boot, `
c = KafkaConsumer('ds', auto_offset_reset='earliest', value_deserializer=lambda v: json.loads(v))
tp = TopicPartition('ds', 0)
for i in range(10):
    c.poll(timeout_ms=300)
`)
	if !strings.Contains(got, "offset 1") {
		t.Errorf("poll: %q", got)
	}
}

// Deserializer objects (kafka-python's Deserializer) get the topic too,
// and 3.0's the headers.
func TestConsumerDeserializerObjects(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceRecords(t, boot, "do", &kgo.Record{Partition: 0, Key: []byte("k"), Value: []byte("v"), Headers: []kgo.RecordHeader{{Key: "h", Value: []byte("x")}}})
	// Scripts cannot make such objects; a host can (here, a struct).
	got := runConsumerWith(t, boot, starlark.StringDict{"struct": starlark.NewBuiltin("struct", starlarkstruct.Make)}, `
def two(topic, data):
    return (topic, data)
def three(topic, headers, data):
    return (topic, headers, data)
c = KafkaConsumer('do', auto_offset_reset='earliest', consumer_timeout_ms=1000,
                  key_deserializer=struct(deserialize=two), value_deserializer=struct(deserialize=three))
m = next(c)
print(m.key, m.value)
`)
	if got != "('do', b'k') ('do', [('h', b'x')], b'v')\n" {
		t.Errorf("got %q", got)
	}
}

// isolation_level='read_committed' hides aborted transactions and waits
// for open ones; read_uncommitted sees everything.
func TestConsumerReadCommitted(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	txn := func(id string, commit bool, values ...string) {
		cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.TransactionalID(id),
			kgo.DefaultProduceTopic("rc"), kgo.AllowAutoTopicCreation(), kgo.RecordPartitioner(kgo.ManualPartitioner()))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		ctx := context.Background()
		if err := cl.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			if err := cl.ProduceSync(ctx, &kgo.Record{Value: []byte(v)}).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
		if err := cl.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
			t.Fatal(err)
		}
	}
	txn("t1", true, "c1", "c2")
	txn("t2", false, "a1", "a2")
	txn("t3", true, "c3")
	runConsumerCases(t, boot, []consumerCase{
		{"read_committed", `
c = KafkaConsumer('rc', isolation_level='read_committed', auto_offset_reset='earliest', consumer_timeout_ms=1000)
print([m.value for m in c])
`, "[b'c1', b'c2', b'c3']"},
		{"read_uncommitted", `
c = KafkaConsumer('rc', auto_offset_reset='earliest', consumer_timeout_ms=1000)
print([m.value for m in c])
`, "[b'c1', b'c2', b'a1', b'a2', b'c3']"},
	})
}

// Batches compressed with every codec are read.
func TestConsumerCompression(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	for i, codec := range []kgo.CompressionCodec{kgo.NoCompression(), kgo.GzipCompression(), kgo.SnappyCompression(), kgo.Lz4Compression(), kgo.ZstdCompression()} {
		produceValues(t, boot, "cz", int32(i%3), 4, strings.Repeat("x", 50)+"-", kgo.ProducerBatchCompression(codec))
	}
	got := runConsumer(t, boot, `
c = KafkaConsumer('cz', auto_offset_reset='earliest', consumer_timeout_ms=1000)
vals = [m.value for m in c]
print(len(vals), len([v for v in vals if len(v) == 52]))
`)
	if got != "20 20\n" {
		t.Errorf("got %q", got)
	}
	_ = time.Second
}
