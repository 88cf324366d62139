# Every codec (compression_type gzip, snappy, lz4, zstd): records (small,
# large and compressible, keyed, with headers) survive the round trip;
# sizes are the uncompressed ones.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: gzip 1
# topic: snappy 1
# topic: lz4 1
# topic: zstd 1
BOOT, T = sys.argv[1], sys.argv[2]

def drain(consumer, n):
    # Polls until n records arrived (at most 10 s).
    records = []
    for _ in range(20):
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        if len(records) >= n:
            break
    return records

def round_trip(codec):
    topic = T + '-' + codec
    print('==', codec)
    producer = KafkaProducer(bootstrap_servers=BOOT, compression_type=codec, linger_ms=50)
    futures = [
        producer.send(topic, b'small'),
        producer.send(topic, b'x' * 100000, key=b'big'),
        producer.send(topic, b'abc' * 1000, headers=[('codec', codec.encode())]),
        producer.send(topic, None, key=b'tombstone'),
    ]
    producer.flush()
    for f in futures:
        md = f.get(10)
        print(md.offset, md.serialized_key_size, md.serialized_value_size, md.serialized_header_size)
    producer.close()

    consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
    consumer.assign([TopicPartition(topic, 0)])
    records = drain(consumer, 4)
    for r in records:
        value = r.value
        if value is not None and len(value) > 20:
            value = value[:10] + b'...(%d bytes)' % len(value)
        print(r.offset, r.key, value, r.headers, r.serialized_value_size)
    consumer.close()

for codec in ['gzip', 'snappy', 'lz4', 'zstd']:
    round_trip(codec)
