# ConsumerRecord is a namedtuple of kafka-python 2.0.2's 12 fields:
# attribute and index access, length, unpacking, equality.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: rf 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-rf'

producer = KafkaProducer(bootstrap_servers=BOOT)
producer.send(topic, b'payload', key=b'key', headers=[('trace', b'abc')], timestamp_ms=1234).get(10)
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
consumer.assign([TopicPartition(topic, 0)])
record = None
for _ in range(20):
    batch = consumer.poll(timeout_ms=500)
    if batch:
        record = batch[TopicPartition(topic, 0)][0]
        break
print(len(record))
print(record[0] == record.topic, record[1], record[2], record[3], record[4], record[5], record[6])
print(record[7], record[8], record[9], record[10], record[11])
topic_, partition, offset, timestamp, timestamp_type, key, value, headers, checksum, ks, vs, hs = record
print(timestamp, timestamp_type, key, value, headers, checksum, ks, vs, hs)
print(list(record)[5:7])
print(record == record, record.value.decode('utf-8').upper())
print(record)
consumer.close()
