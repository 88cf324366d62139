package py

import (
	"fmt"

	"go.starlark.net/starlark"
)

// Generator expressions, lazy as Python's without a goroutine: the front
// end (frontend/lower_comprehension.go) lowers
//
//	(f(x, y) for x in xs if x for k, y in g(x))
//
// to __genexp__("1i2", xs, lambda x: x, lambda x: g(x), lambda x, k, y: f(x, y)):
// the first iterable, evaluated where the expression is, and a lambda per
// later clause and for the element, each taking the loop variables bound
// so far. The spec string says what each clause is: a digit for a for
// clause (how many names its target unpacks into; 1 for a plain name),
// 'i' for an if. The if clauses after the last for are folded into the
// element's lambda, which returns __genexp_skip__ for an element they
// reject: one call per element instead of two. Elements are computed one at a time, as they are asked
// for, so a generator expression over an endless KafkaConsumer works.
// A target the lambdas cannot bind (nested tuples, a name used twice)
// keeps the eager form: __genexp__([...]), an iterator over the list
// comprehension.

// genexp is __genexp__(spec, iterable, fns...) or __genexp__(list).
func genexp(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 1 && len(kwargs) == 0 {
		if list, ok := args[0].(*starlark.List); ok {
			elems := make([]starlark.Value, list.Len())
			for i := range elems {
				elems[i] = list.Index(i)
			}
			return &listIterator{typeName: "generator", elems: elems}, nil
		}
	}
	if len(args) < 3 || len(kwargs) > 0 {
		return nil, fmt.Errorf("%s: want a spec, an iterable and functions", b.Name())
	}
	spec, ok := args[0].(starlark.String)
	if !ok || len(spec) != len(args)-2 {
		return nil, fmt.Errorf("%s: bad spec %v", b.Name(), args[0])
	}
	fns := make([]starlark.Callable, len(args)-2)
	for i, f := range args[2:] {
		if fns[i], ok = f.(starlark.Callable); !ok {
			return nil, fmt.Errorf("%s: argument %d is not a function", b.Name(), i+3)
		}
	}
	first, err := clauseLevel(thread, args[1], 0, 0)
	if err != nil {
		return nil, err
	}
	return &genexpIterator{thread: thread, spec: string(spec), fns: fns, levels: []genexpLevel{first}, born: bornAt(thread, 1)}, nil
}

// clauseLevel starts iterating x for the for clause at index clause of
// the spec: x is the clause's iterable, an ownedIterable when the
// generator expression owns it (generator_loops.go).
func clauseLevel(thread *starlark.Thread, x starlark.Value, clause, base int) (genexpLevel, error) {
	if o, ok := x.(*ownedIterable); ok {
		return genexpLevel{src: o.gen, clause: clause, base: base, owned: true}, nil
	}
	src, err := Iterate(thread, x)
	return genexpLevel{src: src, clause: clause, base: base}, err
}

// skipMarker is the type of genexpSkip.
type skipMarker struct{}

// genexpSkip is __genexp_skip__, what a generator expression's element
// function returns for an element its if clauses reject.
var genexpSkip = new(skipMarker)

func (*skipMarker) String() string        { return "<skipped element>" }
func (*skipMarker) Type() string          { return "skipped element" }
func (*skipMarker) Freeze()               {}
func (*skipMarker) Truth() starlark.Bool  { return false }
func (*skipMarker) Hash() (uint32, error) { return 0, nil }

// genexpIterator is a generator expression's generator object.
type genexpIterator struct {
	thread *starlark.Thread // the thread that made it, for for-loops when no thread holds the interpreter lock
	spec   string
	fns    []starlark.Callable // fns[j-1] computes clause j (j >= 1); the last computes the element
	levels []genexpLevel       // the for clauses being iterated, outermost first
	vars   []starlark.Value    // the loop variables bound so far
	born   birth               // the call of __genexp__, until a for loop asks (generator_loops.go)
}

// genexpLevel is one for clause being iterated.
type genexpLevel struct {
	src    Nexter
	clause int  // index in spec
	base   int  // len(vars) before its target's names
	owned  bool // src is a generator the clause's call made: closed with the expression
}

var (
	_ Nexter             = (*genexpIterator)(nil)
	_ starlark.Iterable  = (*genexpIterator)(nil)
	_ starlark.Container = (*genexpIterator)(nil)
)

func (it *genexpIterator) String() string {
	return fmt.Sprintf("<generator object <genexpr> at %p>", it)
}
func (it *genexpIterator) Type() string         { return "generator" }
func (it *genexpIterator) Freeze()              {}
func (it *genexpIterator) Truth() starlark.Bool { return true }
func (it *genexpIterator) Hash() (uint32, error) {
	return starlark.String(fmt.Sprintf("%p", it)).Hash()
}

// Next computes the next element: it advances the innermost for clause,
// checks the clauses after it and starts the for clauses they contain.
// An error ends the generator, as in Python.
func (it *genexpIterator) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	v, ok, err := it.next(thread)
	if err != nil {
		it.levels = nil
	}
	return v, ok, err
}

func (it *genexpIterator) next(thread *starlark.Thread) (starlark.Value, bool, error) {
next:
	for len(it.levels) > 0 {
		lv := it.levels[len(it.levels)-1]
		x, ok, err := lv.src.Next(thread)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			it.levels = it.levels[:len(it.levels)-1]
			continue
		}
		if it.vars, err = bindTarget(thread, it.vars[:lv.base], it.spec[lv.clause], x); err != nil {
			return nil, false, err
		}
		for j := lv.clause + 1; j <= len(it.spec); j++ {
			r, err := starlark.Call(thread, it.fns[j-1], starlark.Tuple(it.vars), nil)
			if err != nil {
				return nil, false, err
			}
			switch {
			case j == len(it.spec):
				if r == starlark.Value(genexpSkip) {
					continue next
				}
				return r, true, nil
			case it.spec[j] == 'i':
				if !r.Truth() {
					continue next
				}
			default:
				lv, err := clauseLevel(thread, r, j, len(it.vars))
				if err != nil {
					return nil, false, err
				}
				it.levels = append(it.levels, lv)
				continue next
			}
		}
	}
	return nil, false, nil
}

// bindTarget appends to vars the names a for clause's target binds from
// x: x itself (arity '1') or its unpacked elements.
func bindTarget(thread *starlark.Thread, vars []starlark.Value, arity byte, x starlark.Value) ([]starlark.Value, error) {
	if arity == '1' {
		return append(vars, x), nil
	}
	want := int(arity - '0')
	src, err := Iterate(thread, x)
	if err != nil {
		return nil, Errorf(TypeError, "cannot unpack non-iterable %s object", TypeName(x))
	}
	for got := 0; ; got++ {
		v, ok, err := src.Next(thread)
		if err != nil {
			return nil, err
		}
		if !ok {
			if got < want {
				return nil, Errorf(ValueError, "not enough values to unpack (expected %d, got %d)", want, got)
			}
			return vars, nil
		}
		if got == want {
			return nil, Errorf(ValueError, "too many values to unpack (expected %d)", want)
		}
		vars = append(vars, v)
	}
}

// Iterate lets a for loop take the remaining elements.
func (it *genexpIterator) Iterate() starlark.Iterator {
	return &nexterIteration{thread: runningThread(it.thread), it: it}
}

// Has is `x in g`: it takes elements until one equals x.
func (it *genexpIterator) Has(x starlark.Value) (bool, error) {
	return IteratorHas(runningThread(it.thread), it, x)
}
