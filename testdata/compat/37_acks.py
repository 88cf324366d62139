# acks passed explicitly: acks=0 returns metadata without an offset
# (offset=-1, log_start_offset=None); acks=1 and acks='all' return offsets.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: acks 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-acks'

for acks in [0, 1, 'all', -1]:
    producer = KafkaProducer(bootstrap_servers=BOOT, acks=acks)
    md = producer.send(topic, b'acks=%s' % str(acks).encode(), key=b'k').get(10)
    print(acks, md)
    producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT)
print(consumer.end_offsets([TopicPartition(topic, 0)]))
consumer.close()
