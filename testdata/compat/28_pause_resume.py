# pause() keeps a partition's records back from poll() until resume().
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: pr 2
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-pr'
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

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    producer.send(topic, b'%d' % i, partition=i % 2)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
consumer.assign([p0, p1])
consumer.pause(p0)
print(sorted(consumer.paused()))
got = drain(consumer, 3)
print(sorted([(r.partition, r.offset) for r in got]))
print(consumer.poll(timeout_ms=300))
consumer.resume(p0)
print(consumer.paused())
got = drain(consumer, 3)
print(sorted([(r.partition, r.offset) for r in got]))
consumer.pause(p0, p1)
print(sorted(consumer.paused()))
consumer.resume(p1)
print(sorted(consumer.paused()))
consumer.close()
