package kafka

import (
	"context"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// wake says which of its channels ended an awaitUnlocked.
type wake int

const (
	wakeDone  wake = iota // the awaited result came
	wakeQueue             // callbacks were queued for the script's thread
	wakeStop              // the execution was interrupted
	wakeTimer             // the timeout passed
)

// awaitUnlocked waits, with thread's interpreter lock released so that
// the script's other threads run meanwhile, for the first of: a value on
// done, a signal of the client's callback queue (ready), the end of ctx,
// the timer. A nil channel never comes. The caller, holding the lock
// again, runs the queued callbacks on wakeQueue: franz-go's goroutines
// never run Starlark, and only a thread holding the lock may.
func awaitUnlocked[T any](thread *starlark.Thread, done <-chan T, ready <-chan struct{}, ctx context.Context, timer <-chan time.Time) (v T, w wake) {
	py.Unlocked(thread, func() {
		select {
		case v = <-done:
			w = wakeDone
		case <-ready:
			w = wakeQueue
		case <-ctx.Done():
			w = wakeStop
		case <-timer:
			w = wakeTimer
		}
	})
	return v, w
}

// receiveUnlocked receives from ch with thread's interpreter lock
// released: for results that come soon (a cancelled request's).
func receiveUnlocked[T any](thread *starlark.Thread, ch <-chan T) (v T) {
	py.Unlocked(thread, func() { v = <-ch })
	return v
}
