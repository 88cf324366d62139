# A generator and a generator expression over an endless consumer (no
# consumer_timeout_ms) take records only as they are asked for: breaking
# out leaves the position right after the last record taken, and a commit
# then is what the next consumer of the group starts from.
# topic: genlazy 1
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-genlazy'
tp = TopicPartition(topic, 0)
producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(10):
    producer.send(topic, b'v%d' % i, partition=0)
producer.flush()


def wanted(records, keep):
    for r in records:
        if keep(r):
            yield r.value.decode()
    return 'never reached'


consumer = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-genlazy-g', auto_offset_reset='earliest', enable_auto_commit=False)
consumer.assign([tp])
taken = []
for v in wanted(consumer, lambda r: r.offset < 5):
    taken.append(v)
    if len(taken) == 2:
        break
print(taken, consumer.position(tp))
odd = (r.offset for r in consumer if r.offset % 2 == 1)
print(next(odd), next(odd), consumer.position(tp))
consumer.commit()
consumer.close()

again = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-genlazy-g', enable_auto_commit=False)
again.assign([tp])
print('next consumer starts at', next(again).offset)
again.close()
