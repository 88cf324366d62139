# Source: https://github.com/p2c2e/twitter_to_kafka/blob/HEAD/kafka_listener.py
# License: none found in the repository.
# Edits: the harness passes "--kb BOOT --topic T-twitter" (the "# argv:"
# line) instead of BOOT T; records produced first (to args.topic);
# auto_offset_reset='earliest' and consumer_timeout_ms=1000.
# argv: --kb {BOOT} --topic {T}-twitter
import traceback
from kafka import KafkaConsumer
import argparse

# topic: twitter 1

parser = argparse.ArgumentParser(description='Listen and print from Kafka Topic')
parser.add_argument('--kb', dest='broker', default="127.0.0.1:9092", help='BrokerIP:PORT (127.0.0.1:9092)')
parser.add_argument('--topic', dest='topic', default="twitter", help='Kafka Topic (twitter)')
         
args = parser.parse_args()

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=args.broker)
p.send(args.topic, b'{"text": "hello"}')
p.close()
# --- end of edit ---

consumer = KafkaConsumer(args.topic, bootstrap_servers=[args.broker], auto_offset_reset='earliest', consumer_timeout_ms=1000)
for message in consumer:
    print (message)
