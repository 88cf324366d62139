# Errbacks and callbacks together: which one runs, with which arguments,
# for good and oversized records sent in one batch of futures.
import sys
from kafka import KafkaProducer

# topic: eb 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-eb'
log = []

def ok(i, md):
    log.append('%d ok offset %d' % (i, md.offset))

def failed(i, exc):
    log.append('%d failed %s retriable=%s' % (i, exc.__class__.__name__, exc.retriable))

producer = KafkaProducer(bootstrap_servers=BOOT, max_request_size=500)
sizes = [10, 600, 20, 10000, 30]
futures = []
for i, size in enumerate(sizes):
    f = producer.send(topic, b'y' * size)
    f.add_callback(ok, i).add_errback(failed, i)
    futures.append(f)
producer.flush()
for line in sorted(log):
    print(line)
print([f.succeeded() for f in futures])
print([f.exception is None for f in futures])
producer.close()
