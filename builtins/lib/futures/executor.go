package futures

import (
	"fmt"
	goruntime "runtime"
	"strings"
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Executor is concurrent.futures.ThreadPoolExecutor, and
// ProcessPoolExecutor (process set), which kstar runs on threads too: a
// script has no other processes to send work to, and the calls it
// submits give the same results in a thread. Only threads holding the
// interpreter's lock change it.
type Executor struct {
	mod         *module
	process     bool
	maxWorkers  int
	prefix      string // of its threads' names: PREFIX_N
	initializer starlark.Value
	initargs    starlark.Tuple

	queue   []*workItem
	workers int               // threads running (or starting)
	idle    int               // of those, the ones about to take an item
	slots   []bool            // N of PREFIX_N taken by a running thread
	threads []<-chan struct{} // closed when a thread ended
	stopped bool              // shutdown was called
	broken  string            // why the pool cannot be used, if it cannot
}

// workItem is a call submitted and its future.
type workItem struct {
	future *Future
	fn     starlark.Value
	args   starlark.Tuple
	kwargs []starlark.Tuple
}

// workerKey is the thread-local key of the Executor a worker thread
// works for.
const workerKey = "kstar.futures.executor"

// brokenMessage is CPython's, for a pool whose initializer raised.
const brokenMessage = "A thread initializer failed, the thread pool is not usable anymore"

// ThreadPoolExecutor(max_workers=None, thread_name_prefix=”, initializer=None, initargs=())
func (m *module) newExecutor(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var maxWorkers, initializer starlark.Value = starlark.None, starlark.None
	var prefix string
	var initargs starlark.Value = starlark.Tuple(nil)
	if err := starlark.UnpackArgs("ThreadPoolExecutor", args, kwargs, "max_workers?", &maxWorkers, "thread_name_prefix?", &prefix, "initializer?", &initializer, "initargs?", &initargs); err != nil {
		return nil, err
	}
	e := &Executor{mod: m, maxWorkers: min(32, goruntime.NumCPU()+4)}
	return e, e.configure(thread, maxWorkers, prefix, initializer, initargs)
}

// ProcessPoolExecutor(max_workers=None, mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None)
func (m *module) newProcessExecutor(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var maxWorkers, initializer, mpContext, maxTasks starlark.Value = starlark.None, starlark.None, starlark.None, starlark.None
	var initargs starlark.Value = starlark.Tuple(nil)
	if err := starlark.UnpackArgs("ProcessPoolExecutor", args, kwargs, "max_workers?", &maxWorkers, "mp_context?", &mpContext, "initializer?", &initializer, "initargs?", &initargs, "max_tasks_per_child?", &maxTasks); err != nil {
		return nil, err
	}
	e := &Executor{mod: m, process: true, maxWorkers: goruntime.NumCPU()}
	return e, e.configure(thread, maxWorkers, "", initializer, initargs)
}

// configure sets what both executors' constructors take.
func (e *Executor) configure(thread *starlark.Thread, maxWorkers starlark.Value, prefix string, initializer, initargs starlark.Value) error {
	m := e.mod
	if maxWorkers != starlark.None {
		n, err := starlark.AsInt32(maxWorkers)
		if err != nil {
			return py.Errorf(py.TypeError, "'<=' not supported between instances of '%s' and 'int'", py.TypeName(maxWorkers))
		}
		if n <= 0 {
			return py.Errorf(py.ValueError, "max_workers must be greater than 0")
		}
		e.maxWorkers = n
	}
	if initializer != starlark.None {
		if _, ok := initializer.(starlark.Callable); !ok {
			return py.Errorf(py.TypeError, "initializer must be a callable")
		}
		e.initializer = initializer
		elems, err := py.Elements(thread, initargs)
		if err != nil {
			return err
		}
		e.initargs = elems
	}
	e.prefix = prefix
	if prefix == "" {
		e.prefix = fmt.Sprintf("%s-%d", e.Type(), m.named)
		m.named++
	}
	e.slots = make([]bool, e.maxWorkers)
	return nil
}

var (
	_ starlark.HasAttrs = (*Executor)(nil)
	_ py.Instance       = (*Executor)(nil)
)

func (e *Executor) PyClass() *py.Type {
	if e.process {
		return e.mod.processExecutor
	}
	return e.mod.executor
}
func (e *Executor) String() string { return e.PyRepr() }
func (e *Executor) Type() string {
	if e.process {
		return "ProcessPoolExecutor"
	}
	return "ThreadPoolExecutor"
}
func (e *Executor) Freeze()               {}
func (e *Executor) Truth() starlark.Bool  { return true }
func (e *Executor) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(e)) >> 3), nil }

// PyRepr is object's, as CPython's.
func (e *Executor) PyRepr() string {
	if e.process {
		return fmt.Sprintf("<concurrent.futures.process.ProcessPoolExecutor object at %p>", e)
	}
	return fmt.Sprintf("<concurrent.futures.thread.ThreadPoolExecutor object at %p>", e)
}

func (e *Executor) Attr(name string) (starlark.Value, error) {
	switch name {
	case "_max_workers":
		return starlark.MakeInt(e.maxWorkers), nil
	case "_thread_name_prefix":
		return starlark.String(e.prefix), nil
	}
	return executorMethods.Bind(e, name), nil
}

func (e *Executor) AttrNames() []string {
	return executorMethods.Names("_max_workers", "_thread_name_prefix")
}

var executorMethods = py.MethodTable[*Executor]{
	"submit": func(e *Executor, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) == 0 {
			return nil, py.Errorf(py.TypeError, "%s.submit() missing 1 required positional argument: 'fn'", e.Type())
		}
		return e.submit(thread, args[0], args[1:], kwargs)
	},
	"map":      (*Executor).pyMap,
	"shutdown": (*Executor).pyShutdown,
	"__enter__": func(e *Executor, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return e, nil
	},
	"__exit__": func(e *Executor, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.False, e.shutdown(thread, true, false)
	},
}

// submit schedules fn(*args, **kwargs) and returns its future; a thread
// starts for it unless an idle one will take it or max_workers run.
func (e *Executor) submit(thread *starlark.Thread, fn starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (*Future, error) {
	switch {
	case e.broken != "":
		return nil, py.NewException(BrokenThreadPool, e.broken)
	case e.stopped:
		return nil, py.Errorf(py.RuntimeError, "cannot schedule new futures after shutdown")
	case py.InterpOf(thread).Finished():
		return nil, py.Errorf(py.RuntimeError, "cannot schedule new futures after interpreter shutdown")
	}
	f := newFuture()
	e.queue = append(e.queue, &workItem{future: f, fn: fn, args: args, kwargs: kwargs})
	if e.idle < len(e.queue) && e.workers < e.maxWorkers {
		if err := e.startWorker(thread); err != nil && e.workers == 0 {
			e.queue = e.queue[:len(e.queue)-1] // no thread will run it
			return nil, err
		}
	}
	return f, nil
}

// startWorker starts a thread that runs the queue's items until there
// is none.
func (e *Executor) startWorker(thread *starlark.Thread) error {
	slot := 0
	for e.slots[slot] {
		slot++
	}
	e.slots[slot] = true
	e.workers++
	e.idle++
	done, err := e.mod.workers.Start(thread, fmt.Sprintf("%s_%d", e.prefix, slot), func(th *starlark.Thread) error {
		th.SetLocal(workerKey, e)
		e.work(th)
		e.slots[slot] = false
		e.workers--
		e.idle--
		return nil
	})
	if err != nil {
		e.slots[slot] = false
		e.workers--
		e.idle--
		return err
	}
	live := e.threads[:0]
	for _, t := range e.threads {
		select {
		case <-t:
		default:
			live = append(live, t)
		}
	}
	e.threads = append(live, done)
	return nil
}

// work runs the initializer, then the queue's items, on a worker thread.
func (e *Executor) work(th *starlark.Thread) {
	if e.initializer != nil {
		if _, err := starlark.Call(th, e.initializer, e.initargs, nil); err != nil {
			e.initializerFailed(th, err)
			return
		}
	}
	for len(e.queue) > 0 && e.broken == "" {
		item := e.queue[0]
		e.queue[0] = nil
		e.queue = e.queue[1:]
		e.idle--
		item.run(th)
		e.idle++
	}
}

// run calls the item's function, unless its future was cancelled, and
// completes the future with what it returned or raised.
func (item *workItem) run(th *starlark.Thread) {
	f := item.future
	if ok, _ := f.setRunning(); !ok {
		return
	}
	v, err := starlark.Call(th, item.fn, item.args, item.kwargs)
	if err != nil {
		f.exception = py.InterpOf(th).Exception(err)
	} else {
		f.result = v
	}
	f.finish(th)
}

// initializerFailed breaks the pool as CPython's does: the error is
// printed, the calls waiting fail with BrokenThreadPool and no more can
// be submitted.
func (e *Executor) initializerFailed(th *starlark.Thread, err error) {
	if py.ContextOf(th).Err() == nil {
		text := err.Error()
		if tb := py.InterpOf(th).Traceback; tb != nil {
			text = tb(err)
		}
		fmt.Fprintf(py.EnvOf(th).Stderr, "Exception in initializer:\n%s\n", strings.TrimSuffix(text, "\n"))
	}
	e.broken = brokenMessage
	queue := e.queue
	e.queue = nil
	for _, item := range queue {
		if item.future.state == pending {
			item.future.exception = py.NewException(BrokenThreadPool, brokenMessage)
			item.future.finish(th)
		}
	}
}

// map(fn, *iterables, timeout=None, chunksize=1): the calls are
// submitted at once; the iterator gives their results in order, raising
// what a call raised, and cancels the calls after it when it raises.
func (e *Executor) pyMap(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "Executor.map() missing 1 required positional argument: 'fn'")
	}
	var tv starlark.Value = starlark.None
	var chunksize starlark.Value
	if err := starlark.UnpackArgs(b.Name(), nil, kwargs, "timeout?", &tv, "chunksize?", &chunksize); err != nil {
		return nil, err
	}
	d, err := timeoutArg(b, starlark.Tuple{tv}, nil)
	if err != nil {
		return nil, err
	}
	end := deadline(d)
	sources := make([]py.Nexter, len(args)-1)
	for i, x := range args[1:] {
		if sources[i], err = py.Iterate(thread, x); err != nil {
			return nil, err
		}
	}
	var fs []*Future
	for len(sources) > 0 {
		callArgs := make(starlark.Tuple, len(sources))
		for i, src := range sources {
			v, ok, err := src.Next(thread)
			if err != nil {
				return nil, err
			}
			if !ok {
				sources = nil
				break
			}
			callArgs[i] = v
		}
		if sources == nil {
			break
		}
		f, err := e.submit(thread, args[0], callArgs, nil)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	next := func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if len(fs) == 0 {
			return nil, false, nil
		}
		f := fs[0]
		fs = fs[1:]
		left, _ := remaining(end)
		err := f.wait(thread, left)
		var v starlark.Value
		if err == nil {
			v, err = f.outcome()
		}
		if err != nil {
			f.cancel(thread)
			for _, rest := range fs {
				rest.cancel(thread)
			}
			fs = nil
			return nil, false, err
		}
		return v, true, nil
	}
	it := py.NewIterator(thread, "generator", next)
	it.ReprFunc = func() string {
		return fmt.Sprintf("<generator object Executor.map.<locals>.result_iterator at %p>", it)
	}
	return it, nil
}

// shutdown(wait=True, *, cancel_futures=False)
func (e *Executor) pyShutdown(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	wait, cancelFutures := true, false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "wait?", &wait, "cancel_futures?", &cancelFutures); err != nil {
		return nil, err
	}
	return starlark.None, e.shutdown(thread, wait, cancelFutures)
}

// shutdown refuses new calls, cancels those not started when
// cancelFutures says so and, when wait does, waits for the pool's
// threads to end.
func (e *Executor) shutdown(thread *starlark.Thread, wait, cancelFutures bool) error {
	e.stopped = true
	if cancelFutures {
		queue := e.queue
		e.queue = nil
		for _, item := range queue {
			item.future.cancel(thread)
		}
	}
	if !wait {
		return nil
	}
	if thread.Local(workerKey) == e {
		return py.Errorf(py.RuntimeError, "cannot join current thread")
	}
	for len(e.threads) > 0 {
		t := e.threads[0]
		if _, err := py.Wait(thread, t, py.Forever); err != nil {
			return err
		}
		e.threads = e.threads[1:]
	}
	return nil
}
