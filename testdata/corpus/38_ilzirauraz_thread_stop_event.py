# Source: https://github.com/ilzirauraz/mb-kafka/blob/a9ee214e75a2a769494f6d8ef58ed9a6505b6123/consumer.py
# License: none found in the repository.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2];
# records produced first (the repository's producer.py sends them in a
# loop for 10 seconds).
import sys
import threading
import time

from kafka import KafkaConsumer

# topic: my-topic 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-my-topic', b"test")
p.send(T + '-my-topic', b"Hello world")
p.close()
# --- end of edit ---


class Consumer(threading.Thread):
    def __init__(self):
        threading.Thread.__init__(self)
        self.stop_event = threading.Event()

    def stop(self):
        self.stop_event.set()

    def run(self):
        consumer = KafkaConsumer(bootstrap_servers=BOOT,
                                 auto_offset_reset='earliest',
                                 consumer_timeout_ms=1000)
        consumer.subscribe([T + '-my-topic'])

        while not self.stop_event.is_set():
            for message in consumer:
                print(message)
                if self.stop_event.is_set():
                    break

        consumer.close()


if __name__ == '__main__':
    consumer = Consumer()
    consumer.start()
    time.sleep(10)
    consumer.stop()
