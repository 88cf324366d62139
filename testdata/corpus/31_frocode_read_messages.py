# Source: https://github.com/FroCode/Scalable-Data-Analytics-Platform-with-CI-CD-Integration/blob/HEAD/docker/Kafka/scripts/read_messages.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; JSON
# records produced first; consumer_timeout_ms=1000.
import sys
from kafka import KafkaConsumer
import json

# topic: test_topic 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT, value_serializer=lambda v: json.dumps(v).encode('utf-8'))
p.send(T + '-test_topic', {'sale': 1, 'amount': 9.99, 'items': ['a', 'b']})
p.send(T + '-test_topic', {'sale': 2, 'amount': 1e-05, 'unicode': 'caf\u00e9'})
p.close()
# --- end of edit ---

consumer = KafkaConsumer(
    T + '-test_topic',
    bootstrap_servers=[BOOT],
    auto_offset_reset='earliest',
    consumer_timeout_ms=1000,
    value_deserializer=lambda v: json.loads(v.decode('utf-8'))
)

for message in consumer:
    print(message.value)
