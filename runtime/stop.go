package runtime

import (
	"sync/atomic"

	"go.starlark.net/starlark"
)

// stoppedKey is the thread-local key of the *stopped flag of the
// execution a thread runs.
const stoppedKey = "kstar.stopped"

// stopped is set when kstar stops an execution: Ctrl-C, the host's
// cancellation or deadline, the step limit. Starlark reports a cancelled
// thread with an error of no particular type, so except asks this flag
// (catchable), not the error, whether it may catch. The threads of one
// execution share the flag, so that an importer's except does not catch
// the stop of a module it loads either.
type stopped struct{ atomic.Bool }

// stoppedOf is the flag of thread's execution; nil on a thread the
// runtime did not make.
func stoppedOf(thread *starlark.Thread) *stopped {
	s, _ := thread.Local(stoppedKey).(*stopped)
	return s
}

// stop cancels thread for reason, as a stop of its execution. It is the
// only way the runtime cancels a thread; it may be called from any
// goroutine.
func stop(thread *starlark.Thread, reason string) { stoppedOf(thread).stop(thread, reason) }

// stop is stop(thread, reason) for s, thread's flag (or nil): the form
// for other goroutines than thread's, which must not read its locals
// while it runs (Thread.Local is not safe for concurrent use).
func (s *stopped) stop(thread *starlark.Thread, reason string) {
	if s != nil {
		s.Store(true)
	}
	thread.Cancel(reason)
}

// resume readies thread for a new execution after a stop.
func resume(thread *starlark.Thread) {
	if s := stoppedOf(thread); s != nil {
		s.Store(false)
	}
	thread.Uncancel()
}

// isStopped reports whether kstar stopped the execution thread runs.
func isStopped(thread *starlark.Thread) bool {
	s := stoppedOf(thread)
	return s != nil && s.Load()
}
