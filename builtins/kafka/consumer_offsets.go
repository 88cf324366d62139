package kafka

import (
	"context"
	"errors"
	"math"
	"sort"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// offsetToCommit is an offset to commit, with its metadata string.
type offsetToCommit struct {
	offset   int64
	metadata string
	// null: the metadata is None, sent as a null string as kafka-python
	// sends it (Apache Kafka stores it as '', kfake keeps it null).
	null bool
	// given is the OffsetAndMetadata the script passed, kept as it is for
	// kafka-python's committed() cache; nil for a plain offset.
	given starlark.Value
}

// value is the OffsetAndMetadata kafka-python remembers for a successful
// commit: the one the script passed, else one made of the offset.
func (om offsetToCommit) value() starlark.Value {
	if om.given != nil {
		return om.given
	}
	return OffsetAndMetadataType.Make(starlark.MakeInt64(om.offset), om.metadataValue())
}

// metadataValue is the metadata as kafka-python decodes it: a str, or
// None for a null string.
func (om offsetToCommit) metadataValue() starlark.Value {
	if om.null {
		return starlark.None
	}
	return starlark.String(om.metadata)
}

// commitMetadata converts an OffsetAndMetadata's metadata as kafka-python's
// encoder does: str() of anything but None (12345 is sent as '12345'),
// and null for None.
func commitMetadata(v starlark.Value) (metadata string, null bool) {
	switch v := v.(type) {
	case starlark.NoneType:
		return "", true
	case starlark.String:
		return string(v), false
	}
	return py.Str(v), false
}

// commitFailedMessage is the explanation kafka-python's CommitFailedError
// puts first in its args, with the line breaks and indentation of its
// source, so that str(e) is the same.
const commitFailedMessage = `Commit cannot be completed since the group has already
            rebalanced and assigned the partitions to another member.
            This means that the time between subsequent calls to poll()
            was longer than the configured max_poll_interval_ms, which
            typically implies that the poll loop is spending too much
            time message processing. You can address this either by
            increasing the rebalance timeout with max_poll_interval_ms,
            or by reducing the maximum size of batches returned in poll()
            with max_poll_records.
            `

// consumedOffsets is what commit() commits by default: the position of
// every assigned partition whose position is known.
func (c *KafkaConsumer) consumedOffsets() map[tp]offsetToCommit {
	out := make(map[tp]offsetToCommit, len(c.parts))
	for t, ps := range c.parts {
		if ps.position >= 0 {
			out[t] = offsetToCommit{offset: ps.position}
		}
	}
	return out
}

func init() { CommitFailedError.LeadingArg = commitFailedMessage }

func (c *KafkaConsumer) requireGroup() error {
	if c.set.groupID == "" {
		return py.NewException(IllegalStateError, "Requires group_id")
	}
	return nil
}

// offsetsArg unpacks commit's offsets: a dict of TopicPartition to
// OffsetAndMetadata (kstar also accepts a plain int offset), of topics
// the host allows.
func (c *KafkaConsumer) offsetsArg(v starlark.Value) (map[tp]offsetToCommit, error) {
	bad := py.NewException(py.TypeError, "offsets must be dict[TopicPartition, OffsetAndMetadata]")
	d, ok := v.(*starlark.Dict)
	if !ok {
		return nil, bad
	}
	out := make(map[tp]offsetToCommit, d.Len())
	for _, item := range d.Items() {
		topic, p, ok := AsTopicPartition(item[0])
		if !ok {
			return nil, bad
		}
		if err := c.env.CheckTopic(topic); err != nil {
			return nil, err
		}
		var om offsetToCommit
		switch x := item[1].(type) {
		case *py.NamedTuple:
			if x.TypeOf() != OffsetAndMetadataType {
				return nil, bad
			}
			off, err := starlark.AsInt32(x.Field("offset"))
			if err != nil {
				i, ok := x.Field("offset").(starlark.Int)
				if !ok {
					return nil, bad
				}
				i64, _ := i.Int64()
				off = int(i64)
			}
			om.offset = int64(off)
			om.metadata, om.null = commitMetadata(x.Field("metadata"))
			om.given = x
		case starlark.Int:
			om.offset, _ = x.Int64()
		default:
			return nil, bad
		}
		out[tp{topic, p}] = om
	}
	return out, nil
}

// offsetsValue is offsets as kafka-python passes them to commit
// callbacks: {TopicPartition: OffsetAndMetadata}.
func offsetsValue(offsets map[tp]offsetToCommit) *starlark.Dict {
	tps := make([]tp, 0, len(offsets))
	for t := range offsets {
		tps = append(tps, t)
	}
	sortTPs(tps)
	d := starlark.NewDict(len(tps))
	for _, t := range tps {
		_ = d.SetKey(t.value(), offsets[t].value())
	}
	return d
}

func (c *KafkaConsumer) pyCommit(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var offsets starlark.Value = starlark.None
	var timeoutMs msTimeout
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "offsets?", &offsets, "timeout_ms?", &timeoutMs); err != nil {
		return nil, err
	}
	if err := c.requireGroup(); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	var om map[tp]offsetToCommit
	if offsets == starlark.None {
		om = c.consumedOffsets()
	} else {
		var err error
		if om, err = c.offsetsArg(offsets); err != nil {
			return nil, err
		}
	}
	timeout := time.Duration(-1)
	if timeoutMs.set {
		timeout = timeoutMs.d
	}
	return starlark.None, c.commitSync(thread, om, timeout)
}

// commitSync commits offsets and waits, retrying retriable errors until
// timeout (negative: until it succeeds, as kafka-python's commit does).
func (c *KafkaConsumer) commitSync(thread *starlark.Thread, offsets map[tp]offsetToCommit, timeout time.Duration) error {
	if len(offsets) == 0 || c.cur == nil && c.closed {
		return nil
	}
	limit := timeout
	if limit < 0 {
		limit = math.MaxInt64 / 2
	}
	start := time.Now()
	g := c.cur
	err := c.do(thread, limit, func(ctx context.Context, cl *kgo.Client) error {
		return c.sendCommit(ctx, cl, g != nil && g.group, offsets)
	})
	c.metrics.commitDone(time.Since(start), err == nil)
	if e := py.AsException(err); e != nil && e.Class == KafkaTimeoutError && timeout >= 0 {
		return py.Errorf(KafkaTimeoutError, "Failed to commit offsets within %d ms", timeout.Milliseconds())
	}
	if err == nil {
		c.rememberCommitted(offsets)
	}
	return err
}

// rememberCommitted records committed offsets of assigned partitions as
// kafka-python's committed() cache holds them: the OffsetAndMetadata as
// committed (its metadata as given, 12345 rather than '12345'), until the
// partition is assigned again or its committed offset is fetched.
func (c *KafkaConsumer) rememberCommitted(offsets map[tp]offsetToCommit) {
	for t, om := range offsets {
		if ps := c.parts[t]; ps != nil {
			ps.committed = om.value()
		}
	}
}

// commitAsync sends a commit in the background; done runs on the
// script's thread with its outcome. Commits are sent in call order.
func (c *KafkaConsumer) commitAsync(thread *starlark.Thread, offsets map[tp]offsetToCommit, done func(thread *starlark.Thread, err error) error) {
	cl, err := c.client()
	if err != nil {
		c.queue.push(func(thread *starlark.Thread) error { return done(thread, err) })
		return
	}
	group := c.cur.group
	ctx, cancel := context.WithTimeout(context.Background(), c.set.requestTimeout)
	start := time.Now()
	go func() {
		defer cancel()
		err := c.sendCommit(ctx, cl, group, offsets)
		c.metrics.commitDone(time.Since(start), err == nil)
		c.queue.push(func(thread *starlark.Thread) error {
			if err == nil {
				c.rememberCommitted(offsets)
			}
			return done(thread, err)
		})
	}()
}

// sendCommit commits with OffsetCommit requests: as a group member when
// consuming in a group (a commit from a stale generation fails with
// CommitFailedError), else as a simple commit, as kafka-python's manual
// assignment does. Retriable errors are retried until ctx ends.
func (c *KafkaConsumer) sendCommit(ctx context.Context, cl *kgo.Client, group bool, offsets map[tp]offsetToCommit) error {
	c.commitMu.Lock()
	defer c.commitMu.Unlock()
	byTopic := map[string][]kmsg.OffsetCommitRequestTopicPartition{}
	for t, om := range offsets {
		p := kmsg.NewOffsetCommitRequestTopicPartition()
		p.Partition, p.Offset, p.LeaderEpoch = t.partition, om.offset, -1
		if !om.null {
			p.Metadata = kmsg.StringPtr(om.metadata)
		}
		byTopic[t.topic] = append(byTopic[t.topic], p)
	}
	topics := make([]string, 0, len(byTopic))
	for t := range byTopic {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	for {
		req := kmsg.NewPtrOffsetCommitRequest()
		req.Group = c.set.groupID
		if group {
			req.MemberID, req.Generation = cl.GroupMetadata()
			if c.set.instanceID != "" {
				req.InstanceID = kmsg.StringPtr(c.set.instanceID)
			}
		}
		for _, t := range topics {
			rt := kmsg.NewOffsetCommitRequestTopic()
			rt.Topic, rt.Partitions = t, byTopic[t]
			req.Topics = append(req.Topics, rt)
		}
		resp, err := req.RequestWith(ctx, cl)
		if err == nil {
			err = commitResponseError(resp)
		}
		if err == nil {
			return nil
		}
		var ke *kerr.Error
		if errors.As(err, &ke) {
			switch ke {
			case kerr.IllegalGeneration, kerr.UnknownMemberID, kerr.RebalanceInProgress, kerr.FencedInstanceID:
				e := py.NewException(CommitFailedError, commitFailedMessage)
				e.Cause = err
				return e
			}
		}
		if ctx.Err() != nil {
			return py.Errorf(KafkaTimeoutError, "Failed to commit offsets: %v", err)
		}
		if !kerr.IsRetriable(err) {
			return KafkaException(err)
		}
		select {
		case <-time.After(max(c.set.retryBackoff, 10*time.Millisecond)):
		case <-ctx.Done():
			return py.Errorf(KafkaTimeoutError, "Failed to commit offsets: %v", err)
		}
	}
}

func commitResponseError(resp *kmsg.OffsetCommitResponse) error {
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *KafkaConsumer) pyCommitAsync(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var offsets, callback starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "offsets?", &offsets, "callback?", &callback); err != nil {
		return nil, err
	}
	if err := c.requireGroup(); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if callback != starlark.None {
		if _, ok := callback.(starlark.Callable); !ok {
			return nil, py.Errorf(py.TypeError, "callback must be callable, not %s", py.TypeName(callback))
		}
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	var om map[tp]offsetToCommit
	if offsets == starlark.None {
		om = c.consumedOffsets()
		offsets = offsetsValue(om)
	} else {
		var err error
		if om, err = c.offsetsArg(offsets); err != nil {
			return nil, err
		}
		for t := range om {
			if err := c.env.CheckTopic(t.topic); err != nil {
				return nil, err
			}
		}
	}
	fut := newKafkaFuture(c.await)
	cb := callback
	if cb == starlark.None && c.set.commitCallback != nil {
		cb = c.set.commitCallback
	}
	if len(om) == 0 {
		if cb != starlark.None {
			if _, err := starlark.Call(thread, cb, starlark.Tuple{offsets, starlark.None}, nil); err != nil {
				return nil, err
			}
		}
		fut.resolve(thread, starlark.None, nil)
		return fut, nil
	}
	c.commitAsync(thread, om, func(thread *starlark.Thread, err error) error {
		var res starlark.Value = starlark.None
		if err != nil {
			res = KafkaException(err)
		}
		if cb != starlark.None {
			if _, cerr := starlark.Call(thread, cb, starlark.Tuple{offsets, res}, nil); cerr != nil {
				c.warn("Error processing offset commit callback: %v", cerr)
			}
		}
		if err != nil {
			fut.resolve(thread, nil, KafkaException(err))
		} else {
			fut.resolve(thread, starlark.None, nil)
		}
		return nil
	})
	return fut, nil
}

// groupCommit is a committed offset as the group coordinator holds it.
type groupCommit struct {
	offset   int64
	metadata starlark.Value // a str, or None for a null string
}

// value is the committed offset as an OffsetAndMetadata.
func (co groupCommit) value() starlark.Value {
	return OffsetAndMetadataType.Make(starlark.MakeInt64(co.offset), co.metadata)
}

// fetchCommitted asks the group coordinator for committed offsets; a
// partition without one is absent from the result.
func (c *KafkaConsumer) fetchCommitted(thread *starlark.Thread, tps []tp) (map[tp]groupCommit, error) {
	req := kmsg.NewPtrOffsetFetchRequest()
	req.Group = c.set.groupID
	byTopic := map[string][]int32{}
	for _, t := range tps {
		byTopic[t.topic] = append(byTopic[t.topic], t.partition)
	}
	for topic, ps := range byTopic {
		rt := kmsg.NewOffsetFetchRequestTopic()
		rt.Topic, rt.Partitions = topic, ps
		req.Topics = append(req.Topics, rt)
	}
	var resp *kmsg.OffsetFetchResponse
	err := c.do(thread, c.set.requestTimeout, func(ctx context.Context, cl *kgo.Client) error {
		for {
			r, err := req.RequestWith(ctx, cl)
			if err == nil {
				err = kerr.ErrorForCode(r.ErrorCode)
			}
			resp = r
			// Apache Kafka answers COORDINATOR_NOT_AVAILABLE until
			// __consumer_offsets exists (kfake never does): kafka-python
			// retries after retry_backoff_ms, and so does kstar.
			if !errors.Is(err, kerr.CoordinatorNotAvailable) && !errors.Is(err, kerr.CoordinatorLoadInProgress) && !errors.Is(err, kerr.NotCoordinator) {
				return err
			}
			select {
			case <-ctx.Done():
				return err
			case <-time.After(max(c.set.retryBackoff, 10*time.Millisecond)):
			}
		}
	})
	if errors.Is(err, kerr.GroupIDNotFound) {
		return map[tp]groupCommit{}, nil // a group that never committed
	}
	if err != nil {
		return nil, KafkaException(err)
	}
	out := map[tp]groupCommit{}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				return nil, KafkaException(err)
			}
			if p.Offset >= 0 {
				var md starlark.Value = starlark.None
				if p.Metadata != nil {
					md = starlark.String(*p.Metadata)
				}
				out[tp{t.Topic, p.Partition}] = groupCommit{p.Offset, md}
			}
		}
	}
	return out, nil
}

func (c *KafkaConsumer) pyCommitted(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var partition topicPartition
	var timeoutMs starlark.Value
	metadata := false
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "partition", &partition, "metadata?", &metadata, "timeout_ms?", &timeoutMs); err != nil {
		return nil, err
	}
	t := partition.tp
	if err := c.env.CheckTopic(t.topic); err != nil {
		return nil, err
	}
	if err := c.requireGroup(); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if err := c.runQueue(thread); err != nil { // commit_async outcomes first
		return nil, err
	}
	// kafka-python answers for an assigned partition from its cache.
	committed := starlark.Value(nil)
	if ps := c.parts[t]; ps != nil {
		committed = ps.committed
	}
	if committed == nil {
		fetched, err := c.fetchCommitted(thread, []tp{t})
		if err != nil {
			return nil, err
		}
		co, ok := fetched[t]
		if !ok {
			return starlark.None, nil
		}
		committed = co.value()
	}
	if metadata {
		return committed, nil
	}
	return committed.(*py.NamedTuple).Field("offset"), nil
}

// assignedPart returns an assigned partition's state (finding a group-less
// subscription's partitions first), or IllegalStateError.
func (c *KafkaConsumer) assignedPart(thread *starlark.Thread, t tp, msg string, class *py.ExceptionClass) (*partState, error) {
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	if c.parts[t] == nil && c.subscribed && c.set.groupID == "" && !c.closed {
		if err := c.refreshDirect(thread, true); err != nil {
			return nil, err
		}
	}
	ps := c.parts[t]
	if ps == nil {
		return nil, py.NewException(class, msg)
	}
	return ps, nil
}

func (c *KafkaConsumer) pyPosition(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var partition topicPartition
	var timeoutMs starlark.Value
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "partition", &partition, "timeout_ms?", &timeoutMs); err != nil {
		return nil, err
	}
	t := partition.tp
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	ps, err := c.assignedPart(thread, t, "Partition is not assigned", IllegalStateError)
	if err != nil {
		return nil, err
	}
	if ps.position < 0 {
		if err := c.resolvePositions(thread, []*partState{ps}, nil); err != nil {
			return nil, err
		}
	}
	return starlark.MakeInt64(ps.position), nil
}

// resolvePositions finds the positions of partitions that have none:
// pending seek_to_beginning/end first, then the committed offset (from
// known, or fetched when there is a group), then auto_offset_reset.
func (c *KafkaConsumer) resolvePositions(thread *starlark.Thread, pss []*partState, known map[tp]int64) error {
	var explicit []*partState
	var rest []tp
	for _, ps := range pss {
		if ps.position >= 0 {
			continue
		}
		if ps.resetTo != 0 {
			explicit = append(explicit, ps)
		} else if o, ok := known[ps.tp]; ok && o >= 0 {
			ps.position, ps.reset = o, true
		} else {
			rest = append(rest, ps.tp)
		}
	}
	if len(explicit) > 0 {
		stamps := map[tp]int64{}
		for _, ps := range explicit {
			stamps[ps.tp] = ps.resetTo
		}
		offs, err := c.listOffsets(thread, stamps)
		for _, ps := range explicit {
			if o, ok := offs[ps.tp]; ok {
				ps.position, ps.reset, ps.resetTo = o.offset, true, 0
			}
		}
		if err != nil {
			return err
		}
	}
	if len(rest) > 0 {
		// When known is given the committed offsets are known already,
		// and only the reset policy remains.
		offs, err := c.startOffsets(thread, rest, known == nil)
		for t, o := range offs {
			if ps := c.parts[t]; ps != nil && ps.position < 0 {
				ps.position, ps.reset = o, true
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (c *KafkaConsumer) pySeek(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var partition topicPartition
	var offset seekOffset
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "partition", &partition, "offset", &offset); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	ps, err := c.assignedPart(thread, partition.tp, "Unassigned partition", py.ValueError)
	if err != nil {
		return nil, err
	}
	c.seekTo(ps, offset.o, 0)
	return starlark.None, nil
}

// seekTo moves a partition's position: to offset, or (offset -1) to the
// reset given by resetTo, resolved at the next poll or position().
func (c *KafkaConsumer) seekTo(ps *partState, offset, resetTo int64) {
	c.dropBuffered(ps)
	c.gen++
	ps.gen = c.gen
	ps.position, ps.resetTo, ps.reset = offset, resetTo, true
	if offset < 0 {
		ps.reset = false // set once resolved
	}
}

func (c *KafkaConsumer) seekToEnd(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple, name string, resetTo int64) (starlark.Value, error) {
	tps, err := topicPartArgs(name, args, kwargs)
	if err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	if len(tps) == 0 {
		if c.subscribed && c.set.groupID == "" {
			if err := c.refreshDirect(thread, true); err != nil {
				return nil, err
			}
		}
		tps = c.assigned()
		if len(tps) == 0 {
			return nil, py.NewException(py.ValueError, "No partitions are currently assigned")
		}
	}
	var pss []*partState
	for _, t := range tps {
		ps, err := c.assignedPart(thread, t, "Unassigned partition: "+t.String(), py.ValueError)
		if err != nil {
			return nil, err
		}
		pss = append(pss, ps)
	}
	for _, ps := range pss {
		c.seekTo(ps, -1, resetTo)
	}
	return starlark.None, nil
}

func (c *KafkaConsumer) pySeekToBeginning(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.seekToEnd(thread, args, kwargs, b.Name(), -2)
}

func (c *KafkaConsumer) pySeekToEnd(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.seekToEnd(thread, args, kwargs, b.Name(), -1)
}

// listedOffset is one ListOffsets answer.
type listedOffset struct {
	offset, timestamp int64
}

// listOffsets asks partition leaders for offsets by timestamp (-2: the
// log start, -1: the end). It returns what it got and the first error.
func (c *KafkaConsumer) listOffsets(thread *starlark.Thread, stamps map[tp]int64) (map[tp]listedOffset, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	if c.cfg.String("isolation_level") == "read_committed" {
		req.IsolationLevel = 1
	}
	byTopic := map[string][]kmsg.ListOffsetsRequestTopicPartition{}
	for t, ts := range stamps {
		if err := c.env.CheckTopic(t.topic); err != nil {
			return nil, err
		}
		p := kmsg.NewListOffsetsRequestTopicPartition()
		p.Partition, p.Timestamp, p.CurrentLeaderEpoch = t.partition, ts, -1
		byTopic[t.topic] = append(byTopic[t.topic], p)
	}
	for topic, ps := range byTopic {
		rt := kmsg.NewListOffsetsRequestTopic()
		rt.Topic, rt.Partitions = topic, ps
		req.Topics = append(req.Topics, rt)
	}
	var resp *kmsg.ListOffsetsResponse
	err := c.do(thread, c.set.requestTimeout, func(ctx context.Context, cl *kgo.Client) error {
		r, err := req.RequestWith(ctx, cl)
		resp = r
		return err
	})
	if err != nil {
		return nil, KafkaException(err)
	}
	out := map[tp]listedOffset{}
	var first error
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			key := tp{t.Topic, p.Partition}
			if _, asked := stamps[key]; !asked {
				continue
			}
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				if first == nil {
					first = KafkaException(err)
				}
				continue
			}
			out[key] = listedOffset{p.Offset, p.Timestamp}
		}
	}
	if first == nil && len(out) < len(stamps) {
		first = py.NewException(BrokerError(3), "This server does not host this topic-partition.")
	}
	return out, first
}

// listOffsetsRetrying retries retriable failures until request_timeout_ms,
// then fails as kafka-python does.
func (c *KafkaConsumer) listOffsetsRetrying(thread *starlark.Thread, stamps map[tp]int64) (map[tp]listedOffset, error) {
	deadline := time.Now().Add(c.set.requestTimeout)
	out := map[tp]listedOffset{}
	for {
		got, err := c.listOffsets(thread, stamps)
		for t, l := range got {
			out[t] = l
			delete(stamps, t)
		}
		if err == nil || len(stamps) == 0 {
			return out, nil
		}
		if !retriableErr(err) {
			return nil, err
		}
		if time.Now().Add(c.set.retryBackoff).After(deadline) {
			return nil, py.Errorf(KafkaTimeoutError, "Failed to get offsets by timestamps in %d ms", c.set.requestTimeout.Milliseconds())
		}
		if _, err := c.await(thread, nil, max(c.set.retryBackoff, 10*time.Millisecond)); err != nil {
			return nil, err
		}
	}
}

// topicPartListArg unpacks a list of TopicPartitions.
func topicPartListArg(v starlark.Value) ([]tp, error) {
	iter := starlark.Iterate(v)
	if iter == nil {
		return nil, py.Errorf(py.TypeError, "partitions must be a list of TopicPartition namedtuples")
	}
	defer iter.Done()
	var tps []tp
	var x starlark.Value
	for iter.Next(&x) {
		t, err := topicPartArg(x)
		if err != nil {
			return nil, err
		}
		tps = append(tps, t)
	}
	return tps, nil
}

func (c *KafkaConsumer) edgeOffsets(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, ts int64) (starlark.Value, error) {
	var partitions topicPartitionList
	var timeoutMs starlark.Value
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "partitions", &partitions, "timeout_ms?", &timeoutMs); err != nil {
		return nil, err
	}
	tps := partitions.tps
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	stamps := map[tp]int64{}
	for _, t := range tps {
		stamps[t] = ts
	}
	got, err := c.listOffsetsRetrying(thread, stamps)
	if err != nil {
		return nil, err
	}
	d := starlark.NewDict(len(tps))
	for _, t := range tps {
		_ = d.SetKey(t.value(), starlark.MakeInt64(got[t].offset))
	}
	return d, nil
}

func (c *KafkaConsumer) pyBeginningOffsets(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.edgeOffsets(thread, b, args, kwargs, -2)
}

func (c *KafkaConsumer) pyEndOffsets(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.edgeOffsets(thread, b, args, kwargs, -1)
}

func (c *KafkaConsumer) pyOffsetsForTimes(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timestamps timestampsDict
	var timeoutMs starlark.Value
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "timestamps", &timestamps, "timeout_ms?", &timeoutMs); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	stamps := map[tp]int64{}
	var order []tp
	for _, item := range timestamps.Items() {
		t, err := topicPartArg(item[0])
		if err != nil {
			return nil, err
		}
		var ms int64
		switch x := item[1].(type) {
		case starlark.Int:
			ms, _ = x.Int64()
		case starlark.Float:
			ms = int64(x)
		default:
			return nil, py.Errorf(py.TypeError, "timestamp for %s must be an int, not %s", t, py.TypeName(item[1]))
		}
		if ms < 0 {
			return nil, py.Errorf(py.ValueError, "The target time for partition %s is %d. The target time cannot be negative.", t, ms)
		}
		stamps[t] = ms
		order = append(order, t)
	}
	got, err := c.listOffsetsRetrying(thread, stamps)
	if err != nil {
		return nil, err
	}
	out := starlark.NewDict(len(order))
	for _, t := range order {
		var v starlark.Value = starlark.None
		if l, ok := got[t]; ok && l.offset >= 0 {
			v = OffsetAndTimestampType.Make(starlark.MakeInt64(l.offset), starlark.MakeInt64(l.timestamp))
		}
		_ = out.SetKey(t.value(), v)
	}
	return out, nil
}

func (c *KafkaConsumer) pyHighwater(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var partition topicPartition
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "partition", &partition); err != nil {
		return nil, err
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	ps := c.parts[partition.tp]
	if ps == nil {
		return nil, py.NewException(IllegalStateError, "Partition is not assigned")
	}
	if ps.highwater < 0 {
		return starlark.None, nil
	}
	return starlark.MakeInt64(ps.highwater), nil
}

// partitionKeyError is kafka-python's bare KeyError(TopicPartition(...)).
func partitionKeyError(t tp) *py.Exception {
	v := t.value()
	return &py.Exception{Class: py.KeyError, Msg: py.Repr(v), Args: starlark.Tuple{v}}
}

func (c *KafkaConsumer) pausing(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple, name string, pause bool) (starlark.Value, error) {
	tps, err := topicPartArgs(name, args, kwargs)
	if err != nil {
		return nil, err
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	var pss []*partState
	for _, t := range tps {
		ps := c.parts[t]
		if ps == nil {
			return nil, partitionKeyError(t)
		}
		pss = append(pss, ps)
	}
	for _, ps := range pss {
		ps.paused = pause
		if pause {
			c.dropBuffered(ps)
		}
	}
	if c.cur != nil && len(tps) > 0 {
		if pause {
			c.cur.cl.PauseFetchPartitions(topicPartMap(tps))
		} else {
			c.cur.cl.ResumeFetchPartitions(topicPartMap(tps))
		}
	}
	return starlark.None, nil
}

func (c *KafkaConsumer) pyPause(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.pausing(thread, args, kwargs, b.Name(), true)
}

func (c *KafkaConsumer) pyResume(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.pausing(thread, args, kwargs, b.Name(), false)
}

func (c *KafkaConsumer) pyPaused(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	var tps []tp
	for t, ps := range c.parts {
		if ps.paused {
			tps = append(tps, t)
		}
	}
	return topicPartSet(tps), nil
}

func (c *KafkaConsumer) pyTopics(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	meta, err := c.metadata(thread, nil, false)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, t := range meta.Topics {
		if t.Topic == nil || t.ErrorCode != 0 || (c.set.excludeInternal && t.IsInternal) {
			continue
		}
		if c.env.CheckTopic(*t.Topic) != nil {
			continue
		}
		names = append(names, *t.Topic)
	}
	sort.Strings(names)
	s := starlark.NewSet(len(names))
	for _, n := range names {
		_ = s.Insert(starlark.String(n))
	}
	return s, nil
}

func (c *KafkaConsumer) pyPartitionsForTopic(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var topic string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "topic", &topic); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if err := c.env.CheckTopic(topic); err != nil {
		return nil, err
	}
	meta, err := c.metadata(thread, nil, false)
	if err != nil {
		return nil, err
	}
	for _, t := range meta.Topics {
		if t.Topic == nil || *t.Topic != topic || t.ErrorCode != 0 {
			continue
		}
		ps := make([]int, 0, len(t.Partitions))
		for _, p := range t.Partitions {
			ps = append(ps, int(p.Partition))
		}
		sort.Ints(ps)
		s := starlark.NewSet(len(ps))
		for _, p := range ps {
			_ = s.Insert(starlark.MakeInt(p))
		}
		return s, nil
	}
	return starlark.None, nil
}

func (c *KafkaConsumer) pyBootstrapConnected(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(!c.closed && c.metrics.seedConnected()), nil
}

func (c *KafkaConsumer) pyMetrics(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	raw := false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "raw?", &raw); err != nil {
		return nil, err
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	return c.metrics.snapshot(c), nil
}
