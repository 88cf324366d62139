# Source: https://github.com/ImOhashi/python-kafka-simple-sample/blob/HEAD/app/kafka_consumer.py
# License: none found in the repository.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; three records produced first; auto_offset_reset='earliest'
# and consumer_timeout_ms=3000.
import sys
from kafka import KafkaConsumer

# topic: test-topic 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(3):
    p.send(T + '-test-topic', b'event %d' % i, key=None if i == 1 else b'user-%d' % i)
p.close()
# --- end of edit ---


consumer = KafkaConsumer(
    T + "-test-topic", group_id=T + "-any-group", bootstrap_servers=[BOOT],
    auto_offset_reset="earliest", consumer_timeout_ms=3000
)

for message in consumer:
    print(
        "%s:%d:%d: key=%s value=%s"
        % (message.topic, message.partition, message.offset, message.key, message.value)
    )
