# send() + future.get(): RecordMetadata reprs, offsets per partition,
# serialized sizes, explicit partitions.
import sys
from kafka import KafkaProducer

# topic: events 3
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-events'

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(3):
    md = producer.send(topic, b'value-%d' % i, key=b'k', partition=i % 3).get(timeout=30)
    print(md)
md = producer.send(topic, value=b'again', partition=0).get(timeout=30)
print(md.topic, md.partition, md.offset, md.topic_partition)
print(md.serialized_key_size, md.serialized_value_size, md.serialized_header_size, md.checksum)
md = producer.send(topic, key=b'only-key', partition=1).get(30)
print(md.offset, md.serialized_key_size, md.serialized_value_size)
print(len(md), md[0], md[1], md[3])
producer.close()
