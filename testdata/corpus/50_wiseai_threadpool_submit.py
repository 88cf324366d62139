# Source: https://github.com/WiseAI-Lab/WiseAgent/blob/2959a02f92e8f8f469ef66d8d170aa12467fdfc9/test/mq_test/consumer.py
# License: MIT (the repository's LICENSE).
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; two
# records produced first; auto_offset_reset='earliest' (the default,
# 'latest', skips them) and consumer_timeout_ms=2000; the closing
# "while True: pass", which spins for ever while the pool's thread reads,
# becomes t_exe.shutdown(), which waits for that thread to end.
import sys
import json

from kafka import KafkaConsumer
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor

# topic: topic1 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: records to read ---
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=BOOT)
p.send(T + '-topic1', key=b'agent-1', value=b'{"behaviour": "brain"}')
p.send(T + '-topic1', key=b'agent-2', value=b'{"behaviour": "transport"}')
p.close()
# --- end of edit ---


def call_func(message):
    print(message)


def new_consumer():
    consumer = KafkaConsumer(bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=2000)
    consumer.subscribe([T + '-topic1'])
    for msg in consumer:
        call_func(msg)


if __name__ == '__main__':
    t_exe = ThreadPoolExecutor(max_workers=5)
    t_exe.submit(new_consumer)
    t_exe.shutdown()
