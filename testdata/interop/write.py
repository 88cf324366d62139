# Interop writer, in the common subset of Python 3 and kstar (run by
# kafka-python and by kstar): four records to partition 0 of a topic, with
# keys (one None), headers, explicit timestamps and a compressible value.
# usage: write.py BOOTSTRAP TOPIC CODEC   (CODEC: none, gzip, snappy, lz4, zstd)
import sys
from kafka import KafkaProducer

BOOT, TOPIC, CODEC = sys.argv[1], sys.argv[2], sys.argv[3]
codec = CODEC
if CODEC == 'none':
    codec = None

producer = KafkaProducer(bootstrap_servers=BOOT, compression_type=codec, linger_ms=100)
keys = [b'k0', None, b'k2', b'k3']
futures = []
for i, key in enumerate(keys):
    value = ('value-%d-%s-' % (i, CODEC)).encode() + b'abcdefgh' * 40
    futures.append(producer.send(TOPIC, value, key=key, partition=0,
                                 headers=[('h1', b'a'), ('h2', b'b')], timestamp_ms=1000 + i))
producer.flush()
print([f.get(10).offset for f in futures])
producer.close()
