# Explicit record timestamps (timestamp_ms), what RecordMetadata and the
# consumer report, and offsets_for_times lookups.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: ts 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-ts'
tp = TopicPartition(topic, 0)

def drain(consumer, n):
    # Polls until n records arrived (at most 10 s).
    records = []
    for _ in range(20):
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        if len(records) >= n:
            break
    return records

producer = KafkaProducer(bootstrap_servers=BOOT)
for ts in [1000, 2000, 2000, 5000, 123456789]:
    md = producer.send(topic, b'at %d' % ts, timestamp_ms=ts).get(10)
    print(md.offset, md.timestamp)
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
consumer.assign([tp])
records = drain(consumer, 5)
for r in records:
    print(r.offset, r.timestamp, r.timestamp_type, r.value)

for target in [0, 1000, 1500, 2000, 4999, 5000, 123456789, 999999999]:
    found = consumer.offsets_for_times({tp: target})
    print(target, found[tp])
consumer.close()
