# Source: https://github.com/naritta/lastDB/blob/HEAD/src/app/kafka_consumer_partitioned.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2];
# records produced to partitions 0 and 1 first; auto_offset_reset='earliest'
# and consumer_timeout_ms=1000.
import sys
from kafka import KafkaConsumer
from kafka import TopicPartition

# topic: key 2
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(4):
    p.send(T + '-key', b'v%d' % i, partition=i % 2)
p.close()
# --- end of edit ---

def main():
    consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
    consumer.assign([TopicPartition(T + '-key', 1)])
    # consumer.subscribe(['key'])
    for msg in consumer:
      print (msg)

if __name__ == "__main__":
    main()
