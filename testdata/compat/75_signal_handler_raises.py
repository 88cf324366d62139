# A SIGTERM handler that raises an exception nobody catches ends the
# script with the handler's traceback, as in CPython; before that, a
# handler's KeyboardInterrupt stops a consumer loop like Ctrl-C, and a
# handler installed for SIGINT replaces the KeyboardInterrupt.
# topic: events 1
# exit: 1
import signal, sys
from kafka import KafkaConsumer, KafkaProducer

boot, prefix = sys.argv[1], sys.argv[2]
topic = prefix + '-events'
producer = KafkaProducer(bootstrap_servers=boot)
producer.send(topic, b'one')
producer.send(topic, b'two')
producer.close()

def stop(signum, frame):
    print('stopping on', signum)
    raise KeyboardInterrupt

signal.signal(signal.SIGTERM, stop)
consumer = KafkaConsumer(topic, bootstrap_servers=boot, auto_offset_reset='earliest')
try:
    for msg in consumer:
        print('consumed', msg.value)
        signal.raise_signal(signal.SIGTERM)
except KeyboardInterrupt:
    print('stopped')
finally:
    consumer.close()
    print('closed')

interrupts = []
signal.signal(signal.SIGINT, lambda signum, frame: interrupts.append(signum))
signal.raise_signal(signal.SIGINT)
signal.raise_signal(signal.SIGINT)
print('SIGINT handled without KeyboardInterrupt', interrupts)

def fail(signum, frame):
    raise RuntimeError('terminated by signal %d' % signum)

signal.signal(signal.SIGTERM, fail)
try:
    signal.raise_signal(signal.SIGTERM)
finally:
    print('finally')
