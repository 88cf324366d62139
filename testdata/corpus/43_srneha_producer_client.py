# Source: https://github.com/srneha24/Kafka-With-Python/blob/4e26fc482b5641b400da54ee789bc45619ac2d83/producer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2];
# time.sleep(10) after each send removed.
import sys
import time
from kafka import KafkaProducer
from json import dumps

# topic: testevent 1
BOOT, T = sys.argv[1], sys.argv[2]


def serializer(message):
    return dumps(message).encode('utf-8')


class KafkaProducerClient:
    producer: KafkaProducer = None

    def __init__(self) -> None:
        self.producer = KafkaProducer(
            bootstrap_servers=[BOOT],
            value_serializer=serializer
        )

    def produce_event(self, topic_name, message):
        result = self.producer.send(
            topic=topic_name,
            value=message
        )

        print(result.get())


def main():
    producer_client = KafkaProducerClient()

    for i in range(5):
        producer_client.produce_event(T + "-testevent", str(i))


if __name__ == "__main__":
    main()
