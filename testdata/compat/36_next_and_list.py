# next(consumer) returns one record at a time (kafka-python's README
# example); list(consumer) drains it until consumer_timeout_ms passes.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: nx 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-nx'

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(4):
    producer.send(topic, b'n%d' % i, key=b'k%d' % i)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
consumer.assign([TopicPartition(topic, 0)])
first = next(consumer)
print(first.offset, first.key, first.value)
print(next(consumer).value)
rest = list(consumer)
print([(r.offset, r.value) for r in rest])
print(list(consumer))
print(consumer.position(TopicPartition(topic, 0)))
consumer.close()
