# Source: https://github.com/gardenunez/kafka-playground/blob/HEAD/consumer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; two
# records produced first; the commented-out auto_offset_reset='earliest'
# enabled; 'while True' becomes two rounds.
import sys
from kafka import KafkaConsumer

# topic: my-topic 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-my-topic', b'one')
p.send(T + '-my-topic', b'two')
p.close()
# --- end of edit ---

consumer = KafkaConsumer(bootstrap_servers=BOOT, 
                         auto_offset_reset='earliest',
                         consumer_timeout_ms=1000)
consumer.subscribe([T + '-my-topic'])

try:
    for _ in range(2):
        for msg in consumer:
            print (msg)
finally:
    consumer.close()
