# An exception raised while another is handled, in an except block or in
# a finally block, carries it as __context__; left uncaught, the
# traceback prints the whole chain, each with its own frames, joined by
# "During handling of the above exception, another exception occurred:".
# exit: 1
# stderr: whole
import sys
from kafka import KafkaProducer
from kafka.errors import KafkaTimeoutError

producer = KafkaProducer(bootstrap_servers=sys.argv[1])
meta = producer.send(sys.argv[2] + '-events', b'one').get(timeout=30)
print('sent', meta.topic.endswith('-events'), meta.offset)

def setting(config, key):
    try:
        return config[key]
    except KeyError:
        raise KafkaTimeoutError('no %s in the config' % key)

def close_and_raise(err):
    try:
        raise err
    finally:
        producer.close()
        print('closed')

try:
    setting({'acks': 1}, 'linger_ms')
except KafkaTimeoutError as e:
    print('context', repr(e.__context__), e.__cause__, e.__suppress_context__)
    close_and_raise(ValueError('while reporting'))
