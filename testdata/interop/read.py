# Interop reader, in the common subset of Python 3 and kstar: prints the
# records of partition 0 in kcat's format '%p %o %T %k %s %h' (with -Z:
# a missing key is NULL). It reads N records, then polls once more to
# catch any record that should not be there.
# usage: read.py BOOTSTRAP TOPIC N [read_committed]
import sys
from kafka import KafkaConsumer, TopicPartition

BOOT, TOPIC, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
if len(sys.argv) > 4:
    # isolation_level is not a kafka-python 2.0.2 option: only kstar runs this.
    consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', isolation_level=sys.argv[4])
else:
    consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
tp = TopicPartition(TOPIC, 0)
consumer.assign([tp])
records = []
for _ in range(40):
    records.extend(consumer.poll(timeout_ms=500).get(tp, []))
    if len(records) >= N:
        break
records.extend(consumer.poll(timeout_ms=500).get(tp, []))

def text(b):
    if b is None:
        return 'NULL'
    return b.decode('utf-8')

for r in records:
    headers = ','.join(['%s=%s' % (k, text(v)) for k, v in r.headers])
    print('%d %d %d %s %s %s' % (r.partition, r.offset, r.timestamp, text(r.key), text(r.value), headers))
consumer.close()
