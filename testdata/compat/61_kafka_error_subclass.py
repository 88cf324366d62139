# Subclasses of kafka.errors classes: except matches them through their
# bases, str() keeps kafka.errors' "Name: message" form, the class
# attributes (errno, retriable) are inherited; one is left uncaught.
# exit: 1
import sys
from kafka.errors import KafkaError, KafkaTimeoutError, BrokerResponseError, UnknownTopicOrPartitionError


class SendTimeout(KafkaTimeoutError):
    retries = 3


class TopicMissing(UnknownTopicOrPartitionError):
    def __init__(self, topic):
        super().__init__(topic)
        self.topic = topic


for exc in [SendTimeout('slow broker'), SendTimeout(), TopicMissing('orders')]:
    try:
        raise exc
    except KafkaError as e:
        print(type(e).__name__, repr(str(e)), e.args, e.retriable, isinstance(e, KafkaTimeoutError), isinstance(e, BrokerResponseError))
print(TopicMissing.errno, TopicMissing('t').topic, SendTimeout.retries, issubclass(TopicMissing, BrokerResponseError))
print(repr(SendTimeout('x')), SendTimeout)
sys.stdout.flush()
raise TopicMissing('payments')
