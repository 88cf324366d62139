package kafka

import "testing"

// resetHelpers are the functions the out-of-range scripts share: read
// until n records arrived, and poll until a position moves (the reset
// happens inside a poll, once a fetch answered OFFSET_OUT_OF_RANGE).
const resetHelpers = `
def poll_records(c, n):
    recs = []
    for _ in range(100):
        for batch in c.poll(timeout_ms=100).values():
            recs.extend(batch)
        if len(recs) >= n:
            break
    return [(r.offset, r.value) for r in recs]

def poll_until_moved(c, tp, offset):
    for _ in range(100):
        c.poll(timeout_ms=100)
        if c.position(tp) != offset:
            break
    return c.position(tp)
`

// A position outside the log (a seek past its end, or before its start
// after delete_records) is reset by auto_offset_reset when the fetch
// answers OFFSET_OUT_OF_RANGE, as kafka-python's fetcher does, in poll(),
// next() and iteration alike; without a policy ('none' or None) the fetch
// raises OffsetOutOfRangeError({tp: position}), again at each poll.
func TestConsumerOffsetOutOfRange(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "oor", 0, 3, "old")
	produceValues(t, boot, "oor-start", 0, 5, "v")
	runConsumerCases(t, boot, []consumerCase{
		{"poll past the end, latest", resetHelpers + `
tp = TopicPartition('oor-latest', 0)
p = KafkaProducer()
for i in range(3):
    p.send('oor-latest', b'old', partition=0)
p.flush()
c = KafkaConsumer()
c.assign([tp])
c.seek(tp, 100)
print(poll_until_moved(c, tp, 100))
p.send('oor-latest', b'new', partition=0).get(timeout=10)
print(poll_records(c, 1), c.position(tp))
`, `
3
[(3, b'new')] 4
`},
		{"poll past the end, earliest", resetHelpers + `
tp = TopicPartition('oor', 0)
c = KafkaConsumer(auto_offset_reset='earliest')
c.assign([tp])
c.seek(tp, 100)
print(poll_records(c, 3), c.position(tp))
`, `
[(0, b'old0'), (1, b'old1'), (2, b'old2')] 3
`},
		{"next past the end, latest", `
tp = TopicPartition('oor-next', 0)
p = KafkaProducer()
p.send('oor-next', b'old', partition=0).get(timeout=10)
c = KafkaConsumer(consumer_timeout_ms=100)
c.assign([tp])
c.seek(tp, 100)
got = []
for _ in range(100):
    if c.position(tp) != 100:
        break
    r = next(c, None)
    if r:
        got.append(r)
print(got, c.position(tp))
p.send('oor-next', b'new', partition=0).get(timeout=10)
for _ in range(100):
    r = next(c, None)
    if r:
        print(r.offset, r.value)
        break
`, `
[] 1
1 b'new'
`},
		{"iteration past the end, earliest", `
tp = TopicPartition('oor', 0)
c = KafkaConsumer(auto_offset_reset='earliest', consumer_timeout_ms=10000)
c.assign([tp])
c.seek(tp, 100)
got = []
for m in c:
    got.append(m.offset)
    if len(got) == 3:
        break
print(got, c.position(tp))
`, `
[0, 1, 2] 3
`},
		{"group member past the end, earliest", resetHelpers + `
tp = TopicPartition('oor', 0)
c = KafkaConsumer('oor', group_id='oor-g', auto_offset_reset='earliest', enable_auto_commit=False)
print(poll_records(c, 3))
c.seek(tp, 100)
print(poll_records(c, 3), c.position(tp))
`, `
[(0, b'old0'), (1, b'old1'), (2, b'old2')]
[(0, b'old0'), (1, b'old1'), (2, b'old2')] 3
`},
		{"poll past the end, none", resetHelpers + `
tp = TopicPartition('oor', 0)
c = KafkaConsumer(auto_offset_reset='none')
c.assign([tp])
c.seek(tp, 100)
poll_records(c, 1)
`, `
ERROR OffsetOutOfRangeError: {TopicPartition(topic='oor', partition=0): 100}
`},
		{"iteration past the end, None", `
tp = TopicPartition('oor', 0)
c = KafkaConsumer(auto_offset_reset=None, consumer_timeout_ms=10000)
print(c.config['auto_offset_reset'])
c.assign([tp])
c.seek(tp, 7)
for m in c:
    print(m)
`, `
None
ERROR OffsetOutOfRangeError: {TopicPartition(topic='oor', partition=0): 7}
`},
		{"before the log start", resetHelpers + `
tp = TopicPartition('oor-start', 0)
KafkaAdminClient().delete_records({tp: 3})
earliest = KafkaConsumer(auto_offset_reset='earliest')
earliest.assign([tp])
earliest.seek(tp, 1)
print(poll_records(earliest, 2))
latest = KafkaConsumer()
latest.assign([tp])
latest.seek(tp, 1)
print(poll_until_moved(latest, tp, 1))
none = KafkaConsumer(auto_offset_reset='none')
none.assign([tp])
none.seek(tp, 1)
poll_records(none, 1)
`, `
[(3, b'v3'), (4, b'v4')]
5
ERROR OffsetOutOfRangeError: {TopicPartition(topic='oor-start', partition=0): 1}
`},
	})
}
