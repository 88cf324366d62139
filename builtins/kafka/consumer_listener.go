package kafka

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// ConsumerRebalanceListenerClass is kafka.ConsumerRebalanceListener.
// Scripts subclass it as in kafka-python (the consumer calls the
// subclass's on_partitions_revoked and on_partitions_assigned; one it does
// not define does nothing), or call it with the functions:
//
//	listener = ConsumerRebalanceListener(
//	    on_partitions_revoked=lambda revoked: print('revoked', revoked),
//	    on_partitions_assigned=lambda assigned: print('assigned', assigned))
//
// Either function may be omitted (it then does nothing). subscribe() also
// accepts any value with both attributes, such as a struct.
var ConsumerRebalanceListenerClass = &listenerClass{}

type listenerClass struct{}

var (
	_ starlark.Callable = (*listenerClass)(nil)
	_ py.Documented     = (*listenerClass)(nil)
	_ py.Subclassable   = (*listenerClass)(nil)
)

// NewPart is ConsumerRebalanceListener.__init__ for a script's subclass:
// a listener whose callbacks do nothing, for the methods the subclass
// does not define.
func (c *listenerClass) NewPart(thread *starlark.Thread, self *py.Object, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.CallInternal(thread, args, kwargs)
}

func (*listenerClass) String() string {
	return "<class 'kafka.consumer.subscription_state.ConsumerRebalanceListener'>"
}
func (*listenerClass) Type() string         { return "type" }
func (*listenerClass) Freeze()              {}
func (*listenerClass) Truth() starlark.Bool { return true }
func (*listenerClass) Hash() (uint32, error) {
	return starlark.String("ConsumerRebalanceListener").Hash()
}
func (*listenerClass) Name() string { return "ConsumerRebalanceListener" }

// Attr gives ConsumerRebalanceListener.__init__, which a subclass's
// __init__ may call explicitly, and the class's names.
func (c *listenerClass) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__init__":
		return py.SubclassInit(c), nil
	case "__name__", "__qualname__":
		return starlark.String("ConsumerRebalanceListener"), nil
	case "__module__":
		return starlark.String("kafka.consumer.subscription_state"), nil
	}
	return nil, nil
}

// AttrNames lists the attributes Attr answers.
func (c *listenerClass) AttrNames() []string {
	return []string{"__init__", "__module__", "__name__", "__qualname__"}
}

// Doc describes the constructor for help().
func (*listenerClass) Doc() string {
	return `ConsumerRebalanceListener(on_partitions_revoked=None, on_partitions_assigned=None)
    A rebalance listener for KafkaConsumer.subscribe(listener=...). Each
    function receives a set of TopicPartition and runs on the script's
    thread during poll/iteration; revoked runs (with set() on the first
    join) before assigned. Exceptions they raise are logged and ignored,
    as kafka-python 2.0.2 does.`
}

// CallInternal builds a listener.
func (*listenerClass) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var revoked, assigned starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackArgs("ConsumerRebalanceListener", args, kwargs, "on_partitions_revoked?", &revoked, "on_partitions_assigned?", &assigned); err != nil {
		return nil, err
	}
	l := &RebalanceListener{revoked: revoked, assigned: assigned}
	for _, f := range []struct {
		name string
		v    *starlark.Value
	}{{"on_partitions_revoked", &l.revoked}, {"on_partitions_assigned", &l.assigned}} {
		if *f.v == starlark.None {
			name := f.name
			*f.v = starlark.NewBuiltin(name, func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
				return starlark.None, nil
			})
			continue
		}
		if _, ok := (*f.v).(starlark.Callable); !ok {
			return nil, py.Errorf(py.TypeError, "ConsumerRebalanceListener: %s must be callable, not %s", f.name, py.TypeName(*f.v))
		}
	}
	return l, nil
}

// RebalanceListener is a ConsumerRebalanceListener instance.
type RebalanceListener struct {
	revoked, assigned starlark.Value
}

var _ starlark.HasAttrs = (*RebalanceListener)(nil)

func (l *RebalanceListener) String() string {
	return fmt.Sprintf("<kafka.consumer.subscription_state.ConsumerRebalanceListener object at %p>", l)
}
func (l *RebalanceListener) Type() string         { return "ConsumerRebalanceListener" }
func (l *RebalanceListener) Freeze()              {}
func (l *RebalanceListener) Truth() starlark.Bool { return true }

// Hash is by identity, as for Python objects.
func (l *RebalanceListener) Hash() (uint32, error) { return hashPointer(l), nil }

// Attr returns the two callbacks.
func (l *RebalanceListener) Attr(name string) (starlark.Value, error) {
	switch name {
	case "on_partitions_revoked":
		return l.revoked, nil
	case "on_partitions_assigned":
		return l.assigned, nil
	}
	return nil, nil
}

// AttrNames lists the callbacks.
func (l *RebalanceListener) AttrNames() []string {
	return []string{"on_partitions_assigned", "on_partitions_revoked"}
}

// rebalanceListenerMethod returns a listener's callable attribute, or nil.
func rebalanceListenerMethod(l starlark.Value, name string) starlark.Callable {
	ha, ok := l.(starlark.HasAttrs)
	if !ok {
		return nil
	}
	v, err := ha.Attr(name)
	if err != nil || v == nil {
		return nil
	}
	c, _ := v.(starlark.Callable)
	return c
}

// isRebalanceListener accepts any value with callable
// on_partitions_revoked and on_partitions_assigned attributes.
func isRebalanceListener(l starlark.Value) bool {
	return rebalanceListenerMethod(l, "on_partitions_revoked") != nil && rebalanceListenerMethod(l, "on_partitions_assigned") != nil
}

// callListener calls one of the listener's functions with a set of
// partitions; like kafka-python 2.0.2, a failure is logged, not raised.
func (c *KafkaConsumer) callListener(thread *starlark.Thread, name string, tps []tp) {
	if c.listener == nil || !isRebalanceListener(c.listener) {
		return
	}
	fn := rebalanceListenerMethod(c.listener, name)
	if _, err := starlark.Call(thread, fn, starlark.Tuple{topicPartSet(tps)}, nil); err != nil {
		what := "assignment"
		if name == "on_partitions_revoked" {
			what = "revocation"
		}
		c.warn("User provided listener %s for group %s failed on partition %s: %s", py.Repr(c.listener), c.set.groupID, what, rebalanceErrorText(err))
	}
}

func rebalanceErrorText(err error) string {
	if e := py.AsException(err); e != nil {
		return e.Error()
	}
	return err.Error()
}

// flattenAssignment turns franz-go's partition map into sorted partitions.
func flattenAssignment(m map[string][]int32) []tp {
	var tps []tp
	for topic, ps := range m {
		for _, p := range ps {
			tps = append(tps, tp{topic, p})
		}
	}
	sortTPs(tps)
	return tps
}

// rebalanceOpts connects franz-go's group callbacks to the script's
// thread: each one queues the work and waits for the script to run it at
// its next safe point, as kafka-python rebalances inside poll().
func (c *KafkaConsumer) rebalanceOpts(g *clientGen) []kgo.Opt {
	return []kgo.Opt{
		kgo.OnPartitionsAssigned(func(ctx context.Context, _ *kgo.Client, assigned map[string][]int32) {
			_ = c.callOnScript(ctx, g, func(thread *starlark.Thread) error {
				c.onAssigned(thread, g, flattenAssignment(assigned))
				return nil
			})
		}),
		kgo.OnPartitionsRevoked(func(ctx context.Context, _ *kgo.Client, revoked map[string][]int32) {
			_ = c.callOnScript(ctx, g, func(thread *starlark.Thread) error {
				c.onRevoked(thread, g, flattenAssignment(revoked), true)
				return nil
			})
		}),
		kgo.OnPartitionsLost(func(ctx context.Context, _ *kgo.Client, lost map[string][]int32) {
			_ = c.callOnScript(ctx, g, func(thread *starlark.Thread) error {
				c.onRevoked(thread, g, flattenAssignment(lost), false)
				return nil
			})
		}),
		kgo.AdjustFetchOffsetsFn(func(ctx context.Context, offsets map[string]map[int32]kgo.Offset) (map[string]map[int32]kgo.Offset, error) {
			out := offsets
			err := c.callOnScript(ctx, g, func(thread *starlark.Thread) error {
				out = c.adjustOffsets(thread, g, offsets)
				return nil
			})
			return out, err
		}),
	}
}

// onAssigned records a new assignment and tells the listener (first
// on_partitions_revoked(set()) if no revocation preceded it, as on a first
// join in kafka-python).
func (c *KafkaConsumer) onAssigned(thread *starlark.Thread, g *clientGen, assigned []tp) {
	if c.cur != g || c.closed {
		return
	}
	for _, t := range assigned {
		if c.parts[t] == nil {
			c.addPart(t)
		}
	}
	c.metrics.setAssigned(len(c.parts))
	if !c.revokeCalled {
		c.callListener(thread, "on_partitions_revoked", nil)
	}
	c.callListener(thread, "on_partitions_assigned", assigned)
	c.revokeCalled = false
}

// onRevoked drops revoked (or lost) partitions: with auto-commit, their
// positions are committed first (not for lost ones, which another member
// may already own), then the listener hears of them.
func (c *KafkaConsumer) onRevoked(thread *starlark.Thread, g *clientGen, revoked []tp, commit bool) {
	if c.cur != g || c.closed {
		return
	}
	if commit && c.set.autoCommit {
		offsets := map[tp]offsetToCommit{}
		for _, t := range revoked {
			if ps := c.parts[t]; ps != nil && ps.position >= 0 {
				offsets[t] = offsetToCommit{offset: ps.position}
			}
		}
		if err := c.commitSync(thread, offsets, c.set.requestTimeout); err != nil {
			c.warn("Offset commit failed before rebalance for group %s: %s", c.set.groupID, py.Str(KafkaException(err)))
		}
	}
	c.callListener(thread, "on_partitions_revoked", revoked)
	c.revokeCalled = true
	var resume []tp
	for _, t := range revoked {
		if ps := c.parts[t]; ps != nil {
			c.dropBuffered(ps)
			delete(c.parts, t)
			if ps.paused {
				resume = append(resume, t)
			}
		}
	}
	if len(resume) > 0 {
		g.cl.ResumeFetchPartitions(topicPartMap(resume))
	}
	c.metrics.setAssigned(len(c.parts))
}

// adjustOffsets decides where newly assigned partitions start, before
// franz-go fetches them: a seek made in on_partitions_assigned wins, then
// the committed offset, then auto_offset_reset. Every partition gets an
// exact offset, so position() and seek() work before the first fetch.
func (c *KafkaConsumer) adjustOffsets(thread *starlark.Thread, g *clientGen, offsets map[string]map[int32]kgo.Offset) map[string]map[int32]kgo.Offset {
	if c.cur != g || c.closed {
		return offsets
	}
	known := map[tp]int64{}
	var pss []*partState
	for topic, parts := range offsets {
		for p, off := range parts {
			t := tp{topic, p}
			ps := c.parts[t]
			if ps == nil {
				ps = c.addPart(t)
			}
			if eo := off.EpochOffset(); eo.Offset >= 0 {
				known[t] = eo.Offset
			}
			pss = append(pss, ps)
		}
	}
	if err := c.resolvePositions(thread, pss, known); err != nil && c.asyncErr == nil {
		c.asyncErr = err
	}
	out := make(map[string]map[int32]kgo.Offset, len(offsets))
	for topic, parts := range offsets {
		out[topic] = make(map[int32]kgo.Offset, len(parts))
		for p, off := range parts {
			ps := c.parts[tp{topic, p}]
			if ps != nil && ps.position >= 0 {
				off = kgo.NewOffset().At(ps.position)
				ps.reset = false
			}
			if ps != nil {
				ps.added = true
			}
			out[topic][p] = off
		}
	}
	return out
}
