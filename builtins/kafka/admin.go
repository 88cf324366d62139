package kafka

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
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
	methods        map[string]starlark.Value // bound once (adminMethods.BindAll)
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
	a.methods = adminMethods.BindAll(a)
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
	return a.methods[name], nil
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

// unpackArgs is py.UnpackTypedArgs for the admin client's methods, which
// raise Starlark's own argument errors as TypeError.
func unpackArgs(fname string, args starlark.Tuple, kwargs []starlark.Tuple, pairs ...any) error {
	err := py.UnpackTypedArgs(fname, args, kwargs, pairs...)
	if err != nil && py.AsException(err) == nil {
		return py.NewException(py.TypeError, err.Error())
	}
	return err
}

func millis(d time.Duration) int32 { return int32(d / time.Millisecond) }

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

// ---- topics ----

// create_topics(new_topics, timeout_ms=None, validate_only=False) creates
// topics and returns kafka-python 2.0.2's CreateTopicsResponse_v3(...);
// the first topic that failed raises its error (TopicAlreadyExistsError,
// InvalidReplicationFactorError, ...). Unless validate_only, it returns
// once the cluster's metadata lists the new topics (at most timeout_ms).
func (a *KafkaAdminClient) pyCreateTopics(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var newTopics starlark.Value
	var timeoutMs adminTimeout
	var validateOnly bool
	if err := unpackArgs(b.Name(), args, kwargs, "new_topics", &newTopics, "timeout_ms?", &timeoutMs, "validate_only?", &validateOnly); err != nil {
		return nil, err
	}
	timeout := timeoutMs.or(a.requestTimeout)
	iter, ok := listIter(newTopics)
	if !ok {
		return nil, py.Errorf(py.TypeError, "create_topics() new_topics must be a list of NewTopic, not %s", py.TypeName(newTopics))
	}
	defer iter.Done()
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = millis(timeout)
	req.ValidateOnly = validateOnly
	var reqItems []starlark.Tuple
	var names []string
	var x starlark.Value
	for iter.Next(&x) {
		nt, ok := asAdminObject(x, NewTopicClass)
		if !ok {
			return nil, py.Errorf(py.TypeError, "create_topics() new_topics must be a list of NewTopic, not a list of %s", py.TypeName(x))
		}
		t, item, err := newTopicRequest(nt)
		if err != nil {
			return nil, err
		}
		if err := a.env.CheckTopic(t.Topic); err != nil {
			return nil, err
		}
		req.Topics = append(req.Topics, t)
		reqItems = append(reqItems, item)
		names = append(names, t.Topic)
	}
	reqStruct := newProtoStruct(createTopicsRequestSchema, tupleList(reqItems), starlark.MakeInt(int(req.TimeoutMillis)), starlark.Bool(validateOnly))

	var resp *kmsg.CreateTopicsResponse
	err := a.do(thread, b.Name(), timeout, func(ctx context.Context) error {
		var err error
		if resp, err = req.RequestWith(ctx, a.cl); err != nil {
			return err
		}
		if validateOnly || anyTopicError(resp) {
			return nil
		}
		a.awaitMetadata(ctx, names, timeout, func(m *kmsg.MetadataResponse) bool {
			return topicsReady(m, names, nil)
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var items []starlark.Tuple
	for _, t := range resp.Topics {
		items = append(items, starlark.Tuple{starlark.String(t.Topic), starlark.MakeInt(int(t.ErrorCode)), strOrNone(t.ErrorMessage)})
	}
	return topicResults(createTopicsResponseSchema, resp.ThrottleMillis, items, reqStruct)
}

func anyTopicError(resp *kmsg.CreateTopicsResponse) bool {
	for _, t := range resp.Topics {
		if t.ErrorCode != 0 {
			return true
		}
	}
	return false
}

// newTopicRequest turns a NewTopic into a CreateTopics request topic and
// the tuple kafka-python shows for it in the request.
func newTopicRequest(nt *adminObject) (kmsg.CreateTopicsRequestTopic, starlark.Tuple, error) {
	t := kmsg.NewCreateTopicsRequestTopic()
	name, ok := nt.get("name").(starlark.String)
	if !ok {
		return t, nil, py.Errorf(py.TypeError, "NewTopic name must be str, not %s", py.TypeName(nt.get("name")))
	}
	t.Topic = string(name)
	np, err1 := adminInt(nt.get("num_partitions"))
	rf, err2 := adminInt(nt.get("replication_factor"))
	if err1 != nil || err2 != nil {
		return t, nil, py.NewException(py.TypeError, "NewTopic num_partitions and replication_factor must be ints")
	}
	t.NumPartitions, t.ReplicationFactor = int32(np), int16(rf)
	assignments, err := replicaAssignments(nt.get("replica_assignments"))
	if err != nil {
		return t, nil, err
	}
	var assignItems []starlark.Tuple
	for _, ra := range assignments {
		r := kmsg.NewCreateTopicsRequestTopicReplicaAssignment()
		r.Partition, r.Replicas = ra.partition, ra.replicas
		t.ReplicaAssignment = append(t.ReplicaAssignment, r)
		assignItems = append(assignItems, starlark.Tuple{starlark.MakeInt(int(ra.partition)), int32List(ra.replicas)})
	}
	configs, err := configPairs("NewTopic topic_configs", nt.get("topic_configs"))
	if err != nil {
		return t, nil, err
	}
	var configItems []starlark.Tuple
	for _, c := range configs {
		rc := kmsg.NewCreateTopicsRequestTopicConfig()
		rc.Name, rc.Value = c.name, c.value
		t.Configs = append(t.Configs, rc)
		configItems = append(configItems, starlark.Tuple{starlark.String(c.name), strOrNone(c.value)})
	}
	item := starlark.Tuple{name, starlark.MakeInt(np), starlark.MakeInt(rf), tupleList(assignItems), tupleList(configItems)}
	return t, item, nil
}

// delete_topics(topics, timeout_ms=None) deletes topics and returns
// DeleteTopicsResponse_v3(...); an unknown topic raises
// UnknownTopicOrPartitionError. It returns once the cluster's metadata no
// longer lists them (at most timeout_ms).
func (a *KafkaAdminClient) pyDeleteTopics(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	topics := nameList{what: "delete_topics() topics"}
	var timeoutMs adminTimeout
	if err := unpackArgs(b.Name(), args, kwargs, "topics", &topics, "timeout_ms?", &timeoutMs); err != nil {
		return nil, err
	}
	timeout := timeoutMs.or(a.requestTimeout)
	names := topics.names
	for _, n := range names {
		if err := a.env.CheckTopic(n); err != nil {
			return nil, err
		}
	}
	req := kmsg.NewPtrDeleteTopicsRequest()
	req.TimeoutMillis = millis(timeout)
	req.TopicNames = names
	for _, n := range names {
		t := kmsg.NewDeleteTopicsRequestTopic()
		t.Topic = kmsg.StringPtr(n)
		req.Topics = append(req.Topics, t)
	}
	reqStruct := newProtoStruct(deleteTopicsRequestSchema, strList(names), starlark.MakeInt(int(req.TimeoutMillis)))
	var resp *kmsg.DeleteTopicsResponse
	err := a.do(thread, b.Name(), timeout, func(ctx context.Context) error {
		var err error
		if resp, err = req.RequestWith(ctx, a.cl); err != nil {
			return err
		}
		var deleted []string
		for _, t := range resp.Topics {
			if t.ErrorCode == 0 && t.Topic != nil {
				deleted = append(deleted, *t.Topic)
			}
		}
		if len(deleted) > 0 {
			a.awaitMetadata(ctx, deleted, timeout, func(m *kmsg.MetadataResponse) bool {
				for _, t := range m.Topics {
					if t.ErrorCode != kerr.UnknownTopicOrPartition.Code {
						return false
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var items []starlark.Tuple
	for _, t := range resp.Topics {
		items = append(items, starlark.Tuple{strOrNone(t.Topic), starlark.MakeInt(int(t.ErrorCode))})
	}
	return topicResults(deleteTopicsResponseSchema, resp.ThrottleMillis, items, reqStruct)
}

// awaitMetadata asks for the topics' metadata every 50 ms until done
// reports the change a call made is visible, for at most limit (or until
// ctx ends). It is best effort: a cluster slow to show the change only
// makes the call return sooner than the change is visible.
func (a *KafkaAdminClient) awaitMetadata(ctx context.Context, topics []string, limit time.Duration, done func(*kmsg.MetadataResponse) bool) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		if m, err := a.metadata(ctx, topics); err == nil && done(m) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// topicsReady reports whether every topic is listed without error, each
// partition has a leader, and (when counts is set) the topic has that many
// partitions.
func topicsReady(m *kmsg.MetadataResponse, topics []string, counts map[string]int) bool {
	seen := map[string]bool{}
	for _, t := range m.Topics {
		if t.Topic == nil || t.ErrorCode != 0 || len(t.Partitions) == 0 {
			return false
		}
		if n, ok := counts[*t.Topic]; ok && len(t.Partitions) != n {
			return false
		}
		for _, p := range t.Partitions {
			if p.Leader < 0 || p.ErrorCode != 0 {
				return false
			}
		}
		seen[*t.Topic] = true
	}
	return len(seen) == len(topics)
}

// metadata asks the cluster for the topics' metadata (nil: all topics),
// never creating topics.
func (a *KafkaAdminClient) metadata(ctx context.Context, topics []string) (*kmsg.MetadataResponse, error) {
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = false
	if topics != nil {
		req.Topics = []kmsg.MetadataRequestTopic{}
		for _, t := range topics {
			rt := kmsg.NewMetadataRequestTopic()
			rt.Topic = kmsg.StringPtr(t)
			req.Topics = append(req.Topics, rt)
		}
	}
	return req.RequestWith(ctx, a.cl)
}

// list_topics() returns every topic's name (internal ones too), sorted.
func (a *KafkaAdminClient) pyListTopics(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	var m *kmsg.MetadataResponse
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) (err error) {
		m, err = a.metadata(ctx, nil)
		return err
	}); err != nil {
		return nil, err
	}
	var names []string
	for _, t := range m.Topics {
		if t.Topic != nil && a.env.TopicAllowed(*t.Topic) {
			names = append(names, *t.Topic)
		}
	}
	sort.Strings(names)
	return strList(names), nil
}

// describe_topics(topics=None) returns kafka-python's list of topic dicts
// ({'error_code', 'topic', 'is_internal', 'partitions': [...]}), in the
// order asked for, or sorted by name for None (all topics). An unknown
// topic is listed with error_code 3, not raised.
func (a *KafkaAdminClient) pyDescribeTopics(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	asked := nameList{what: "describe_topics() topics", noneOK: true}
	if err := unpackArgs(b.Name(), args, kwargs, "topics?", &asked); err != nil {
		return nil, err
	}
	names := asked.names
	if asked.set {
		for _, n := range names {
			if err := a.env.CheckTopic(n); err != nil {
				return nil, err
			}
		}
		if names == nil {
			names = []string{}
		}
	}
	var m *kmsg.MetadataResponse
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) (err error) {
		m, err = a.metadata(ctx, names)
		return err
	}); err != nil {
		return nil, err
	}
	var topics []kmsg.MetadataResponseTopic
	for _, t := range m.Topics {
		if a.env.TopicAllowed(derefStr(t.Topic)) {
			topics = append(topics, t)
		}
	}
	order := map[string]int{}
	for i, n := range names {
		if _, dup := order[n]; !dup {
			order[n] = i
		}
	}
	sort.SliceStable(topics, func(i, j int) bool {
		ti, tj := derefStr(topics[i].Topic), derefStr(topics[j].Topic)
		if names != nil {
			return order[ti] < order[tj]
		}
		return ti < tj
	})
	out := make([]starlark.Value, 0, len(topics))
	for _, t := range topics {
		parts := append([]kmsg.MetadataResponseTopicPartition(nil), t.Partitions...)
		sort.Slice(parts, func(i, j int) bool { return parts[i].Partition < parts[j].Partition })
		pl := make([]starlark.Value, len(parts))
		for i, p := range parts {
			pl[i] = pyDict(
				"error_code", starlark.MakeInt(int(p.ErrorCode)),
				"partition", starlark.MakeInt(int(p.Partition)),
				"leader", starlark.MakeInt(int(p.Leader)),
				"replicas", int32List(p.Replicas),
				"isr", int32List(p.ISR),
				"offline_replicas", int32List(p.OfflineReplicas),
			)
		}
		out = append(out, pyDict(
			"error_code", starlark.MakeInt(int(t.ErrorCode)),
			"topic", strOrNone(t.Topic),
			"is_internal", starlark.Bool(t.IsInternal),
			"partitions", starlark.NewList(pl),
		))
	}
	return starlark.NewList(out), nil
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

// describe_cluster() returns kafka-python's {'throttle_time_ms',
// 'brokers': [{'node_id', 'host', 'port', 'rack'}], 'cluster_id',
// 'controller_id'}, brokers sorted by id.
func (a *KafkaAdminClient) pyDescribeCluster(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	var m *kmsg.MetadataResponse
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) (err error) {
		m, err = a.metadata(ctx, []string{})
		return err
	}); err != nil {
		return nil, err
	}
	brokers := append([]kmsg.MetadataResponseBroker(nil), m.Brokers...)
	sort.Slice(brokers, func(i, j int) bool { return brokers[i].NodeID < brokers[j].NodeID })
	bl := make([]starlark.Value, len(brokers))
	for i, br := range brokers {
		bl[i] = pyDict("node_id", starlark.MakeInt(int(br.NodeID)), "host", starlark.String(br.Host),
			"port", starlark.MakeInt(int(br.Port)), "rack", strOrNone(br.Rack))
	}
	return pyDict("throttle_time_ms", starlark.MakeInt(int(m.ThrottleMillis)), "brokers", starlark.NewList(bl),
		"cluster_id", strOrNone(m.ClusterID), "controller_id", starlark.MakeInt(int(m.ControllerID))), nil
}

// create_partitions({topic: NewPartitions(total)}, timeout_ms=None,
// validate_only=False) grows topics to total partitions and returns
// CreatePartitionsResponse_v1(...); a failed topic raises its error
// (InvalidPartitionsError when shrinking). Unless validate_only, it
// returns once metadata shows the new count (at most timeout_ms).
func (a *KafkaAdminClient) pyCreatePartitions(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var tps starlark.Value
	var timeoutMs adminTimeout
	var validateOnly bool
	if err := unpackArgs(b.Name(), args, kwargs, "topic_partitions", &tps, "timeout_ms?", &timeoutMs, "validate_only?", &validateOnly); err != nil {
		return nil, err
	}
	timeout := timeoutMs.or(a.requestTimeout)
	d, ok := tps.(*starlark.Dict)
	if !ok {
		return nil, py.Errorf(py.TypeError, "create_partitions() topic_partitions must be a dict of topic to NewPartitions, not %s", py.TypeName(tps))
	}
	req := kmsg.NewPtrCreatePartitionsRequest()
	req.TimeoutMillis = millis(timeout)
	req.ValidateOnly = validateOnly
	counts := map[string]int{}
	var names []string
	var reqItems []starlark.Tuple
	for _, kv := range d.Items() {
		name, ok := kv[0].(starlark.String)
		np, ok2 := asAdminObject(kv[1], NewPartitionsClass)
		if !ok || !ok2 {
			return nil, py.NewException(py.TypeError, "create_partitions() topic_partitions must be a dict of topic to NewPartitions")
		}
		if err := a.env.CheckTopic(string(name)); err != nil {
			return nil, err
		}
		total, err := adminInt(np.get("total_count"))
		if err != nil {
			return nil, py.Errorf(py.TypeError, "NewPartitions total_count must be int, not %s", py.TypeName(np.get("total_count")))
		}
		t := kmsg.NewCreatePartitionsRequestTopic()
		t.Topic, t.Count = string(name), int32(total)
		assignVal := np.get("new_assignments")
		if assignVal != starlark.None {
			lists, err := brokerLists(assignVal)
			if err != nil {
				return nil, err
			}
			for _, ids := range lists {
				as := kmsg.NewCreatePartitionsRequestTopicAssignment()
				as.Replicas = ids
				t.Assignment = append(t.Assignment, as)
			}
		}
		req.Topics = append(req.Topics, t)
		counts[t.Topic] = total
		names = append(names, t.Topic)
		reqItems = append(reqItems, starlark.Tuple{name, starlark.Tuple{starlark.MakeInt(total), assignVal}})
	}
	reqStruct := newProtoStruct(createPartitionsRequestSchema, tupleList(reqItems), starlark.MakeInt(int(req.TimeoutMillis)), starlark.Bool(validateOnly))
	var resp *kmsg.CreatePartitionsResponse
	err := a.do(thread, b.Name(), timeout, func(ctx context.Context) error {
		var err error
		if resp, err = req.RequestWith(ctx, a.cl); err != nil {
			return err
		}
		for _, t := range resp.Topics {
			if t.ErrorCode != 0 {
				return nil
			}
		}
		if !validateOnly {
			a.awaitMetadata(ctx, names, timeout, func(m *kmsg.MetadataResponse) bool {
				return topicsReady(m, names, counts)
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var items []starlark.Tuple
	for _, t := range resp.Topics {
		items = append(items, starlark.Tuple{starlark.String(t.Topic), starlark.MakeInt(int(t.ErrorCode)), strOrNone(t.ErrorMessage)})
	}
	return topicResults(createPartitionsResponseSchema, resp.ThrottleMillis, items, reqStruct)
}

// delete_records({TopicPartition: offset}, timeout_ms=None,
// partition_leader_id=None) deletes the records before each offset (-1:
// all of them) and returns {TopicPartition: {'partition_index',
// 'low_watermark', 'error_code'}}, as kafka-python 2.1+; a failed
// partition raises its error.
func (a *KafkaAdminClient) pyDeleteRecords(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var recs starlark.Value
	leader := coordinatorID{name: "partition_leader_id"}
	var timeoutMs adminTimeout
	if err := unpackArgs(b.Name(), args, kwargs, "records_to_delete", &recs, "timeout_ms?", &timeoutMs, "partition_leader_id?", &leader); err != nil {
		return nil, err
	}
	timeout := timeoutMs.or(a.requestTimeout)
	offsets := kadm.Offsets{}
	var order []tp
	err := tpDict("delete_records() records_to_delete", recs, func(t tp, v starlark.Value) error {
		at, ok := offsetValue(v)
		if !ok {
			return py.Errorf(py.TypeError, "delete_records() offsets must be int, not %s", py.TypeName(v))
		}
		if err := a.env.CheckTopic(t.topic); err != nil {
			return err
		}
		if offsets[t.topic] == nil {
			offsets[t.topic] = map[int32]kadm.Offset{}
		}
		offsets[t.topic][t.partition] = kadm.Offset{Topic: t.topic, Partition: t.partition, At: at, LeaderEpoch: -1}
		order = append(order, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var resp kadm.DeleteRecordsResponses
	err = a.do(thread, b.Name(), timeout, func(ctx context.Context) (err error) {
		a.adm.SetTimeoutMillis(millis(timeout))
		resp, err = a.adm.DeleteRecords(ctx, offsets)
		return err
	})
	if err != nil {
		if ke := firstKerr(err); ke != nil && len(order) == 1 {
			return nil, py.Errorf(BrokerError(ke.Code), "Error deleting records from topic %s partition %d", order[0].topic, order[0].partition)
		}
		return nil, err
	}
	sortTPs(order)
	out := starlark.NewDict(len(order))
	var failures []string
	var firstFail *kadm.DeleteRecordsResponse
	for _, t := range order {
		r, ok := resp.Lookup(t.topic, t.partition)
		if !ok {
			r = kadm.DeleteRecordsResponse{Topic: t.topic, Partition: t.partition, LowWatermark: -1, Err: kerr.UnknownTopicOrPartition}
		}
		code := 0
		if r.Err != nil {
			code = errnoOf(errorClass(r.Err))
			if firstFail == nil {
				rr := r
				firstFail = &rr
			}
			failures = append(failures, fmt.Sprintf("%s(partition=%d): %s", t.topic, t.partition, errorClass(r.Err).ClassName))
		}
		_ = out.SetKey(t.value(), pyDict("partition_index", starlark.MakeInt(int(t.partition)),
			"low_watermark", starlark.MakeInt64(r.LowWatermark), "error_code", starlark.MakeInt(code)))
	}
	switch {
	case len(failures) == 1:
		return nil, py.Errorf(errorClass(firstFail.Err), "Error deleting records from topic %s partition %d", firstFail.Topic, firstFail.Partition)
	case len(failures) > 1:
		return nil, py.Errorf(BrokerResponseError, "The following errors occured when trying to delete records: %s", strings.Join(failures, ", "))
	}
	return out, nil
}

// offsetValue reads an offset: an int, or an OffsetAndMetadata's offset.
func offsetValue(v starlark.Value) (int64, bool) {
	if nt, ok := v.(*py.NamedTuple); ok && nt.TypeOf() == OffsetAndMetadataType {
		v = nt.Values()[0]
	}
	i, ok := v.(starlark.Int)
	if !ok {
		return 0, false
	}
	return i.Int64()
}

// ---- configs ----

// describe_configs(config_resources, include_synonyms=False) returns a
// list of DescribeConfigsResponse_v2(...), as kafka-python 2.0.2: one per
// broker resource (each asked of that broker), then one for all topic
// resources. A resource's configs, when given, restricts the names
// returned; entries are sorted by name. Errors are in the resources'
// error_code, not raised.
func (a *KafkaAdminClient) pyDescribeConfigs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	resources := configResourceList{fn: "describe_configs()"}
	var synonyms bool
	if err := unpackArgs(b.Name(), args, kwargs, "config_resources", &resources, "include_synonyms?", &synonyms); err != nil {
		return nil, err
	}
	rs := resources.rs
	var brokerReqs []*kmsg.DescribeConfigsRequest
	topicReq := kmsg.NewPtrDescribeConfigsRequest()
	topicReq.IncludeSynonyms = synonyms
	for _, r := range rs {
		rr := kmsg.NewDescribeConfigsRequestResource()
		rr.ResourceType = kmsg.ConfigResourceType(r.rtype.value)
		rr.ResourceName = r.name
		names, err := configNames(r.configs)
		if err != nil {
			return nil, err
		}
		rr.ConfigNames = names
		if r.rtype.name == "BROKER" {
			req := kmsg.NewPtrDescribeConfigsRequest()
			req.IncludeSynonyms = synonyms
			req.Resources = append(req.Resources, rr)
			brokerReqs = append(brokerReqs, req)
			continue
		}
		if err := a.env.CheckTopic(r.name); err != nil {
			return nil, err
		}
		topicReq.Resources = append(topicReq.Resources, rr)
	}
	reqs := brokerReqs
	if len(topicReq.Resources) > 0 {
		reqs = append(reqs, topicReq)
	}
	var resps []*kmsg.DescribeConfigsResponse
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) error {
		for _, req := range reqs {
			resp, err := req.RequestWith(ctx, a.cl)
			if err != nil {
				return err
			}
			resps = append(resps, resp)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(resps))
	for i, resp := range resps {
		var resItems []starlark.Tuple
		for _, r := range resp.Resources {
			entries := append([]kmsg.DescribeConfigsResponseResourceConfig(nil), r.Configs...)
			sort.SliceStable(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
			var entryItems []starlark.Tuple
			for _, c := range entries {
				var syns []starlark.Tuple
				for _, s := range c.ConfigSynonyms {
					if !synonyms {
						break // kfake sends them unasked
					}
					syns = append(syns, starlark.Tuple{starlark.String(s.Name), strOrNone(s.Value), starlark.MakeInt(int(s.Source))})
				}
				entryItems = append(entryItems, starlark.Tuple{starlark.String(c.Name), strOrNone(c.Value), starlark.Bool(c.ReadOnly),
					starlark.MakeInt(int(c.Source)), starlark.Bool(c.IsSensitive), tupleList(syns)})
			}
			resItems = append(resItems, starlark.Tuple{starlark.MakeInt(int(r.ErrorCode)), strOrNone(r.ErrorMessage),
				starlark.MakeInt(int(r.ResourceType)), starlark.String(r.ResourceName), tupleList(entryItems)})
		}
		out[i] = newProtoStruct(describeConfigsResponseSchema, starlark.MakeInt(int(resp.ThrottleMillis)), tupleList(resItems))
	}
	return starlark.NewList(out), nil
}

// alter_configs(config_resources) sets each resource's configs with
// Kafka's AlterConfigs, as kafka-python 2.0.2: the given configs replace
// every dynamic config of the resource (one not given returns to its
// default). Broker resources go to their broker. It returns
// AlterConfigsResponse_v1(...); errors are in the resources' error_code,
// not raised.
func (a *KafkaAdminClient) pyAlterConfigs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	resources := configResourceList{fn: "alter_configs()"}
	if err := unpackArgs(b.Name(), args, kwargs, "config_resources", &resources); err != nil {
		return nil, err
	}
	rs := resources.rs
	req := kmsg.NewPtrAlterConfigsRequest()
	for _, r := range rs {
		if r.rtype.name == "TOPIC" {
			if err := a.env.CheckTopic(r.name); err != nil {
				return nil, err
			}
		}
		configs := r.configs
		if configs == starlark.None {
			configs = starlark.NewDict(0)
		}
		pairs, err := configPairs("alter_configs() ConfigResource configs", configs)
		if err != nil {
			return nil, err
		}
		rr := kmsg.NewAlterConfigsRequestResource()
		rr.ResourceType = kmsg.ConfigResourceType(r.rtype.value)
		rr.ResourceName = r.name
		for _, p := range pairs {
			c := kmsg.NewAlterConfigsRequestResourceConfig()
			c.Name, c.Value = p.name, p.value
			rr.Configs = append(rr.Configs, c)
		}
		req.Resources = append(req.Resources, rr)
	}
	var resp *kmsg.AlterConfigsResponse
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) (err error) {
		if resp, err = req.RequestWith(ctx, a.cl); err != nil {
			return err
		}
		a.awaitConfigs(ctx, req, resp)
		return nil
	}); err != nil {
		return nil, err
	}
	var items []starlark.Tuple
	for _, r := range resp.Resources {
		items = append(items, starlark.Tuple{starlark.MakeInt(int(r.ErrorCode)), strOrNone(r.ErrorMessage),
			starlark.MakeInt(int(r.ResourceType)), starlark.String(r.ResourceName)})
	}
	return newProtoStruct(alterConfigsResponseSchema, starlark.MakeInt(int(resp.ThrottleMillis)), tupleList(items)), nil
}

// awaitConfigs waits (every 50 ms, at most request_timeout_ms) until
// describing each successfully altered resource shows the new state: the
// given values, and no other config set at the resource's own level.
// Brokers apply dynamic broker configs asynchronously; without the wait
// the next describe_configs could still show the old values. It is best
// effort, as awaitMetadata.
func (a *KafkaAdminClient) awaitConfigs(ctx context.Context, req *kmsg.AlterConfigsRequest, resp *kmsg.AlterConfigsResponse) {
	ok := map[string]bool{}
	for _, r := range resp.Resources {
		if r.ErrorCode == 0 {
			ok[fmt.Sprint(r.ResourceType, "/", r.ResourceName)] = true
		}
	}
	ctx, cancel := context.WithTimeout(ctx, a.requestTimeout)
	defer cancel()
	for _, rr := range req.Resources {
		if !ok[fmt.Sprint(rr.ResourceType, "/", rr.ResourceName)] {
			continue
		}
		want := map[string]*string{}
		for _, c := range rr.Configs {
			want[c.Name] = c.Value
		}
		own := kmsg.ConfigSourceDynamicTopicConfig
		if rr.ResourceType == kmsg.ConfigResourceTypeBroker {
			own = kmsg.ConfigSourceDynamicBrokerConfig
		}
		dreq := kmsg.NewPtrDescribeConfigsRequest()
		dr := kmsg.NewDescribeConfigsRequestResource()
		dr.ResourceType, dr.ResourceName = rr.ResourceType, rr.ResourceName
		dreq.Resources = append(dreq.Resources, dr)
		for {
			if d, err := dreq.RequestWith(ctx, a.cl); err == nil && len(d.Resources) == 1 && configsApplied(d.Resources[0], want, own) {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// configsApplied reports whether a described resource shows the wanted
// values and no other config from the resource's own level.
func configsApplied(r kmsg.DescribeConfigsResponseResource, want map[string]*string, own kmsg.ConfigSource) bool {
	if r.ErrorCode != 0 {
		return false
	}
	for _, c := range r.Configs {
		v, given := want[c.Name]
		switch {
		case given && v != nil && !c.IsSensitive && (c.Value == nil || *c.Value != *v):
			return false
		case !given && c.Source == own:
			return false
		}
	}
	return true
}

// configResource is a parsed ConfigResource.
type configResource struct {
	rtype   *EnumMember
	name    string
	configs starlark.Value
}

func configResources(fn string, v starlark.Value) ([]configResource, error) {
	iter, ok := listIter(v)
	if !ok {
		return nil, py.Errorf(py.TypeError, "%s config_resources must be a list of ConfigResource, not %s", fn, py.TypeName(v))
	}
	defer iter.Done()
	var out []configResource
	var x starlark.Value
	for iter.Next(&x) {
		o, ok := asAdminObject(x, ConfigResourceClass)
		if !ok {
			return nil, py.Errorf(py.TypeError, "%s config_resources must be a list of ConfigResource, not a list of %s", fn, py.TypeName(x))
		}
		rt, err := configResourceType(o.get("resource_type"))
		if err != nil {
			return nil, err
		}
		name, ok := o.get("name").(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "ConfigResource name must be str, not %s", py.TypeName(o.get("name")))
		}
		if rt.name == "BROKER" {
			if _, err := strconv.Atoi(string(name)); err != nil {
				return nil, py.NewException(py.ValueError, "Broker resource names must be an integer or a string represented integer")
			}
		}
		out = append(out, configResource{rtype: rt, name: string(name), configs: o.get("configs")})
	}
	return out, nil
}

// configNames reads describe_configs' filter: the keys of a dict, or a
// list of names; None (or empty) asks for every config, as kafka-python.
func configNames(v starlark.Value) ([]string, error) {
	switch x := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case *starlark.Dict:
		var names []string
		for _, k := range x.Keys() {
			s, ok := k.(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "ConfigResource configs keys must be str, not %s", py.TypeName(k))
			}
			names = append(names, string(s))
		}
		return names, nil
	}
	names, err := stringsArg("ConfigResource configs", v)
	if len(names) == 0 {
		names = nil
	}
	return names, err
}
