# Many asynchronous keyed sends, one flush: every record lands, each key
# stays on one partition, and per-key order is kept.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: many 4
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-many'
N = 300

producer = KafkaProducer(bootstrap_servers=BOOT, linger_ms=5)
futures = []
for i in range(N):
    futures.append(producer.send(topic, key=b'key-%d' % (i % 7), value=b'%d' % i))
producer.flush()
print(len([f for f in futures if f.succeeded()]))
by_partition = {}
for f in futures:
    md = f.value
    by_partition[md.partition] = by_partition.get(md.partition, 0) + 1
print(sorted(by_partition.items()))
producer.close()

tps = [TopicPartition(topic, p) for p in range(4)]
consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
print(sorted(consumer.end_offsets(tps).items()))
consumer.assign(tps)
records = []
for _ in range(40):
    for batch in consumer.poll(timeout_ms=500).values():
        records.extend(batch)
    if len(records) >= N:
        break
last = {}
in_order = True
partitions = {}
for r in records:
    n = int(r.value)
    if r.key in last and last[r.key] >= n:
        in_order = False
    last[r.key] = n
    partitions[r.key] = r.partition
print(len(records), in_order)
print(sorted(partitions.items()))
consumer.close()
