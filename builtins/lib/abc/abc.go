// Package abc is kstar's abc module, as CPython 3.11's:
//
//	ABC                  class Base(ABC): a class whose abstract methods
//	                     must be overridden before it is instantiated
//	ABCMeta              class Base(metaclass=ABCMeta): the same
//	abstractmethod(f)    marks f abstract (also under property,
//	                     classmethod and staticmethod)
//
// A class made by ABCMeta that has abstract methods left (its own, or its
// bases' that it does not override with a method that is not abstract)
// refuses instances with CPython's TypeError, naming them in sorted
// order.
package abc

import (
	"reflect"
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the abc module of one execution.
func New(env *py.Env) starlark.Value {
	meta := &metaclass{abstract: map[starlark.Value]bool{}}
	abc, err := py.DefineClass(nil, "abc", "ABC", nil, nil, map[string]starlark.Value{}, meta)
	if err != nil {
		panic(err) // ABC is well formed
	}
	return &starlarkstruct.Module{Name: "abc", Members: starlark.StringDict{
		"ABC":            abc,
		"ABCMeta":        meta,
		"abstractmethod": py.Func("abstractmethod", meta.abstractMethod),
	}}
}

// metaclass is abc.ABCMeta; it knows the functions abstractmethod marked
// (kstar's functions have no attributes to mark them with), which the
// parallel calls of a loaded script may mark and look up at once.
type metaclass struct {
	mu       sync.Mutex
	abstract map[starlark.Value]bool
}

func (*metaclass) String() string        { return "<class 'abc.ABCMeta'>" }
func (*metaclass) Type() string          { return "type" }
func (*metaclass) Freeze()               {}
func (*metaclass) Truth() starlark.Bool  { return true }
func (*metaclass) Hash() (uint32, error) { return starlark.String("abc.ABCMeta").Hash() }

// abstractMethod is abstractmethod(f): f, marked abstract.
func (m *metaclass) abstractMethod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var f starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &f); err != nil {
		return nil, err
	}
	if isHashable(f) {
		m.mu.Lock()
		m.abstract[f] = true
		m.mu.Unlock()
	}
	return f, nil
}

// isHashable reports whether f may be a key of a Go map (functions and
// other pointers may, tuples may not).
func isHashable(f starlark.Value) bool { return reflect.TypeOf(f).Comparable() }

// isAbstract reports whether a class attribute is abstract: a function
// abstractmethod marked, or a property, classmethod or staticmethod of
// one.
func (m *metaclass) isAbstract(v starlark.Value) bool {
	if v == nil || !isHashable(v) {
		return false
	}
	if m.marked(v) {
		return true
	}
	ha, ok := v.(starlark.HasAttrs)
	if !ok {
		return false
	}
	var parts []string
	switch v.(type) {
	case *py.Property:
		parts = []string{"fget", "fset", "fdel"}
	default:
		if t := v.Type(); t == "classmethod" || t == "staticmethod" {
			parts = []string{"__func__"}
		}
	}
	for _, p := range parts {
		if f, _ := ha.Attr(p); f != nil && isHashable(f) && m.marked(f) {
			return true
		}
	}
	return false
}

// marked reports whether abstractmethod marked f.
func (m *metaclass) marked(f starlark.Value) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.abstract[f]
}

// NewClass finds the abstract methods the class c has left.
func (m *metaclass) NewClass(thread *starlark.Thread, c *py.Class) (starlark.Value, error) {
	a := &abstractClass{Class: c}
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] && m.isAbstract(c.Lookup(name)) {
			seen[name] = true
			a.abstract = append(a.abstract, name)
		}
	}
	for _, name := range c.Names() {
		add(name)
	}
	for _, b := range c.Bases() {
		if base, ok := b.Value().(*abstractClass); ok {
			for _, name := range base.abstract {
				add(name)
			}
		}
	}
	sort.Strings(a.abstract)
	return a, nil
}

// abstractClass is a class ABCMeta made.
type abstractClass struct {
	*py.Class
	abstract []string // the abstract methods left, sorted
}

var _ py.ClassValue = (*abstractClass)(nil)

// ScriptClass is the class.
func (a *abstractClass) ScriptClass() *py.Class { return a.Class }

// CallInternal makes an instance, unless abstract methods are left.
func (a *abstractClass) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if n := len(a.abstract); n > 0 {
		s := ""
		if n > 1 {
			s = "s"
		}
		return nil, py.Errorf(py.TypeError, "Can't instantiate abstract class %s with abstract method%s %s", a.Name(), s, strings.Join(a.abstract, ", "))
	}
	return a.Class.CallInternal(thread, args, kwargs)
}

// Attr adds __abstractmethods__ to the class's attributes.
func (a *abstractClass) Attr(name string) (starlark.Value, error) {
	if name == "__abstractmethods__" {
		s := starlark.NewSet(len(a.abstract))
		for _, n := range a.abstract {
			if err := s.Insert(starlark.String(n)); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	return a.Class.Attr(name)
}
