package kafka

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// create_topics(new_topics, timeout_ms=None, validate_only=False) creates
// topics and returns kafka-python 2.0.2's CreateTopicsResponse_v3(...);
// the first topic that failed raises its error (TopicAlreadyExistsError,
// InvalidReplicationFactorError, ...). Unless validate_only, it returns
// once the cluster's metadata lists the new topics (at most timeout_ms).
func (a *KafkaAdminClient) pyCreateTopics(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var newTopics starlark.Value
	var timeoutMs starlark.Value = starlark.None
	var validateOnly bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "new_topics", &newTopics, "timeout_ms?", &timeoutMs, "validate_only?", &validateOnly); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	timeout, err := a.timeoutArg(timeoutMs)
	if err != nil {
		return nil, err
	}
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
	err = a.do(thread, b.Name(), timeout, func(ctx context.Context) error {
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
	var topicsArg starlark.Value
	var timeoutMs starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "topics", &topicsArg, "timeout_ms?", &timeoutMs); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	timeout, err := a.timeoutArg(timeoutMs)
	if err != nil {
		return nil, err
	}
	names, err := stringsArg("delete_topics() topics", topicsArg)
	if err != nil {
		return nil, err
	}
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
	err = a.do(thread, b.Name(), timeout, func(ctx context.Context) error {
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
	var topicsArg starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "topics?", &topicsArg); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	var names []string
	if topicsArg != starlark.None {
		var err error
		if names, err = stringsArg("describe_topics() topics", topicsArg); err != nil {
			return nil, err
		}
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
	var timeoutMs starlark.Value = starlark.None
	var validateOnly bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "topic_partitions", &tps, "timeout_ms?", &timeoutMs, "validate_only?", &validateOnly); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	timeout, err := a.timeoutArg(timeoutMs)
	if err != nil {
		return nil, err
	}
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
	err = a.do(thread, b.Name(), timeout, func(ctx context.Context) error {
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
	var timeoutMs, leader starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "records_to_delete", &recs, "timeout_ms?", &timeoutMs, "partition_leader_id?", &leader); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	timeout, err := a.timeoutArg(timeoutMs)
	if err != nil {
		return nil, err
	}
	if err := coordinatorArg("partition_leader_id", leader); err != nil {
		return nil, err
	}
	offsets := kadm.Offsets{}
	var order []tp
	err = tpDict("delete_records() records_to_delete", recs, func(t tp, v starlark.Value) error {
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
