# An exception raised inside a generator's body, while a for loop over
# the generator reads a consumer, ends the script with the body's
# exception: the same exit code and last traceback line as CPython.
# topic: genexc 1
# exit: 1
import sys, json
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-genexc'
producer = KafkaProducer(bootstrap_servers=BOOT)
for v in [b'{"n": 1}', b'{"n": 2}', b'not json', b'{"n": 4}']:
    producer.send(topic, v, partition=0)
producer.flush()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=3000)
consumer.assign([TopicPartition(topic, 0)])


def decoded(records):
    for r in records:
        yield json.loads(r.value)['n']


for n in decoded(consumer):
    print('n', n)
