# Source: https://github.com/dmitryTsatsarin/quick-start-kafka-python/blob/HEAD/kafka_producer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2].
import sys
import msgpack
from kafka import KafkaProducer
from kafka.errors import KafkaError

# topic: msgpack-topic 1
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(bootstrap_servers=[BOOT], value_serializer=msgpack.dumps, retries=1)

future = producer.send(T + '-msgpack-topic', {'key': 'value'})

# Block for 'synchronous' sends
try:
    record_metadata = future.get(timeout=10)
except KafkaError:
    # Decide what to do if produce request failed...
    pass

# Successful result returns assigned partition and offset
print(record_metadata.topic)
print(record_metadata.partition)
print(record_metadata.offset)
