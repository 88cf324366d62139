# Source: https://github.com/prashobkt/kafka/blob/HEAD/test/kafka_consumer_5.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; records produced to partitions 1 and 2 first;
# consumer_timeout_ms=1000; records printed sorted after the loop (two
# partitions interleave differently from run to run).
import sys
from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition

# topic: ravi1 3
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    p.send(T + '-ravi1', b'r%d' % i, partition=i % 3)
p.close()
# --- end of edit ---

consumer = KafkaConsumer(bootstrap_servers=[BOOT],
                         group_id=T + '-test',
                         auto_offset_reset='earliest',
                         enable_auto_commit=False,
                         consumer_timeout_ms=1000)

partition = TopicPartition(T + '-ravi1', 1)
partition2 = TopicPartition(T + '-ravi1', 2)
consumer.assign([partition,partition2])
# consumer.subscribe(topics='ravi1')
offset_array=[]
seen = []
for mp1 in consumer:
    # Received message'
    message = mp1.value
    seen.append(message)


    
    #=============================
    #Commit
    #==========================
    meta =consumer.partitions_for_topic(mp1.topic)
    tp = TopicPartition(mp1.topic, mp1.partition)
    options={}
    options[tp] = OffsetAndMetadata(mp1.offset , meta)
    consumer.commit(options)
print(sorted(seen))
print(consumer.committed(partition), consumer.committed(partition2))
