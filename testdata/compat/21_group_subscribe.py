# A consumer group subscribed to two topics by name: assignment after the
# join, subscription(), records of both topics, auto-commit on close.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: a 2
# topic: b 1
BOOT, T = sys.argv[1], sys.argv[2]
ta, tb = T + '-a', T + '-b'

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(4):
    producer.send(ta, b'a%d' % i, key=b'key%d' % i)
    producer.send(tb, b'b%d' % i)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-grp', auto_offset_reset='earliest')
print(consumer.subscription())
consumer.subscribe([ta, tb])
print(sorted(consumer.subscription()))
records = []
for _ in range(40):
    for batch in consumer.poll(timeout_ms=500).values():
        records.extend(batch)
    if len(records) >= 8:
        break
print(sorted(consumer.assignment()))
for r in sorted(records, key=lambda r: (r.topic, r.partition, r.offset)):
    print(r.topic, r.partition, r.offset, r.key, r.value)
consumer.close()

check = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-grp')
print([check.committed(TopicPartition(ta, 0)), check.committed(TopicPartition(ta, 1)), check.committed(TopicPartition(tb, 0))])
check.close()
