# JSON value serializer/deserializer and a str key serializer, as in the
# tutorial and kafka-python's README.
import sys
import json
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: json 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-json'

def drain(consumer, n):
    # Polls until n records arrived (at most 10 s).
    records = []
    for _ in range(20):
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        if len(records) >= n:
            break
    return records

producer = KafkaProducer(bootstrap_servers=BOOT,
                         key_serializer=str.encode,
                         value_serializer=lambda m: json.dumps(m).encode('ascii'))
values = [
    {'value_1': 'value_2'},
    {'id': 7, 'tags': ['a', 'b'], 'price': 9.5, 'ok': True, 'none': None},
    [1, 2, {'nested': {'deep': 'caf\u00e9'}}],
    'just a string',
    42,
]
for i, v in enumerate(values):
    md = producer.send(topic, key='key-%d' % i, value=v).get(10)
    print(md.offset, md.serialized_key_size, md.serialized_value_size)
producer.close()

raw = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
raw.assign([TopicPartition(topic, 0)])
for r in drain(raw, len(values)):
    print(r.key, r.value)
raw.close()

decoded = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest',
                        key_deserializer=lambda k: k.decode('utf-8'),
                        value_deserializer=lambda m: json.loads(m.decode('ascii')))
decoded.assign([TopicPartition(topic, 0)])
for r in drain(decoded, len(values)):
    print(r)
    print(r.value == values[r.offset])
decoded.close()
