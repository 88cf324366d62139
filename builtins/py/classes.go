package py

import (
	"strings"
	"sync/atomic"

	"go.starlark.net/starlark"
)

// NewClass returns a Python class implemented in Go, as the standard
// modules define them (collections.Counter, itertools.chain): qualname is
// the module and name its repr shows ("collections.Counter"); call makes
// an instance (nil: the class cannot be called); isInstance tells its
// instances apart for isinstance; attrs are its class attributes
// (chain.from_iterable).
func NewClass(qualname string, call BuiltinFunc, isInstance func(v starlark.Value) bool, attrs map[string]starlark.Value) *Type {
	name := qualname[strings.LastIndexByte(qualname, '.')+1:]
	return &Type{name: name, qualname: qualname, call: call, contains: isInstance, attrs: attrs}
}

// Instance is implemented by the instances of classes made with NewClass:
// type(v) is PyClass().
type Instance interface {
	starlark.Value
	PyClass() *Type
}

// DictSubclass is implemented by instances of Python's subclasses of dict
// (collections.Counter, defaultdict, OrderedDict): isinstance(x, dict) is
// true of them and json.dumps writes them as objects. Dict returns the
// dict that holds their items.
type DictSubclass interface {
	starlark.IterableMapping
	Dict() *starlark.Dict
}

// Elements returns all the elements Python's iteration of x gives (a
// str's characters, bytes' ints, what an iterator yields), or Python's
// TypeError when x is not iterable.
func Elements(thread *starlark.Thread, x starlark.Value) ([]starlark.Value, error) {
	return elements(thread, x)
}

// ReprGuard keeps the repr of a value that contains itself from
// recursing for ever: Enter reports false while the value's repr is
// already being made, and the caller then writes CPython's placeholder
// ("[...]", "..."). Leave ends what Enter began.
type ReprGuard struct{ busy atomic.Bool }

// Enter marks the repr as under way; false if it already was.
func (g *ReprGuard) Enter() bool { return g.busy.CompareAndSwap(false, true) }

// Leave marks the repr as done.
func (g *ReprGuard) Leave() { g.busy.Store(false) }
