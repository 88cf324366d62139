# kafka.structs namedtuples: reprs, fields by name and index, unpacking,
# equality, ordering and use as dict keys. No broker needed.
from kafka import TopicPartition, OffsetAndMetadata
from kafka.structs import OffsetAndTimestamp, BrokerMetadata

tp = TopicPartition('orders', 0)
print(tp)
print(repr(tp))
print(str(tp))
print(tp.topic, tp.partition, tp[0], tp[1], len(tp))
topic, partition = tp
print(topic, partition)
print(list(tp), tuple(tp))
print(tp == TopicPartition(topic='orders', partition=0))
print(tp != TopicPartition('orders', 1))
print(TopicPartition('a', 1) < TopicPartition('b', 0), TopicPartition('a', 1) < TopicPartition('a', 0))
print(sorted([TopicPartition('b', 1), TopicPartition('a', 2), TopicPartition('a', 0)]))
positions = {tp: 5, TopicPartition('orders', 1): 7}
print(positions[TopicPartition('orders', 0)], positions)
print(TopicPartition('orders', 1) in positions, TopicPartition('x', 1) in positions)

print(OffsetAndMetadata(5, ''))
print(OffsetAndMetadata(offset=7, metadata='checkpoint'))
om = OffsetAndMetadata(9, 'm')
print(om.offset, om.metadata, om == OffsetAndMetadata(9, 'm'))

print(OffsetAndTimestamp(3, 1000))
print(OffsetAndTimestamp(offset=4, timestamp=2000).timestamp)
print(BrokerMetadata(0, '127.0.0.1', 9092, None))

# The assignor classes partition_assignment_strategy takes, from their modules.
from kafka.coordinator.assignors.range import RangePartitionAssignor
from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from kafka.coordinator.assignors.sticky.sticky_assignor import StickyPartitionAssignor
print(RangePartitionAssignor, RoundRobinPartitionAssignor, StickyPartitionAssignor)
