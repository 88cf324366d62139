# Source: https://github.com/JanikBuecher/Kafka_DWH/blob/HEAD/Producer/stream.py
# License: not checked.
# Edits: topic 'Test' prefixed with sys.argv[2] (the script already takes
# its bootstrap server from argv[1]); a read-back of the records at the end
# (the original prints only its progress).
from kafka import KafkaProducer
from json import dumps
import logging
import time
from sys import argv
#logging.basicConfig(level=logging.DEBUG)

# topic: Test 1
def produce():
   # write to the topic
   print('\n<Producing>')
   producer = KafkaProducer(bootstrap_servers=[bootstrap_server])
   for i in range(20):
      producer.send(argv[2] + '-Test', ('Message: ' + str(i)).encode() )
   producer.flush()
   producer.close(timeout=2)

try:
    bs=argv[1]
    print('\n🥾 bootstrap server: {}'.format(bs))
    bootstrap_server=bs
except:
    # no bs X-D
    bootstrap_server='localhost:19092'
    print('⚠️  No bootstrap server defined, defaulting to {}\n'.format(bootstrap_server))

try:
      produce()

except Exception as e:
        print("❌ (uncaught exception in produce): ", e)

# --- corpus edit: read them back ---
from kafka import KafkaConsumer
c = KafkaConsumer(argv[2] + '-Test', bootstrap_servers=bootstrap_server, auto_offset_reset='earliest', consumer_timeout_ms=1000)
print([m.value for m in c][::7])
