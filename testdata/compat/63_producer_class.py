# A producer wrapped in a class, as scripts often do: configuration from
# a classmethod, bound methods as the future's callback and errback, a
# property, __repr__, and a context-free close().
import sys
from kafka import KafkaProducer, KafkaConsumer

# topic: t 1
BOOT, T = sys.argv[1], sys.argv[2] + '-t'


class EventProducer:
    defaults = {'acks': 1, 'linger_ms': 0}

    def __init__(self, topic, **config):
        self.topic = topic
        self.config = dict(self.defaults, **config)
        self._producer = KafkaProducer(**self.config)
        self.delivered = []
        self.failed = []

    @classmethod
    def from_servers(cls, servers, topic):
        return cls(topic, bootstrap_servers=servers, value_serializer=lambda v: v.encode())

    @property
    def pending(self):
        return len(self.delivered) + len(self.failed) == 0

    def _on_success(self, metadata):
        self.delivered.append((metadata.topic == self.topic, metadata.offset))

    def _on_error(self, exc):
        self.failed.append(type(exc).__name__)

    def send(self, value):
        future = self._producer.send(self.topic, value)
        future.add_callback(self._on_success)
        future.add_errback(self._on_error)
        return future

    def close(self):
        self._producer.flush()
        self._producer.close()

    def __repr__(self):
        return '<EventProducer topic=%r sent=%d>' % (self.topic, len(self.delivered))


p = EventProducer.from_servers(BOOT, T)
print(p.pending, sorted(p.config))
for word in ['alpha', 'beta', 'gamma']:
    p.send(word)
p.close()
print(p, p.pending, p.delivered, p.failed)

consumer = KafkaConsumer(T, bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=2000)
print([m.value for m in consumer])
consumer.close()
