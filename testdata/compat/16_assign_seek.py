# Manual assignment: assign, assignment, position, seek, seek_to_beginning,
# seek_to_end, and what poll returns after each.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: seek 2
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-seek'
p0, p1 = TopicPartition(topic, 0), TopicPartition(topic, 1)

def drain(consumer, n):
    # Polls until n records arrived (at most 10 s).
    records = []
    for _ in range(20):
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        if len(records) >= n:
            break
    return records

def show(records):
    return sorted(['%d:%d:%s' % (r.partition, r.offset, r.value.decode()) for r in records])

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(10):
    producer.send(topic, b'v%d' % i, partition=i % 2)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', enable_auto_commit=False)
print(consumer.assignment())
consumer.assign([p0, p1])
print(sorted(consumer.assignment()))
print(consumer.position(p0), consumer.position(p1))
print(show(drain(consumer, 10)))
print(consumer.position(p0), consumer.position(p1))

consumer.seek(p0, 3)
print(consumer.position(p0))
print(show(drain(consumer, 2)))

consumer.seek_to_beginning(p1)
print(consumer.position(p1))
print(show(drain(consumer, 5)))

consumer.seek_to_end()
print(consumer.position(p0), consumer.position(p1))
print(consumer.poll(timeout_ms=300))

consumer.seek_to_beginning()
print(len(drain(consumer, 10)))

consumer.assign([p1])
print(sorted(consumer.assignment()))
consumer.seek(p1, 4)
print(show(drain(consumer, 1)))
consumer.close()
