package py

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"go.starlark.net/starlark"
)

// Python's generators on Starlark. The front end lowers a def whose body
// yields (frontend/lower_generator.go) so that it starts with
//
//	__gen = __generator__(a, b, *args, k=k, **kw)
//	if __gen:
//	    return __gen
//
// Called by the script, __generator__ returns a Generator that holds the
// function and its arguments; the function returns it at once. The
// generator's first step calls the function again, on a thread of its own
// (Spawn) and a goroutine of its own (a Go coroutine, iter.Pull), where
// __generator__ returns a false value, the body's yielder, and the body
// runs: each `yield v` (__gen(v), a call of the yielder) hands v to the
// goroutine that asked for it and waits for the next request, whose value
// (send) or exception (throw, close) the call returns or raises. Only one
// side runs at a time: the interpreter lock, when the caller holds it,
// passes to the body and back with each hand-over (without being
// released: Interp.holder changes). A coroutine switch costs about half
// as much CPU as a hand-over by channels (measured: 0.55 against 1.1 µs a
// step), and passing the lock without releasing it saves four channel
// operations a step (0.4 µs).
//
// A generator left suspended holds a goroutine, and its finally blocks
// and with statements' __exit__ wait to run. When the script ends (the
// end of a script run, Script.Close, Session.Close), the runtime closes
// the generators still suspended (Interp.CloseGenerators), as CPython
// does at exit, in an order that follows CPython's (see there); then
// Interp.AbandonGenerators ends whatever is left (bodies that ignored
// GeneratorExit), without running more of the script. The for loop that
// made a generator closes it when the loop ends (generator_loops.go). A
// generator that
// becomes garbage while the script runs (a cleanup: unless its own
// function's module refers to it) is closed too, as CPython's collector
// closes one in a reference cycle: on a thread of its own that takes the
// interpreter lock as the script's threads do, so its finally runs
// between two steps of theirs, when Go's collector found it (CPython
// closes a generator that is not in a cycle at once, where its last
// reference goes).

// The predeclared helpers of generator functions (see above).
const (
	// GeneratorFunc: __generator__(ARGS) at the start of a generator
	// function returns the generator of this call, or in the
	// generator's own call, where the body runs, its yielder (false).
	GeneratorFunc = "__generator__"
	// YieldName names the calls of `yield v` (__gen(v), see the file
	// comment) in errors.
	YieldName = "yield"
	// YieldFromFunc: `yield from x` is __yield_from__(x): it returns the
	// return value of x when x is a generator.
	YieldFromFunc = "__yield_from__"
)

// GeneratorExit is raised inside a generator at the yield where it waits
// when the generator is closed.
var GeneratorExit = NewExceptionClass("GeneratorExit", "builtins", BaseException)

// coroutineKey is the thread-local key of the coroutine a generator's
// thread runs.
const coroutineKey = "kstar.coroutine"

// genState is where a generator is in its life.
type genState uint8

const (
	genCreated   genState = iota // its body has not started
	genSuspended                 // its body waits at a yield
	genRunning                   // its body runs
	genDone                      // its body has returned or raised, or it was closed
)

// Generator is a Python generator object: what calling a generator
// function returns. next(), for loops, send, throw and close step its
// body.
type Generator struct {
	name     string // the function's, for repr
	co       *coroutine
	state    genState
	returned starlark.Value   // the body's return value, once done: StopIteration.value
	creator  *starlark.Thread // the thread that called the function, for for-loops made without one
	born     birth            // the call that made it, until a for loop asks (generator_loops.go)
}

// coroutine is a generator's body: the goroutine and thread it runs on and
// what the two sides hand each other. The goroutine is a Go coroutine
// (iter.Pull): a step switches straight to it and a yield straight back,
// without the scheduler. It does not refer to its Generator, so a
// Generator the script drops becomes garbage while its body waits.
type coroutine struct {
	seq      uint64                  // the order the bodies started in, from 1
	parent   uint64                  // seq of the body that made the generator, 0 for none
	owner    weak.Pointer[Generator] // the generator, while it is not garbage
	fn       *starlark.Function
	args     starlark.Tuple
	kwargs   []starlark.Tuple
	interp   *Interp // of the thread that made the generator: it ends the body when it ends
	thread   *starlark.Thread
	next     func() (struct{}, bool) // runs the body until it yields (true) or ends
	stop     func()                  // ends a suspended body: its yield returns false
	yieldFn  func(struct{}) bool     // the body's side of next
	in       resumption              // what the caller hands the body
	out      handback                // what the body hands back
	once     sync.Once
	starting bool // the body's call of fn is on its way: __generator__ lets it through
}

// resumption is what a step hands the body: a value for its yield, or an
// exception to raise there.
type resumption struct {
	value starlark.Value
	exc   error
}

// handback is what the body hands back: a yielded value, or its end (the
// function's return value or error).
type handback struct {
	value starlark.Value
	done  bool
	err   error
}

// abandoned is the error that ends the body of a generator nobody can
// step any more; each is new, since an except clause records where it
// caught it.
func abandoned() *Exception { return Errorf(GeneratorExit, "generator abandoned") }

var (
	_ Nexter             = (*Generator)(nil)
	_ starlark.Iterable  = (*Generator)(nil)
	_ starlark.HasAttrs  = (*Generator)(nil)
	_ starlark.Container = (*Generator)(nil)
)

func (g *Generator) String() string        { return fmt.Sprintf("<generator object %s at %p>", g.name, g) }
func (g *Generator) Type() string          { return "generator" }
func (g *Generator) Freeze()               {}
func (g *Generator) Truth() starlark.Bool  { return true }
func (g *Generator) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", g)).Hash() }

// Next is next(g): the body's next yielded value, or false once it has
// returned (stopIteration then carries what it returned).
func (g *Generator) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	return g.step(thread, starlark.None, nil)
}

// Iterate lets a for loop take the remaining values.
func (g *Generator) Iterate() starlark.Iterator {
	return &nexterIteration{thread: runningThread(g.creator), it: g}
}

// Has is `x in g`: it takes values until one equals x.
func (g *Generator) Has(x starlark.Value) (bool, error) {
	return IteratorHas(runningThread(g.creator), g, x)
}

// runningThread is the thread that runs Go code called without one (a
// for loop's Iterate, `in`): the one holding the interpreter lock, or,
// when no thread holds it (a parallel call), thread, which made the value.
func runningThread(thread *starlark.Thread) *starlark.Thread {
	if cur := InterpOf(thread).Current(); cur != nil {
		return cur
	}
	return thread
}

// stopIteration is the StopIteration that next(g) and g.send raise once
// g is exhausted: it carries the body's return value.
func (g *Generator) stopIteration() *Exception {
	if g.returned == nil || g.returned == starlark.None {
		return NewException(StopIteration, "")
	}
	return &Exception{Class: StopIteration, Msg: Str(g.returned), Args: starlark.Tuple{g.returned}}
}

// step resumes the body with value (or exc raised at its yield) and
// returns what it yields next, or false when it ends.
func (g *Generator) step(thread *starlark.Thread, value starlark.Value, exc error) (starlark.Value, bool, error) {
	if value == nil {
		value = starlark.None
	}
	switch g.state {
	case genRunning:
		return nil, false, Errorf(ValueError, "generator already executing")
	case genDone:
		return nil, false, exc
	case genCreated:
		if exc != nil { // thrown before the body started: the body never runs
			g.state = genDone
			return nil, false, exc
		}
		if value != starlark.None {
			return nil, false, Errorf(TypeError, "can't send non-None value to a just-started generator")
		}
		g.co.owner = weak.Make(g)
		if err := g.co.start(thread); err != nil {
			return nil, false, err
		}
		runtime.AddCleanup(g, func(co *coroutine) { go co.collected() }, g.co) // not on the cleanup goroutine: the body runs meanwhile
	}
	g.state = genRunning
	h := g.co.transfer(resumption{value: value, exc: exc})
	if h.done {
		g.state = genDone
		g.returned = h.value
		return nil, false, withCallerFrames(thread, h.err)
	}
	g.state = genSuspended
	return h.value, true, nil
}

// bodyBytes is about what a suspended body holds outside the heap the
// memory limit watches: its goroutine's stack.
const bodyBytes = 16 << 10

// withCallerFrames puts the frames of the thread that stepped the
// generator before those of the body's error, so that its traceback
// shows the whole way to the error, as Python's does.
func withCallerFrames(thread *starlark.Thread, err error) error {
	var ee *starlark.EvalError
	if errors.As(err, &ee) && thread != nil {
		ee.CallStack = append(thread.CallStack(), ee.CallStack...)
	}
	return err
}

// start makes the body's thread and coroutine; the first transfer lets
// it run. The stacks of the execution's unfinished bodies count against
// its memory limit (a MemoryError when they pass it).
func (co *coroutine) start(parent *starlark.Thread) error {
	if l := LimiterOf(parent); l != nil {
		if err := l.Reserve(parent, int64(co.interp.generators.len()+1)*bodyBytes); err != nil {
			return err
		}
	}
	co.thread = Spawn(parent, "generator "+co.fn.Name())
	co.thread.SetLocal(coroutineKey, co)
	co.next, co.stop = iter.Pull(co.run)
	co.interp.generators.add(co)
	return nil
}

// run is the body's coroutine: it calls the function and hands back its
// result.
func (co *coroutine) run(yield func(struct{}) bool) {
	defer co.interp.generators.remove(co)
	co.yieldFn = yield
	co.starting = true
	v, err := starlark.Call(co.thread, co.fn, co.args, co.kwargs)
	if failure := TakeFailure(co.thread); failure != nil {
		err = failure // raised by the step hook (KeyboardInterrupt) or a for loop's iterator
	}
	co.out = handback{value: v, done: true, err: err}
}

// transfer runs the body until it yields or ends. When a thread holds
// the interpreter lock (the caller), the body holds it meanwhile: since
// only one side of a coroutine runs at a time, the lock passes to the
// body's thread and back without being released, which no other thread
// could take in between anyway. (When the execution is cancelled or
// reaches a limit, the runtime's step hook stops the body's thread as it
// stops the others.)
func (co *coroutine) transfer(r resumption) handback {
	holder := co.interp.Current()
	if holder != nil {
		co.interp.holder.Store(co.thread)
	}
	co.in = r
	if _, ok := co.next(); !ok && !co.out.done { // abandoned when its execution shut down
		co.out = handback{done: true, err: abandoned()}
	}
	if holder != nil {
		co.interp.holder.Store(holder)
	}
	return co.out
}

// yield hands v to the caller and waits to be resumed: it returns the
// value sent, or raises the exception thrown. When the generator is
// abandoned it cancels the body's thread, so that no more of the script
// runs on it, and raises abandoned().
func (co *coroutine) yield(v starlark.Value) (starlark.Value, error) {
	co.out = handback{value: v}
	if !co.yieldFn(struct{}{}) {
		err := abandoned()
		co.thread.Cancel(err.Error())
		return nil, err
	}
	if co.in.exc != nil {
		return nil, co.in.exc
	}
	return co.in.value, nil
}

// abandon ends a body suspended at a yield (or not started) without
// running more of the script, and waits for it to return.
func (co *coroutine) abandon() { co.once.Do(co.stop) }

// collected closes the body of a generator that became garbage: on a
// new thread of its execution that waits for the interpreter lock, or,
// once the script has ended (CloseGenerators ran), by abandon. It takes
// the lock before co.once, which the lock's holder may be in
// (closeOrphan).
func (co *coroutine) collected() {
	in := co.interp
	// The body's thread stands for the closer until it exists: spawning
	// reads the body thread's locals and the limits, which the lock's
	// holder writes.
	in.Acquire(co.thread)
	defer in.Release(co.thread)
	co.once.Do(func() {
		if in.exiting.Load() {
			co.stop()
			return
		}
		thread := Spawn(co.thread, co.thread.Name)
		in.holder.Store(thread)
		in.reportIgnored(thread, "Exception ignored in: "+co.describe(), co.closeBody())
	})
}

// closeOrphan closes, at exit, the body of a generator that became
// garbage whose cleanup has not run yet; thread holds the lock.
func (co *coroutine) closeOrphan(thread *starlark.Thread) {
	co.once.Do(func() { co.interp.reportIgnored(thread, "Exception ignored in: "+co.describe(), co.closeBody()) })
}

// closeBody is close() for a suspended body whose Generator is gone:
// GeneratorExit raised at its yield. It returns the error the body ends
// with, nil when it ends by GeneratorExit or returns.
func (co *coroutine) closeBody() error {
	if co.out.done {
		return nil
	}
	h := co.transfer(resumption{exc: NewException(GeneratorExit, "")})
	if !h.done {
		co.stop()
		return Errorf(RuntimeError, "generator ignored GeneratorExit")
	}
	if e := AsException(h.err); e != nil && (e.Class == GeneratorExit || e.Class == StopIteration) {
		return nil
	}
	return h.err
}

// describe is the repr of the generator whose body co is, once the
// generator is gone.
func (co *coroutine) describe() string {
	return fmt.Sprintf("<generator object %s at %p>", co.fn.Name(), co)
}

// coroutines are the bodies of an execution's generators that have
// started and not ended.
type coroutines struct {
	mu      sync.Mutex
	set     map[*coroutine]struct{}
	started uint64 // how many bodies started: the last seq
}

func (cs *coroutines) add(co *coroutine) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.set == nil {
		cs.set = map[*coroutine]struct{}{}
	}
	cs.started++
	co.seq = cs.started
	cs.set[co] = struct{}{}
}

// list returns the unfinished bodies in the order they started.
func (cs *coroutines) list() []*coroutine {
	cs.mu.Lock()
	list := make([]*coroutine, 0, len(cs.set))
	for co := range cs.set {
		list = append(list, co)
	}
	cs.mu.Unlock()
	slices.SortFunc(list, func(a, b *coroutine) int { return cmp.Compare(a.seq, b.seq) })
	return list
}

func (cs *coroutines) len() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return len(cs.set)
}

func (cs *coroutines) remove(co *coroutine) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	delete(cs.set, co)
}

// AbandonGenerators ends the bodies of the unfinished generators made by
// the interpreter's threads and waits for them to return. The runtime
// calls it when the interpreter's script, Session or Script ends.
func (in *Interp) AbandonGenerators() {
	in.exiting.Store(true)
	for _, co := range in.generators.list() {
		co.abandon()
	}
}

// CloseGenerators closes the generators of the interpreter still
// suspended, as CPython closes them when its script ends: GeneratorExit
// at their yields runs their finally blocks and __exit__ methods. thread
// holds the interpreter lock; globals are the values of the script's
// globals. An exception a body raises is printed as CPython prints it
// ("Exception ignored in: <generator object ...>") and the closing goes
// on.
//
// CPython closes them as its collector frees the module's globals, in an
// order that its reference counts decide; this one gives CPython's for
// the usual cases (the golden script generators_close_at_exit):
//
//  1. generators a global holds, or an attribute of an instance a global
//     holds, in the order they started;
//  2. generators in lists, tuples and dicts that globals hold, container
//     by container (the one whose generator started first first): a
//     dict's in order, a list's and a tuple's from the last;
//  3. the others, in the order they started.
//
// Once a generator closes, the generators its body started and left
// suspended (which its frame held) close, before the next.
func (in *Interp) CloseGenerators(thread *starlark.Thread, globals []starlark.Value) {
	in.exiting.Store(true)
	closed := map[*coroutine]bool{}
	var closeGen func(g *Generator)
	closeGen = func(g *Generator) {
		if g.state != genSuspended || closed[g.co] {
			return
		}
		closed[g.co] = true
		in.reportIgnored(thread, "Exception ignored in: "+g.String(), g.close(thread))
		for _, co := range in.generators.list() {
			if co.parent == g.co.seq {
				if child := co.owner.Value(); child != nil {
					closeGen(child)
				}
			}
		}
	}
	var held []*Generator
	var groups [][]*Generator
	for _, v := range globals {
		switch v := v.(type) {
		case *Generator:
			held = append(held, v)
		case *starlark.List:
			var group []*Generator
			for i := v.Len() - 1; i >= 0; i-- {
				group = appendGenerator(group, v.Index(i))
			}
			groups = append(groups, group)
		case starlark.Tuple:
			var group []*Generator
			for i := len(v) - 1; i >= 0; i-- {
				group = appendGenerator(group, v[i])
			}
			groups = append(groups, group)
		case *starlark.Dict:
			var group []*Generator
			for _, item := range v.Items() {
				group = appendGenerator(group, item[1])
			}
			groups = append(groups, group)
		default:
			if o := objectOf(v); o != nil {
				for _, k := range o.keys {
					held = appendGenerator(held, o.attrs[k])
				}
			}
		}
	}
	slices.SortStableFunc(held, func(a, b *Generator) int { return cmp.Compare(a.co.seq, b.co.seq) })
	for _, g := range held {
		closeGen(g)
	}
	first := func(group []*Generator) uint64 {
		least := uint64(math.MaxUint64)
		for _, g := range group {
			if g.co.seq != 0 {
				least = min(least, g.co.seq)
			}
		}
		return least
	}
	slices.SortStableFunc(groups, func(a, b []*Generator) int { return cmp.Compare(first(a), first(b)) })
	for _, group := range groups {
		for _, g := range group {
			closeGen(g)
		}
	}
	for _, co := range in.generators.list() {
		if g := co.owner.Value(); g != nil {
			closeGen(g)
		} else {
			co.closeOrphan(thread)
		}
	}
}

// appendGenerator appends v to gens if it is a generator.
func appendGenerator(gens []*Generator, v starlark.Value) []*Generator {
	if g, ok := v.(*Generator); ok {
		return append(gens, g)
	}
	return gens
}

// reportIgnored prints the exception err that closing a generator at
// exit or as garbage, or an atexit handler, raised, under header
// ("Exception ignored in: <generator object ...>"), as CPython prints an
// exception it cannot raise anywhere. Errors that are no Python
// exception (the execution is being stopped) are not printed.
func (in *Interp) reportIgnored(thread *starlark.Thread, header string, err error) {
	var exit *SystemExit
	exc := AsException(err)
	if exc == nil && !errors.As(err, &exit) {
		return
	}
	if exc != nil {
		exc.SuppressContext = true // CPython prints the exception alone
	}
	text := err.Error()
	var ee *starlark.EvalError
	if in.Traceback != nil && errors.As(err, &ee) {
		text = in.Traceback(err)
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	fmt.Fprintf(EnvOf(thread).Stderr, "%s\n%s", header, text)
}

// coroutineOf is the coroutine whose body thread runs, or nil.
func coroutineOf(thread *starlark.Thread) *coroutine {
	co, _ := thread.Local(coroutineKey).(*coroutine)
	return co
}

// generatorHelper is __generator__(ARGS), called first thing by a
// generator function: None when the call is the generator's own (its body
// runs), else a new generator of the calling function with ARGS.
func generatorHelper(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if co := coroutineOf(thread); co != nil && co.starting {
		co.starting = false
		return &yielder{co}, nil
	}
	fn, ok := thread.DebugFrame(1).Callable().(*starlark.Function)
	if !ok {
		return nil, Errorf(RuntimeError, "%s must be called by a generator function", b.Name())
	}
	co := &coroutine{fn: fn, args: args, kwargs: kwargs, interp: InterpOf(thread)}
	if p := coroutineOf(thread); p != nil {
		co.parent = p.seq
	}
	return &Generator{name: fn.Name(), creator: thread, co: co, born: generatorBirth(thread, fn)}, nil
}

// generatorBirth is the call of generator function fn that __generator__,
// running on thread, makes the generator of: its caller's, or for a
// method, the caller of the bound method. None when Go code called fn.
func generatorBirth(thread *starlark.Thread, fn *starlark.Function) birth {
	depth := 2 // __generator__, fn, its caller
	if depth < thread.CallStackDepth() {
		if m, ok := thread.DebugFrame(depth).Callable().(*BoundMethod); ok && m.fn == starlark.Value(fn) {
			depth++
		}
	}
	if depth >= thread.CallStackDepth() {
		return birth{}
	}
	if _, ok := thread.DebugFrame(depth).Callable().(*starlark.Function); !ok {
		return birth{}
	}
	return bornAt(thread, depth)
}

// yielder is what __generator__ returns in the generator's own call:
// the body's `yield v` is __gen(v), a call of it (see the file comment).
// It is false, so that the prologue lets the body run. A call costs no
// lookup of a predeclared name nor of a thread-local.
type yielder struct{ co *coroutine }

var _ starlark.Callable = (*yielder)(nil)

func (y *yielder) String() string        { return "<yield>" }
func (y *yielder) Type() string          { return "yield" }
func (y *yielder) Freeze()               {}
func (y *yielder) Truth() starlark.Bool  { return false }
func (y *yielder) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'yield'") }
func (y *yielder) Name() string          { return YieldName }

// CallInternal is `yield` (no arguments) and `yield v`.
func (y *yielder) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 1 || len(kwargs) > 0 {
		return nil, Errorf(TypeError, "%s takes at most 1 argument", YieldName)
	}
	if thread != y.co.thread { // the lowering calls it only in the body
		return nil, Errorf(RuntimeError, "%s called outside its generator's body", YieldName)
	}
	if len(args) == 0 {
		return y.co.yield(starlark.None)
	}
	return y.co.yield(args[0])
}

// yieldFromHelper is __yield_from__(x), `yield from x`: it yields what x
// yields. A generator x gets what is sent and thrown in and its return
// value is the result; another iterable's values are yielded in turn.
func yieldFromHelper(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	co := coroutineOf(thread)
	if co == nil {
		return nil, Errorf(SyntaxError, "'yield' outside function")
	}
	if sub, ok := x.(*Generator); ok {
		var sent starlark.Value = starlark.None
		var exc error
		for {
			if AsException(exc) != nil && AsException(exc).Class == GeneratorExit {
				if err := sub.close(thread); err != nil {
					return nil, err
				}
				return nil, exc
			}
			v, ok, err := sub.step(thread, sent, exc)
			if err != nil {
				return nil, err
			}
			if !ok {
				if sub.returned == nil {
					return starlark.None, nil
				}
				return sub.returned, nil
			}
			sent, exc = co.yield(v)
			if sent == nil {
				sent = starlark.None
			}
		}
	}
	it, err := Iterate(thread, x)
	if err != nil {
		return nil, err
	}
	m := NewMeter(thread)
	for {
		if err := m.Tick(); err != nil {
			return nil, err
		}
		v, ok, err := it.Next(thread)
		if err != nil {
			return nil, err
		}
		if !ok {
			return starlark.None, nil
		}
		if _, err := co.yield(v); err != nil {
			return nil, err
		}
	}
}

// close is g.close(): GeneratorExit raised at the body's yield, which must
// end the body (a RuntimeError if it yields again).
func (g *Generator) close(thread *starlark.Thread) error {
	switch g.state {
	case genCreated:
		g.state = genDone
		return nil
	case genDone:
		return nil
	}
	_, ok, err := g.step(thread, nil, NewException(GeneratorExit, ""))
	if ok {
		return Errorf(RuntimeError, "generator ignored GeneratorExit")
	}
	if e := AsException(err); e != nil && (e.Class == GeneratorExit || e.Class == StopIteration) {
		return nil
	}
	return err
}

// Attr is the generator's methods: send, throw, close.
func (g *Generator) Attr(name string) (starlark.Value, error) {
	switch name {
	case "send":
		return starlark.NewBuiltin("send", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var v starlark.Value
			if err := starlark.UnpackPositionalArgs("send", args, kwargs, 1, &v); err != nil {
				return nil, err
			}
			return g.resumeWith(thread, v, nil)
		}).BindReceiver(g), nil
	case "throw":
		return starlark.NewBuiltin("throw", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var typ, val, tb starlark.Value
			if err := starlark.UnpackPositionalArgs("throw", args, kwargs, 1, &typ, &val, &tb); err != nil {
				return nil, err
			}
			exc, err := exceptionOf(thread, typ, val)
			if err != nil {
				return nil, err
			}
			return g.resumeWith(thread, nil, exc)
		}).BindReceiver(g), nil
	case "close":
		return starlark.NewBuiltin("close", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs("close", args, kwargs, 0); err != nil {
				return nil, err
			}
			return starlark.None, g.close(thread)
		}).BindReceiver(g), nil
	}
	return nil, nil
}

// AttrNames lists the generator's methods.
func (g *Generator) AttrNames() []string { return []string{"close", "send", "throw"} }

// resumeWith is send and throw: the next yielded value, or StopIteration
// when the body returns.
func (g *Generator) resumeWith(thread *starlark.Thread, v starlark.Value, exc error) (starlark.Value, error) {
	if v == nil {
		v = starlark.None
	}
	y, ok, err := g.step(thread, v, exc)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, g.stopIteration()
	}
	return y, nil
}

// Throw raises exc inside g at the yield where it waits, as g.throw(exc):
// it returns the next value g yields, or ok false when g ends (having
// swallowed exc) — err is the error g ended with. contextlib uses it.
func (g *Generator) Throw(thread *starlark.Thread, exc error) (v starlark.Value, ok bool, err error) {
	return g.step(thread, starlark.None, exc)
}

// Close is g.close().
func (g *Generator) Close(thread *starlark.Thread) error { return g.close(thread) }

// exceptionOf is the exception of g.throw(typ[, val]): an exception
// value, or a class called with val.
func exceptionOf(thread *starlark.Thread, typ, val starlark.Value) (error, error) {
	if e, ok := typ.(error); ok {
		return e, nil
	}
	if c, ok := typ.(starlark.Callable); ok {
		var args starlark.Tuple
		if val != nil && val != starlark.None {
			args = starlark.Tuple{val}
		}
		v, err := starlark.Call(thread, c, args, nil)
		if err != nil {
			return nil, err
		}
		if e, ok := v.(error); ok {
			return e, nil
		}
	}
	return nil, Errorf(TypeError, "exceptions must be classes or instances deriving from BaseException, not %s", TypeName(typ))
}
