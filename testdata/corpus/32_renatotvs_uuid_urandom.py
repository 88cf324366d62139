# KafkaProducer
# Source: https://github.com/renatotvs/kafka-python/blob/e708b9ba05e718fbfb9bc53b675bb7a5a417b454/send_message_kafka.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; the
# record is read back and printed with its uuid reduced to its version and
# length (the original prints nothing; the uuid is random).
import sys

from kafka import KafkaProducer
import json
from time import sleep
import uuid
import os

# topic: kafka-python-topic 1
BOOT, T = sys.argv[1], sys.argv[2]


DEFAULT_UUID = uuid.UUID(bytes=os.urandom(16), version=4)

# Cria uma instancia com o Kafka producer
producer = KafkaProducer(bootstrap_servers=[BOOT],
                         value_serializer=lambda x: json.dumps(x).encode('utf-8'))

# formato json
jsonMessageToSend = {'uuid': str(DEFAULT_UUID),
                     'company_id': 1,
                     'country': 'Brazil'}

# producer.send - método que grava na fila
producer.send(T + '-kafka-python-topic', value=jsonMessageToSend)

# --- corpus edit: read it back ---
producer.flush()
from kafka import KafkaConsumer
c = KafkaConsumer(T + '-kafka-python-topic', bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=1000)
for m in c:
    v = json.loads(m.value)
    u = uuid.UUID(v.pop('uuid'))
    print(v, u.version, len(str(u)), u.variant)
