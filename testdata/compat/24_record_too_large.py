# A record larger than max_request_size: send() returns a future that has
# already failed with MessageSizeTooLargeError; nothing is raised until
# get(), and errbacks see the exception.
import sys
from kafka import KafkaProducer

# topic: big 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-big'

producer = KafkaProducer(bootstrap_servers=BOOT, max_request_size=1000)
errors = []
future = producer.send(topic, b'x' * 2000, key=b'k', headers=[('h', b'v')])
future.add_errback(lambda e: errors.append(repr(e)))
future.add_callback(lambda md: errors.append('unexpected success'))
print(future.is_done, future.succeeded(), future.failed())
print(repr(future.exception))
print(str(future.exception))
print(future.exception.errno, future.retriable())
print(future.value)
print(errors)

small = producer.send(topic, b'x' * 100).get(10)
print(small.offset, small.serialized_value_size)
late = []
future.add_errback(lambda tag, e: late.append('%s %s' % (tag, e.__class__.__name__)), 'late')
print(late)
producer.close()
