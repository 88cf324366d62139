# add_callback / add_errback: chaining, extra positional and keyword
# arguments, callbacks added after completion, and add_both.
import sys
from kafka import KafkaProducer

# topic: cb 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-cb'
seen = []

def on_success(md):
    seen.append('ok %s %d %d' % (md.topic, md.partition, md.offset))

def on_error(exc):
    seen.append('error %r' % exc)

def tagged(tag, md, suffix=''):
    seen.append('%s offset=%d%s' % (tag, md.offset, suffix))

producer = KafkaProducer(bootstrap_servers=BOOT)
f = producer.send(topic, b'one')
print(f.add_callback(on_success) == f)
print(f.add_errback(on_error) == f)
producer.send(topic, b'two').add_callback(tagged, 'second').add_errback(on_error)
producer.send(topic, b'three').add_callback(tagged, 'third', suffix='!')
producer.flush()
for line in seen:
    print(line)

seen.clear()
f.add_callback(tagged, 'late')
print(seen)
f.add_both(lambda v: seen.append('both %d' % v.offset))
print(seen)
producer.close()
