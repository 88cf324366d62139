# Source: https://github.com/imac-cloud/rpi-collecter/blob/18435775ad5c87c9612e45ba0af1045024f8a1ef/rpi_collector/kafka/consumer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; two
# records produced first. The consumer thread is a daemon that reads until
# the main thread's time.sleep(10) ends, as in the original.
# coding=utf-8
import sys

import logging
import time
import threading
from kafka import KafkaConsumer

# topic: my-topic 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-my-topic', key=b'rpi-1', value=b'{"temp": 21.5}')
p.send(T + '-my-topic', key=b'rpi-2', value=b'{"temp": 19.0}')
p.close()
# --- end of edit ---


class Consumer(threading.Thread):
    daemon = True

    def run(self):
        consumer = KafkaConsumer(bootstrap_servers=BOOT,
                                 auto_offset_reset='earliest')
        consumer.subscribe([T + '-my-topic'])

        for message in consumer:
            print (message)


def main():
    threads = [
        Consumer(),
    ]

    for t in threads:
        t.start()

    time.sleep(10)


if __name__ == "__main__":
    logging.basicConfig(
        format='%(asctime)s.%(msecs)s:%(name)s:%(thread)d:%(levelname)s:%(process)d:%(message)s',
        level=logging.INFO
    )
    main()
