# Source: https://github.com/Mswarankit/practicing_everyday/blob/HEAD/kafka_learning/kafka_producer.py
# License: not checked.
# Edits: bootstraps_servers from sys.argv[1]; topic prefixed with
# sys.argv[2]. The original misspells bootstrap_servers, which kafka-python
# refuses ("Unrecognized configs"), so it stops at the first KafkaProducer
# and never opens its data.csv.
# exit: 1
import sys
from kafka import KafkaConsumer, KafkaProducer
import json
from json import loads
from csv import DictReader

bootstraps_servers = [sys.argv[1]]
topicname = sys.argv[2] + "-sample-topic"
producer = KafkaProducer(bootstraps_servers = bootstraps_servers)
producer = KafkaProducer()


with open('data.csv', 'r') as new_obj:
    csv_dict_reader = DictReader(new_obj)
    for row in csv_dict_reader:
        ack = producer.send(topicname, json.dumps(row).encode('utf-8'))
        metadata = ack.get()
        print(metadata.topic, metadata.partition)
