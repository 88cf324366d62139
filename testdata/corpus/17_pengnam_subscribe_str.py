# Source: https://github.com/pengnam/real-time-aircraft-visualization/blob/HEAD/test1.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; two
# records produced first.
import sys
from kafka import KafkaConsumer

# topic: test 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-test', b'flight SQ321', key=b'SQ')
p.send(T + '-test', b'flight BA12')
p.close()
# --- end of edit ---

consumer = KafkaConsumer(bootstrap_servers=BOOT,
			 auto_offset_reset='earliest',
			 consumer_timeout_ms=1000)
consumer.subscribe(T + '-test')
for message in consumer:
    print(message)
