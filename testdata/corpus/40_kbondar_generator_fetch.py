# Source: https://github.com/kbondar17/kafka_clickhouse_template/blob/2d7067e2f9d85448da5e8b35fc7e50dcb5dfc1b2/src/my_kafka/kafka_consumer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; consumer_timeout_ms=2000; three keyed records produced
# first.
import sys
from kafka import KafkaConsumer

# topic: user_views 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(3):
    p.send(T + '-user_views', key=b'user%d' % i, value=b'{"movie_id": %d, "ts": %d}' % (i * 7, i))
p.close()
# --- end of edit ---

class Consumer:

    def fetch(self):
        consumer = KafkaConsumer(
            T + '-user_views', 
            bootstrap_servers=[BOOT],
            auto_offset_reset='earliest',
            group_id=T + '-echo-messages-to-stdout',
            consumer_timeout_ms=2000,
        )

        for message in consumer:
            yield message.key, message.value

kafka_consumer = Consumer()
for k,v in kafka_consumer.fetch():
    print(k,v)
