# Source: https://github.com/Jud96/Tech_stack/blob/HEAD/Kafka/kafka_examples/08_offset_commit.md
# (the "Producer Code" and "Consumer Code" blocks, one after the other).
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; 1000 records become 5 and sleep(2) is removed;
# consumer_timeout_ms=3000; the producer is flushed before the consumer
# starts.
import sys

# topic: hello_world4 1
BOOT, T = sys.argv[1], sys.argv[2]

from time import sleep
from json import dumps
from kafka import KafkaProducer

topic_name=T + '-hello_world4'
producer = KafkaProducer(bootstrap_servers=[BOOT],value_serializer=lambda x: dumps(x).encode('utf-8'))

for e in range(5):
    data = {'number' : e}
    print(data)
    producer.send(topic_name, value=data)
producer.flush()

from kafka import KafkaConsumer
import json

consumer = KafkaConsumer (T + '-hello_world4',bootstrap_servers = [BOOT],
value_deserializer=lambda m: json.loads(m.decode('utf-8')),
group_id=T + '-demo112215sgtrjwrykvjh',auto_offset_reset='earliest',consumer_timeout_ms=3000)

for message in consumer:
    print(message)
