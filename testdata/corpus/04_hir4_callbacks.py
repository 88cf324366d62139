# Source: https://github.com/Hir4/learning-kafka/blob/e5910c2baa482fdaef48da7e9ee1a57ddc722079/producer.py
# License: none found in the repository.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2].
import sys
from json import dumps
from kafka import KafkaProducer

# topic: topic_test 1
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(
    bootstrap_servers=[BOOT],
    value_serializer=lambda x: dumps(x).encode('utf-8')
)

def on_send_success(record_metadata):
    print(record_metadata.topic)
    print(record_metadata.partition)
    print(record_metadata.offset)

def on_send_error(excp):
    print('I am an errback')

producer.send(T + '-topic_test', value={'batata': 123}).add_callback(on_send_success).add_errback(on_send_error)
producer.flush()
