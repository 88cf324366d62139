# Source: https://github.com/AdriaPares/FollowMe/blob/HEAD/data_ingestion/kafka/Consumer2.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; two
# JSON records produced first; consumer_timeout_ms=2000.
import sys
from kafka import KafkaConsumer
from json import loads

# topic: my-topic 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-my-topic', b'{"lat": 41.38, "lon": 2.17}')
p.send(T + '-my-topic', b'[1, 2.5, "three"]')
p.close()
# --- end of edit ---

consumer = KafkaConsumer(
        T + '-my-topic',
        bootstrap_servers=[BOOT],
        auto_offset_reset='earliest',
        enable_auto_commit=True,
        group_id=None,
        consumer_timeout_ms=2000,
        value_deserializer=lambda x: loads(x.decode('utf-8')))

for message in consumer:
    message = message.value
    print(message)
