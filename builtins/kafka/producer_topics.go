package kafka

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

var topicNameRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// validTopic checks a topic name as kafka-python 2.3+ does.
func validTopic(topic string) error {
	switch {
	case topic == "":
		return py.NewException(py.ValueError, "All topics must be non-empty strings")
	case topic == "." || topic == "..":
		return py.NewException(py.ValueError, `Topic name cannot be "." or ".."`)
	case len(topic) > 249:
		return py.Errorf(py.ValueError, `Topic name is illegal, it can't be longer than 249 characters, topic: "%s"`, topic)
	case !topicNameRE.MatchString(topic):
		return py.Errorf(py.ValueError, `Topic name "%s" is illegal, it contains a character other than ASCII alphanumerics, ".", "_" and "-"`, topic)
	}
	return nil
}

// topicMeta returns a topic's partitions, waiting up to max_block_ms for
// them the first time (kafka-python waits for metadata in send; the
// request asks the broker to create a missing topic when
// allow_auto_create_topics is on).
func (p *KafkaProducer) topicMeta(thread *starlark.Thread, topic string) (*topicMeta, error) {
	if m, ok := p.topics[topic]; ok {
		p.lastTopic, p.lastMeta = topic, m
		return m, nil
	}
	if err := validTopic(topic); err != nil {
		return nil, err
	}
	if err := p.env.CheckTopic(topic); err != nil {
		return nil, err
	}
	m, err := p.fetchTopic(thread, topic, p.maxBlock)
	if err != nil {
		return nil, err
	}
	p.topics[topic] = m
	p.lastTopic, p.lastMeta = topic, m
	p.startLogStartOffsets(topic, m)
	return m, nil
}

// fetchTopic asks the cluster for a topic's partitions, retrying while it
// is being created or a broker is unreachable, for at most maxWait.
func (p *KafkaProducer) fetchTopic(thread *starlark.Thread, topic string, maxWait time.Duration) (m *topicMeta, err error) {
	parent := py.ContextOf(thread)
	py.Unlocked(thread, func() { m, err = p.requestTopic(parent, topic, maxWait) })
	return m, err
}

// requestTopic is fetchTopic's wait, under parent; it touches no Starlark
// value.
func (p *KafkaProducer) requestTopic(parent context.Context, topic string, maxWait time.Duration) (*topicMeta, error) {
	ctx, cancel := context.WithTimeout(parent, maxWait)
	defer cancel()
	backoff := max(cfgDuration(p.cfg, "retry_backoff_ms"), 10*time.Millisecond)
	for {
		req := kmsg.NewPtrMetadataRequest()
		rt := kmsg.NewMetadataRequestTopic()
		rt.Topic = kmsg.StringPtr(topic)
		req.Topics = append(req.Topics, rt)
		req.AllowAutoTopicCreation = p.autoCreate
		resp, err := p.cl.Request(ctx, req)
		if err == nil {
			mr := resp.(*kmsg.MetadataResponse)
			for _, t := range mr.Topics {
				if t.Topic == nil || *t.Topic != topic {
					continue
				}
				switch code := t.ErrorCode; code {
				case 0:
					m := &topicMeta{fetched: time.Now()}
					for _, pt := range t.Partitions {
						m.partitions = append(m.partitions, pt.Partition)
						if pt.ErrorCode == 0 && pt.Leader >= 0 {
							m.available = append(m.available, pt.Partition)
						}
					}
					sort.Slice(m.partitions, func(i, j int) bool { return m.partitions[i] < m.partitions[j] })
					sort.Slice(m.available, func(i, j int) bool { return m.available[i] < m.available[j] })
					if len(m.partitions) > 0 {
						return m, nil
					}
				case kerr.TopicAuthorizationFailed.Code:
					return nil, py.Errorf(BrokerError(code), "{%s}", py.QuoteString(topic))
				case kerr.InvalidTopicException.Code:
					return nil, py.Errorf(BrokerError(code), "%s", py.QuoteString(topic))
				default:
					if e := kerr.ErrorForCode(code); !kerr.IsRetriable(e) && code != kerr.UnknownTopicOrPartition.Code {
						return nil, KafkaException(e)
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			if parent.Err() != nil {
				return nil, py.Interrupted(parent)
			}
			return nil, py.Errorf(KafkaTimeoutError, "Failed to update metadata after %s secs.", strconv.FormatFloat(maxWait.Seconds(), 'f', 1, 64))
		case <-time.After(backoff):
		}
	}
}

// checkPartition validates an explicit partition, refreshing the
// topic's metadata once before reporting it unknown.
func (p *KafkaProducer) checkPartition(thread *starlark.Thread, topic string, meta *topicMeta, n int32) error {
	if meta.has(n) {
		return nil
	}
	if fresh, err := p.fetchTopic(thread, topic, p.maxBlock); err == nil {
		p.topics[topic] = fresh
		p.lastTopic, p.lastMeta = topic, fresh
		if fresh.has(n) {
			return nil
		}
	}
	return py.Errorf(py.ValueError, "Unrecognized partition %d for topic %s", n, topic)
}

// customPartition calls the partitioner config as kafka-python 2.x does:
// partitioner(serialized_key, sorted(all_partitions), available).
func (p *KafkaProducer) customPartition(thread *starlark.Thread, topic string, meta *topicMeta, key []byte, keyNil bool) (int32, error) {
	var k starlark.Value = starlark.None
	if !keyNil {
		k = starlark.Bytes(key)
	}
	ints := func(ps []int32) *starlark.List {
		l := make([]starlark.Value, len(ps))
		for i, x := range ps {
			l[i] = starlark.MakeInt(int(x))
		}
		return starlark.NewList(l)
	}
	out, err := starlark.Call(thread, p.partitioner, starlark.Tuple{k, ints(meta.partitions), ints(meta.available)}, nil)
	if err != nil {
		return 0, err
	}
	n, err := starlark.AsInt32(out)
	if err != nil {
		return 0, py.Errorf(py.TypeError, "partitioner must return an int, not %s", py.TypeName(out))
	}
	if err := p.checkPartition(thread, topic, meta, int32(n)); err != nil {
		return 0, err
	}
	return int32(n), nil
}

// startLogStartOffsets fetches a topic's log start offsets in the
// background (first send to the topic, or when the cache is older than
// metadata_max_age_ms).
func (p *KafkaProducer) startLogStartOffsets(topic string, meta *topicMeta) {
	if p.acks == 0 {
		return
	}
	e := &lsoEntry{done: make(chan struct{})}
	p.lsoMu.Lock()
	old := p.lso[topic]
	p.lso[topic] = e
	p.lsoMu.Unlock()
	parts := append([]int32(nil), meta.partitions...)
	cl, timeout := p.cl, max(p.requestTimeout, time.Second)
	go func() {
		defer close(e.done)
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		req := kmsg.NewPtrListOffsetsRequest()
		req.ReplicaID = -1
		rt := kmsg.NewListOffsetsRequestTopic()
		rt.Topic = topic
		for _, part := range parts {
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition = part
			rp.Timestamp = -2 // earliest: the log start offset
			rt.Partitions = append(rt.Partitions, rp)
		}
		req.Topics = append(req.Topics, rt)
		offsets := map[int32]int64{}
		if old != nil {
			<-old.done
			for k, v := range old.offsets {
				offsets[k] = v
			}
		}
		if resp, err := cl.Request(ctx, req); err == nil {
			for _, t := range resp.(*kmsg.ListOffsetsResponse).Topics {
				for _, pt := range t.Partitions {
					if pt.ErrorCode == 0 {
						offsets[pt.Partition] = pt.Offset
					}
				}
			}
		}
		e.offsets, e.fetched = offsets, time.Now()
	}()
}

// logStartOffset returns a partition's cached log start offset, or -1
// (None) when it is unknown.
func (p *KafkaProducer) logStartOffset(thread *starlark.Thread, topic string, partition int32) int64 {
	p.lsoMu.Lock()
	e := p.lso[topic]
	p.lsoMu.Unlock()
	if e == nil {
		return -1
	}
	if thread == nil {
		<-e.done
	} else if _, w := awaitUnlocked(thread, e.done, nil, py.ContextOf(thread), nil); w == wakeStop {
		return -1
	}
	if thread != nil && time.Since(e.fetched) > cfgDuration(p.cfg, "metadata_max_age_ms") {
		if m := p.topics[topic]; m != nil {
			p.startLogStartOffsets(topic, m)
		}
	}
	if off, ok := e.offsets[partition]; ok {
		return off
	}
	return -1
}

// partitionsFor implements partitions_for(topic): the set of the topic's
// partition ids, waiting up to max_block_ms for metadata.
func (p *KafkaProducer) partitionsFor(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var topic string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "topic", &topic); err != nil {
		return nil, err
	}
	if p.closed {
		return nil, py.NewException(IllegalStateError, "KafkaProducer already closed!")
	}
	if err := p.runQueue(thread); err != nil {
		return nil, err
	}
	m, err := p.topicMeta(thread, topic)
	if err != nil {
		return nil, err
	}
	if time.Since(m.fetched) > cfgDuration(p.cfg, "metadata_max_age_ms") {
		if fresh, err := p.fetchTopic(thread, topic, p.maxBlock); err == nil {
			p.topics[topic], p.lastTopic, p.lastMeta = fresh, topic, fresh
			m = fresh
		}
	}
	s := new(starlark.Set)
	for _, part := range m.partitions {
		_ = s.Insert(starlark.MakeInt(int(part)))
	}
	return s, nil
}
