package runtime

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// The bounds of each execution: a script's run (ExecFile), its top level
// (Load), each call of its functions (Call, Process, ProcessBatch), each
// REPL chunk. The defaults let a host hand the runtime scripts it does not
// trust: one that loops, sleeps, recurses or allocates without end stops
// with a Python exception at its line, and the host goes on.
const (
	// DefaultCallTimeout is the wall-clock limit of an execution unless
	// WithCallTimeout or WithoutLimits says otherwise: TimeoutError.
	DefaultCallTimeout = 3 * time.Second
	// DefaultMaxSteps is the Starlark step budget of an execution unless
	// WithMaxSteps or WithoutLimits says otherwise (about a second of a
	// busy loop): RuntimeError: too many steps. Builtins that iterate
	// (sorted, json.dumps, repr, ...) count a step per element.
	DefaultMaxSteps = 20_000_000
	// DefaultMaxMemory is how much an execution may make the Go heap grow
	// unless WithMaxMemory or WithoutLimits says otherwise: MemoryError.
	DefaultMaxMemory = 256 << 20
	// MaxCallDepth is how deeply Starlark function calls may nest (a
	// Python function that catches exceptions takes two or three):
	// RecursionError. It holds with or without the other limits, since
	// each level takes Go stack, which the heap limit does not count.
	MaxCallDepth = 5000
)

// WithCallTimeout bounds the wall-clock time of each execution: ExecFile,
// a Script's load and each of its calls, a REPL chunk. One that runs
// longer stops (also inside a blocking Kafka call or time.sleep) with
// TimeoutError. 0 lifts the limit (the caller's context still applies).
// Default: DefaultCallTimeout.
func WithCallTimeout(d time.Duration) Option { return func(r *Runtime) { r.callTimeout = max(d, 0) } }

// WithMaxSteps limits the Starlark execution steps of each execution; one
// that exceeds it stops with RuntimeError: too many steps. 0 lifts the
// limit. Default: DefaultMaxSteps.
func WithMaxSteps(n uint64) Option { return func(r *Runtime) { r.maxSteps = n } }

// WithMaxMemory limits how much each execution may make the process's Go
// heap grow, in bytes; one that exceeds it stops with MemoryError at its
// line. Allocations whose size is known beforehand (list(range(n)),
// "x" * n, bytes(n), "".join, str.replace, a repr) are refused before
// they happen; the rest is watched by sampling the heap every
// millisecond, so an execution may pass the limit by what it allocates
// in one operation (at most about twice the limit: s + s) before it
// stops. Executions running at the same time share the process's heap:
// each is charged with the growth since it began, its neighbours' too.
// 0 lifts the limit. Default: DefaultMaxMemory. See ContextWithMaxMemory
// for one call's limit.
func WithMaxMemory(bytes int64) Option { return func(r *Runtime) { r.maxMemory = max(bytes, 0) } }

// WithoutLimits lifts the time, step and memory limits of executions, as
// the kstar command does for the scripts its user runs: a consumer loop
// may then run until its context ends. MaxCallDepth still applies.
func WithoutLimits() Option {
	return func(r *Runtime) { r.callTimeout, r.maxSteps, r.maxMemory = 0, 0, 0 }
}

// maxMemoryKey is the context key of ContextWithMaxMemory.
type maxMemoryKey struct{}

// ContextWithMaxMemory returns a context under which executions (a
// Script's calls, ExecFile, Load) have a memory limit of bytes instead of
// the Runtime's (0 lifts it): a host that knows a call handles large
// records can give it more. The operators that grow values (x * y,
// x + y) ask a limit before allocating only in scripts loaded by a
// Runtime with a memory limit; otherwise the limit is watched.
func ContextWithMaxMemory(ctx context.Context, bytes int64) context.Context {
	return context.WithValue(ctx, maxMemoryKey{}, max(bytes, 0))
}

// pollSteps is how many Starlark steps an execution runs between two
// looks at its limits (its context, steps, call depth, memory): well
// under a millisecond. Calls do not register with their context (which
// costs an allocation and a lock per call): the thread's step limit
// brings it back to the governor every pollSteps steps, and blocking
// builtins watch the context themselves.
const pollSteps = 1 << 13

// nearPollSteps is pollSteps past half the memory limit: a look costs a
// heap sample (half a microsecond), a few percent of 16 steps.
const nearPollSteps = 1 << 4

// governor enforces the limits of the executions on one thread (one at a
// time): the thread's step hook, the builtins' Limiter and the memory
// watcher all consult it.
type governor struct {
	ctx      context.Context
	cancel   atomic.Pointer[canceler] // stops the execution's blocking calls; nil for calls
	maxSteps uint64                   // the execution's; 0: none
	thread   atomic.Pointer[starlark.Thread]
	flag     *stopped     // the stopped flag of the execution's threads
	maxMem   atomic.Int64 // 0: none
	baseline atomic.Int64 // the heap when the execution began
	// state counts executions (state>>1), so that the watcher stops the
	// one it measured, and says whether one with a memory limit runs
	// (state&1): one atomic word, since each atomic write costs.
	state   atomic.Uint64
	near    bool                         // past half its memory limit at the last look (the thread's goroutine's)
	stopped atomic.Pointer[py.Exception] // why the governor stopped it
	// signalMisses counts the looks that found a signal waiting and
	// did not deliver it (see deliverSignals; the thread's goroutine's).
	signalMisses int
}

// newGovernor returns the governor of the executions a Runtime runs on
// thread, registered with the memory watcher.
func (r *Runtime) newGovernor(thread *starlark.Thread) *governor {
	g := &governor{flag: stoppedOf(thread)}
	g.thread.Store(thread)
	thread.OnMaxSteps = g.onMaxSteps
	py.SetLimiter(thread, g)
	watcher.register(g)
	return g
}

// governorOf returns the governor of a thread the Runtime made.
func governorOf(thread *starlark.Thread) *governor {
	return py.LimiterOf(thread).(*governor)
}

// adopt makes the governor of parent's execution govern thread, a module
// parent imports, until the function it returns hands it back: the
// module's steps count for the execution, and its limits stop it.
func (g *governor) adopt(parent, thread *starlark.Thread) func() {
	thread.OnMaxSteps = g.onMaxSteps
	py.SetLimiter(thread, g)
	thread.Steps = parent.Steps
	thread.SetMaxExecutionSteps(g.nextCheck(thread))
	g.thread.Store(thread)
	return func() {
		parent.Steps = thread.Steps
		g.thread.Store(parent)
		if exc := g.stopped.Load(); exc != nil {
			stop(parent, exc.Error()) // the import's error must not be caught
		}
	}
}

// canceler cancels an execution's context with a cause.
type canceler struct{ cancel context.CancelCauseFunc }

// limitsFor are lim with the memory limit of a context of
// ContextWithMaxMemory, if ctx is one.
func limitsFor(ctx context.Context, lim limits) limits {
	if v, ok := ctx.Value(maxMemoryKey{}).(int64); ok {
		lim.memory = v
	}
	return lim
}

// begin starts an execution under ctx with limits lim; cancel, if not
// nil, cancels ctx.
func (g *governor) begin(ctx context.Context, cancel *canceler, lim limits) {
	if g.ctx != ctx { // always a pointer: a call's callContext, run's context
		g.ctx = ctx
	}
	g.maxSteps = lim.steps
	maxMem := lim.memory
	// Pointer stores cost a write barrier: skip those that change nothing.
	if g.cancel.Load() != cancel {
		g.cancel.Store(cancel)
	}
	if g.stopped.Load() != nil {
		g.stopped.Store(nil)
	}
	g.near = false
	if g.maxMem.Load() != maxMem {
		g.maxMem.Store(maxMem)
	}
	thread := g.thread.Load()
	resume(thread)
	thread.Steps = 0
	thread.SetMaxExecutionSteps(g.nextCheck(thread))
	if maxMem > 0 {
		if h := watcher.heapNow(); g.baseline.Load() != h {
			g.baseline.Store(h)
		}
		g.state.Add(3) // one more execution, running
	} else {
		g.state.Add(2)
	}
	watcher.wakeUp()
}

// end ends the execution: the watcher leaves the thread alone.
func (g *governor) end() {
	if g.state.Load()&1 != 0 {
		g.state.Add(^uint64(0)) // not running
	}
}

// running reports whether an execution with a memory limit runs, and
// which execution is (or was) last.
func (g *governor) running() (seq uint64, running bool) {
	st := g.state.Load()
	return st >> 1, st&1 != 0
}

// nextCheck is the step count at which onMaxSteps runs next: sooner
// when the execution is past half its memory limit, since one step may
// double its memory in a way no operator guard sees.
func (g *governor) nextCheck(thread *starlark.Thread) uint64 {
	next := thread.Steps + pollSteps
	if g.near {
		next = thread.Steps + nearPollSteps
	}
	if g.maxSteps > 0 && next > g.maxSteps {
		next = g.maxSteps
	}
	return next
}

// onMaxSteps is the thread's step hook: it stops the execution when one
// of its limits is reached, and otherwise sets the next look.
func (g *governor) onMaxSteps(thread *starlark.Thread) {
	if exc := g.check(thread); exc != nil {
		stop(thread, exc.Error())
		return
	}
	thread.SetMaxExecutionSteps(g.nextCheck(thread))
	g.deliverSignals(thread)
}

// check returns the exception that must stop the execution, if any, and
// records it (except a done context's, which is the context's to report).
func (g *governor) check(thread *starlark.Thread) *py.Exception {
	if exc := g.stopped.Load(); exc != nil {
		return exc
	}
	if g.ctx.Err() != nil {
		if cc, ok := g.ctx.(*callContext); ok && cc.Context.Err() == nil {
			return g.stop(cc.cause) // the call's own deadline
		}
		return py.Cancellation(g.ctx)
	}
	if g.maxSteps > 0 && thread.Steps >= g.maxSteps {
		return g.stop(py.Errorf(py.RuntimeError, "too many steps: the script ran past its limit of %d steps", g.maxSteps))
	}
	if thread.CallStackDepth() > MaxCallDepth {
		return g.stop(py.Errorf(py.RecursionError, "maximum recursion depth exceeded"))
	}
	if limit := g.maxMem.Load(); limit > 0 {
		// A new sample (a fraction of a microsecond), not the watcher's:
		// the watcher may not have run since the last big allocation.
		used := watcher.read() - g.baseline.Load()
		g.near = used > limit/2
		if used > limit && watcher.live(slackOf(limit))-g.baseline.Load() > limit {
			return g.stop(g.memoryError())
		}
	}
	return nil
}

// memoryError is the exception of an execution past its memory limit.
func (g *governor) memoryError() *py.Exception {
	return py.Errorf(py.MemoryError, "the script used more than its memory limit of %s", formatBytes(g.maxMem.Load()))
}

// Check implements py.Limiter: a builtin that must stop returns
// the exception, and the thread is cancelled so that the script cannot
// catch it and go on.
func (g *governor) Check(thread *starlark.Thread) error {
	if exc := g.check(thread); exc != nil {
		stop(thread, exc.Error())
		return exc
	}
	return nil
}

// Reserve implements py.Limiter: it refuses an allocation of n
// bytes that would take the execution past its memory limit (measured
// after a garbage collection, so that garbage does not count).
func (g *governor) Reserve(thread *starlark.Thread, n int64) error {
	limit := g.maxMem.Load()
	if n <= 0 {
		return nil
	}
	if limit <= 0 {
		// No limit: still refuse what the machine cannot hold, which Go
		// would answer by ending the process.
		if ram := physicalMemory(); ram > 0 && n > ram {
			exc := g.stop(py.Errorf(py.MemoryError, "allocating %s is more than the machine's memory (%s)", formatBytes(n), formatBytes(ram)))
			stop(thread, exc.Error())
			return exc
		}
		return nil
	}
	heap := watcher.heapNow()
	if n >= 1<<20 {
		heap = watcher.read() // the watcher's sample may be older than the last big allocation
	}
	if n <= limit && heap-g.baseline.Load()+n <= limit {
		return nil
	}
	if n <= limit && watcher.live(slackOf(limit))-g.baseline.Load()+n <= limit {
		return nil
	}
	exc := g.stop(py.Errorf(py.MemoryError, "allocating %s would take the script past its memory limit of %s", formatBytes(n), formatBytes(limit)))
	stop(thread, exc.Error())
	return exc
}

// overMemory reports whether the execution running, if any, has made
// the heap grow past its limit when the heap held heap bytes, and which
// execution it is.
func (g *governor) overMemory(heap int64) (seq uint64, over bool) {
	seq, running := g.running()
	limit := g.maxMem.Load()
	return seq, limit > 0 && running && heap-g.baseline.Load() > limit
}

// stopForMemory stops execution seq for passing its memory limit (the
// watcher calls it from its own goroutine), unless it already ended.
func (g *governor) stopForMemory(seq uint64) {
	if now, running := g.running(); now != seq || !running {
		return
	}
	exc := g.stop(g.memoryError())
	g.flag.stop(g.thread.Load(), exc.Error())
	if c := g.cancel.Load(); c != nil {
		c.cancel(exc)
	}
}

// stop records exc as the reason the execution stops (the first reason
// wins) and returns the reason recorded.
func (g *governor) stop(exc *py.Exception) *py.Exception {
	if g.stopped.CompareAndSwap(nil, exc) {
		return exc
	}
	return g.stopped.Load()
}

// result is the error an execution ended with: the exception that
// stopped it when the governor did, keeping the call stack where it
// stopped.
func (g *governor) result(err error) error {
	if exc := g.stopped.Load(); exc != nil && err != nil {
		return &interrupted{exc: exc, cause: err}
	}
	return err
}

// formatBytes renders n bytes for a message: 256 MiB, 1.5 GiB, 512 bytes.
func formatBytes(n int64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	f, i := float64(n), 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0") + " " + units[i]
}
