package kafka

import (
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// RecordMetadataType is kafka.producer.future.RecordMetadata as
// kafka-python 2.0.2 defines it: what FutureRecordMetadata.get() returns
// and what add_callback callbacks receive. Its repr is
//
//	RecordMetadata(topic='t', partition=1, topic_partition=TopicPartition(topic='t', partition=1), offset=17, timestamp=1563439001362, log_start_offset=0, checksum=None, serialized_key_size=-1, serialized_value_size=8, serialized_header_size=-1)
var RecordMetadataType = func() *py.NamedTupleType {
	t := py.NewNamedTupleType("RecordMetadata", []string{
		"topic", "partition", "topic_partition", "offset", "timestamp", "log_start_offset",
		"checksum", "serialized_key_size", "serialized_value_size", "serialized_header_size",
	})
	t.Module = "kafka.producer.future"
	return t
}()

// recordSizes are the serialized_*_size fields of a record, computed as
// kafka-python does: -1 for a None key or value, and for headers the sum
// of len(key.encode('utf-8')) + len(value) over the headers, -1 when
// there are none.
type recordSizes struct {
	key, value, headers int32
}

// newRecordMetadata builds a RecordMetadata. logStartOffset < 0 is shown
// as None (kafka-python's value when the broker did not say, e.g. acks=0).
func newRecordMetadata(topic string, partition int32, offset, timestampMs, logStartOffset int64, sizes recordSizes) *py.NamedTuple {
	t := starlark.String(topic)
	p := starlark.MakeInt(int(partition))
	var lso starlark.Value = starlark.None
	if logStartOffset >= 0 {
		lso = starlark.MakeInt64(logStartOffset)
	}
	return RecordMetadataType.Make(
		t, p, TopicPartitionType.Make(t, p),
		starlark.MakeInt64(offset), starlark.MakeInt64(timestampMs), lso,
		starlark.None,
		starlark.MakeInt(int(sizes.key)), starlark.MakeInt(int(sizes.value)), starlark.MakeInt(int(sizes.headers)),
	)
}

// estimateRecordSize is kafka-python's upper bound on the size of a
// record in a v2 batch (DefaultRecordBatchBuilder.estimate_size_in_bytes:
// the 61-byte batch header, 21 bytes of record overhead, and the
// varint-prefixed key, value and headers); send compares it with
// max_request_size. hdrs holds header keys and values alternately; a nil
// value is a null header value.
func estimateRecordSize(key, value []byte, keyNil, valueNil bool, hdrs []headerKV) int {
	const batchHeader, maxRecordOverhead = 61, 21
	size := batchHeader + maxRecordOverhead
	size += lenWithVarint(len(key), keyNil)
	size += lenWithVarint(len(value), valueNil)
	size += varintSize(len(hdrs))
	for _, h := range hdrs {
		size += lenWithVarint(len(h.key), false)
		size += lenWithVarint(len(h.value), h.value == nil)
	}
	return size
}

// headerKV is one record header as send received it.
type headerKV struct {
	key   string
	value []byte
}

func lenWithVarint(n int, isNil bool) int {
	if isNil {
		return 1
	}
	return varintSize(n) + n
}

// varintSize is the length of n as a zigzag varint, as Kafka encodes
// lengths in v2 records.
func varintSize(n int) int {
	v := uint64(n<<1) ^ uint64(n>>63)
	size := 1
	for v >= 0x80 {
		v >>= 7
		size++
	}
	return size
}
