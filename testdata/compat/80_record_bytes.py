# A record's key, value and header values are bytes as Python has them:
# an item is an int (msg.value[0] == 0 is the Confluent wire format's
# magic byte), a slice is bytes, iteration gives ints, and they equal,
# hash and compare as literals do (dict keys, `in`, sorting).
import json
import struct
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: rbytes 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-rbytes'
tp = TopicPartition(topic, 0)

def confluent(schema_id, obj):
    return b'\x00' + struct.pack('>I', schema_id) + json.dumps(obj).encode()

producer = KafkaProducer(bootstrap_servers=BOOT)
producer.send(topic, confluent(7, {'n': 1}), key=b'k\x00\xff', headers=[('h', b'\x01\x02')])
producer.send(topic, b'plain text', key=b'k\x00\xff')
producer.send(topic, b'', key=None, headers=[('h', b'')])
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=2000)
consumer.assign([tp])
records = list(consumer)
consumer.close()

seen = {}
for msg in records:
    v = msg.value
    print(msg.offset, type(v).__name__, len(v), repr(v[:3]), list(v[:3]), v[:1] == b'\x00')
    if v and v[0] == 0:
        schema_id = struct.unpack('>I', v[1:5])[0]
        print('confluent', schema_id, int.from_bytes(v[1:5], 'big'), json.loads(v[5:]))
    elif v:
        print('first', v[0], chr(v[0]), v[-1], sum(v) % 256, 116 in v, b'text' in v, max(v), sorted(set(v))[:3])
    else:
        print('empty', v == b'', bool(v), list(v))
    if msg.key is not None:
        k = msg.key
        print('key', k, [c for c in k], k[1], k[-1], k == b'k\x00\xff', k.hex(), k < b'l')
        seen[k] = seen.get(k, 0) + 1
    for name, hv in msg.headers:
        print('header', name, list(hv), hv[:1], hv == b'\x01\x02', hv[0] if hv else None)
print(seen, seen[b'k\x00\xff'], b'k\x00\xff' in seen)
print(sorted(m.value for m in records), {m.value: m.offset for m in records}[b'plain text'])
