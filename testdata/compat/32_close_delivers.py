# Records sent without flush() are delivered by close(); flush(timeout)
# returns once everything is acknowledged.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: cl 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-cl'
tp = TopicPartition(topic, 0)

producer = KafkaProducer(bootstrap_servers=BOOT, linger_ms=200)
first = [producer.send(topic, b'a%d' % i) for i in range(5)]
producer.flush(timeout=10)
print([f.is_done for f in first], [f.value.offset for f in first])
second = [producer.send(topic, b'b%d' % i) for i in range(5)]
producer.close()
print([f.is_done for f in second], [f.value.offset for f in second])

consumer = KafkaConsumer(bootstrap_servers=BOOT)
print(consumer.end_offsets([tp]))
consumer.close()
