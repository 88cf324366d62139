package py

import (
	"go.starlark.net/starlark"
)

// Builtins that can run long (repr of a huge or deeply nested value,
// sorted, json and msgpack, join, ...) or allocate much from one size
// (list(range(n)), bytes(n), "".join, str.replace) consult the Limiter
// of the thread they run on: the host's runtime bounds each execution's
// time, steps and memory, and Starlark itself only looks at them between
// two steps of the script, never inside a builtin.

// Limiter bounds the work builtins do for one execution. The runtime
// installs one on each thread it runs (SetLimiter); without one, builtins
// are bounded by nothing but their input.
type Limiter interface {
	// Check returns the exception that must stop the execution now (its
	// context is done, its step budget spent, its memory limit passed),
	// or nil. An execution it stops is cancelled too: the script cannot
	// catch the exception and go on.
	Check(thread *starlark.Thread) error
	// Reserve returns a MemoryError (and stops the execution) when
	// allocating n more bytes would take it past its memory limit.
	Reserve(thread *starlark.Thread, n int64) error
}

// limiterKey is the thread-local key of the thread's Limiter.
const limiterKey = "kstar.limiter"

// SetLimiter installs l as the Limiter of the executions on thread.
func SetLimiter(thread *starlark.Thread, l Limiter) { thread.SetLocal(limiterKey, l) }

// LimiterOf returns the Limiter of thread, or nil.
func LimiterOf(thread *starlark.Thread) Limiter {
	if thread == nil {
		return nil
	}
	l, _ := thread.Local(limiterKey).(Limiter)
	return l
}

// meterInterval is how many units of work (elements visited, comparisons,
// KiB written) a Meter counts between two looks at the Limiter: a few
// microseconds of work, so a stopped execution leaves a builtin well
// within a millisecond, and the look costs nothing measurable.
const meterInterval = 1 << 10

// A Meter counts the work of one builtin call and consults the thread's
// Limiter every meterInterval units. Each unit counts as one step of the
// thread, so a step budget bounds builtins as it bounds Starlark loops.
// The zero Meter (and one for a thread without a Limiter) counts without
// stopping anything. A Meter is a value, so that a builtin's costs
// nothing to make: the Limiter is looked up at the first look.
type Meter struct {
	thread *starlark.Thread
	lim    Limiter
	looked bool // lim was looked up
	n      int
}

// NewMeter returns a Meter for a builtin running on thread (which may be
// nil).
func NewMeter(thread *starlark.Thread) Meter { return Meter{thread: thread} }

// limiter returns the thread's Limiter, looked up once.
func (m *Meter) limiter() Limiter {
	if !m.looked {
		m.lim, m.looked = LimiterOf(m.thread), true
	}
	return m.lim
}

// Tick counts one unit of work and returns the exception that stops the
// execution, if it must stop.
func (m *Meter) Tick() error {
	if m == nil {
		return nil
	}
	m.n++
	if m.n < meterInterval {
		return nil
	}
	return m.flush()
}

// TickN counts n units of work at once (n bytes written count n/1024).
func (m *Meter) TickN(n int) error {
	if m == nil {
		return nil
	}
	m.n += n
	if m.n < meterInterval {
		return nil
	}
	return m.flush()
}

// flush charges the counted work to the thread and consults the Limiter.
func (m *Meter) flush() error {
	lim := m.limiter()
	if lim == nil {
		m.n = 0
		return nil
	}
	m.thread.Steps += uint64(m.n)
	m.n = 0
	return lim.Check(m.thread)
}

// Reserve returns a MemoryError if the execution may not allocate n more
// bytes.
func (m *Meter) Reserve(n int64) error {
	if m == nil {
		return nil
	}
	if lim := m.limiter(); lim != nil {
		return lim.Reserve(m.thread, n)
	}
	return nil
}

// Reserve returns a MemoryError if the execution on thread may not
// allocate n more bytes.
func Reserve(thread *starlark.Thread, n int64) error {
	if l := LimiterOf(thread); l != nil {
		return l.Reserve(thread, n)
	}
	return nil
}

// CheckLimits returns the exception that stops the execution on thread,
// if it must stop (see Limiter.Check).
func CheckLimits(thread *starlark.Thread) error {
	if l := LimiterOf(thread); l != nil {
		return l.Check(thread)
	}
	return nil
}

// threadOf is the Meter's thread (nil for a nil Meter).
func (m *Meter) threadOf() *starlark.Thread {
	if m == nil {
		return nil
	}
	return m.thread
}
