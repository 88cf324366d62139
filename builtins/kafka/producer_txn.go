package kafka

import (
	"context"
	"errors"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Transactions, with kafka-python 2.2's state machine and messages.

func (p *KafkaProducer) invalidTransition(to txnState) error {
	return py.Errorf(KafkaError, "TransactionalId %s: Invalid transition attempted from state %s to state %s", p.txnID, p.txn, to)
}

func (p *KafkaProducer) checkTxnSend() error {
	if !p.txnInitDone {
		return py.NewException(IllegalStateError, "Cannot perform a 'send' before completing a call to init_transactions when transactions are enabled.")
	}
	if p.txn == txnAbortableError {
		return py.Errorf(KafkaError, "Cannot perform send because at least one previous transactional or idempotent request has failed with errors.")
	}
	if p.txn != txnInTransaction {
		return py.Errorf(IllegalStateError, "Cannot call send in state %s", p.txn)
	}
	return nil
}

// pyInitTransactions implements init_transactions(): it fences earlier
// producers with the same transactional_id and gets a producer id, within
// max_block_ms. A second call does nothing.
func (p *KafkaProducer) pyInitTransactions(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if p.txnID == "" {
		return nil, py.NewException(IllegalStateError, "Cannot call init_transactions without setting a transactional_id.")
	}
	if p.closed {
		return nil, py.NewException(IllegalStateError, "KafkaProducer already closed!")
	}
	if p.txnInitDone {
		return starlark.None, nil
	}
	parent := py.ContextOf(thread)
	ctx, cancel := context.WithTimeout(parent, p.maxBlock)
	defer cancel()
	if _, _, err := p.cl.ProducerID(ctx); err != nil {
		if parent.Err() != nil {
			return nil, py.Interrupted(parent)
		}
		if ctx.Err() != nil {
			return nil, py.Errorf(KafkaTimeoutError, "Timeout expired while initializing transactional state in %d ms.", p.maxBlock.Milliseconds())
		}
		return nil, KafkaException(err)
	}
	p.txnInitDone, p.txn = true, txnReady
	return starlark.None, nil
}

// pyBeginTransaction implements begin_transaction().
func (p *KafkaProducer) pyBeginTransaction(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if p.txnID == "" {
		return nil, py.NewException(IllegalStateError, "Cannot use transactional methods without enabling transactions")
	}
	if p.txn != txnReady {
		return nil, p.invalidTransition(txnInTransaction)
	}
	if err := p.cl.BeginTransaction(); err != nil {
		return nil, KafkaException(err)
	}
	p.txn, p.txnOffsets = txnInTransaction, false
	p.txnSucceeded.Store(0)
	p.txnErrMu.Lock()
	p.txnErr = nil
	p.txnErrMu.Unlock()
	return starlark.None, nil
}

// pyCommitTransaction implements commit_transaction(): it flushes, then
// commits the records and offsets of the transaction. A record that
// failed in the transaction makes it abortable only.
func (p *KafkaProducer) pyCommitTransaction(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if p.txnID == "" {
		return nil, py.NewException(IllegalStateError, "Cannot commit transaction since transactions are not enabled")
	}
	if p.txn == txnAbortableError {
		return nil, py.Errorf(KafkaError, "Cannot execute transactional method because we are in an error state: %s", p.txnErrorText())
	}
	if p.txn != txnInTransaction {
		return nil, p.invalidTransition(txnCommitting)
	}
	if _, err := p.flush(thread, 0, false); err != nil {
		return nil, err
	}
	p.txnErrMu.Lock()
	failed := p.txnErr
	p.txnErrMu.Unlock()
	if failed != nil {
		p.txn = txnAbortableError
		return nil, py.Errorf(KafkaError, "Cannot execute transactional method because we are in an error state: %s", p.txnErrorText())
	}
	return starlark.None, p.endTransaction(thread, kgo.TryCommit)
}

// pyAbortTransaction implements abort_transaction(): records of the
// transaction still buffered are dropped (their futures fail) and the
// transaction is aborted.
func (p *KafkaProducer) pyAbortTransaction(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if p.txnID == "" {
		return nil, py.NewException(IllegalStateError, "Cannot abort transaction since transactions are not enabled.")
	}
	if p.txn != txnInTransaction && p.txn != txnAbortableError {
		return nil, p.invalidTransition(txnAborting)
	}
	ctx, cancel := context.WithTimeout(py.ContextOf(thread), p.requestTimeout+p.deliveryTimeout)
	var err error
	py.Unlocked(thread, func() { err = p.cl.AbortBufferedRecords(ctx) })
	cancel()
	if err != nil {
		return nil, KafkaException(err)
	}
	if err := p.drainQueue(thread); err != nil {
		return nil, err
	}
	return starlark.None, p.endTransaction(thread, kgo.TryAbort)
}

func (p *KafkaProducer) txnErrorText() string {
	p.txnErrMu.Lock()
	defer p.txnErrMu.Unlock()
	if p.txnErr == nil {
		return "None"
	}
	return py.Str(p.exceptionFor(&kgo.Record{}, p.txnErr))
}

// endTransaction ends the transaction with franz-go and, for a
// transaction that only holds offsets (franz-go sends EndTxn only for
// transactions it produced to), ends it with an EndTxn request.
func (p *KafkaProducer) endTransaction(thread *starlark.Thread, how kgo.TransactionEndTry) error {
	parent := py.ContextOf(thread)
	ctx, cancel := context.WithTimeout(parent, p.maxBlock)
	defer cancel()
	var err error
	py.Unlocked(thread, func() { err = p.cl.EndTransaction(ctx, how) })
	if err != nil {
		if parent.Err() != nil {
			return py.Interrupted(parent)
		}
		p.txn = txnAbortableError
		return KafkaException(err)
	}
	if p.txnOffsets && p.txnSucceeded.Load() == 0 {
		var id int64
		var epoch int16
		py.Unlocked(thread, func() { id, epoch, err = p.cl.ProducerID(ctx) })
		if err != nil {
			p.txn = txnAbortableError
			return KafkaException(err)
		}
		req := kmsg.NewPtrEndTxnRequest()
		req.TransactionalID, req.ProducerID, req.ProducerEpoch = p.txnID, id, epoch
		req.Commit = bool(how)
		py.Unlocked(thread, func() {
			err = retryConcurrentTransactions(ctx, func() error {
				resp, err := p.cl.Request(ctx, req)
				if err != nil {
					return err
				}
				return kerr.ErrorForCode(resp.(*kmsg.EndTxnResponse).ErrorCode)
			})
		})
		if err != nil {
			if parent.Err() != nil {
				return py.Interrupted(parent)
			}
			p.txn = txnAbortableError
			return KafkaException(err)
		}
	}
	p.txn, p.txnOffsets = txnReady, false
	return nil
}

// pySendOffsetsToTransaction implements send_offsets_to_transaction(offsets,
// consumer_group_id): offsets {TopicPartition: OffsetAndMetadata (or an
// int offset)} are committed for the group when the transaction commits.
// consumer_group_id is the group's name, or a consumer's group metadata
// (an object with group_id, and optionally generation_id, member_id and
// group_instance_id, as kafka-python 3.0's ConsumerGroupMetadata).
func (p *KafkaProducer) pySendOffsetsToTransaction(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var offsets *starlark.Dict
	var group starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "offsets", &offsets, "consumer_group_id", &group); err != nil {
		return nil, err
	}
	if p.txnID == "" {
		return nil, py.NewException(IllegalStateError, "Cannot use transactional methods without enabling transactions")
	}
	if p.txn == txnAbortableError {
		return nil, py.Errorf(KafkaError, "Cannot execute transactional method because we are in an error state: %s", p.txnErrorText())
	}
	if p.txn != txnInTransaction {
		return nil, py.NewException(KafkaError, "Cannot send offsets to transaction because the producer is not in an active transaction")
	}
	groupID, generation, memberID, instanceID, err := groupMetadataArg(group)
	if err != nil {
		return nil, err
	}
	topics := map[string][]kmsg.TxnOffsetCommitRequestTopicPartition{}
	var order []string
	for _, kv := range offsets.Items() {
		topic, part, ok := AsTopicPartition(kv[0])
		if !ok {
			return nil, py.Errorf(py.TypeError, "offsets keys must be TopicPartition, not %s", py.TypeName(kv[0]))
		}
		rp := kmsg.NewTxnOffsetCommitRequestTopicPartition()
		rp.Partition = part
		switch om := kv[1].(type) {
		case starlark.Int:
			rp.Offset, _ = om.Int64()
		case *py.NamedTuple:
			o, ok1 := om.Field("offset").(starlark.Int)
			if !ok1 {
				return nil, py.Errorf(py.TypeError, "offsets values must be OffsetAndMetadata, not %s", py.Repr(kv[1]))
			}
			rp.Offset, _ = o.Int64()
			if m := om.Field("metadata"); m != nil {
				if md, null := commitMetadata(m); !null {
					rp.Metadata = kmsg.StringPtr(md)
				}
			}
			if le, ok := om.Field("leader_epoch").(starlark.Int); ok {
				e, _ := le.Int64()
				rp.LeaderEpoch = int32(e)
			}
		default:
			return nil, py.Errorf(py.TypeError, "offsets values must be OffsetAndMetadata, not %s", py.TypeName(kv[1]))
		}
		if _, seen := topics[topic]; !seen {
			order = append(order, topic)
		}
		topics[topic] = append(topics[topic], rp)
	}
	parent := py.ContextOf(thread)
	ctx, cancel := context.WithTimeout(parent, p.maxBlock)
	defer cancel()
	fail := func(err error) (starlark.Value, error) {
		if parent.Err() != nil {
			return nil, py.Interrupted(parent)
		}
		p.txn = txnAbortableError
		p.txnErrMu.Lock()
		if p.txnErr == nil {
			p.txnErr = err
		}
		p.txnErrMu.Unlock()
		return nil, KafkaException(err)
	}
	var id int64
	var epoch int16
	py.Unlocked(thread, func() { id, epoch, err = p.cl.ProducerID(ctx) })
	if err != nil {
		return fail(err)
	}
	add := kmsg.NewPtrAddOffsetsToTxnRequest()
	add.TransactionalID, add.ProducerID, add.ProducerEpoch, add.Group = p.txnID, id, epoch, groupID
	py.Unlocked(thread, func() {
		err = retryConcurrentTransactions(ctx, func() error {
			resp, err := p.cl.Request(ctx, add)
			if err != nil {
				return err
			}
			return kerr.ErrorForCode(resp.(*kmsg.AddOffsetsToTxnResponse).ErrorCode)
		})
	})
	if err != nil {
		return fail(err)
	}
	p.txnOffsets = true
	commit := kmsg.NewPtrTxnOffsetCommitRequest()
	commit.TransactionalID, commit.Group, commit.ProducerID, commit.ProducerEpoch = p.txnID, groupID, id, epoch
	commit.Generation, commit.MemberID, commit.InstanceID = generation, memberID, instanceID
	for _, t := range order {
		rt := kmsg.NewTxnOffsetCommitRequestTopic()
		rt.Topic, rt.Partitions = t, topics[t]
		commit.Topics = append(commit.Topics, rt)
	}
	var resp kmsg.Response
	py.Unlocked(thread, func() { resp, err = p.cl.Request(ctx, commit) })
	if err == nil {
		for _, t := range resp.(*kmsg.TxnOffsetCommitResponse).Topics {
			for _, pt := range t.Partitions {
				if pt.ErrorCode != 0 && err == nil {
					err = kerr.ErrorForCode(pt.ErrorCode)
				}
			}
		}
	}
	if err != nil {
		return fail(err)
	}
	return starlark.None, nil
}

// groupMetadataArg reads send_offsets_to_transaction's group argument.
func groupMetadataArg(v starlark.Value) (group string, generation int32, member string, instance *string, err error) {
	generation = -1
	switch x := v.(type) {
	case starlark.String:
		return string(x), generation, "", nil, nil
	case starlark.HasAttrs:
		g, _ := x.Attr("group_id")
		gs, ok := g.(starlark.String)
		if !ok {
			break
		}
		if gen, _ := x.Attr("generation_id"); gen != nil {
			if n, err := starlark.AsInt32(gen); err == nil {
				generation = int32(n)
			}
		}
		if m, _ := x.Attr("member_id"); m != nil {
			if s, ok := m.(starlark.String); ok {
				member = string(s)
			}
		}
		if in, _ := x.Attr("group_instance_id"); in != nil {
			if s, ok := in.(starlark.String); ok {
				str := string(s)
				instance = &str
			}
		}
		return string(gs), generation, member, instance, nil
	}
	return "", 0, "", nil, py.Errorf(py.TypeError, "consumer_group_id must be a str (or a consumer's group metadata), not %s", py.TypeName(v))
}

// txnRetryBackoff is the first pause before a transactional request that
// the coordinator answered with CONCURRENT_TRANSACTIONS is sent again: 20
// ms, franz-go's default (kgo.TransactionBackoff).
const txnRetryBackoff = 20 * time.Millisecond

// retryConcurrentTransactions calls fn until it returns something other
// than CONCURRENT_TRANSACTIONS, the error Apache Kafka's transaction
// coordinator gives while it still writes the markers of the previous
// transaction (kfake never does). The pause starts at txnRetryBackoff and,
// as franz-go's, grows to 200 ms after 1 s, 500 ms after 2.5 s and 1 s
// after 5 s; when ctx ends first, fn's last error is returned.
func retryConcurrentTransactions(ctx context.Context, fn func() error) error {
	start := time.Now()
	for {
		err := fn()
		if !errors.Is(err, kerr.ConcurrentTransactions) {
			return err
		}
		backoff := txnRetryBackoff
		switch since := time.Since(start); {
		case since > 5*time.Second:
			backoff = time.Second
		case since > 5*time.Second/2:
			backoff = 500 * time.Millisecond
		case since > time.Second:
			backoff = 200 * time.Millisecond
		}
		timer := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			timer.Stop()
			return err
		case <-timer.C:
		}
	}
}
