# Source: https://github.com/paullee714/stream-service-study/blob/341d7bdc797af45c67a30d19044fb98340677030/kafka-simple-python/producer.py
# with kafka-simple-python/consumer.py (same commit)
# License: not checked.
# Edits: the two files are one script, producer first; bootstrap from
# sys.argv[1]; topic prefixed with sys.argv[2]; 10000 records become 5;
# the producer's elapsed time is printed as "end < 60" (a time differs from
# run to run); the consumer's "while True:" around its loop becomes two
# rounds (the original never ends: with consumer_timeout_ms the for loop
# ends and the while loop starts it again).
import sys
BOOT, T = sys.argv[1], sys.argv[2]

# topic: blog-post 1

# --- producer.py ---
import time
from kafka import KafkaProducer

# producer 객체 생성
# acks 0 -> 빠른 전송우선, acks 1 -> 데이터 정확성 우선
producer = KafkaProducer(
    acks=0, compression_type="gzip", bootstrap_servers=[BOOT]
)


start = time.time()

for i in range(5):
    producer.send(T + "-blog-post", b"Kafka Blog Post Event Message")
    producer.flush()  # queue에 있는 데이터를 보냄

end = time.time() - start
print(end < 60)

# --- consumer.py ---
from kafka import KafkaConsumer, consumer

# consumer 객체 생성
consumer = KafkaConsumer(
    T + "-blog-post",
    bootstrap_servers=[BOOT],
    auto_offset_reset="earliest",
    enable_auto_commit=True,
    consumer_timeout_ms=1000,
)


for _ in range(2):
    for message in consumer:
        print(
            message.topic, message.partition, message.offset, message.key, message.value
        )
