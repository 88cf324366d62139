# Source: https://github.com/prashobkt/kafka/blob/HEAD/test/kafka_consumer_3.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; three records produced first; consumer_timeout_ms=3000; the
# committed offset printed at the end.
import sys
from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition

# topic: ravi1 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(3):
    p.send(T + '-ravi1', b'r%d' % i)
p.close()
# --- end of edit ---


if __name__ == '__main__':
    consumer = KafkaConsumer(bootstrap_servers=[BOOT],
                         group_id=T + '-test',
                         auto_offset_reset='earliest',
                         enable_auto_commit=False,
                         consumer_timeout_ms=3000,

                             )
    consumer.subscribe(topics=T + '-ravi1')
    offset_array=[]
    for mp1 in consumer:
        # Received message'
        message = mp1.value
        print(message)



        #=============================
        #Commit
        #==========================
        meta =consumer.partitions_for_topic(mp1.topic)
        tp = TopicPartition(mp1.topic, mp1.partition)
        options={}
        options[tp] = OffsetAndMetadata(mp1.offset , meta)
        consumer.commit(options)
    print(consumer.committed(TopicPartition(T + '-ravi1', 0)))
