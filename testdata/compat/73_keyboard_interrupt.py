# KeyboardInterrupt as Python raises it, from raise, from
# signal.raise_signal(SIGINT) (what Ctrl-C does) and from
# signal.default_int_handler: except KeyboardInterrupt catches it and
# except Exception does not, finally blocks run on the way out, and a
# consumer loop it stops commits in finally where the next consumer of
# its group starts. SIG_IGN ignores it.
# topic: events 1
import signal, sys
from kafka import KafkaConsumer, KafkaProducer

boot, prefix = sys.argv[1], sys.argv[2]
topic, group = prefix + '-events', prefix + '-group'

try:
    try:
        raise KeyboardInterrupt
    except Exception:
        print('except Exception caught it')
except KeyboardInterrupt as e:
    print('caught', repr(e), isinstance(e, BaseException), isinstance(e, Exception))

def wait_for_ctrl_c():
    try:
        signal.raise_signal(signal.SIGINT)
        print('not reached')
    finally:
        print('finally in the function')

try:
    wait_for_ctrl_c()
except KeyboardInterrupt:
    print('caught raise_signal(SIGINT)')

try:
    signal.default_int_handler(signal.SIGINT, None)
except KeyboardInterrupt as e:
    print('default_int_handler raised', type(e).__name__)

producer = KafkaProducer(bootstrap_servers=boot)
for i in range(3):
    producer.send(topic, ('record %d' % i).encode())
producer.flush()
producer.close()

def consume():
    consumer = KafkaConsumer(topic, group_id=group, bootstrap_servers=boot,
                             auto_offset_reset='earliest', enable_auto_commit=False)
    try:
        for msg in consumer:
            print('consumed', msg.offset, msg.value.decode())
            signal.raise_signal(signal.SIGINT)
    except KeyboardInterrupt:
        print('interrupted')
    finally:
        consumer.commit()
        consumer.close()
        print('committed and closed')

consume()
consume()

print(signal.signal(signal.SIGINT, signal.SIG_IGN))
signal.raise_signal(signal.SIGINT)
print('ignored, handler now', signal.getsignal(signal.SIGINT))
signal.signal(signal.SIGINT, signal.default_int_handler)
try:
    signal.raise_signal(signal.SIGINT)
except KeyboardInterrupt:
    print('default_int_handler again')
