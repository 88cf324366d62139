# The Python that Kafka scripts use around their records: encode/decode,
# %-formatting, str.format, f-strings, repr of bytes and containers.
# (len() and slices of a non-ASCII str count UTF-8 bytes in kstar, code
# points in Python: this script measures bytes only.)
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

# topic: s 1
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-s'

producer = KafkaProducer(bootstrap_servers=BOOT)
words = ['plain', 'caf\u00e9', 'quote\'s', 'tab\tnew\nline', '\u65e5\u672c']
for w in words:
    producer.send(topic, w.encode('utf-8'), key=w.encode('utf-8')[:2])
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest')
consumer.assign([TopicPartition(topic, 0)])
records = []
for _ in range(20):
    for batch in consumer.poll(timeout_ms=500).values():
        records.extend(batch)
    if len(records) >= len(words):
        break
for r in records:
    text = r.value.decode('utf-8')
    print(r.value, repr(text), len(r.value), text == r.value.decode())
    print('%s:%d:%d key=%s value=%s' % (r.topic, r.partition, r.offset, r.key, r.value))
    print('{}:{}:{:>3} {!r}'.format(r.topic, r.partition, r.offset, text))
    print(f'{r.offset:04d} {r.key!r} {text!r:>20} {r.serialized_value_size / 2:.2f}')
consumer.close()
