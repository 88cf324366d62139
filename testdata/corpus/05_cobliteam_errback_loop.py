# Source: https://github.com/Cobliteam/kafka-topic-dumper/blob/6f36fc8b4efefde44bfdd92d2303ee95da6fa370/kafka-topic-dumper/utils/kafka_producer.py
# License: the repository has a LICENSE file.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2];
# 300000 records become 300; a closing print of the record count (the
# original prints nothing unless a send fails).
import sys
import logging

from kafka import KafkaProducer

# topic: test 1
BOOT, T = sys.argv[1], sys.argv[2]

producer = KafkaProducer(bootstrap_servers=[BOOT])

def on_send_success(record_metadata):
    print(record_metadata.topic)
    print(record_metadata.partition)
    print(record_metadata.offset)

def on_send_error(excp):
    log.error('I am an errback', exc_info=excp)
    # handle exception

# produce asynchronously
msg = ('Message to send to kafka as a value. ' +
       'This message is the test message {:015d}')
for n in range(300):
    producer.send(
        T + '-test',
        msg.format(n).encode()
    ).add_errback(on_send_error)

producer.flush()
print(msg.format(n), n + 1)
