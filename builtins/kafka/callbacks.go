package kafka

import (
	"sync"

	"go.starlark.net/starlark"
)

// callQueue carries work from franz-go's goroutines to the script's
// thread. Client goroutines never touch Starlark values: they push Go
// closures here, and the script's thread runs them at safe points (send,
// flush, poll, get, close, iteration). Ready signals whenever the queue
// goes from empty to non-empty, so a blocked script call can wake up and
// drain it.
type callQueue struct {
	mu    sync.Mutex
	calls []func(thread *starlark.Thread) error
	ready chan struct{}
}

func newCallQueue() *callQueue {
	return &callQueue{ready: make(chan struct{}, 1)}
}

// push queues fn to run on the script's thread; safe from any goroutine.
func (q *callQueue) push(fn func(thread *starlark.Thread) error) {
	q.mu.Lock()
	q.calls = append(q.calls, fn)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// Ready is signalled after a push; select on it while blocking.
func (q *callQueue) Ready() <-chan struct{} { return q.ready }

// run runs every queued call in push order on the script's thread and
// returns the first error; calls after a failing one stay queued.
func (q *callQueue) run(thread *starlark.Thread) error {
	for {
		q.mu.Lock()
		if len(q.calls) == 0 {
			q.mu.Unlock()
			return nil
		}
		fn := q.calls[0]
		q.calls[0] = nil
		q.calls = q.calls[1:]
		q.mu.Unlock()
		if err := fn(thread); err != nil {
			return err
		}
	}
}

// pending reports how many calls are queued.
func (q *callQueue) pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.calls)
}
