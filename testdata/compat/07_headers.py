# Record headers: several per record, repeated keys, empty values,
# non-ASCII keys; what the consumer sees and serialized_header_size.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: h 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-h'

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
sends = [
    [('content-type', b'application/json')],
    [('a', b'1'), ('b', b'2'), ('a', b'3')],
    [('empty', b'')],
    [('caf\u00e9', b'\xc3\xa9t\xc3\xa9')],
    [],
]
for headers in sends:
    md = producer.send(topic, b'body', key=b'k', headers=headers).get(10)
    print(md.offset, md.serialized_header_size)
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
consumer.assign([TopicPartition(topic, 0)])
records = drain(consumer, len(sends))
for r in records:
    print(r.offset, r.headers, r.serialized_header_size)
    print(r)
consumer.close()
