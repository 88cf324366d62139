# A position outside the log (a seek past its end): when the fetch
# answers OFFSET_OUT_OF_RANGE, auto_offset_reset moves it to the end
# ('latest') or the beginning ('earliest'), in poll(), next() and
# iteration; without a policy ('none' or None) each poll, next() and
# iteration raises OffsetOutOfRangeError({tp: offset}).
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.errors import OffsetOutOfRangeError

# topic: oor 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-oor'
tp = TopicPartition(topic, 0)

producer = KafkaProducer(bootstrap_servers=BOOT)

def send(value):
    return producer.send(topic, value, partition=0).get(timeout=10).offset

def poll_records(consumer, n):
    # Polls until n records arrived (at most 10 s).
    records = []
    for _ in range(100):
        for batch in consumer.poll(timeout_ms=100).values():
            records.extend(batch)
        if len(records) >= n:
            break
    return [(r.offset, r.value.decode()) for r in records]

def poll_until_moved(consumer, offset):
    # Polls until the position is no longer offset (at most 10 s).
    for _ in range(100):
        consumer.poll(timeout_ms=100)
        if consumer.position(tp) != offset:
            break
    return consumer.position(tp)

for i in range(3):
    send(b'old%d' % i)

# 'latest': the end, and what is produced afterwards arrives.
consumer = KafkaConsumer(bootstrap_servers=BOOT, enable_auto_commit=False)
consumer.assign([tp])
consumer.seek(tp, 100)
print('latest', consumer.position(tp), poll_until_moved(consumer, 100))
print('sent at', send(b'new'))
print(poll_records(consumer, 1), consumer.position(tp))
consumer.close()

# 'earliest', with next() and iteration.
consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=10000)
consumer.assign([tp])
consumer.seek(tp, 50)
record = next(consumer)
print('earliest next', record.offset, record.value, consumer.position(tp))
consumer.seek(tp, 60)
offsets = []
for record in consumer:
    offsets.append(record.offset)
    if len(offsets) == 4:
        break
print('earliest iteration', offsets, consumer.position(tp))
consumer.close()

# No policy: the error names the partition and the offset, each time.
for reset in ['none', None]:
    consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset=reset, consumer_timeout_ms=10000)
    print(repr(consumer.config['auto_offset_reset']))
    consumer.assign([tp])
    consumer.seek(tp, 100)
    for attempt in range(2):
        try:
            print(poll_records(consumer, 1))
        except OffsetOutOfRangeError as e:
            print(type(e).__name__, e.args, consumer.position(tp))
            print(repr(e))
            print(str(e))
    try:
        print(next(consumer))
    except OffsetOutOfRangeError as e:
        print('next', e)
    try:
        for record in consumer:
            print(record)
    except OffsetOutOfRangeError as e:
        print('iteration', e.args)
    consumer.seek(tp, 2)
    print(poll_records(consumer, 2))
    consumer.close()
producer.close()
