# g.send, g.throw and g.close around a generator that produces records:
# its finally block flushes the producer when closed, and an exception
# thrown in that the body does not catch ends the script with CPython's
# exit code and last traceback line.
# topic: genthrow 1
# exit: 1
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.errors import KafkaTimeoutError

BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-genthrow'
producer = KafkaProducer(bootstrap_servers=BOOT)


def sender():
    sent = 0
    try:
        while True:
            value = yield sent
            producer.send(topic, value, partition=0)
            sent += 1
    finally:
        producer.flush()
        print('flushed after', sent)


s = sender()
next(s)
print(s.send(b'a'), s.send(b'b'))
s.close()
consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=3000)
consumer.assign([TopicPartition(topic, 0)])
print([m.value for m in consumer])

s = sender()
next(s)
s.throw(KafkaTimeoutError('gave up'))
