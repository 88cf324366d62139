# Source: https://github.com/dpkp/kafka-python/blob/2.0.2/README.rst
# ("KafkaProducer" section, the REPL session as a script).
# License: Apache-2.0 (kafka-python).
# Edits: bootstrap from sys.argv[1] (the README has localhost:1234 or
# none); topic names prefixed with sys.argv[2]; '>>>' prompts removed; the
# results the REPL would echo are printed; metrics() not printed (its
# values are timings).
import sys
from kafka import KafkaProducer

# topic: foobar 1
# topic: fizzbuzz 1
# topic: flipflap 1
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(bootstrap_servers=BOOT)
for _ in range(100):
    producer.send(T + '-foobar', b'some_message_bytes')

# Block until a single message is sent (or timeout)
future = producer.send(T + '-foobar', b'another_message')
result = future.get(timeout=60)
print(result)

# Block until all pending messages are at least put on the network
producer.flush()

# Use a key for hashed-partitioning
print(producer.send(T + '-foobar', key=b'foo', value=b'bar').get(timeout=60))

# Serialize json messages
import json
producer = KafkaProducer(bootstrap_servers=BOOT, value_serializer=lambda v: json.dumps(v).encode('utf-8'))
print(producer.send(T + '-fizzbuzz', {'foo': 'bar'}).get(timeout=60))

# Serialize string keys
producer = KafkaProducer(bootstrap_servers=BOOT, key_serializer=str.encode)
print(producer.send(T + '-flipflap', key='ping', value=b'1234').get(timeout=60))

# Compress messages
producer = KafkaProducer(bootstrap_servers=BOOT, compression_type='gzip')
for i in range(1000):
    producer.send(T + '-foobar', b'msg %d' % i)

# Include record headers. The format is list of tuples with string key
# and bytes value.
print(producer.send(T + '-foobar', value=b'c29tZSB2YWx1ZQ==', headers=[('content-encoding', b'base64')]).get(timeout=60))

# Get producer performance metrics
metrics = producer.metrics()
print(type(metrics))
