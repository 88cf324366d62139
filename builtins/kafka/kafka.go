package kafka

import (
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// kafkaMembers is kafka-python 2.0.2's package as scripts import it: every
// module of kafka/ (pkgutil.iter_modules(kafka.__path__)), and the deeper
// ones scripts import classes from, with the members kstar offers in each.
// The modules of kafka-python's internals (conn, protocol, record, ...)
// are importable and empty, since franz-go does their work: an import line
// copied from a kafka-python script does not stop it, and a name kstar
// lacks fails where it is used.
var kafkaMembers = map[string]starlark.StringDict{
	"kafka": {
		"ConsumerRebalanceListener": ConsumerRebalanceListenerClass,
		"KafkaAdminClient":          KafkaAdminClientClass,
		"KafkaConsumer":             KafkaConsumerClass,
		"KafkaProducer":             KafkaProducerClass,
		"OffsetAndMetadata":         OffsetAndMetadataType,
		"TopicPartition":            TopicPartitionType,
	},
	"kafka.admin": {
		"ConfigResource":     ConfigResourceClass,
		"ConfigResourceType": ConfigResourceTypeEnum,
		"KafkaAdminClient":   KafkaAdminClientClass,
		"NewPartitions":      NewPartitionsClass,
		"NewTopic":           NewTopicClass,
		"OffsetSpec":         OffsetSpecEnum,
		"OffsetTimestamp":    OffsetTimestampClass,
	},
	"kafka.client_async":                 {},
	"kafka.cluster":                      {},
	"kafka.codec":                        {},
	"kafka.conn":                         {},
	"kafka.consumer":                     {"KafkaConsumer": KafkaConsumerClass},
	"kafka.consumer.fetcher":             {"ConsumerRecord": ConsumerRecordClass},
	"kafka.consumer.group":               {"KafkaConsumer": KafkaConsumerClass},
	"kafka.consumer.subscription_state":  {"ConsumerRebalanceListener": ConsumerRebalanceListenerClass},
	"kafka.coordinator":                  {},
	"kafka.coordinator.assignors":        {},
	RangePartitionAssignor.Module:        {RangePartitionAssignor.ClassName: RangePartitionAssignor},
	RoundRobinPartitionAssignor.Module:   {RoundRobinPartitionAssignor.ClassName: RoundRobinPartitionAssignor},
	"kafka.coordinator.assignors.sticky": {},
	StickyPartitionAssignor.Module:       {StickyPartitionAssignor.ClassName: StickyPartitionAssignor},
	"kafka.errors":                       errorClassMembers(),
	"kafka.future":                       {},
	"kafka.metrics":                      {},
	"kafka.oauth":                        {},
	"kafka.partitioner":                  {},
	"kafka.producer":                     {"KafkaProducer": KafkaProducerClass},
	"kafka.producer.future":              {"RecordMetadata": RecordMetadataType},
	"kafka.producer.kafka":               {"KafkaProducer": KafkaProducerClass},
	"kafka.protocol":                     {},
	"kafka.record":                       {},
	"kafka.scram":                        {},
	"kafka.serializer":                   {},
	"kafka.structs": {
		BrokerMetadataType.TypeName:     BrokerMetadataType,
		GroupInformationType.TypeName:   GroupInformationType,
		MemberInformationType.TypeName:  MemberInformationType,
		OffsetAndMetadataType.TypeName:  OffsetAndMetadataType,
		OffsetAndTimestampType.TypeName: OffsetAndTimestampType,
		TopicPartitionType.TypeName:     TopicPartitionType,
	},
	"kafka.util":    {},
	"kafka.vendor":  {},
	"kafka.version": {},
}

// errorClassMembers is kafka.errors' members: its classes by name.
func errorClassMembers() starlark.StringDict {
	members := make(starlark.StringDict, len(errorClasses))
	for name, c := range errorClasses {
		members[name] = c
	}
	return members
}

// Modules returns the kafka modules by import name ("kafka",
// "kafka.errors", ...), built once, when the first script imports one.
func Modules() map[string]*starlarkstruct.Module { return kafkaModules() }

// kafkaModules builds what Modules returns.
// Each module also has its submodules as attributes, as Python binds them
// on import (kafka.errors.KafkaError, kafka.consumer.fetcher). The values
// are shared by every execution: a module cannot be assigned to and its
// members are immutable.
var kafkaModules = sync.OnceValue(func() map[string]*starlarkstruct.Module {
	modules := make(map[string]*starlarkstruct.Module, len(kafkaMembers))
	for name, members := range kafkaMembers {
		m := py.NewBuiltinModule(name, make(starlark.StringDict, len(members)))
		for k, v := range members {
			m.Members[k] = v
		}
		modules[name] = m
	}
	for name, m := range modules {
		if parent, sub, ok := cutLast(name, "."); ok {
			modules[parent].Members[sub] = m
		}
	}
	return modules
})

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// KafkaMemberNames lists the members of a kafka module, sorted (for
// completion and help).
func KafkaMemberNames(module string) []string {
	names := make([]string, 0, len(kafkaMembers[module]))
	for n := range kafkaMembers[module] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Help documents the methods of kstar's Kafka classes and the kafka
// modules' functions for help(obj).
var Help = py.HelpTable{
	// kafka.admin
	"kafka.admin.OffsetTimestamp": {Params: "ms", Doc: "A timestamp in milliseconds for reset_group_offsets: the first offset at or after it."},

	// KafkaProducer (kafka-python 2.0.2, transactions as in 2.2)
	"KafkaProducer.send":                        {Params: "topic, value=None, key=None, headers=None, partition=None, timestamp_ms=None", Doc: "Publish a message to a topic; returns a FutureRecordMetadata."},
	"KafkaProducer.flush":                       {Params: "timeout=None", Doc: "Send all buffered records and wait until they complete, at most timeout seconds."},
	"KafkaProducer.close":                       {Params: "timeout=None, null_logger=False", Doc: "Close the producer, waiting at most timeout seconds for buffered records to be sent."},
	"KafkaProducer.__enter__":                   {Params: "", Doc: "Return the client, for with blocks (kafka-python after 2.0.2)."},
	"KafkaProducer.__exit__":                    {Params: "exc_type, exc_value, traceback", Doc: "Call close() when a with block ends; exceptions propagate."},
	"KafkaProducer.partitions_for":              {Params: "topic", Doc: "Return the set of partition ids of a topic."},
	"KafkaProducer.metrics":                     {Params: "raw=False", Doc: "Return the producer's metrics, a dict of metric groups."},
	"KafkaProducer.bootstrap_connected":         {Params: "", Doc: "Return True if the bootstrap servers are connected."},
	"KafkaProducer.init_transactions":           {Params: "", Doc: "Register the transactional_id with the cluster; call once before the first transaction."},
	"KafkaProducer.begin_transaction":           {Params: "", Doc: "Start a transaction: records sent until it ends belong to it."},
	"KafkaProducer.commit_transaction":          {Params: "", Doc: "Flush and commit the current transaction."},
	"KafkaProducer.abort_transaction":           {Params: "", Doc: "Abort the current transaction: read_committed consumers never see its records."},
	"KafkaProducer.send_offsets_to_transaction": {Params: "offsets, consumer_group_id", Doc: "Commit a group's {TopicPartition: OffsetAndMetadata} offsets as part of the current transaction."},

	// FutureRecordMetadata, what KafkaProducer.send returns
	"FutureRecordMetadata.get":          {Params: "timeout=None", Doc: "Wait at most timeout seconds for the send and return its RecordMetadata, or raise its error."},
	"FutureRecordMetadata.add_callback": {Params: "f, *args, **kwargs", Doc: "Call f(*args, record_metadata, **kwargs) when the send succeeds; returns the future."},
	"FutureRecordMetadata.add_errback":  {Params: "f, *args, **kwargs", Doc: "Call f(*args, exception, **kwargs) when the send fails; returns the future."},
	"FutureRecordMetadata.add_both":     {Params: "f, *args, **kwargs", Doc: "Add f as both callback and errback; returns the future."},
	"FutureRecordMetadata.chain":        {Params: "future", Doc: "Complete future with this future's value or exception when it is done."},
	"FutureRecordMetadata.succeeded":    {Params: "", Doc: "Return True if the send is done and succeeded."},
	"FutureRecordMetadata.failed":       {Params: "", Doc: "Return True if the send is done and failed."},
	"FutureRecordMetadata.retriable":    {Params: "", Doc: "Return True if the send failed with a retriable error."},
	"FutureRecordMetadata.success":      {Params: "value", Doc: "Complete the future with value and run its callbacks."},
	"FutureRecordMetadata.failure":      {Params: "e", Doc: "Fail the future with exception e and run its errbacks."},

	// Future, what KafkaConsumer.commit_async returns
	"Future.get":          {Params: "timeout=None", Doc: "Wait at most timeout seconds for the result and return it, or raise its error."},
	"Future.add_callback": {Params: "f, *args, **kwargs", Doc: "Call f(*args, value, **kwargs) when the future succeeds."},
	"Future.add_errback":  {Params: "f, *args, **kwargs", Doc: "Call f(*args, exception, **kwargs) when the future fails."},
	"Future.add_both":     {Params: "f, *args, **kwargs", Doc: "Add f as both callback and errback."},
	"Future.succeeded":    {Params: "", Doc: "Return True if the future is done and succeeded."},
	"Future.failed":       {Params: "", Doc: "Return True if the future is done and failed."},
	"Future.retriable":    {Params: "", Doc: "Return True if the future failed with a retriable error."},

	// KafkaConsumer (kafka-python 2.0.2, timeout_ms as in 2.1)
	"KafkaConsumer.subscribe":            {Params: "topics=(), pattern=None, listener=None", Doc: "Subscribe to a list of topics, or to the topics matching a regex pattern."},
	"KafkaConsumer.unsubscribe":          {Params: "", Doc: "Unsubscribe from all topics and clear all assigned partitions."},
	"KafkaConsumer.subscription":         {Params: "", Doc: "Return the set of subscribed topics, or None."},
	"KafkaConsumer.assign":               {Params: "partitions", Doc: "Manually assign a list of TopicPartitions to this consumer."},
	"KafkaConsumer.assignment":           {Params: "", Doc: "Return the set of TopicPartitions assigned to this consumer."},
	"KafkaConsumer.poll":                 {Params: "timeout_ms=0, max_records=None, update_offsets=True", Doc: "Fetch records, waiting at most timeout_ms: {TopicPartition: [ConsumerRecord, ...]}."},
	"KafkaConsumer.commit":               {Params: "offsets=None, timeout_ms=None", Doc: "Commit offsets (the consumed positions by default), blocking until done."},
	"KafkaConsumer.commit_async":         {Params: "offsets=None, callback=None", Doc: "Commit offsets asynchronously; callback(offsets, response) runs when done; returns a Future."},
	"KafkaConsumer.committed":            {Params: "partition, metadata=False, timeout_ms=None", Doc: "Return the last committed offset of a partition (an OffsetAndMetadata with metadata=True), or None."},
	"KafkaConsumer.position":             {Params: "partition, timeout_ms=None", Doc: "Return the offset of the next record that will be fetched from a partition."},
	"KafkaConsumer.seek":                 {Params: "partition, offset", Doc: "Set the offset the next poll() fetches a partition from."},
	"KafkaConsumer.seek_to_beginning":    {Params: "*partitions", Doc: "Seek to the oldest available offset of the partitions (all assigned ones by default)."},
	"KafkaConsumer.seek_to_end":          {Params: "*partitions", Doc: "Seek to the end offset of the partitions (all assigned ones by default)."},
	"KafkaConsumer.beginning_offsets":    {Params: "partitions, timeout_ms=None", Doc: "Return the first offset of each partition: {TopicPartition: int}."},
	"KafkaConsumer.end_offsets":          {Params: "partitions, timeout_ms=None", Doc: "Return the end offset (the last offset + 1) of each partition: {TopicPartition: int}."},
	"KafkaConsumer.offsets_for_times":    {Params: "timestamps, timeout_ms=None", Doc: "Return the first offset at or after each {TopicPartition: timestamp_ms}, as OffsetAndTimestamp or None."},
	"KafkaConsumer.highwater":            {Params: "partition", Doc: "Return the last known high watermark of an assigned partition, or None before a fetch."},
	"KafkaConsumer.pause":                {Params: "*partitions", Doc: "Suspend fetching from the given partitions."},
	"KafkaConsumer.resume":               {Params: "*partitions", Doc: "Resume fetching from the given paused partitions."},
	"KafkaConsumer.paused":               {Params: "", Doc: "Return the set of partitions paused by pause()."},
	"KafkaConsumer.topics":               {Params: "", Doc: "Return the set of topics the consumer is authorized to view."},
	"KafkaConsumer.partitions_for_topic": {Params: "topic", Doc: "Return the set of partition ids of a topic, or None if it is unknown."},
	"KafkaConsumer.metrics":              {Params: "raw=False", Doc: "Return the consumer's metrics, a dict of metric groups."},
	"KafkaConsumer.bootstrap_connected":  {Params: "", Doc: "Return True if the bootstrap servers are connected."},
	"KafkaConsumer.close":                {Params: "autocommit=True, timeout_ms=None", Doc: "Close the consumer, first committing its offsets if enable_auto_commit and autocommit."},
	"KafkaConsumer.__enter__":            {Params: "", Doc: "Return the client, for with blocks (kafka-python after 2.0.2)."},
	"KafkaConsumer.__exit__":             {Params: "exc_type, exc_value, traceback", Doc: "Call close() when a with block ends; exceptions propagate."},

	// KafkaAdminClient (kafka-python 2.0.2, later additions, 3.0's group names)
	"KafkaAdminClient.create_topics":               {Params: "new_topics, timeout_ms=None, validate_only=False", Doc: "Create the topics of a list of NewTopic."},
	"KafkaAdminClient.delete_topics":               {Params: "topics, timeout_ms=None", Doc: "Delete the named topics."},
	"KafkaAdminClient.list_topics":                 {Params: "", Doc: "Return the names of all topics, internal ones included, sorted."},
	"KafkaAdminClient.describe_topics":             {Params: "topics=None", Doc: "Return the metadata of the named topics (all topics for None)."},
	"KafkaAdminClient.describe_cluster":            {Params: "", Doc: "Return the cluster's brokers, cluster_id and controller_id."},
	"KafkaAdminClient.create_partitions":           {Params: "topic_partitions, timeout_ms=None, validate_only=False", Doc: "Grow topics to the partition counts of a {topic: NewPartitions} dict."},
	"KafkaAdminClient.delete_records":              {Params: "records_to_delete, timeout_ms=None, partition_leader_id=None", Doc: "Delete the records before {TopicPartition: offset} (-1: all of them)."},
	"KafkaAdminClient.describe_configs":            {Params: "config_resources, include_synonyms=False", Doc: "Return the configs of a list of ConfigResource."},
	"KafkaAdminClient.alter_configs":               {Params: "config_resources", Doc: "Set the configs of a list of ConfigResource."},
	"KafkaAdminClient.list_consumer_groups":        {Params: "broker_ids=None", Doc: "Return the consumer groups as (group_id, protocol_type) pairs."},
	"KafkaAdminClient.describe_consumer_groups":    {Params: "group_ids, group_coordinator_id=None, include_authorized_operations=False", Doc: "Return a GroupInformation for each group id."},
	"KafkaAdminClient.list_consumer_group_offsets": {Params: "group_id, group_coordinator_id=None, partitions=None", Doc: "Return a group's committed offsets: {TopicPartition: OffsetAndMetadata}."},
	"KafkaAdminClient.delete_consumer_groups":      {Params: "group_ids, group_coordinator_id=None", Doc: "Delete the groups; returns (group_id, ErrorClass) pairs."},
	"KafkaAdminClient.alter_group_offsets":         {Params: "group_id, offsets, group_coordinator_id=None", Doc: "Commit {TopicPartition: OffsetAndMetadata or offset} for a group; returns {TopicPartition: ErrorClass}."},
	"KafkaAdminClient.reset_group_offsets":         {Params: "group_id, offset_specs, group_coordinator_id=None", Doc: "Move a stopped group to OffsetSpec.EARLIEST/LATEST, an OffsetTimestamp or an offset per partition."},
	"KafkaAdminClient.list_consumer_group_lag":     {Params: "group_id", Doc: "kstar's own: {TopicPartition: PartitionLag(committed, end_offset, lag)} for a group."},
	"KafkaAdminClient.close":                       {Params: "", Doc: "Close the admin client."},
	"KafkaAdminClient.__enter__":                   {Params: "", Doc: "Return the client, for with blocks (kafka-python after 2.0.2)."},
	"KafkaAdminClient.__exit__":                    {Params: "exc_type, exc_value, traceback", Doc: "Call close() when a with block ends; exceptions propagate."},
	"KafkaAdminClient.list_groups":                 {Params: "broker_ids=None", Doc: "kafka-python 3.0's name of list_consumer_groups."},
	"KafkaAdminClient.describe_groups":             {Params: "group_ids, group_coordinator_id=None, include_authorized_operations=False", Doc: "kafka-python 3.0's name of describe_consumer_groups."},
	"KafkaAdminClient.delete_groups":               {Params: "group_ids, group_coordinator_id=None", Doc: "kafka-python 3.0's name of delete_consumer_groups."},
	"KafkaAdminClient.list_group_offsets":          {Params: "group_id, group_coordinator_id=None, partitions=None", Doc: "kafka-python 3.0's name of list_consumer_group_offsets."},
}
