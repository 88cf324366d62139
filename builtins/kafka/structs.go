package kafka

import (
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// kafka.structs: the namedtuples shared by the producer, the consumer and
// the admin client, with kafka-python 2.0.2's fields and reprs.
var (
	// TopicPartition(topic, partition).
	TopicPartitionType = kafkaStruct("TopicPartition", []string{"topic", "partition"})
	// OffsetAndMetadata(offset, metadata); kstar also accepts 3.0's
	// defaults (metadata='').
	OffsetAndMetadataType = kafkaStruct("OffsetAndMetadata", []string{"offset", "metadata"}, starlark.String(""))
	// OffsetAndTimestamp(offset, timestamp), as offsets_for_times returns.
	OffsetAndTimestampType = kafkaStruct("OffsetAndTimestamp", []string{"offset", "timestamp"})
	// BrokerMetadata(nodeId, host, port, rack).
	BrokerMetadataType = kafkaStruct("BrokerMetadata", []string{"nodeId", "host", "port", "rack"})
)

// kafkaStruct declares a namedtuple class of kafka.structs.
func kafkaStruct(name string, fields []string, defaults ...starlark.Value) *py.NamedTupleType {
	t := py.NewNamedTupleType(name, fields, defaults...)
	t.Module = "kafka.structs"
	return t
}

// NewTopicPartition returns TopicPartition(topic=topic, partition=partition).
func NewTopicPartition(topic string, partition int32) *py.NamedTuple {
	return TopicPartitionType.Make(starlark.String(topic), starlark.MakeInt(int(partition)))
}

// AsTopicPartition unpacks a TopicPartition; ok is false for any other value.
func AsTopicPartition(v starlark.Value) (topic string, partition int32, ok bool) {
	nt, isNT := v.(*py.NamedTuple)
	if !isNT || nt.TypeOf() != TopicPartitionType {
		return "", 0, false
	}
	values := nt.Values()
	t, ok1 := values[0].(starlark.String)
	p, err := starlark.AsInt32(values[1])
	if !ok1 || err != nil {
		return "", 0, false
	}
	return string(t), int32(p), true
}
