# Source: https://github.com/fedosiq/time-series-storage/blob/HEAD/producer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2];
# random.seed(1); 1000 records become 10; sleep(1) removed; a closing flush
# and read-back of the values without their time (the original prints
# nothing).
import sys
from time import sleep
from json import dumps
from kafka import KafkaProducer
import time
import random

# topic: test 1
BOOT, T = sys.argv[1], sys.argv[2]
random.seed(1)

producer = KafkaProducer(bootstrap_servers=BOOT,
                         value_serializer=lambda x: dumps(x).encode('utf-8'))

for e in range(10):
    timenow = int(time.time())
    data = {
        "id": random.choice(range(1000)),
        "timestamp": timenow,
        "data": e
    }
    producer.send(T + '-test', value=data)
producer.flush()
print(data["id"], data["data"], type(data["timestamp"]))
