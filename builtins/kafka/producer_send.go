package kafka

import (
	"context"
	"errors"
	"time"
	"unsafe"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// onPromise is franz-go's promise for every record: it stores the result
// in the record's future (and queues its callbacks); it never touches a
// Starlark value.
func (p *KafkaProducer) onPromise(r *kgo.Record, err error) {
	f := futureOf(r)
	if err != nil {
		p.hooks.recordError(r.Topic)
		p.noteFailure(r, err)
		if p.txnID != "" {
			p.txnErrMu.Lock()
			if p.txnErr == nil {
				p.txnErr = err
			}
			p.txnErrMu.Unlock()
		}
	} else {
		p.hooks.delivered.Add(1)
		if p.txnID != "" {
			p.txnSucceeded.Add(1)
		}
	}
	size := bufferedSize(r)
	f.promiseDone(err)
	p.doneBytes.Add(size)
	if p.waiting.Load() {
		select {
		case p.space <- struct{}{}:
		default:
		}
	}
}

// pySend implements send(topic, value=None, key=None, headers=None,
// partition=None, timestamp_ms=None): checks, serialization and
// partitioning happen here, on the script's thread; the record is then
// handed to franz-go and the future returned at once.
func (p *KafkaProducer) pySend(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var topicV, value, key, headers, partition, timestamp starlark.Value
	if len(kwargs) == 0 && len(args) >= 1 && len(args) <= 2 {
		// The common send('t', v): no argument parsing (and no escaping
		// locals) on the hot path.
		topicV, value = args[0], starlark.None
		if len(args) == 2 {
			value = args[1]
		}
		key, headers, partition, timestamp = starlark.None, starlark.None, starlark.None, starlark.None
	} else {
		a, err := unpackSendArgs(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		topicV, value, key, headers, partition, timestamp = a[0], a[1], a[2], a[3], a[4], a[5]
	}
	if p.closed {
		return nil, py.NewException(IllegalStateError, "KafkaProducer already closed!")
	}
	if err := p.runQueue(thread); err != nil {
		return nil, err
	}
	// kafka-python 2.0.2 and 2.3 assert this (3.0 raises ValueError with
	// the same message); kstar keeps 2.x's class since the message, the
	// part scripts show, is the same in every version.
	if value == starlark.None && key == starlark.None {
		return nil, py.NewException(py.AssertionError, "Need at least one: key or value")
	}
	topicS, ok := topicV.(starlark.String)
	if !ok {
		if topicV == starlark.None {
			return nil, py.NewException(py.TypeError, "All topics must not be None")
		}
		return nil, py.NewException(py.TypeError, "All topics must be strings")
	}
	topic := string(topicS)
	meta := p.lastMeta
	if topic != p.lastTopic || meta == nil {
		var err error
		if meta, err = p.topicMeta(thread, topic); err != nil {
			return nil, err
		}
	}
	if p.txnID != "" {
		if err := p.checkTxnSend(); err != nil {
			return nil, err
		}
	}

	f := &FutureRecordMetadata{p: p}
	r := &f.rec
	r.Topic = topic
	r.Partition = autoPartition

	var keyNil, valueNil bool
	var err error
	if r.Key, keyNil, err = p.serialize(thread, p.keySer, topic, key, "key"); err != nil {
		return nil, err
	}
	if r.Value, valueNil, err = p.serialize(thread, p.valueSer, topic, value, "value"); err != nil {
		return nil, err
	}

	if partition != starlark.None {
		n, err := starlark.AsInt32(partition)
		if err != nil {
			return nil, py.Errorf(py.TypeError, "partition must be an int, not %s", py.TypeName(partition))
		}
		if n < 0 {
			return nil, py.NewException(py.ValueError, "partition must be >= 0")
		}
		if err := p.checkPartition(thread, topic, meta, int32(n)); err != nil {
			return nil, err
		}
		r.Partition = int32(n)
	} else if p.partitioner != nil {
		n, err := p.customPartition(thread, topic, meta, r.Key, keyNil)
		if err != nil {
			return nil, err
		}
		r.Partition = n
	}

	var hdrs []headerKV
	if headers != starlark.None {
		if hdrs, err = parseHeaders(headers); err != nil {
			return nil, err
		}
		if len(hdrs) > 0 {
			r.Headers = make([]kgo.RecordHeader, len(hdrs))
			for i, h := range hdrs {
				r.Headers[i] = kgo.RecordHeader{Key: h.key, Value: h.value}
			}
		}
	}

	now := time.Now()
	if timestamp != starlark.None {
		ms, err := timestampArg(timestamp)
		if err != nil {
			return nil, err
		}
		r.Timestamp = time.UnixMilli(ms)
	} else {
		r.Timestamp = now
	}

	// kafka-python returns an already failed future for a record that is
	// too large (it raises from send only in 3.0).
	est := estimateRecordSize(r.Key, r.Value, keyNil, valueNil, hdrs)
	if est > p.maxRequestSize {
		f.failNow(py.Errorf(BrokerError(kerr.MessageTooLarge.Code), "The message is %d bytes when serialized which is larger than the maximum request size you have configured with the max_request_size configuration", est))
		return f, nil
	}
	size := bufferedSize(r)
	if size > p.bufferMemory {
		f.failNow(py.Errorf(BrokerError(kerr.MessageTooLarge.Code), "The message is %d bytes when serialized which is larger than the total memory buffer you have configured with the buffer_memory configuration.", est))
		return f, nil
	}
	if size > p.room {
		p.room = p.bufferMemory - (p.sentBytes - p.doneBytes.Load())
		if size > p.room {
			if err := p.waitForSpace(thread, size); err != nil {
				return nil, err
			}
			p.room = p.bufferMemory - (p.sentBytes - p.doneBytes.Load())
		}
	}
	p.room -= size
	p.sentBytes += size
	if now.After(p.deliveryEnd) {
		// The previous bucket's context is not cancelled: its records
		// may still be in flight; its deadline releases it.
		p.deliveryCtx, p.deliveryCancel = context.WithDeadline(context.Background(), now.Add(p.deliveryTimeout+deliveryBucket))
		p.deliveryEnd = now.Add(deliveryBucket)
	}
	f.ctx = deliveryContext{p.deliveryCtx, f}
	r.Context = &f.ctx
	p.cl.Produce(p.deliveryCtx, r, p.promise)
	return f, nil
}

// unpackSendArgs parses send's arguments in full.
func unpackSendArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) ([6]starlark.Value, error) {
	a := [6]starlark.Value{nil, starlark.None, starlark.None, starlark.None, starlark.None, starlark.None}
	err := starlark.UnpackArgs(b.Name(), args, kwargs,
		"topic", &a[0], "value?", &a[1], "key?", &a[2], "headers?", &a[3], "partition?", &a[4], "timestamp_ms?", &a[5])
	return a, err
}

var emptyBytes = []byte{}

// bytesOf returns the bytes of a str or bytes value without copying
// (franz-go only reads them; Starlark strings are immutable). A str is
// its UTF-8 encoding, as str.encode('utf-8').
func bytesOf(s string) []byte {
	if len(s) == 0 {
		return emptyBytes
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// serialize turns a key or value into bytes: through the serializer if
// one is set (called even for None, as kafka-python does), then bytes,
// str (UTF-8) or None are accepted.
func (p *KafkaProducer) serialize(thread *starlark.Thread, s serializer, topic string, v starlark.Value, what string) ([]byte, bool, error) {
	if s.fn != nil {
		var args starlark.Tuple
		if s.withTopic {
			args = starlark.Tuple{starlark.String(topic), v}
		} else {
			args = starlark.Tuple{v}
		}
		out, err := starlark.Call(thread, s.fn, args, nil)
		if err != nil {
			return nil, false, err
		}
		v = out
	}
	if b, ok := py.AsBytes(v); ok { // a Go serializer's too
		return bytesOf(string(b)), false, nil
	}
	if b, ok := py.BytesLike(v); ok { // a bytearray, as kafka-python takes it: a copy of its contents now
		return bytesOf(b), false, nil
	}
	switch x := v.(type) {
	case starlark.String:
		return bytesOf(string(x)), false, nil
	case starlark.NoneType:
		return nil, true, nil
	}
	return nil, false, py.Errorf(py.TypeError, "Unsupported type for serialized %s: <class '%s'>", what, py.TypeName(v))
}

// parseHeaders checks headers as kafka-python 3.0 does: a list of
// (str, bytes) tuples (a None value is a null header).
func parseHeaders(v starlark.Value) ([]headerKV, error) {
	l, ok := v.(*starlark.List)
	if !ok {
		return nil, py.NewException(py.TypeError, "headers must be list-type")
	}
	hdrs := make([]headerKV, 0, l.Len())
	for i := 0; i < l.Len(); i++ {
		t, ok := l.Index(i).(starlark.Tuple)
		if !ok || len(t) != 2 {
			return nil, py.NewException(py.TypeError, "All headers items must be (str, bytes) tuples")
		}
		k, ok := t[0].(starlark.String)
		if !ok {
			return nil, py.NewException(py.TypeError, "All headers items must be (str, bytes) tuples")
		}
		hv, isBytes := py.AsBytes(t[1])
		switch {
		case isBytes:
			hdrs = append(hdrs, headerKV{key: string(k), value: bytesOf(string(hv))})
		case t[1] == starlark.None:
			hdrs = append(hdrs, headerKV{key: string(k)})
		default:
			return nil, py.NewException(py.TypeError, "All headers items must be (str, bytes) tuples")
		}
	}
	return hdrs, nil
}

func timestampArg(v starlark.Value) (int64, error) {
	switch x := v.(type) {
	case starlark.Int:
		if ms, ok := x.Int64(); ok {
			return ms, nil
		}
	case starlark.Float:
		return int64(x), nil
	}
	return 0, py.Errorf(py.TypeError, "timestamp_ms must be an int, not %s", py.TypeName(v))
}

// waitForSpace makes send wait until buffer_memory has room for size
// bytes, running callbacks meanwhile, for at most max_block_ms.
func (p *KafkaProducer) waitForSpace(thread *starlark.Thread, size int64) error {
	ctx := py.ContextOf(thread)
	timer := time.NewTimer(p.maxBlock)
	defer timer.Stop()
	p.waiting.Store(true)
	defer p.waiting.Store(false)
	for p.sentBytes+size-p.doneBytes.Load() > p.bufferMemory {
		switch _, w := awaitUnlocked(thread, p.space, p.queue.Ready(), ctx, timer.C); w {
		case wakeQueue:
			if err := p.queue.run(thread); err != nil {
				return err
			}
		case wakeStop:
			return py.Interrupted(ctx)
		case wakeTimer:
			return py.NewException(KafkaTimeoutError, "Failed to allocate memory within the configured max blocking time")
		}
	}
	return nil
}

// exceptionFor converts a record's failure into the exception its
// future shows.
func (p *KafkaProducer) exceptionFor(r *kgo.Record, err error) *py.Exception {
	switch {
	case py.AsException(err) != nil:
		return py.AsException(err)
	case errors.Is(err, kgo.ErrRecordTimeout), errors.Is(err, context.DeadlineExceeded):
		e := py.Errorf(KafkaTimeoutError, "Expiring record for %s-%d: %d ms has passed since it was sent (delivery_timeout_ms)", r.Topic, r.Partition, p.deliveryTimeout.Milliseconds())
		e.Cause = err
		return e
	case errors.Is(err, kgo.ErrClientClosed):
		e := py.NewException(IllegalStateError, "Producer is closed forcefully.")
		e.Cause = err
		return e
	}
	return KafkaException(err)
}

// lossReason says why a record was lost, for a line on stderr: str(e)
// as Python shows it (Error), and the broker's or franz-go's words when
// e, as kafka-python raises it, has no message of its own.
func lossReason(e *py.Exception) string {
	if e.Msg == "" && e.Cause != nil {
		return e.Error() + ": " + e.Cause.Error()
	}
	return e.Error()
}

// recordMetadata builds a delivered record's RecordMetadata (thread may
// be nil when read as an attribute).
func (p *KafkaProducer) recordMetadata(thread *starlark.Thread, r *kgo.Record, sizes recordSizes) starlark.Value {
	offset, lso := r.Offset, int64(-1)
	if p.acks == 0 {
		offset = -1
	} else {
		lso = p.logStartOffset(thread, r.Topic, r.Partition)
	}
	return newRecordMetadata(r.Topic, r.Partition, offset, r.Timestamp.UnixMilli(), lso, sizes)
}
