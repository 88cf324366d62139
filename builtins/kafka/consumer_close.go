package kafka

import (
	"context"
	"sync"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

func (c *KafkaConsumer) closeTimeout() time.Duration {
	return c.set.requestTimeout
}

func (c *KafkaConsumer) pyClose(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	autocommit := true
	var timeoutMs msTimeout
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "autocommit?", &autocommit, "timeout_ms?", &timeoutMs); err != nil {
		return nil, err
	}
	timeout := c.closeTimeout()
	if timeoutMs.set {
		timeout = timeoutMs.d
	}
	c.env.Untrack(c)
	return starlark.None, c.shutdown(thread, autocommit, timeout)
}

// Shutdown is called by the runtime when the script ends: with
// auto-commit, the consumed positions are committed; the group is left
// and connections close, all within timeout. Env.Shutdown closes all of
// a script's consumers together instead (closeConsumers).
func (c *KafkaConsumer) Shutdown(thread *starlark.Thread, timeout time.Duration) error {
	return c.shutdown(thread, true, timeout)
}

func (c *KafkaConsumer) shutdown(thread *starlark.Thread, autocommit bool, timeout time.Duration) error {
	return closeConsumers(thread, []*KafkaConsumer{c}, autocommit, timeout)
}

// leaveTimeout bounds how long closing waits for consumers to leave their
// groups: the broker ends a member that did not leave after its session
// timeout anyway, and the end of a script must not wait for a rebalance.
const leaveTimeout = 5 * time.Second

// closeConsumers closes consumers together, within timeout: with
// autocommit, they first commit their consumed positions, then all leave
// their groups and close at once. One at a time, a consumer's leaving
// would wait for a rebalance that another one holds up: a member that
// stopped polling when others joined has its revocation waiting for the
// script's thread, which was busy closing the first one.
func closeConsumers(thread *starlark.Thread, consumers []*KafkaConsumer, autocommit bool, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	var open []*KafkaConsumer
	for _, c := range consumers {
		if !c.closed {
			open = append(open, c)
		}
	}
	if autocommit {
		keep(commitAtClose(thread, open, timeout))
	}
	var leaving sync.WaitGroup
	for _, c := range open {
		c.closed = true
		if g := c.cur; g != nil {
			// franz-go's callbacks stop waiting for the script.
			g.closing.Store(true)
			leaving.Go(g.cl.Close)
		}
	}
	left := make(chan struct{})
	go func() {
		leaving.Wait()
		close(left)
	}()
	keep(awaitClosed(thread, left, min(max(time.Until(deadline), 0), leaveTimeout)))
	for _, c := range open {
		c.buf.reset()
		// Commit callbacks that arrived while closing still run.
		keep(c.queue.run(thread))
	}
	return first
}

// commitAtClose commits the consumed positions of the consumers with
// auto-commit, all at once. The script's thread runs no queued call
// meanwhile: a member whose rebalance callback waits there stays where it
// is, and so does its group, so each commit is made in the generation its
// positions belong to. A failed commit is a warning, as kafka-python logs
// it at close (the records will be read again); only an interruption is
// an error.
func commitAtClose(thread *starlark.Thread, consumers []*KafkaConsumer, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errs := make([]error, len(consumers))
	var commits sync.WaitGroup
	for i, c := range consumers {
		if !c.set.autoCommit || c.cur == nil {
			continue
		}
		offsets := c.consumedOffsets()
		if len(offsets) == 0 {
			continue
		}
		g := c.cur
		commits.Go(func() {
			start := time.Now()
			errs[i] = c.sendCommit(ctx, g.cl, g.group, offsets)
			c.metrics.commitDone(time.Since(start), errs[i] == nil)
		})
	}
	done := make(chan struct{})
	go func() {
		commits.Wait()
		close(done)
	}()
	err := awaitClosed(thread, done, timeout)
	cancel()
	py.Unlocked(thread, func() { <-done })
	if err != nil {
		return err
	}
	for i, err := range errs {
		if err != nil {
			c := consumers[i]
			c.warn("Offset commit failed for group %s at close: %s\nThis is likely to cause duplicate message delivery.", c.set.groupID, py.Str(KafkaException(err)))
		}
	}
	return nil
}

// awaitClosed blocks the script's thread until closed is closed, timeout
// passes, or the execution is cancelled (an error).
func awaitClosed(thread *starlark.Thread, closed <-chan struct{}, timeout time.Duration) error {
	ctx := py.ContextOf(thread)
	t := time.NewTimer(timeout)
	defer t.Stop()
	if _, w := awaitUnlocked(thread, closed, nil, ctx, t.C); w == wakeStop {
		return py.Interrupted(ctx)
	}
	return nil
}
