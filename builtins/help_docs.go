package builtins

import (
	"strings"
	"sync"

	"go.starlark.net/starlark"
)

// builtinHelp is what help() says of one built-in function or method: its
// parameters as kafka-python or Python writes them, and one line on what
// it does.
type builtinHelp struct {
	params, doc string
}

// builtinHelps documents kstar's builtins for help(obj). A method is keyed
// by its receiver's Python type and its name ("KafkaProducer.send"), a
// module function by its module and name ("json.dumps"), a Python builtin
// by its bare name ("print"). A *starlark.Builtin carries only its name
// and receiver, so builtinHelpKey derives the key from those (see there).
var builtinHelps = map[string]builtinHelp{
	// Python's builtin functions, kstar's and Starlark's.
	"abs":        {"x", "Return the absolute value of the argument."},
	"all":        {"iterable", "Return True if bool(x) is True for all values x in the iterable; stops at the first false one."},
	"any":        {"iterable", "Return True if bool(x) is True for any x in the iterable; stops at the first true one."},
	"ascii":      {"obj", "Return a repr() of the object with non-ASCII characters escaped."},
	"bin":        {"number", "Return the binary representation of an integer, as '0b101'."},
	"callable":   {"obj", "Return whether the object is callable."},
	"chr":        {"i", "Return a one-character string of the Unicode code point i."},
	"dir":        {"object", "Return the sorted names of the object's attributes."},
	"divmod":     {"x, y", "Return the tuple (x//y, x%y)."},
	"enumerate":  {"iterable, start=0", "Return an iterator of (count, value) pairs, counting from start, taking values as it is advanced."},
	"fail":       {"*args, sep=' '", "Stop the script with an error made of the arguments (Starlark's)."},
	"filter":     {"function, iterable", "Return an iterator over the items of iterable for which function(item) is true (truthy items for None)."},
	"format":     {"value, format_spec=''", "Return value formatted by format_spec, as f'{value:spec}' does."},
	"getattr":    {"object, name[, default]", "Return the named attribute of object; default, if given, when it has none."},
	"hasattr":    {"obj, name", "Return whether the object has an attribute with the given name."},
	"hash":       {"obj", "Return the hash value of the object."},
	"help":       {"[object]", "Print usage for a kstar type, function or module; help() gives an overview."},
	"hex":        {"number", "Return the hexadecimal representation of an integer, as '0xff'."},
	"isinstance": {"obj, class_or_tuple", "Return whether obj is an instance of the class (or of one of the tuple's classes)."},
	"iter":       {"iterable", "Return an iterator over the iterable."},
	"len":        {"obj", "Return the number of items in a container."},
	"map":        {"function, *iterables", "Return an iterator of function applied to the items of the iterables in parallel."},
	"max":        {"iterable, *[, default=obj, key=func]", "Return the largest item of the iterable, or the largest of two or more arguments."},
	"min":        {"iterable, *[, default=obj, key=func]", "Return the smallest item of the iterable, or the smallest of two or more arguments."},
	"next":       {"iterator[, default]", "Return the next item of the iterator; default when it is exhausted, else StopIteration."},
	"oct":        {"number", "Return the octal representation of an integer, as '0o17'."},
	"ord":        {"c", "Return the Unicode code point of a one-character string."},
	"pow":        {"base, exp, mod=None", "Return base**exp, or base**exp % mod with three arguments."},
	"print":      {`*args, sep=' ', end='\n', file=None, flush=False`, "Print the values to sys.stdout, or to file, separated by sep and followed by end."},
	"range":      {"[start, ]stop[, step]", "Return the sequence of integers from start (0) up to stop, by step (1)."},
	"repr":       {"obj", "Return the canonical string representation of the object."},
	"reversed":   {"sequence", "Return a list of the sequence's items in reverse order."},
	"round":      {"number, ndigits=None", "Round a number to ndigits decimal digits; an int when ndigits is None."},
	"sorted":     {"iterable, /, *, key=None, reverse=False", "Return a new list of the iterable's items in ascending order."},
	"sum":        {"iterable, /, start=0", "Return start (0) plus the sum of the iterable's numbers."},
	"zip":        {"*iterables, strict=False", "Return an iterator of tuples of the iterables' i-th items, as long as the shortest (strict: all must be as long)."},

	// json: CPython's functions and Starlark's own.
	"json.dumps":  {"obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True, indent=None, separators=None, default=None, sort_keys=False", "Serialize obj to a JSON formatted str."},
	"json.dump":   {"obj, fp, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True, indent=None, separators=None, default=None, sort_keys=False", "Serialize obj as JSON to fp, a value with a write method (sys.stdout)."},
	"json.loads":  {"s, *, object_hook=None, parse_float=None, parse_int=None, parse_constant=None, object_pairs_hook=None, strict=True", "Deserialize s, a str or bytes holding a JSON document, to a Python object."},
	"json.encode": {"x", "Starlark's json.encode: the compact JSON text of x."},
	"json.decode": {"x[, default]", "Starlark's json.decode: the value of JSON text x; default, if given, when x is not valid JSON."},
	"json.indent": {"str, *, prefix='', indent='\\t'", "Starlark's json.indent: JSON text str reformatted with one element per line."},

	// msgpack: dumps and loads are packb and unpackb, as in msgpack-python.
	"msgpack.packb":   {"o, *, default=None, use_single_float=False, use_bin_type=True", "Pack o into msgpack bytes (msgpack.dumps is the same function)."},
	"msgpack.unpackb": {"packed, *, use_list=True, raw=False, strict_map_key=True", "Unpack one object from msgpack bytes (msgpack.loads is the same function)."},

	// time
	"time.time":            {"", "Return the current time in seconds since the Epoch, as a float."},
	"time.time_ns":         {"", "Return the current time in nanoseconds since the Epoch, as an int."},
	"time.monotonic":       {"", "Return the value of a monotonic clock in seconds, as a float."},
	"time.monotonic_ns":    {"", "Return the value of a monotonic clock in nanoseconds, as an int."},
	"time.perf_counter":    {"", "Return the value of a performance counter in seconds, as a float."},
	"time.perf_counter_ns": {"", "Return the value of a performance counter in nanoseconds, as an int."},
	"time.sleep":           {"seconds", "Delay execution for a number of seconds (a float for subsecond precision)."},
	"time.localtime":       {"[seconds]", "Convert seconds since the Epoch (now by default) to a struct_time in local time."},
	"time.gmtime":          {"[seconds]", "Convert seconds since the Epoch (now by default) to a struct_time in UTC."},
	"time.mktime":          {"t", "Convert a struct_time or 9-tuple in local time to seconds since the Epoch."},
	"time.strftime":        {"format[, t]", "Format a struct_time (the current local time by default) by format's % directives."},
	"time.strptime":        {"string[, format]", "Parse a string by format's % directives ('%a %b %d %H:%M:%S %Y' by default) into a struct_time."},
	"time.asctime":         {"[t]", "Format a struct_time (the current local time by default) as 'Thu Jan  1 00:00:00 1970'."},
	"time.ctime":           {"[seconds]", "Format seconds since the Epoch (now by default), in local time, as 'Thu Jan  1 00:00:00 1970'."},

	// sys and os
	"sys.exit":  {"status=None", "Exit the script: None is status 0, an int is the status, anything else is printed to stderr (status 1)."},
	"os.getenv": {"key, default=None", "Return the environment variable key if it exists, else default."},

	// logging: the module's functions log through the root logger.
	"logging.basicConfig":  {"**kwargs", "Configure the root logger once: level, format, datefmt, stream, force (style '%' only)."},
	"logging.getLogger":    {"name=None", "Return the logger of a dotted name, or the root logger."},
	"logging.getLevelName": {"level", "Return the name of a level number, or the number of a level name."},
	"logging.debug":        {"msg, *args, **kwargs", "Log msg % args with severity 'DEBUG'."},
	"logging.info":         {"msg, *args, **kwargs", "Log msg % args with severity 'INFO'."},
	"logging.warning":      {"msg, *args, **kwargs", "Log msg % args with severity 'WARNING'."},
	"logging.warn":         {"msg, *args, **kwargs", "Log msg % args with severity 'WARNING' (a deprecated alias of warning)."},
	"logging.error":        {"msg, *args, **kwargs", "Log msg % args with severity 'ERROR'."},
	"logging.exception":    {"msg, *args, exc_info=True, **kwargs", "Log msg % args with severity 'ERROR' and the exception information."},
	"logging.critical":     {"msg, *args, **kwargs", "Log msg % args with severity 'CRITICAL'."},
	"logging.fatal":        {"msg, *args, **kwargs", "Log msg % args with severity 'CRITICAL' (an alias of critical)."},
	"logging.log":          {"level, msg, *args, **kwargs", "Log msg % args with the integer severity level."},

	// kafka.admin
	"kafka.admin.OffsetTimestamp": {"ms", "A timestamp in milliseconds for reset_group_offsets: the first offset at or after it."},

	// KafkaProducer (kafka-python 2.0.2, transactions as in 2.2)
	"KafkaProducer.send":                        {"topic, value=None, key=None, headers=None, partition=None, timestamp_ms=None", "Publish a message to a topic; returns a FutureRecordMetadata."},
	"KafkaProducer.flush":                       {"timeout=None", "Send all buffered records and wait until they complete, at most timeout seconds."},
	"KafkaProducer.close":                       {"timeout=None, null_logger=False", "Close the producer, waiting at most timeout seconds for buffered records to be sent."},
	"KafkaProducer.partitions_for":              {"topic", "Return the set of partition ids of a topic."},
	"KafkaProducer.metrics":                     {"raw=False", "Return the producer's metrics, a dict of metric groups."},
	"KafkaProducer.bootstrap_connected":         {"", "Return True if the bootstrap servers are connected."},
	"KafkaProducer.init_transactions":           {"", "Register the transactional_id with the cluster; call once before the first transaction."},
	"KafkaProducer.begin_transaction":           {"", "Start a transaction: records sent until it ends belong to it."},
	"KafkaProducer.commit_transaction":          {"", "Flush and commit the current transaction."},
	"KafkaProducer.abort_transaction":           {"", "Abort the current transaction: read_committed consumers never see its records."},
	"KafkaProducer.send_offsets_to_transaction": {"offsets, consumer_group_id", "Commit a group's {TopicPartition: OffsetAndMetadata} offsets as part of the current transaction."},

	// FutureRecordMetadata, what KafkaProducer.send returns
	"FutureRecordMetadata.get":          {"timeout=None", "Wait at most timeout seconds for the send and return its RecordMetadata, or raise its error."},
	"FutureRecordMetadata.add_callback": {"f, *args, **kwargs", "Call f(*args, record_metadata, **kwargs) when the send succeeds; returns the future."},
	"FutureRecordMetadata.add_errback":  {"f, *args, **kwargs", "Call f(*args, exception, **kwargs) when the send fails; returns the future."},
	"FutureRecordMetadata.add_both":     {"f, *args, **kwargs", "Add f as both callback and errback; returns the future."},
	"FutureRecordMetadata.chain":        {"future", "Complete future with this future's value or exception when it is done."},
	"FutureRecordMetadata.succeeded":    {"", "Return True if the send is done and succeeded."},
	"FutureRecordMetadata.failed":       {"", "Return True if the send is done and failed."},
	"FutureRecordMetadata.retriable":    {"", "Return True if the send failed with a retriable error."},
	"FutureRecordMetadata.success":      {"value", "Complete the future with value and run its callbacks."},
	"FutureRecordMetadata.failure":      {"e", "Fail the future with exception e and run its errbacks."},

	// Future, what KafkaConsumer.commit_async returns
	"Future.get":          {"timeout=None", "Wait at most timeout seconds for the result and return it, or raise its error."},
	"Future.add_callback": {"f, *args, **kwargs", "Call f(*args, value, **kwargs) when the future succeeds."},
	"Future.add_errback":  {"f, *args, **kwargs", "Call f(*args, exception, **kwargs) when the future fails."},
	"Future.add_both":     {"f, *args, **kwargs", "Add f as both callback and errback."},
	"Future.succeeded":    {"", "Return True if the future is done and succeeded."},
	"Future.failed":       {"", "Return True if the future is done and failed."},
	"Future.retriable":    {"", "Return True if the future failed with a retriable error."},

	// KafkaConsumer (kafka-python 2.0.2, timeout_ms as in 2.1)
	"KafkaConsumer.subscribe":            {"topics=(), pattern=None, listener=None", "Subscribe to a list of topics, or to the topics matching a regex pattern."},
	"KafkaConsumer.unsubscribe":          {"", "Unsubscribe from all topics and clear all assigned partitions."},
	"KafkaConsumer.subscription":         {"", "Return the set of subscribed topics, or None."},
	"KafkaConsumer.assign":               {"partitions", "Manually assign a list of TopicPartitions to this consumer."},
	"KafkaConsumer.assignment":           {"", "Return the set of TopicPartitions assigned to this consumer."},
	"KafkaConsumer.poll":                 {"timeout_ms=0, max_records=None, update_offsets=True", "Fetch records, waiting at most timeout_ms: {TopicPartition: [ConsumerRecord, ...]}."},
	"KafkaConsumer.commit":               {"offsets=None, timeout_ms=None", "Commit offsets (the consumed positions by default), blocking until done."},
	"KafkaConsumer.commit_async":         {"offsets=None, callback=None", "Commit offsets asynchronously; callback(offsets, response) runs when done; returns a Future."},
	"KafkaConsumer.committed":            {"partition, metadata=False, timeout_ms=None", "Return the last committed offset of a partition (an OffsetAndMetadata with metadata=True), or None."},
	"KafkaConsumer.position":             {"partition, timeout_ms=None", "Return the offset of the next record that will be fetched from a partition."},
	"KafkaConsumer.seek":                 {"partition, offset", "Set the offset the next poll() fetches a partition from."},
	"KafkaConsumer.seek_to_beginning":    {"*partitions", "Seek to the oldest available offset of the partitions (all assigned ones by default)."},
	"KafkaConsumer.seek_to_end":          {"*partitions", "Seek to the end offset of the partitions (all assigned ones by default)."},
	"KafkaConsumer.beginning_offsets":    {"partitions, timeout_ms=None", "Return the first offset of each partition: {TopicPartition: int}."},
	"KafkaConsumer.end_offsets":          {"partitions, timeout_ms=None", "Return the end offset (the last offset + 1) of each partition: {TopicPartition: int}."},
	"KafkaConsumer.offsets_for_times":    {"timestamps, timeout_ms=None", "Return the first offset at or after each {TopicPartition: timestamp_ms}, as OffsetAndTimestamp or None."},
	"KafkaConsumer.highwater":            {"partition", "Return the last known high watermark of an assigned partition, or None before a fetch."},
	"KafkaConsumer.pause":                {"*partitions", "Suspend fetching from the given partitions."},
	"KafkaConsumer.resume":               {"*partitions", "Resume fetching from the given paused partitions."},
	"KafkaConsumer.paused":               {"", "Return the set of partitions paused by pause()."},
	"KafkaConsumer.topics":               {"", "Return the set of topics the consumer is authorized to view."},
	"KafkaConsumer.partitions_for_topic": {"topic", "Return the set of partition ids of a topic, or None if it is unknown."},
	"KafkaConsumer.metrics":              {"raw=False", "Return the consumer's metrics, a dict of metric groups."},
	"KafkaConsumer.bootstrap_connected":  {"", "Return True if the bootstrap servers are connected."},
	"KafkaConsumer.close":                {"autocommit=True, timeout_ms=None", "Close the consumer, first committing its offsets if enable_auto_commit and autocommit."},

	// KafkaAdminClient (kafka-python 2.0.2, later additions, 3.0's group names)
	"KafkaAdminClient.create_topics":               {"new_topics, timeout_ms=None, validate_only=False", "Create the topics of a list of NewTopic."},
	"KafkaAdminClient.delete_topics":               {"topics, timeout_ms=None", "Delete the named topics."},
	"KafkaAdminClient.list_topics":                 {"", "Return the names of all topics, internal ones included, sorted."},
	"KafkaAdminClient.describe_topics":             {"topics=None", "Return the metadata of the named topics (all topics for None)."},
	"KafkaAdminClient.describe_cluster":            {"", "Return the cluster's brokers, cluster_id and controller_id."},
	"KafkaAdminClient.create_partitions":           {"topic_partitions, timeout_ms=None, validate_only=False", "Grow topics to the partition counts of a {topic: NewPartitions} dict."},
	"KafkaAdminClient.delete_records":              {"records_to_delete, timeout_ms=None, partition_leader_id=None", "Delete the records before {TopicPartition: offset} (-1: all of them)."},
	"KafkaAdminClient.describe_configs":            {"config_resources, include_synonyms=False", "Return the configs of a list of ConfigResource."},
	"KafkaAdminClient.alter_configs":               {"config_resources", "Set the configs of a list of ConfigResource."},
	"KafkaAdminClient.list_consumer_groups":        {"broker_ids=None", "Return the consumer groups as (group_id, protocol_type) pairs."},
	"KafkaAdminClient.describe_consumer_groups":    {"group_ids, group_coordinator_id=None, include_authorized_operations=False", "Return a GroupInformation for each group id."},
	"KafkaAdminClient.list_consumer_group_offsets": {"group_id, group_coordinator_id=None, partitions=None", "Return a group's committed offsets: {TopicPartition: OffsetAndMetadata}."},
	"KafkaAdminClient.delete_consumer_groups":      {"group_ids, group_coordinator_id=None", "Delete the groups; returns (group_id, ErrorClass) pairs."},
	"KafkaAdminClient.alter_group_offsets":         {"group_id, offsets, group_coordinator_id=None", "Commit {TopicPartition: OffsetAndMetadata or offset} for a group; returns {TopicPartition: ErrorClass}."},
	"KafkaAdminClient.reset_group_offsets":         {"group_id, offset_specs, group_coordinator_id=None", "Move a stopped group to OffsetSpec.EARLIEST/LATEST, an OffsetTimestamp or an offset per partition."},
	"KafkaAdminClient.list_consumer_group_lag":     {"group_id", "kstar's own: {TopicPartition: PartitionLag(committed, end_offset, lag)} for a group."},
	"KafkaAdminClient.close":                       {"", "Close the admin client."},
	"KafkaAdminClient.list_groups":                 {"broker_ids=None", "kafka-python 3.0's name of list_consumer_groups."},
	"KafkaAdminClient.describe_groups":             {"group_ids, group_coordinator_id=None, include_authorized_operations=False", "kafka-python 3.0's name of describe_consumer_groups."},
	"KafkaAdminClient.delete_groups":               {"group_ids, group_coordinator_id=None", "kafka-python 3.0's name of delete_consumer_groups."},
	"KafkaAdminClient.list_group_offsets":          {"group_id, group_coordinator_id=None, partitions=None", "kafka-python 3.0's name of list_consumer_group_offsets."},

	// The methods of every namedtuple (ConsumerRecord, TopicPartition, ...)
	// and of their classes.
	"namedtuple._asdict":  {"", "Return a dict of the field names and values."},
	"namedtuple._replace": {"**kwargs", "Return a new instance with the named fields replaced."},
	"namedtuple._make":    {"iterable", "Make a new instance from a sequence or iterable of its field values."},

	// sys.stdout and sys.stderr
	"TextIOWrapper.write": {"s", "Write the string s to the stream; returns the number of characters written."},
	"TextIOWrapper.flush": {"", "Flush the stream's buffered output."},

	// os.environ
	"_Environ.get":    {"key, default=None", "Return the environment variable key if it exists, else default."},
	"_Environ.keys":   {"", "Return the names of the environment variables, sorted."},
	"_Environ.values": {"", "Return the values of the environment variables, in the order of keys()."},
	"_Environ.items":  {"", "Return (name, value) pairs of the environment variables, sorted."},
	"_Environ.copy":   {"", "Return the environment as a dict."},

	// A Logger's methods (logging.getLogger(name)).
	"Logger.debug":             {"msg, *args, **kwargs", "Log msg % args with severity 'DEBUG'."},
	"Logger.info":              {"msg, *args, **kwargs", "Log msg % args with severity 'INFO'."},
	"Logger.warning":           {"msg, *args, **kwargs", "Log msg % args with severity 'WARNING'."},
	"Logger.warn":              {"msg, *args, **kwargs", "Log msg % args with severity 'WARNING' (a deprecated alias of warning)."},
	"Logger.error":             {"msg, *args, **kwargs", "Log msg % args with severity 'ERROR'."},
	"Logger.exception":         {"msg, *args, exc_info=True, **kwargs", "Log msg % args with severity 'ERROR' and the exception information."},
	"Logger.critical":          {"msg, *args, **kwargs", "Log msg % args with severity 'CRITICAL'."},
	"Logger.fatal":             {"msg, *args, **kwargs", "Log msg % args with severity 'CRITICAL' (an alias of critical)."},
	"Logger.log":               {"level, msg, *args, **kwargs", "Log msg % args with the integer severity level."},
	"Logger.setLevel":          {"level", "Set the logging level of this logger (a number or a level name)."},
	"Logger.getEffectiveLevel": {"", "Return this logger's level, or its nearest ancestor's when it has none."},
	"Logger.isEnabledFor":      {"level", "Return whether this logger handles records of severity level."},
}

// builtinHelpKey returns b's key in builtinHelps, or "" when b is none of
// kstar's. A method is keyed by its receiver's type. A function has no
// receiver: it is one of the predeclared globals or Starlark's universe
// when it is that very value (a host's own "print" is not); otherwise it
// is taken for the module function of the same name, when exactly one
// documented module function has that name (the builtin itself does not
// say which module made it; modules are built afresh for each execution).
func builtinHelpKey(b *starlark.Builtin) string {
	name := b.Name()
	if recv := b.Receiver(); recv != nil {
		switch recv := recv.(type) {
		case *clientClass: // an unbound method: KafkaProducer.send
			return recv.name + "." + name
		case namedTuple, *NamedTupleType: // documented once for all
			return "namedtuple." + name
		}
		return PyTypeName(recv) + "." + name
	}
	if v, ok := globals[name]; ok && v == starlark.Value(b) {
		return name
	}
	if v, ok := starlark.Universe[name]; ok && v == starlark.Value(b) {
		return name
	}
	return moduleFuncKeys()[name]
}

var (
	moduleFuncKeysOnce sync.Once
	moduleFuncKeysMap  map[string]string
)

// moduleFuncKeys maps a function name to its builtinHelps key, for names
// that exactly one documented module function has ("dumps": "json.dumps").
// It is built on first use, once every module has registered itself.
func moduleFuncKeys() map[string]string {
	moduleFuncKeysOnce.Do(func() {
		keys := map[string][]string{}
		for key := range builtinHelps {
			i := strings.LastIndexByte(key, '.')
			if i < 0 {
				continue
			}
			if _, isModule := moduleMakers[key[:i]]; isModule {
				keys[key[i+1:]] = append(keys[key[i+1:]], key)
			}
		}
		moduleFuncKeysMap = map[string]string{}
		for name, ks := range keys {
			if len(ks) == 1 {
				moduleFuncKeysMap[name] = ks[0]
			}
		}
	})
	return moduleFuncKeysMap
}

// builtinHelpText is what help(b) prints: the signature, "method of T
// instance" for a method as Python says it, and the one-line doc indented
// below. A builtin kstar does not document shows NAME(...).
func builtinHelpText(b *starlark.Builtin) string {
	suffix := ""
	if recv := b.Receiver(); recv != nil {
		suffix = " method of " + PyTypeName(recv) + " instance"
	}
	h, ok := builtinHelps[builtinHelpKey(b)]
	if _, unbound := b.Receiver().(*clientClass); unbound && ok {
		// Python shows a class's function with self first.
		return b.Name() + "(" + strings.TrimSuffix("self, "+h.params, ", ") + ")\n    " + h.doc
	}
	if !ok {
		kind := "built-in function"
		if suffix != "" {
			kind = "built-in method"
		}
		return b.Name() + "(...)" + suffix + "\n    " + kind
	}
	return b.Name() + "(" + h.params + ")" + suffix + "\n    " + h.doc
}
