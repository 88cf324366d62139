# Offset queries: beginning_offsets, end_offsets, partitions_for_topic,
# topics(), highwater(), and the producer's partitions_for.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: q 3
# topic: other 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-q'
tps = [TopicPartition(topic, p) for p in range(3)]

producer = KafkaProducer(bootstrap_servers=BOOT)
print(sorted(producer.partitions_for(topic)))
for i in range(7):
    producer.send(topic, b'x', partition=i % 3)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
print(sorted(consumer.partitions_for_topic(topic)))
print(sorted(consumer.partitions_for_topic(T + '-other')))
print(sorted([t for t in consumer.topics() if t.startswith(T + '-')]))
print(sorted(consumer.beginning_offsets(tps).items()))
print(sorted(consumer.end_offsets(tps).items()))
consumer.assign(tps)
print(consumer.highwater(tps[0]))
got = 0
for _ in range(20):
    for batch in consumer.poll(timeout_ms=500).values():
        got += len(batch)
    if got >= 7:
        break
print(got, [consumer.highwater(tp) for tp in tps])
print([consumer.position(tp) for tp in tps])
consumer.close()
