package kafka

import "testing"

// The spec's vectors, computed with kafka-python 2.0.2 (the signed values
// are the Java client's, two of them from its own unit tests).
func TestMurmur2Vectors(t *testing.T) {
	for _, c := range []struct {
		key       string
		unsigned  uint32
		signed    int32
		of3, of10 int
	}{
		{"", 275646681, 275646681, 0, 1},
		{"a", 2731586172, -1563381124, 1, 4},
		{"21", 3321034988, -973932308, 0, 0},
		{"foobar", 3504634814, -790332482, 0, 6},
		{"key", 3215029929, -1079937367, 1, 1},
		{"my_key", 3759166436, -535800860, 0, 8},
		{"abc", 479470107, 479470107, 0, 7},
		{"kafka", 3496464228, -798503068, 1, 0},
		{"123456789", 2472730214, -1822237082, 0, 6},
	} {
		h := Murmur2([]byte(c.key))
		if h != c.unsigned || int32(h) != c.signed {
			t.Errorf("murmur2(%q) = %d (signed %d), want %d (%d)", c.key, h, int32(h), c.unsigned, c.signed)
		}
		if p := KeyPartition([]byte(c.key), 3); p != c.of3 {
			t.Errorf("partition of %q among 3 = %d, want %d", c.key, p, c.of3)
		}
		if p := KeyPartition([]byte(c.key), 10); p != c.of10 {
			t.Errorf("partition of %q among 10 = %d, want %d", c.key, p, c.of10)
		}
	}
}

// Keyed records land where kafka-python puts them on a 3-partition topic
// (observed with every kafka-python version: k1→2, key→1, a→1, 21→0,
// foobar→0); unkeyed records spread over the partitions.
func TestProducerPartitioning(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"keyed", `
p = KafkaProducer(bootstrap_servers=BOOT)
print([p.send('t3', b'v', key=k).get().partition for k in [b'k1', b'key', b'a', b'21', b'foobar', b'']])
`, `[2, 1, 1, 0, 0, 0]`},
		{"key_serializer keys hash after serialization", `
p = KafkaProducer(bootstrap_servers=BOOT, key_serializer=lambda k: k + '1')
print(p.send('t3', b'v', key='k').get().partition)
`, `2`},
		{"unkeyed records spread", `
p = KafkaProducer(bootstrap_servers=BOOT)
fs = [p.send('spread', b'v') for i in range(300)]
p.flush()
print(sorted(set([f.value.partition for f in fs])))
`, `[0, 1, 2]`},
		{"partitioner callable", `
calls = []
def part(key, all_partitions, available):
    calls.append((key, all_partitions, available))
    return all_partitions[-1]
p = KafkaProducer(bootstrap_servers=BOOT, partitioner=part)
print(p.send('t3', b'v', key=b'k').get().partition, p.send('t3', b'v').get().partition)
print(calls)
`, `
2 2
[(b'k', [0, 1, 2], [0, 1, 2]), (None, [0, 1, 2], [0, 1, 2])]
`},
		{"partitioner returning a partition that does not exist", `
p = KafkaProducer(bootstrap_servers=BOOT, partitioner=lambda k, a, b: 9)
p.send('t3', b'v')
`, `ERROR ValueError: Unrecognized partition 9 for topic t3`},
	})
}
