package kafka

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
)

var benchSink starlark.Value

// BenchmarkRecordFields is the per-record work of a consumer loop without
// the broker: a fetched ConsumerRecord made and its hot fields read, a
// less used one read by name, and the TopicPartition poll() makes per
// partition, its fields read.
//
//	go test ./builtins/kafka -run '^$' -bench BenchmarkRecordFields
func BenchmarkRecordFields(b *testing.B) {
	r := &kgo.Record{Topic: "t", Partition: 1, Offset: 5, Value: []byte("value"), Timestamp: time.UnixMilli(1600000000000)}
	b.ReportAllocs()
	for b.Loop() {
		cr := newConsumerRecord(r, nil, nil)
		benchSink = cr // as a script's record does, it escapes
		benchSink, _ = cr.Attr("value")
		benchSink, _ = cr.Attr("offset")
		benchSink, _ = cr.Attr("timestamp")
		tp := NewTopicPartition(r.Topic, r.Partition)
		benchSink = tp
		benchSink, _ = tp.Attr("topic")
		benchSink, _ = tp.Attr("partition")
	}
}
