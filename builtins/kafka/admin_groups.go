package kafka

import (
	"context"
	"errors"
	"sort"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// list_consumer_groups(broker_ids=None) returns [(group_id,
// protocol_type)] of every group (of the given coordinators), sorted.
func (a *KafkaAdminClient) pyListConsumerGroups(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	brokers := brokerIDs{what: b.Name() + "() broker_ids"}
	if err := unpackArgs(b.Name(), args, kwargs, "broker_ids?", &brokers); err != nil {
		return nil, err
	}
	var only map[int32]bool
	if brokers.set {
		only = map[int32]bool{}
		for _, id := range brokers.ids {
			only[id] = true
		}
	}
	var listed kadm.ListedGroups
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) (err error) {
		listed, err = a.adm.ListGroups(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, g := range listed.Sorted() {
		if (only == nil || only[g.Coordinator]) && a.env.GroupAllowed(g.Group) {
			out = append(out, starlark.Tuple{starlark.String(g.Group), starlark.String(g.ProtocolType)})
		}
	}
	return starlark.NewList(out), nil
}

// describe_consumer_groups(group_ids, group_coordinator_id=None,
// include_authorized_operations=False) returns a GroupInformation per
// group, in the order asked; consumer members' metadata and assignment
// are decoded as kafka-python decodes them. A group error is raised. An
// unknown group is described as state 'Dead'.
func (a *KafkaAdminClient) pyDescribeConsumerGroups(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var idsArg starlark.Value
	coordinator := coordinatorID{name: "group_coordinator_id"}
	var includeOps bool
	if err := unpackArgs(b.Name(), args, kwargs, "group_ids", &idsArg, "group_coordinator_id?", &coordinator, "include_authorized_operations?", &includeOps); err != nil {
		return nil, err
	}
	ids, err := stringsArg(b.Name()+"() group_ids", idsArg)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := a.env.CheckGroup(id); err != nil {
			return nil, err
		}
	}
	if len(ids) == 0 {
		return starlark.NewList(nil), nil
	}
	req := kmsg.NewPtrDescribeGroupsRequest()
	req.Groups = ids
	req.IncludeAuthorizedOperations = includeOps
	byName := map[string]kmsg.DescribeGroupsResponseGroup{}
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) error {
		for _, shard := range a.cl.RequestSharded(ctx, req) {
			if shard.Err != nil {
				return shard.Err
			}
			for _, g := range shard.Resp.(*kmsg.DescribeGroupsResponse).Groups {
				byName[g.Group] = g
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]starlark.Value, 0, len(ids))
	for _, id := range ids {
		g, ok := byName[id]
		if !ok {
			return nil, py.Errorf(KafkaError, "DescribeGroupsResponse has no group %s", py.QuoteString(id))
		}
		if g.ErrorCode != 0 {
			msg := errorInfoOf(BrokerError(g.ErrorCode)).Message
			if g.ErrorMessage != nil {
				msg = *g.ErrorMessage
			}
			return nil, py.Errorf(BrokerError(g.ErrorCode), "DescribeGroupsResponse failed for group %s: %s", py.QuoteString(id), msg)
		}
		consumer := g.ProtocolType == "consumer" || g.ProtocolType == ""
		members := make([]starlark.Value, len(g.Members))
		for i, m := range g.Members {
			members[i] = MemberInformationType.Make(starlark.String(m.MemberID), starlark.String(m.ClientID), starlark.String(m.ClientHost),
				memberMetadata(consumer, m.ProtocolMetadata), memberAssignment(consumer, m.MemberAssignment))
		}
		var ops starlark.Value = starlark.None
		if includeOps {
			ops = starlark.MakeInt(int(g.AuthorizedOperations))
		}
		out = append(out, GroupInformationType.Make(starlark.MakeInt(int(g.ErrorCode)), starlark.String(g.Group), starlark.String(g.State),
			starlark.String(g.ProtocolType), starlark.String(g.Protocol), starlark.NewList(members), ops))
	}
	return starlark.NewList(out), nil
}

// memberMetadata decodes a consumer member's subscription as
// ConsumerProtocolMemberMetadata(version, subscription, user_data); other
// protocols' (and undecodable) metadata stay bytes.
func memberMetadata(consumer bool, raw []byte) starlark.Value {
	if !consumer || len(raw) == 0 {
		return py.Bytes(raw)
	}
	var m kmsg.ConsumerMemberMetadata
	if err := m.ReadFrom(raw); err != nil {
		return py.Bytes(raw)
	}
	return newProtoStruct(memberMetadataSchema, starlark.MakeInt(int(m.Version)), strList(m.Topics), py.Bytes(m.UserData))
}

// memberAssignment decodes a consumer member's assignment as
// ConsumerProtocolMemberAssignment(version, assignment=[(topic,
// partitions)], user_data).
func memberAssignment(consumer bool, raw []byte) starlark.Value {
	if !consumer || len(raw) == 0 {
		return py.Bytes(raw)
	}
	var m kmsg.ConsumerMemberAssignment
	if err := m.ReadFrom(raw); err != nil {
		return py.Bytes(raw)
	}
	items := make([]starlark.Tuple, len(m.Topics))
	for i, t := range m.Topics {
		items[i] = starlark.Tuple{starlark.String(t.Topic), int32List(t.Partitions)}
	}
	return newProtoStruct(memberAssignmentSchema, starlark.MakeInt(int(m.Version)), tupleList(items), py.Bytes(m.UserData))
}

// list_consumer_group_offsets(group_id, group_coordinator_id=None,
// partitions=None) returns the group's committed offsets as
// {TopicPartition: OffsetAndMetadata}, sorted; asked-for partitions
// without a commit show offset -1. A partition error is raised.
func (a *KafkaAdminClient) pyListConsumerGroupOffsets(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var group string
	coordinator := coordinatorID{name: "group_coordinator_id"}
	partitions := adminPartitions{what: b.Name() + "() partitions"}
	if err := unpackArgs(b.Name(), args, kwargs, "group_id", &group, "group_coordinator_id?", &coordinator, "partitions?", &partitions); err != nil {
		return nil, err
	}
	want := partitions.tps
	if partitions.set {
		for _, t := range want {
			if err := a.env.CheckTopic(t.topic); err != nil {
				return nil, err
			}
		}
	}
	fetched, err := a.fetchOffsets(thread, b.Name(), group)
	if err != nil {
		return nil, err
	}
	var order []tp
	if want != nil {
		order = append(order, want...)
	} else {
		fetched.Each(func(o kadm.OffsetResponse) {
			if a.env.TopicAllowed(o.Topic) {
				order = append(order, tp{o.Topic, o.Partition})
			}
		})
	}
	sortTPs(order)
	out := starlark.NewDict(len(order))
	for _, t := range order {
		o, ok := fetched.Lookup(t.topic, t.partition)
		if !ok {
			_ = out.SetKey(t.value(), OffsetAndMetadataType.Make(starlark.MakeInt(-1), starlark.String("")))
			continue
		}
		if o.Err != nil {
			return nil, py.Errorf(errorClass(o.Err), "Unable to fetch consumer group offsets for topic %s, partition %d", t.topic, t.partition)
		}
		_ = out.SetKey(t.value(), OffsetAndMetadataType.Make(starlark.MakeInt64(o.At), starlark.String(o.Metadata)))
	}
	return out, nil
}

// fetchOffsets returns a group's committed offsets, all topics'
// (callers show only the allowed topics').
func (a *KafkaAdminClient) fetchOffsets(thread *starlark.Thread, name, group string) (kadm.OffsetResponses, error) {
	var fetched kadm.OffsetResponses
	if err := a.env.CheckGroup(group); err != nil {
		return nil, err
	}
	err := a.do(thread, name, 0, func(ctx context.Context) (err error) {
		fetched, err = a.adm.FetchOffsets(ctx, group)
		if errors.Is(err, kerr.GroupIDNotFound) {
			// OffsetFetch v8+ says so for a group that does not exist;
			// kafka-python's v1-v3 saw no commits.
			fetched, err = kadm.OffsetResponses{}, nil
		}
		return err
	})
	return fetched, err
}

// delete_consumer_groups(group_ids, group_coordinator_id=None) deletes
// groups and returns [(group_id, ErrorClass)] in the order asked:
// NoError, NonEmptyGroupError for a group with members,
// GroupIdNotFoundError for an unknown one. Errors are not raised.
func (a *KafkaAdminClient) pyDeleteConsumerGroups(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var idsArg starlark.Value
	coordinator := coordinatorID{name: "group_coordinator_id"}
	if err := unpackArgs(b.Name(), args, kwargs, "group_ids", &idsArg, "group_coordinator_id?", &coordinator); err != nil {
		return nil, err
	}
	ids, err := stringsArg(b.Name()+"() group_ids", idsArg)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := a.env.CheckGroup(id); err != nil {
			return nil, err
		}
	}
	var resp kadm.DeleteGroupResponses
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) (err error) {
		resp, err = a.adm.DeleteGroups(ctx, ids...)
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(ids))
	for i, id := range ids {
		r, ok := resp[id]
		var cls *py.ExceptionClass
		if ok {
			cls = errorClass(r.Err)
		} else {
			cls = BrokerError(kerr.GroupIDNotFound.Code)
		}
		out[i] = starlark.Tuple{starlark.String(id), cls}
	}
	return starlark.NewList(out), nil
}

// alter_group_offsets(group_id, offsets, group_coordinator_id=None)
// commits {TopicPartition: OffsetAndMetadata or offset} for the group, as
// kafka-python 3.0, and returns {TopicPartition: ErrorClass} (NoError, or
// e.g. UnknownMemberIdError while the group has members). Errors are not
// raised.
func (a *KafkaAdminClient) pyAlterGroupOffsets(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var group string
	var offsetsArg starlark.Value
	coordinator := coordinatorID{name: "group_coordinator_id"}
	if err := unpackArgs(b.Name(), args, kwargs, "group_id", &group, "offsets", &offsetsArg, "group_coordinator_id?", &coordinator); err != nil {
		return nil, err
	}
	offsets := kadm.Offsets{}
	err := tpDict(b.Name()+"() offsets", offsetsArg, func(t tp, v starlark.Value) error {
		o := kadm.Offset{Topic: t.topic, Partition: t.partition, LeaderEpoch: -1}
		if nt, ok := v.(*py.NamedTuple); ok && nt.TypeOf() == OffsetAndMetadataType {
			o.Metadata, _ = commitMetadata(nt.Values()[1]) // None is '' here: kadm sends no null
		}
		at, ok := offsetValue(v)
		if !ok {
			return py.Errorf(py.TypeError, "%s() offsets values must be OffsetAndMetadata or int, not %s", b.Name(), py.TypeName(v))
		}
		o.At = at
		if offsets[t.topic] == nil {
			offsets[t.topic] = map[int32]kadm.Offset{}
		}
		offsets[t.topic][t.partition] = o
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp, err := a.commit(thread, b.Name(), group, offsets)
	if err != nil {
		return nil, err
	}
	out := starlark.NewDict(len(offsets))
	for _, r := range resp.Sorted() {
		_ = out.SetKey(NewTopicPartition(r.Topic, r.Partition), errorClass(r.Err))
	}
	return out, nil
}

// commit commits offsets for a group (outside any generation, as an
// admin does).
func (a *KafkaAdminClient) commit(thread *starlark.Thread, name, group string, offsets kadm.Offsets) (kadm.OffsetResponses, error) {
	var resp kadm.OffsetResponses
	if err := a.env.CheckGroup(group); err != nil {
		return nil, err
	}
	for topic := range offsets {
		if err := a.env.CheckTopic(topic); err != nil {
			return nil, err
		}
	}
	err := a.do(thread, name, 0, func(ctx context.Context) (err error) {
		resp, err = a.adm.CommitOffsets(ctx, group, offsets)
		return err
	})
	return resp, err
}

// resetTarget is where reset_group_offsets moves a partition: an
// OffsetSpec (spec set), a timestamp (ts set), or an explicit offset.
type resetTarget struct {
	spec   *EnumMember
	ts     *int64
	offset int64
}

// reset_group_offsets(group_id, offset_specs, group_coordinator_id=None)
// moves a group's committed offsets, as kafka-python 3.0: offset_specs
// maps a TopicPartition (or, in kstar, a topic name for all its
// partitions) to OffsetSpec.EARLIEST, OffsetSpec.LATEST,
// OffsetSpec.MAX_TIMESTAMP, OffsetTimestamp(ms) or an offset. Offsets are
// clamped to [earliest, latest]. It returns {TopicPartition: {'error':
// ErrorClass, 'offset': int}}; a group with members gets
// UnknownMemberIdError per partition (not raised).
func (a *KafkaAdminClient) pyResetGroupOffsets(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var group string
	var specsArg starlark.Value
	coordinator := coordinatorID{name: "group_coordinator_id"}
	if err := unpackArgs(b.Name(), args, kwargs, "group_id", &group, "offset_specs", &specsArg, "group_coordinator_id?", &coordinator); err != nil {
		return nil, err
	}
	d, ok := specsArg.(*starlark.Dict)
	if !ok {
		return nil, py.Errorf(py.TypeError, "reset_group_offsets() offset_specs must be a dict keyed by TopicPartition, not %s", py.TypeName(specsArg))
	}
	targets := map[tp]resetTarget{}
	topicTargets := map[string]resetTarget{}
	topicSet := map[string]bool{}
	for _, kv := range d.Items() {
		t, err := parseResetTarget(kv[0], kv[1])
		if err != nil {
			return nil, err
		}
		if name, ok := kv[0].(starlark.String); ok {
			topicTargets[string(name)] = t
			topicSet[string(name)] = true
			continue
		}
		topic, partition, ok := AsTopicPartition(kv[0])
		if !ok {
			return nil, py.Errorf(py.TypeError, "reset_group_offsets() offset_specs keys must be TopicPartition or a topic name, not %s", py.TypeName(kv[0]))
		}
		targets[tp{topic, partition}] = t
		topicSet[topic] = true
	}
	if err := a.env.CheckGroup(group); err != nil {
		return nil, err
	}
	topics := make([]string, 0, len(topicSet))
	for t := range topicSet {
		if err := a.env.CheckTopic(t); err != nil {
			return nil, err
		}
		topics = append(topics, t)
	}
	sort.Strings(topics)

	var start, end kadm.ListedOffsets
	var current kadm.OffsetResponses
	byTS := map[int64]kadm.ListedOffsets{}
	var maxTS kadm.ListedOffsets
	err := a.do(thread, b.Name(), 0, func(ctx context.Context) error {
		if len(topics) == 0 {
			return nil
		}
		var err error
		if start, err = a.adm.ListStartOffsets(ctx, topics...); err != nil {
			return err
		}
		if end, err = a.adm.ListEndOffsets(ctx, topics...); err != nil {
			return err
		}
		// Expand topic names to their partitions, now that they are known.
		for name, t := range topicTargets {
			if o, ok := end.Lookup(name, -1); ok && o.Err != nil {
				return py.Errorf(errorClass(o.Err), "Unknown topic %s", py.QuoteString(name))
			}
			for p := range end[name] {
				if _, explicit := targets[tp{name, p}]; !explicit {
					targets[tp{name, p}] = t
				}
			}
		}
		for _, t := range targets {
			switch {
			case t.ts != nil && byTS[*t.ts] == nil:
				if byTS[*t.ts], err = a.adm.ListOffsetsAfterMilli(ctx, *t.ts, topics...); err != nil {
					return err
				}
			case t.spec != nil && t.spec.name == "MAX_TIMESTAMP" && maxTS == nil:
				if maxTS, err = a.adm.ListMaxTimestampOffsets(ctx, topics...); err != nil {
					return err
				}
			}
		}
		current, err = a.adm.FetchOffsets(ctx, group)
		if errors.Is(err, kerr.GroupIDNotFound) {
			current, err = kadm.OffsetResponses{}, nil // a new group
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	order := make([]tp, 0, len(targets))
	for t := range targets {
		order = append(order, t)
	}
	sortTPs(order)
	commits := kadm.Offsets{}
	resolved := map[tp]int64{}
	for _, t := range order {
		lo, ok1 := start.Lookup(t.topic, t.partition)
		hi, ok2 := end.Lookup(t.topic, t.partition)
		if !ok1 || !ok2 || lo.Err != nil || hi.Err != nil {
			cause := kerr.UnknownTopicOrPartition
			for _, e := range []error{lo.Err, hi.Err} {
				if ke := firstKerr(e); ke != nil {
					cause = ke
				}
			}
			return nil, py.Errorf(BrokerError(cause.Code), "Unable to list offsets for topic %s, partition %d", t.topic, t.partition)
		}
		target := targets[t]
		raw := target.offset
		switch {
		case target.ts != nil:
			raw = lookupOffset(byTS[*target.ts], t, hi.Offset)
		case target.spec != nil && target.spec.name == "EARLIEST":
			raw = lo.Offset
		case target.spec != nil && target.spec.name == "LATEST":
			raw = hi.Offset
		case target.spec != nil:
			raw = lookupOffset(maxTS, t, hi.Offset)
		}
		// kafka-python 3.0's clamp: past the end (or unknown) is the end.
		if raw < 0 || raw > hi.Offset {
			raw = hi.Offset
		} else if raw < lo.Offset {
			raw = lo.Offset
		}
		o := kadm.Offset{Topic: t.topic, Partition: t.partition, At: raw, LeaderEpoch: -1}
		if c, ok := current.Lookup(t.topic, t.partition); ok {
			o.Metadata = c.Metadata
		}
		if commits[t.topic] == nil {
			commits[t.topic] = map[int32]kadm.Offset{}
		}
		commits[t.topic][t.partition] = o
		resolved[t] = raw
	}
	resp, err := a.commit(thread, b.Name(), group, commits)
	if err != nil {
		return nil, err
	}
	out := starlark.NewDict(len(order))
	for _, t := range order {
		var cls *py.ExceptionClass
		if r, ok := resp.Lookup(t.topic, t.partition); ok {
			cls = errorClass(r.Err)
		} else {
			cls = BrokerError(kerr.UnknownTopicOrPartition.Code)
		}
		_ = out.SetKey(t.value(), pyDict("error", cls, "offset", starlark.MakeInt64(resolved[t])))
	}
	return out, nil
}

// lookupOffset returns a listed offset, or def when the partition is not
// listed.
func lookupOffset(l kadm.ListedOffsets, t tp, def int64) int64 {
	if o, ok := l.Lookup(t.topic, t.partition); ok && o.Err == nil {
		return o.Offset
	}
	return def
}

// parseResetTarget reads one value of reset_group_offsets' offset_specs.
func parseResetTarget(key, v starlark.Value) (resetTarget, error) {
	switch x := v.(type) {
	case *EnumMember:
		if x.enum == OffsetSpecEnum {
			return resetTarget{spec: x}, nil
		}
	case OffsetTimestamp:
		ts := int64(x)
		return resetTarget{ts: &ts}, nil
	case starlark.Int:
		if n, ok := x.Int64(); ok {
			return resetTarget{offset: n}, nil
		}
	}
	return resetTarget{}, py.Errorf(py.TypeError, "Unsupported reset target for %s: %s (expected OffsetSpec, OffsetTimestamp, or int offset)", py.Repr(key), py.Repr(v))
}

// list_consumer_group_lag(group_id) is kstar's (kafka-python has no such
// call): per partition the group has committed to or is assigned,
// PartitionLag(committed, end_offset, lag), sorted. committed is None
// without a commit, and lag then counts from the log start, as
// kafka-consumer-groups.sh does.
func (a *KafkaAdminClient) pyListConsumerGroupLag(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var group string
	if err := unpackArgs(b.Name(), args, kwargs, "group_id", &group); err != nil {
		return nil, err
	}
	if err := a.env.CheckGroup(group); err != nil {
		return nil, err
	}
	var lags kadm.DescribedGroupLags
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) (err error) {
		lags, err = a.adm.Lag(ctx, group)
		return err
	}); err != nil {
		return nil, err
	}
	l, ok := lags[group]
	out := starlark.NewDict(0)
	if !ok {
		return out, nil
	}
	if errors.Is(l.FetchErr, kerr.GroupIDNotFound) || l.State == "Dead" {
		return out, nil // no such group: no lag
	}
	if err := l.Error(); err != nil {
		return nil, KafkaException(err)
	}
	for _, m := range l.Lag.Sorted() {
		if !a.env.TopicAllowed(m.Topic) {
			continue
		}
		if m.Err != nil {
			return nil, py.Errorf(errorClass(m.Err), "Unable to compute the lag of topic %s, partition %d: %v", m.Topic, m.Partition, m.Err)
		}
		var committed starlark.Value = starlark.None
		if m.Commit.At >= 0 {
			committed = starlark.MakeInt64(m.Commit.At)
		}
		_ = out.SetKey(NewTopicPartition(m.Topic, m.Partition),
			PartitionLagType.Make(committed, starlark.MakeInt64(m.End.Offset), starlark.MakeInt64(m.Lag)))
	}
	return out, nil
}
