package runtime

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kstar-dev/kstar/builtins/py"
)

// callContext is the context of a Script's call under WithCallTimeout:
// the caller's context with the call's deadline. context.WithTimeout
// would cost a timer and half a dozen allocations per call, for calls
// that take a microsecond; so the deadline is checked where the call
// looks at its context anyway (the governor's polls, builtins' Meters),
// and a real timer context is made only when a builtin waits on Done (a
// blocking Kafka call, time.sleep). A callState reuses its callContext.
type callContext struct {
	context.Context           // the caller's
	deadline        time.Time // the call's; zero: none
	cause           *py.Exception

	mu    sync.Mutex
	timed atomic.Pointer[timerContext] // made by the first Done of a call
}

// timerContext is a context with the call's deadline, and its cancel.
type timerContext struct {
	context.Context
	cancel context.CancelFunc
}

// begin starts a call under parent with a timeout (0: none) whose
// expiry is reported as cause.
func (c *callContext) begin(parent context.Context, timeout time.Duration, cause *py.Exception) {
	c.Context = parent
	if c.cause != cause { // a pointer store costs a write barrier
		c.cause = cause
	}
	c.deadline = time.Time{}
	if timeout > 0 {
		c.deadline = watcher.now().Add(timeout)
	}
}

// end releases the timer of the call, if one was made.
func (c *callContext) end() {
	if t := c.timed.Swap(nil); t != nil {
		t.cancel()
	}
}

// Deadline is the earlier of the caller's deadline and the call's.
func (c *callContext) Deadline() (time.Time, bool) {
	d, ok := c.Context.Deadline()
	if c.deadline.IsZero() || ok && d.Before(c.deadline) {
		return d, ok
	}
	return c.deadline, true
}

// Done is the caller's Done, or that of a timer context for the call's
// deadline.
func (c *callContext) Done() <-chan struct{} {
	if c.deadline.IsZero() {
		return c.Context.Done()
	}
	if t := c.timed.Load(); t != nil {
		return t.Done()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.timed.Load()
	if t == nil {
		ctx, cancel := context.WithDeadlineCause(c.Context, c.deadline, c.cause)
		t = &timerContext{ctx, cancel}
		c.timed.Store(t)
	}
	return t.Done()
}

// Err is the caller's context's error, or DeadlineExceeded past the
// call's deadline.
func (c *callContext) Err() error {
	if err := c.Context.Err(); err != nil {
		return err
	}
	if c.expired() {
		return context.DeadlineExceeded
	}
	return nil
}

// expired reports whether the call's own deadline has passed.
func (c *callContext) expired() bool {
	return !c.deadline.IsZero() && !time.Now().Before(c.deadline)
}

// Value is the caller's context's, or the timer context's once made (so
// that context.Cause finds the call's cause).
func (c *callContext) Value(key any) any {
	if t := c.timed.Load(); t != nil {
		return t.Value(key)
	}
	return c.Context.Value(key)
}
