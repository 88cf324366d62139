# Topics given to the constructor without a group_id: the consumer
# assigns itself every partition of them.
import sys
from kafka import KafkaProducer, KafkaConsumer

# topic: x 3
# topic: y 1
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    producer.send(T + '-x', b'x%d' % i, key=b'%d' % i)
producer.send(T + '-y', b'y')
producer.flush()
producer.close()

consumer = KafkaConsumer(T + '-x', T + '-y', bootstrap_servers=BOOT, auto_offset_reset='earliest')
print(sorted(consumer.subscription()))
records = []
for _ in range(20):
    for batch in consumer.poll(timeout_ms=500).values():
        records.extend(batch)
    if len(records) >= 7:
        break
print(sorted(consumer.assignment()))
for r in sorted(records, key=lambda r: (r.topic, r.partition, r.offset)):
    print(r.topic, r.partition, r.offset, r.key, r.value)
consumer.close()
