package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// fetchBatch is the records of one partition from one poll of franz-go.
type fetchBatch struct {
	tp   tp
	recs []*kgo.Record
	hwm  int64
	gen  uint64 // the consumer's generation when the poll started
}

// fetchBuffer holds polled records not yet yielded to the script.
type fetchBuffer struct {
	batches []fetchBatch
	next    int // index of the next batch to open
	ps      *partState
	recs    []*kgo.Record // the open batch
	i       int
}

func (b *fetchBuffer) reset() { *b = fetchBuffer{batches: b.batches[:0]} }

// take returns the next record to yield, or nil when the buffer is
// drained. With update, the record's partition position advances past it,
// as kafka-python advances positions while yielding.
func (c *KafkaConsumer) take(update bool) (*kgo.Record, *partState) {
	b := &c.buf
	for {
		if b.i < len(b.recs) {
			r := b.recs[b.i]
			b.i++
			ps := b.ps
			if r.Offset < ps.position {
				continue // already yielded before a seek or rebalance
			}
			if update {
				ps.position = r.Offset + 1
			}
			return r, ps
		}
		if b.next >= len(b.batches) {
			clear(b.batches)
			b.batches, b.next, b.recs, b.ps = b.batches[:0], 0, nil, nil
			return nil, nil
		}
		bt := b.batches[b.next]
		b.batches[b.next] = fetchBatch{}
		b.next++
		ps := c.parts[bt.tp]
		if ps == nil || ps.gen > bt.gen {
			continue // unassigned or sought since this was fetched
		}
		if bt.hwm >= 0 {
			ps.highwater = bt.hwm
		}
		if len(bt.recs) == 0 {
			continue
		}
		if ps.paused {
			ps.reset = true // franz-go's cursor is past these records
			continue
		}
		b.ps, b.recs, b.i = ps, bt.recs, 0
	}
}

// dropBuffered discards the buffered records of one partition (after a
// seek, pause or revocation); its fetch cursor must then be moved back.
func (c *KafkaConsumer) dropBuffered(ps *partState) {
	b := &c.buf
	if b.ps == ps && b.i < len(b.recs) {
		b.recs, b.i = nil, 0
		ps.reset = true
	}
	for i := b.next; i < len(b.batches); i++ {
		if b.batches[i].tp == ps.tp && len(b.batches[i].recs) > 0 {
			b.batches[i].recs = nil
			ps.reset = true
		}
	}
}

// discardBuffer drops every buffered record, marking their partitions for
// a cursor reset so nothing is skipped.
func (c *KafkaConsumer) discardBuffer() {
	b := &c.buf
	if b.ps != nil && b.i < len(b.recs) {
		b.ps.reset = true
	}
	for i := b.next; i < len(b.batches); i++ {
		if ps := c.parts[b.batches[i].tp]; ps != nil && len(b.batches[i].recs) > 0 {
			ps.reset = true
		}
	}
	b.reset()
}

// ---- records ----

// makeRecord wraps a record, calling the deserializers as kafka-python
// does (for None too).
func (c *KafkaConsumer) makeRecord(thread *starlark.Thread, r *kgo.Record) (*ConsumerRecord, error) {
	if c.set.keyDeser == nil && c.set.valueDeser == nil {
		return &ConsumerRecord{rec: r}, nil
	}
	var key, value starlark.Value
	var err error
	if c.set.keyDeser != nil {
		if key, err = c.deserialize(thread, c.set.keyDeser, r, r.Key, "key"); err != nil {
			return nil, err
		}
	}
	if c.set.valueDeser != nil {
		if value, err = c.deserialize(thread, c.set.valueDeser, r, r.Value, "value"); err != nil {
			return nil, err
		}
	}
	return newConsumerRecord(r, key, value), nil
}

// deserialize calls a deserializer: f(data) for a callable, or
// d.deserialize(topic, data) (kafka-python 2.x) / d.deserialize(topic,
// headers, data) (3.0) for a Deserializer object. A failure names the
// record it could not read.
func (c *KafkaConsumer) deserialize(thread *starlark.Thread, d starlark.Value, r *kgo.Record, data []byte, what string) (starlark.Value, error) {
	var v starlark.Value
	var err error
	if m := deserializeMethod(d); m != nil {
		args := starlark.Tuple{starlark.String(r.Topic), recordBytes(data)}
		if fn, ok := m.(*starlark.Function); ok && fn.NumParams() >= 3 {
			headers := newConsumerRecord(r, nil, nil).field(crHeaders)
			args = starlark.Tuple{starlark.String(r.Topic), headers, recordBytes(data)}
		}
		v, err = starlark.Call(thread, m, args, nil)
	} else {
		v, err = starlark.Call(thread, d, starlark.Tuple{recordBytes(data)}, nil)
	}
	if err != nil {
		return nil, c.recordNote(thread, err, what, r)
	}
	if v == nil {
		v = starlark.None
	}
	return v, nil
}

// recordNote adds, as Python 3.11's exception notes do, a line after the
// exception naming the record whose deserialization failed. The error
// keeps its call stack, so the traceback shows the deserializer's line.
func (c *KafkaConsumer) recordNote(thread *starlark.Thread, err error, what string, r *kgo.Record) error {
	if py.ContextOf(thread).Err() != nil {
		return err
	}
	note := fmt.Sprintf("while deserializing the %s of the record at topic %s, partition %d, offset %d",
		what, py.QuoteString(r.Topic), r.Partition, r.Offset)
	var ee *starlark.EvalError
	if !errors.As(err, &ee) {
		if e := py.AsException(err); e != nil {
			e.Msg += "\n" + note
			return e
		}
		return fmt.Errorf("%w\n%s", err, note)
	}
	if e := py.AsException(err); e != nil {
		e.Msg += "\n" + note
		return ee
	}
	return &starlark.EvalError{Msg: ee.Msg + "\n" + note, CallStack: ee.CallStack}
}

// safePoint runs what kafka-python does inside poll: queued franz-go
// calls (rebalance listener, commit callbacks) and the auto-commit.
func (c *KafkaConsumer) safePoint(thread *starlark.Thread) error {
	if err := c.runQueue(thread); err != nil {
		return err
	}
	if err := c.asyncErr; err != nil {
		c.asyncErr = nil
		return err
	}
	if c.set.autoCommit && !c.closed && len(c.parts) > 0 && !time.Now().Before(c.autoCommitAt) {
		c.autoCommitAt = time.Now().Add(c.set.autoCommitInterval)
		if offsets := c.consumedOffsets(); len(offsets) > 0 {
			c.commitAsync(thread, offsets, func(thread *starlark.Thread, err error) error {
				if err != nil {
					c.warn("Auto offset commit failed for group %s: %s", c.set.groupID, py.Str(KafkaException(err)))
				}
				return nil
			})
		}
	}
	return nil
}

// ---- polling franz-go ----

// fill polls franz-go for more records, waiting up to wait (negative: no
// limit, 0: only what is already buffered). It returns early to let the
// caller run due work (auto-commit, metadata refresh).
func (c *KafkaConsumer) fill(thread *starlark.Thread, wait time.Duration) error {
	if err := c.safePoint(thread); err != nil {
		return err
	}
	if err := c.prepareFetch(thread); err != nil {
		return err
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	gen := c.gen
	//lint:ignore SA1012 a nil context is franz-go's documented non-blocking poll
	if fs := cl.PollFetches(nil); !fs.Empty() {
		return c.absorb(fs, gen)
	}
	if wait == 0 {
		return nil
	}
	if due := c.nextDue(); !due.IsZero() {
		if d := max(time.Until(due), time.Millisecond); wait < 0 || d < wait {
			wait = d
		}
	}
	ctx := py.ContextOf(thread)
	pollCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := make(chan kgo.Fetches, 1)
	go func() { ch <- cl.PollFetches(pollCtx) }()
	var timer <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timer = t.C
	}
	fs, w := awaitUnlocked(thread, ch, c.queue.Ready(), ctx, timer)
	if w != wakeDone {
		cancel()
		fs = receiveUnlocked(thread, ch)
	}
	err = c.absorb(fs, gen)
	switch w {
	case wakeQueue:
		// Queued calls (rebalance, seeks from a listener) change what is
		// fetched: this poll ended first, so no poll spans them; the
		// caller polls again.
		if qerr := c.runQueue(thread); qerr != nil {
			return qerr
		}
	case wakeStop:
		return py.Interrupted(ctx)
	}
	return err
}

// nextDue is when the consumer next has work to do while waiting.
func (c *KafkaConsumer) nextDue() time.Time {
	var due time.Time
	earliest := func(t time.Time) {
		if !t.IsZero() && (due.IsZero() || t.Before(due)) {
			due = t
		}
	}
	if c.set.autoCommit && len(c.parts) > 0 {
		earliest(c.autoCommitAt)
	}
	if c.subscribed && c.set.groupID == "" {
		earliest(c.nextMeta)
	}
	for _, ps := range c.parts {
		if ps.position < 0 && (c.cur == nil || !c.cur.group) {
			earliest(c.resolveAt)
			break
		}
	}
	return due
}

// prefetch takes what franz-go has already fetched, without waiting, once
// the buffer runs below what the last fetch brought: franz-go fetches
// the next batch while the script works through this one, instead of
// only after the buffer is empty. The buffer stays within about two
// fetches (bounded by fetch_max_bytes), however fast records arrive.
func (c *KafkaConsumer) prefetch() error {
	if c.cur == nil || c.closed {
		return nil
	}
	b := &c.buf
	left := len(b.recs) - b.i
	for i := b.next; i < len(b.batches) && left < c.lastFetched; i++ {
		left += len(b.batches[i].recs)
	}
	if left >= c.lastFetched {
		return nil
	}
	//lint:ignore SA1012 a nil context is franz-go's documented non-blocking poll
	if fs := c.cur.cl.PollFetches(nil); !fs.Empty() {
		return c.absorb(fs, c.gen)
	}
	return nil
}

// absorb adds polled records to the buffer and reports the first error
// kafka-python would raise from poll.
func (c *KafkaConsumer) absorb(fs kgo.Fetches, gen uint64) error {
	if n := fs.NumRecords(); n > 0 {
		c.lastFetched = n
	}
	var first error
	for i := range fs {
		for j := range fs[i].Topics {
			t := &fs[i].Topics[j]
			for k := range t.Partitions {
				p := &t.Partitions[k]
				switch {
				case p.Err == nil:
				case errors.Is(p.Err, kerr.OffsetOutOfRange):
					if ps := c.parts[tp{t.Topic, p.Partition}]; ps != nil && ps.gen <= gen {
						ps.outOfRange = true
					}
				default:
					if err := fetchException(p.Err); err != nil && first == nil && !c.closed {
						first = err
					}
				}
				if len(p.Records) == 0 && p.HighWatermark < 0 {
					continue
				}
				c.buf.batches = append(c.buf.batches, fetchBatch{tp: tp{t.Topic, p.Partition}, recs: p.Records, hwm: p.HighWatermark, gen: gen})
			}
		}
	}
	return first
}

// fetchException returns the exception a fetch error raises, or nil for errors
// franz-go recovers from by itself.
func fetchException(err error) error {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, kgo.ErrClientClosed):
		return nil
	}
	var dataLoss *kgo.ErrDataLoss
	if errors.As(err, &dataLoss) {
		return nil // franz-go resets the partition and goes on, as Kafka's consumers do
	}
	var group *kgo.ErrGroupSession
	if errors.As(err, &group) {
		var ke *kerr.Error
		if errors.As(group.Err, &ke) && !ke.Retriable && ke != kerr.RebalanceInProgress && ke != kerr.IllegalGeneration && ke != kerr.UnknownMemberID {
			return KafkaException(group.Err)
		}
		return nil
	}
	if kerr.IsRetriable(err) {
		return nil
	}
	return KafkaException(err)
}

// ---- positions ----

// prepareFetch gets franz-go fetching the assignment from the positions
// kafka-python would use: it resolves unknown positions (committed offset,
// else auto_offset_reset) and moves cursors after seeks.
func (c *KafkaConsumer) prepareFetch(thread *starlark.Thread) error {
	if c.closed {
		return nil
	}
	if c.subscribed && c.set.groupID == "" {
		if err := c.refreshDirect(thread, false); err != nil {
			return err
		}
	}
	if err := c.resetOutOfRange(); err != nil {
		return err
	}
	if c.cur != nil && c.cur.group {
		var unresolved []*partState
		for _, ps := range c.parts {
			if ps.added && ps.position < 0 {
				unresolved = append(unresolved, ps)
			}
		}
		if len(unresolved) > 0 {
			if err := c.resolvePositions(thread, unresolved, nil); err != nil {
				return err
			}
		}
		set := map[string]map[int32]kgo.EpochOffset{}
		for t, ps := range c.parts {
			if ps.reset && ps.added && ps.position >= 0 {
				if set[t.topic] == nil {
					set[t.topic] = map[int32]kgo.EpochOffset{}
				}
				set[t.topic][t.partition] = kgo.EpochOffset{Epoch: -1, Offset: ps.position}
				ps.reset = false
			}
		}
		if len(set) > 0 {
			c.cur.cl.SetOffsets(set)
		}
		return nil
	}
	if len(c.parts) == 0 {
		return nil
	}
	var unknown []*partState
	for _, ps := range c.parts {
		if ps.position < 0 {
			unknown = append(unknown, ps)
		}
	}
	if len(unknown) > 0 && !time.Now().Before(c.resolveAt) {
		if err := c.resolvePositions(thread, unknown, nil); err != nil {
			if !retriableErr(err) {
				return err
			}
			c.resolveAt = time.Now().Add(max(c.set.retryBackoff, 100*time.Millisecond))
		}
	}
	cl, err := c.client()
	if err != nil {
		return err
	}
	var remove []tp
	add := map[string]map[int32]kgo.Offset{}
	for t, ps := range c.parts {
		if !ps.reset || ps.position < 0 {
			continue
		}
		if ps.added {
			remove = append(remove, t)
		}
		if add[t.topic] == nil {
			add[t.topic] = map[int32]kgo.Offset{}
		}
		add[t.topic][t.partition] = kgo.NewOffset().At(ps.position)
		ps.added, ps.reset = true, false
	}
	if len(remove) > 0 {
		cl.RemoveConsumePartitions(topicPartMap(remove))
	}
	if len(add) > 0 {
		cl.AddConsumePartitions(add)
	}
	return nil
}

// resetOutOfRange does what kafka-python's fetcher does when a fetch
// answers OFFSET_OUT_OF_RANGE (a position past the end of the log, or
// before its start): 'earliest' and 'latest' move the position to that
// end, resolved with the other unknown positions; without a policy the
// first such partition raises OffsetOutOfRangeError({tp: position}) and
// the others raise at the next polls. fill runs only once the buffer is
// drained, so every record fetched before the error has been yielded.
func (c *KafkaConsumer) resetOutOfRange() error {
	var stuck []tp
	for t, ps := range c.parts {
		if !ps.outOfRange {
			continue
		}
		switch c.set.reset {
		case "earliest":
			c.seekTo(ps, -1, -2)
		case "latest":
			c.seekTo(ps, -1, -1)
		default:
			stuck = append(stuck, t)
			continue
		}
		ps.outOfRange = false
	}
	if len(stuck) == 0 {
		return nil
	}
	sortTPs(stuck)
	ps := c.parts[stuck[0]]
	ps.outOfRange = false
	offsets := starlark.NewDict(1)
	_ = offsets.SetKey(ps.tp.value(), starlark.MakeInt64(ps.position))
	return &py.Exception{Class: BrokerError(1), Msg: py.Repr(offsets), Args: starlark.Tuple{offsets}}
}

// startOffsets returns where partitions start: the group's committed
// offset when there is one, else the auto_offset_reset end.
func (c *KafkaConsumer) startOffsets(thread *starlark.Thread, tps []tp, useCommitted bool) (map[tp]int64, error) {
	out := map[tp]int64{}
	rest := tps
	if useCommitted && c.set.groupID != "" {
		committed, err := c.fetchCommitted(thread, tps)
		if err != nil {
			return nil, err
		}
		rest = nil
		for _, t := range tps {
			o, ok := committed[t]
			if ps := c.parts[t]; ps != nil && ok {
				ps.committed = o.value() // kafka-python refreshes its cache here
			}
			if ok && o.offset >= 0 {
				out[t] = o.offset
			} else {
				rest = append(rest, t)
			}
		}
	}
	if len(rest) == 0 {
		return out, nil
	}
	if c.set.reset == "none" {
		return out, py.NewException(NoOffsetForPartitionError, rest[0].String())
	}
	ts := int64(-1)
	if c.set.reset == "earliest" {
		ts = -2
	}
	stamps := make(map[tp]int64, len(rest))
	for _, t := range rest {
		stamps[t] = ts
	}
	offs, err := c.listOffsets(thread, stamps)
	for t, o := range offs {
		out[t] = o.offset
	}
	return out, err
}

// refreshDirect keeps a group-less subscription assigned to every
// partition of its topics (those matching its pattern), reading metadata
// every metadata_max_age_ms, or sooner while a topic is missing.
func (c *KafkaConsumer) refreshDirect(thread *starlark.Thread, force bool) error {
	if !force && time.Now().Before(c.nextMeta) {
		return nil
	}
	if c.pattern == nil && len(c.subTopics) == 0 {
		// Subscribed to no topic at all (a pattern that none of the allowed
		// topics matches): a Metadata request for no topics would list every
		// topic of the cluster, allowed or not.
		return nil
	}
	var topics []string
	if c.pattern == nil {
		topics = c.subTopics
	}
	meta, err := c.metadata(thread, topics, c.pattern == nil && c.set.autoCreate)
	if err != nil {
		if retriableErr(err) {
			c.nextMeta = time.Now().Add(max(c.set.retryBackoff, 100*time.Millisecond))
			return nil
		}
		return err
	}
	c.nextMeta = time.Now().Add(c.set.metadataMaxAge)
	var want []tp
	missing := false
	for _, t := range meta.Topics {
		name := ""
		if t.Topic != nil {
			name = *t.Topic
		}
		if c.pattern != nil {
			if !c.pattern.MatchString(name) || (c.set.excludeInternal && t.IsInternal) {
				continue
			}
		}
		if t.ErrorCode != 0 {
			missing = true
			continue
		}
		for _, p := range t.Partitions {
			want = append(want, tp{name, p.Partition})
		}
	}
	if missing {
		c.nextMeta = time.Now().Add(max(c.set.retryBackoff, 100*time.Millisecond))
	}
	if remove := c.setParts(want); len(remove) > 0 && c.cur != nil {
		c.cur.cl.RemoveConsumePartitions(topicPartMap(remove))
	}
	return nil
}

// metadata requests topic metadata (all topics for nil), optionally
// letting the broker create missing topics as kafka-python's requests do.
func (c *KafkaConsumer) metadata(thread *starlark.Thread, topics []string, autoCreate bool) (*kmsg.MetadataResponse, error) {
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = autoCreate
	if topics != nil {
		req.Topics = make([]kmsg.MetadataRequestTopic, len(topics))
		for i, t := range topics {
			req.Topics[i] = kmsg.NewMetadataRequestTopic()
			req.Topics[i].Topic = kmsg.StringPtr(t)
		}
	}
	var resp *kmsg.MetadataResponse
	err := c.do(thread, c.set.requestTimeout, func(ctx context.Context, cl *kgo.Client) error {
		r, err := req.RequestWith(ctx, cl)
		resp = r
		return err
	})
	if err != nil {
		return nil, KafkaException(err)
	}
	return resp, nil
}

// retriableErr reports whether an error is one kafka-python retries.
func retriableErr(err error) bool {
	if e := py.AsException(err); e != nil {
		return isRetriable(e.Class)
	}
	return kerr.IsRetriable(err)
}
