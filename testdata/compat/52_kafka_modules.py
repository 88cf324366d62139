# kafka-python's submodules, imported the ways scripts and kafka-python's
# own code import them, and the classes scripts take from them.
import kafka
from kafka import consumer, producer, admin, errors, structs, coordinator, serializer
from kafka.consumer import KafkaConsumer
from kafka.producer import KafkaProducer
from kafka.admin import NewTopic
import kafka.errors as Errors
import kafka.errors
import kafka.consumer.fetcher
from kafka.coordinator.assignors.range import RangePartitionAssignor
from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from kafka.coordinator.assignors.sticky.sticky_assignor import StickyPartitionAssignor
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.producer.future import RecordMetadata

print(errors.KafkaError, Errors.KafkaTimeoutError is errors.KafkaTimeoutError, kafka.errors is errors)
print(KafkaConsumer is kafka.KafkaConsumer, consumer.KafkaConsumer, producer.KafkaProducer is KafkaProducer)
print(kafka.consumer.fetcher.ConsumerRecord, ConsumerRebalanceListener is kafka.ConsumerRebalanceListener)
print(RangePartitionAssignor, RoundRobinPartitionAssignor, StickyPartitionAssignor)
print(coordinator.assignors.roundrobin.RoundRobinPartitionAssignor is RoundRobinPartitionAssignor)
print(type(errors), type(kafka), type(coordinator.assignors))
for name in ['admin', 'client_async', 'cluster', 'codec', 'conn', 'consumer', 'coordinator', 'errors',
             'future', 'metrics', 'oauth', 'partitioner', 'producer', 'protocol', 'record', 'scram',
             'serializer', 'structs', 'util', 'vendor', 'version']:
    print(name, hasattr(kafka, name), type(getattr(kafka, name)))
print(structs.TopicPartition('t', 1), structs.OffsetAndMetadata(5, ''))
print(admin.NewTopic('t', 1, 1).name, admin.KafkaAdminClient is kafka.KafkaAdminClient)
try:
    raise Errors.NotLeaderForPartitionError('moved')
except errors.BrokerResponseError as e:
    print(e, e.errno)
print(RecordMetadata('t', 0, structs.TopicPartition('t', 0), 7, -1, 0, None, 1, 2, -1).offset)
