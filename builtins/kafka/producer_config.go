package kafka

import (
	"fmt"
	"math"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// producerKeys are the keys only KafkaProducer accepts. Defaults are
// kafka-python's names with the safe modern behaviour (kafka-python 3.0
// and the Java client): acks='all', idempotence on, retries unbounded
// but limited by delivery_timeout_ms.
var producerKeys = []ConfigKey{
	{Name: "key_serializer", Default: starlark.None, Check: isSerializer},
	{Name: "value_serializer", Default: starlark.None, Check: isSerializer},
	{Name: "acks", Default: starlark.String("all"), Check: OneOf(starlark.MakeInt(0), starlark.MakeInt(1), starlark.MakeInt(-1), starlark.String("all"))},
	{Name: "enable_idempotence", Default: starlark.True, Check: IsBool},
	{Name: "transactional_id", Default: starlark.None, Check: IsStr(true)},
	{Name: "transaction_timeout_ms", Default: starlark.MakeInt(60000), Check: isPositiveCount},
	{Name: "delivery_timeout_ms", Default: starlark.MakeInt(120000), Check: isPositiveCount},
	{Name: "compression_type", Default: starlark.None}, // checked by the constructor: ValueError, as kafka-python
	{Name: "retries", Default: starlark.Float(math.Inf(1)), Check: isNonNegativeNumber},
	{Name: "batch_size", Default: starlark.MakeInt(16384), Check: IsInt(false),
		Ignored: "franz-go fills each partition's batch up to max_request_size while a request is in flight; there is no fixed-size batch buffer"},
	{Name: "linger_ms", Default: starlark.MakeInt(0), Check: isNonNegativeNumber},
	{Name: "partitioner", Default: starlark.None, Check: IsCallable(true)},
	{Name: "buffer_memory", Default: starlark.MakeInt(33554432), Check: isPositiveCount},
	{Name: "max_block_ms", Default: starlark.MakeInt(60000), Check: isNonNegativeNumber},
	{Name: "max_request_size", Default: starlark.MakeInt(1048576), Check: isPositiveCount},
	{Name: "allow_auto_create_topics", Default: starlark.True, Check: IsBool},
	{Name: "bootstrap_topics_filter", Default: frozenEmptySet(),
		Ignored: "kafka-python 2.0.2's version probe internals"},
}

func frozenEmptySet() starlark.Value {
	s := new(starlark.Set)
	s.Freeze()
	return s
}

// producerKeyDocs says what each producer key maps to (the README table).
var producerKeyDocs = map[string]string{
	"client_id":                             "`kgo.ClientID`; None is `'kafka-python-producer-N'`, N counting the script's producers from 1",
	"key_serializer":                        "callable `f(key) -> bytes` (or an object with `serialize(topic, key)`), called on the script's thread, also for None",
	"value_serializer":                      "as key_serializer, for values",
	"acks":                                  "`kgo.RequiredAcks`: 0, 1, -1 or 'all'; 0 or 1 without enable_idempotence turns idempotence off (as kafka-python 3.0)",
	"enable_idempotence":                    "on by default (`kgo.DisableIdempotentWrite` when off); an explicit True conflicting with acks/retries/max_in_flight is a KafkaConfigurationError",
	"transactional_id":                      "`kgo.TransactionalID`: enables init/begin/commit/abort_transaction",
	"transaction_timeout_ms":                "`kgo.TransactionTimeout`",
	"delivery_timeout_ms":                   "a record not acknowledged within it after `send` fails with KafkaTimeoutError (a deadline on the record's context; with idempotence, `kgo.AllowIdempotentProduceCancellation` lets it fail a request a hung broker never answers)",
	"compression_type":                      "`kgo.ProducerBatchCompression`: None, 'gzip', 'snappy', 'lz4', 'zstd'; anything else is `ValueError: Not supported codec: x`",
	"retries":                               "`kgo.RecordRetries` (inf: unlimited within delivery_timeout_ms); 0 without enable_idempotence turns idempotence off",
	"linger_ms":                             "`kgo.ProducerLinger`",
	"partitioner":                           "callable `(key_bytes, all_partitions, available_partitions) -> int`, called on the script's thread; None is kafka-python's DefaultPartitioner (murmur2 of the key, random partition for None keys)",
	"buffer_memory":                         "bytes of records (key, value, headers and kstar's per-record bookkeeping) waiting for delivery; `send` waits for room up to max_block_ms",
	"max_block_ms":                          "how long `send`, `partitions_for` and `init_transactions` wait for metadata or buffer room before KafkaTimeoutError",
	"max_request_size":                      "largest record (kafka-python's size estimate; bigger: a failed future with MessageSizeTooLargeError) and `kgo.ProducerBatchMaxBytes`",
	"allow_auto_create_topics":              "`kgo.AllowAutoTopicCreation`: sending to a new topic creates it, as kafka-python on Apache Kafka",
	"max_in_flight_requests_per_connection": "`kgo.MaxProduceRequestsInflightPerBroker` (idempotent producers use at most 5); above 5 without enable_idempotence turns idempotence off",
}

func isSerializer(v starlark.Value) error {
	if _, ok := v.(starlark.Callable); ok || v == starlark.None {
		return nil
	}
	if ha, ok := v.(starlark.HasAttrs); ok {
		if m, _ := ha.Attr("serialize"); m != nil {
			if _, ok := m.(starlark.Callable); ok {
				return nil
			}
		}
	}
	return wantType("a callable or an object with serialize()", true, v)
}

func isNonNegativeNumber(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.Int:
		if x.Sign() >= 0 {
			return nil
		}
		return fmt.Errorf("must be >= 0, not %s", py.Repr(v))
	case starlark.Float:
		if x >= 0 {
			return nil
		}
		return fmt.Errorf("must be >= 0, not %s", py.Repr(v))
	}
	return wantType("int or float", false, v)
}

// producerSpec is the full key table of KafkaProducer: the keys every
// client accepts plus the producer's own. Unknown keys show as a dict, as
// kafka-python's producer shows them.
func producerSpec() *ConfigSpec {
	keys := commonConfigKeys(nil)
	for i := range keys {
		if keys[i].Name == "max_in_flight_requests_per_connection" {
			keys[i].Ignored = ""
		}
	}
	keys = append(keys, producerKeys...)
	return &ConfigSpec{Client: "KafkaProducer", Keys: keys, UnknownAsDict: true}
}

// producerTableDefaults are the producer defaults its docs table shows
// in words.
var producerTableDefaults = map[string]string{
	"client_id":               "None ('kafka-python-producer-N')",
	"partitioner":             "None (DefaultPartitioner)",
	"retries":                 "float('inf')",
	"bootstrap_topics_filter": "set()",
}

// ProducerConfigTable renders the producer's keys as the Markdown table
// of docs/producer-config.md: key, default, and what kstar does with it.
func ProducerConfigTable() string {
	return producerSpec().Table(producerKeyDocs, producerTableDefaults)
}
