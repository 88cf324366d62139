package kafka

import (
	"math"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

func (c *KafkaConsumer) pyAssign(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var partitions starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "partitions", &partitions); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if c.subscribed {
		return nil, py.NewException(IllegalStateError, subscriptionError)
	}
	iter := starlark.Iterate(partitions)
	if iter == nil {
		return nil, py.Errorf(py.TypeError, "'%s' object is not iterable", py.TypeName(partitions))
	}
	var tps []tp
	for x := range starlark.Elements(partitions.(starlark.Iterable)) {
		t, err := assignedPartition(x)
		if err == nil {
			err = c.env.CheckTopic(t.topic)
		}
		if err != nil {
			iter.Done()
			return nil, err
		}
		tps = append(tps, t)
	}
	iter.Done()
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	if _, err := c.client(); err != nil {
		return nil, err
	}
	if remove := c.setParts(tps); len(remove) > 0 {
		c.cur.cl.RemoveConsumePartitions(topicPartMap(remove))
		c.cur.cl.ResumeFetchPartitions(topicPartMap(remove))
	}
	c.userAssign = len(c.parts) > 0
	return starlark.None, nil
}

// assignedPartition reads an element of assign()'s list: a TopicPartition
// of a str and a partition from 0 to 2**31-1. kafka-python 2.0.2 takes
// anything with topic and partition attributes, and then never fetches
// such a partition; kstar says what is wrong with it.
func assignedPartition(x starlark.Value) (tp, error) {
	if topic, p, ok := AsTopicPartition(x); ok && p >= 0 {
		return tp{topic, p}, nil
	}
	var topic, partition starlark.Value
	if ha, ok := x.(starlark.HasAttrs); ok {
		topic, _ = ha.Attr("topic")
		partition, _ = ha.Attr("partition")
	}
	switch {
	case topic == nil: // kafka-python's error, for a tuple
		return tp{}, py.Errorf(py.AttributeError, "'%s' object has no attribute 'topic'", py.TypeName(x))
	case x.Type() != TopicPartitionType.TypeName:
		return tp{}, py.Errorf(py.TypeError, "assign() takes TopicPartitions, not %s", py.TypeName(x))
	case topic.Type() != "string":
		return tp{}, py.Errorf(py.TypeError, "assign(): topic must be str, not %s: %s", py.TypeName(topic), py.Repr(x))
	}
	p, ok := partition.(starlark.Int)
	switch {
	case !ok:
		return tp{}, py.Errorf(py.TypeError, "assign(): partition must be int, not %s: %s", py.TypeName(partition), py.Repr(x))
	case p.Sign() < 0:
		return tp{}, py.Errorf(py.ValueError, "assign(): partition must not be negative: %s", py.Repr(x))
	}
	return tp{}, py.Errorf(py.ValueError, "assign(): partition must be at most %d: %s", math.MaxInt32, py.Repr(x))
}

// addPart adds an assigned partition with an unknown position.
func (c *KafkaConsumer) addPart(t tp) *partState {
	c.gen++
	ps := &partState{tp: t, position: -1, highwater: -1, gen: c.gen}
	c.parts[t] = ps
	return ps
}

// setParts makes the assigned partitions exactly tps: the others are
// dropped with their buffered records, the missing ones are added in
// order (addPart). It returns the dropped partitions franz-go was
// consuming, for the caller to remove from the client.
func (c *KafkaConsumer) setParts(tps []tp) (removed []tp) {
	want := make(map[tp]bool, len(tps))
	for _, t := range tps {
		want[t] = true
	}
	for t, ps := range c.parts {
		if !want[t] {
			c.dropBuffered(ps)
			delete(c.parts, t)
			if ps.added {
				removed = append(removed, t)
			}
		}
	}
	for _, t := range tps {
		if c.parts[t] == nil {
			c.addPart(t)
		}
	}
	return removed
}

func (c *KafkaConsumer) pyAssignment(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	if c.subscribed && c.set.groupID == "" && !c.closed {
		// Without a group, a subscription assigns every partition of
		// the subscribed topics, found from metadata.
		if err := c.refreshDirect(thread, true); err != nil {
			return nil, err
		}
	}
	return topicPartSet(c.assigned()), nil
}

// assigned returns the assigned partitions, sorted.
func (c *KafkaConsumer) assigned() []tp {
	tps := make([]tp, 0, len(c.parts))
	for t := range c.parts {
		tps = append(tps, t)
	}
	sortTPs(tps)
	return tps
}

// topicPartSet returns a set of TopicPartitions in sorted order.
func topicPartSet(tps []tp) *starlark.Set {
	sortTPs(tps)
	s := starlark.NewSet(len(tps))
	for _, t := range tps {
		_ = s.Insert(t.value())
	}
	return s
}

// topicPartArg unpacks a TopicPartition argument with kafka-python's
// TypeError for anything else.
func topicPartArg(v starlark.Value) (tp, error) {
	topic, p, ok := AsTopicPartition(v)
	if !ok {
		return tp{}, py.NewException(py.TypeError, "partition must be a TopicPartition namedtuple")
	}
	return tp{topic, p}, nil
}

// topicPartArgs unpacks the *partitions of pause, resume and seek_to_*
// (name), which take no keywords.
func topicPartArgs(name string, args starlark.Tuple, kwargs []starlark.Tuple) ([]tp, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", name, kwargs[0][0])
	}
	tps := make([]tp, 0, len(args))
	for _, a := range args {
		topic, p, ok := AsTopicPartition(a)
		if !ok {
			return nil, py.NewException(py.TypeError, "partitions must be TopicPartition namedtuples")
		}
		tps = append(tps, tp{topic, p})
	}
	return tps, nil
}
