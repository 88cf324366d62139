package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// KafkaConsumerClass is kafka.KafkaConsumer: KafkaConsumer(*topics,
// **configs) builds a consumer, subscribed to topics when any are given.
var KafkaConsumerClass = &clientClass{
	name:       "KafkaConsumer",
	pyPath:     "kafka.consumer.group.KafkaConsumer",
	keys:       func() []string { return consumerSpec().KeyNames() },
	methods:    func() []string { return consumerMethods.Names() },
	positional: true,
	construct: func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return newKafkaConsumer(thread, args, kwargs)
	},
	doc: `KafkaConsumer(*topics, **configs)
    kafka-python's consumer on franz-go. Iterate it (for msg in consumer:)
    or call poll(); records are ConsumerRecord namedtuples. Defaults as
    kafka-python: group_id=None, auto_offset_reset='latest',
    enable_auto_commit=True, consumer_timeout_ms forever.
    Methods: subscribe, unsubscribe, subscription, assign, assignment, poll,
    commit, commit_async, committed, position, seek, seek_to_beginning,
    seek_to_end, beginning_offsets, end_offsets, offsets_for_times,
    highwater, pause, resume, paused, topics, partitions_for_topic,
    metrics, bootstrap_connected, close.`,
}

// tp is a topic partition as a map key.
type tp struct {
	topic     string
	partition int32
}

func (t tp) value() starlark.Value { return NewTopicPartition(t.topic, t.partition) }
func (t tp) String() string        { return py.Repr(t.value()) }

func sortTPs(tps []tp) {
	sort.Slice(tps, func(i, j int) bool {
		if tps[i].topic != tps[j].topic {
			return tps[i].topic < tps[j].topic
		}
		return tps[i].partition < tps[j].partition
	})
}

// partState is the consumer's view of one assigned partition. It lives on
// the script's thread only.
type partState struct {
	tp        tp
	position  int64 // next offset to yield; -1 until known
	highwater int64 // -1 until a fetch reported one
	paused    bool
	// reset: franz-go's fetch cursor must be moved to position before the
	// next fetch (after a seek, or after records were dropped).
	reset bool
	// added: franz-go is fetching this partition (direct consuming), or
	// has loaded its offsets (group consuming).
	added bool
	// resetTo: a pending seek_to_beginning (-2) or seek_to_end (-1),
	// resolved when the position is next needed.
	resetTo int64
	// gen: fetched data polled before this generation is stale.
	gen uint64
	// outOfRange: a fetch at position answered OFFSET_OUT_OF_RANGE;
	// auto_offset_reset applies at the next fill (resetOutOfRange).
	outOfRange bool
	// committed is the partition's committed OffsetAndMetadata as
	// kafka-python caches it (see rememberCommitted); nil when unknown.
	committed starlark.Value
}

// clientGen is one franz-go client of a consumer; a consumer replaces its
// client when it switches between direct and group consuming.
type clientGen struct {
	cl      *kgo.Client
	group   bool
	closing atomic.Bool
}

// KafkaConsumer is a kafka-python KafkaConsumer backed by a franz-go
// client. All of its state is owned by the script's thread; franz-go's
// goroutines reach it only through the call queue.
type KafkaConsumer struct {
	thread  *starlark.Thread
	env     *KafkaEnv
	stderr  io.Writer // the script's, for kafka-python's log lines
	cfg     *Config
	set     *consumerSettings
	base    []kgo.Opt // client options shared by every client generation
	configs *starlark.Dict
	// methods are c's methods, bound once (consumerMethods.BindAll).
	methods map[string]starlark.Value

	cur      *clientGen
	queue    *callQueue
	commitMu sync.Mutex // one commit request at a time, in order

	// Subscription: topics (subscribe by name), pattern, or a user
	// assignment.
	subTopics  []string
	subscribed bool
	pattern    *regexp.Regexp
	patternSrc string
	listener   starlark.Value
	userAssign bool
	// direct subscription (group_id=None): when to refresh metadata.
	nextMeta time.Time
	// revokeCalled: on_partitions_revoked has run since the last
	// assignment (kafka-python calls it with set() on the first join).
	revokeCalled bool

	parts   map[tp]*partState
	gen     uint64
	buf     fetchBuffer
	yielded int // records yielded since the last safe point
	// lastFetched is how many records the last poll of franz-go brought.
	lastFetched int
	resolveAt   time.Time

	autoCommitAt time.Time
	// asyncErr is an error found while running a franz-go callback,
	// raised from the next poll or iteration.
	asyncErr error
	closed   bool
	id       uint32
	metrics  *consumerMetrics
}

var (
	_ starlark.Value    = (*KafkaConsumer)(nil)
	_ starlark.HasAttrs = (*KafkaConsumer)(nil)
	_ starlark.Iterable = (*KafkaConsumer)(nil)
	_ Client            = (*KafkaConsumer)(nil)
)

func newKafkaConsumer(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (*KafkaConsumer, error) {
	var topics []string
	for i, a := range args {
		s, ok := a.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "KafkaConsumer() topics must be str, not %s (argument %d)", py.TypeName(a), i+1)
		}
		topics = append(topics, string(s))
	}
	spec := consumerSpec()
	cfg, err := spec.Parse(kwargs)
	if err != nil {
		return nil, err
	}
	set, err := parseConsumerSettings(cfg)
	if err != nil {
		return nil, err
	}
	env := KafkaEnvOf(thread)
	if set.groupID != "" {
		if err := env.CheckGroup(set.groupID); err != nil {
			return nil, err
		}
	}
	base, err := clientOpts(thread, env, cfg)
	if err != nil {
		return nil, err
	}
	c := &KafkaConsumer{
		thread:  thread,
		env:     env,
		stderr:  py.EnvOf(thread).Stderr,
		cfg:     cfg,
		set:     set,
		queue:   newCallQueue(),
		parts:   map[tp]*partState{},
		metrics: newConsumerMetrics(cfg),
		id:      consumerIDs.Add(1),
	}
	c.configs = configDict(spec, cfg)
	c.methods = consumerMethods.BindAll(c)
	c.base = append(base, consumerOpts(cfg)...)
	// kstar applies auto_offset_reset itself (resolvePositions,
	// resetOutOfRange), so that positions stay its own: franz-go never
	// resets, it reports OFFSET_OUT_OF_RANGE in the fetch.
	c.base = append(c.base, kgo.WithHooks(c.metrics), kgo.ConsumeStartOffset(c.resetOffset()),
		kgo.ConsumeResetOffset(kgo.NoResetOffset()), kgo.MaxVersions(consumerVersions()))
	cl, err := c.client()
	if err != nil {
		return nil, err
	}
	// kafka-python connects and probes the cluster in its constructor.
	if err := pingCluster(thread, cl, cfg); err != nil {
		cl.Close()
		return nil, err
	}
	env.Track(c)
	c.autoCommitAt = time.Now().Add(set.autoCommitInterval)
	if len(topics) > 0 {
		if err := c.subscribeTopics(thread, topics, nil); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// configDict is the consumer's config attribute: every key and its value.
func configDict(spec *ConfigSpec, cfg *Config) *starlark.Dict {
	d := starlark.NewDict(len(spec.Keys))
	for _, k := range spec.Keys {
		_ = d.SetKey(starlark.String(k.Name), cfg.Get(k.Name))
	}
	return d
}

// consumerVersions caps OffsetCommit and OffsetFetch below v10, where
// topics are named by ID: kstar's own commit and committed() requests name
// topics, as kafka-python's do.
func consumerVersions() *kversion.Versions {
	v := kversion.Stable()
	v.SetMaxKeyVersion(int16(kmsg.OffsetCommit), 9)
	v.SetMaxKeyVersion(int16(kmsg.OffsetFetch), 9)
	return v
}

// resetOffset is where franz-go starts a group partition that kstar has
// given no position (one whose auto_offset_reset lookup failed).
func (c *KafkaConsumer) resetOffset() kgo.Offset {
	switch c.set.reset {
	case "earliest":
		return kgo.NewOffset().AtStart()
	case "latest":
		return kgo.NewOffset().AtEnd()
	}
	return kgo.NoResetOffset()
}

// client returns the current franz-go client, making a direct (group-less)
// one when there is none.
func (c *KafkaConsumer) client() (*kgo.Client, error) {
	if c.cur != nil {
		return c.cur.cl, nil
	}
	g, err := c.newClient(false)
	if err != nil {
		return nil, err
	}
	c.setCur(g)
	return g.cl, nil
}

// setCur makes g the current client generation (script thread only;
// franz-go callbacks hold their own generation).
func (c *KafkaConsumer) setCur(g *clientGen) { c.cur = g }

// newClient makes a franz-go client; a group client joins group_id with
// the current subscription.
func (c *KafkaConsumer) newClient(group bool) (*clientGen, error) {
	g := &clientGen{group: group}
	opts := append([]kgo.Opt{}, c.base...)
	if group {
		opts = append(opts, groupOpts(c.cfg, c.set)...)
		opts = append(opts, c.rebalanceOpts(g)...)
		if c.pattern != nil {
			opts = append(opts, kgo.ConsumeRegex(), kgo.ConsumeTopics(c.regexFor()))
		} else {
			opts = append(opts, kgo.ConsumeTopics(c.subTopics...))
		}
	}
	cl, _, err := c.env.OpenClient(ConsumerClient, opts)
	if err != nil {
		return nil, err
	}
	g.cl = cl
	return g, nil
}

// regexFor returns the pattern as franz-go applies it: anchored at the
// start like Python's re.match.
func (c *KafkaConsumer) regexFor() string { return "^(?:" + c.patternSrc + ")" }

// retire closes a client generation in the background: its callbacks stop
// reaching the script, it leaves its group, and its connections close.
func (c *KafkaConsumer) retire(thread *starlark.Thread, g *clientGen, timeout time.Duration) error {
	if g == nil {
		return nil
	}
	g.closing.Store(true)
	done := make(chan struct{})
	go func() {
		defer close(done)
		g.cl.Close()
	}()
	_, err := c.await(thread, done, timeout)
	return err
}

// ---- the Starlark value ----

func (c *KafkaConsumer) String() string {
	return fmt.Sprintf("<kafka.consumer.group.KafkaConsumer object at %p>", c)
}
func (c *KafkaConsumer) Type() string         { return "KafkaConsumer" }
func (c *KafkaConsumer) Freeze()              {}
func (c *KafkaConsumer) Truth() starlark.Bool { return true }

// Hash is by identity, as for Python objects.
func (c *KafkaConsumer) Hash() (uint32, error) { return c.id, nil }

// consumerMethods are KafkaConsumer's methods, by name.
var consumerMethods = py.MethodTable[*KafkaConsumer]{
	"subscribe":            (*KafkaConsumer).pySubscribe,
	"unsubscribe":          (*KafkaConsumer).pyUnsubscribe,
	"subscription":         (*KafkaConsumer).pySubscription,
	"assign":               (*KafkaConsumer).pyAssign,
	"assignment":           (*KafkaConsumer).pyAssignment,
	"poll":                 (*KafkaConsumer).pyPoll,
	"commit":               (*KafkaConsumer).pyCommit,
	"commit_async":         (*KafkaConsumer).pyCommitAsync,
	"committed":            (*KafkaConsumer).pyCommitted,
	"position":             (*KafkaConsumer).pyPosition,
	"seek":                 (*KafkaConsumer).pySeek,
	"seek_to_beginning":    (*KafkaConsumer).pySeekToBeginning,
	"seek_to_end":          (*KafkaConsumer).pySeekToEnd,
	"beginning_offsets":    (*KafkaConsumer).pyBeginningOffsets,
	"end_offsets":          (*KafkaConsumer).pyEndOffsets,
	"offsets_for_times":    (*KafkaConsumer).pyOffsetsForTimes,
	"highwater":            (*KafkaConsumer).pyHighwater,
	"pause":                (*KafkaConsumer).pyPause,
	"resume":               (*KafkaConsumer).pyResume,
	"paused":               (*KafkaConsumer).pyPaused,
	"topics":               (*KafkaConsumer).pyTopics,
	"partitions_for_topic": (*KafkaConsumer).pyPartitionsForTopic,
	"metrics":              (*KafkaConsumer).pyMetrics,
	"bootstrap_connected":  (*KafkaConsumer).pyBootstrapConnected,
	"close":                (*KafkaConsumer).pyClose,
	"__enter__":            clientEnter[*KafkaConsumer],
	"__exit__":             clientExit((*KafkaConsumer).pyClose),
}

// Attr returns a bound method, or the config dict.
func (c *KafkaConsumer) Attr(name string) (starlark.Value, error) {
	if name == "config" {
		return c.configs, nil
	}
	return c.methods[name], nil
}

// AttrNames lists the methods and config.
func (c *KafkaConsumer) AttrNames() []string { return consumerMethods.Names("config") }

// ---- assignment ----

func (c *KafkaConsumer) checkOpen() error {
	if c.closed {
		return py.NewException(IllegalStateError, "KafkaConsumer is closed")
	}
	return nil
}

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

// ---- running on the script's thread ----

// runQueue runs the calls franz-go's goroutines queued for the script.
func (c *KafkaConsumer) runQueue(thread *starlark.Thread) error {
	if c.queue.pending() == 0 {
		return nil
	}
	return c.queue.run(thread)
}

// await blocks the script's thread until done is closed or timeout passes
// (negative: no limit), running queued calls meanwhile. It reports
// whether done was closed; cancellation of the execution is an error.
func (c *KafkaConsumer) await(thread *starlark.Thread, done <-chan struct{}, timeout time.Duration) (bool, error) {
	ctx := py.ContextOf(thread)
	var timer <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	for {
		if err := c.runQueue(thread); err != nil {
			return false, err
		}
		switch _, w := awaitUnlocked(thread, done, c.queue.Ready(), ctx, timer); w {
		case wakeDone:
			return true, nil
		case wakeTimer:
			return false, nil
		case wakeStop:
			return false, py.Interrupted(ctx)
		}
	}
}

// do runs fn with the current client on another goroutine, bounded by
// timeout, while the script's thread keeps running queued calls.
func (c *KafkaConsumer) do(thread *starlark.Thread, timeout time.Duration, fn func(ctx context.Context, cl *kgo.Client) error) error {
	cl, err := c.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	done := make(chan struct{})
	var fnErr error
	go func() {
		defer close(done)
		fnErr = fn(ctx, cl)
	}()
	ok, err := c.await(thread, done, -1)
	if !ok {
		cancel()
		py.Unlocked(thread, func() { <-done })
		return err
	}
	if fnErr != nil && errors.Is(fnErr, context.DeadlineExceeded) && ctx.Err() != nil {
		return py.Errorf(KafkaTimeoutError, "Timed out after %s", fmtMs(timeout))
	}
	return fnErr
}

func fmtMs(d time.Duration) string {
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// callOnScript is how franz-go's goroutines run fn on the script's thread:
// it queues fn and waits until it ran, the client generation closes, or
// ctx ends. fn does not run at all when the wait was abandoned first.
func (c *KafkaConsumer) callOnScript(ctx context.Context, g *clientGen, fn func(thread *starlark.Thread) error) error {
	if g.closing.Load() {
		return errConsumerClosing
	}
	done := make(chan error, 1)
	var abandoned atomic.Bool
	c.queue.push(func(thread *starlark.Thread) error {
		if abandoned.Load() || g.closing.Load() {
			done <- errConsumerClosing
			return nil
		}
		done <- fn(thread)
		return nil
	})
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			abandoned.Store(true)
			return ctx.Err()
		case <-tick.C:
			if g.closing.Load() {
				abandoned.Store(true)
				return errConsumerClosing
			}
		}
	}
}

var errConsumerClosing = errors.New("consumer closing")

var consumerIDs atomic.Uint32

// warn writes a kafka-python style log line to the script's stderr.
func (c *KafkaConsumer) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(c.stderr, msg)
}
