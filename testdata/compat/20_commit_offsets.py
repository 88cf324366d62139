# commit() with explicit {TopicPartition: OffsetAndMetadata} offsets,
# metadata strings, and committed() with and without a group's history.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition, OffsetAndMetadata

# topic: c 2
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-c'
p0, p1 = TopicPartition(topic, 0), TopicPartition(topic, 1)

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    producer.send(topic, b'%d' % i, partition=i % 2)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-g', enable_auto_commit=False)
consumer.assign([p0, p1])
print(consumer.committed(p0), consumer.committed(p1))
consumer.commit({p0: OffsetAndMetadata(2, 'half way'), p1: OffsetAndMetadata(3, '')})
print(consumer.committed(p0), consumer.committed(p1))
consumer.commit({p1: OffsetAndMetadata(1, 'rewound')})
print(consumer.committed(p0), consumer.committed(p1))
print(consumer.position(p0), consumer.position(p1))
records = []
for _ in range(20):
    for batch in consumer.poll(timeout_ms=500).values():
        records.extend(batch)
    if len(records) >= 3:
        break
print(sorted([(r.partition, r.offset, r.value) for r in records]))
consumer.close()

other = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-fresh')
print(other.committed(p0))
other.close()
