# The builtins that take an iterable, over a KafkaConsumer: enumerate, zip,
# map, filter, any, all, next, iter and `in` take records only as they are
# needed (a loop that breaks leaves the position right after the last
# record it saw); list, sorted, sum, min, max, dict and tuple read until
# consumer_timeout_ms passes.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: lazy 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-lazy'
tp = TopicPartition(topic, 0)

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    producer.send(topic, b'v%d' % i, key=b'k%d' % i, partition=0)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
consumer.assign([tp])

def rewind(offset=0):
    consumer.seek(tp, offset)

def at(label):
    print(label, 'position', consumer.position(tp))

for i, msg in enumerate(consumer):
    print(i, msg.offset, msg.value)
    if i == 1:
        break
at('enumerate break')

rewind()
for n, msg in enumerate(consumer, start=10):
    if n == 12:
        break
at('enumerate start=10')

rewind()
e = enumerate(consumer, 1)
count, msg = next(e)
print(count, msg.value, next(e)[0])
at('next(enumerate)')

rewind()
print([(n, m.offset) for n, m in zip(range(2), consumer)])
at('zip(range(2), consumer)')
rewind()
print([(m.offset, n) for m, n in zip(consumer, range(2))])
at('zip(consumer, range(2))')

rewind()
print(any(map(lambda m: m.offset == 2, consumer)))
at('any')
rewind()
print(all(map(lambda m: m.offset < 3, consumer)))
at('all')
rewind()
print(any(filter(lambda m: m.offset > 100, consumer)))
at('any, no match')

rewind()
print(b'v3' in map(lambda m: m.value, consumer))
at('in')

rewind()
print(next(consumer).offset, next(iter(consumer)).offset)
at('next, iter')

rewind()
first, second = zip(range(2), consumer)
print(first[0], second[1].offset)
at('unpacking')

rewind(3)
print([m.offset for m in list(consumer)])
at('list')
rewind(4)
print(sum(map(lambda m: m.offset, consumer)))
at('sum')
rewind(2)
print(max(map(lambda m: m.offset, consumer)), min(map(lambda m: m.value, consumer), default='empty'))
at('max, min')
rewind(4)
print(dict(map(lambda m: (m.key, m.value), consumer)))
at('dict')
rewind(5)
print(sorted(enumerate(map(lambda m: m.value, consumer), 7), reverse=True))
at('sorted')
print(tuple(enumerate('ab')), list(enumerate([3, 4], -1)), list(zip('ab', [1], (2, 3))), list(zip()))
print(type(enumerate([])).__name__, type(zip()).__name__)
consumer.close()
