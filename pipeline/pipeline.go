// Package pipeline moves records from Kafka topics through a transform
// (a kstar script's process function, or Go code) to Kafka topics, at
// least once: the offsets of consumed records are committed only after
// every record the transform made of them is acknowledged by the brokers.
// A pipeline killed at any moment and restarted loses nothing; it
// repeats, at most, the work it had not committed.
//
//	rt := runtime.New()
//	script, err := rt.LoadFile(ctx, "transform.star")
//	...
//	p, err := pipeline.New(pipeline.Config{
//		Brokers:   []string{"localhost:9092"},
//		From:      []string{"orders"},
//		To:        "orders-enriched",
//		Group:     "enricher",
//		Transform: pipeline.Script(script, "process"),
//	})
//	...
//	defer p.Close()
//	err = p.Run(ctx) // until ctx ends or something fails
//
// Each round polls up to MaxPollRecords records, transforms them
// (Parallelism at a time, keeping their order in the output), produces
// the results in that order, and once all of them are acknowledged
// commits the consumed offsets. Rounds overlap: the next is polled and
// transformed while the previous is produced and committed. The group may
// rebalance only when no round is under way, so no partition moves while
// its records are transformed but not committed. Records are consumed
// read_committed: those of aborted transactions are skipped.
//
// With Config.ExactlyOnce, each round is one Kafka transaction instead:
// its results and its consumed offsets are committed together or not at
// all, and a round whose transaction is aborted (by a rebalance, a crash, an error) is processed
// again, so a read_committed consumer of the output sees each result
// once. Records the transform sends by other means (a script's own
// KafkaProducer) are outside the transaction.
//
// A script may keep state in its globals across calls (see
// runtime.Script): with Parallelism 1 the pipeline calls it in the
// consumed order. That state lives in the process and is never rolled
// back: a call retried (Retries), or a round processed again after its
// transaction was aborted or it was left uncommitted, sees the changes
// the earlier tries made. Keep such state idempotent (remember the offset
// at which a key was first seen, not just the key) or in Kafka.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/runtime"
)

// Transform turns one consumed record into the records to produce: none
// to drop it, several to fan it out. It is called from Parallelism
// goroutines at once (a Script not loaded with
// runtime.WithParallelCalls runs these calls one at a time). A returned record whose Topic is "" or one of the
// pipeline's From topics goes to Config.To; Partition -1
// (runtime.AnyPartition) lets the key choose the partition, any other
// value is the partition. The consumed record must not be returned
// itself (make a new one): franz-go changes a record it produces.
type Transform func(ctx context.Context, rec *kgo.Record) ([]*kgo.Record, error)

// BatchTransform is a Transform called once for several records (in
// their consumed order) that returns the records to produce for all of
// them.
type BatchTransform func(ctx context.Context, recs []*kgo.Record) ([]*kgo.Record, error)

// Script returns the Transform that calls a kstar script's function name
// (usually "process") with each record: see runtime.Script.Process for
// what it may return.
func Script(s *runtime.Script, name string) Transform {
	return func(ctx context.Context, rec *kgo.Record) ([]*kgo.Record, error) {
		return s.Process(ctx, name, rec)
	}
}

// ScriptBatch returns the BatchTransform that calls a kstar script's
// function name with a list of records: see runtime.Script.ProcessBatch.
func ScriptBatch(s *runtime.Script, name string) BatchTransform {
	return func(ctx context.Context, recs []*kgo.Record) ([]*kgo.Record, error) {
		return s.ProcessBatch(ctx, name, recs)
	}
}

// Config describes a pipeline.
type Config struct {
	// Brokers are the seed brokers (host:port). Required unless
	// ClientOptions name them.
	Brokers []string
	// From are the topics consumed. Required.
	From []string
	// To is where records go that the transform did not route elsewhere
	// (their topic is "" or a From topic). Default: "", and such records
	// stop the pipeline with an error.
	To string
	// Group is the consumer group: its committed offsets are the
	// pipeline's progress, and several processes in one group share the
	// partitions. Required.
	Group string
	// Transform is called once per record. Exactly one of Transform and
	// Batch is required.
	Transform Transform
	// Batch is called once per group of at most BatchSize records.
	Batch BatchTransform
	// BatchSize bounds the records of one Batch call. Default: the whole
	// round, shared among Parallelism calls.
	BatchSize int
	// Parallelism is how many Transform (or Batch) calls run at once; the
	// output keeps the consumed order either way. Above 1, calls are made
	// in no particular order, and a Script's calls run at once only if
	// it was loaded with runtime.WithParallelCalls (otherwise they take
	// turns, overlapping only where they wait). Default: 1.
	Parallelism int
	// MaxPollRecords bounds the records of one round (poll, transform,
	// produce, commit). Default: 10000.
	MaxPollRecords int
	// OnError decides about records whose transform failed (one record,
	// or a Batch call's records) once Retries are used up: return nil to
	// skip them, or an error to stop the pipeline without committing.
	// Records it sends anywhere itself are outside the pipeline's
	// transaction in ExactlyOnce mode (DeadLetter's are inside). At most
	// one of OnError and DeadLetter may be set. Default: nil, stop with
	// the transform's error.
	OnError func(ctx context.Context, recs []*kgo.Record, err error) error
	// DeadLetter is the topic where records whose transform failed go
	// once Retries are used up, instead of stopping the pipeline: each
	// as consumed (key, value, timestamp, headers) plus headers naming
	// the error and the source (see DeadLetterRecord). They are produced
	// with the other results of their round, and so in ExactlyOnce mode
	// inside its transaction. Default: "", none.
	DeadLetter string
	// Retries is how many more times a failed transform call is tried
	// (after RetryBackoff, doubled at each retry up to 10 s) before
	// DeadLetter, OnError or the default stop decide; -1 retries until
	// it succeeds or Run's context ends. Nothing of the round is
	// produced or committed meanwhile; what the failed call changed in
	// the script's globals stays. Default: 0.
	Retries int
	// RetryBackoff is the wait before the first retry. Default: 100 ms.
	RetryBackoff time.Duration
	// ExactlyOnce commits each round's results and its consumed offsets
	// in one Kafka transaction: a round whose transaction is aborted (a rebalance took partitions away
	// meanwhile, the member crashed, an error) leaves no visible result
	// and is processed again, by whichever member then owns its
	// partitions (the changes its calls made to a script's globals are
	// not undone). Rounds do not overlap in this mode. Default: false,
	// at least once (see the package documentation).
	ExactlyOnce bool
	// InstanceID names this member of the group for good, across
	// restarts: it is the member's static group membership
	// (group.instance.id, so a restarted member takes its partitions
	// back at once) and part of its transactional id. Members of one
	// group must have different ones. Default: "" (dynamic membership),
	// or in ExactlyOnce mode the host name.
	InstanceID string
	// Name tells apart pipelines that share a group (kstar pipe passes
	// the script's name); it is part of the transactional id. Default: "".
	Name string
	// TransactionalID is the ExactlyOnce transactional id. It must be
	// stable across a member's restarts, so that the restarted member
	// fences the one it replaces (whose unfinished transaction Kafka
	// then aborts), and different for each member. Default:
	// "Group.Name.InstanceID" ("Group.InstanceID" without a Name).
	TransactionalID string
	// FromEnd starts a group that has no committed offsets at the end of
	// the topics instead of their beginning. Default: false, the
	// beginning, so no record written before the first run is skipped.
	FromEnd bool
	// CloseTimeout bounds Close: how long it waits for a Run under way to
	// stop and for the pipeline to leave its group. Past it, Close aborts
	// the client's requests (the group then notices the member is gone
	// after its session timeout, 45 s by default). Default: 10 s.
	CloseTimeout time.Duration
	// ClientOptions are added to the franz-go client's options (SASL, TLS,
	// session timeout, ...), after the pipeline's own, which they replace
	// (an OnPartitionsAssigned of the host's leaves Stats.Assigned zero; a
	// kgo.WithContext of the host's keeps CloseTimeout from aborting the
	// client's requests). Default: none.
	ClientOptions []kgo.Opt
}

// DefaultCloseTimeout is Config.CloseTimeout's default.
const DefaultCloseTimeout = 10 * time.Second

// DefaultRetryBackoff is Config.RetryBackoff's default.
const DefaultRetryBackoff = 100 * time.Millisecond

// closeAbortWait bounds how long Close waits for the client to close once
// it has aborted its requests; then it returns anyway.
const closeAbortWait = 2 * time.Second

// errClosed is what Run returns when Close stops it, or after Close.
var errClosed = errors.New("pipeline: closed")

// Stats counts what a pipeline did since it was created.
type Stats struct {
	// Consumed is the number of records transformed (in ExactlyOnce
	// mode, a record whose transaction was aborted counts again when it
	// is transformed again; so do Dropped and Skipped).
	Consumed int64
	// Produced is the number of records produced and acknowledged (in
	// ExactlyOnce mode: produced in committed transactions).
	Produced int64
	// Dropped is the number of consumed records the transform returned
	// nothing for.
	Dropped int64
	// Skipped is the number of records OnError let the pipeline skip or
	// that went to the DeadLetter topic.
	Skipped int64
	// Retried is the number of transform calls tried again (Retries).
	Retried int64
	// Aborted is the number of consumed records whose transaction was
	// aborted, to be processed again (ExactlyOnce mode).
	Aborted int64
	// Committed is the number of consumed records whose offsets are
	// committed.
	Committed int64
	// Lag is the number of records in the consumed partitions after the
	// last one consumed, as of the latest fetch (-1 before the first).
	Lag int64
	// Rounds is the number of rounds completed (committed).
	Rounds int64
	// GroupErrors is the number of consumer group errors (a failed join,
	// an unreachable coordinator) after which the client tried again.
	GroupErrors int64
	// LastRecord is when the latest record was consumed (zero before).
	LastRecord time.Time
	// Assigned is when the group last assigned partitions to the
	// pipeline (zero before it joined).
	Assigned time.Time
}

// Pipeline is a running pipeline; see the package documentation.
type Pipeline struct {
	cfg        Config
	cl         *kgo.Client
	txn        *kgo.GroupTransactSession // ExactlyOnce mode's session around cl; nil otherwise
	stopClient context.CancelFunc        // aborts the client's requests (its context)
	from       map[string]bool
	stats      struct {
		consumed, produced, dropped, skipped, retried, aborted, committed, lag, rounds, last, assigned, groupErrors atomic.Int64
	}
	lagMu sync.Mutex
	lag   map[string]map[int32]int64

	runMu     sync.Mutex
	closed    bool                    // Close was called
	running   chan struct{}           // closed when the Run under way returns; nil if none
	stopRun   context.CancelCauseFunc // cancels the Run under way
	closeOnce sync.Once
}

// New checks cfg and connects the pipeline's client (it joins the group
// when Run polls).
func New(cfg Config) (*Pipeline, error) {
	switch {
	case len(cfg.From) == 0:
		return nil, errors.New("pipeline: Config.From names no topic")
	case cfg.Group == "":
		return nil, errors.New("pipeline: Config.Group is required")
	case (cfg.Transform == nil) == (cfg.Batch == nil):
		return nil, errors.New("pipeline: set exactly one of Config.Transform and Config.Batch")
	case cfg.OnError != nil && cfg.DeadLetter != "":
		return nil, errors.New("pipeline: set at most one of Config.OnError and Config.DeadLetter")
	case cfg.Retries < -1:
		return nil, fmt.Errorf("pipeline: Config.Retries is %d; want -1 (until it succeeds), 0 or more", cfg.Retries)
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = DefaultRetryBackoff
	}
	if cfg.Parallelism <= 0 {
		cfg.Parallelism = 1
	}
	if cfg.MaxPollRecords <= 0 {
		cfg.MaxPollRecords = 10000
	}
	if cfg.CloseTimeout <= 0 {
		cfg.CloseTimeout = DefaultCloseTimeout
	}
	p := &Pipeline{cfg: cfg, from: map[string]bool{}, lag: map[string]map[int32]int64{}}
	for _, t := range cfg.From {
		p.from[t] = true
	}
	if p.from[cfg.To] {
		return nil, fmt.Errorf("pipeline: Config.To %q is also consumed (From)", cfg.To)
	}
	if p.from[cfg.DeadLetter] {
		return nil, fmt.Errorf("pipeline: Config.DeadLetter %q is also consumed (From)", cfg.DeadLetter)
	}
	p.stats.lag.Store(-1)
	start := kgo.NewOffset().AtStart()
	if cfg.FromEnd {
		start = kgo.NewOffset().AtEnd()
	}
	// The client's context: Close cancels it when leaving the group takes
	// longer than CloseTimeout. franz-go sends JoinGroup and SyncGroup
	// with it (not with the group's), and a coordinator holds a JoinGroup
	// until every member has rejoined or the rebalance timeout (60 s)
	// expires, which kgo.Client.Close would otherwise wait for.
	clientCtx, stopClient := context.WithCancel(context.Background())
	opts := []kgo.Opt{
		kgo.WithContext(clientCtx),
		kgo.ConsumeTopics(cfg.From...),
		kgo.ConsumerGroup(cfg.Group),
		kgo.DisableAutoCommit(),
		kgo.ConsumeResetOffset(start),
		// Records of aborted transactions are no input.
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Transaction markers too (withoutControl drops them before the
		// transform), so that the lag and the committed offsets count
		// them: otherwise a caught-up pipeline reading a transactional
		// topic has a lag of one marker per partition, for good.
		kgo.KeepControlRecords(),
		kgo.RecordPartitioner(partitioner{kgo.StickyKeyPartitioner(nil)}),
		kgo.ProducerLinger(0),
		kgo.AllowAutoTopicCreation(),
		kgo.OnPartitionsAssigned(func(context.Context, *kgo.Client, map[string][]int32) {
			p.stats.assigned.Store(time.Now().UnixNano())
		}),
	}
	if len(cfg.Brokers) > 0 {
		opts = append(opts, kgo.SeedBrokers(cfg.Brokers...))
	}
	if cfg.ExactlyOnce {
		// A rebalance aborts the round's transaction (the session sees
		// to it), rather than waiting for the round.
		if err := p.cfg.setTransactionalID(); err != nil {
			stopClient()
			return nil, err
		}
		opts = append(opts, kgo.TransactionalID(p.cfg.TransactionalID), kgo.ProducerLinger(roundLinger))
	} else {
		// The group rebalances between rounds, when nothing polled is
		// uncommitted.
		opts = append(opts, kgo.BlockRebalanceOnPoll())
	}
	if p.cfg.InstanceID != "" {
		opts = append(opts, kgo.InstanceID(p.cfg.InstanceID))
	}
	opts = append(opts, cfg.ClientOptions...)
	var cl *kgo.Client
	var err error
	if cfg.ExactlyOnce {
		p.txn, err = kgo.NewGroupTransactSession(opts...)
		if err == nil {
			cl = p.txn.Client()
		}
	} else {
		cl, err = kgo.NewClient(opts...)
	}
	if err != nil {
		stopClient()
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	p.cl, p.stopClient = cl, stopClient
	return p, nil
}

// Close stops the Run under way (which then returns an error saying the
// pipeline is closed), leaves the group and closes the client, all within
// Config.CloseTimeout plus at most 2 s: if the group cannot be left by
// then (its coordinator is unreachable or holds the pipeline in a
// rebalance), Close aborts the client's requests and returns, and the
// group notices after its session timeout that the member is gone. A
// member with an InstanceID (a static member) leaves too, although
// Kafka clients usually keep a static member's partitions for it. A
// transform that ignores its context may still be running then. Records
// transformed but not committed are transformed again by the next run.
// Close may be called more than once, and from any goroutine.
func (p *Pipeline) Close() {
	p.closeOnce.Do(p.close)
}

func (p *Pipeline) close() {
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.CloseTimeout)
	defer cancel()
	p.runMu.Lock()
	p.closed = true
	running, stopRun := p.running, p.stopRun
	p.runMu.Unlock()
	if running != nil {
		stopRun(errClosed)
		select {
		case <-running:
		case <-ctx.Done():
		}
	}
	// A poll that returned records blocks rebalances, leaving the group
	// included, until AllowRebalance: Run allows it when it returns, but
	// a Run stuck in a transform has not.
	p.cl.AllowRebalance()
	if p.cfg.InstanceID != "" {
		p.leaveStatic(ctx)
	}
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		p.cl.Close()
	}()
	select {
	case <-closed:
		p.stopClient()
		return
	case <-ctx.Done():
	}
	p.stopClient()
	select {
	case <-closed:
	case <-time.After(closeAbortWait):
	}
}

// Stats returns the pipeline's counters (safe while it runs).
func (p *Pipeline) Stats() Stats {
	s := Stats{
		Consumed:    p.stats.consumed.Load(),
		Produced:    p.stats.produced.Load(),
		Dropped:     p.stats.dropped.Load(),
		Skipped:     p.stats.skipped.Load(),
		Retried:     p.stats.retried.Load(),
		Aborted:     p.stats.aborted.Load(),
		Committed:   p.stats.committed.Load(),
		Lag:         p.stats.lag.Load(),
		Rounds:      p.stats.rounds.Load(),
		GroupErrors: p.stats.groupErrors.Load(),
	}
	if ns := p.stats.last.Load(); ns != 0 {
		s.LastRecord = time.Unix(0, ns)
	}
	if ns := p.stats.assigned.Load(); ns != 0 {
		s.Assigned = time.Unix(0, ns)
	}
	return s
}

// Run runs rounds until ctx ends (it returns ctx's error) or something
// fails: a transform error OnError does not skip, a record that cannot be
// produced, a commit the group refuses. When ctx ends, Run stops polling
// and transforming, and commits the rounds whose results the brokers
// acknowledge within Config.CloseTimeout; the records of other rounds
// under way are not committed, and the next run transforms them again.
//
// At least once, rounds overlap: while a round's records are being
// acknowledged and its offsets committed, the next round is polled,
// transformed and produced (in order after it), and the group may
// rebalance only when no round is under way. Exactly once, each round's
// transaction ends before the next round is polled; a rebalance aborts
// it, and a round under way when ctx ends is still committed (or
// aborted). Run may be called again after it returns, but not while it
// runs; after Close it returns an error at once.
func (p *Pipeline) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	finished := make(chan struct{})
	p.runMu.Lock()
	switch {
	case p.closed:
		p.runMu.Unlock()
		return errClosed
	case p.running != nil:
		p.runMu.Unlock()
		return errors.New("pipeline: Run is already running")
	}
	p.running, p.stopRun = finished, cancel
	p.runMu.Unlock()
	defer func() {
		p.runMu.Lock()
		p.running, p.stopRun = nil, nil
		p.runMu.Unlock()
		close(finished)
	}()
	if p.txn != nil {
		return runError(ctx, p.runTransactions(ctx))
	}
	c := &committer{p: p, rounds: make(chan *round, 2)}
	c.cond = sync.NewCond(&c.mu)
	toProduce := make(chan *round, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.run(ctx, cancel)
	}()
	// Results handed to the client are produced even after ctx ends, so
	// that their rounds can still be committed (see committer.run); a
	// record whose context ends may instead stay in limbo (an idempotent
	// producer may not fail a batch it has sent) until the client closes.
	produceCtx := context.WithoutCancel(ctx)
	go func() {
		defer close(c.rounds)
		for rd := range toProduce {
			c.rounds <- rd
			for _, r := range rd.outs {
				p.cl.Produce(produceCtx, r, rd.promise(p))
			}
			rd.outs = nil
			rd.finish(nil) // the +1: every result is handed to the client
		}
	}()
	err := p.transformRounds(ctx, c, toProduce)
	close(toProduce)
	<-done
	// The records of rounds that were polled but not committed are
	// consumed again by the next Run.
	p.cl.SetOffsets(p.cl.CommittedOffsets())
	// A round that failed did not allow the rebalance it may be blocking.
	p.cl.AllowRebalance()
	return runError(ctx, err)
}

// runError is what Run returns when it stopped with err: the cause of
// ctx's end (Close's, say) rather than the bare context.Canceled it led to.
func runError(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); err == nil || errors.Is(err, context.Canceled) && cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause
	}
	return err
}

// allowRebalanceEvery bounds how long a busy pipeline, whose rounds keep
// overlapping, holds off a rebalance: it then waits for the rounds under
// way to be committed.
const allowRebalanceEvery = 200 * time.Millisecond

// transformRounds polls and transforms rounds, handing each to the
// goroutine producing their results (then to c, which commits them).
func (p *Pipeline) transformRounds(ctx context.Context, c *committer, toProduce chan<- *round) error {
	lastAllowed := time.Now()
	for {
		// Let the group rebalance between rounds, when none is under way
		// (or after waiting for them, now and then).
		idle := c.idle(time.Since(lastAllowed) >= allowRebalanceEvery)
		if idle {
			p.cl.AllowRebalance()
			lastAllowed = time.Now()
		}
		if err := context.Cause(ctx); err != nil {
			return err
		}
		// While a round is under way the previous poll still blocks
		// rebalances, so a poll waiting for records that do not come
		// would hold off a rebalance (a member joining, leaving the
		// group) until its rebalance timeout: cut it short once the
		// rounds are committed, to allow the rebalance above.
		pollCtx, stopPoll := ctx, context.CancelFunc(func() {})
		if !idle {
			pollCtx, stopPoll = c.untilIdle(ctx)
		}
		fetches := p.cl.PollRecords(pollCtx, p.cfg.MaxPollRecords)
		stopPoll()
		if fetches.IsClientClosed() {
			return errors.New("pipeline: client closed")
		}
		if err := context.Cause(ctx); err != nil {
			return err
		}
		if err := p.fetchError(fetches); err != nil {
			return err
		}
		p.noteLag(fetches)
		recs := fetches.Records()
		if len(recs) == 0 {
			continue
		}
		p.stats.last.Store(time.Now().UnixNano())
		data := withoutControl(recs)
		outs, err := p.transformAll(ctx, data)
		if err != nil {
			return err
		}
		if err := p.route(outs); err != nil {
			return err
		}
		rd := &round{recs: recs, data: len(data), outs: outs, acked: make(chan struct{})}
		rd.pending.Store(int64(len(outs)) + 1)
		c.add()
		select {
		case toProduce <- rd:
		case <-ctx.Done():
			c.abandon()
			return context.Cause(ctx)
		}
	}
}

// round is one poll's records and the acknowledgement of their results.
type round struct {
	recs    []*kgo.Record // transaction markers included
	data    int           // records that are not markers
	outs    []*kgo.Record // the results, until produced
	pending atomic.Int64  // results not yet acknowledged, +1 until all are produced
	errMu   sync.Mutex
	err     error
	acked   chan struct{} // closed when pending reaches 0
	cb      func(*kgo.Record, error)
}

// promise returns the produce callback of the round's results.
func (rd *round) promise(p *Pipeline) func(*kgo.Record, error) {
	if rd.cb == nil {
		rd.cb = func(_ *kgo.Record, err error) {
			if err == nil {
				p.stats.produced.Add(1)
			}
			rd.finish(err)
		}
	}
	return rd.cb
}

// finish counts one result acknowledged (or failed).
func (rd *round) finish(err error) {
	if err != nil {
		rd.errMu.Lock()
		if rd.err == nil {
			rd.err = err
		}
		rd.errMu.Unlock()
	}
	if rd.pending.Add(-1) == 0 {
		close(rd.acked)
	}
}

// committer commits rounds, in order, once their results are acknowledged.
type committer struct {
	p        *Pipeline
	rounds   chan *round
	mu       sync.Mutex
	cond     *sync.Cond
	inFlight int                // rounds handed over and not yet committed (or failed)
	failed   bool               // a round failed: nothing more is committed
	onIdle   context.CancelFunc // called once inFlight is 0 or failed is set
}

// add counts a round handed over.
func (c *committer) add() {
	c.mu.Lock()
	c.inFlight++
	c.mu.Unlock()
}

// abandon uncounts a round that was never handed over.
func (c *committer) abandon() {
	c.mu.Lock()
	c.inFlight--
	c.changed()
	c.mu.Unlock()
}

// changed wakes whoever waits for the committer to be idle; c.mu is held.
func (c *committer) changed() {
	c.cond.Broadcast()
	if c.onIdle != nil && (c.inFlight == 0 || c.failed) {
		c.onIdle()
		c.onIdle = nil
	}
}

// untilIdle returns a context that ends with ctx, or as soon as no round
// is under way (or one failed), and the function releasing it.
func (c *committer) untilIdle(ctx context.Context) (context.Context, context.CancelFunc) {
	ictx, cancel := context.WithCancel(ctx)
	c.mu.Lock()
	if c.inFlight == 0 || c.failed {
		cancel()
	} else {
		c.onIdle = cancel
	}
	c.mu.Unlock()
	return ictx, func() {
		c.mu.Lock()
		c.onIdle = nil
		c.mu.Unlock()
		cancel()
	}
}

// idle reports whether no round is under way; with wait, it first waits
// until none is (or one failed).
func (c *committer) idle(wait bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for wait && c.inFlight > 0 && !c.failed {
		c.cond.Wait()
	}
	return c.inFlight == 0
}

// run commits each round after its results are acknowledged; on the first
// failure it cancels the run with it and commits nothing more. Once ctx
// ends (the pipeline is stopping), the rounds whose results the brokers
// acknowledge within CloseTimeout are still committed, so that a stopped
// pipeline repeats as little as possible when it runs again.
func (c *committer) run(ctx context.Context, cancel context.CancelCauseFunc) {
	commitCtx, stop := afterGrace(ctx, c.p.cfg.CloseTimeout)
	defer stop()
	for rd := range c.rounds {
		var err error
		if !c.failed {
			select {
			case <-rd.acked:
				if rd.err != nil {
					err = fmt.Errorf("pipeline: producing: %w", rd.err)
				}
			case <-commitCtx.Done():
				err = context.Cause(ctx)
			}
		}
		if err == nil && !c.failed {
			if err = c.p.cl.CommitRecords(commitCtx, rd.recs...); err != nil {
				err = fmt.Errorf("pipeline: committing: %w", err)
			} else {
				c.p.stats.committed.Add(int64(rd.data))
				c.p.stats.rounds.Add(1)
			}
		}
		c.mu.Lock()
		c.inFlight--
		if err != nil && !c.failed {
			c.failed = true
			cancel(err)
		}
		c.changed()
		c.mu.Unlock()
	}
}

// afterGrace returns a context that ends grace after ctx ends, and the
// function that ends it at once.
func afterGrace(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		select {
		case <-ctx.Done():
		case <-gctx.Done():
			return
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancel()
		case <-gctx.Done():
		}
	}()
	return gctx, cancel
}

// transformAll transforms recs with Parallelism workers and returns the
// results in the records' order.
func (p *Pipeline) transformAll(ctx context.Context, recs []*kgo.Record) ([]*kgo.Record, error) {
	if len(recs) == 0 { // a poll of transaction markers only
		return nil, nil
	}
	// Units of work: single records, or slices for Batch.
	size := 1
	if p.cfg.Batch != nil {
		size = p.cfg.BatchSize
		if size <= 0 {
			size = (len(recs) + p.cfg.Parallelism - 1) / p.cfg.Parallelism
		}
	}
	units := (len(recs) + size - 1) / size
	results := make([][]*kgo.Record, units)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(p.cfg.Parallelism, units); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				u := int(next.Add(1)) - 1
				if u >= units || ctx.Err() != nil {
					return
				}
				out, err := p.transformUnit(ctx, recs[u*size:min((u+1)*size, len(recs))])
				if err != nil {
					cancel(err)
					return
				}
				results[u] = out
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	p.stats.consumed.Add(int64(len(recs)))
	n := 0
	for _, r := range results {
		n += len(r)
	}
	outs := make([]*kgo.Record, 0, n)
	for _, r := range results {
		outs = append(outs, r...)
	}
	return outs, nil
}

// withoutControl returns recs without the transaction markers among
// them.
func withoutControl(recs []*kgo.Record) []*kgo.Record {
	for i, r := range recs {
		if r.Attrs.IsControl() {
			data := slices.Clip(recs[:i])
			for _, r := range recs[i+1:] {
				if !r.Attrs.IsControl() {
					data = append(data, r)
				}
			}
			return data
		}
	}
	return recs
}

// route sends the results that name no topic, or an input topic, to To.
func (p *Pipeline) route(outs []*kgo.Record) error {
	for _, r := range outs {
		if r.Topic == "" || p.from[r.Topic] {
			if p.cfg.To == "" {
				return fmt.Errorf("pipeline: the transform returned a record for %q, and Config.To names no output topic", r.Topic)
			}
			r.Topic = p.cfg.To
		}
	}
	return nil
}

// noteLag records each fetched partition's lag behind its high watermark.
func (p *Pipeline) noteLag(fetches kgo.Fetches) {
	p.lagMu.Lock()
	defer p.lagMu.Unlock()
	fetches.EachPartition(func(fp kgo.FetchTopicPartition) {
		if len(fp.Records) == 0 {
			return
		}
		parts := p.lag[fp.Topic]
		if parts == nil {
			parts = map[int32]int64{}
			p.lag[fp.Topic] = parts
		}
		last := fp.Records[len(fp.Records)-1].Offset
		parts[fp.Partition] = max(0, fp.HighWatermark-last-1)
	})
	var total int64
	for _, parts := range p.lag {
		for _, l := range parts {
			total += l
		}
	}
	p.stats.lag.Store(total)
}

// partitioner sends a record to its Partition when that is not -1, and
// otherwise lets the inner partitioner choose (by key).
type partitioner struct{ inner kgo.Partitioner }

func (p partitioner) ForTopic(t string) kgo.TopicPartitioner {
	return topicPartitioner{p.inner.ForTopic(t)}
}

type topicPartitioner struct{ inner kgo.TopicPartitioner }

func (p topicPartitioner) RequiresConsistency(r *kgo.Record) bool {
	return r.Partition >= 0 || p.inner.RequiresConsistency(r)
}

func (p topicPartitioner) Partition(r *kgo.Record, n int) int {
	if r.Partition >= 0 {
		return int(r.Partition)
	}
	return p.inner.Partition(r, n)
}

// OnNewBatch lets a sticky inner partitioner move on.
func (p topicPartitioner) OnNewBatch() {
	if nb, ok := p.inner.(kgo.TopicPartitionerOnNewBatch); ok {
		nb.OnNewBatch()
	}
}
