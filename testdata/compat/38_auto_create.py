# A topic nobody created is created on first use, with the broker's
# default partition count (3 for `kstar broker`): kafka-python 2.0.2 asks
# with Metadata v1, which the kstar broker lets create topics, as Kafka
# does. (No "# topic:" line: the harness creates nothing here.)
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-auto'

producer = KafkaProducer(bootstrap_servers=BOOT)
md = producer.send(topic, b'first', key=b'key').get(10)
print(md.topic, md.partition, md.offset)
print(sorted(producer.partitions_for(topic)))
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT)
print(sorted(consumer.partitions_for_topic(topic)))
print(sorted(consumer.end_offsets([TopicPartition(topic, p) for p in range(3)]).items()))
consumer.close()
