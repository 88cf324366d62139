package kafka

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// FutureRecordMetadata is kafka.producer.future.FutureRecordMetadata: what
// KafkaProducer.send returns. It has kafka-python's surface: get(timeout),
// the attributes is_done, value and exception, succeeded(), failed(),
// retriable(), add_callback/add_errback/add_both (chainable), chain,
// success/failure and error_on_callbacks.
//
// franz-go completes the record on one of its goroutines: the promise
// only stores the Go result here and, if callbacks are registered, queues
// them on the producer's callQueue. Everything Starlark (the RecordMetadata
// value, the exception, the callbacks) happens on the script's thread.
type FutureRecordMetadata struct {
	// rec is the record handed to franz-go (one allocation per send for
	// both). Its key, value and headers also give the serialized_*_size
	// fields.
	rec kgo.Record
	// ctx is rec's Context: through it the producer's single promise
	// function finds the future of a record.
	ctx deliveryContext
	p   *KafkaProducer

	// goErr is written by the promise before it sets futureDone.
	goErr error
	// flags: futureDone (set by the promise), futureHasBacks and
	// futureHasWaiter (set by the script's thread). Whoever sets its bit
	// second sees the other's and acts: the promise queues the callbacks
	// or wakes the waiter; the script's thread handles a completed future
	// itself.
	flags atomic.Int32
	// waitCh is made by a waiter before it sets futureHasWaiter; the
	// promise closes it.
	waitCh chan struct{}

	// st is the script-thread state, made when the script first looks
	// at the future (most futures of a send loop never need it).
	st *futureState
}

// deliveryContext is the context franz-go gets with a record: that of
// the record's delivery timeout, and the record's future.
type deliveryContext struct {
	context.Context
	future *FutureRecordMetadata
}

// futureOf returns the future of a record that send made.
func futureOf(r *kgo.Record) *FutureRecordMetadata {
	return r.Context.(*deliveryContext).future
}

const (
	futureDone int32 = 1 << iota
	futureHasBacks
	futureHasWaiter
)

// goDone reports whether franz-go has completed the record.
func (f *FutureRecordMetadata) goDone() bool { return f.flags.Load()&futureDone != 0 }

// futureState is kafka-python's Future fields, owned by the script's thread.
type futureState struct {
	done      bool
	seen      bool           // the script learnt of franz-go's failure (see sawFailure)
	value     starlark.Value // RecordMetadata or whatever success() got
	exception starlark.Value // an exception, or nil
	callbacks []futureBack
	errbacks  []futureBack
}

// state returns the script-thread state, making it on first use.
func (f *FutureRecordMetadata) state() *futureState {
	if f.st == nil {
		f.st = &futureState{}
	}
	return f.st
}

// sizes are the record's serialized_*_size fields.
func (f *FutureRecordMetadata) sizes() recordSizes {
	s := recordSizes{key: -1, value: -1, headers: -1}
	if f.rec.Key != nil {
		s.key = int32(len(f.rec.Key))
	}
	if f.rec.Value != nil {
		s.value = int32(len(f.rec.Value))
	}
	if len(f.rec.Headers) > 0 {
		s.headers = 0
		for _, h := range f.rec.Headers {
			s.headers += int32(len(h.Key) + len(h.Value))
		}
	}
	return s
}

// bufferedSize is what the record counts against buffer_memory: its key,
// value and headers plus kstar's per-record bookkeeping.
func bufferedSize(r *kgo.Record) int64 {
	n := int64(len(r.Key)+len(r.Value)) + recordOverhead
	for _, h := range r.Headers {
		n += int64(len(h.Key) + len(h.Value))
	}
	return n
}

// futureBack is a callback with kafka-python's functools.partial args.
type futureBack struct {
	fn     starlark.Callable
	args   starlark.Tuple
	kwargs []starlark.Tuple
}

var (
	_ starlark.HasAttrs   = (*FutureRecordMetadata)(nil)
	_ starlark.Comparable = (*FutureRecordMetadata)(nil)
	_ py.Reprer           = (*FutureRecordMetadata)(nil)
)

// String is the default Python object repr kafka-python's future has,
// with this object's address.
func (f *FutureRecordMetadata) String() string {
	return fmt.Sprintf("<kafka.producer.future.FutureRecordMetadata object at %p>", f)
}

// PyRepr is the same as String.
func (f *FutureRecordMetadata) PyRepr() string { return f.String() }

func (f *FutureRecordMetadata) Type() string          { return "FutureRecordMetadata" }
func (f *FutureRecordMetadata) Freeze()               {}
func (f *FutureRecordMetadata) Truth() starlark.Bool  { return true }
func (f *FutureRecordMetadata) Hash() (uint32, error) { return hashPointer(f), nil }

// CompareSameType compares futures by identity, as Python objects.
func (f *FutureRecordMetadata) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return py.CompareIdentity(op, f, y)
}

// hashPointer hashes an object by identity.
func hashPointer(p any) uint32 {
	s := fmt.Sprintf("%p", p)
	h, _ := starlark.String(s).Hash()
	return h
}

// futureMethods are FutureRecordMetadata's methods, by name.
var futureMethods = py.MethodTable[*FutureRecordMetadata]{
	"get": (*FutureRecordMetadata).get,
	"add_callback": func(f *FutureRecordMetadata, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return f.addBack(thread, b, args, kwargs, true, false)
	},
	"add_errback": func(f *FutureRecordMetadata, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return f.addBack(thread, b, args, kwargs, false, true)
	},
	"add_both": func(f *FutureRecordMetadata, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return f.addBack(thread, b, args, kwargs, true, true)
	},
	"chain":     (*FutureRecordMetadata).chain,
	"succeeded": (*FutureRecordMetadata).outcome,
	"failed":    (*FutureRecordMetadata).outcome,
	"retriable": (*FutureRecordMetadata).outcome,
	"success":   (*FutureRecordMetadata).completeMethod,
	"failure":   (*FutureRecordMetadata).completeMethod,
}

// AttrNames is dir(future) as kafka-python 2.0.2 shows it (minus its
// internal args tuple).
func (f *FutureRecordMetadata) AttrNames() []string {
	return futureMethods.Names("error_on_callbacks", "exception", "is_done", "value")
}

// Attr returns the attributes (which reflect franz-go's result as soon as
// it arrives) and the bound methods.
func (f *FutureRecordMetadata) Attr(name string) (starlark.Value, error) {
	switch name {
	case "is_done":
		return starlark.Bool(f.settle(nil).done), nil
	case "value":
		if st := f.settle(nil); st.value != nil {
			return st.value, nil
		}
		return starlark.None, nil
	case "exception":
		if st := f.settle(nil); st.exception != nil {
			f.sawFailure(st)
			return st.exception, nil
		}
		return starlark.None, nil
	case "error_on_callbacks":
		return starlark.False, nil
	}
	return futureMethods.Bind(f, name), nil
}

// outcome is succeeded(), failed() and retriable().
func (f *FutureRecordMetadata) outcome(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	st := f.settle(thread)
	f.sawFailure(st)
	switch b.Name() {
	case "succeeded":
		return starlark.Bool(st.done && st.exception == nil), nil
	case "failed":
		return starlark.Bool(st.done && st.exception != nil), nil
	}
	if e, ok := st.exception.(*py.Exception); ok {
		return starlark.Bool(isRetriable(e.Class)), nil
	}
	return starlark.False, nil
}

// completeMethod is success(value) and failure(exception).
func (f *FutureRecordMetadata) completeMethod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	if err := f.complete(thread, b.Name() == "success", v); err != nil {
		return nil, err
	}
	return f, nil
}

// promiseDone stores franz-go's result; it runs on franz-go's promise
// goroutine and touches no Starlark value. Callbacks registered before
// now are queued for the script's thread, before waiters are woken, so a
// get() that wakes up finds them queued.
func (f *FutureRecordMetadata) promiseDone(err error) {
	f.goErr = err
	old := f.flags.Or(futureDone)
	if old&futureHasBacks != 0 {
		f.p.queue.push(f.fire)
	}
	if old&futureHasWaiter != 0 {
		close(f.waitCh)
	}
}

// failNow completes a future that never reached franz-go (an oversized
// record) with err; it runs on the script's thread.
func (f *FutureRecordMetadata) failNow(err error) {
	f.p.noteFailure(&f.rec, err)
	f.goErr = err
	f.flags.Or(futureDone)
}

// settle copies franz-go's result into the script-visible state once it
// has arrived, and returns that state. thread may be nil (attribute
// reads), in which case the RecordMetadata is built without a thread
// (log_start_offset from the producer's cache).
func (f *FutureRecordMetadata) settle(thread *starlark.Thread) *futureState {
	st := f.state()
	if st.done || !f.goDone() {
		return st
	}
	st.done = true
	if f.goErr != nil {
		st.exception = f.p.exceptionFor(&f.rec, f.goErr)
	} else {
		st.value = f.p.recordMetadata(thread, &f.rec, f.sizes())
	}
	return st
}

// sawFailure notes that the script learnt of franz-go's failure of the
// record, if it failed: it raised from get(), reached an errback, or was
// read from exception, failed(), succeeded() or retriable(). The
// producer reports failures the script never learnt of when it ends.
func (f *FutureRecordMetadata) sawFailure(st *futureState) {
	if st.exception != nil && !st.seen && f.goErr != nil && unseenFailure(f.goErr) {
		st.seen = true
		f.p.unseen.Add(-1)
	}
}

// fire runs the callbacks of a settled future; the producer's queue
// calls it on the script's thread.
func (f *FutureRecordMetadata) fire(thread *starlark.Thread) error {
	f.settle(thread)
	return f.runBacks(thread)
}

// runBacks runs and forgets the callbacks (on success) or errbacks (on
// failure) registered so far. A callback that raises is reported on
// stderr and swallowed, as kafka-python logs it (error_on_callbacks is
// False); only an interruption of the script stops the run.
func (f *FutureRecordMetadata) runBacks(thread *starlark.Thread) error {
	st := f.state()
	if !st.done {
		return nil
	}
	backs, arg, kind := st.callbacks, st.value, "callback"
	if st.exception != nil {
		backs, arg, kind = st.errbacks, st.exception, "errback"
		if len(backs) > 0 {
			f.sawFailure(st)
		}
	}
	st.callbacks, st.errbacks = nil, nil
	for _, cb := range backs {
		if err := callBack(thread, cb, arg); err != nil {
			if ctx := py.ContextOf(thread); ctx.Err() != nil {
				return err
			}
			reportCallbackError(thread, kind, err)
		}
	}
	return nil
}

// callBack calls cb with its partial args and arg. An error carries the
// depth of the caller's stack, so the report shows the callback's frames
// only (as Python's log.exception inside kafka-python's _call_backs).
func callBack(thread *starlark.Thread, cb futureBack, arg starlark.Value) error {
	args := make(starlark.Tuple, 0, len(cb.args)+1)
	args = append(append(args, cb.args...), arg)
	depth := thread.CallStackDepth()
	if _, err := starlark.Call(thread, cb.fn, args, cb.kwargs); err != nil {
		return &callbackError{err: err, depth: depth}
	}
	return nil
}

// callbackError is an error raised by a callback, with the depth of the
// stack it was called from.
type callbackError struct {
	err   error
	depth int
}

func (e *callbackError) Error() string { return e.err.Error() }
func (e *callbackError) Unwrap() error { return e.err }

// reportCallbackError prints what kafka-python's log.exception('Error
// processing callback') prints: the message and the traceback.
func reportCallbackError(thread *starlark.Thread, kind string, err error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Error processing %s\nTraceback (most recent call last):\n", kind)
	skip := 0
	if ce, ok := err.(*callbackError); ok {
		err, skip = ce.err, ce.depth
	}
	if ee, ok := err.(*starlark.EvalError); ok {
		stack := ee.CallStack
		if skip <= len(stack) {
			stack = stack[skip:]
		}
		for _, fr := range py.PythonFrames(stack) {
			fmt.Fprintf(&b, "  File \"%s\", line %d, in %s\n", fr.Pos.Filename(), fr.Pos.Line, fr.Name)
		}
	}
	if e := py.AsException(err); e != nil {
		b.WriteString(e.TracebackLine())
	} else if ee, ok := err.(*starlark.EvalError); ok {
		b.WriteString(ee.Msg)
	} else {
		b.WriteString(err.Error())
	}
	b.WriteByte('\n')
	fmt.Fprint(py.EnvOf(thread).Stderr, b.String())
}

// addBack implements add_callback, add_errback and add_both: it returns
// the future. A callback for an already completed future runs now (after
// the callbacks of futures completed before it, so delivery order holds).
func (f *FutureRecordMetadata) addBack(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, onSuccess, onError bool) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: 'f'", b.Name())
	}
	fn, ok := args[0].(starlark.Callable)
	if !ok {
		return nil, py.Errorf(py.TypeError, "%s(): f must be callable, not %s", b.Name(), py.TypeName(args[0]))
	}
	cb := futureBack{fn: fn, args: args[1:], kwargs: kwargs}
	if st := f.state(); !st.done {
		// Ask the promise to queue the callbacks; if franz-go is already
		// done, settle below sees it.
		f.flags.Or(futureHasBacks)
	}
	st := f.settle(thread)
	if st.done {
		if err := f.p.runQueue(thread); err != nil {
			return nil, err
		}
		if st.exception != nil && onError {
			f.sawFailure(st)
		}
		if (st.exception == nil && onSuccess) || (st.exception != nil && onError) {
			if err := callBack(thread, cb, callbackArg(st)); err != nil {
				if py.ContextOf(thread).Err() != nil {
					return nil, err
				}
				kind := "callback"
				if st.exception != nil {
					kind = "errback"
				}
				reportCallbackError(thread, kind, err)
			}
		}
		return f, nil
	}
	if onSuccess {
		st.callbacks = append(st.callbacks, cb)
	}
	if onError {
		st.errbacks = append(st.errbacks, cb)
	}
	return f, nil
}

func callbackArg(st *futureState) starlark.Value {
	if st.exception != nil {
		return st.exception
	}
	return st.value
}

// complete is Future.success(value) / Future.failure(exception).
func (f *FutureRecordMetadata) complete(thread *starlark.Thread, ok bool, v starlark.Value) error {
	st := f.settle(thread)
	if st.done {
		return py.NewException(py.AssertionError, "Future is already complete")
	}
	if !ok {
		switch e := v.(type) {
		case *py.Exception:
		case *py.ExceptionClass:
			v = &py.Exception{Class: e}
		default:
			return py.NewException(py.AssertionError, "future failed without an exception")
		}
		st.exception = v
	} else {
		st.value = v
	}
	st.done = true
	return f.runBacks(thread)
}

// chain forwards this future's result to another future: chain(other).
func (f *FutureRecordMetadata) chain(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var other *FutureRecordMetadata
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &other); err != nil {
		return nil, err
	}
	success := py.Func("success", other.completeMethod).BindReceiver(other)
	failure := py.Func("failure", other.completeMethod).BindReceiver(other)
	if _, err := f.addBack(thread, b, starlark.Tuple{success}, nil, true, false); err != nil {
		return nil, err
	}
	return f.addBack(thread, b, starlark.Tuple{failure}, nil, false, true)
}

// get waits for the result: timeout is in seconds (None waits forever).
// Callbacks of this producer run while it waits.
func (f *FutureRecordMetadata) get(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	timeout := seconds{name: "timeout"}
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, hasTimeout := timeout.d, timeout.set
	if err := f.p.runQueue(thread); err != nil {
		return nil, err
	}
	st := f.settle(thread)
	if !st.done {
		var timer <-chan time.Time
		if hasTimeout {
			t := time.NewTimer(d)
			defer t.Stop()
			timer = t.C
		}
		ch := f.wait()
		ctx := py.ContextOf(thread)
		for waiting := true; waiting; {
			switch _, w := awaitUnlocked(thread, ch, f.p.queue.Ready(), ctx, timer); w {
			case wakeDone:
				waiting = false
			case wakeQueue:
				if err := f.p.queue.run(thread); err != nil {
					return nil, err
				}
			case wakeStop:
				return nil, py.Interrupted(ctx)
			case wakeTimer:
				return nil, py.Errorf(KafkaTimeoutError, "Timeout after waiting for %s secs.", py.Str(timeout.value))
			}
		}
		if err := f.p.runQueue(thread); err != nil {
			return nil, err
		}
		st = f.settle(thread)
	}
	if st.exception != nil {
		f.sawFailure(st)
		if e, ok := st.exception.(*py.Exception); ok {
			return nil, e
		}
	}
	if st.value == nil {
		return starlark.None, nil
	}
	return st.value, nil
}

// wait returns a channel closed when franz-go completes the record.
func (f *FutureRecordMetadata) wait() <-chan struct{} {
	if f.waitCh == nil {
		f.waitCh = make(chan struct{})
		if f.flags.Or(futureHasWaiter)&futureDone != 0 {
			close(f.waitCh) // the promise ran first and will not close it
		}
	}
	return f.waitCh
}
