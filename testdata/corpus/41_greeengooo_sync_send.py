# Source: https://github.com/Greeengooo/kafka_playground/blob/9950d5324bb10559a2b014c2b120e4a4fdd12f31/kafka_workflow/sync_send/producer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2].
import sys
from kafka import KafkaProducer
from kafka.errors import KafkaError

# topic: kafka_tutorial 1
BOOT, T = sys.argv[1], sys.argv[2]

if __name__ == '__main__':
    producer = KafkaProducer(bootstrap_servers=[BOOT],
                             key_serializer=str.encode,
                             value_serializer=str.encode)
    try:
        response = producer.send(T + '-kafka_tutorial', key="hello", value="world")
        metadata = response.get()
        print(f"Topic: {metadata.topic}\n"
              f"Partition: {metadata.partition},\n"
              f"Offset: {metadata.offset}")
    except KafkaError as err:
        print(err)
    producer.flush()

