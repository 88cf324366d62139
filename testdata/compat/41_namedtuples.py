# kafka's namedtuples behave as Python's namedtuples: the ConsumerRecord a
# consumer yields, the RecordMetadata a send returns, the OffsetAndTimestamp
# of offsets_for_times, TopicPartition and OffsetAndMetadata: fields by name
# and index, _fields, _asdict, _replace, _make, slicing, unpacking, len, in,
# + and *, comparison and hashing as tuples, type() and isinstance.
import json
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition, OffsetAndMetadata
from kafka.structs import OffsetAndTimestamp

# topic: nt 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-nt'
tp = TopicPartition(topic, 0)

producer = KafkaProducer(bootstrap_servers=BOOT)
meta = producer.send(topic, b'v0', key=b'k0', headers=[('h', b'1')], partition=0, timestamp_ms=1600000000000).get(timeout=30)
producer.send(topic, b'v1', partition=0, timestamp_ms=1600000000001).get(timeout=30)
producer.close()

def hashed(nt):
    try:
        return hash(nt) == hash(tuple(nt))
    except TypeError as e:
        return e

def show(label, nt):
    print(label, type(nt), isinstance(nt, tuple), len(nt), nt._fields)
    print('  asdict', nt._asdict())
    print('  index', nt[0], nt[-1], nt[1:3], list(nt)[:2], nt[0] in nt)
    print('  hash', hashed(nt))

show('RecordMetadata', meta)
print('  fields', meta.topic_partition == tp, meta.offset, meta._replace(offset=9).offset, meta.offset)
t, p, tpart, offset = meta[:4]
print('  unpack', t == topic, p, tpart, offset)

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=2000)
consumer.assign([tp])
first, second = next(consumer), next(consumer)
show('ConsumerRecord', first)
changed = first._replace(value=b'changed', headers=())
print('  replace', changed.value, changed.key, changed.headers, first.value, changed == first, first < second)
print('  hashable once headers is a tuple', hashed(changed))
print('  json', json.dumps(changed._replace(topic='t', key='k', value='v')), '%s/%s/%s' % first[:3])
topic_, partition, offset, timestamp, timestamp_type, key, value, headers, checksum, ksize, vsize, hsize = first
print('  unpack', partition, offset, timestamp, key, value, headers, ksize, vsize, hsize)
print('  slice', first[4:7], first[::5][1:], sorted([second, first])[0].offset, max(first, second).offset)
try:
    first._replace(nosuch=1)
except ValueError as e:
    print('  ', e)

found = consumer.offsets_for_times({tp: 1600000000001})[tp]
show('OffsetAndTimestamp', found)
print('  ', found.offset, found.timestamp, found._replace(offset=5), found < OffsetAndTimestamp(found.offset, found.timestamp + 1))

show('TopicPartition', tp)
print('  ', tp._replace(partition=3), TopicPartition._make([topic, 7]), tp + (1,), tp * 2, {tp: 'a'}[TopicPartition(topic, 0)])
print('  ', sorted([TopicPartition(topic, 2), tp, TopicPartition('a', 5)]), tp < TopicPartition(topic, 1))

om = OffsetAndMetadata(5, 'meta')
show('OffsetAndMetadata', om)
print('  ', om._replace(metadata='m2'), om == OffsetAndMetadata(5, 'meta'), OffsetAndMetadata(4, 'z') < om)
consumer.close()

# A namedtuple equals the tuple of its values (kstar: where the tuple is
# written out; a tuple held in a variable compares unequal, see
# docs/compatibility.md).
print('  ', tp == (topic, 0), (topic, 0) == tp, tp != (topic, 0), om == (5, 'meta'), tp == (topic, 1))
