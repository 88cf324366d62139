# Source: https://github.com/jbull328/kafka_node_parser/blob/HEAD/python_consumer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; a
# record produced first; auto_offset_reset='earliest'. The original's
# format string has five placeholders for three values: it stops with a
# TypeError on the first record.
# exit: 1
import sys
from kafka import KafkaConsumer

# topic: test 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-test', b'hello', key=b'k')
p.close()
# --- end of edit ---

consumer = KafkaConsumer(T + '-test', bootstrap_servers=[BOOT], auto_offset_reset='earliest')

for message in consumer:
    print("%s:%d:%d: key:%s value:%s" %
          (message.topic, message.key, message.value))

KafkaConsumer(auto_offset_reset='earliest', enable_auto_commit=False)

KafkaConsumer(consimer_timeout_ms=1000)
