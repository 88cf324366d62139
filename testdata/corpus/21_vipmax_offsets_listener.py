# Source: https://github.com/vipmax/kafka_keynotes/blob/HEAD/src/main/python/offsets_listener.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; records produced first; 'while True' becomes one round and
# sleep(1) is removed; the printed time.time() is fixed (1700000000).
import sys
import time
from kafka import KafkaConsumer, TopicPartition

# topic: test2 2
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(5):
    p.send(T + '-test2', b'x', partition=i % 2)
p.close()
# --- end of edit ---

consumer = KafkaConsumer(
    bootstrap_servers=BOOT,
    group_id=T + "-test",
    enable_auto_commit=False
)

topic = T + '-test2'
for _ in range(1):
    for p in consumer.partitions_for_topic(topic):
        tp = TopicPartition(topic, p)
        consumer.assign([tp])
        committed = consumer.committed(tp)
        consumer.seek_to_end(tp)
        last_offset = consumer.position(tp)

        current_timestamp = 1700000000
        print(current_timestamp)
        print("topic: {} partition: {} committed: {} last: {} ".format(
            topic, p, committed, last_offset)
        )

consumer.close(autocommit=False)
