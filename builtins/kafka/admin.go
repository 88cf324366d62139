package kafka

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// KafkaAdminClientClass is kafka.KafkaAdminClient (also
// kafka.admin.KafkaAdminClient): KafkaAdminClient(**configs) connects an
// admin client.
var KafkaAdminClientClass = &clientClass{
	name:    "KafkaAdminClient",
	pyPath:  "kafka.admin.client.KafkaAdminClient",
	keys:    adminKeyNames,
	methods: func() []string { return adminMethods.Names() },
	construct: func(thread *starlark.Thread, _ starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return newKafkaAdminClient(thread, kwargs)
	},
	doc: `KafkaAdminClient(**configs)
    kafka-python's admin client on franz-go's kadm: manage topics, configs,
    consumer groups and their offsets. The constructor checks that the
    cluster answers (NoBrokersAvailable otherwise).
    Topics: create_topics([NewTopic(name, num_partitions, replication_factor)],
    timeout_ms=None, validate_only=False), delete_topics(names),
    list_topics(), describe_topics(names=None),
    create_partitions({name: NewPartitions(total)}),
    delete_records({TopicPartition: offset}).
    Configs: describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)],
    include_synonyms=False), alter_configs([ConfigResource(type, name, {k: v})]).
    Groups: list_consumer_groups(), describe_consumer_groups(ids),
    list_consumer_group_offsets(id, partitions=None),
    delete_consumer_groups(ids), alter_group_offsets(id, {tp: offset}),
    reset_group_offsets(id, {tp or topic: OffsetSpec.EARLIEST |
    OffsetTimestamp(ms) | offset}), list_consumer_group_lag(id) (kstar's).
    3.0 names: list_groups, describe_groups, delete_groups,
    list_group_offsets. Also describe_cluster(), close().`,
}

// KafkaAdminClient is kafka-python's KafkaAdminClient on a franz-go client
// and kadm. It lives on the script's thread; no franz-go goroutine touches
// Starlark values.
type KafkaAdminClient struct {
	env            *KafkaEnv
	config         *starlark.Dict
	cl             *kgo.Client
	shared         bool // cl is the host's (KafkaEnv.HostClient): never closed here
	adm            *kadm.Client
	requestTimeout time.Duration
	closed         bool
	id             uint32
}

var (
	_ starlark.HasAttrs = (*KafkaAdminClient)(nil)
	_ Client            = (*KafkaAdminClient)(nil)
)

var (
	adminSpecOnce = sync.OnceValue(adminSpec)
	adminIDs      atomic.Uint32
)

func newKafkaAdminClient(thread *starlark.Thread, kwargs []starlark.Tuple) (*KafkaAdminClient, error) {
	spec := adminSpecOnce()
	cfg, err := spec.Parse(kwargs)
	if err != nil {
		return nil, err
	}
	env := KafkaEnvOf(thread)
	opts, err := clientOpts(thread, env, cfg)
	if err != nil {
		return nil, err
	}
	opts = append(opts, kgo.MaxVersions(adminVersions()))
	cl, shared, err := env.OpenClient(AdminClient, opts)
	if err != nil {
		return nil, err
	}
	// kafka-python's constructor connects and probes the cluster.
	if err := pingCluster(thread, cl, cfg); err != nil {
		if !shared {
			cl.Close()
		}
		return nil, err
	}
	a := &KafkaAdminClient{
		env:            env,
		config:         configDict(spec, cfg),
		cl:             cl,
		shared:         shared,
		adm:            kadm.NewClient(cl),
		requestTimeout: cfgDuration(cfg, "request_timeout_ms"),
		id:             adminIDs.Add(1),
	}
	env.Track(a)
	return a, nil
}

// adminVersions caps DescribeGroups below v6, where an unknown group is
// an error: kafka-python 2.0.2 (v1-v3) sees it as a group in state 'Dead'.
func adminVersions() *kversion.Versions {
	v := kversion.Stable()
	v.SetMaxKeyVersion(int16(kmsg.DescribeGroups), 5)
	return v
}

// ---- the Starlark value ----

func (a *KafkaAdminClient) String() string {
	return fmt.Sprintf("<kafka.admin.client.KafkaAdminClient object at %p>", a)
}
func (a *KafkaAdminClient) Type() string         { return "KafkaAdminClient" }
func (a *KafkaAdminClient) Freeze()              {}
func (a *KafkaAdminClient) Truth() starlark.Bool { return true }

// Hash is by identity, as for Python objects.
func (a *KafkaAdminClient) Hash() (uint32, error) { return a.id, nil }

// adminMethods are KafkaAdminClient's methods, by name: kafka-python
// 2.0.2's, its later additions kstar has (delete_records,
// alter_group_offsets, reset_group_offsets), kafka-python 3.0's names of
// the group methods, and list_consumer_group_lag.
var adminMethods = py.MethodTable[*KafkaAdminClient]{
	"create_topics":               (*KafkaAdminClient).pyCreateTopics,
	"delete_topics":               (*KafkaAdminClient).pyDeleteTopics,
	"list_topics":                 (*KafkaAdminClient).pyListTopics,
	"describe_topics":             (*KafkaAdminClient).pyDescribeTopics,
	"describe_cluster":            (*KafkaAdminClient).pyDescribeCluster,
	"create_partitions":           (*KafkaAdminClient).pyCreatePartitions,
	"delete_records":              (*KafkaAdminClient).pyDeleteRecords,
	"describe_configs":            (*KafkaAdminClient).pyDescribeConfigs,
	"alter_configs":               (*KafkaAdminClient).pyAlterConfigs,
	"list_consumer_groups":        (*KafkaAdminClient).pyListConsumerGroups,
	"describe_consumer_groups":    (*KafkaAdminClient).pyDescribeConsumerGroups,
	"list_consumer_group_offsets": (*KafkaAdminClient).pyListConsumerGroupOffsets,
	"delete_consumer_groups":      (*KafkaAdminClient).pyDeleteConsumerGroups,
	"alter_group_offsets":         (*KafkaAdminClient).pyAlterGroupOffsets,
	"reset_group_offsets":         (*KafkaAdminClient).pyResetGroupOffsets,
	"list_consumer_group_lag":     (*KafkaAdminClient).pyListConsumerGroupLag,
	"close":                       (*KafkaAdminClient).pyClose,
	"__enter__":                   clientEnter[*KafkaAdminClient],
	"__exit__":                    clientExit((*KafkaAdminClient).pyClose),
	// kafka-python 3.0's names; they return the 2.0.2 shapes.
	"list_groups":        (*KafkaAdminClient).pyListConsumerGroups,
	"describe_groups":    (*KafkaAdminClient).pyDescribeConsumerGroups,
	"delete_groups":      (*KafkaAdminClient).pyDeleteConsumerGroups,
	"list_group_offsets": (*KafkaAdminClient).pyListConsumerGroupOffsets,
}

// Attr returns a bound method, or the config dict.
func (a *KafkaAdminClient) Attr(name string) (starlark.Value, error) {
	if name == "config" {
		return a.config, nil
	}
	return adminMethods.Bind(a, name), nil
}

// AttrNames lists the methods and config.
func (a *KafkaAdminClient) AttrNames() []string { return adminMethods.Names("config") }

// Shutdown closes the client when the script ends.
func (a *KafkaAdminClient) Shutdown(thread *starlark.Thread, timeout time.Duration) error {
	a.close()
	return nil
}

func (a *KafkaAdminClient) close() {
	if a.closed {
		return
	}
	a.closed = true
	if a.shared {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.cl.Close()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

// close() closes the connections; a second call does nothing.
func (a *KafkaAdminClient) pyClose(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	if !a.closed {
		a.close()
		a.env.Untrack(a)
	}
	return starlark.None, nil
}

// ---- running a call ----

// do runs fn, with the interpreter lock released (the script's other
// threads run meanwhile), with the call's context: the script's, bounded by
// request_timeout_ms plus extra (the call's own timeout_ms). A script
// interrupt returns Interrupted; the time limit KafkaTimeoutError; other
// franz-go errors their kafka.errors class.
func (a *KafkaAdminClient) do(thread *starlark.Thread, name string, extra time.Duration, fn func(ctx context.Context) error) error {
	if a.closed {
		return py.NewException(IllegalStateError, "KafkaAdminClient is closed")
	}
	parent := py.ContextOf(thread)
	limit := a.requestTimeout + extra
	ctx, cancel := context.WithTimeout(parent, limit)
	defer cancel()
	var err error
	py.Unlocked(thread, func() { err = fn(ctx) }) // fn touches no Starlark value
	switch {
	case err == nil:
		return nil
	case parent.Err() != nil:
		return py.Interrupted(parent)
	case py.AsException(err) != nil:
		return err
	case ctx.Err() != nil && firstKerr(err) == nil:
		e := py.Errorf(KafkaTimeoutError, "%s() timed out after %s", name, limit)
		e.Cause = err
		return e
	}
	return KafkaException(err)
}

// firstKerr finds a Kafka error code inside err (also inside kadm's
// ShardErrors).
func firstKerr(err error) *kerr.Error {
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke
	}
	return nil
}

// errorClass is the kafka.errors class of a per-item error: NoError for
// nil.
func errorClass(err error) *py.ExceptionClass {
	if err == nil {
		return BrokerError(0)
	}
	if ke := firstKerr(err); ke != nil {
		return BrokerError(ke.Code)
	}
	return KafkaException(err).Class
}

// failed is kafka-python's error for a request one of whose items failed:
// "Request '...' failed with response '...'.", raised as the item's class.
func failed(code int16, req, resp *protoStruct) *py.Exception {
	return py.Errorf(BrokerError(code), "Request '%s' failed with response '%s'.", req.PyRepr(), resp.PyRepr())
}

// topicResults is the response kafka-python returns for a per-topic
// request (create_topics, delete_topics, create_partitions): schema's
// struct of the throttle time and items, one (topic, error_code, ...)
// tuple per topic. The first topic with an error code raises it (failed).
func topicResults(schema *protoSchema, throttleMillis int32, items []starlark.Tuple, req *protoStruct) (starlark.Value, error) {
	out := newProtoStruct(schema, starlark.MakeInt(int(throttleMillis)), tupleList(items))
	for _, item := range items {
		if code, _ := starlark.AsInt32(item[1]); code != 0 {
			return nil, failed(int16(code), req, out)
		}
	}
	return out, nil
}

// timeoutArg reads a timeout_ms argument: None is request_timeout_ms, as
// in kafka-python.
func (a *KafkaAdminClient) timeoutArg(v starlark.Value) (time.Duration, error) {
	switch x := v.(type) {
	case starlark.NoneType:
		return a.requestTimeout, nil
	case starlark.Int:
		if n, ok := x.Int64(); ok && n >= 0 && n <= 1<<31-1 {
			return time.Duration(n) * time.Millisecond, nil
		}
		return 0, py.Errorf(py.ValueError, "timeout_ms must be between 0 and 2147483647, not %s", x)
	case starlark.Float:
		if x >= 0 && x <= 1<<31-1 {
			return time.Duration(float64(x) * float64(time.Millisecond)), nil
		}
		return 0, py.Errorf(py.ValueError, "timeout_ms must be between 0 and 2147483647, not %s", py.Repr(x))
	}
	return 0, py.Errorf(py.TypeError, "timeout_ms must be int or None, not %s", py.TypeName(v))
}

func millis(d time.Duration) int32 { return int32(d / time.Millisecond) }

// coordinatorArg checks group_coordinator_id / partition_leader_id:
// kstar accepts an int or None and lets franz-go find the right broker.
func coordinatorArg(name string, v starlark.Value) error {
	switch v.(type) {
	case starlark.NoneType, starlark.Int:
		return nil
	}
	return py.Errorf(py.TypeError, "%s must be int or None, not %s", name, py.TypeName(v))
}

// stringsArg reads a list of names; a bare str is one name (kafka-python
// would iterate its characters).
func stringsArg(what string, v starlark.Value) ([]string, error) {
	if s, ok := v.(starlark.String); ok {
		return []string{string(s)}, nil
	}
	var iter starlark.Iterator
	switch v.(type) {
	case *starlark.List, starlark.Tuple, *starlark.Set:
		iter = v.(starlark.Iterable).Iterate()
	default:
		return nil, py.Errorf(py.TypeError, "%s must be a list of str, not %s", what, py.TypeName(v))
	}
	defer iter.Done()
	var out []string
	var x starlark.Value
	for iter.Next(&x) {
		s, ok := x.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "%s must be a list of str, not a list of %s", what, py.TypeName(x))
		}
		out = append(out, string(s))
	}
	return out, nil
}

// tpDict reads a {TopicPartition: value} dict, calling each for every
// item in the dict's order.
func tpDict(what string, v starlark.Value, each func(t tp, value starlark.Value) error) error {
	d, ok := v.(*starlark.Dict)
	if !ok {
		return py.Errorf(py.TypeError, "%s must be a dict keyed by TopicPartition, not %s", what, py.TypeName(v))
	}
	for _, kv := range d.Items() {
		topic, partition, ok := AsTopicPartition(kv[0])
		if !ok {
			return py.Errorf(py.TypeError, "%s keys must be TopicPartition, not %s", what, py.TypeName(kv[0]))
		}
		if err := each(tp{topic, partition}, kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// tpList reads a list of TopicPartitions.
func tpList(what string, v starlark.Value) ([]tp, error) {
	iter, ok := listIter(v)
	if !ok {
		if s, isSet := v.(*starlark.Set); isSet {
			iter, ok = s.Iterate(), true
		}
	}
	if !ok {
		return nil, py.Errorf(py.TypeError, "%s must be a list of TopicPartition, not %s", what, py.TypeName(v))
	}
	defer iter.Done()
	var out []tp
	var x starlark.Value
	for iter.Next(&x) {
		topic, partition, ok := AsTopicPartition(x)
		if !ok {
			return nil, py.Errorf(py.TypeError, "%s must be a list of TopicPartition, not a list of %s", what, py.TypeName(x))
		}
		out = append(out, tp{topic, partition})
	}
	return out, nil
}

func derefStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// pyDict builds a dict from alternating keys and values, in that order.
func pyDict(kvs ...any) *starlark.Dict {
	d := starlark.NewDict(len(kvs) / 2)
	for i := 0; i < len(kvs); i += 2 {
		_ = d.SetKey(starlark.String(kvs[i].(string)), kvs[i+1].(starlark.Value))
	}
	return d
}
