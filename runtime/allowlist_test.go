package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/runtime"
)

// TestAllowListsRefuseEscapes gives a script the topic OK and the group
// MINE, and has it try every way to reach another application's topic
// VICTIM and group VICTIM_GROUP, which has committed offsets on it. Each
// way is refused as a broker's ACL would refuse it, or shows nothing
// (listings); afterwards the broker still holds the victim group with
// its offset.
func TestAllowListsRefuseEscapes(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	ok := testbroker.UniqueName(t, "ok")
	victim := testbroker.UniqueName(t, "victim")
	mine := testbroker.UniqueName(t, "mine")
	victimGroup := testbroker.UniqueName(t, "victim-group")

	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx := context.Background()
	if _, err := adm.CreateTopics(ctx, 1, 1, nil, ok, victim); err != nil {
		t.Fatal(err)
	}
	for _, topic := range []string{ok, victim} {
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: []byte("x")}, &kgo.Record{Topic: topic, Value: []byte("y")}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	var victimOffsets kadm.Offsets
	victimOffsets.Add(kadm.Offset{Topic: victim, Partition: 0, At: 1, LeaderEpoch: -1})
	if _, err := adm.CommitOffsets(ctx, victimGroup, victimOffsets); err != nil {
		t.Fatal(err)
	}

	prelude := "from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition\n" +
		"from kafka.structs import OffsetAndMetadata\n" +
		"from kafka.admin import ConfigResource, ConfigResourceType\n" +
		"OK, VICTIM, MINE, VICTIM_GROUP = '" + ok + "', '" + victim + "', '" + mine + "', '" + victimGroup + "'\n" +
		"admin = KafkaAdminClient()\n"
	topicRefused := "ERROR kafka.errors.TopicAuthorizationFailedError: [Error 29] TopicAuthorizationFailedError: topic '" + victim + "' is not allowed here (allowed: " + ok + ")\n"
	groupRefused := "ERROR kafka.errors.GroupAuthorizationFailedError: [Error 30] GroupAuthorizationFailedError: group '" + victimGroup + "' is not allowed here (allowed: " + mine + ")\n"
	for _, tc := range []struct{ name, src, want string }{
		{"delete the group", "admin.delete_consumer_groups([VICTIM_GROUP])", groupRefused},
		{"join the group", "KafkaConsumer(group_id=VICTIM_GROUP)", groupRefused},
		{"commit for the topic", "KafkaConsumer(group_id=MINE).commit({TopicPartition(VICTIM, 0): OffsetAndMetadata(777, '')})", topicRefused},
		{"commit_async for the topic", "KafkaConsumer(group_id=MINE).commit_async({TopicPartition(VICTIM, 0): OffsetAndMetadata(777, '')})", topicRefused},
		{"committed of the topic", "KafkaConsumer(group_id=MINE).committed(TopicPartition(VICTIM, 0))", topicRefused},
		{"alter the group's offsets", "admin.alter_group_offsets(VICTIM_GROUP, {TopicPartition(OK, 0): OffsetAndMetadata(0, '')})", groupRefused},
		{"alter offsets of the topic", "admin.alter_group_offsets(MINE, {TopicPartition(VICTIM, 0): OffsetAndMetadata(777, '')})", topicRefused},
		{"reset the group's offsets", "admin.reset_group_offsets(VICTIM_GROUP, {TopicPartition(OK, 0): 0})", groupRefused},
		{"reset offsets of the topic", "admin.reset_group_offsets(MINE, {VICTIM: 0})", topicRefused},
		{"the group's offsets", "admin.list_consumer_group_offsets(VICTIM_GROUP)", groupRefused},
		{"the group's lag", "admin.list_consumer_group_lag(VICTIM_GROUP)", groupRefused},
		{"describe the group", "admin.describe_consumer_groups([VICTIM_GROUP])", groupRefused},
		{"list", "print(VICTIM in admin.list_topics(), VICTIM in KafkaConsumer().topics(), VICTIM_GROUP in [g for g, _ in admin.list_consumer_groups()])", "False False False\n"},
		{"describe all topics", "print([t['topic'] for t in admin.describe_topics()] == [OK] or [t['topic'] for t in admin.describe_topics() if t['topic'] == VICTIM])", "True\n"},
		{"describe the topic", "admin.describe_topics([VICTIM])", topicRefused},
		{"the topic's configs", "admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, VICTIM)])", topicRefused},
		{"alter the topic's configs", "admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, VICTIM, {'retention.ms': '1000'})])", topicRefused},
		{"delete records", "admin.delete_records({TopicPartition(VICTIM, 0): 2})", topicRefused},
		{"delete the topic", "admin.delete_topics([VICTIM])", topicRefused},
		{"partitions", "KafkaConsumer().partitions_for_topic(VICTIM)", topicRefused},
		{"end offsets", "KafkaConsumer().end_offsets([TopicPartition(VICTIM, 0)])", topicRefused},
		{"beginning offsets", "KafkaConsumer().beginning_offsets([TopicPartition(VICTIM, 0)])", topicRefused},
		{"offsets for times", "KafkaConsumer().offsets_for_times({TopicPartition(VICTIM, 0): 0})", topicRefused},
		{"assign", "KafkaConsumer().assign([TopicPartition(VICTIM, 0)])", topicRefused},
		{"own group, own topic", "c = KafkaConsumer(group_id=MINE)\nc.commit({TopicPartition(OK, 0): OffsetAndMetadata(1, '')})\nprint(admin.list_consumer_group_offsets(MINE))",
			"{TopicPartition(topic='" + ok + "', partition=0): OffsetAndMetadata(offset=1, metadata='')}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := execOut(t, prelude+tc.src+"\n", runtime.WithBootstrapServers(boot),
				runtime.WithAllowedBrokers(strings.Split(boot, ",")...),
				runtime.WithAllowedTopics(ok), runtime.WithAllowedGroups(mine))
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}

	fetched, err := adm.FetchOffsets(ctx, victimGroup)
	if err != nil {
		t.Fatal(err)
	}
	if o, found := fetched.Lookup(victim, 0); !found || o.Err != nil || o.At != 1 {
		t.Errorf("the victim group's offset on the broker: %+v (found %v), want 1", o, found)
	}
	start, err := adm.ListStartOffsets(ctx, victim)
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := start.Lookup(victim, 0); o.Offset != 0 {
		t.Errorf("the victim topic starts at %d, want 0 (records deleted)", o.Offset)
	}
}
