# Source: https://github.com/Cybernetic-Ransomware/template_mala_kafka/blob/HEAD/main/cons.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; two JSON records produced first; consumer_timeout_ms=3000.
import sys
import json

from kafka import KafkaConsumer

# topic: test-topic 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-test-topic', b'{"id": 1, "name": "a"}')
p.send(T + '-test-topic', b'{"id": 2, "tags": ["x", "y"], "ok": true, "none": null}')
p.close()
# --- end of edit ---


def json_deserializer(data):
    return json.loads(data.decode("utf-8"))


consumer = KafkaConsumer(
    T + "-test-topic",
    bootstrap_servers=[BOOT],
    enable_auto_commit=True,
    group_id=T + "-my-group",
    value_deserializer=json_deserializer,
    auto_offset_reset="earliest",
    consumer_timeout_ms=3000,
)

for message in consumer:
    print(f"Received: {message.value}")
