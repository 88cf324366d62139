package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// flushMethod implements flush(timeout=None): every record sent so far
// is delivered or failed, and every pending callback has run, when it
// returns. timeout is in seconds.
func (p *KafkaProducer) flushMethod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, has, err := secondsArg("timeout", timeout)
	if err != nil {
		return nil, err
	}
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

// closeMethod implements close(timeout=None): flush (at most timeout
// seconds), then close the client; records still pending fail with
// IllegalStateError and their errbacks run. A second close does nothing.
func (p *KafkaProducer) closeMethod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &timeout, "null_logger?", new(starlark.Value)); err != nil {
		return nil, err
	}
	d, has, err := secondsArg("timeout", timeout)
	if err != nil {
		return nil, err
	}
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
