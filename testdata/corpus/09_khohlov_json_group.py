# Source: https://github.com/Andrey-Khohlov/kafka/blob/HEAD/consumer_1.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; three JSON records produced first (the original reads what
# another program wrote); consumer_timeout_ms=3000 so the loop ends.
import sys
from kafka import KafkaConsumer
from json import loads

# topic: test_topic_1 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
from json import dumps
p = KafkaProducer(bootstrap_servers=BOOT, value_serializer=lambda x: dumps(x).encode('utf-8'))
for i in range(3):
    p.send(T + '-test_topic_1', {'number': i})
p.close()
# --- end of edit ---

consumer = KafkaConsumer(
    T + '-test_topic_1',
    bootstrap_servers=[BOOT],
    auto_offset_reset='earliest',
    enable_auto_commit=True,
    group_id=T + '-my-group',
    consumer_timeout_ms=3000,
    value_deserializer=lambda x: loads(x.decode('utf-8')))


if __name__ == '__main__':
    for message in consumer:
        print(message.value)
