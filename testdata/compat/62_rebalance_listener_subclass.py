# A ConsumerRebalanceListener subclass, as kafka-python's documentation
# writes one: the consumer calls the subclass's on_partitions_revoked and
# on_partitions_assigned (revoked with an empty set on the first join);
# a method the subclass leaves out (Partial) does nothing.
import sys
from kafka import KafkaProducer, KafkaConsumer, ConsumerRebalanceListener

# topic: t 2
BOOT, T = sys.argv[1], sys.argv[2] + '-t'


class CommitOnRevoke(ConsumerRebalanceListener):
    def __init__(self, consumer):
        ConsumerRebalanceListener.__init__(self)
        self.consumer = consumer
        self.calls = []

    def on_partitions_revoked(self, revoked):
        self.calls.append(('revoked', sorted(p.partition for p in revoked)))
        if revoked:
            self.consumer.commit()

    def on_partitions_assigned(self, assigned):
        self.calls.append(('assigned', sorted(p.partition for p in assigned)))


producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    producer.send(T, b'v%d' % i, partition=i % 2)
producer.flush()
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-grp', auto_offset_reset='earliest',
                         enable_auto_commit=False, consumer_timeout_ms=3000)
listener = CommitOnRevoke(consumer)
print(isinstance(listener, ConsumerRebalanceListener), type(listener).__mro__[1], ConsumerRebalanceListener.__name__)
consumer.subscribe([T], listener=listener)
values = sorted(m.value for m in consumer)
print(values)
print(listener.calls)
consumer.close()


class Partial(ConsumerRebalanceListener):
    def on_partitions_assigned(self, assigned):
        # kafka-python sometimes joins first with an empty assignment
        # (before it has the topic's metadata): print the real one only.
        if assigned:
            print('assigned', sorted(p.partition for p in assigned))


consumer = KafkaConsumer(bootstrap_servers=BOOT, group_id=T + '-grp2', auto_offset_reset='earliest',
                         consumer_timeout_ms=3000)
consumer.subscribe([T], listener=Partial())
print(len(list(consumer)))
consumer.close()
