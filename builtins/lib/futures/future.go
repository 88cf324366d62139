package futures

import (
	"fmt"
	"strings"
	"time"
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/threading"
	"github.com/kstar-dev/kstar/builtins/py"
)

// A Future's state. A future cancelled before a worker took it is
// cancelled; the worker taking it makes it cancelledNotified, and only
// then do as_completed and wait count it done, as CPython's.
type state int

const (
	pending state = iota
	running
	cancelled
	cancelledNotified
	finished
)

// stateNames are CPython's names of the states, as InvalidStateError's
// message shows them.
var stateNames = [...]string{pending: "PENDING", running: "RUNNING", cancelled: "CANCELLED", cancelledNotified: "CANCELLED_AND_NOTIFIED", finished: "FINISHED"}

// description is the state as a Future's repr shows it.
func (s state) description() string {
	if s == cancelledNotified {
		s = cancelled
	}
	return strings.ToLower(stateNames[s])
}

// Future is concurrent.futures.Future: the result of a call a worker
// runs. Only threads holding the interpreter's lock change it; done
// carries its completion to the threads that wait with the lock
// released.
type Future struct {
	state     state
	result    starlark.Value
	exception *py.Exception // the call raised it (state finished)
	done      chan struct{} // closed once finished or cancelled
	callbacks []starlark.Value
	waiters   []*waiter // as_completed's and wait()'s
}

// waiter is one as_completed or wait call: the futures that completed
// since it started, in order, and a wake-up for the waiting thread.
type waiter struct {
	completed []*Future
	wake      chan struct{} // buffered: a completion is never lost
}

func newWaiter() *waiter { return &waiter{wake: make(chan struct{}, 1)} }

func newFuture() *Future { return &Future{done: make(chan struct{})} }

var (
	_ starlark.HasAttrs = (*Future)(nil)
	_ py.Instance       = (*Future)(nil)
)

// FutureClass is concurrent.futures.Future.
var FutureClass = py.NewClass("concurrent.futures._base.Future",
	func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return newFuture(), starlark.UnpackPositionalArgs("Future", args, kwargs, 0)
	},
	func(v starlark.Value) bool { _, ok := v.(*Future); return ok }, nil)

func (f *Future) PyClass() *py.Type     { return FutureClass }
func (f *Future) String() string        { return f.PyRepr() }
func (f *Future) Type() string          { return "Future" }
func (f *Future) Freeze()               {}
func (f *Future) Truth() starlark.Bool  { return true }
func (f *Future) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(f)) >> 3), nil }

// PyRepr is CPython's: <Future at 0x... state=finished returned int>.
func (f *Future) PyRepr() string {
	switch {
	case f.state == finished && f.exception != nil:
		return fmt.Sprintf("<Future at %p state=finished raised %s>", f, f.exception.Class.ClassName)
	case f.state == finished:
		return fmt.Sprintf("<Future at %p state=finished returned %s>", f, py.TypeName(f.result))
	}
	return fmt.Sprintf("<Future at %p state=%s>", f, f.state.description())
}

func (f *Future) Attr(name string) (starlark.Value, error) { return futureMethods.Bind(f, name), nil }
func (f *Future) AttrNames() []string                      { return futureMethods.Names() }

func (f *Future) isDone() bool { return f.state >= cancelled }

func (f *Future) isCancelled() bool { return f.state == cancelled || f.state == cancelledNotified }

// completed reports whether as_completed and wait count f done.
func (f *Future) completed() bool { return f.state == cancelledNotified || f.state == finished }

// finish ends f with its result or exception: it wakes the threads
// waiting for it and runs its callbacks on thread.
func (f *Future) finish(thread *starlark.Thread) {
	f.state = finished
	f.notify()
	f.end(thread)
}

// end wakes the threads waiting in result() or exception() and runs
// f's callbacks on thread.
func (f *Future) end(thread *starlark.Thread) {
	close(f.done)
	callbacks := f.callbacks
	f.callbacks = nil
	for _, fn := range callbacks {
		f.call(thread, fn)
	}
}

// notify tells the as_completed and wait calls waiting for f that it
// completed.
func (f *Future) notify() {
	for _, w := range f.waiters {
		w.completed = append(w.completed, f)
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	f.waiters = nil
}

// call runs a done callback; what it raises is printed, as CPython's
// logger does, and goes no further.
func (f *Future) call(thread *starlark.Thread, fn starlark.Value) {
	if _, err := starlark.Call(thread, fn, starlark.Tuple{f}, nil); err != nil {
		if py.ContextOf(thread).Err() != nil {
			return
		}
		text := err.Error()
		if tb := py.InterpOf(thread).Traceback; tb != nil {
			text = tb(err)
		}
		fmt.Fprintf(py.EnvOf(thread).Stderr, "exception calling callback for %s\n%s", f.PyRepr(), strings.TrimSuffix(text, "\n")+"\n")
	}
}

// setRunning is set_running_or_notify_cancel: false when f was
// cancelled before a worker took it.
func (f *Future) setRunning() (bool, error) {
	switch f.state {
	case cancelled:
		f.state = cancelledNotified
		f.notify()
		return false, nil
	case pending:
		f.state = running
		return true, nil
	}
	return false, py.Errorf(py.RuntimeError, "Future in unexpected state")
}

// cancel is Future.cancel(): false once the call runs or ran.
func (f *Future) cancel(thread *starlark.Thread) bool {
	switch f.state {
	case running, finished:
		return false
	case pending:
		f.state = cancelled
		f.end(thread)
	}
	return true
}

// wait blocks thread until f is done or timeout passes: TimeoutError
// then, CancelledError for a cancelled future.
func (f *Future) wait(thread *starlark.Thread, timeout time.Duration) error {
	if ok, err := py.Wait(thread, f.done, timeout); err != nil {
		return err
	} else if !ok {
		return py.NewException(py.TimeoutError, "")
	}
	if f.isCancelled() {
		return py.NewException(CancelledError, "")
	}
	return nil
}

// outcome is what result() returns or raises.
func (f *Future) outcome() (starlark.Value, error) {
	if f.exception != nil {
		return nil, f.exception
	}
	return f.result, nil
}

var futureMethods = py.MethodTable[*Future]{
	"cancel": func(f *Future, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return starlark.Bool(f.cancel(thread)), nil
	},
	"cancelled": func(f *Future, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(f.isCancelled()), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
	},
	"running": func(f *Future, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(f.state == running), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
	},
	"done": func(f *Future, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(f.isDone()), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
	},
	"result": func(f *Future, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		d, err := timeoutArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		if err := f.wait(thread, d); err != nil {
			return nil, err
		}
		return f.outcome()
	},
	"exception": func(f *Future, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		d, err := timeoutArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		if err := f.wait(thread, d); err != nil {
			return nil, err
		}
		if f.exception == nil {
			return starlark.None, nil
		}
		return f.exception, nil
	},
	"add_done_callback": func(f *Future, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var fn starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &fn); err != nil {
			return nil, err
		}
		if f.isDone() {
			f.call(thread, fn)
		} else {
			f.callbacks = append(f.callbacks, fn)
		}
		return starlark.None, nil
	},
	"set_running_or_notify_cancel": func(f *Future, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		ok, err := f.setRunning()
		return starlark.Bool(ok), err
	},
	"set_result": func(f *Future, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var v starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
			return nil, err
		}
		if f.isDone() {
			return nil, py.Errorf(InvalidStateError, "%s: %s", stateNames[f.state], f.PyRepr())
		}
		f.result = v
		f.finish(thread)
		return starlark.None, nil
	},
	"set_exception": func(f *Future, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var v starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
			return nil, err
		}
		exc, ok := v.(*py.Exception)
		if !ok {
			return nil, py.Errorf(py.TypeError, "exceptions must derive from BaseException")
		}
		if f.isDone() {
			return nil, py.Errorf(InvalidStateError, "%s: %s", stateNames[f.state], f.PyRepr())
		}
		f.exception = exc
		f.finish(thread)
		return starlark.None, nil
	},
}

// timeoutArg parses (timeout=None).
func timeoutArg(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (time.Duration, error) {
	var tv starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &tv); err != nil {
		return 0, err
	}
	return threading.Timeout(tv)
}
