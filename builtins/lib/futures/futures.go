// Package futures is kstar's concurrent.futures module: pools of
// threading threads that run calls and hand back their results:
//
//	ThreadPoolExecutor(max_workers=None, thread_name_prefix='',
//	    initializer=None, initargs=()): submit(fn, /, *args, **kwargs),
//	    map(fn, *iterables, timeout=None, chunksize=1),
//	    shutdown(wait=True, *, cancel_futures=False), the with statement
//	Future: result(timeout=None), exception(timeout=None), done(),
//	    running(), cancelled(), cancel(), add_done_callback(fn),
//	    set_result, set_exception, set_running_or_notify_cancel
//	as_completed(fs, timeout=None), wait(fs, timeout=None,
//	    return_when=ALL_COMPLETED) -> DoneAndNotDoneFutures(done, not_done)
//	ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, CancelledError,
//	TimeoutError, InvalidStateError, BrokenExecutor
//
// The workers are threading threads (threading.Workers): they run
// calls holding the interpreter's lock, and every wait here releases it
// (py.Wait), ending at the execution's interruption. A worker whose
// queue is empty ends, and the next submit starts one again, so that
// the main thread's wait for the threads at exit (as CPython's for its
// pools) ends once every call submitted has run.
package futures

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/threading"
	"github.com/kstar-dev/kstar/builtins/py"
)

// The exceptions of concurrent.futures (TimeoutError is the builtin, as
// in CPython 3.11).
var (
	// Error is concurrent.futures._base.Error, their base.
	Error = py.NewExceptionClass("Error", "concurrent.futures._base", py.PyException)
	// CancelledError: the future was cancelled.
	CancelledError = py.NewExceptionClass("CancelledError", "concurrent.futures._base", Error)
	// InvalidStateError: set_result or set_exception of a done future.
	InvalidStateError = py.NewExceptionClass("InvalidStateError", "concurrent.futures._base", Error)
	// BrokenExecutor: a pool whose initializer failed.
	BrokenExecutor = py.NewExceptionClass("BrokenExecutor", "concurrent.futures._base", py.RuntimeError)
	// BrokenThreadPool is concurrent.futures.thread.BrokenThreadPool.
	BrokenThreadPool = py.NewExceptionClass("BrokenThreadPool", "concurrent.futures.thread", BrokenExecutor)
)

// What wait's return_when takes.
const (
	firstCompleted = "FIRST_COMPLETED"
	firstException = "FIRST_EXCEPTION"
	allCompleted   = "ALL_COMPLETED"
)

// doneAndNotDone is the namedtuple wait returns.
var doneAndNotDone = func() *py.NamedTupleType {
	t := py.NewNamedTupleType("DoneAndNotDoneFutures", []string{"done", "not_done"})
	t.Module = "concurrent.futures._base"
	return t
}()

// module is one execution's concurrent.futures: its workers' threads
// and the number of pools named by default.
type module struct {
	workers  *threading.Workers
	executor *py.Type
	// processExecutor is ProcessPoolExecutor, an Executor on threads.
	processExecutor *py.Type
	named           int // the N of the last "ThreadPoolExecutor-N"
}

// New returns the concurrent.futures module of one execution.
func New(env *py.Env) starlark.Value {
	m := &module{workers: threading.NewWorkers()}
	m.executor = py.NewClass("concurrent.futures.thread.ThreadPoolExecutor", m.newExecutor,
		func(v starlark.Value) bool { e, ok := v.(*Executor); return ok && !e.process }, nil)
	m.processExecutor = py.NewClass("concurrent.futures.process.ProcessPoolExecutor", m.newProcessExecutor,
		func(v starlark.Value) bool { e, ok := v.(*Executor); return ok && e.process }, nil)
	return &starlarkstruct.Module{Name: "concurrent.futures", Members: starlark.StringDict{
		"ThreadPoolExecutor":  m.executor,
		"ProcessPoolExecutor": m.processExecutor,
		"Future":              FutureClass,
		"as_completed":        py.Func("as_completed", asCompleted),
		"wait":                py.Func("wait", wait),
		"ALL_COMPLETED":       starlark.String(allCompleted),
		"FIRST_COMPLETED":     starlark.String(firstCompleted),
		"FIRST_EXCEPTION":     starlark.String(firstException),
		"CancelledError":      CancelledError,
		"TimeoutError":        py.TimeoutError,
		"InvalidStateError":   InvalidStateError,
		"BrokenExecutor":      BrokenExecutor,
	}}
}
