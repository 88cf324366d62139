# Source: https://github.com/117503445/kafka-gkd/blob/HEAD/producer.py
# License: not checked.
# Edits: 'import config' (a local module) is dropped: config.SERVER and
# config.TOPIC become SERVER (sys.argv[1]) and TOPIC (prefixed with
# sys.argv[2]); 100 records become 5 and sleep(1) is removed; a
# closing flush and print of the keys sent and the timestamp's shape.
import sys
import json
import time
import datetime
from kafka import KafkaProducer

# topic: gkd 1
SERVER, TOPIC = sys.argv[1], sys.argv[2] + '-gkd'


producer = KafkaProducer(bootstrap_servers=SERVER,
                         value_serializer=lambda m: json.dumps(m).encode())

for i in range(5):
    data = {'num': i, 'ts': datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S')}
    producer.send(TOPIC, data)
producer.flush()
print(sorted(data), len(data['ts']), data['ts'][4], data['ts'][13])
