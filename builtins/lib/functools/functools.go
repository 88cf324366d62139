// Package functools is Python's functools module for kstar scripts:
//
//	reduce(function, iterable[, initial])
//	partial(func, /, *args, **keywords)      .func, .args, .keywords
//	lru_cache(maxsize=128, typed=False), lru_cache(user_function)
//	cache(user_function)                      cache_info(), cache_clear(), cache_parameters()
//	wraps(wrapped), update_wrapper(wrapper, wrapped)
//	cmp_to_key(mycmp)
//
// Reprs and errors are CPython 3.11's. lru_cache and wraps work as
// decorators, on methods too (their results bind to the instance as
// functions do). Starlark functions cannot be given attributes, so
// wraps(wrapped)(wrapper) and update_wrapper return a new function object
// that calls wrapper and carries wrapped's __name__, __qualname__,
// __doc__, __module__ and __wrapped__ (Python returns wrapper itself,
// changed). No total_ordering, singledispatch or cached_property yet.
package functools

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the functools module for one execution.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "functools", Members: starlark.StringDict{
		"reduce":         py.Func("reduce", reduce),
		"partial":        partialClass,
		"lru_cache":      py.Func("lru_cache", lruCache),
		"cache":          py.Func("cache", cache),
		"wraps":          py.Func("wraps", wraps),
		"update_wrapper": py.Func("update_wrapper", updateWrapper),
		"cmp_to_key":     py.Func("cmp_to_key", cmpToKey),
	}}
}

// identityHash hashes v by its address, as Python hashes objects without
// __hash__.
func identityHash(v any) (uint32, error) {
	return starlark.String(fmt.Sprintf("%p", v)).Hash()
}

// reduce(function, iterable[, initial]): function applied cumulatively
// to the elements, from the left, starting with initial if given.
func reduce(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("reduce", args, kwargs, 2, 3); err != nil {
		return nil, err
	}
	src, err := py.Iterate(thread, args[1])
	if err != nil {
		return nil, py.Errorf(py.TypeError, "reduce() arg 2 must support iteration")
	}
	var acc starlark.Value
	if len(args) == 3 {
		acc = args[2]
	}
	meter := py.NewMeter(thread) // a builtin function takes no steps
	for {
		if err := meter.Tick(); err != nil {
			return nil, err
		}
		v, ok, err := src.Next(thread)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if acc == nil {
			acc = v
			continue
		}
		if acc, err = starlark.Call(thread, args[0], starlark.Tuple{acc, v}, nil); err != nil {
			return nil, err
		}
	}
	if acc == nil {
		return nil, py.Errorf(py.TypeError, "reduce() of empty iterable with no initial value")
	}
	return acc, nil
}

// Partial is a functools.partial object: calling it calls func with its
// args before the call's and its keywords updated by the call's.
type Partial struct {
	fn       starlark.Value
	args     starlark.Tuple
	keywords []starlark.Tuple
	repr     py.ReprGuard
}

var (
	_ starlark.Callable = (*Partial)(nil)
	_ starlark.HasAttrs = (*Partial)(nil)
	_ py.Instance       = (*Partial)(nil)
)

var partialClass = py.NewClass("functools.partial", newPartial, func(v starlark.Value) bool {
	_, ok := v.(*Partial)
	return ok
}, nil)

// partial(func, /, *args, **keywords); a partial of a partial is
// flattened, as in CPython.
func newPartial(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "type 'partial' takes at least one argument")
	}
	if _, ok := args[0].(starlark.Callable); !ok {
		return nil, py.Errorf(py.TypeError, "the first argument must be callable")
	}
	p := &Partial{fn: args[0], args: append(starlark.Tuple(nil), args[1:]...), keywords: kwargs}
	if inner, ok := p.fn.(*Partial); ok {
		p.fn = inner.fn
		p.args = append(append(starlark.Tuple(nil), inner.args...), p.args...)
		p.keywords = mergeKeywords(inner.keywords, kwargs)
	}
	return p, nil
}

// mergeKeywords is {**a, **b}.
func mergeKeywords(a, b []starlark.Tuple) []starlark.Tuple {
	merged := append([]starlark.Tuple(nil), a...)
outer:
	for _, kv := range b {
		for i, old := range merged {
			if old[0] == kv[0] {
				merged[i] = kv
				continue outer
			}
		}
		merged = append(merged, kv)
	}
	return merged
}

func (p *Partial) PyClass() *py.Type     { return partialClass }
func (p *Partial) Name() string          { return "partial" }
func (p *Partial) Type() string          { return "functools.partial" }
func (p *Partial) Freeze()               { p.fn.Freeze(); p.args.Freeze() }
func (p *Partial) Truth() starlark.Bool  { return true }
func (p *Partial) Hash() (uint32, error) { return identityHash(p) }

// String is the repr: functools.partial(<function f at 0x...>, 1, b=2).
func (p *Partial) String() string {
	if !p.repr.Enter() { // an argument contains the partial
		return "..."
	}
	defer p.repr.Leave()
	var b strings.Builder
	b.WriteString("functools.partial(")
	b.WriteString(py.Repr(p.fn))
	for _, v := range p.args {
		b.WriteString(", ")
		b.WriteString(py.Repr(v))
	}
	for _, kv := range p.keywords {
		b.WriteString(", ")
		b.WriteString(string(kv[0].(starlark.String)))
		b.WriteByte('=')
		b.WriteString(py.Repr(kv[1]))
	}
	b.WriteByte(')')
	return b.String()
}

// CallInternal calls func(*args, *call_args, **{**keywords, **call_keywords}).
func (p *Partial) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	all := append(append(make(starlark.Tuple, 0, len(p.args)+len(args)), p.args...), args...)
	return starlark.Call(thread, p.fn, all, mergeKeywords(p.keywords, kwargs))
}

// Attr returns func, args and keywords.
func (p *Partial) Attr(name string) (starlark.Value, error) {
	switch name {
	case "func":
		return p.fn, nil
	case "args":
		return p.args, nil
	case "keywords":
		d := starlark.NewDict(len(p.keywords))
		for _, kv := range p.keywords {
			if err := d.SetKey(kv[0], kv[1]); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	return nil, nil
}

func (p *Partial) AttrNames() []string { return []string{"args", "func", "keywords"} }

// cmpToKey is cmp_to_key(mycmp): a class whose instances wrap a value and
// compare by mycmp(a, b) < 0, == 0 or > 0.
func cmpToKey(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var mycmp starlark.Value
	if err := py.UnpackArgs("cmp_to_key", args, kwargs, []string{"mycmp"}, &mycmp); err != nil {
		return nil, err
	}
	return &keyWrapper{cmp: mycmp}, nil
}

// keyWrapper is what cmp_to_key returns (cmp set, obj nil) and what that
// returns when called with a value (obj set), as CPython's KeyWrapper.
type keyWrapper struct {
	cmp    starlark.Value
	obj    starlark.Value
	thread *starlark.Thread // where cmp is called when keys are compared
}

var (
	_ starlark.Callable   = (*keyWrapper)(nil)
	_ starlark.Comparable = (*keyWrapper)(nil)
	_ starlark.HasAttrs   = (*keyWrapper)(nil)
)

func (k *keyWrapper) String() string       { return fmt.Sprintf("<functools.KeyWrapper object at %p>", k) }
func (k *keyWrapper) Name() string         { return "K" }
func (k *keyWrapper) Type() string         { return "functools.KeyWrapper" }
func (k *keyWrapper) Freeze()              {}
func (k *keyWrapper) Truth() starlark.Bool { return true }
func (k *keyWrapper) Hash() (uint32, error) {
	return 0, py.Errorf(py.TypeError, "unhashable type: 'functools.KeyWrapper'")
}

// CallInternal wraps obj in a key.
func (k *keyWrapper) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var obj starlark.Value
	if err := py.UnpackArgs("K", args, kwargs, []string{"obj"}, &obj); err != nil {
		return nil, err
	}
	return &keyWrapper{cmp: k.cmp, obj: obj, thread: thread}, nil
}

// CompareSameType compares mycmp(x.obj, y.obj) with 0.
func (k *keyWrapper) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	other := y.(*keyWrapper)
	if k.obj == nil || other.obj == nil {
		return false, py.Errorf(py.TypeError, "other argument must be K instance")
	}
	r, err := starlark.Call(k.thread, k.cmp, starlark.Tuple{k.obj, other.obj}, nil)
	if err != nil {
		return false, err
	}
	return starlark.Compare(op, r, starlark.MakeInt(0))
}

// Attr returns obj, the wrapped value.
func (k *keyWrapper) Attr(name string) (starlark.Value, error) {
	if name == "obj" && k.obj != nil {
		return k.obj, nil
	}
	return nil, nil
}

func (k *keyWrapper) AttrNames() []string { return []string{"obj"} }
