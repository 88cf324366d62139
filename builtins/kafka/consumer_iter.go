package kafka

import (
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

var _ starlark.Container = (*KafkaConsumer)(nil)

// Iterate makes the consumer iterable: for msg in consumer.
func (c *KafkaConsumer) Iterate() starlark.Iterator { return &consumerIterator{c: c} }

// consumerIterator yields records until consumer_timeout_ms passes without
// one. Starlark's iterators cannot return errors, so an error (a failing
// deserializer, Ctrl-C) ends the loop and stops the script through Fail,
// which makes the runtime report the error itself.
type consumerIterator struct{ c *KafkaConsumer }

func (it *consumerIterator) Next(p *starlark.Value) bool {
	thread := it.c.running()
	v, ok, err := it.c.Next(thread)
	for err == py.ErrSignalHandled { // a signal's handler ran and returned: wait on
		v, ok, err = it.c.Next(thread)
	}
	if err != nil {
		py.Fail(thread, py.IterationError(thread, err))
		return false
	}
	if !ok {
		return false
	}
	*p = v
	return true
}

func (it *consumerIterator) Done() {}

// Has is `x in consumer`: it reads records until one equals x, or until
// consumer_timeout_ms passes without one.
func (c *KafkaConsumer) Has(x starlark.Value) (bool, error) {
	return py.IteratorHas(c.running(), c, x)
}

// running is the thread that iterates the consumer (Starlark's
// iteration passes none): the one holding the interpreter's lock, which
// may be a threading thread, or else the thread that made the consumer.
func (c *KafkaConsumer) running() *starlark.Thread {
	if t := py.InterpOf(c.thread).Current(); t != nil {
		return t
	}
	return c.thread
}

// Next returns the consumer's next record, waiting up to
// consumer_timeout_ms for one; ok is false when the wait ended without a
// record (StopIteration) or the consumer is closed. next(consumer) and
// iteration use it.
func (c *KafkaConsumer) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	// The consumer_timeout_ms clock starts now; it is read only once the
	// buffer is empty (when the wait begins, within nanoseconds).
	var deadline time.Time
	for attempt := 0; ; attempt++ {
		if c.closed {
			return nil, false, nil
		}
		if c.yielded >= c.set.maxPollRecords {
			c.yielded = 0
			if err := c.safePoint(thread); err != nil {
				return nil, false, err
			}
			if err := c.prefetch(); err != nil {
				return nil, false, err
			}
		}
		if r, ps := c.take(true); r != nil {
			c.yielded++
			rec, err := c.makeRecord(thread, r)
			if err != nil {
				ps.position = r.Offset // not consumed: neither yielded nor committed
				c.discardBuffer()
				return nil, false, err
			}
			return rec, true, nil
		}
		c.yielded = 0
		wait := time.Duration(-1)
		if c.set.consumerTimeout >= 0 {
			if deadline.IsZero() {
				deadline = time.Now().Add(c.set.consumerTimeout)
			}
			wait = time.Until(deadline)
			if wait <= 0 {
				if attempt > 0 {
					return nil, false, nil
				}
				wait = 0
			}
		}
		if err := c.fill(thread, wait); err != nil {
			return nil, false, err
		}
	}
}
