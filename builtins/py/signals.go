package py

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"

	"go.starlark.net/starlark"
)

// The signals scripts may handle, numbered as on Linux and macOS.
const (
	SIGHUP  = 1
	SIGINT  = 2
	SIGTERM = 15
)

// SignalHandlerKind says what an execution does with a signal.
type SignalHandlerKind int

const (
	// SignalDefault is SIG_DFL: the host's default action (the kstar
	// command dies by the signal, as CPython does).
	SignalDefault SignalHandlerKind = iota
	// SignalIgnore is SIG_IGN: nothing happens.
	SignalIgnore
	// SignalInterrupt is signal.default_int_handler, SIGINT's handler
	// until a script sets another: KeyboardInterrupt is raised.
	SignalInterrupt
	// SignalCall calls a script's function with (signum, None).
	SignalCall
)

// SignalHandler is the handler signal.signal installed for a signal:
// Value is what signal.getsignal returns (SIG_DFL, a function, ...).
type SignalHandler struct {
	Kind  SignalHandlerKind
	Value starlark.Value
}

// SignalAction is what an execution did with a signal sent to it.
type SignalAction int

const (
	// SignalQueued: the handler runs (or KeyboardInterrupt is raised) at
	// the execution's next safe point.
	SignalQueued SignalAction = iota
	// SignalIgnored: the script ignores the signal (SIG_IGN).
	SignalIgnored
	// SignalUnhandled: the script has no handler for the signal (SIG_DFL);
	// the host applies its default action.
	SignalUnhandled
	// SignalRepeated: a SIGINT came while an earlier one still waits for a
	// safe point (the script runs Go code that does not watch for it):
	// the host stops the execution, as a second Ctrl-C does.
	SignalRepeated
)

// signalState is an Env's signal handlers and the signals waiting for a
// safe point. Its wake context (when the host sends signals) is the
// execution's context, cancelled when a signal is queued so that
// blocking builtins return at once.
type signalState struct {
	handlers map[int]SignalHandler
	pending  []int
	waiting  atomic.Bool // len(pending) > 0, read without the Env's lock
	wakeable bool        // the host may send signals: blocking calls watch for them
	parent   context.Context
	wake     context.Context
	cancel   context.CancelCauseFunc
	last     *threadContext // the last context contextFor made, reused while it fits
}

// signalWake is the cancellation cause of a wake context: a signal is
// queued for the execution.
type signalWake struct{ env *Env }

func (*signalWake) Error() string { return "signal received" }

// threadKey is the context key under which ContextOf's context carries
// its thread, for Interrupted to run the handlers on.
type threadKey struct{}

// threadContext is a wake context that knows the thread it was made for.
type threadContext struct {
	context.Context
	thread *starlark.Thread
}

func (c *threadContext) Value(key any) any {
	if key == (threadKey{}) {
		return c.thread
	}
	return c.Context.Value(key)
}

// noSignalsKey marks a thread that signals never interrupt (a
// threading.Thread: CPython runs handlers on the main thread only).
const noSignalsKey = "kstar.nosignals"

// IgnoreSignals makes signals never interrupt thread's blocking calls
// nor run their handlers on it, as CPython's non-main threads are.
// Threads of an execution receive signals unless marked so (a generator
// body runs on behalf of the thread that resumed it).
func IgnoreSignals(thread *starlark.Thread) { thread.SetLocal(noSignalsKey, true) }

// receivesSignals reports whether signals are delivered on thread.
func receivesSignals(thread *starlark.Thread) bool { return thread.Local(noSignalsKey) == nil }

// signals returns env's signal state, made on first use; env.mu is held.
func (env *Env) signals() *signalState {
	st := env.sig.Load()
	if st == nil {
		st = &signalState{handlers: map[int]SignalHandler{}}
		env.sig.Store(st)
	}
	return st
}

// EnableSignals makes the execution's blocking calls watch for the
// signals Signal queues, so a signal interrupts them at once. The
// runtime calls it when the host forwards signals; without it, executions
// pay nothing for signals.
func (env *Env) EnableSignals() {
	env.mu.Lock()
	env.signals().wakeable = true
	env.mu.Unlock()
}

// SignalHandlerOf returns the handler of sig: signal.getsignal.
func (env *Env) SignalHandlerOf(sig int) (SignalHandler, bool) {
	env.mu.Lock()
	defer env.mu.Unlock()
	return env.handlerLocked(sig)
}

// handlerLocked is the handler of sig, and whether one was set; env.mu
// is held.
func (env *Env) handlerLocked(sig int) (SignalHandler, bool) {
	if st := env.sig.Load(); st != nil {
		if h, ok := st.handlers[sig]; ok {
			return h, true
		}
	}
	if sig == SIGINT {
		return SignalHandler{Kind: SignalInterrupt}, false
	}
	return SignalHandler{Kind: SignalDefault}, false
}

// SetSignalHandler installs h for sig: signal.signal. It only changes
// what the execution does when the host sends it sig (or the script
// raises it with signal.raise_signal); no handler of the host process
// changes.
func (env *Env) SetSignalHandler(sig int, h SignalHandler) {
	env.mu.Lock()
	env.signals().handlers[sig] = h
	env.mu.Unlock()
}

// Signal sends sig to the execution: it queues it for the next safe
// point (waking the execution's blocking calls), or says why not.
// It may be called from any goroutine.
func (env *Env) Signal(sig int) SignalAction {
	env.mu.Lock()
	defer env.mu.Unlock()
	h, _ := env.handlerLocked(sig)
	st := env.signals()
	switch {
	case h.Kind == SignalIgnore:
		return SignalIgnored
	case h.Kind == SignalDefault:
		return SignalUnhandled
	case slices.Contains(st.pending, sig):
		if h.Kind == SignalInterrupt {
			return SignalRepeated
		}
		return SignalQueued // pending signals coalesce, as in CPython
	}
	st.pending = append(st.pending, sig)
	st.waiting.Store(true)
	if st.cancel != nil {
		st.cancel(&signalWake{env})
	}
	return SignalQueued
}

// DropSignals forgets the signals waiting for a safe point: the
// execution they came for has ended.
func (env *Env) DropSignals() {
	env.mu.Lock()
	defer env.mu.Unlock()
	if st := env.sig.Load(); st != nil {
		st.pending = nil
		st.waiting.Store(false)
		st.wake, st.cancel = nil, nil
	}
}

// SignalsPending reports whether signals wait for a safe point of the
// execution on thread. It costs a thread-local lookup and two atomic
// loads: the runtime asks it from its step hook and try statements.
func SignalsPending(thread *starlark.Thread) bool {
	env, ok := thread.Local(envKey).(*Env)
	if !ok {
		return false
	}
	st := env.sig.Load()
	return st != nil && st.waiting.Load() && receivesSignals(thread)
}

// SignalsWaiting reports whether signals wait for a safe point of env's
// execution: two atomic loads. (SignalsPending also asks whether its
// thread receives them.)
func (env *Env) SignalsWaiting() bool {
	st := env.sig.Load()
	return st != nil && st.waiting.Load()
}

// DeliverSignals runs, on thread, the handlers of the signals waiting
// for a safe point, in the order they came: a handler's error (its
// exception, sys.exit's SystemExit) or the KeyboardInterrupt of
// default_int_handler is returned, and the signals after it wait for
// the next safe point. Nil: every handler returned.
func DeliverSignals(thread *starlark.Thread) error {
	if !receivesSignals(thread) {
		return nil
	}
	env := EnvOf(thread)
	for {
		env.mu.Lock()
		st := env.sig.Load()
		if st == nil || len(st.pending) == 0 {
			env.mu.Unlock()
			return nil
		}
		sig := st.pending[0]
		st.pending = st.pending[1:]
		st.waiting.Store(len(st.pending) > 0)
		if st.wake != nil && context.Cause(st.wake) != nil && len(st.pending) == 0 {
			st.wake, st.cancel = nil, nil // the next ContextOf makes a fresh one
		}
		h, _ := env.handlerLocked(sig)
		env.mu.Unlock()
		switch h.Kind {
		case SignalInterrupt:
			return NewException(KeyboardInterrupt, "")
		case SignalCall:
			if _, err := starlark.Call(thread, h.Value, starlark.Tuple{starlark.MakeInt(sig), starlark.None}, nil); err != nil {
				return err
			}
		}
	}
}

// ErrSignalHandled is what a blocking builtin returns when a signal
// interrupted it and its handler returned normally: Guard calls the
// builtin again, as CPython retries a system call interrupted by a
// signal (PEP 475); an iterator waits again.
var ErrSignalHandled = errors.New("interrupted system call: a signal handler ran")

// contextFor returns the context blocking builtins on thread watch: the
// execution's, and with signals enabled one that is also cancelled when
// a signal is queued.
func (env *Env) contextFor(thread *starlark.Thread) context.Context {
	env.mu.Lock()
	defer env.mu.Unlock()
	ctx := env.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	st := env.sig.Load()
	if st == nil || !st.wakeable || !receivesSignals(thread) {
		return ctx
	}
	if st.wake == nil || st.parent != ctx {
		st.parent = ctx
		st.wake, st.cancel = context.WithCancelCause(ctx)
		if len(st.pending) > 0 {
			st.cancel(&signalWake{env})
		}
	}
	if st.last == nil || st.last.thread != thread || st.last.Context != st.wake {
		st.last = &threadContext{st.wake, thread}
	}
	return st.last
}
