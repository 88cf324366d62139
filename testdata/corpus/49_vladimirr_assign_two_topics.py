# Source: https://github.com/vladimirr11/infrastructure-and-configuration-management/blob/a016d947a6c2210834ac6ef2b296025dbe6b9b7b/M6_Event_Streaming_With_Apache_Kafka/Lab/centos/code/consumer_assign.py
# License: not checked.
# Edits: bootstrap from sys.argv[1] (the original names three brokers);
# topics prefixed with sys.argv[2]; consumer_timeout_ms=2000 (the original
# reads until Ctrl-C) and auto_offset_reset='earliest' (the default,
# 'latest', skips what was there before); records produced first: two to demo3's partition 2,
# which the consumer is assigned, one to demo2's partition 0, which it is
# not (none to demo2's partition 1: the order in which kafka-python returns
# two partitions' records follows a set's order, which differs from run to
# run).
import sys
from kafka import KafkaConsumer, TopicPartition

# topic: demo2 2
# topic: demo3 3
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-demo3', b'My number is 1', partition=2)
p.send(T + '-demo2', b'not assigned', partition=0)
p.send(T + '-demo3', b'My number is 2', partition=2)
p.close()
# --- end of edit ---

print('Consumer started. Press Ctrl+C to stop.')

try:
    consumer = KafkaConsumer(bootstrap_servers=[BOOT], auto_offset_reset='earliest', consumer_timeout_ms=2000)
    consumer.assign([TopicPartition(T + '-demo2', 1), TopicPartition(T + '-demo3', 2)])
    for message in consumer:
        print(message)
except Exception as ex:
    print(str(ex))
except KeyboardInterrupt:
    pass
finally:
    if consumer is not None:
        consumer.close()

print('... closed.')
