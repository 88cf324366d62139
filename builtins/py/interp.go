package py

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"go.starlark.net/starlark"
)

// Python's execution model on Starlark: the threads of one script
// (its main thread, threading.Thread's, generator bodies, and a loaded
// Script's calls) share one Interp. Starlark values are not safe for
// concurrent use, so, as in CPython, a thread runs Starlark code only
// while it holds the interpreter's lock; blocking calls (Kafka waits,
// time.sleep, joins, lock and queue waits, generator hand-offs) release
// it with Unlocked. Go code called without a thread (a value's String,
// Hash, CompareSameType, Attr...) that must run a script's method
// (__repr__, __eq__, a property) runs it on Current.

// interpKey is the thread-local key of the thread's Interp.
const interpKey = "kstar.interp"

// spawnKey is the thread-local key of the thread's SpawnFunc.
const spawnKey = "kstar.spawn"

// startedKey is the thread-local key of the context of a thread Start
// started.
const startedKey = "kstar.started"

// Interp is one Python interpreter: the lock its threads take turns
// holding, the thread holding it, and the threads Start started.
//
// The lock is a channel holding one token: a thread that releases it
// while others wait hands it to the one that has waited longest (Go
// queues a channel's receivers in order), so a thread that runs Starlark
// without blocking cannot take it back before a waiting thread ran, as a
// sync.Mutex would let it.
type Interp struct {
	token   chan struct{}
	holder  atomic.Pointer[starlark.Thread]
	waiting atomic.Int32 // threads blocked in Acquire
	// switchAt is when the holder gives the lock to a waiting thread
	// (Yield); zero until Yield first sees a thread waiting. Only the
	// holder reads or writes it.
	switchAt time.Time

	// Traceback renders the exception a thread Start ran ended with, as
	// the runtime prints a script's ("Traceback (most recent call
	// last):..."); nil: its message. The runtime sets it before the
	// execution runs.
	Traceback func(err error) string
	// ExceptionOf is the exception an except clause would see for err
	// (a Go error of Starlark's, such as division by zero, as Python's
	// exception), for modules that hand a thread's error to another
	// thread as a value (concurrent.futures' Future.exception()). The
	// runtime sets it with Traceback; nil: see Exception.
	ExceptionOf func(err error) *Exception
	// MainFile is the file name of the script the execution runs (its
	// __main__), set by the runtime; SourceLine returns line n (from 1)
	// of a file of the execution, "" when it has none. The warnings
	// module shows both; SourceLine may be nil.
	MainFile   string
	SourceLine func(filename string, n int) string

	mu       sync.Mutex
	started  []*Started // threads Start started that have not ended
	finished bool       // Finish ran: the execution's main thread ended
	// threadsCtx is the context of the threads Start starts: they outlive
	// the REPL chunk or call that started them, until Finish stops them.
	threadsCtx  context.Context
	stopThreads context.CancelCauseFunc

	generators coroutines        // generator bodies started and not ended (generator.go)
	args       [8]starlark.Value // the arguments of method calls, for the lock's holder (Class.interpArgs)
	exiting    atomic.Bool       // the script ended: garbage generators are abandoned, not closed
	exitFuncs  []exitFunc        // atexit's registrations (atexit.go)
}

// SwitchInterval is how long a thread that runs Starlark without blocking
// keeps the lock while others wait for it (CPython's
// sys.getswitchinterval()).
const SwitchInterval = 5 * time.Millisecond

// NewInterp returns an interpreter no thread holds.
func NewInterp() *Interp {
	in := &Interp{token: make(chan struct{}, 1)}
	in.token <- struct{}{}
	in.threadsCtx, in.stopThreads = context.WithCancelCause(context.Background())
	return in
}

// Exception returns the exception err stands for: ExceptionOf's, else
// the one inside err, else a RuntimeError with err's message.
func (in *Interp) Exception(err error) *Exception {
	if in.ExceptionOf != nil {
		return in.ExceptionOf(err)
	}
	if e := AsException(err); e != nil {
		return e
	}
	return NewException(RuntimeError, err.Error())
}

// Attach makes thread one of the interpreter's threads.
func (in *Interp) Attach(thread *starlark.Thread) { thread.SetLocal(interpKey, in) }

// InterpOf returns the interpreter of thread; a thread the runtime did
// not make gets an interpreter of its own, held by it.
func InterpOf(thread *starlark.Thread) *Interp {
	if in, ok := thread.Local(interpKey).(*Interp); ok {
		return in
	}
	in := NewInterp()
	in.Attach(thread)
	in.Acquire(thread)
	return in
}

// Acquire blocks until thread holds the interpreter's lock.
func (in *Interp) Acquire(thread *starlark.Thread) {
	select {
	case <-in.token:
	default:
		in.waiting.Add(1)
		<-in.token
		in.waiting.Add(-1)
	}
	in.switchAt = time.Time{}
	in.holder.Store(thread)
}

// Release gives up the interpreter's lock, which thread holds.
func (in *Interp) Release(thread *starlark.Thread) {
	in.holder.Store(nil)
	in.token <- struct{}{}
}

// Current returns the thread that holds the interpreter's lock, or nil
// when none does. (Each call of a Script loaded for parallel calls runs
// on an interpreter of its own, which it holds.)
func (in *Interp) Current() *starlark.Thread { return in.holder.Load() }

// Unlocked runs wait, a call that blocks without touching Starlark
// values, with thread's interpreter lock released, so that the
// interpreter's other threads run meanwhile. A thread that does not hold
// the lock just runs wait.
func Unlocked(thread *starlark.Thread, wait func()) {
	in, ok := thread.Local(interpKey).(*Interp)
	if !ok || in.holder.Load() != thread {
		wait()
		return
	}
	in.Release(thread)
	defer in.Acquire(thread)
	wait()
}

// Forever is the timeout of Wait that never passes.
const Forever time.Duration = -1

// Wait blocks thread, with its interpreter lock released, until ready is
// closed or receives (true), timeout passes (false; Forever: never) or
// the execution is interrupted (the interruption: KeyboardInterrupt, a
// deadline). threading's and queue's waits are made of it.
func Wait(thread *starlark.Thread, ready <-chan struct{}, timeout time.Duration) (bool, error) {
	select {
	case <-ready:
		return true, nil
	default:
	}
	if timeout == 0 {
		return false, nil
	}
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	ctx := ContextOf(thread)
	var got, interrupted bool
	Unlocked(thread, func() {
		select {
		case <-ready:
			got = true
		case <-timer:
		case <-ctx.Done():
			interrupted = true
		}
	})
	if interrupted {
		// With the lock again: a signal's handler may run here.
		return false, Interrupted(ctx)
	}
	return got, nil
}

// Yield lets the interpreter's other threads run when thread, which
// holds the lock and runs Starlark, has kept them waiting for
// SwitchInterval. The runtime's step hook calls it every few thousand
// steps; when no thread waits it costs an atomic load.
func Yield(thread *starlark.Thread) {
	in, ok := thread.Local(interpKey).(*Interp)
	if !ok || in.waiting.Load() == 0 || in.holder.Load() != thread {
		return
	}
	now := time.Now()
	if in.switchAt.IsZero() {
		in.switchAt = now.Add(SwitchInterval)
		return
	}
	if now.Before(in.switchAt) {
		return
	}
	in.Release(thread)
	in.Acquire(thread)
}

// Started is a thread of the interpreter that Start runs.
type Started struct {
	Thread *starlark.Thread
	Daemon bool
	done   chan struct{}
}

// Done is closed when the thread's body has returned.
func (s *Started) Done() <-chan struct{} { return s.done }

// Start runs body on a new thread of parent's execution named name, on
// its own goroutine, holding the interpreter's lock (body releases it
// with Unlocked while it blocks). Finish waits for a thread that is not
// daemon; a daemon thread is stopped when the main thread ends.
//
// An interpreter runs at most MaxThreads threads at once, and their
// stacks count against the execution's memory limit (threadBytes each):
// past either, Start returns CPython's RuntimeError "can't start new
// thread", so a script that starts threads in a loop cannot take the
// host's memory.
func Start(parent *starlark.Thread, name string, daemon bool, body func(thread *starlark.Thread)) (*Started, error) {
	in := InterpOf(parent)
	in.mu.Lock()
	running := len(in.started)
	in.mu.Unlock()
	if running >= MaxThreads {
		return nil, Errorf(RuntimeError, "can't start new thread")
	}
	if err := Reserve(parent, int64(running+1)*threadBytes); err != nil {
		return nil, err
	}
	s := &Started{Thread: Spawn(parent, name), Daemon: daemon, done: make(chan struct{})}
	s.Thread.SetLocal(startedKey, in.threadsCtx)
	IgnoreSignals(s.Thread) // handlers run on the main thread, as CPython's
	in.mu.Lock()
	in.started = append(in.started, s)
	if in.finished {
		s.Thread.Cancel("the main thread ended")
	}
	in.mu.Unlock()
	go func() {
		defer close(s.done)
		defer in.forget(s)
		in.Acquire(s.Thread)
		defer in.Release(s.Thread)
		body(s.Thread)
	}()
	return s, nil
}

// MaxThreads is how many threads Start runs at once for one interpreter.
const MaxThreads = 1000

// threadBytes is about what a running thread holds outside the heap the
// memory limit watches: its goroutine's stack.
const threadBytes = 64 << 10

// StartedContext is the context of a thread Start started (done when
// the main thread's end or interruption stops it); nil for other threads.
func StartedContext(thread *starlark.Thread) context.Context {
	ctx, _ := thread.Local(startedKey).(context.Context)
	return ctx
}

// forget removes s from the threads Finish waits for.
func (in *Interp) forget(s *Started) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, t := range in.started {
		if t == s {
			in.started = append(in.started[:i], in.started[i+1:]...)
			break
		}
	}
}

// Running returns the threads Start started that have not ended.
func (in *Interp) Running() []*Started {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]*Started(nil), in.started...)
}

// Finished reports whether the execution's main thread ended (Finish
// ran): what a daemon thread still runs is being stopped.
func (in *Interp) Finished() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.finished
}

// Finish ends the interpreter's threads as CPython's does when its main
// thread ends: thread, the main thread, waits (with the lock released)
// for every thread Start started that is not daemon, then the daemon
// threads are stopped. The wait ends early, stopping every thread, with
// the execution's interruption (KeyboardInterrupt, the call timeout) or
// after timeout (Forever: none).
func (in *Interp) Finish(thread *starlark.Thread, timeout time.Duration) error {
	ctx := ContextOf(thread)
	var expired <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	for {
		var wait *Started
		for _, s := range in.Running() {
			if !s.Daemon {
				wait = s
				break
			}
		}
		if wait == nil {
			break
		}
		var interrupted, late bool
		Unlocked(thread, func() {
			select {
			case <-wait.done:
			case <-ctx.Done():
				interrupted = true
			case <-expired:
				late = true
			}
		})
		if interrupted {
			err := Interrupted(ctx)
			if err == ErrSignalHandled {
				continue // a signal's handler ran and returned: wait on
			}
			in.stopAll(err)
			return err
		}
		if late {
			break
		}
	}
	in.stopAll(errMainEnded)
	return nil
}

// errMainEnded is why the threads still running when Finish returns stop.
var errMainEnded = errors.New("the main thread ended")

// stopAll stops the threads still running (their blocking calls end with
// cause) and marks the interpreter finished, so that threads started
// later are cancelled at once.
func (in *Interp) stopAll(cause error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.finished = true
	in.stopThreads(cause)
	for _, s := range in.started {
		s.Thread.Cancel("the main thread ended")
	}
}

// A SpawnFunc returns a new thread of the execution parent runs, named
// name: the same Env, interpreter, limits and stop. The runtime installs
// one on the threads it makes (SetSpawn).
type SpawnFunc func(parent *starlark.Thread, name string) *starlark.Thread

// SetSpawn installs spawn as the way new threads of thread's execution
// are made.
func SetSpawn(thread *starlark.Thread, spawn SpawnFunc) { thread.SetLocal(spawnKey, spawn) }

// Spawn returns a new thread of parent's execution for a generator body or
// a threading.Thread: it shares parent's Env, interpreter and limits, and
// does not hold the interpreter's lock.
func Spawn(parent *starlark.Thread, name string) *starlark.Thread {
	if spawn, ok := parent.Local(spawnKey).(SpawnFunc); ok {
		return spawn(parent, name)
	}
	thread := &starlark.Thread{Name: name, Print: parent.Print, Load: parent.Load}
	EnvOf(parent).Attach(thread)
	InterpOf(parent).Attach(thread)
	if l := LimiterOf(parent); l != nil {
		SetLimiter(thread, l)
	}
	return thread
}
