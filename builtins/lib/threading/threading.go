// Package threading is kstar's threading module: Python's threads on
// goroutines, one interpreter lock (py.Interp) shared by a script's
// threads as CPython's GIL is:
//
//	Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None)
//	    start, run, join(timeout=None), is_alive, name, ident, native_id, daemon
//	current_thread(), main_thread(), active_count(), enumerate(), get_ident(),
//	get_native_id(), TIMEOUT_MAX, ThreadError
//	Lock, RLock: acquire(blocking=True, timeout=-1), release, locked,
//	    __enter__/__exit__ (the with statement)
//	Condition(lock=None): wait(timeout=None), wait_for(predicate, timeout=None),
//	    notify(n=1), notify_all, and the lock's methods
//	Semaphore(value=1), BoundedSemaphore(value=1): acquire(blocking=True,
//	    timeout=None), release(n=1)
//	Event: set, clear, is_set, wait(timeout=None)
//	Timer(interval, function, args=None, kwargs=None): a Thread; cancel()
//	local(): attributes of its own per thread
//
// A thread runs Starlark only while it holds the interpreter's lock;
// every wait here (join, acquire, Event.wait, Condition.wait) releases it,
// and a thread that runs without blocking hands it over every
// py.SwitchInterval. When the script's main thread ends, the runtime
// waits for the threads that are not daemon (py.Interp.Finish); daemon
// threads are stopped. An exception that ends a thread is printed to
// stderr after "Exception in thread NAME:", as CPython's excepthook does.
package threading

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// threadKey is the thread-local key of the *Thread a starlark.Thread runs.
const threadKey = "kstar.threading.thread"

// timeoutMax is threading.TIMEOUT_MAX, as CPython's on 64-bit Linux.
const timeoutMax = 9223372036.0

// idents numbers threads for ident and get_ident: distinct in a process.
var idents atomic.Int64

// module is the state of one execution's threading module: its main
// thread, the threads it made, and the counter of their default names.
type module struct {
	classes map[string]starlark.Value // Thread, Timer and _MainThread, by kind

	mu      sync.Mutex
	main    *Thread
	threads []*Thread // started, in start order; dead ones are dropped by alive
	counter int       // the N of the last "Thread-N"
}

// New returns the threading module of one execution.
func New(env *py.Env) starlark.Value {
	m := newModule()
	if env != nil {
		key := weak.Make(env)
		mains.Store(key, weak.Make(m.main))
		runtime.AddCleanup(env, func(key weak.Pointer[py.Env]) { mains.Delete(key) }, key)
	}
	members := starlark.StringDict{
		"Thread":         m.classes["Thread"],
		"Timer":          m.classes["Timer"],
		"ThreadError":    py.RuntimeError,
		"TIMEOUT_MAX":    starlark.Float(timeoutMax),
		"current_thread": py.Func("current_thread", m.currentThread),
		"main_thread": py.Func("main_thread", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return m.main, nil
		}),
		"active_count":  py.Func("active_count", m.activeCount),
		"enumerate":     py.Func("enumerate", m.enumerate),
		"get_ident":     py.Func("get_ident", m.getIdent),
		"get_native_id": py.Func("get_native_id", m.getIdent),
	}
	for name, class := range m.syncClasses() {
		members[name] = class
	}
	return &starlarkstruct.Module{Name: "threading", Members: members}
}

// newModule returns the state of a threading module: no threads yet but
// its main thread.
func newModule() *module {
	m := &module{}
	m.classes = map[string]starlark.Value{
		"Thread":      &threadClass{m},
		"Timer":       py.NewClass("threading.Timer", m.newTimer, isKind("Timer"), nil),
		"_MainThread": py.NewClass("threading._MainThread", nil, isKind("_MainThread"), nil),
	}
	m.main = &Thread{mod: m, kind: "_MainThread", name: "MainThread", ident: idents.Add(1), started: true, done: make(chan struct{})}
	m.main.Self = m.main
	return m
}

// current is the Thread thread runs: the main thread for the script's
// own thread (and for threads threading did not start).
func (m *module) current(thread *starlark.Thread) *Thread {
	if t, ok := thread.Local(threadKey).(*Thread); ok {
		return t
	}
	return m.main
}

// mains holds the main thread of each execution's threading module, by
// the execution's Env, for Current.
var mains sync.Map // weak.Pointer[py.Env] → weak.Pointer[Thread]: neither keeps the execution alive

// Current returns the threading.Thread that thread runs (its name and
// ident are attributes): threading.current_thread() for code that has no
// threading module at hand (logging's records name it). Nil when the
// execution has no threading module.
func Current(thread *starlark.Thread) starlark.Value {
	if t, ok := thread.Local(threadKey).(*Thread); ok {
		return t
	}
	if t, ok := mains.Load(weak.Make(py.EnvOf(thread))); ok {
		if main := t.(weak.Pointer[Thread]).Value(); main != nil {
			return main
		}
	}
	return nil
}

func (m *module) currentThread(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return m.current(thread).Self, nil
}

func (m *module) getIdent(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt64(m.current(thread).ident), nil
}

// alive returns the main thread and the started threads still running.
func (m *module) alive() []*Thread {
	m.mu.Lock()
	defer m.mu.Unlock()
	live := m.threads[:0]
	for _, t := range m.threads {
		if t.isAlive() {
			live = append(live, t)
		}
	}
	clear(m.threads[len(live):])
	m.threads = live
	return append([]*Thread{m.main}, live...)
}

func (m *module) activeCount(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt(len(m.alive())), nil
}

func (m *module) enumerate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	threads := m.alive()
	list := make([]starlark.Value, len(threads))
	for i, t := range threads {
		list[i] = t.Self
	}
	return starlark.NewList(list), nil
}

// Timeout converts a timeout argument: None is py.Forever; negative
// numbers wait not at all, as join's and Event.wait's do.
func Timeout(v starlark.Value) (time.Duration, error) {
	if v == nil || v == starlark.None {
		return py.Forever, nil
	}
	secs, err := seconds(v)
	if err != nil {
		return 0, err
	}
	return duration(max(secs, 0)), nil
}

// seconds is a number of seconds as Python's threading takes it.
func seconds(v starlark.Value) (float64, error) {
	switch v := v.(type) {
	case starlark.Int:
		f, _ := starlark.AsFloat(v)
		return f, nil
	case starlark.Float:
		if math.IsNaN(float64(v)) {
			return 0, py.Errorf(py.ValueError, "Invalid value NaN (not a number)")
		}
		return float64(v), nil
	case starlark.Bool:
		return b2f(bool(v)), nil
	}
	return 0, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
}

// duration converts non-negative seconds, capping at TIMEOUT_MAX.
func duration(secs float64) time.Duration {
	if secs >= timeoutMax {
		return py.Forever
	}
	d := time.Duration(secs * 1e9)
	if d == 0 && secs > 0 {
		d = 1
	}
	return d
}

// noArgs checks that a method got no arguments.
func noArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) error {
	return starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
}

// callableName is the __name__ Python gives fn, for a thread's name; ""
// for none (no target, or one without a __name__).
func callableName(fn starlark.Value) string {
	c, ok := fn.(starlark.Callable)
	switch {
	case !ok:
		return ""
	case c.Name() == "lambda":
		return "<lambda>"
	}
	return c.Name()
}

// isKind tells the Thread values of one kind apart for isinstance.
func isKind(kind string) func(v starlark.Value) bool {
	return func(v starlark.Value) bool {
		t, ok := v.(*Thread)
		return ok && (kind == "Thread" || t.kind == kind)
	}
}

// Thread is threading.Thread (and Timer, and the main thread): a target
// run on a thread of the script's interpreter.
type Thread struct {
	mod    *module
	kind   string // "Thread", "Timer" or "_MainThread": the repr's
	name   string
	target starlark.Value // nil: none
	args   starlark.Tuple
	kwargs []starlark.Tuple
	daemon bool
	ident  int64 // 0 until started

	// Self is the value whose run method start calls: the Thread itself,
	// or the instance of a script's subclass of Thread that holds it.
	Self starlark.Value

	timer *timerState // Timer's

	started bool
	done    chan struct{} // closed when run has returned
}

// timerState is the interval, function and cancellation of a Timer.
type timerState struct {
	interval time.Duration
	cancel   *Event
}

var (
	_ py.PyClasser         = (*Thread)(nil)
	_ starlark.HasAttrs    = (*Thread)(nil)
	_ starlark.HasSetField = (*Thread)(nil)
)

// Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None)
func (m *module) newThread(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (*Thread, error) {
	var group, target, name, daemon starlark.Value = starlark.None, starlark.None, starlark.None, starlark.None
	var targs starlark.Value = starlark.Tuple(nil)
	var tkwargs starlark.Value = starlark.None
	if len(args) > 5 {
		return nil, py.Errorf(py.TypeError, "Thread.__init__() takes from 1 to 6 positional arguments but %d were given", len(args)+1)
	}
	if err := starlark.UnpackArgs("Thread", args, kwargs, "group?", &group, "target?", &target, "name?", &name, "args?", &targs, "kwargs?", &tkwargs, "daemon?", &daemon); err != nil {
		return nil, err
	}
	if group != starlark.None {
		return nil, py.Errorf(py.AssertionError, "group argument must be None for now")
	}
	t := &Thread{mod: m, kind: "Thread"}
	if target != starlark.None {
		t.target = target
	}
	if err := t.init(thread, name, targs, tkwargs, daemon); err != nil {
		return nil, err
	}
	return t, nil
}

// init sets what Thread.__init__ sets besides the target.
func (t *Thread) init(thread *starlark.Thread, name, args, kwargs, daemon starlark.Value) error {
	m := t.mod
	if name != starlark.None {
		t.name = py.Str(name)
	} else {
		m.mu.Lock()
		m.counter++
		t.name = fmt.Sprintf("Thread-%d", m.counter)
		m.mu.Unlock()
		if name := callableName(t.target); name != "" {
			t.name += " (" + name + ")"
		}
	}
	elems, err := py.Elements(thread, args)
	if err != nil {
		return err
	}
	t.args = elems
	if kwargs != starlark.None {
		d, ok := kwargs.(starlark.IterableMapping)
		if !ok {
			return py.Errorf(py.TypeError, "argument after ** must be a mapping, not %s", py.TypeName(kwargs))
		}
		for _, kv := range d.Items() {
			if _, ok := kv[0].(starlark.String); !ok {
				return py.Errorf(py.TypeError, "keywords must be strings")
			}
			t.kwargs = append(t.kwargs, starlark.Tuple{kv[0], kv[1]})
		}
	}
	if daemon != starlark.None {
		t.daemon = bool(daemon.Truth())
	} else {
		t.daemon = m.current(thread).daemon
	}
	t.Self = t
	t.done = make(chan struct{})
	return nil
}

// PyClass is type(t).
func (t *Thread) PyClass() starlark.Value { return t.mod.classes[t.kind] }

func (t *Thread) Type() string          { return t.kind }
func (t *Thread) Freeze()               {}
func (t *Thread) Truth() starlark.Bool  { return true }
func (t *Thread) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(t)) >> 3), nil }
func (t *Thread) String() string        { return t.PyRepr() }

// PyRepr is CPython's: <Thread(Thread-1 (worker), started 1403...)>.
func (t *Thread) PyRepr() string { return t.repr(t.kind, t.name, t.daemon) }

// ReprOf is the repr of self, an instance of a script's subclass of
// Thread whose part t is: <MyThread(worker, started 1403...)>, with the
// name and daemon flag self holds (set in its __init__ before start).
func (t *Thread) ReprOf(self *py.Object) string {
	name, daemon := t.selfAttrs(self)
	return t.repr(self.Class().Name(), name, daemon)
}

func (t *Thread) repr(class, name string, daemon bool) string {
	status := "initial"
	if t.started {
		status = "started"
	}
	if t.isDone() {
		status = "stopped"
	}
	if daemon {
		status += " daemon"
	}
	if t.ident != 0 {
		status += fmt.Sprintf(" %d", t.ident)
	}
	return fmt.Sprintf("<%s(%s, %s)>", class, name, status)
}

// isDone reports whether the thread ran and ended.
func (t *Thread) isDone() bool {
	if t.kind == "_MainThread" || !t.started {
		return false
	}
	select {
	case <-t.done:
		return true
	default:
		return false
	}
}

func (t *Thread) isAlive() bool { return t.started && !t.isDone() }

// threadMethods are Thread's methods; a subclass's instance reaches them
// through Self.
var threadMethods = py.MethodTable[*Thread]{
	"start":    (*Thread).start,
	"run":      (*Thread).run,
	"join":     (*Thread).join,
	"is_alive": (*Thread).pyIsAlive,
	"getName": func(t *Thread, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.String(t.name), noArgs(b, args, kwargs)
	},
	"setName": func(t *Thread, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return setter(t, "name", b, args, kwargs)
	},
	"isDaemon": func(t *Thread, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(t.daemon), noArgs(b, args, kwargs)
	},
	"setDaemon": func(t *Thread, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return setter(t, "daemon", b, args, kwargs)
	},
}

// timerMethods are a Timer's besides Thread's.
var timerMethods = py.MethodTable[*Thread]{
	"cancel": func(t *Thread, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		t.timer.cancel.set()
		return starlark.None, nil
	},
}

// setter implements setName and setDaemon.
func setter(t *Thread, field string, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	return starlark.None, t.SetField(field, v)
}

func (t *Thread) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(t.name), nil
	case "daemon":
		return starlark.Bool(t.daemon), nil
	case "ident", "native_id":
		if t.ident == 0 {
			return starlark.None, nil
		}
		return starlark.MakeInt64(t.ident), nil
	}
	if t.timer != nil {
		switch name {
		case "interval":
			return starlark.Float(t.timer.interval.Seconds()), nil
		case "function":
			return t.target, nil
		case "args":
			return t.args, nil
		case "finished":
			return t.timer.cancel, nil
		}
		if m := timerMethods.Bind(t, name); m != nil {
			return m, nil
		}
	}
	return threadMethods.Bind(t, name), nil
}

func (t *Thread) AttrNames() []string {
	names := threadMethods.Names("daemon", "ident", "name", "native_id")
	if t.timer != nil {
		names = append(names, "args", "cancel", "finished", "function", "interval")
	}
	return names
}

// SetField sets name and daemon (before start).
func (t *Thread) SetField(name string, v starlark.Value) error {
	switch name {
	case "name":
		t.name = py.Str(v)
		return nil
	case "daemon":
		if t.started {
			return py.Errorf(py.RuntimeError, "cannot set daemon status of active thread")
		}
		t.daemon = bool(v.Truth())
		return nil
	}
	return py.Errorf(py.AttributeError, "'%s' object attribute '%s' is read-only", t.kind, name)
}

// start implements Thread.start: Self.run() on a new thread.
func (t *Thread) start(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	if t.started {
		return nil, py.Errorf(py.RuntimeError, "threads can only be started once")
	}
	t.adoptSelfAttrs()
	return starlark.None, t.launch(thread, func(th *starlark.Thread) error {
		run, err := py.GetAttr(t.Self, "run")
		if err == nil {
			_, err = starlark.Call(th, run, nil, nil)
		}
		return err
	})
}

// launch runs body on a new thread that current_thread() shows as t; an
// error body returns is reported as an exception that ended the thread.
func (t *Thread) launch(thread *starlark.Thread, body func(th *starlark.Thread) error) error {
	t.started = true
	t.ident = idents.Add(1)
	m := t.mod
	m.mu.Lock()
	m.threads = append(m.threads, t)
	m.mu.Unlock()
	done := t.done
	_, err := py.Start(thread, t.name, t.daemon, func(th *starlark.Thread) {
		defer close(done)
		th.SetLocal(threadKey, t)
		if err := body(th); err != nil {
			t.report(th, err)
		}
	})
	if err != nil { // too many threads: this one never started
		t.started = false
		m.mu.Lock()
		m.threads = slices.DeleteFunc(m.threads, func(x *Thread) bool { return x == t })
		m.mu.Unlock()
	}
	return err
}

// Workers start the threads of a module built on threading
// (concurrent.futures' pools): threads that current_thread() shows as
// threading.Thread objects, which the main thread waits for at exit as
// for any thread that is not daemon.
type Workers struct{ mod *module }

// NewWorkers returns the thread starter of one module of one execution.
func NewWorkers() *Workers { return &Workers{mod: newModule()} }

// Start runs body on a new thread named name; the channel is closed
// when body has returned. An error body returns is reported on stderr
// as an exception that ended the thread.
func (w *Workers) Start(thread *starlark.Thread, name string, body func(th *starlark.Thread) error) (<-chan struct{}, error) {
	t := &Thread{mod: w.mod, kind: "Thread", name: name, done: make(chan struct{})}
	t.Self = t
	if err := t.launch(thread, body); err != nil {
		return nil, err
	}
	return t.done, nil
}

// adoptSelfAttrs takes the name and daemon flag a subclass's instance
// set as its own attributes (self.daemon = True in its __init__), which
// its class keeps apart from the Thread it derives from.
func (t *Thread) adoptSelfAttrs() {
	if o, ok := t.Self.(*py.Object); ok {
		t.name, t.daemon = t.selfAttrs(o)
	}
}

// selfAttrs are the name and daemon flag of the thread whose Go part t
// is: those o set as its own attributes, else t's.
func (t *Thread) selfAttrs(o *py.Object) (name string, daemon bool) {
	name, daemon = t.name, t.daemon
	if v, err := o.Attr("name"); err == nil && v != nil {
		name = py.Str(v)
	}
	if v, err := o.Attr("daemon"); err == nil && v != nil {
		daemon = bool(v.Truth())
	}
	return name, daemon
}

// report prints the exception that ended the thread as CPython's
// threading.excepthook does, unless it is SystemExit or the thread was
// stopped because the script ended.
func (t *Thread) report(thread *starlark.Thread, err error) {
	var exit *py.SystemExit
	in := py.InterpOf(thread)
	if errors.As(err, &exit) || in.Finished() || py.ContextOf(thread).Err() != nil {
		return
	}
	text := err.Error()
	if in.Traceback != nil {
		text = in.Traceback(err)
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	fmt.Fprintf(py.EnvOf(thread).Stderr, "Exception in thread %s:\n%s", t.name, text)
}

// run implements Thread.run: target(*args, **kwargs); a Timer's waits
// for its interval first, unless cancelled.
func (t *Thread) run(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	if t.timer != nil {
		cancelled, err := t.timer.cancel.wait(thread, t.timer.interval)
		if err != nil {
			return nil, err
		}
		if !cancelled {
			t.timer.cancel.set()
		} else {
			return starlark.None, nil
		}
	}
	if t.target == nil {
		return starlark.None, nil
	}
	if _, err := starlark.Call(thread, t.target, t.args, t.kwargs); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// join implements Thread.join(timeout=None).
func (t *Thread) join(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var tv starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &tv); err != nil {
		return nil, err
	}
	d, err := Timeout(tv)
	if err != nil {
		return nil, err
	}
	if !t.started {
		return nil, py.Errorf(py.RuntimeError, "cannot join thread before it is started")
	}
	if t == t.mod.current(thread) {
		return nil, py.Errorf(py.RuntimeError, "cannot join current thread")
	}
	if _, err := py.Wait(thread, t.done, d); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

func (t *Thread) pyIsAlive(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	return starlark.Bool(t.isAlive()), nil
}

// Timer(interval, function, args=None, kwargs=None)
func (m *module) newTimer(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var interval, function starlark.Value
	var targs, tkwargs starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackArgs("Timer", args, kwargs, "interval", &interval, "function", &function, "args?", &targs, "kwargs?", &tkwargs); err != nil {
		return nil, err
	}
	secs, err := seconds(interval)
	if err != nil {
		return nil, err
	}
	if targs == starlark.None {
		targs = starlark.Tuple(nil)
	}
	t := &Thread{mod: m, kind: "Timer"}
	if err := t.init(thread, starlark.None, targs, tkwargs, starlark.None); err != nil {
		return nil, err
	}
	t.target = function
	t.timer = &timerState{interval: duration(max(secs, 0)), cancel: newEvent()}
	return t, nil
}

// b2f is a bool as a number of seconds.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// threadClass is threading.Thread: called, it makes a Thread; a script's
// class may derive from it (class Producer(threading.Thread): def run...),
// and then start() runs the subclass's run.
type threadClass struct{ m *module }

var (
	_ starlark.Callable  = (*threadClass)(nil)
	_ py.Subclassable    = (*threadClass)(nil)
	_ py.InstanceChecker = (*threadClass)(nil)
)

func (c *threadClass) String() string        { return "<class 'threading.Thread'>" }
func (c *threadClass) Type() string          { return "type" }
func (c *threadClass) Freeze()               {}
func (c *threadClass) Truth() starlark.Bool  { return true }
func (c *threadClass) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(c)) >> 3), nil }
func (c *threadClass) Name() string          { return "Thread" }

// IsInstance is isinstance(v, threading.Thread) for Go values (a script
// subclass's instances answer through their class).
func (c *threadClass) IsInstance(v starlark.Value) bool { return isKind("Thread")(v) }

// CallInternal is Thread(group=None, target=None, name=None, args=(),
// kwargs=None, *, daemon=None).
func (c *threadClass) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.m.newThread(thread, args, kwargs)
}

// NewPart is Thread.__init__(self, ...) for a script's subclass: the
// Thread whose start() calls the instance's run.
func (c *threadClass) NewPart(thread *starlark.Thread, self *py.Object, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	t, err := c.m.newThread(thread, args, kwargs)
	if err != nil {
		return nil, err
	}
	t.Self = self
	return t, nil
}

// Attr gives Thread.__init__, which a subclass's __init__ calls, and the
// class's names.
func (c *threadClass) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__init__":
		return py.SubclassInit(c), nil
	case "__name__", "__qualname__":
		return starlark.String("Thread"), nil
	case "__module__":
		return starlark.String("threading"), nil
	}
	return nil, nil
}

func (c *threadClass) AttrNames() []string {
	return []string{"__init__", "__module__", "__name__", "__qualname__"}
}
