# kafka.errors: reprs, str() with kafka-python's prefixes, class
# attributes (errno, message, retriable) and the class hierarchy.
from kafka.errors import KafkaError, KafkaTimeoutError, NoBrokersAvailable
from kafka.errors import MessageSizeTooLargeError, UnknownTopicOrPartitionError
from kafka.errors import CommitFailedError, IllegalStateError, KafkaConfigurationError
from kafka.errors import NotLeaderForPartitionError, BrokerResponseError

e = KafkaTimeoutError('Timeout after waiting for 0.5 secs.')
print(repr(e))
print(str(e))
print(e.args)
print(KafkaTimeoutError.retriable, NoBrokersAvailable.retriable, NoBrokersAvailable.invalid_metadata)
print(repr(NoBrokersAvailable()), str(NoBrokersAvailable()))
print(str(IllegalStateError('KafkaConsumer is closed')))
print(repr(KafkaConfigurationError("Unrecognized configs: {'foo'}")))

big = MessageSizeTooLargeError('too big')
print(repr(big))
print(str(big))
print(big.errno, big.message, big.retriable)
print(MessageSizeTooLargeError.errno, MessageSizeTooLargeError.message)
print(UnknownTopicOrPartitionError.errno, UnknownTopicOrPartitionError.retriable, UnknownTopicOrPartitionError.invalid_metadata)
print(NotLeaderForPartitionError.errno, NotLeaderForPartitionError.message, NotLeaderForPartitionError.retriable)
print(str(UnknownTopicOrPartitionError()))

print(isinstance(big, BrokerResponseError), isinstance(big, KafkaError), isinstance(e, BrokerResponseError))
print(isinstance(CommitFailedError('x'), KafkaError))
print(KafkaTimeoutError.__name__, e.__class__.__name__)
