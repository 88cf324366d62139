# Source: https://github.com/narok500/domina-apache-kafka-linkedin/blob/HEAD/kafka_practice/topic_creation.py
# License: not checked.
# Edits: bootstrap from sys.argv[1]; topic prefixed with sys.argv[2]; the
# CreateTopics response's class name and the topic listed afterwards are
# printed (the original prints nothing).
import sys
from kafka.admin import KafkaAdminClient, NewTopic

BOOT, T = sys.argv[1], sys.argv[2]

client_kafka = KafkaAdminClient(
    bootstrap_servers=BOOT,
    client_id="kafka-python",
)

topic = NewTopic(
    name=T + "-python_topic",
    num_partitions=1,
    replication_factor=1,
)

res = client_kafka.create_topics(new_topics=[topic])
print(type(res).__name__)
print([t for t in client_kafka.list_topics() if t.startswith(T + '-')])
