package py

import (
	"sync"
	"sync/atomic"

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

// Interp is one Python interpreter: the lock its threads take turns
// holding, and the thread holding it.
type Interp struct {
	mu         sync.Mutex
	holder     atomic.Pointer[starlark.Thread]
	generators coroutines // generator bodies started and not ended (generator.go)
}

// NewInterp returns an interpreter no thread holds.
func NewInterp() *Interp { return new(Interp) }

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
	in.mu.Lock()
	in.holder.Store(thread)
}

// Release gives up the interpreter's lock, which thread holds.
func (in *Interp) Release(thread *starlark.Thread) {
	in.holder.Store(nil)
	in.mu.Unlock()
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
