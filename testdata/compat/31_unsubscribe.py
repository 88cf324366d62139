# unsubscribe() clears subscription and assignment; the consumer can then
# be assigned partitions by hand.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: u 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-u'

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(3):
    producer.send(topic, b'u%d' % i)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
consumer.subscribe(topics=[topic])
print(consumer.subscription())
n = 0
for _ in range(20):
    for batch in consumer.poll(timeout_ms=500).values():
        n += len(batch)
    if n >= 3:
        break
print(n, sorted(consumer.assignment()))
consumer.unsubscribe()
print(consumer.subscription(), consumer.assignment())
print(consumer.poll(timeout_ms=100))
consumer.assign([TopicPartition(topic, 0)])
consumer.seek(TopicPartition(topic, 0), 2)
for _ in range(20):
    batch = consumer.poll(timeout_ms=500)
    if batch:
        print([r.value for r in batch[TopicPartition(topic, 0)]])
        break
print(consumer.subscription(), sorted(consumer.assignment()))
consumer.close()
