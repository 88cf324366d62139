# Source: https://github.com/samuelamico/VendingMachine/blob/5fbed116a661469f62a6c89740f3905827cb4360/streaming_generator/app/test_kafka.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2];
# random.seed(7) added; 'while True' becomes 20 rounds; a closing flush and
# print of what was sent (the original never ends).
import sys
from kafka import KafkaProducer
import json
import random
from time import sleep
from datetime import datetime

# topic: kafka-python-topic 1
BOOT, T = sys.argv[1], sys.argv[2]
random.seed(7)

# Create an instance of the Kafka producer
producer = KafkaProducer(bootstrap_servers=[BOOT],api_version=(0,11,5),
                            value_serializer=lambda v: str(v).encode('utf-8'))

# Call the producer.send method with a producer-record
print("Ctrl+c to Stop")
sent = []
for _ in range(20):
    sent.append(random.randint(1,999))
    producer.send(T + '-kafka-python-topic', sent[-1])
producer.flush()
print(sent)
