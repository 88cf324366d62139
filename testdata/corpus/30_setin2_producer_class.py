# Source: https://github.com/Setin2/kafka-python/blob/50cc3a1a89821eb03466c3175748f84ab2af99a7/resource-monitor/producer.py
# License: not checked.
# Edits: KafkaProducer() gets bootstrap_servers=sys.argv[1]; the class is
# used at the end (the original only defines it) on a topic prefixed with
# sys.argv[2].
import sys
from kafka import KafkaProducer
from kafka.errors import KafkaError

# topic: resources 1
BOOT, T = sys.argv[1], sys.argv[2]

class Producer:
    def __init__(self):
        # To consume latest messages and auto-commit offsets
        self.producer = KafkaProducer(bootstrap_servers=BOOT)

    def on_send_success(self, record_metadata):
        print(record_metadata.topic)
        print(record_metadata.partition)
        print(record_metadata.offset)

    def on_send_error(self, excp):
        log.error('I am an errback', exc_info=excp)

    def send(self, topic, key, value, allow_callback=False):
        # produce asynchronously with callbacks
        if allow_callback:
            self.producer.send(topic, bytes(value, 'utf-8'), bytes(key, 'utf-8')).add_callback(self.on_send_success).add_errback(self.on_send_error)
        else:
            self.producer.send(topic, bytes(value, 'utf-8'), bytes(key, 'utf-8'))

        # block until all async messages are sent
        self.producer.flush()

# --- corpus edit: use it ---
p = Producer()
p.send(T + '-resources', 'cpu', '42', allow_callback=True)
p.send(T + '-resources', 'mem', '1024')
p.send(T + '-resources', 'disk', '7', allow_callback=True)
