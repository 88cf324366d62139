package kafka

import (
	"fmt"
	"math"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// consumerDefaults are the consumer's values for keys every client
// accepts, where kafka-python's consumer differs from the shared default.
var consumerDefaults = map[string]starlark.Value{
	"client_id":          starlark.String("kafka-python-2.0.2"),
	"request_timeout_ms": starlark.MakeInt(305000),
}

// consumerKeys are the keys only KafkaConsumer accepts, with kafka-python
// 2.0.2's defaults (keys added in 2.1-3.0 carry those versions' defaults).
// Keys that kstar accepts but cannot honour say why in Ignored.
var consumerKeys = []ConfigKey{
	{Name: "group_id", Default: starlark.None, Check: IsStr(true)},
	{Name: "group_instance_id", Default: starlark.None, Check: IsStr(true)},
	{Name: "client_rack", Default: starlark.String(""), Check: IsStr(true)},
	{Name: "key_deserializer", Default: starlark.None, Check: isDeserializer},
	{Name: "value_deserializer", Default: starlark.None, Check: isDeserializer},
	{Name: "enable_incremental_fetch_sessions", Default: starlark.True, Check: IsBool},
	{Name: "fetch_min_bytes", Default: starlark.MakeInt(1), Check: isPositiveIntValue},
	{Name: "fetch_max_wait_ms", Default: starlark.MakeInt(500), Check: isNonNegativeIntValue},
	{Name: "fetch_max_bytes", Default: starlark.MakeInt(52428800), Check: isPositiveIntValue},
	{Name: "max_partition_fetch_bytes", Default: starlark.MakeInt(1048576), Check: isPositiveIntValue},
	{Name: "auto_offset_reset", Default: starlark.String("latest"),
		Check: OneOf(starlark.String("earliest"), starlark.String("latest"), starlark.String("smallest"), starlark.String("largest"), starlark.String("none"), starlark.None)},
	{Name: "enable_auto_commit", Default: starlark.True, Check: IsBool},
	{Name: "auto_commit_interval_ms", Default: starlark.MakeInt(5000), Check: isPositiveIntValue},
	{Name: "default_offset_commit_callback", Default: starlark.None, Check: IsCallable(true)},
	{Name: "check_crcs", Default: starlark.True, Check: IsBool},
	{Name: "isolation_level", Default: starlark.String("read_uncommitted"),
		Check: OneOf(starlark.String("read_uncommitted"), starlark.String("read_committed"))},
	{Name: "allow_auto_create_topics", Default: starlark.True, Check: IsBool},
	{Name: "partition_assignment_strategy", Default: starlark.Tuple{RangePartitionAssignor, RoundRobinPartitionAssignor}, Check: isAssignorListValue},
	{Name: "max_poll_records", Default: starlark.MakeInt(500), Check: isPositiveIntValue},
	{Name: "max_poll_interval_ms", Default: starlark.MakeInt(300000), Check: isPositiveIntValue},
	{Name: "session_timeout_ms", Default: starlark.MakeInt(10000), Check: isPositiveIntValue},
	{Name: "heartbeat_interval_ms", Default: starlark.MakeInt(3000), Check: isPositiveIntValue},
	{Name: "consumer_timeout_ms", Default: starlark.Float(math.Inf(1)), Check: IsNumber(false)},
	{Name: "exclude_internal_topics", Default: starlark.True, Check: IsBool},
	{Name: "metric_group_prefix", Default: starlark.String("consumer"), Check: IsStr(false)},
	{Name: "legacy_iterator", Default: starlark.False, Check: IsBool,
		Ignored: "kafka-python 2.0.2's switch back to its pre-1.4.7 iterator (removed in 2.1); kstar has one iterator"},
}

// consumerKeyDocs says what the consumer does with each of its own keys
// (and with common keys whose meaning differs for a consumer); the table
// of docs/consumer-config.md is made from it.
var consumerKeyDocs = map[string]string{
	"group_id":                          "`kgo.ConsumerGroup`; None: no group coordination and no commits, and a subscription takes every partition of its topics (kafka-python's behaviour)",
	"group_instance_id":                 "`kgo.InstanceID` (static membership, KIP-345)",
	"client_rack":                       "`kgo.Rack` (fetch from the closest replica, KIP-392)",
	"key_deserializer":                  "called on the script's thread as kafka-python calls it, also for None: a callable `f(bytes)`, or an object with `deserialize(topic, bytes)` (2.x) or `deserialize(topic, headers, bytes)` (3.0); a failure stops the script, naming the record, which is not committed",
	"value_deserializer":                "as key_deserializer, for values",
	"enable_incremental_fetch_sessions": "False: `kgo.DisableFetchSessions`",
	"fetch_min_bytes":                   "`kgo.FetchMinBytes`",
	"fetch_max_wait_ms":                 "`kgo.FetchMaxWait`",
	"fetch_max_bytes":                   "`kgo.FetchMaxBytes`",
	"max_partition_fetch_bytes":         "`kgo.FetchMaxPartitionBytes`",
	"request_timeout_ms":                "`kgo.RequestTimeoutOverhead`; also bounds commits at close and offset look-ups (`KafkaTimeoutError: Failed to get offsets by timestamps in N ms`); leaving the group waits at most 5 s",
	"auto_offset_reset":                 "where a partition without a committed offset starts, and where one whose fetch answers OFFSET_OUT_OF_RANGE (a seek past the end, or before the log start) restarts: 'earliest' (alias 'smallest'), 'latest' (alias 'largest'), or 'none' / None (NoOffsetForPartitionError, and OffsetOutOfRangeError({tp: offset}) from poll and iteration); anything else is a KafkaConfigurationError",
	"enable_auto_commit":                "with a group_id, commits the positions of the records iteration and poll() returned: every auto_commit_interval_ms (checked during iteration and poll, as kafka-python does), before a rebalance, and at close() / the end of the script (where a failed commit is a warning, as kafka-python logs it)",
	"auto_commit_interval_ms":           "interval of the auto-commit",
	"default_offset_commit_callback":    "called as `callback(offsets, None_or_exception)` on the script's thread after a commit_async() that passed no callback",
	"check_crcs":                        "False: `kgo.DisableFetchCRCValidation`",
	"isolation_level":                   "`kgo.FetchIsolationLevel`: 'read_committed' hides aborted transactions and stops at open ones; end_offsets() then reports the last stable offset",
	"allow_auto_create_topics":          "`kgo.AllowAutoTopicCreation`: subscribing to a missing topic creates it where the broker allows it, as kafka-python's metadata requests do",
	"partition_assignment_strategy":     "`kgo.Balancers`: RangePartitionAssignor, RoundRobinPartitionAssignor, StickyPartitionAssignor (the classes of kafka.coordinator.assignors.*, or their protocol names 'range', 'roundrobin', 'sticky'); members of a group agree with kafka-python members on the protocol",
	"max_poll_records":                  "records per poll(); iteration runs rebalance listeners, commit callbacks and the auto-commit at least every this many records",
	"max_poll_interval_ms":              "`kgo.RebalanceTimeout`",
	"session_timeout_ms":                "`kgo.SessionTimeout`",
	"heartbeat_interval_ms":             "`kgo.HeartbeatInterval`",
	"consumer_timeout_ms":               "iteration ends (StopIteration) after this long without a record, restarting the clock on each record; the consumer can be iterated again",
	"exclude_internal_topics":           "topics() and pattern subscriptions skip internal topics",
	"metric_group_prefix":               "prefix of the metrics() group names",
	"metadata_max_age_ms":               "`kgo.MetadataMaxAge`: also how soon a pattern subscription sees a topic created later",
}

// consumerTableDefaults are the consumer defaults its docs table shows
// in words.
var consumerTableDefaults = map[string]string{
	"consumer_timeout_ms":           "float('inf')",
	"partition_assignment_strategy": "(RangePartitionAssignor, RoundRobinPartitionAssignor)",
}

// ConsumerConfigTable renders the consumer's keys as the Markdown table of
// docs/consumer-config.md: key, default, and what kstar does with it.
func ConsumerConfigTable() string {
	return consumerSpec().Table(consumerKeyDocs, consumerTableDefaults)
}

// consumerSpec is the full key table of KafkaConsumer: the keys every
// client accepts (consumer defaults) plus the consumer's own.
func consumerSpec() *ConfigSpec {
	keys := commonConfigKeys(consumerDefaults)
	have := make(map[string]bool, len(keys))
	for i, k := range keys {
		have[k.Name] = true
		if k.Name == "max_in_flight_requests_per_connection" {
			keys[i].Ignored = "franz-go keeps one fetch in flight per broker and pipelines the other requests itself"
		}
	}
	for _, k := range consumerKeys {
		if !have[k.Name] {
			keys = append(keys, k)
		}
	}
	return &ConfigSpec{Client: "KafkaConsumer", Keys: keys}
}

// consumerSettings are the parsed values the consumer acts on.
type consumerSettings struct {
	groupID            string // "" for None
	instanceID         string
	keyDeser           starlark.Value // nil for None
	valueDeser         starlark.Value
	reset              string // "earliest", "latest" or "none"
	autoCommit         bool   // enable_auto_commit with a group_id
	autoCommitInterval time.Duration
	commitCallback     starlark.Value // nil for None
	maxPollRecords     int
	consumerTimeout    time.Duration // < 0: forever
	excludeInternal    bool
	requestTimeout     time.Duration
	retryBackoff       time.Duration
	metadataMaxAge     time.Duration
	autoCreate         bool
}

// cfgMillis returns an integer millisecond key as a duration.
func cfgMillis(cfg *Config, key string, def int64) time.Duration {
	return time.Duration(cfg.Int(key, def)) * time.Millisecond
}

// cfgHasKey reports whether the spec has a key (common keys are owned by
// client_config.go; the consumer reads a few of them).
func cfgHasKey(cfg *Config, key string) bool {
	_, ok := cfg.values[key]
	return ok
}

// cfgIntOr reads an int key that may be absent from the spec.
func cfgIntOr(cfg *Config, key string, def int64) int64 {
	if !cfgHasKey(cfg, key) {
		return def
	}
	return cfg.Int(key, def)
}

// parseConsumerSettings reads the parsed config and checks the rules
// kafka-python enforces between keys.
func parseConsumerSettings(cfg *Config) (*consumerSettings, error) {
	s := &consumerSettings{
		groupID:            cfg.String("group_id"),
		instanceID:         cfg.String("group_instance_id"),
		autoCommitInterval: cfgMillis(cfg, "auto_commit_interval_ms", 5000),
		maxPollRecords:     int(cfg.Int("max_poll_records", 500)),
		excludeInternal:    cfg.Bool("exclude_internal_topics"),
		requestTimeout:     time.Duration(cfgIntOr(cfg, "request_timeout_ms", 305000)) * time.Millisecond,
		retryBackoff:       time.Duration(cfgIntOr(cfg, "retry_backoff_ms", 100)) * time.Millisecond,
		metadataMaxAge:     time.Duration(cfgIntOr(cfg, "metadata_max_age_ms", 300000)) * time.Millisecond,
		autoCreate:         cfg.Bool("allow_auto_create_topics"),
	}
	if !cfg.IsNone("key_deserializer") {
		s.keyDeser = cfg.Get("key_deserializer")
	}
	if !cfg.IsNone("value_deserializer") {
		s.valueDeser = cfg.Get("value_deserializer")
	}
	if !cfg.IsNone("default_offset_commit_callback") {
		s.commitCallback = cfg.Get("default_offset_commit_callback")
	}
	switch cfg.String("auto_offset_reset") {
	case "earliest", "smallest":
		s.reset = "earliest"
	case "latest", "largest":
		s.reset = "latest"
	default:
		s.reset = "none"
	}
	switch t := cfg.Get("consumer_timeout_ms").(type) {
	case starlark.Float:
		if math.IsInf(float64(t), 1) || float64(t) > float64(math.MaxInt64/int64(time.Millisecond)) {
			s.consumerTimeout = -1
		} else {
			s.consumerTimeout = time.Duration(float64(t) * float64(time.Millisecond))
		}
	case starlark.Int:
		ms, _ := t.Int64()
		s.consumerTimeout = time.Duration(ms) * time.Millisecond
	}
	if s.consumerTimeout < -1 {
		s.consumerTimeout = 0
	}
	s.autoCommit = cfg.Bool("enable_auto_commit") && s.groupID != ""

	fetchWait := cfg.Int("fetch_max_wait_ms", 500)
	reqTimeout := cfgIntOr(cfg, "request_timeout_ms", 305000)
	idle := cfgIntOr(cfg, "connections_max_idle_ms", 540000)
	if !(fetchWait < reqTimeout && reqTimeout < idle) {
		return nil, py.Errorf(KafkaConfigurationError,
			"connections_max_idle_ms (%d) must be larger than request_timeout_ms (%d) which must be larger than fetch_max_wait_ms (%d).",
			idle, reqTimeout, fetchWait)
	}
	if s.groupID != "" {
		session := cfg.Int("session_timeout_ms", 10000)
		if reqTimeout <= session {
			return nil, py.Errorf(KafkaConfigurationError, "Request timeout (%d) must be larger than session timeout (%d)", reqTimeout, session)
		}
		if cfg.Int("heartbeat_interval_ms", 3000) > session {
			return nil, py.NewException(py.AssertionError, "Heartbeat interval must be lower than the session timeout")
		}
	} else if s.instanceID != "" {
		return nil, py.NewException(KafkaConfigurationError, "group_instance_id requires group_id")
	}
	return s, nil
}

// consumerOpts maps the consumer's keys to franz-go options (the keys
// every client shares are mapped by clientOpts).
func consumerOpts(cfg *Config) []kgo.Opt {
	opts := []kgo.Opt{
		kgo.FetchMinBytes(int32(min(cfg.Int("fetch_min_bytes", 1), math.MaxInt32))),
		kgo.FetchMaxWait(cfgMillis(cfg, "fetch_max_wait_ms", 500)),
		kgo.FetchMaxBytes(int32(min(cfg.Int("fetch_max_bytes", 52428800), math.MaxInt32))),
		kgo.FetchMaxPartitionBytes(int32(min(cfg.Int("max_partition_fetch_bytes", 1048576), math.MaxInt32))),
	}
	if !cfg.Bool("enable_incremental_fetch_sessions") {
		opts = append(opts, kgo.DisableFetchSessions())
	}
	if !cfg.Bool("check_crcs") {
		opts = append(opts, kgo.DisableFetchCRCValidation())
	}
	if cfg.String("isolation_level") == "read_committed" {
		opts = append(opts, kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	}
	if rack := cfg.String("client_rack"); rack != "" {
		opts = append(opts, kgo.Rack(rack))
	}
	if cfg.Bool("allow_auto_create_topics") {
		opts = append(opts, kgo.AllowAutoTopicCreation())
	}
	return opts
}

// groupOpts maps the group keys to franz-go options.
func groupOpts(cfg *Config, s *consumerSettings) []kgo.Opt {
	opts := []kgo.Opt{
		kgo.ConsumerGroup(s.groupID),
		kgo.SessionTimeout(cfgMillis(cfg, "session_timeout_ms", 10000)),
		kgo.HeartbeatInterval(cfgMillis(cfg, "heartbeat_interval_ms", 3000)),
		kgo.RebalanceTimeout(cfgMillis(cfg, "max_poll_interval_ms", 300000)),
		// kstar commits itself, as kafka-python does: positions advance as
		// records are yielded, and auto-commit runs during iteration/poll.
		kgo.DisableAutoCommit(),
		kgo.Balancers(assignorBalancers(cfg.Get("partition_assignment_strategy"))...),
	}
	if s.instanceID != "" {
		opts = append(opts, kgo.InstanceID(s.instanceID))
	}
	return opts
}

// isDeserializer accepts None, a callable, or an object with a callable
// deserialize attribute (kafka-python's Deserializer).
func isDeserializer(v starlark.Value) error {
	if v == starlark.None {
		return nil
	}
	if _, ok := v.(starlark.Callable); ok {
		return nil
	}
	if deserializeMethod(v) != nil {
		return nil
	}
	return fmt.Errorf("want a callable or an object with deserialize(), got %s (%s)", py.TypeName(v), py.Repr(v))
}

// deserializeMethod returns v.deserialize when v is a Deserializer-like
// object, or nil.
func deserializeMethod(v starlark.Value) starlark.Callable {
	ha, ok := v.(starlark.HasAttrs)
	if !ok {
		return nil
	}
	m, err := ha.Attr("deserialize")
	if err != nil || m == nil {
		return nil
	}
	c, _ := m.(starlark.Callable)
	return c
}

func isPositiveIntValue(v starlark.Value) error {
	i, ok := v.(starlark.Int)
	if !ok {
		return wantType("int", false, v)
	}
	if i.Sign() <= 0 {
		return fmt.Errorf("must be positive, not %s", py.Repr(v))
	}
	return fitsInt64(i)
}

func isNonNegativeIntValue(v starlark.Value) error {
	i, ok := v.(starlark.Int)
	if !ok {
		return wantType("int", false, v)
	}
	if i.Sign() < 0 {
		return fmt.Errorf("must not be negative, not %s", py.Repr(v))
	}
	return fitsInt64(i)
}

// Assignor is one of kafka-python's partition assignor classes, as
// partition_assignment_strategy takes them. Its franz-go balancer speaks
// the same protocol name, so kstar members and kafka-python members of one
// group agree on assignments.
type Assignor struct {
	Module, ClassName string
	// Protocol is the assignor's name in the group protocol.
	Protocol string
	balancer func() kgo.GroupBalancer
}

// kafka-python's assignors, under their module paths.
var (
	RangePartitionAssignor = &Assignor{"kafka.coordinator.assignors.range", "RangePartitionAssignor", "range", kgo.RangeBalancer}
	// RoundRobinPartitionAssignor assigns partitions one by one in turn.
	RoundRobinPartitionAssignor = &Assignor{"kafka.coordinator.assignors.roundrobin", "RoundRobinPartitionAssignor", "roundrobin", kgo.RoundRobinBalancer}
	// StickyPartitionAssignor keeps partitions where they were.
	StickyPartitionAssignor = &Assignor{"kafka.coordinator.assignors.sticky.sticky_assignor", "StickyPartitionAssignor", "sticky", kgo.StickyBalancer}
	knownAssignors          = []*Assignor{RangePartitionAssignor, RoundRobinPartitionAssignor, StickyPartitionAssignor}
)

var _ starlark.Callable = (*Assignor)(nil)

func (a *Assignor) String() string        { return "<class '" + a.Module + "." + a.ClassName + "'>" }
func (a *Assignor) Type() string          { return "type" }
func (a *Assignor) Freeze()               {}
func (a *Assignor) Truth() starlark.Bool  { return true }
func (a *Assignor) Hash() (uint32, error) { return starlark.String(a.ClassName).Hash() }
func (a *Assignor) Name() string          { return a.ClassName }

// CallInternal returns the class itself: kafka-python 3.0 accepts
// instances where 2.0.2 wanted classes, and both mean the same here.
func (a *Assignor) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 || len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "%s() takes no arguments", a.ClassName)
	}
	return a, nil
}

// Attr exposes the assignor's protocol name, as kafka-python's .name.
func (a *Assignor) Attr(name string) (starlark.Value, error) {
	if name == "name" {
		return starlark.String(a.Protocol), nil
	}
	return nil, nil
}

// AttrNames lists name.
func (a *Assignor) AttrNames() []string { return []string{"name"} }

// assignorByName accepts an Assignor or its protocol name ('range', ...).
func assignorByName(v starlark.Value) *Assignor {
	switch v := v.(type) {
	case *Assignor:
		return v
	case starlark.String:
		for _, a := range knownAssignors {
			if a.Protocol == string(v) || a.ClassName == string(v) {
				return a
			}
		}
	}
	return nil
}

func isAssignorListValue(v starlark.Value) error {
	iter := starlark.Iterate(v)
	if iter == nil {
		return fmt.Errorf("want a list of partition assignors, got %s (%s)", py.TypeName(v), py.Repr(v))
	}
	defer iter.Done()
	var x starlark.Value
	n := 0
	for iter.Next(&x) {
		n++
		if assignorByName(x) == nil {
			return fmt.Errorf("unknown partition assignor %s (want RangePartitionAssignor, RoundRobinPartitionAssignor or StickyPartitionAssignor)", py.Repr(x))
		}
	}
	if n == 0 {
		return fmt.Errorf("want at least one partition assignor")
	}
	return nil
}

func assignorBalancers(v starlark.Value) []kgo.GroupBalancer {
	var out []kgo.GroupBalancer
	for x := range starlark.Elements(v.(starlark.Iterable)) {
		out = append(out, assignorByName(x).balancer())
	}
	return out
}
