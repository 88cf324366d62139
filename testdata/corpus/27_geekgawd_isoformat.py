# Source: https://github.com/GeekGawd/cryptocurrency-tracker-application/blob/HEAD/producer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; 1000
# records become 20; a closing flush and print of the record count.
import sys
from kafka import KafkaProducer
from datetime import datetime
import json

# topic: posts 1
BOOT, T = sys.argv[1], sys.argv[2]
producer = KafkaProducer(
    bootstrap_servers=[BOOT],
    value_serializer=lambda v: json.dumps(v).encode('utf-8')
)
for i in range(20):
    producer.send(T + '-posts', {'author': 'suyash', 'content': 'Kafka is cool!', 'created_at': datetime.now().isoformat()})
producer.flush()
print(i + 1)
