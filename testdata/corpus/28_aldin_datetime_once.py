# Source: https://github.com/aldinkapetanovic/kafka-docker/blob/HEAD/python/producer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; the
# record is read back and printed without its time (the original prints
# nothing).
import sys
# producer.py
from kafka import KafkaProducer
from datetime import datetime
import json

# topic: foo 1
BOOT, T = sys.argv[1], sys.argv[2]
producer = KafkaProducer(
    bootstrap_servers=[BOOT],
    value_serializer=lambda v: json.dumps(v).encode('utf-8')
)
producer.send(T + '-foo', {'author': 'ak', 'content': 'bar', 'created_at': datetime.now().isoformat()})

producer.flush()

# --- corpus edit: read it back ---
from kafka import KafkaConsumer
c = KafkaConsumer(T + '-foo', bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
for m in c:
    v = json.loads(m.value)
    print(v['author'], v['content'], datetime.fromisoformat(v['created_at']).year > 2000)
