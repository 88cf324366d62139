# Keyed records go to murmur2(key) % partitions, as the Java client and
# kafka-python compute it, on topics of 3 and 10 partitions.
import sys
from kafka import KafkaProducer

# topic: three 3
# topic: ten 10
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(bootstrap_servers=BOOT)
keys = [b'', b'a', b'21', b'foobar', b'key', b'my_key', b'abc', b'kafka', b'123456789', b'k1', b'\x00\xff', b'user-42']
for name in ['three', 'ten']:
    futures = [(k, producer.send(T + '-' + name, b'v', key=k)) for k in keys]
    producer.flush()
    print(name, sorted(producer.partitions_for(T + '-' + name)))
    for k, f in futures:
        print('  %r -> %d' % (k, f.get(10).partition))
producer.close()
