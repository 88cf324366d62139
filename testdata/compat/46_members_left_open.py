# Several consumers of one group, left open at the end of the script. Each
# new member waits until the one before, which stopped polling, is out of
# the group (after its max_poll_interval_ms), then reads every partition.
# The end of the script closes them all together without waiting for a
# rebalance; the commit at close of a member the group dropped fails, and
# that is only logged, as kafka-python does: the script still exits 0.
import sys
from kafka import KafkaProducer, KafkaConsumer

# topic: members 3
BOOT, T = sys.argv[1], sys.argv[2]
topic = T + '-members'
group = T + '-group'

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    producer.send(topic, b'r%d' % i, partition=i % 3)
producer.flush()
producer.close()

def member():
    # No periodic commit during the script: every member reads everything.
    return KafkaConsumer(topic, bootstrap_servers=BOOT, group_id=group, auto_offset_reset='earliest',
                         session_timeout_ms=6000, max_poll_interval_ms=3000, auto_commit_interval_ms=600000)

def read_all(consumer):
    # Polls until the 6 records arrived (at most 20 s).
    values = []
    for _ in range(100):
        for batch in consumer.poll(timeout_ms=200).values():
            values.extend([r.value.decode() for r in batch])
        if len(values) == 6:
            break
    return sorted(values)

members = []
for i in range(3):
    members.append(member())
    print(i, read_all(members[-1]), sorted([tp.partition for tp in members[-1].assignment()]))
