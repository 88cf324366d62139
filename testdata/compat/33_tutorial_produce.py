# The tutorial's producer and consumer sections, in Python 3: bytes
# values (kafka-python 2.0.2 rejects str), one script producing and then
# consuming from the start.
import sys
from kafka import KafkaProducer, KafkaConsumer

# topic: my_topic 1
# topic: test 1
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(bootstrap_servers=[BOOT])
producer.send(T + '-my_topic', key=b'my_key', value=b'my_value', partition=0)
for i in range(10):
    producer.send(T + '-test', b'message%d' % i)
future = producer.send(T + '-test', b'message9')
result = future.get(timeout=10)
print(result)

consumer = KafkaConsumer(T + '-test', bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
for msg in consumer:
    print(msg)
consumer.close()

consumer = KafkaConsumer(T + '-my_topic', group_id=T + '-group2', bootstrap_servers=[BOOT],
                         auto_offset_reset='earliest', consumer_timeout_ms=2000)
for msg in consumer:
    print(msg)
consumer.close()
producer.close()
