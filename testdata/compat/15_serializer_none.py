# kafka-python calls serializers and deserializers even for None: a json
# value serializer turns value=None into b'null', not a tombstone.
import sys
import json
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: n 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-n'

def drain(consumer, n):
    # Polls until n records arrived (at most 10 s).
    records = []
    for _ in range(20):
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        if len(records) >= n:
            break
    return records

calls = []
def value_serializer(v):
    calls.append('value %r' % (v,))
    return json.dumps(v).encode()

def key_serializer(k):
    calls.append('key %r' % (k,))
    if k is None:
        return None
    return k.encode()

producer = KafkaProducer(bootstrap_servers=BOOT, key_serializer=key_serializer, value_serializer=value_serializer)
print(producer.send(topic, key='a', value=None).get(10).serialized_value_size)
print(producer.send(topic, value={'x': 1}).get(10).serialized_key_size)
producer.close()
print(calls)

seen = []
def key_deserializer(k):
    seen.append(k)
    if k is None:
        return 'no key'
    return k.decode()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest',
                         key_deserializer=key_deserializer,
                         value_deserializer=lambda v: json.loads(v))
consumer.assign([TopicPartition(topic, 0)])
for r in drain(consumer, 2):
    print(r.key, r.value, r.serialized_key_size, r.serialized_value_size)
print(seen)
consumer.close()
