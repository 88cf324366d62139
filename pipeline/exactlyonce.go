package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// endTimeout bounds ending one transaction (flushing its records,
// committing its offsets, EndTxn). It does not end with Run's context, so
// that a pipeline told to stop finishes the transaction under way instead
// of leaving it for Kafka to time out.
const endTimeout = time.Minute

// roundLinger is how long a record produced exactly once may wait for
// more: the round flushes them all at its end, so that they go in one
// request per broker rather than the first ones alone and the rest after
// it is acknowledged. It matters only when the records of a round exceed
// the client's buffer (kgo.MaxBufferedRecords).
const roundLinger = 10 * time.Millisecond

// runTransactions is Run in ExactlyOnce mode: each round is polled,
// transformed, produced and committed with its offsets in one
// transaction, before the next is polled.
func (p *Pipeline) runTransactions(ctx context.Context) error {
	// Register the transactional id before consuming: that fences the
	// member this one replaces and aborts its unfinished transaction.
	// Until then, the offsets that transaction would commit are pending,
	// and the group would not give this member any (a KIP-447 stable
	// offset fetch waits for them) until Kafka timed it out.
	if _, _, err := p.cl.ProducerID(ctx); err != nil {
		return p.fenced(fmt.Errorf("pipeline: initializing transactional id %q: %w", p.cfg.TransactionalID, err))
	}
	for {
		if err := context.Cause(ctx); err != nil {
			return err
		}
		fetches := p.cl.PollRecords(ctx, p.cfg.MaxPollRecords)
		if fetches.IsClientClosed() {
			return errors.New("pipeline: client closed")
		}
		recs := fetches.Records()
		err := context.Cause(ctx)
		if err == nil {
			err = p.fenced(p.fetchError(fetches))
		}
		if err != nil {
			if len(recs) > 0 {
				// Consume these again if Run is called again.
				err = errors.Join(err, p.abort())
			}
			return err
		}
		p.noteLag(fetches)
		if len(recs) == 0 {
			continue
		}
		p.stats.last.Store(time.Now().UnixNano())
		if err := p.transact(ctx, recs); err != nil {
			return err
		}
	}
}

// transact processes one round in a transaction. A transaction the
// session aborts (the group rebalanced meanwhile) is no error: the
// session rewinds to the committed offsets, and the records are consumed
// again by whichever member owns their partitions now.
func (p *Pipeline) transact(ctx context.Context, recs []*kgo.Record) error {
	if err := p.txn.Begin(); err != nil {
		return errors.Join(p.fenced(fmt.Errorf("pipeline: beginning a transaction: %w", err)), p.abort())
	}
	data := withoutControl(recs)
	outs, err := p.transformAll(ctx, data)
	if err == nil {
		err = p.route(outs)
	}
	if err != nil {
		return errors.Join(err, p.abort())
	}
	// From here on the round is finished even if ctx ends.
	endCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), endTimeout)
	defer cancel()
	var mu sync.Mutex
	var produceErr error
	promise := func(_ *kgo.Record, err error) {
		if err != nil {
			mu.Lock()
			if produceErr == nil {
				produceErr = err
			}
			mu.Unlock()
		}
	}
	for _, r := range outs {
		p.cl.Produce(endCtx, r, promise)
	}
	// Flush here rather than in End: franz-go would commit whatever was
	// acknowledged even if some records failed.
	if err := p.cl.Flush(endCtx); err != nil {
		return errors.Join(fmt.Errorf("pipeline: producing: %w", err), p.abort())
	}
	mu.Lock()
	err = produceErr
	mu.Unlock()
	if err != nil {
		return errors.Join(p.fenced(fmt.Errorf("pipeline: producing: %w", err)), p.abort())
	}
	committed, err := p.txn.End(endCtx, kgo.TryCommit)
	if err != nil {
		return p.fenced(fmt.Errorf("pipeline: committing a transaction: %w", err))
	}
	if !committed {
		p.stats.aborted.Add(int64(len(data)))
		return nil
	}
	p.stats.produced.Add(int64(len(outs)))
	p.stats.committed.Add(int64(len(data)))
	p.stats.rounds.Add(1)
	return nil
}

// abort aborts the transaction under way, if any, and rewinds the
// consumer to the committed offsets.
func (p *Pipeline) abort() error {
	ctx, cancel := context.WithTimeout(context.Background(), endTimeout)
	defer cancel()
	if _, err := p.txn.End(ctx, kgo.TryAbort); err != nil {
		return fmt.Errorf("pipeline: aborting a transaction: %w", err)
	}
	return nil
}

// fenced adds to an error that says another process took this member's
// place what to do about it.
func (p *Pipeline) fenced(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, kerr.FencedInstanceID):
		return fmt.Errorf("%w (another member of group %q joined with instance id %q: each member needs its own)", err, p.cfg.Group, p.cfg.InstanceID)
	case errors.Is(err, kerr.ProducerFenced), errors.Is(err, kerr.InvalidProducerEpoch):
		return fmt.Errorf("%w (another process uses transactional id %q: each member needs its own instance id)", err, p.cfg.TransactionalID)
	}
	return err
}

// fetchError is the first error of a poll that must stop the pipeline,
// if any. A consumer group's error that the broker calls retriable, or
// that is not the broker's (a join that timed out, a coordinator that
// could not be reached), is not one: the client keeps trying to join,
// and the error is counted in Stats.GroupErrors.
func (p *Pipeline) fetchError(fetches kgo.Fetches) error {
	var first error
	fetches.EachError(func(topic string, partition int32, err error) {
		switch {
		case first != nil, errors.Is(err, context.Canceled):
		case topic == "" && groupRetriable(err):
			p.stats.groupErrors.Add(1)
		case topic == "":
			first = fmt.Errorf("pipeline: consumer group: %w", err)
		default:
			first = fmt.Errorf("pipeline: fetching %s/%d: %w", topic, partition, err)
		}
	})
	return first
}

// groupRetriable reports whether a consumer group error is one that
// joining again may cure: anything but the errors that say the group
// cannot be joined as configured (not authorized, an invalid group id,
// another process with this instance id, a protocol the group or the
// broker does not take).
func groupRetriable(err error) bool {
	for _, fatal := range []error{
		kerr.GroupAuthorizationFailed, kerr.TopicAuthorizationFailed, kerr.InvalidGroupID,
		kerr.FencedInstanceID, kerr.InconsistentGroupProtocol, kerr.UnsupportedVersion,
		kerr.GroupMaxSizeReached, kerr.SaslAuthenticationFailed,
	} {
		if errors.Is(err, fatal) {
			return false
		}
	}
	return true
}
