# Source: https://github.com/gasci/kafka-python/blob/94d10ce26c86f1c8d0cede89116c1784084f4e3d/raw-producer.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]. The
# loop reads lines with input() until standard input ends, where CPython
# raises EOFError: the harness feeds it three lines ("# stdin:").
# stdin: hello
# stdin: {"not": "json, just a line"}
# stdin: last line
# exit: 1
import sys
from json import dumps
from kafka import KafkaProducer

# topic: raw 1
BOOT, T = sys.argv[1], sys.argv[2]


producer = KafkaProducer(
    bootstrap_servers=[BOOT],
    value_serializer=lambda x: dumps(x).encode('utf-8')
)

while True:
    val = input("")
    producer.send(T + '-raw', value=val)
