# raise X from Y sets __cause__ (and __suppress_context__), and the
# uncaught traceback prints the cause first, then "The above exception was
# the direct cause of the following exception:"; raise X from None hides
# the exception being handled.
# exit: 1
# stderr: whole
import sys
from kafka import KafkaConsumer
from kafka.errors import KafkaConfigurationError

consumer = KafkaConsumer(bootstrap_servers=sys.argv[1], consumer_timeout_ms=500)
print('topics listed', isinstance(consumer.topics(), set))

def parse_offset(text):
    try:
        return int(text)
    except ValueError:
        raise KafkaConfigurationError('offset %r is not a number' % text) from None

try:
    parse_offset('ten')
except KafkaConfigurationError as e:
    print('from None:', repr(e.__context__), e.__cause__, e.__suppress_context__)

def commit_offset(text):
    try:
        offset = parse_offset(text)
    except KafkaConfigurationError as e:
        consumer.close()
        raise RuntimeError('commit failed') from e
    return offset

print(commit_offset('12'))
commit_offset('twelve')
