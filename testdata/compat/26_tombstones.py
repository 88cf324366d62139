# None, empty and present keys and values: sizes on both sides, and what
# the consumer returns for each.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: tomb 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-tomb'

def drain(consumer, n):
    # Polls until n records arrived (at most 10 s).
    records = []
    for _ in range(20):
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        if len(records) >= n:
            break
    return records

producer = KafkaProducer(bootstrap_servers=BOOT)
cases = [(b'k', None), (b'k', b''), (b'', b'v'), (None, b''), (b'', b''), (None, b'v')]
for key, value in cases:
    md = producer.send(topic, key=key, value=value).get(10)
    print(repr(key), repr(value), md.serialized_key_size, md.serialized_value_size)
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
consumer.assign([TopicPartition(topic, 0)])
for r in drain(consumer, len(cases)):
    print(r.offset, r.key, r.value, r.serialized_key_size, r.serialized_value_size)
consumer.close()
