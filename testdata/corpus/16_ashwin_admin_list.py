# Source: https://github.com/ashwin1609/CloudComputing-Milestone2/blob/HEAD/v1/topic.py
# License: not checked.
# Edits: bootstrap from sys.argv[1] (the original lists three brokers);
# topic prefixed with sys.argv[2].
import sys
from kafka.admin import KafkaAdminClient, NewTopic

BOOT, T = sys.argv[1], sys.argv[2]

admin_client = KafkaAdminClient(
    bootstrap_servers=[BOOT],
    client_id='test'
)

topic_list = []
topic_list.append(NewTopic(name=T + "-test_topic1", num_partitions=2, replication_factor=1))
admin_client.create_topics(new_topics=topic_list, validate_only=False)

print("Successfully Created the topic")
