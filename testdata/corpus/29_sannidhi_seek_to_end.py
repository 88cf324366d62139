# Source: https://github.com/sannidhiteredesai/kafka/blob/36fe502f8485876d68e782ba80cb2b1bc34e04a9/kafka_and_python/producer_consumer/consumer_seeks/consumer_with_seek_to_end.py
# License: the repository has a LICENSE file.
# Edits: 'from config import *' (BOOTSTRAP_SERVERS) becomes sys.argv[1];
# topic and group prefixed with sys.argv[2]; records produced first;
# consumer_timeout_ms 100000 becomes 1000; the positions after
# seek_to_end() printed (the original prints only records that arrive
# later, here none).
import sys
from kafka import KafkaConsumer, TopicPartition
BOOTSTRAP_SERVERS, T = sys.argv[1], sys.argv[2]

# topic: string-topic 3

# --- corpus edit: records to skip ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOTSTRAP_SERVERS)
for i in range(7):
    p.send(T + '-string-topic', b'old %d' % i, partition=i % 3)
p.close()
# --- end of edit ---

string_deserializer = lambda x: x.decode('utf-8')


#################### Using seek_to_end() ###################

# Don't give topic name while creating the consumer, instead use assign method as below
consumer = KafkaConsumer(group_id=T + '-some_consumer_group',
                         bootstrap_servers=[BOOTSTRAP_SERVERS],
                         value_deserializer=string_deserializer,
                         auto_offset_reset='latest',
                         consumer_timeout_ms=1000)

partition0 = TopicPartition(T + '-string-topic', 0)
partition1 = TopicPartition(T + '-string-topic', 1)
partition2 = TopicPartition(T + '-string-topic', 2)
consumer.assign([partition0, partition1, partition2])

# Assume the consumer has NOT consumed all messages from all partitions.
# But after the below method is executed offset will be reset to end for all the partitions.
consumer.seek_to_end()
print([consumer.position(p) for p in (partition0, partition1, partition2)])

for msg in consumer:
    print("Consumed[%s-%d] %d: key=%s value=%s" % (msg.topic, msg.partition,
                                         msg.offset, msg.key,
                                         msg.value))
