# commit() takes any OffsetAndMetadata metadata: kafka-python's encoder
# sends str() of it, and a null string for None (which kfake keeps and
# Apache Kafka stores as ''). committed() shows the
# metadata as this consumer committed it while it holds the partition,
# until kafka-python refreshes its committed offsets (the first poll after
# assign), and as the broker keeps it (a str) from then on and to other
# consumers.
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition, OffsetAndMetadata

# topic: md 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-md'
group = T + '-md-g'
tp = TopicPartition(topic, 0)

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(3):
    producer.send(topic, b'v%d' % i, partition=0)
producer.flush()
producer.close()

def fresh():
    other = KafkaConsumer(bootstrap_servers=BOOT, group_id=group, enable_auto_commit=False)
    committed = other.committed(tp, metadata=True)
    other.close()
    return committed

consumer = KafkaConsumer(bootstrap_servers=BOOT, group_id=group, enable_auto_commit=False,
                         auto_offset_reset='earliest', consumer_timeout_ms=1000)
consumer.assign([tp])
for md in [12345, None, 1.5, True, b'x', ['l', 1], {'k': 'v'}, 'text', '']:
    consumer.commit({tp: OffsetAndMetadata(1, md)})
    print(repr(md), consumer.committed(tp), consumer.committed(tp, metadata=True), fresh())

# The first poll refreshes the committed offsets from the broker.
print([m.offset for m in consumer.poll(timeout_ms=5000, max_records=1).get(tp, [])], consumer.committed(tp, metadata=True))
consumer.commit({tp: OffsetAndMetadata(2, 99)})
print(consumer.committed(tp, metadata=True), fresh())
consumer.commit({tp: OffsetAndMetadata(2, None)})
print(consumer.committed(tp, metadata=True), consumer.committed(tp))
consumer.close()
print(fresh().offset)
