package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// KafkaProducerClass is kafka.KafkaProducer: KafkaProducer(**configs)
// builds a producer.
var KafkaProducerClass = &clientClass{
	name:    "KafkaProducer",
	pyPath:  "kafka.producer.kafka.KafkaProducer",
	keys:    func() []string { return producerSpec().KeyNames() },
	methods: func() []string { return producerMethods.Names() },
	construct: func(thread *starlark.Thread, _ starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return newKafkaProducer(thread, kwargs)
	},
	doc: `KafkaProducer(**configs)
    kafka-python's producer on franz-go. send(topic, value=None, key=None,
    headers=None, partition=None, timestamp_ms=None) returns a
    FutureRecordMetadata at once; get(timeout) waits for its
    RecordMetadata. Defaults are kafka-python's names with safe modern
    behaviour: acks='all', idempotence on, retries bounded by
    delivery_timeout_ms. Callbacks (add_callback/add_errback) run on the
    script's thread, in delivery order per partition, during send, flush,
    get, close and when the script ends.
    Methods: send, flush, close, partitions_for, metrics,
    bootstrap_connected, init_transactions, begin_transaction,
    send_offsets_to_transaction, commit_transaction, abort_transaction.`,
}

// txnState is kafka-python's TransactionState, for the messages of its
// errors.
type txnState int

const (
	txnUninitialized  txnState = 0
	txnReady          txnState = 2
	txnInTransaction  txnState = 3
	txnCommitting     txnState = 4
	txnAborting       txnState = 5
	txnAbortableError txnState = 6
)

func (s txnState) String() string {
	return [...]string{"UNINITIALIZED", "INITIALIZING", "READY", "IN_TRANSACTION", "COMMITTING_TRANSACTION", "ABORTING_TRANSACTION", "ABORTABLE_ERROR"}[s]
}

// topicMeta is what send needs to know about a topic: its partitions
// (sorted) and those with a leader.
type topicMeta struct {
	partitions []int32
	available  []int32
	fetched    time.Time
}

func (m *topicMeta) has(p int32) bool {
	i := sort.Search(len(m.partitions), func(i int) bool { return m.partitions[i] >= p })
	return i < len(m.partitions) && m.partitions[i] == p
}

// serializer is a key_serializer or value_serializer: a callable f(data)
// or an object with serialize(topic, data).
type serializer struct {
	fn        starlark.Callable
	withTopic bool
	obj       starlark.Value
}

// KafkaProducer is kafka-python's KafkaProducer on a franz-go client.
// Its fields are owned by the script's thread except the atomics, which
// franz-go's promise goroutine updates.
type KafkaProducer struct {
	env      *KafkaEnv
	stderr   io.Writer // the script's, for the undelivered-records line
	cfg      *Config
	cl       *kgo.Client
	shared   bool // cl is the host's (KafkaEnv.HostClient): flushed, never closed
	queue    *callQueue
	hooks    *producerHooks
	clientID string
	txnID    string
	acks     int
	// idempotent is the effective enable_idempotence.
	idempotent bool
	// methods are p's methods, bound once (producerMethods.BindAll).
	methods map[string]starlark.Value
	// sendMethod is methods["send"], returned without a map lookup.
	sendMethod starlark.Value
	config     *starlark.Dict

	keySer, valueSer serializer
	partitioner      starlark.Callable
	maxRequestSize   int
	bufferMemory     int64
	maxBlock         time.Duration
	requestTimeout   time.Duration
	deliveryTimeout  time.Duration
	autoCreate       bool
	promise          func(*kgo.Record, error)
	closed           bool

	// delivery_timeout_ms: records sent in the same 100 ms share a
	// context whose deadline is delivery_timeout_ms later (franz-go's
	// own RecordDeliveryTimeout counts from the record's timestamp, which
	// would expire records sent with an old timestamp_ms at once).
	deliveryCtx    context.Context
	deliveryCancel context.CancelFunc
	deliveryEnd    time.Time

	topics    map[string]*topicMeta
	lastTopic string
	lastMeta  *topicMeta

	// Buffer accounting for buffer_memory: sentBytes is what send has
	// handed to franz-go (script thread); doneBytes what franz-go has
	// finished (promise goroutine). space is signalled when a waiting
	// send (waiting set) may have room.
	sentBytes int64
	doneBytes atomic.Int64
	// room is how much send may still hand over before it reads
	// doneBytes again (the script's thread reads the promise's counter
	// only when its last reading is used up).
	room    int64
	waiting atomic.Bool
	space   chan struct{}

	lsoMu sync.Mutex
	lso   map[string]*lsoEntry

	txn          txnState
	txnInitDone  bool
	txnOffsets   bool
	txnSucceeded atomic.Int64
	txnErrMu     sync.Mutex
	txnErr       error

	// unseen counts the records that failed (see unseenFailure) and
	// whose future the script has not looked at; lastFailed is the
	// latest record that failed so, with its error.
	unseen        atomic.Int64
	lastFailedMu  sync.Mutex
	lastFailed    *kgo.Record
	lastFailedErr error
}

// lsoEntry caches the log start offsets of a topic's partitions, which
// RecordMetadata.log_start_offset shows (franz-go does not pass on the
// produce response's value): ListOffsets(earliest), refreshed every
// metadata_max_age_ms.
type lsoEntry struct {
	done    chan struct{}
	offsets map[int32]int64
	fetched time.Time
}

// recordOverhead is what one buffered record costs kstar beyond its key,
// value and headers; buffer_memory counts it so that many tiny records
// cannot use unbounded memory.
const recordOverhead = int64(unsafe.Sizeof(FutureRecordMetadata{}))

var producerSpecOnce = sync.OnceValue(producerSpec)

const producerCountKey = "kstar.producer.count"

func newKafkaProducer(thread *starlark.Thread, kwargs []starlark.Tuple) (*KafkaProducer, error) {
	env := KafkaEnvOf(thread)
	cfg, err := producerSpecOnce().Parse(kwargs)
	if err != nil {
		return nil, err
	}
	p := &KafkaProducer{
		env:             env,
		stderr:          py.EnvOf(thread).Stderr,
		cfg:             cfg,
		queue:           newCallQueue(),
		topics:          map[string]*topicMeta{},
		lso:             map[string]*lsoEntry{},
		space:           make(chan struct{}, 1),
		maxRequestSize:  int(cfg.Int("max_request_size", 1048576)),
		bufferMemory:    cfg.Int("buffer_memory", 33554432),
		maxBlock:        cfgDuration(cfg, "max_block_ms"),
		requestTimeout:  cfgDuration(cfg, "request_timeout_ms"),
		deliveryTimeout: cfgDuration(cfg, "delivery_timeout_ms"),
		autoCreate:      cfg.Bool("allow_auto_create_topics"),
		txnID:           cfg.String("transactional_id"),
	}
	p.promise = p.onPromise

	// compression_type: kafka-python raises ValueError for anything else.
	var codec kgo.CompressionCodec
	switch ct := cfg.Get("compression_type"); ct {
	case starlark.None:
		codec = kgo.NoCompression()
	case starlark.String("gzip"):
		codec = kgo.GzipCompression()
	case starlark.String("snappy"):
		codec = kgo.SnappyCompression()
	case starlark.String("lz4"):
		codec = kgo.Lz4Compression()
	case starlark.String("zstd"):
		codec = kgo.ZstdCompression()
	default:
		return nil, py.Errorf(py.ValueError, "Not supported codec: %s", py.Str(ct))
	}

	// acks and idempotence follow kafka-python 3.0: idempotence is the
	// default; user-provided acks 0/1, retries=0 or more than 5 requests
	// in flight silently turn it off unless enable_idempotence (or
	// transactional_id) was given explicitly, which makes them an error.
	p.acks = -1
	if n, ok := cfg.Get("acks").(starlark.Int); ok {
		p.acks, _ = starlark.AsInt32(n)
	}
	idempotent := cfg.Bool("enable_idempotence")
	userIdem := cfg.Given["enable_idempotence"]
	if userIdem && !idempotent && p.txnID != "" {
		return nil, py.NewException(KafkaConfigurationError, "Cannot set transactional_id without enable_idempotence.")
	}
	if p.txnID != "" {
		idempotent, userIdem = true, true
	}
	retries := cfg.Get("retries")
	inflight := cfg.Int("max_in_flight_requests_per_connection", 5)
	if idempotent {
		var conflicts []string
		if cfg.Given["acks"] && p.acks != -1 {
			conflicts = append(conflicts, "acks="+py.Repr(cfg.Get("acks")))
		}
		if cfg.Given["retries"] && retries.Truth() == starlark.False {
			conflicts = append(conflicts, "retries=0")
		}
		if cfg.Given["max_in_flight_requests_per_connection"] && inflight > 5 {
			conflicts = append(conflicts, "max_in_flight_requests_per_connection="+strconv.FormatInt(inflight, 10))
		}
		if len(conflicts) > 0 {
			if userIdem {
				return nil, py.Errorf(KafkaConfigurationError, "enable_idempotence=True is incompatible with user-provided %s", strings.Join(conflicts, ", "))
			}
			idempotent = false
		}
	}

	p.idempotent = idempotent

	// client_id None: 'kafka-python-producer-N', N counting this
	// script's producers (kafka-python counts per process).
	p.clientID = cfg.String("client_id")
	if p.clientID == "" {
		n, _ := thread.Local(producerCountKey).(int)
		n++
		thread.SetLocal(producerCountKey, n)
		p.clientID = fmt.Sprintf("kafka-python-producer-%d", n)
	}

	opts, err := clientOpts(thread, env, cfg)
	if err != nil {
		return nil, err
	}
	opts = append(opts,
		kgo.ClientID(p.clientID),
		kgo.RecordPartitioner(kafkaPartitioner{}),
		kgo.ProducerBatchCompression(codec),
		kgo.ProducerBatchMaxBytes(int32(min(max(p.maxRequestSize, 512), 1<<30))),
		kgo.MaxBufferedBytes(int(p.bufferMemory)+p.maxRequestSize+int(recordOverhead)),
		kgo.MaxBufferedRecords(int(p.bufferMemory/recordOverhead)+2),
	)
	if d := cfgDuration(cfg, "linger_ms"); d > 0 {
		opts = append(opts, kgo.ProducerLinger(d))
	}
	if p.requestTimeout > 0 {
		opts = append(opts, kgo.ProduceRequestTimeout(p.requestTimeout))
	}
	if f, ok := retries.(starlark.Float); !ok || !math.IsInf(float64(f), 1) {
		n := cfg.Int("retries", math.MaxInt32)
		opts = append(opts, kgo.RecordRetries(int(min(n, math.MaxInt32))))
	}
	switch p.acks {
	case 0:
		opts = append(opts, kgo.RequiredAcks(kgo.NoAck()))
	case 1:
		opts = append(opts, kgo.RequiredAcks(kgo.LeaderAck()))
	default:
		opts = append(opts, kgo.RequiredAcks(kgo.AllISRAcks()))
	}
	if !idempotent {
		opts = append(opts, kgo.DisableIdempotentWrite(), kgo.MaxProduceRequestsInflightPerBroker(int(max(inflight, 1))))
	}
	if p.autoCreate {
		opts = append(opts, kgo.AllowAutoTopicCreation())
	}
	if idempotent && p.txnID == "" {
		// delivery_timeout_ms bounds every record, also one whose request
		// is in flight to a hung broker, as in the Java client and
		// kafka-python 3.0 (franz-go would otherwise wait for an answer
		// to keep sequence numbers exact; it bumps the epoch instead).
		opts = append(opts, kgo.AllowIdempotentProduceCancellation())
	}
	if p.txnID != "" {
		// Transactions use the pre-KIP-890 wire flow (EndTxn v4 does
		// not bump the producer epoch), so that
		// send_offsets_to_transaction can end an offsets-only
		// transaction itself without desynchronising franz-go's epoch.
		versions := kversion.Stable()
		versions.SetMaxKeyVersion(int16(kmsg.Produce), 11)
		versions.SetMaxKeyVersion(int16(kmsg.EndTxn), 4)
		versions.SetMaxKeyVersion(int16(kmsg.TxnOffsetCommit), 4)
		opts = append(opts,
			kgo.TransactionalID(p.txnID),
			kgo.TransactionTimeout(cfgDuration(cfg, "transaction_timeout_ms")),
			kgo.MaxVersions(versions),
		)
	}
	p.hooks = newProducerHooks(cfg)
	opts = append(opts, kgo.WithHooks(p.hooks.all()...))

	if p.keySer, err = toSerializer(cfg.Get("key_serializer")); err != nil {
		return nil, err
	}
	if p.valueSer, err = toSerializer(cfg.Get("value_serializer")); err != nil {
		return nil, err
	}
	if fn, ok := cfg.Get("partitioner").(starlark.Callable); ok {
		p.partitioner = fn
	}

	if p.txnID != "" && env.HostClient != nil {
		return nil, py.NewException(KafkaConfigurationError, "transactional_id: scripts cannot run transactions on the host's client")
	}
	cl, shared, err := env.OpenClient(ProducerClient, opts)
	if err != nil {
		return nil, err
	}
	p.cl, p.shared = cl, shared
	p.hooks.detached = shared // the host's client has hooks of its own, not these
	if err := pingCluster(thread, cl, cfg); err != nil {
		if !shared {
			cl.Close()
		}
		return nil, err
	}
	p.methods = producerMethods.BindAll(p)
	p.sendMethod = p.methods["send"]
	env.Track(p)
	env.CheckAtEnd(p.checkDelivered)
	return p, nil
}

func toSerializer(v starlark.Value) (serializer, error) {
	switch v := v.(type) {
	case starlark.NoneType:
		return serializer{}, nil
	case starlark.Callable:
		return serializer{fn: v, obj: v}, nil
	case starlark.HasAttrs:
		m, _ := v.Attr("serialize")
		if fn, ok := m.(starlark.Callable); ok {
			return serializer{fn: fn, withTopic: true, obj: v}, nil
		}
	}
	return serializer{}, py.Errorf(KafkaConfigurationError, "serializer: want a callable, got %s", py.TypeName(v))
}

var (
	_ starlark.HasAttrs = (*KafkaProducer)(nil)
	_ py.Reprer         = (*KafkaProducer)(nil)
	_ Client            = (*KafkaProducer)(nil)
)

// String is kafka-python 2.0.2's default object repr.
func (p *KafkaProducer) String() string {
	return fmt.Sprintf("<kafka.producer.kafka.KafkaProducer object at %p>", p)
}

// PyRepr is the same as String.
func (p *KafkaProducer) PyRepr() string        { return p.String() }
func (p *KafkaProducer) Type() string          { return "KafkaProducer" }
func (p *KafkaProducer) Freeze()               {}
func (p *KafkaProducer) Truth() starlark.Bool  { return true }
func (p *KafkaProducer) Hash() (uint32, error) { return hashPointer(p), nil }

// producerMethods are KafkaProducer's methods, by name.
var producerMethods = py.MethodTable[*KafkaProducer]{
	"send":                        (*KafkaProducer).pySend,
	"flush":                       (*KafkaProducer).pyFlush,
	"close":                       (*KafkaProducer).pyClose,
	"partitions_for":              (*KafkaProducer).pyPartitionsFor,
	"metrics":                     (*KafkaProducer).pyMetrics,
	"bootstrap_connected":         (*KafkaProducer).pyBootstrapConnected,
	"init_transactions":           (*KafkaProducer).pyInitTransactions,
	"begin_transaction":           (*KafkaProducer).pyBeginTransaction,
	"commit_transaction":          (*KafkaProducer).pyCommitTransaction,
	"abort_transaction":           (*KafkaProducer).pyAbortTransaction,
	"send_offsets_to_transaction": (*KafkaProducer).pySendOffsetsToTransaction,
	"__enter__":                   clientEnter[*KafkaProducer],
	"__exit__":                    clientExit((*KafkaProducer).pyClose),
}

// Attr returns a method or the config dict.
func (p *KafkaProducer) Attr(name string) (starlark.Value, error) {
	if name == "send" {
		return p.sendMethod, nil // the hot path: no map lookup
	}
	if name == "config" {
		return p.configDict(), nil
	}
	return p.methods[name], nil
}

// AttrNames lists the methods and config.
func (p *KafkaProducer) AttrNames() []string { return producerMethods.Names("config") }

// configDict is kafka-python's producer.config: every key with its value
// (acks 'all' shows as -1, client_id as generated).
func (p *KafkaProducer) configDict() *starlark.Dict {
	if p.config != nil {
		return p.config
	}
	d := starlark.NewDict(80)
	for _, k := range producerSpecOnce().Keys {
		v := p.cfg.Get(k.Name)
		switch k.Name {
		case "acks":
			v = starlark.MakeInt(p.acks)
		case "client_id":
			v = starlark.String(p.clientID)
		case "enable_idempotence":
			v = starlark.Bool(p.idempotent)
		}
		_ = d.SetKey(starlark.String(k.Name), v)
	}
	p.config = d
	return d
}

// runQueue runs the callbacks franz-go's completions queued (a safe
// point).
func (p *KafkaProducer) runQueue(thread *starlark.Thread) error {
	select {
	case <-p.queue.Ready():
		return p.queue.run(thread)
	default:
		return nil
	}
}

// deliveryBucket is how long records share a delivery deadline.
const deliveryBucket = 100 * time.Millisecond

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
		k = py.Bytes(key)
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

// pyFlush implements flush(timeout=None): every record sent so far
// is delivered or failed, and every pending callback has run, when it
// returns. timeout is in seconds.
func (p *KafkaProducer) pyFlush(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	timeout := seconds{name: "timeout"}
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, has := timeout.d, timeout.set
	if p.closed {
		return starlark.None, p.runQueue(thread)
	}
	ok, err := p.flush(thread, d, has)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, py.NewException(KafkaTimeoutError, "Timeout waiting for future")
	}
	return starlark.None, nil
}

// flush waits for franz-go to finish every buffered record (at most d
// when has), running callbacks meanwhile; ok is false on timeout.
func (p *KafkaProducer) flush(thread *starlark.Thread, d time.Duration, has bool) (ok bool, err error) {
	if err := p.runQueue(thread); err != nil {
		return false, err
	}
	fctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.cl.Flush(fctx) }()
	var timer <-chan time.Time
	if has {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	ctx := py.ContextOf(thread)
	for {
		switch _, w := awaitUnlocked(thread, done, p.queue.Ready(), ctx, timer); w {
		case wakeDone:
			return true, p.drainQueue(thread)
		case wakeQueue:
			if err := p.queue.run(thread); err != nil {
				return false, err
			}
		case wakeStop:
			cancel()
			py.Unlocked(thread, func() { <-done })
			return false, py.Interrupted(ctx)
		case wakeTimer:
			cancel()
			py.Unlocked(thread, func() { <-done })
			return false, p.queue.run(thread)
		}
	}
}

// drainQueue waits for the promises of every record franz-go finished
// (they run just before Flush returns) and runs their callbacks.
func (p *KafkaProducer) drainQueue(thread *starlark.Thread) error {
	sent := p.sentBytes // the script's threads change it while this one waits
	if p.doneBytes.Load() < sent {
		py.Unlocked(thread, func() {
			deadline := time.Now().Add(time.Second)
			for p.doneBytes.Load() < sent && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
		})
	}
	return p.queue.run(thread)
}

// pyClose implements close(timeout=None): flush (at most timeout
// seconds), then close the client; records still pending fail with
// IllegalStateError and their errbacks run. A second close does nothing.
func (p *KafkaProducer) pyClose(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	timeout := seconds{name: "timeout"}
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "timeout?", &timeout, "null_logger?", new(starlark.Value)); err != nil {
		return nil, err
	}
	d, has := timeout.d, timeout.set
	if p.closed {
		return starlark.None, nil
	}
	if _, err := p.close(thread, d, has); err != nil {
		return nil, err
	}
	p.env.Untrack(p)
	return starlark.None, nil
}

// close flushes for at most d (forever unless has), closes the client,
// runs the remaining callbacks and closes the serializers that have a
// close() method. It returns how many records were not delivered in time.
func (p *KafkaProducer) close(thread *starlark.Thread, d time.Duration, has bool) (undelivered int64, err error) {
	if p.txnID != "" && (p.txn == txnInTransaction || p.txn == txnAbortableError) {
		// An unfinished transaction is aborted, as Kafka would after its
		// timeout.
		py.Unlocked(thread, func() {
			ctx, cancel := context.WithTimeout(context.Background(), p.requestTimeout)
			_ = p.cl.AbortBufferedRecords(ctx)
			_ = p.cl.EndTransaction(ctx, kgo.TryAbort)
			cancel()
		})
		p.txn = txnReady
	}
	ok, err := p.flush(thread, d, has)
	if err != nil {
		return 0, err
	}
	if !ok {
		undelivered = p.cl.BufferedProduceRecords()
	}
	p.closed = true
	if !p.shared {
		py.Unlocked(thread, p.cl.Close)
	}
	if p.deliveryCancel != nil {
		p.deliveryCancel()
	}
	if err := p.drainQueue(thread); err != nil {
		return undelivered, err
	}
	for _, s := range []serializer{p.keySer, p.valueSer} {
		if ha, ok := s.obj.(starlark.HasAttrs); ok {
			if m, _ := ha.Attr("close"); m != nil {
				if fn, ok := m.(starlark.Callable); ok {
					if _, err := starlark.Call(thread, fn, nil, nil); err != nil {
						return undelivered, err
					}
				}
			}
		}
	}
	return undelivered, nil
}

// Shutdown is called when the script ends: it flushes (bounded by
// timeout), runs pending callbacks and closes the client; records still
// pending then are dropped, which it reports on stderr and as an
// *UndeliveredError.
func (p *KafkaProducer) Shutdown(thread *starlark.Thread, timeout time.Duration) error {
	if p.closed {
		return nil
	}
	dropped, err := p.close(thread, timeout, true)
	if dropped > 0 {
		lost := &UndeliveredError{Client: p.clientID, Records: dropped, Reason: fmt.Sprintf("not delivered within %s when the script ended; they were dropped", timeout)}
		fmt.Fprintf(p.stderr, "kstar: %v\n", lost)
		if err == nil {
			err = lost
		}
	}
	return err
}

// unseenFailure reports whether a record's failure counts as unseen until
// the script looks at its future: not when the producer's close dropped
// it (close(timeout) was the script's choice; the end of the script
// reports the records it drops) nor when its transaction was aborted.
func unseenFailure(err error) bool {
	return !errors.Is(err, kgo.ErrClientClosed) && !errors.Is(err, kgo.ErrAborting)
}

// noteFailure counts a failed record for checkDelivered; it runs on
// franz-go's promise goroutine, or on the script's thread for a record
// send failed at once.
func (p *KafkaProducer) noteFailure(r *kgo.Record, err error) {
	if !unseenFailure(err) {
		return
	}
	p.lastFailedMu.Lock()
	p.lastFailed, p.lastFailedErr = r, err
	p.lastFailedMu.Unlock()
	p.unseen.Add(1)
}

// checkDelivered runs when the script has ended: records that failed
// while nothing the script did (get(), an errback, exception or failed()
// on the future) saw it mean data was lost unnoticed, which it reports
// on stderr and as an *UndeliveredError.
func (p *KafkaProducer) checkDelivered() error {
	n := p.unseen.Load()
	if n <= 0 {
		return nil
	}
	p.lastFailedMu.Lock()
	r, cause := p.lastFailed, p.lastFailedErr
	p.lastFailedMu.Unlock()
	lost := &UndeliveredError{Client: p.clientID, Records: n, Reason: fmt.Sprintf("could not be delivered, and the script did not check their futures (the last error: %s)", lossReason(p.exceptionFor(r, cause)))}
	fmt.Fprintf(p.stderr, "kstar: %v\n", lost)
	return lost
}

// UndeliveredError reports records a producer could not deliver, which
// the script did not learn of: their failure went unseen, or they were
// still pending when the script ended. The script's exit status is 1.
type UndeliveredError struct {
	Client  string // the producer's client_id
	Records int64  // how many records
	Reason  string // what happened to them
}

func (e *UndeliveredError) Error() string {
	return fmt.Sprintf("KafkaProducer %s: %d record(s) %s", e.Client, e.Records, e.Reason)
}

// pyPartitionsFor implements partitions_for(topic): the set of the topic's
// partition ids, waiting up to max_block_ms for metadata.
func (p *KafkaProducer) pyPartitionsFor(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
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

// pyMetrics implements metrics(raw=False): kafka-python's dict of
// metric groups (None when metrics_enabled=False). raw=True returns the
// same dict (kstar has no MetricName objects).
func (p *KafkaProducer) pyMetrics(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var raw bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "raw?", &raw); err != nil {
		return nil, err
	}
	if err := p.runQueue(thread); err != nil {
		return nil, err
	}
	if p.hooks.registry == nil {
		return starlark.None, nil
	}
	py.Unlocked(thread, p.hooks.settle)
	return p.hooks.registry.Dict(), nil
}

// pyBootstrapConnected implements bootstrap_connected(): whether a
// connection to a bootstrap (seed) broker is open.
func (p *KafkaProducer) pyBootstrapConnected(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(!p.closed && (p.shared || p.hooks.seedConns.Load() > 0)), nil
}
