# The future send() returns: its repr, is_done/value/exception as
# attributes, succeeded()/failed()/retriable(), and get() once done.
import sys
from kafka import KafkaProducer

# topic: fut 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-fut'

producer = KafkaProducer(bootstrap_servers=BOOT)
future = producer.send(topic, b'hello')
print(repr(future))
producer.flush()
print(future.is_done, future.succeeded(), future.failed(), future.retriable())
print(future.exception)
print(future.value)
print(future.get(timeout=10) == future.value)
print(future.get().offset)

futures = [producer.send(topic, b'm%d' % i) for i in range(5)]
producer.flush()
print([f.value.offset for f in futures])
print([f.is_done for f in futures])
producer.close()
