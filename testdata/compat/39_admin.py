# KafkaAdminClient: what kafka-python 2.0.2 returns from its topic, config
# and group calls (protocol response objects for topics and configs,
# plain tuples, namedtuples and error classes for groups). Only success
# paths: a raised error would end the script. The broker is shared with
# other scripts, so listings keep this script's names only.
import sys, time
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic, NewPartitions, ConfigResource, ConfigResourceType

BOOT, T = sys.argv[1], sys.argv[2]
mine = lambda names: sorted([n for n in names if n.startswith(T + '-')])

# A real broker answers create/delete before its metadata shows the
# change; wait (silently) so both clients print the settled state.
def settle(done):
    for _ in range(200):
        if done():
            return
        time.sleep(0.05)
    print('never settled')

def ready(topic, partitions):
    found = admin.describe_topics([topic])
    if not found or found[0]['error_code'] != 0 or len(found[0]['partitions']) != partitions:
        return False
    return all([p['leader'] >= 0 and p['error_code'] == 0 for p in found[0]['partitions']])

admin = KafkaAdminClient(bootstrap_servers=BOOT)
print(admin.create_topics([NewTopic(T + '-a', 2, 1), NewTopic(T + '-b', 1, 1, topic_configs={'retention.ms': '3600000'})]))
print(admin.create_topics([NewTopic(T + '-dry', 2, 1)], validate_only=True))
settle(lambda: ready(T + '-a', 2) and ready(T + '-b', 1))
print(mine(admin.list_topics()))
for t in sorted(admin.describe_topics([T + '-a', T + '-b']), key=lambda t: t['topic']):
    print(t['topic'], t['error_code'], t['is_internal'], sorted([(p['partition'], p['leader'], p['replicas'], p['isr'], p['offline_replicas'], p['error_code']) for p in t['partitions']]))
print(sorted(admin.describe_topics([T + '-a'])[0].keys()), sorted(admin.describe_topics([T + '-a'])[0]['partitions'][0].keys()))
print(admin.describe_topics([T + '-missing']))
cluster = admin.describe_cluster()
print(sorted(cluster.keys()), cluster['throttle_time_ms'], cluster['controller_id'], cluster['cluster_id'], [(b['node_id'], b['host'], b['rack']) for b in cluster['brokers']])

print(admin.create_partitions({T + '-a': NewPartitions(3)}))
settle(lambda: ready(T + '-a', 3))
print(len(admin.describe_topics([T + '-a'])[0]['partitions']))

topic_b = ConfigResource(ConfigResourceType.TOPIC, T + '-b', {'retention.ms': None})
print(admin.describe_configs([topic_b], include_synonyms=True))
print(admin.alter_configs([ConfigResource('topic', T + '-b', {'retention.ms': '7200000'})]))
# A real broker can answer describe_configs with the old value for a
# moment after alter_configs.
settle(lambda: '7200000' in str(admin.describe_configs([topic_b])))
print(admin.describe_configs([topic_b], include_synonyms=True))
print(admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, '0', {'message.max.bytes': None})], include_synonyms=True))

producer = KafkaProducer(bootstrap_servers=BOOT)
for i in range(6):
    producer.send(T + '-a', b'%d' % i, partition=i % 3)
producer.flush()
producer.close()
consumer = KafkaConsumer(T + '-a', bootstrap_servers=BOOT, group_id=T + '-grp', auto_offset_reset='earliest', enable_auto_commit=False)
records = []
for _ in range(40):
    for batch in consumer.poll(timeout_ms=500).values():
        records.extend(batch)
    if len(records) >= 6:
        break
consumer.commit()
print(len(records))
print([g for g in admin.list_consumer_groups() if g[0].startswith(T + '-')])
group = admin.describe_consumer_groups([T + '-grp'])[0]
print(group.error_code, group.group, group.state, group.protocol_type, group.protocol, len(group.members), group.authorized_operations)
print(group.members[0].member_assignment.partitions())
print(sorted(admin.list_consumer_group_offsets(T + '-grp').items()))
print(admin.list_consumer_group_offsets(T + '-grp', partitions=[TopicPartition(T + '-a', 1)]))
print(admin.delete_consumer_groups([T + '-grp']))
consumer.close()
print(admin.describe_consumer_groups([T + '-grp']))
print(admin.describe_consumer_groups([T + '-nobody']))
print(admin.delete_consumer_groups([T + '-grp']))

print(admin.delete_topics([T + '-a']))
print(admin.delete_topics([T + '-b']))
settle(lambda: not mine(admin.list_topics()))
print(mine(admin.list_topics()))
admin.close()
