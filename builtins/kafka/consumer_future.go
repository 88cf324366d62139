package kafka

import (
	"fmt"
	"sync/atomic"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// KafkaFuture is kafka-python's kafka.future.Future, what commit_async
// returns: its outcome arrives from franz-go and is recorded on the
// script's thread, at a safe point. is_done, value and exception are attributes, as in kafka-python;
// get(timeout=None) waits (in seconds) and raises the failure.
type KafkaFuture struct {
	await func(thread *starlark.Thread, done <-chan struct{}, timeout time.Duration) (bool, error)
	done  chan struct{}

	isDone    bool
	value     starlark.Value
	exception *py.Exception
	callbacks []kafkaFutureCallback
	id        uint32
}

var kafkaFutureIDs atomic.Uint32

type kafkaFutureCallback struct {
	fn           starlark.Value
	args         starlark.Tuple
	kwargs       []starlark.Tuple
	success, err bool
}

var _ starlark.HasAttrs = (*KafkaFuture)(nil)

func newKafkaFuture(await func(*starlark.Thread, <-chan struct{}, time.Duration) (bool, error)) *KafkaFuture {
	return &KafkaFuture{await: await, done: make(chan struct{}), value: starlark.None, id: kafkaFutureIDs.Add(1)}
}

// resolve completes the future on the script's thread and runs its
// callbacks (their failures are logged, as kafka-python does).
func (f *KafkaFuture) resolve(thread *starlark.Thread, value starlark.Value, exc *py.Exception) {
	if f.isDone {
		return
	}
	f.isDone, f.value, f.exception = true, value, exc
	if value == nil {
		f.value = starlark.None
	}
	close(f.done)
	f.runCallbacks(thread)
}

func (f *KafkaFuture) runCallbacks(thread *starlark.Thread) {
	cbs := f.callbacks
	f.callbacks = nil
	for _, cb := range cbs {
		f.call(thread, cb)
	}
}

func (f *KafkaFuture) call(thread *starlark.Thread, cb kafkaFutureCallback) {
	var arg starlark.Value
	switch {
	case f.exception == nil && cb.success:
		arg = f.value
	case f.exception != nil && cb.err:
		arg = f.exception
	default:
		return
	}
	args := append(append(starlark.Tuple{}, cb.args...), arg)
	if _, err := starlark.Call(thread, cb.fn, args, cb.kwargs); err != nil {
		fmt.Fprintf(py.EnvOf(thread).Stderr, "Error processing callback: %s\n", rebalanceErrorText(err))
	}
}

func (f *KafkaFuture) String() string {
	return fmt.Sprintf("<kafka.future.Future object at %p>", f)
}
func (f *KafkaFuture) Type() string         { return "Future" }
func (f *KafkaFuture) Freeze()              {}
func (f *KafkaFuture) Truth() starlark.Bool { return true }

// Hash is by identity.
func (f *KafkaFuture) Hash() (uint32, error) { return f.id, nil }

// Attr exposes is_done, value, exception and the methods.
func (f *KafkaFuture) Attr(name string) (starlark.Value, error) {
	switch name {
	case "is_done":
		return starlark.Bool(f.isDone), nil
	case "value":
		return f.value, nil
	case "exception":
		if f.exception == nil {
			return starlark.None, nil
		}
		return f.exception, nil
	}
	return kafkaFutureMethods.Bind(f, name), nil
}

// AttrNames lists the attributes and methods.
func (f *KafkaFuture) AttrNames() []string {
	return kafkaFutureMethods.Names("exception", "is_done", "value")
}

// kafkaFutureMethods are KafkaFuture's methods, by name.
var kafkaFutureMethods = py.MethodTable[*KafkaFuture]{
	"get":          (*KafkaFuture).get,
	"succeeded":    (*KafkaFuture).outcome,
	"failed":       (*KafkaFuture).outcome,
	"retriable":    (*KafkaFuture).outcome,
	"add_callback": (*KafkaFuture).addCallback,
	"add_errback":  (*KafkaFuture).addCallback,
	"add_both":     (*KafkaFuture).addCallback,
}

// get is get(timeout=None): the result, waiting at most timeout seconds.
func (f *KafkaFuture) get(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	wait := time.Duration(-1)
	if timeout != starlark.None {
		secs, ok := starlark.AsFloat(timeout)
		if !ok {
			return nil, py.Errorf(py.TypeError, "timeout must be a number, not %s", py.TypeName(timeout))
		}
		wait = time.Duration(secs * float64(time.Second))
	}
	if !f.isDone {
		ok, err := f.await(thread, f.done, wait)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, py.Errorf(KafkaTimeoutError, "Timeout after waiting for %s secs.", py.Str(timeout))
		}
	}
	if f.exception != nil {
		return nil, f.exception
	}
	return f.value, nil
}

// outcome is succeeded(), failed() and retriable().
func (f *KafkaFuture) outcome(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	switch b.Name() {
	case "succeeded":
		return starlark.Bool(f.isDone && f.exception == nil), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
	case "failed":
		return starlark.Bool(f.isDone && f.exception != nil), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
	}
	return starlark.Bool(f.exception != nil && isRetriable(f.exception.Class)), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
}

// addCallback is add_callback(f, *args, **kwargs), add_errback and
// add_both.
func (f *KafkaFuture) addCallback(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: 'f'", b.Name())
	}
	if _, ok := args[0].(starlark.Callable); !ok {
		return nil, py.Errorf(py.TypeError, "%s() argument must be callable, not %s", b.Name(), py.TypeName(args[0]))
	}
	cb := kafkaFutureCallback{fn: args[0], args: args[1:], kwargs: kwargs}
	switch b.Name() {
	case "add_callback":
		cb.success = true
	case "add_errback":
		cb.err = true
	default:
		cb.success, cb.err = true, true
	}
	if f.isDone {
		f.call(thread, cb)
	} else {
		f.callbacks = append(f.callbacks, cb)
	}
	return f, nil
}
