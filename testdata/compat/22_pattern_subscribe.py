# subscribe(pattern=...): a regex matched from the start of the topic
# name picks some topics and not others (the tutorial's '^my.*').
import sys
from kafka import KafkaProducer, KafkaConsumer

# topic: my_topic 1
# topic: my_other 2
# topic: not_mine 1
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(bootstrap_servers=BOOT)
for name in ['my_topic', 'my_other', 'not_mine']:
    for i in range(2):
        producer.send(T + '-' + name, (name + ' %d' % i).encode(), key=b'%d' % i)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-pat', auto_offset_reset='earliest')
consumer.subscribe(pattern='^' + T + '-my.*')
records = []
for _ in range(40):
    for batch in consumer.poll(timeout_ms=500).values():
        records.extend(batch)
    if len(records) >= 4:
        break
print(sorted(consumer.subscription()))
print(sorted(consumer.assignment()))
for r in sorted(records, key=lambda r: (r.topic, r.partition, r.offset)):
    print(r.topic, r.partition, r.offset, r.value)
consumer.close()
