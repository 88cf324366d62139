# Source: https://github.com/geodge831012/learning_example/blob/HEAD/kafka/consumer1.py
# License: none found in the repository.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; six
# records produced first; consumer_timeout_ms=1000.
import sys
from kafka import KafkaConsumer,TopicPartition

# topic: test1 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    p.send(T + '-test1', b'value-%d' % i, key=b'k%d' % (i % 2))
p.close()
# --- end of edit ---

#consumer = KafkaConsumer('test', bootstrap_servers=['localhost:9092'])
#consumer = KafkaConsumer('test', auto_offset_reset='earliest', bootstrap_servers=['localhost:9092'])

consumer = KafkaConsumer(bootstrap_servers=[BOOT], consumer_timeout_ms=1000)
consumer.assign([TopicPartition(topic=T + '-test1', partition=0)])
consumer.seek(TopicPartition(topic=T + '-test1', partition=0), offset=3)

for msg in consumer:
    recv = "%s:%d:%d: key=%s value=%s" % (msg.topic, msg.partition, msg.offset, msg.key, msg.value)
    print(recv)
