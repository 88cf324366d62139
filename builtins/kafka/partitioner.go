package kafka

import (
	"math/rand/v2"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Murmur2 is Kafka's murmur2 hash as the Java client and kafka-python
// compute it (seed 0x9747b28c, little-endian 4-byte blocks), returned as
// the unsigned 32-bit value kafka-python shows.
func Murmur2(data []byte) uint32 {
	const (
		seed uint32 = 0x9747b28c
		m    uint32 = 0x5bd1e995
		r           = 24
	)
	n := len(data)
	h := seed ^ uint32(n)
	i := 0
	for ; i+4 <= n; i += 4 {
		k := uint32(data[i]) | uint32(data[i+1])<<8 | uint32(data[i+2])<<16 | uint32(data[i+3])<<24
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	switch n - i {
	case 3:
		h ^= uint32(data[i+2]) << 16
		fallthrough
	case 2:
		h ^= uint32(data[i+1]) << 8
		fallthrough
	case 1:
		h ^= uint32(data[i])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return h
}

// KeyPartition is kafka-python's DefaultPartitioner for a keyed record:
// (murmur2(key) & 0x7fffffff) % numPartitions, as the Java client.
func KeyPartition(key []byte, numPartitions int) int {
	return int(Murmur2(key)&0x7fffffff) % numPartitions
}

// autoPartition marks a record whose partition the partitioner chooses;
// send sets Record.Partition to the partition otherwise (an explicit
// partition= or the result of a script's partitioner callable).
const autoPartition = -1

// kafkaPartitioner is kstar's franz-go partitioner, kafka-python 2.0.2's
// DefaultPartitioner: an explicit partition wins; keyed records go to
// murmur2(key) over all partitions (the same partition as kafka-python and
// the Java client); unkeyed records go to a random available partition,
// per record (kafka-python is not sticky).
type kafkaPartitioner struct{}

var _ kgo.Partitioner = kafkaPartitioner{}

// ForTopic returns the partitioner of one topic (stateless).
func (kafkaPartitioner) ForTopic(string) kgo.TopicPartitioner { return topicPartitioner{} }

type topicPartitioner struct{}

// RequiresConsistency is true for keyed and explicitly partitioned
// records: they must not move to another partition when theirs is down.
func (topicPartitioner) RequiresConsistency(r *kgo.Record) bool {
	return r.Partition != autoPartition || r.Key != nil
}

// Partition picks the partition index among n partitions (all of them
// when RequiresConsistency, else the writable ones).
func (topicPartitioner) Partition(r *kgo.Record, n int) int {
	switch {
	case r.Partition != autoPartition:
		return int(r.Partition)
	case r.Key != nil:
		return KeyPartition(r.Key, n)
	}
	return rand.IntN(n)
}
