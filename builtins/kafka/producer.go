package kafka

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// KafkaProducerClass is kafka.KafkaProducer: KafkaProducer(**configs)
// builds a producer.
var KafkaProducerClass = &clientClass{
	name:   "KafkaProducer",
	pyPath: "kafka.producer.kafka.KafkaProducer",
	keys:   func() []string { return producerSpec().KeyNames() },
	methods: func() []string {
		var names []string
		for n := range producerMethods(nil) {
			names = append(names, n)
		}
		return names
	},
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
	methods    map[string]*starlark.Builtin
	// sendMethod is methods["send"], returned without a map lookup.
	sendMethod *starlark.Builtin
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
	p.methods = map[string]*starlark.Builtin{}
	for name, fn := range producerMethods(p) {
		p.methods[name] = starlark.NewBuiltin(name, py.Guard(fn)).BindReceiver(p)
	}
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

// producerMethods are p's methods by their Python names (p may be nil
// when only the names are wanted).
func producerMethods(p *KafkaProducer) map[string]py.BuiltinFunc {
	return map[string]py.BuiltinFunc{
		"send":                        p.send,
		"flush":                       p.flushMethod,
		"close":                       p.closeMethod,
		"partitions_for":              p.partitionsFor,
		"metrics":                     p.metricsMethod,
		"bootstrap_connected":         p.bootstrapConnected,
		"init_transactions":           p.initTransactions,
		"begin_transaction":           p.beginTransaction,
		"commit_transaction":          p.commitTransaction,
		"abort_transaction":           p.abortTransaction,
		"send_offsets_to_transaction": p.sendOffsetsToTransaction,
		"__enter__": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return clientEnter(p, thread, b, args, kwargs)
		},
		"__exit__": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return clientExit((*KafkaProducer).closeMethod)(p, thread, b, args, kwargs)
		},
	}
}

// Attr returns a method or the config dict.
func (p *KafkaProducer) Attr(name string) (starlark.Value, error) {
	if name == "send" {
		return p.sendMethod, nil // the hot path: no map lookup
	}
	if m, ok := p.methods[name]; ok {
		return m, nil
	}
	if name == "config" {
		return p.configDict(), nil
	}
	return nil, nil
}

// AttrNames lists the methods and config.
func (p *KafkaProducer) AttrNames() []string {
	names := []string{"config"}
	for n := range p.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

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

// metricsMethod implements metrics(raw=False): kafka-python's dict of
// metric groups (None when metrics_enabled=False). raw=True returns the
// same dict (kstar has no MetricName objects).
func (p *KafkaProducer) metricsMethod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
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

// bootstrapConnected implements bootstrap_connected(): whether a
// connection to a bootstrap (seed) broker is open.
func (p *KafkaProducer) bootstrapConnected(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(!p.closed && (p.shared || p.hooks.seedConns.Load() > 0)), nil
}
