package kafka

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	kbroker "github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// The success paths of KafkaAdminClient are the golden scripts of
// testdata/admin (topics, configs, groups) and scripts/admin_lag.star;
// these tests cover its errors, its argument classes, its constructor and
// its time limits.

// adminCase is a script and what it prints, then "ERROR Class: message"
// when it fails. T and G are a topic and a group name of the test's own
// (unique, so the tests can share a real cluster); they read T and G in
// the output too. A want ending in "..." matches output starting with the
// rest.
type adminCase struct {
	name, src, want string
}

// runAdminCases runs each case against boot with kafka.admin's names
// predeclared.
func runAdminCases(t *testing.T, boot string, cases []adminCase) {
	t.Helper()
	runAdminCasesAllowing(t, boot, nil, cases)
}

// runAdminCasesAllowing runs the cases with a host topic allow-list
// (T-allowed is the test's topic name followed by -allowed).
func runAdminCasesAllowing(t *testing.T, boot string, allowed []string, cases []adminCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runAdmin(t, boot, c.src, allowed, context.Background())
			want := strings.TrimSpace(c.want)
			if prefix, ok := strings.CutSuffix(want, "..."); ok {
				if !strings.HasPrefix(strings.TrimSpace(got), prefix) {
					t.Errorf("script:\n%s\n--- got ---\n%s\n--- want prefix ---\n%s", c.src, got, prefix)
				}
			} else if strings.TrimSpace(got) != want {
				t.Errorf("script:\n%s\n--- got ---\n%s\n--- want ---\n%s", c.src, got, want)
			}
		})
	}
}

// errorMessages makes messages from kfake and Apache Kafka read alike:
// Kafka explains its errors (error_message='Topic ... already exists.'),
// kfake sends none.
var errorMessages = regexp.MustCompile(`error_message=(None|'[^']*'|"[^"]*")`)

func runAdmin(t *testing.T, boot, src string, allowed []string, ctx context.Context) string {
	t.Helper()
	topic, group := testbroker.UniqueName(t, "t"), testbroker.UniqueName(t, "g")
	r := newScriptRun(boot)
	r.extra = starlark.StringDict{"T": starlark.String(topic), "G": starlark.String(group)}
	for _, n := range KafkaMemberNames("kafka.admin") {
		r.extra[n] = kafkaMembers["kafka.admin"][n]
	}
	for _, a := range allowed {
		r.kafka.AllowedTopics = append(r.kafka.AllowedTopics, strings.Replace(a, "T", topic, 1))
	}
	err := r.exec(ctx, src)
	out := r.out.String()
	if err != nil {
		out += "ERROR " + errorLine(err) + "\n"
	}
	out = strings.ReplaceAll(out, topic, "T")
	out = strings.ReplaceAll(out, group, "G")
	out = errorMessages.ReplaceAllString(out, "error_message=<MSG>")
	return normaliseOutput(out)
}

func TestAdminConstructor(t *testing.T) {
	boot := testBootstrap(t)
	runAdminCases(t, boot, []adminCase{
		{"unknown key, as a set", `KafkaAdminClient(bootstrap_servers=BOOT, foo=1)`,
			`ERROR KafkaConfigurationError: Unrecognized configs: {'foo'}`},
		{"typo", `KafkaAdminClient(bootstrap_server=BOOT)`,
			`ERROR KafkaConfigurationError: Unrecognized configs: {'bootstrap_server'} (did you mean 'bootstrap_servers'?)`},
		{"bad value", `KafkaAdminClient(bootstrap_servers=BOOT, request_timeout_ms='30s')`,
			`ERROR KafkaConfigurationError: request_timeout_ms: want int or float, got str ('30s')`},
		{"security_protocol", `KafkaAdminClient(bootstrap_servers=BOOT, security_protocol='TLS')`,
			`ERROR AssertionError: security_protocol must be in PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL`},
		{"positional arguments", `KafkaAdminClient(BOOT)`,
			`ERROR TypeError: KafkaAdminClient() takes 0 positional arguments but 1 were given (pass configs as keywords)`},
		{"no broker", `KafkaAdminClient(bootstrap_servers='127.0.0.1:1', api_version_auto_timeout_ms=500)`,
			`ERROR NoBrokersAvailable (caused by KafkaConnectionError: ...`},
		{"config, repr, dir, help", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
print(a)
print(a.config['client_id'], a.config['request_timeout_ms'], a.config['bootstrap_servers'] == BOOT)
print(type(a), 'describe_consumer_groups' in dir(a), 'list_groups' in dir(a))
print(KafkaAdminClient)
help(KafkaAdminClient)
`, `
<kafka.admin.client.KafkaAdminClient object at 0x<ADDR>>
kafka-python-2.0.2 30000 True
<class 'kafka.admin.client.KafkaAdminClient'> True True
<class 'kafka.admin.client.KafkaAdminClient'>
KafkaAdminClient(**configs)...`},
		{"closed", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.close()
a.close()
a.list_topics()
`, `ERROR IllegalStateError: KafkaAdminClient is closed`},
	})
	keys := KafkaAdminClientClass.ConfigKeyNames()
	for _, k := range []string{"bootstrap_servers", "client_id", "request_timeout_ms", "security_protocol", "sasl_mechanism", "metrics_num_samples"} {
		if !slices.Contains(keys, k) {
			t.Errorf("ConfigKeyNames lacks %s: %v", k, keys)
		}
	}
}

func TestAdminTopicErrors(t *testing.T) {
	runAdminCases(t, testBootstrap(t), []adminCase{
		{"existing topic", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 1, 1)])
a.create_topics([NewTopic(T, 1, 1)])
`, `ERROR TopicAlreadyExistsError: Request 'CreateTopicsRequest_v3(create_topic_requests=[(topic='T', num_partitions=1, replication_factor=1, replica_assignment=[], configs=[])], timeout=30000, validate_only=False)' failed with response 'CreateTopicsResponse_v3(throttle_time_ms=0, topic_errors=[(topic='T', error_code=36, error_message=<MSG>)])'.`},
		{"validate_only checks too, and creates nothing", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
print(a.create_topics([NewTopic(T + '-new', 2, 1, topic_configs={'retention.ms': 1000})], timeout_ms=5000, validate_only=True))
print([t['error_code'] for t in a.describe_topics([T + '-new'])])
a.create_topics([NewTopic(T, 1, 1)])
a.create_topics([NewTopic(T, 1, 1)], validate_only=True)
`, `
CreateTopicsResponse_v3(throttle_time_ms=0, topic_errors=[(topic='T-new', error_code=0, error_message=<MSG>)])
[3]
ERROR TopicAlreadyExistsError: Request 'CreateTopicsRequest_v3(create_topic_requests=[(topic='T', num_partitions=1, replication_factor=1, replica_assignment=[], configs=[])], timeout=30000, validate_only=True)' failed with response 'CreateTopicsResponse_v3(throttle_time_ms=0, topic_errors=[(topic='T', error_code=36, error_message=<MSG>)])'.`},
		{"replication factor above the broker count", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 1, 5)], timeout_ms=5000)
`, `ERROR InvalidReplicationFactorError: Request 'CreateTopicsRequest_v3(create_topic_requests=[(topic='T', num_partitions=1, replication_factor=5, replica_assignment=[], configs=[])], timeout=5000, validate_only=False)' failed with response 'CreateTopicsResponse_v3(throttle_time_ms=0, topic_errors=[(topic='T', error_code=38, error_message=<MSG>)])'.`},
		{"delete an unknown topic", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.delete_topics(T)
`, `ERROR UnknownTopicOrPartitionError: Request 'DeleteTopicsRequest_v3(topics=['T'], timeout=30000)' failed with response 'DeleteTopicsResponse_v3(throttle_time_ms=0, topic_error_codes=[(topic='T', error_code=3)])'.`},
		{"grow an unknown topic", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_partitions({T: NewPartitions(3)})
`, `ERROR UnknownTopicOrPartitionError: Request 'CreatePartitionsRequest_v1(topic_partitions=[(topic='T', new_partitions=(count=3, assignment=NULL))], timeout=30000, validate_only=False)' failed with response 'CreatePartitionsResponse_v1(throttle_time_ms=0, topic_errors=[(topic='T', error_code=3, error_message=<MSG>)])'.`},
		{"shrink a topic", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 4, 1)])
a.create_partitions({T: NewPartitions(2)}, timeout_ms=1000)
`, `ERROR InvalidPartitionsError: Request 'CreatePartitionsRequest_v1(topic_partitions=[(topic='T', new_partitions=(count=2, assignment=NULL))], timeout=1000, validate_only=False)' failed with response 'CreatePartitionsResponse_v1(throttle_time_ms=0, topic_errors=[(topic='T', error_code=37, error_message=<MSG>)])'.`},
		{"delete records past the end", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 2, 1)])
print(a.delete_records({TopicPartition(T, 0): 0}))
a.delete_records({TopicPartition(T, 0): 5})
`, `
{TopicPartition(topic='T', partition=0): {'partition_index': 0, 'low_watermark': 0, 'error_code': 0}}
ERROR OffsetOutOfRangeError: Error deleting records from topic T partition 0`},
		{"delete records past the end of two partitions", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 2, 1)])
a.delete_records({TopicPartition(T, 1): 5, TopicPartition(T, 0): 5})
`, `ERROR BrokerResponseError: The following errors occured when trying to delete records: T(partition=0): OffsetOutOfRangeError, T(partition=1): OffsetOutOfRangeError`},
		{"delete records of an unknown topic", `
a = KafkaAdminClient(bootstrap_servers=BOOT, request_timeout_ms=5000)
a.delete_records({TopicPartition(T, 0): 1})
`, `ERROR UnknownTopicOrPartitionError: Error deleting records from topic T partition 0`},
	})
}

func TestAdminAllowedTopics(t *testing.T) {
	runAdminCasesAllowing(t, testBootstrap(t), []string{"T-allowed"}, []adminCase{
		{"topics outside the host's allow-list", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
print(a.create_topics([NewTopic(T + '-allowed', 1, 1)]).topic_errors)
a.create_topics([NewTopic(T, 1, 1)])
`, `
[('T-allowed', 0, None)]
ERROR TopicAuthorizationFailedError: topic 'T' is not allowed here (allowed: T-allowed)`},
		{"delete_topics outside the allow-list", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.delete_topics([T])
`, `ERROR TopicAuthorizationFailedError: topic 'T' is not allowed here (allowed: T-allowed)`},
	})
}

func TestAdminArgumentErrors(t *testing.T) {
	runAdminCases(t, testBootstrap(t), []adminCase{
		{"new_topics not a list", `KafkaAdminClient(bootstrap_servers=BOOT).create_topics(NewTopic(T, 1, 1))`,
			`ERROR TypeError: create_topics() new_topics must be a list of NewTopic, not NewTopic`},
		{"new_topics of names", `KafkaAdminClient(bootstrap_servers=BOOT).create_topics([T])`,
			`ERROR TypeError: create_topics() new_topics must be a list of NewTopic, not a list of str`},
		{"unknown keyword", `KafkaAdminClient(bootstrap_servers=BOOT).create_topics([], timeout=5)`,
			`ERROR TypeError: create_topics: unexpected keyword argument "timeout" (did you mean timeout_ms?)`},
		{"timeout_ms", `KafkaAdminClient(bootstrap_servers=BOOT).delete_topics([T], timeout_ms='5s')`,
			`ERROR TypeError: timeout_ms must be int or None, not str`},
		{"negative timeout_ms", `KafkaAdminClient(bootstrap_servers=BOOT).create_topics([], timeout_ms=-1)`,
			`ERROR ValueError: timeout_ms must be between 0 and 2147483647, not -1`},
		{"timeout_ms beyond 31 bits", `KafkaAdminClient(bootstrap_servers=BOOT).create_partitions({}, timeout_ms=1e12)`,
			`ERROR ValueError: timeout_ms must be between 0 and 2147483647, not 1000000000000.0`},
		{"timeout_ms of delete_records", `KafkaAdminClient(bootstrap_servers=BOOT).delete_records({}, timeout_ms=[])`,
			`ERROR TypeError: timeout_ms must be int or None, not list`},
		{"topic names", `KafkaAdminClient(bootstrap_servers=BOOT).delete_topics([1])`,
			`ERROR TypeError: delete_topics() topics must be a list of str, not a list of int`},
		{"create_partitions", `KafkaAdminClient(bootstrap_servers=BOOT).create_partitions({T: 3})`,
			`ERROR TypeError: create_partitions() topic_partitions must be a dict of topic to NewPartitions`},
		{"delete_records keys", `KafkaAdminClient(bootstrap_servers=BOOT).delete_records({(T, 0): 1})`,
			`ERROR TypeError: delete_records() records_to_delete keys must be TopicPartition, not tuple`},
		{"config resources", `KafkaAdminClient(bootstrap_servers=BOOT).describe_configs([T])`,
			`ERROR TypeError: describe_configs() config_resources must be a list of ConfigResource, not a list of str`},
		{"config resources not a list", `KafkaAdminClient(bootstrap_servers=BOOT).alter_configs(ConfigResource('topic', T, {}))`,
			`ERROR TypeError: alter_configs() config_resources must be a list of ConfigResource, not ConfigResource`},
		{"broker names", `KafkaAdminClient(bootstrap_servers=BOOT).describe_configs([ConfigResource(ConfigResourceType.BROKER, 'leader')])`,
			`ERROR ValueError: Broker resource names must be an integer or a string represented integer`},
		{"config values", `KafkaAdminClient(bootstrap_servers=BOOT).alter_configs([ConfigResource('topic', T, {'retention.ms': 1.5})])`,
			`ERROR TypeError: alter_configs() ConfigResource configs values must be str, not float ('retention.ms': 1.5)`},
		{"group ids", `KafkaAdminClient(bootstrap_servers=BOOT).describe_consumer_groups([G, None])`,
			`ERROR TypeError: describe_consumer_groups() group_ids must be a list of str, not a list of NoneType`},
		{"coordinator id", `KafkaAdminClient(bootstrap_servers=BOOT).list_consumer_group_offsets(G, group_coordinator_id='0')`,
			`ERROR TypeError: group_coordinator_id must be int or None, not str`},
		{"offsets", `KafkaAdminClient(bootstrap_servers=BOOT).alter_group_offsets(G, {TopicPartition(T, 0): 'start'})`,
			`ERROR TypeError: alter_group_offsets() offsets values must be OffsetAndMetadata or int, not str`},
		{"reset targets", `KafkaAdminClient(bootstrap_servers=BOOT).reset_group_offsets(G, {TopicPartition(T, 0): 'earliest'})`,
			`ERROR TypeError: Unsupported reset target for TopicPartition(topic='T', partition=0): 'earliest' (expected OffsetSpec, OffsetTimestamp, or int offset)`},
		{"reset keys", `KafkaAdminClient(bootstrap_servers=BOOT).reset_group_offsets(G, {0: OffsetSpec.EARLIEST})`,
			`ERROR TypeError: reset_group_offsets() offset_specs keys must be TopicPartition or a topic name, not int`},
		{"reset an unknown topic", `KafkaAdminClient(bootstrap_servers=BOOT).reset_group_offsets(G, {T: OffsetSpec.EARLIEST})`,
			`ERROR UnknownTopicOrPartitionError: Unknown topic 'T'`},
		{"partitions", `KafkaAdminClient(bootstrap_servers=BOOT).list_consumer_group_offsets(G, partitions=[T])`,
			`ERROR TypeError: list_consumer_group_offsets() partitions must be a list of TopicPartition, not a list of str`},
		{"partitions not a list", `KafkaAdminClient(bootstrap_servers=BOOT).list_consumer_group_offsets(G, partitions=TopicPartition(T, 0))`,
			`ERROR TypeError: list_consumer_group_offsets() partitions must be a list of TopicPartition, not TopicPartition`},
		{"topics of describe_topics", `KafkaAdminClient(bootstrap_servers=BOOT).describe_topics({T: 1})`,
			`ERROR TypeError: describe_topics() topics must be a list of str, not dict`},
		{"broker ids", `KafkaAdminClient(bootstrap_servers=BOOT).list_consumer_groups(broker_ids=['0'])`,
			`ERROR TypeError: list_consumer_groups() broker_ids must be lists of ints, not lists of str`},
		{"partition leader id", `KafkaAdminClient(bootstrap_servers=BOOT).delete_records({}, partition_leader_id=1.0)`,
			`ERROR TypeError: partition_leader_id must be int or None, not float`},
		{"coordinator id of delete_consumer_groups", `KafkaAdminClient(bootstrap_servers=BOOT).delete_consumer_groups([G], group_coordinator_id=[0])`,
			`ERROR TypeError: group_coordinator_id must be int or None, not list`},
	})
}

func TestAdminTypes(t *testing.T) {
	runAdminCases(t, "127.0.0.1:1", []adminCase{
		{"NewTopic", `
t = NewTopic('t', 3, 1)
print(t, type(t))
print(t.name, t.num_partitions, t.replication_factor, t.replica_assignments, t.topic_configs)
t.num_partitions = 6
print(t.num_partitions, dir(t))
t = NewTopic(name='t', num_partitions=-1, replication_factor=-1, replica_assignments={0: [1, 2]}, topic_configs={'cleanup.policy': 'compact'})
print(t.replica_assignments, t.topic_configs)
help(NewTopic)
`, `
<kafka.admin.new_topic.NewTopic object at 0x<ADDR>> <class 'kafka.admin.new_topic.NewTopic'>
t 3 1 {} {}
6 ['name', 'num_partitions', 'replica_assignments', 'replication_factor', 'topic_configs']
{0: [1, 2]} {'cleanup.policy': 'compact'}
NewTopic(name, num_partitions, replication_factor, replica_assignments=None, topic_configs=None)...`},
		{"NewTopic: counts and assignments both", `NewTopic('t', 1, 1, replica_assignments={0: [0]})`,
			`ERROR IllegalArgumentError: either num_partitions/replication_factor or replica_assignment must be specified`},
		{"NewTopic: neither", `NewTopic('t', -1, -1)`,
			`ERROR IllegalArgumentError: either num_partitions/replication_factor or replica_assignment must be specified`},
		{"NewTopic: missing arguments", `NewTopic('t')`,
			`ERROR TypeError: NewTopic: missing argument for num_partitions`},
		{"NewTopic: name", `NewTopic(1, 1, 1)`, `ERROR TypeError: NewTopic() name must be str, not int`},
		{"NewTopic: assignments", `NewTopic('t', -1, -1, replica_assignments={0: 1})`,
			`ERROR TypeError: NewTopic() replica_assignments values must be lists of ints, not int`},
		{"NewTopic: configs", `NewTopic('t', 1, 1, topic_configs={'retention.ms': [1]})`,
			`ERROR TypeError: NewTopic() topic_configs values must be str, not list ('retention.ms': [1])`},
		{"NewPartitions", `
p = NewPartitions(6)
print(p, p.total_count, p.new_assignments)
print(NewPartitions(3, [[0], [0]]).new_assignments)
NewPartitions('6')
`, `
<kafka.admin.new_partitions.NewPartitions object at 0x<ADDR>> 6 None
[[0], [0]]
ERROR TypeError: NewPartitions() total_count must be int, not str`},
		{"ConfigResource and ConfigResourceType", `
r = ConfigResource('topic', 't')
print(r, r.resource_type, r.name, r.configs)
print(ConfigResource(4, 0, {'a': '1'}).resource_type, ConfigResource(ConfigResourceType.BROKER, '1').name)
print(ConfigResourceType.TOPIC.name, ConfigResourceType.TOPIC.value, ConfigResourceType['BROKER'], ConfigResourceType(2))
print(list(ConfigResourceType), ConfigResourceType.TOPIC == ConfigResourceType(2), ConfigResourceType)
ConfigResource('group', 'g')
`, `
<kafka.admin.config_resource.ConfigResource object at 0x<ADDR>> <ConfigResourceType.TOPIC: 2> t None
<ConfigResourceType.BROKER: 4> 1
TOPIC 2 <ConfigResourceType.BROKER: 4> <ConfigResourceType.TOPIC: 2>
[<ConfigResourceType.BROKER: 4>, <ConfigResourceType.TOPIC: 2>] True <enum 'ConfigResourceType'>
ERROR KeyError: 'GROUP'`},
		{"ConfigResourceType(3)", `ConfigResourceType(3)`, `ERROR ValueError: 3 is not a valid ConfigResourceType`},
		{"ConfigResourceType['X']", `ConfigResourceType['X']`, `ERROR KeyError: 'X'`},
		{"OffsetSpec and OffsetTimestamp", `
print(OffsetSpec.EARLIEST, OffsetSpec.LATEST.value, OffsetSpec.MAX_TIMESTAMP.name)
print(OffsetTimestamp(1234), OffsetTimestamp(5) == OffsetTimestamp(5), OffsetTimestamp(1) < OffsetTimestamp(2))
OffsetTimestamp('now')
`, `
<OffsetSpec.EARLIEST: -2> -1 MAX_TIMESTAMP
OffsetTimestamp(1234) True True
ERROR TypeError: OffsetTimestamp() argument must be an int (milliseconds since the epoch), not str`},
	})
}

func TestAdminConfigErrors(t *testing.T) {
	runAdminCases(t, testBootstrap(t), []adminCase{
		{"include_synonyms", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 1, 1, topic_configs={'retention.ms': 3600000})])
r = ConfigResource(ConfigResourceType.TOPIC, T, ['retention.ms'])
print(a.describe_configs([r])[0].resources[0][4])
entry = a.describe_configs([r], include_synonyms=True)[0].resources[0][4][0]
print(entry[0], entry[1], entry[3], len(entry[5]) > 0)
`, `
[('retention.ms', '3600000', False, 1, False, [])]
retention.ms 3600000 1 True`},
		{"broker and topic resources: one response per request", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 1, 1)])
node = a.describe_cluster()['brokers'][0]['node_id']
rs = a.describe_configs([ConfigResource('topic', T, ['retention.ms']), ConfigResource('broker', node, ['message.max.bytes']), ConfigResource('topic', T + '-no', ['retention.ms'])])
print([[(r[2], r[0], [e[0] for e in r[4]]) for r in resp.resources] for resp in rs])
`, `[[(4, 0, ['message.max.bytes'])], [(2, 0, ['retention.ms']), (2, 3, [])]]`},
	})
}

func TestAdminGroupEdges(t *testing.T) {
	runAdminCases(t, testBootstrap(t), []adminCase{
		{"reset a group that does not exist yet creates it", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 2, 1)])
p = KafkaProducer(bootstrap_servers=BOOT)
for i in range(4):
    p.send(T, b'x', partition=i % 2, timestamp_ms=1000 + i)
p.flush()
print(a.reset_group_offsets(G, {TopicPartition(T, 1): OffsetSpec.LATEST, T: OffsetSpec.EARLIEST}))
print(a.list_consumer_group_offsets(G))
print(a.list_consumer_group_lag(G))
print(a.reset_group_offsets(G, {T: OffsetTimestamp(32503680000000)}))
print(a.reset_group_offsets(G, {T: -5}))
print(a.reset_group_offsets(G, {T: OffsetSpec.MAX_TIMESTAMP}))
print(a.delete_consumer_groups(G), a.list_consumer_group_offsets(G))
`, `
{TopicPartition(topic='T', partition=0): {'error': <class 'kafka.errors.NoError'>, 'offset': 0}, TopicPartition(topic='T', partition=1): {'error': <class 'kafka.errors.NoError'>, 'offset': 2}}
{TopicPartition(topic='T', partition=0): OffsetAndMetadata(offset=0, metadata=''), TopicPartition(topic='T', partition=1): OffsetAndMetadata(offset=2, metadata='')}
{TopicPartition(topic='T', partition=0): PartitionLag(committed=0, end_offset=2, lag=2), TopicPartition(topic='T', partition=1): PartitionLag(committed=2, end_offset=2, lag=0)}
{TopicPartition(topic='T', partition=0): {'error': <class 'kafka.errors.NoError'>, 'offset': 2}, TopicPartition(topic='T', partition=1): {'error': <class 'kafka.errors.NoError'>, 'offset': 2}}
{TopicPartition(topic='T', partition=0): {'error': <class 'kafka.errors.NoError'>, 'offset': 2}, TopicPartition(topic='T', partition=1): {'error': <class 'kafka.errors.NoError'>, 'offset': 2}}
{TopicPartition(topic='T', partition=0): {'error': <class 'kafka.errors.NoError'>, 'offset': 1}, TopicPartition(topic='T', partition=1): {'error': <class 'kafka.errors.NoError'>, 'offset': 1}}
[('G', <class 'kafka.errors.NoError'>)] {}`},
		{"alter offsets of an unknown topic", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
print(a.alter_group_offsets(G, {TopicPartition(T, 0): 1}))
`, `{TopicPartition(topic='T', partition=0): <class 'kafka.errors.UnknownTopicOrPartitionError'>}`},
		{"groups asked for are described in that order", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
print([(g.group, g.state) for g in a.describe_consumer_groups([G + '-b', G + '-a'])])
print(a.describe_consumer_groups([]), a.delete_consumer_groups([G]))
`, `
[('G-b', 'Dead'), ('G-a', 'Dead')]
[] [('G', <class 'kafka.errors.GroupIdNotFoundError'>)]`},
	})
}

// TestAdminBrokerFaults needs kfake's fault injection: a group error is
// raised by describe_consumer_groups, a partition error by
// list_consumer_group_offsets.
func TestAdminBrokerFaults(t *testing.T) {
	b := testbroker.Embedded(t, kbroker.Config{})
	c := b.Cluster()
	c.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.DescribeGroups}, Group: "denied", Err: kerr.GroupAuthorizationFailed, Count: -1})
	runAdminCases(t, b.Bootstrap(), []adminCase{
		{"group error", `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.describe_consumer_groups(['denied'])
`, `ERROR GroupAuthorizationFailedError: DescribeGroupsResponse failed for group 'denied': GROUP_AUTHORIZATION_FAILED`},
	})
}

// stalledAdminBroker starts a broker that never answers CreateTopics.
func stalledAdminBroker(t *testing.T) string {
	b := testbroker.Embedded(t, kbroker.Config{})
	c := b.Cluster()
	release := make(chan struct{})
	c.ControlKey(int16(kmsg.CreateTopics), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		c.SleepControl(func() { <-release })
		return nil, nil, false
	})
	t.Cleanup(func() { close(release) })
	return b.Bootstrap()
}

func TestAdminTimeouts(t *testing.T) {
	boot := stalledAdminBroker(t)
	start := time.Now()
	runAdminCases(t, boot, []adminCase{
		{"request_timeout_ms plus timeout_ms", `
a = KafkaAdminClient(bootstrap_servers=BOOT, request_timeout_ms=300)
a.create_topics([NewTopic(T, 1, 1)], timeout_ms=200)
`, `ERROR KafkaTimeoutError: create_topics() timed out after 500ms`},
	})
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timing out took %s", d)
	}
	// The host's deadline interrupts a waiting call.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	got := runAdmin(t, boot, `
a = KafkaAdminClient(bootstrap_servers=BOOT)
a.create_topics([NewTopic(T, 1, 1)])
`, nil, ctx)
	if want := "ERROR TimeoutError: execution deadline exceeded\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestAdminDocs checks that docs/admin.md carries the current config
// table.
func TestAdminDocs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/admin.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), AdminConfigTable()) {
		t.Errorf("docs/admin.md lacks the current config table; it is:\n%s", AdminConfigTable())
	}
	for _, m := range adminMethods.Names() {
		if !strings.Contains(string(doc), "`"+m+"(") {
			t.Errorf("docs/admin.md does not document %s", m)
		}
	}
}
