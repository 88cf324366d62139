package builtins

import (
	"fmt"
	"math"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
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
	{Name: "fetch_min_bytes", Default: starlark.MakeInt(1), Check: isPositiveInt},
	{Name: "fetch_max_wait_ms", Default: starlark.MakeInt(500), Check: isNonNegativeInt},
	{Name: "fetch_max_bytes", Default: starlark.MakeInt(52428800), Check: isPositiveInt},
	{Name: "max_partition_fetch_bytes", Default: starlark.MakeInt(1048576), Check: isPositiveInt},
	{Name: "auto_offset_reset", Default: starlark.String("latest"),
		Check: OneOf(starlark.String("earliest"), starlark.String("latest"), starlark.String("smallest"), starlark.String("largest"), starlark.String("none"))},
	{Name: "enable_auto_commit", Default: starlark.True, Check: IsBool},
	{Name: "auto_commit_interval_ms", Default: starlark.MakeInt(5000), Check: isPositiveInt},
	{Name: "default_offset_commit_callback", Default: starlark.None, Check: IsCallable(true)},
	{Name: "check_crcs", Default: starlark.True, Check: IsBool},
	{Name: "isolation_level", Default: starlark.String("read_uncommitted"),
		Check: OneOf(starlark.String("read_uncommitted"), starlark.String("read_committed"))},
	{Name: "allow_auto_create_topics", Default: starlark.True, Check: IsBool},
	{Name: "partition_assignment_strategy", Default: starlark.Tuple{RangePartitionAssignor, RoundRobinPartitionAssignor}, Check: isAssignorList},
	{Name: "max_poll_records", Default: starlark.MakeInt(500), Check: isPositiveInt},
	{Name: "max_poll_interval_ms", Default: starlark.MakeInt(300000), Check: isPositiveInt},
	{Name: "session_timeout_ms", Default: starlark.MakeInt(10000), Check: isPositiveInt},
	{Name: "heartbeat_interval_ms", Default: starlark.MakeInt(3000), Check: isPositiveInt},
	{Name: "consumer_timeout_ms", Default: starlark.Float(math.Inf(1)), Check: IsNumber(false)},
	{Name: "exclude_internal_topics", Default: starlark.True, Check: IsBool},
	{Name: "metric_group_prefix", Default: starlark.String("consumer"), Check: IsStr(false)},
	{Name: "legacy_iterator", Default: starlark.False, Check: IsBool,
		Ignored: "kafka-python 2.0.2's switch back to its pre-1.4.7 iterator (removed in 2.1); kstar has one iterator"},
}

// consumerSpec is the full key table of KafkaConsumer: the keys every
// client accepts (consumer defaults) plus the consumer's own.
func consumerSpec() *ConfigSpec {
	keys := commonConfigKeys(consumerDefaults)
	have := make(map[string]bool, len(keys))
	for _, k := range keys {
		have[k.Name] = true
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
	metricPrefix       string
	requestTimeout     time.Duration
	retryBackoff       time.Duration
	metadataMaxAge     time.Duration
	autoCreate         bool
}

// msKey returns an integer millisecond key as a duration.
func msKey(cfg *Config, key string, def int64) time.Duration {
	return time.Duration(cfg.Int(key, def)) * time.Millisecond
}

// hasKey reports whether the spec has a key (common keys are owned by
// client_config.go; the consumer reads a few of them).
func hasKey(cfg *Config, key string) bool {
	_, ok := cfg.values[key]
	return ok
}

// intKey reads an int key that may be absent from the spec.
func intKey(cfg *Config, key string, def int64) int64 {
	if !hasKey(cfg, key) {
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
		autoCommitInterval: msKey(cfg, "auto_commit_interval_ms", 5000),
		maxPollRecords:     int(cfg.Int("max_poll_records", 500)),
		excludeInternal:    cfg.Bool("exclude_internal_topics"),
		metricPrefix:       cfg.String("metric_group_prefix"),
		requestTimeout:     time.Duration(intKey(cfg, "request_timeout_ms", 305000)) * time.Millisecond,
		retryBackoff:       time.Duration(intKey(cfg, "retry_backoff_ms", 100)) * time.Millisecond,
		metadataMaxAge:     time.Duration(intKey(cfg, "metadata_max_age_ms", 300000)) * time.Millisecond,
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
	reqTimeout := intKey(cfg, "request_timeout_ms", 305000)
	idle := intKey(cfg, "connections_max_idle_ms", 540000)
	if !(fetchWait < reqTimeout && reqTimeout < idle) {
		return nil, Errorf(KafkaConfigurationError,
			"connections_max_idle_ms (%d) must be larger than request_timeout_ms (%d) which must be larger than fetch_max_wait_ms (%d).",
			idle, reqTimeout, fetchWait)
	}
	if s.groupID != "" {
		session := cfg.Int("session_timeout_ms", 10000)
		if reqTimeout <= session {
			return nil, Errorf(KafkaConfigurationError, "Request timeout (%d) must be larger than session timeout (%d)", reqTimeout, session)
		}
		if cfg.Int("heartbeat_interval_ms", 3000) > session {
			return nil, NewException(AssertionError, "Heartbeat interval must be lower than the session timeout")
		}
	} else if s.instanceID != "" {
		return nil, NewException(KafkaConfigurationError, "group_instance_id requires group_id")
	}
	return s, nil
}

// consumerOpts maps the consumer's keys to franz-go options (the keys
// every client shares are mapped by clientOpts).
func consumerOpts(cfg *Config) []kgo.Opt {
	opts := []kgo.Opt{
		kgo.FetchMinBytes(int32(cfg.Int("fetch_min_bytes", 1))),
		kgo.FetchMaxWait(msKey(cfg, "fetch_max_wait_ms", 500)),
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
		kgo.SessionTimeout(msKey(cfg, "session_timeout_ms", 10000)),
		kgo.HeartbeatInterval(msKey(cfg, "heartbeat_interval_ms", 3000)),
		kgo.RebalanceTimeout(msKey(cfg, "max_poll_interval_ms", 300000)),
		// kstar commits itself, as kafka-python does: positions advance as
		// records are yielded, and auto-commit runs during iteration/poll.
		kgo.DisableAutoCommit(),
		kgo.Balancers(balancers(cfg.Get("partition_assignment_strategy"))...),
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
	return fmt.Errorf("want a callable or an object with deserialize(), got %s (%s)", PyTypeName(v), Repr(v))
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

func isPositiveInt(v starlark.Value) error {
	i, ok := v.(starlark.Int)
	if !ok {
		return wantType("int", false, v)
	}
	if i.Sign() <= 0 {
		return fmt.Errorf("must be positive, not %s", Repr(v))
	}
	return nil
}

func isNonNegativeInt(v starlark.Value) error {
	i, ok := v.(starlark.Int)
	if !ok {
		return wantType("int", false, v)
	}
	if i.Sign() < 0 {
		return fmt.Errorf("must not be negative, not %s", Repr(v))
	}
	return nil
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
	assignors               = []*Assignor{RangePartitionAssignor, RoundRobinPartitionAssignor, StickyPartitionAssignor}
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
		return nil, Errorf(TypeError, "%s() takes no arguments", a.ClassName)
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

// assignorOf accepts an Assignor or its protocol name ('range', ...).
func assignorOf(v starlark.Value) *Assignor {
	switch v := v.(type) {
	case *Assignor:
		return v
	case starlark.String:
		for _, a := range assignors {
			if a.Protocol == string(v) || a.ClassName == string(v) {
				return a
			}
		}
	}
	return nil
}

func isAssignorList(v starlark.Value) error {
	iter := starlark.Iterate(v)
	if iter == nil {
		return fmt.Errorf("want a list of partition assignors, got %s (%s)", PyTypeName(v), Repr(v))
	}
	defer iter.Done()
	var x starlark.Value
	n := 0
	for iter.Next(&x) {
		n++
		if assignorOf(x) == nil {
			return fmt.Errorf("unknown partition assignor %s (want RangePartitionAssignor, RoundRobinPartitionAssignor or StickyPartitionAssignor)", Repr(x))
		}
	}
	if n == 0 {
		return fmt.Errorf("want at least one partition assignor")
	}
	return nil
}

func balancers(v starlark.Value) []kgo.GroupBalancer {
	var out []kgo.GroupBalancer
	for x := range starlark.Elements(v.(starlark.Iterable)) {
		out = append(out, assignorOf(x).balancer())
	}
	return out
}

func init() {
	for _, a := range assignors {
		a := a
		registerModule(a.Module, func(env *Env) starlark.Value {
			return &starlarkstruct.Module{Name: a.Module, Members: starlark.StringDict{a.ClassName: a}}
		})
	}
}
