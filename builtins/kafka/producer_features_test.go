package kafka

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	kbroker "github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// Every codec compresses. franz-go sends a batch uncompressed when
// compressing does not make it smaller, so each record is compressible on
// its own: the test must not depend on how many records linger_ms groups
// into one batch (under the race detector it can be one).
func TestProducerCompression(t *testing.T) {
	boot := testBootstrap(t)
	value := strings.Repeat("compress me ", 100)
	for codec, code := range map[string]uint8{"None": 0, "'gzip'": 1, "'snappy'": 2, "'lz4'": 3, "'zstd'": 4} {
		topic := "c" + string('0'+code)
		out := prodRun(t, boot, `
p = KafkaProducer(bootstrap_servers=BOOT, compression_type=`+codec+`, linger_ms=20)
for i in range(50):
    p.send('`+topic+`', b'compress me ' * 100, partition=0)
p.flush()
`)
		if out != "" {
			t.Fatalf("%s: %s", codec, out)
		}
		recs := prodConsumeAll(t, boot, topic, 50)
		if len(recs) != 50 {
			t.Fatalf("%s: read %d records, want 50", codec, len(recs))
		}
		for _, r := range recs {
			if got := r.Attrs.CompressionType(); got != code || string(r.Value) != value {
				t.Fatalf("%s: record of %d bytes compressed with codec %d, want %d", codec, len(r.Value), got, code)
			}
		}
	}
}

func TestProducerSerializers(t *testing.T) {
	boot := testBootstrap(t)
	prodRunCases(t, boot, []prodCase{
		{"json value serializer, also called for None", `
p = KafkaProducer(bootstrap_servers=BOOT, value_serializer=lambda v: json.dumps(v))
print(p.send('ser', {'foo': 'bar'}, partition=0).get().serialized_value_size)
print(p.send('ser', key=b'k', partition=0).get().serialized_value_size)
`, "14\n4"},
		{"msgpack.dumps", `
p = KafkaProducer(bootstrap_servers=BOOT, value_serializer=msgpack.dumps)
print(p.send('ser2', {'value_1': 'value_2'}).get().serialized_value_size)
`, "17"},
		{"a serializer returning a wrong type", `
p = KafkaProducer(bootstrap_servers=BOOT, key_serializer=lambda k: 5)
p.send('ser', b'v', key='k')
`, "ERROR TypeError: Unsupported type for serialized key: <class 'int'>"},
		{"a failing serializer", `
p = KafkaProducer(bootstrap_servers=BOOT, value_serializer=lambda v: v['missing'])
p.send('ser', {})
`, `ERROR key "missing" not in dict`},
		{"a serializer that is not callable", `KafkaProducer(bootstrap_servers=BOOT, value_serializer='json')`,
			"ERROR KafkaConfigurationError: value_serializer: want a callable or an object with serialize() or None, got str ('json')"},
	})
	recs := prodConsumeAll(t, boot, "ser", 2)
	if len(recs) != 2 || string(recs[0].Value) != `{"foo": "bar"}` || string(recs[1].Value) != "null" {
		t.Errorf("read %v, want the JSON value and null", recs)
	}

	// kafka-python takes a bytearray key or value (serialized or not) as
	// it takes bytes; what is sent is its contents at send().
	prodRunCases(t, boot, []prodCase{
		{"a bytearray key and value", `
p = KafkaProducer(bootstrap_servers=BOOT)
v = bytearray(b'value')
md = p.send('ser4', v, key=bytearray(b'k'), partition=0)
v[0] = 0x56
print(md.get().serialized_value_size)
p2 = KafkaProducer(bootstrap_servers=BOOT, value_serializer=lambda v: bytearray(v, 'utf-8'))
print(p2.send('ser4', 'text', partition=0).get().serialized_value_size)
`, "5\n4"},
	})
	if recs := prodConsumeAll(t, boot, "ser4", 2); len(recs) != 2 || string(recs[0].Key) != "k" || string(recs[0].Value) != "value" || string(recs[1].Value) != "text" {
		t.Errorf("read %v, want k:value and text", recs)
	}

	// A Serializer object: serialize(topic, data), closed with the producer.
	r := newScriptRun(boot)
	closed := false
	r.extra = starlark.StringDict{"ser": starlarkstruct.FromStringDict(starlark.String("Serializer"), starlark.StringDict{
		"serialize": starlark.NewBuiltin("serialize", func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
			return starlark.Bytes(string(args[0].(starlark.String)) + ":" + string(args[1].(starlark.String))), nil
		}),
		"close": starlark.NewBuiltin("close", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			closed = true
			return starlark.None, nil
		}),
	})}
	if err := r.exec(context.Background(), `
p = KafkaProducer(bootstrap_servers=BOOT, value_serializer=ser)
print(p.send('ser3', 'v').get().serialized_value_size)
p.close()
`); err != nil || r.out.String() != "6\n" || !closed {
		t.Errorf("Serializer object: printed %q, err %v, closed %v", r.out.String(), err, closed)
	}
}

func TestProducerMetrics(t *testing.T) {
	b := testbroker.Embedded(t, kbroker.Config{Options: []kfake.Opt{kfake.BrokerConfigs(map[string]string{"message.max.bytes": "2000"})}})
	prodRunCases(t, b.Bootstrap(), []prodCase{
		{"kafka-python's groups and names", `
p = KafkaProducer(bootstrap_servers=BOOT, compression_type='gzip')
for i in range(100):
    p.send('m', b'x' * 100)
p.flush()
q = KafkaProducer(bootstrap_servers=BOOT)
f = q.send('m', b'x' * 5000)
q.flush()
print(f.exception, q.metrics()['producer-metrics']['record-error-rate'] > 0, q.metrics()['producer-topic-metrics.m']['record-error-rate'] > 0)
m = p.metrics()
print(sorted(m.keys()))
pm = m['producer-metrics']
for name in ['record-send-rate', 'record-error-rate', 'request-latency-avg', 'batch-size-avg', 'compression-rate-avg', 'byte-rate', 'outgoing-byte-rate', 'connection-count']:
    print(name, type(pm[name]), pm[name] > 0)
print(pm['compression-rate-avg'] < 0.5, m['producer-topic-metrics.m']['record-send-rate'] > 0, m['kafka-metrics-count']['count'] > 30)
print(sorted(m['producer-node-metrics.node-0'].keys()))
print(KafkaProducer(bootstrap_servers=BOOT, metrics_enabled=False).metrics())
`, `
[Error 10] MessageSizeTooLargeError True True
['kafka-metrics-count', 'producer-metrics', 'producer-node-metrics.node-0', 'producer-node-metrics.node-bootstrap-0', 'producer-topic-metrics.m']
record-send-rate <class 'float'> True
record-error-rate <class 'float'> False
request-latency-avg <class 'float'> True
batch-size-avg <class 'float'> True
compression-rate-avg <class 'float'> True
byte-rate <class 'float'> True
outgoing-byte-rate <class 'float'> True
connection-count <class 'float'> True
True True True
['incoming-byte-rate', 'outgoing-byte-rate', 'request-latency-avg', 'request-latency-max', 'request-rate', 'request-size-avg', 'request-size-max', 'response-rate']
None
`},
	})
}

// docs/producer-config.md holds the producer's key table as
// ProducerConfigTable renders it; every key says what kstar does with it.
// KSTAR_UPDATE_DOCS=1 rewrites the table.
func TestProducerConfigDoc(t *testing.T) {
	checkConfigDoc(t, "../../docs/producer-config.md", ProducerConfigTable())
}
