package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	return consumerMethods.Bind(c, name), nil
}

// AttrNames lists the methods and config.
func (c *KafkaConsumer) AttrNames() []string { return consumerMethods.Names("config") }

func (c *KafkaConsumer) checkOpen() error {
	if c.closed {
		return py.NewException(IllegalStateError, "KafkaConsumer is closed")
	}
	return nil
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
