# Source: https://github.com/sanskar06/Kafka-Training/blob/HEAD/topics/topic.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; a
# closing print of the created topic's partitions (the original prints
# nothing), once a broker's metadata shows them: right after CreateTopics,
# Apache Kafka may still describe the topic with no partitions.
import sys
import time
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

BOOT, T = sys.argv[1], sys.argv[2]
admin_client = KafkaAdminClient(bootstrap_servers=BOOT)

admin_client.create_topics(new_topics=
    [
        NewTopic(
            name=T + '-topic-2',
            num_partitions=1,
            replication_factor=1
        )
    ]
)
for _ in range(100):
    topics = admin_client.describe_topics([T + '-topic-2'])
    if all(t['partitions'] for t in topics):
        break
    time.sleep(0.1)
print([(t['topic'], len(t['partitions'])) for t in topics])
