# A group consumer commits what it read; a second consumer in the same
# group resumes after it, and committed() reports the offsets.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: work 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-work'
group = T + '-group'
tp = TopicPartition(topic, 0)

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(10):
    producer.send(topic, b'job-%d' % i)
producer.flush()
producer.close()

def read(n):
    consumer = KafkaConsumer(topic, bootstrap_servers=BOOT, group_id=group,
                             auto_offset_reset='earliest', enable_auto_commit=False,
                             max_poll_records=n)
    records = []
    for _ in range(40):
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        if len(records) >= n:
            break
    print([r.value.decode() for r in records])
    consumer.commit()
    print(consumer.committed(tp), consumer.position(tp))
    consumer.close()

read(4)
read(3)

last = KafkaConsumer(bootstrap_servers=BOOT, group_id=group)
print(last.committed(tp))
print(last.committed(TopicPartition(topic, 5)))
last.close()
