# Iterating a consumer with consumer_timeout_ms: the loop ends once no
# record arrives in time, and iterating again starts a new wait.
import sys
import time
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: it 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-it'

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(5):
    producer.send(topic, b'message%d' % i)
producer.flush()

consumer = KafkaConsumer(topic, bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1500)
for msg in consumer:
    print(msg.offset, msg.value)
print('first loop done')

start = time.time()
n = 0
for msg in consumer:
    n += 1
waited = time.time() - start
print(n, waited >= 1.4, waited < 5)

producer.send(topic, b'late')
producer.flush()
for msg in consumer:
    print(msg)
print(sorted(consumer.assignment()))
consumer.close()
producer.close()
