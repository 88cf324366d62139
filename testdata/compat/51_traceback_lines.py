# The last line of a traceback: the class, qualified by its module unless
# it is a builtin, then ": " and str(e) unless str(e) is empty. Printed
# for exceptions built by hand and for the one the broker raises when it
# rejects a record, which is then left uncaught to end both runs with the
# same traceback line.
# topic: small 1 max.message.bytes=1000
# exit: 1
import sys, json
from kafka import KafkaProducer
from kafka.errors import KafkaError, KafkaTimeoutError, MessageSizeTooLargeError, BrokerResponseError
from kafka.errors import UnknownTopicOrPartitionError, CommitFailedError, NoBrokersAvailable
import kafka.errors as Errors

def last_line(e):
    name = type(e).__name__
    if type(e).__module__ != 'builtins':
        name = type(e).__module__ + '.' + name
    text = str(e)
    if text:
        return name + ': ' + text
    return name

made = [
    ValueError('x'), ValueError(), KeyError('k'), RuntimeError('a', 1), Exception(''),
    KafkaTimeoutError('Timeout after waiting for 0.5 secs.'), KafkaTimeoutError(), KafkaError(''),
    UnknownTopicOrPartitionError(), UnknownTopicOrPartitionError('t', 0), BrokerResponseError('x'),
    NoBrokersAvailable(), Errors.IllegalStateError('KafkaConsumer is closed'), CommitFailedError('late'),
]
for e in made:
    print(last_line(e))
    print(repr(e), len(e.args))
try:
    json.loads('{"a": 1 "b": 2}')
except ValueError as e:
    print(last_line(e))

bootstrap, prefix = sys.argv[1], sys.argv[2]
producer = KafkaProducer(bootstrap_servers=bootstrap)
try:
    producer.send(prefix + '-small', b'x' * 5000).get(timeout=30)
except MessageSizeTooLargeError as e:
    print(last_line(e))
    print(repr(e), e.args, e.errno, e.retriable)
producer.send(prefix + '-small', b'y' * 5000).get(timeout=30)
