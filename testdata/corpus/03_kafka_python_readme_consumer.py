# Source: https://github.com/dpkp/kafka-python/blob/2.0.2/README.rst
# ("KafkaConsumer" section, the REPL session as a script).
# License: Apache-2.0 (kafka-python).
# Edits: bootstrap from sys.argv[1]; topic and group names prefixed with
# sys.argv[2]; records produced first (the README reads what others
# wrote); auto_offset_reset='earliest' and consumer_timeout_ms added so the
# loops end; partition 2 of 'foobar' becomes partition 0 (one partition);
# 'import msgpack' added (the README assumes it); seek_to_beginning() added
# before the headers loop (the README reuses the drained consumer);
# metrics() not printed.
import sys
import msgpack
from kafka import KafkaConsumer, KafkaProducer

# topic: my_favorite_topic 1
# topic: foobar 1
# topic: msgpackfoo 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-my_favorite_topic', b'fav')
p.send(T + '-foobar', b'foo')
p.send(T + '-msgpackfoo', msgpack.dumps({'a': 1}), headers=[('h', b'v')])
p.close()
# --- end of edit ---

from kafka import KafkaConsumer
consumer = KafkaConsumer(T + '-my_favorite_topic', bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
for msg in consumer:
    print (msg)

# join a consumer group for dynamic partition assignment and offset commits
from kafka import KafkaConsumer
consumer = KafkaConsumer(T + '-my_favorite_topic', group_id=T + '-my_favorite_group', bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=3000)
for msg in consumer:
    print (msg)

# manually assign the partition list for the consumer
from kafka import TopicPartition
consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
consumer.assign([TopicPartition(T + '-foobar', 0)])
msg = next(consumer)
print(msg)

# Deserialize msgpack-encoded values
consumer = KafkaConsumer(value_deserializer=msgpack.loads, bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
consumer.subscribe([T + '-msgpackfoo'])
for msg in consumer:
    assert isinstance(msg.value, dict)

# Access record headers. The returned value is a list of tuples
# with str, bytes for key and value
consumer.seek_to_beginning()
for msg in consumer:
    print (msg.headers)

# Get consumer metrics
metrics = consumer.metrics()
print(type(metrics))
