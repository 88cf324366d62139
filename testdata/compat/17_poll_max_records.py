# poll(): a dict keyed by TopicPartition, max_records limits, an empty
# dict when nothing is left, and the reprs of what it returns.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: poll 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-poll'
tp = TopicPartition(topic, 0)

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(12):
    producer.send(topic, b'r%02d' % i, key=b'k%d' % (i % 3))
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', max_poll_records=5)
consumer.assign([tp])
got = 0
sizes = []
for _ in range(40):
    batch = consumer.poll(timeout_ms=500, max_records=4)
    if batch:
        print(list(batch.keys()))
        records = batch[tp]
        sizes.append(len(records))
        print(records[0])
        got += len(records)
    if got >= 12:
        break
print(sizes)
print(consumer.poll(timeout_ms=200))
consumer.seek(tp, 0)
for _ in range(20):
    batch = consumer.poll(timeout_ms=500)
    if batch:
        print(len(batch[tp]), [r.offset for r in batch[tp]])
        break
consumer.close()
