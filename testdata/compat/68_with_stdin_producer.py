# with blocks in a Kafka script: a producer fed by the lines of standard
# input read in "with sys.stdin as lines:" (a file is a context manager in
# both; kafka-python 2.0.2's clients are not, so this script closes them
# by hand) until a line makes the block raise: the exception leaves the
# block, closing the file, and is caught outside it. Last, a with block
# over the closed file: its ValueError ends both runs with the same
# traceback line.
# topic: lines 1
# stdin: first line
# stdin: second line
# stdin: third
# stdin: stop here
# stdin: never sent
# exit: 1
import sys
from kafka import KafkaProducer, KafkaConsumer

BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-lines'

producer = KafkaProducer(bootstrap_servers=BOOT)
try:
    with sys.stdin as lines:
        for line in lines:
            if line.startswith('stop'):
                raise ValueError('stopped at %r' % line)
            producer.send(topic, line.rstrip('\n').encode())
except ValueError as e:
    print(e, 'stdin closed:', sys.stdin.closed)
producer.flush()

consumer = KafkaConsumer(topic, bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=10000)
values = []
for record in consumer:
    values.append(record.value)
    if len(values) == 3:
        break
print(values)
consumer.close()
producer.close()

with sys.stdin:
    print('not reached')
