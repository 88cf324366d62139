# msgpack.dumps / msgpack.loads as value serializer and deserializer, as
# in the tutorial's last section.
import sys
import msgpack
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: mp 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-mp'

def drain(consumer, n):
    # Polls until n records arrived (at most 10 s).
    records = []
    for _ in range(20):
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        if len(records) >= n:
            break
    return records

producer = KafkaProducer(bootstrap_servers=BOOT, value_serializer=msgpack.dumps)
values = [
    {'value_1': 'value_2'},
    {'n': 1, 'neg': -300, 'big': 1 << 40, 'f': 1.5, 't': True, 'nil': None},
    [b'\x00\x01', 'text', [1, [2, [3]]]],
    'caf\u00e9',
]
for v in values:
    md = producer.send(topic, value=v).get(10)
    print(md.offset, md.serialized_value_size)
producer.close()

raw = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
raw.assign([TopicPartition(topic, 0)])
for r in drain(raw, len(values)):
    print(r.offset, r.value, r.value.hex())
raw.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', value_deserializer=msgpack.loads)
consumer.assign([TopicPartition(topic, 0)])
for r in drain(consumer, len(values)):
    print(r.offset, r.value, r.value == values[r.offset])
consumer.close()
print(msgpack.loads(msgpack.dumps({'k': [1, 2]})))
print(msgpack.packb('x'), msgpack.unpackb(b'\x92\x01\xa1a'))
