# itertools and collections over a KafkaConsumer: islice, takewhile,
# dropwhile, groupby, chain, zip_longest, accumulate, pairwise and tee take
# records only as they are needed, so the position after each is right
# after the last record read (islice(consumer, 10) reads exactly 10);
# Counter, deque and defaultdict collect what they are given.
import sys
from itertools import islice, chain, takewhile, dropwhile, groupby, count, zip_longest, accumulate, pairwise, tee, compress
from collections import Counter, deque, defaultdict, OrderedDict
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: itertools 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-itertools'
tp = TopicPartition(topic, 0)

keys = [b'a', b'a', b'b', b'b', b'b', b'c', b'a', b'a', b'd', b'd'] * 2
producer = KafkaProducer(bootstrap_servers=BOOT)
for i, key in enumerate(keys):
    producer.send(topic, b'v%d' % i, key=key, partition=0)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
consumer.assign([tp])

def rewind(offset=0):
    consumer.seek(tp, offset)

def at(label):
    print(label, 'position', consumer.position(tp))

print([m.offset for m in islice(consumer, 10)])
at('islice 10')
print([m.offset for m in islice(consumer, 2, 6, 2)])
at('islice 2, 6, 2')
print([m.value for m in islice(consumer, 3, None)])
at('islice to the end')

rewind()
print([m.offset for m in takewhile(lambda m: m.offset < 3, consumer)])
at('takewhile')
rewind()
print(next(dropwhile(lambda m: m.key == b'a', consumer)).offset)
at('dropwhile')

rewind()
for n, (key, group) in enumerate(groupby(consumer, key=lambda m: m.key)):
    print(key, [m.offset for m in group])
    if n == 2:
        break
at('groupby')

rewind()
both = chain(islice(consumer, 2), islice(consumer, 3))
print([m.offset for m in both])
at('chain of islices')

rewind(17)
print([(i, m.offset if m else m) for i, m in zip_longest(range(2), consumer)])
at('zip_longest')

rewind()
print(list(islice(accumulate(map(lambda m: m.offset, consumer)), 4)))
at('accumulate')
rewind()
print([(a.offset, b.offset) for a, b in islice(pairwise(consumer), 3)])
at('pairwise')
rewind()
left, right = tee(consumer)
print(next(left).offset, next(left).offset, next(right).offset)
at('tee')
rewind()
print([m.offset for m in compress(consumer, [1, 0, 1])])
at('compress')
rewind()
for i, m in zip(count(100), consumer):
    if i == 102:
        break
print(i, m.offset)
at('zip(count(), consumer)')

rewind()
per_key = Counter(m.key for m in islice(consumer, 10))
print(per_key, per_key.most_common(2))
at('Counter')
rewind()
latest = deque(islice(consumer, 6), maxlen=2)
print([m.offset for m in latest])
at('deque maxlen=2')
rewind()
by_key = defaultdict(list)
for m in islice(consumer, 6):
    by_key[m.key].append(m.offset)
print(by_key, dict(OrderedDict(sorted(by_key.items(), reverse=True))))
at('defaultdict')
consumer.close()
