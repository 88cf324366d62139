# Context managers written as classes around kafka-python 2.0.2's clients
# (whose own classes are not context managers): a producer session whose
# __exit__ flushes and closes the producer and reports what it saw, a
# consumer session that suppresses the StopIteration its body raises to
# stop reading, and nesting. Last, a Kafka error raised in a with block
# goes through __exit__ and ends both runs with the same traceback line.
# topic: orders 1
# topic: small 1 max.message.bytes=1000
# exit: 1
import sys
from kafka import KafkaProducer, KafkaConsumer

BOOT, T = sys.argv[1], sys.argv[2]


class ProducerSession:
    def __init__(self, **configs):
        self.producer = KafkaProducer(bootstrap_servers=BOOT, **configs)

    def __enter__(self):
        return self.producer

    def __exit__(self, exc_type, exc, tb):
        self.producer.close()
        print('producer closed;', 'error:' if exc_type else 'no error', exc_type.__name__ if exc_type else '')
        return False


class Reading:
    def __init__(self, topic):
        self.consumer = KafkaConsumer(topic, bootstrap_servers=BOOT, auto_offset_reset='earliest',
                                      consumer_timeout_ms=10000)
        self.values = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.consumer.close()
        return exc_type is StopIteration


with ProducerSession(linger_ms=100) as producer:
    for i in range(4):
        producer.send(T + '-orders', b'order-%d' % i)

with Reading(T + '-orders') as reading, ProducerSession() as copier:
    for record in reading.consumer:
        reading.values.append(record.value)
        copier.send(T + '-orders', record.value.upper())
        if len(reading.values) == 2:
            raise StopIteration
print('read', reading.values)

with ProducerSession(max_request_size=10000) as producer:
    producer.send(T + '-small', b'x' * 5000).get(timeout=10)
