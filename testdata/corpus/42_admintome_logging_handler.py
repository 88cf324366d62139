# Source: https://github.com/admintome/logger2kafka/blob/5ad9d2d406a35764471d844fe492f283bee18551/logger.py
# with mykafka.py and kafkahandler.py (at bcd5bdddefe8d5723b055a7b11face94c1860168)
# License: not checked.
# Edits: the three files are one script (mykafka.py, kafkahandler.py, then
# logger.py, without their imports of each other); the broker
# "192.168.1.240:9092" is sys.argv[1] and the topic "pylog" is prefixed
# with sys.argv[2]; the FileHandler writes to os.devnull, not myapp.log
# (the test leaves no file behind). The input() loop reads the "# stdin:"
# lines; the original stops at the end of its input with EOFError, caught
# here (else stderr's last line, which is compared for a failing run,
# would be one of kafka-python's INFO lines that basicConfig shows, logged
# at exit, with a port and a time).
# stdin: first log line
# stdin: second log line
import os
import sys

# topic: pylog 1

# --- mykafka.py ---
from kafka import KafkaProducer
import json


class MyKafka(object):

    def __init__(self, kafka_brokers, json=False):
        self.json = json
        if not json:
            self.producer = KafkaProducer(
                bootstrap_servers=kafka_brokers
            )
        else:
            self.producer = KafkaProducer(
                value_serializer=lambda v: json.dumps(v).encode('utf-8'),
                bootstrap_servers=kafka_brokers
            )

    def send(self, data, topic):
        if self.json:
            result = self.producer.send(topic, key=b'log', value=data)
        else:
            result = self.producer.send(topic, bytes(data, 'utf-8'))
        print("kafka send result: {}".format(result.get()))


# --- kafkahandler.py ---
from logging import StreamHandler

class KafkaHandler(StreamHandler):

    def __init__(self, broker, topic):
        StreamHandler.__init__(self)
        self.broker = broker
        self.topic = topic

        # Kafka Broker Configuration
        self.kafka_broker = MyKafka(broker)

    def emit(self, record):
        msg = self.format(record)
        self.kafka_broker.send(msg, self.topic)


# --- logger.py ---
import logging


class Main:

    def __init__(self):
        logging.basicConfig(
            format='%(asctime)s %(levelname)s %(message)s', 
            level=logging.INFO, 
            datefmt='%m/%d/%Y %I:%M:%S %p'
            )
        self.logger = logging.getLogger('simple_example')
        ch = logging.StreamHandler()
        ch.setLevel(logging.INFO)
        formatter = logging.Formatter('%(asctime)s - %(name)s - %(levelname)s - %(message)s')
        ch.setFormatter(formatter)
        self.logger.addHandler(ch)
        fl = logging.FileHandler(os.devnull)
        self.logger.addHandler(fl)
        kh = KafkaHandler(sys.argv[1], sys.argv[2] + "-pylog")
        kh.setLevel(logging.INFO)
        self.logger.addHandler(kh)

        

    def run(self):
        while True:
            log = input("> ")
            self.logger.info(log)

if __name__ == "__main__":
    main = Main()
    try:
        main.run()
    except EOFError:
        print()
