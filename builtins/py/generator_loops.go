package py

import (
	"slices"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// A for loop closes the generator it made as soon as it ends, as
// CPython's reference counting does: in
//
//	for x in messages():
//	    break
//
// the generator is referred to by nothing but the loop (its own body
// cannot refer to it), so CPython closes it at the break, by return or by
// an exception leaving the loop, before the code after the loop, the
// caller or the except clause runs; its finally blocks run there. A
// generator held elsewhere (g = messages(); for x in g: break) stays
// open.
//
// The front end lowers the iterable of a for loop, or of a generator
// expression's for clause, that is a call or a generator expression to
// __owned_iterable__(x), a call placed where x's call is (the same
// position). x is a fresh generator the loop owns when its generator
// function (or the generator expression) was called from the same frame
// at that position and it has not started: nothing ran in between that
// could keep it. Then __owned_iterable__ returns an ownedIterable, whose
// iteration closes the generator in Done, which Starlark calls whenever
// the loop ends. Anything else it returns as __iterable__ does, so loops
// over range(), a KafkaConsumer or d.items() pay nothing more.

// OwnedIterableFunc: for x in f(...) = for x in __owned_iterable__(f(...))
// (see above).
const OwnedIterableFunc = "__owned_iterable__"

// ownedLoopsKey is the thread-local key of the thread's loops that own
// their generator (*ownedLoops).
const ownedLoopsKey = "kstar.ownedLoops"

// birth is where a generator (or generator expression) was made: the
// frame that called its function, and that call's position. A loop asks
// it once.
type birth struct {
	thread *starlark.Thread
	caller starlark.Callable
	frame  int // the caller's index in the call stack, from the outermost
	pos    syntax.Position
}

// bornAt records as the maker the frame depth frames below the innermost
// one of thread's call stack.
func bornAt(thread *starlark.Thread, depth int) birth {
	fr := thread.DebugFrame(depth)
	return birth{thread: thread, caller: fr.Callable(), frame: thread.CallStackDepth() - 1 - depth, pos: fr.Position()}
}

// calledBy reports whether b is the call of the frame that calls the
// builtin running on thread, at the position where it calls it.
func (b *birth) calledBy(thread *starlark.Thread) bool {
	if b.thread != thread || b.frame != thread.CallStackDepth()-2 {
		return false
	}
	fr := thread.DebugFrame(1)
	return fr.Callable() == b.caller && fr.Position() == b.pos
}

// owner is a generator object a loop can own: closeOwned closes it when
// the loop ends.
type owner interface {
	starlark.Value
	Nexter
	closeOwned(thread *starlark.Thread)
}

// ownedIterable is __owned_iterable__(x) for a fresh generator x: the for
// loop that takes it owns x.
type ownedIterable struct {
	thread *starlark.Thread
	gen    owner
}

func (o *ownedIterable) String() string        { return o.gen.String() }
func (o *ownedIterable) Type() string          { return o.gen.Type() }
func (o *ownedIterable) Freeze()               {}
func (o *ownedIterable) Truth() starlark.Bool  { return true }
func (o *ownedIterable) Hash() (uint32, error) { return o.gen.Hash() }

// Iterate starts the loop that owns the generator.
func (o *ownedIterable) Iterate() starlark.Iterator {
	loops, _ := o.thread.Local(ownedLoopsKey).(*ownedLoops)
	if loops == nil {
		loops = new(ownedLoops)
		o.thread.SetLocal(ownedLoopsKey, loops)
	}
	it := &ownedIteration{nexterIteration: nexterIteration{thread: o.thread, it: o.gen}, loops: loops}
	loops.active = append(loops.active, it)
	return it
}

// ownedLoops are a thread's loops that own their generator and have not
// ended, innermost last.
type ownedLoops struct{ active []*ownedIteration }

// ownedIteration is a loop over the generator it owns.
type ownedIteration struct {
	nexterIteration
	loops *ownedLoops
}

// Done closes the loop's generator, and first those of the loops inside
// it that have not ended: when a function returns or fails, Starlark ends
// its loops outermost first, where CPython drops their iterators
// innermost first.
func (it *ownedIteration) Done() {
	i := slices.Index(it.loops.active, it)
	if i < 0 { // closed already, by a loop around it
		return
	}
	for j := len(it.loops.active) - 1; j >= i; j-- {
		inner := it.loops.active[j]
		inner.it.(owner).closeOwned(inner.thread)
	}
	clear(it.loops.active[i:])
	it.loops.active = it.loops.active[:i]
}

// ownedIterableHelper is __owned_iterable__(x): an ownedIterable when x
// is a generator or generator expression made by the call x is, else
// __iterable__(x).
func ownedIterableHelper(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 1 && len(kwargs) == 0 {
		if gen := freshGenerator(thread, args[0]); gen != nil {
			return &ownedIterable{thread: thread, gen: gen}, nil
		}
	}
	return iterable(thread, b, args, kwargs)
}

// freshGenerator is x when it is a generator that has not started, made
// by the call of the frame that calls the builtin running on thread at
// its position; else nil. It asks x once.
func freshGenerator(thread *starlark.Thread, x starlark.Value) owner {
	switch x := x.(type) {
	case *Generator:
		born := x.born
		x.born = birth{}
		if x.state == genCreated && born.calledBy(thread) {
			return x
		}
	case *genexpIterator:
		born := x.born
		x.born = birth{}
		if born.calledBy(thread) {
			return x
		}
	}
	return nil
}

// closeOwned closes a suspended generator whose loop ended. An exception
// its body raises is printed, as CPython prints one raised where a
// generator's last reference goes (its traceback starts in the body),
// and the script goes on.
func (g *Generator) closeOwned(thread *starlark.Thread) {
	if g.state != genSuspended {
		return
	}
	g.state = genRunning
	err := g.co.closeBody()
	g.state = genDone
	g.co.interp.reportIgnored(thread, "Exception ignored in: "+g.String(), err)
}

// closeOwned closes the generators a generator expression's for clauses
// own (innermost first), as CPython does when it drops the expression.
func (it *genexpIterator) closeOwned(thread *starlark.Thread) {
	for i := len(it.levels) - 1; i >= 0; i-- {
		if o, ok := it.levels[i].src.(owner); ok && it.levels[i].owned {
			o.closeOwned(thread)
		}
	}
	it.levels = nil
}
