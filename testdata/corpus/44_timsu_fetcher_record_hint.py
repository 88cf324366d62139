# Source: https://github.com/timsu92/kafka_example/blob/13a045b6a7fc3f478e0d8dae2b07a7fa024034c1/consumer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2];
# consumer_timeout_ms=2000; three records produced first, with fixed
# timestamps (timestamp_ms), so that the datetime printed for each is the
# same in every run.
import sys
import datetime
from kafka import KafkaConsumer
from kafka.consumer.fetcher import ConsumerRecord

# topic: topic-test 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(3):
    p.send(T + '-topic-test', bytes(f"producer 7 sent {i}", "utf8"), timestamp_ms=1700000000000 + i * 1500)
p.close()
# --- end of edit ---

consumer = KafkaConsumer(
        T + '-topic-test',
        bootstrap_servers=BOOT,
        auto_offset_reset="earliest",
        consumer_timeout_ms=2000
)
print("已啟動。用SIGINT (CTRL+C) 中止程式")
try:
    for msg in consumer:
        msg: ConsumerRecord = msg  # for type hint
        print({
            "partition": msg.partition,
            "offset": msg.offset,
            "value": msg.value.decode()
            })
        prefix = f"{msg.topic}[{msg.partition} | {msg.offset}] / {datetime.datetime.fromtimestamp(msg.timestamp / 1000)}"
        print(f"- {prefix} {msg.value.decode()}")
except KeyboardInterrupt:
    consumer.close()
