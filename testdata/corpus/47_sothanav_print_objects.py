# Source: https://github.com/SothanaV/KafkaExample/blob/f5a52950f50d9e38aefea8275879273bb3d6d1d9/python/03producerJson.py
# with python/04consumerJson.py (same commit)
# License: not checked.
# Edits: the two files are one script, producer first; bootstrap from
# sys.argv[1]; topic and group prefixed with sys.argv[2].
import sys
BOOT, T = sys.argv[1], sys.argv[2]

# topic: my-topic 1

# --- 03producerJson.py ---
from kafka import KafkaProducer

import json
producer = KafkaProducer(bootstrap_servers=[BOOT],
                        value_serializer=lambda m: json.dumps(m).encode('ascii'))

r = producer.send(T + '-my-topic', {'key': 'value'}).get()

# print(producer)
print(r)
# for i in r:
#     print(i)

# --- 04consumerJson.py ---
from kafka import KafkaConsumer
import json
consumer = KafkaConsumer(T + '-my-topic',
                         group_id=T + '-my-group',
                         bootstrap_servers=[BOOT],
                         value_deserializer=lambda m: json.loads(m.decode('ascii')))

# for msg in consumer:
#     print(msg)

print(consumer)
