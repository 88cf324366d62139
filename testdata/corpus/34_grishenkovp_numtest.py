# Source: https://github.com/grishenkovp/apache_kafka/blob/29f080bde11068b7beec36c2d61efbb19c5155ab/test_lib_kafka_python.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic and group prefixed with
# sys.argv[2]; sleep(1) removed; consumer_timeout_ms=3000 so the loop ends.
import sys
from time import sleep
from json import loads,dumps
from kafka import KafkaProducer,KafkaConsumer

# topic: numtest 1
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(bootstrap_servers=[BOOT],
                         value_serializer=lambda x: 
                         dumps(x).encode('utf-8'))

for e in range(20):
    data = {'number' : e}
    producer.send(T + '-numtest', value=data)

consumer = KafkaConsumer(
    T + '-numtest',
     bootstrap_servers=[BOOT],
     auto_offset_reset='earliest',
     enable_auto_commit=True,
     group_id=T + '-my-group',
     consumer_timeout_ms=3000,
     value_deserializer=lambda x: loads(x.decode('utf-8')))

for message in consumer:
    message = message.value
    print('{}'.format(message))
