package py

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"go.starlark.net/starlark"
)

// A Cell is a variable of lowered code kept in a box (runtime's cells).
// The namespace a class body returns holds the cells of the names the
// body deletes, binds in a try or with :=; the class gets the names
// bound when the body ends.
type Cell interface {
	starlark.Value
	// Value is the variable's value, nil when it is unbound.
	Value() starlark.Value
	// BoundAt orders the bindings of class bodies' variables: it grows
	// each time one of them goes from unbound to bound. A class orders
	// the names its body keeps in cells by it (a name deleted and bound
	// again goes after those bound before, as in CPython's namespace).
	BoundAt() uint64
}

// buildClass is __build_class__(body, name, qualname, bases, keywords).
func buildClass(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var body starlark.Callable
	var name, qualname string
	var bases starlark.Tuple
	var keywords *starlark.Dict
	if err := starlark.UnpackPositionalArgs(BuildClassFunc, args, kwargs, 5, &body, &name, &qualname, &bases, &keywords); err != nil {
		return nil, err
	}
	bases = mroEntries(bases)
	if len(bases) == 1 {
		if maker, ok := bases[0].(ClassMaker); ok {
			ns, err := runClassBody(thread, body, &classCell{})
			if err != nil {
				return nil, err
			}
			return maker.MakeClass(thread, name, ns, keywords)
		}
	}
	var meta Metaclass
	var subclassArgs []starlark.Tuple // the class statement's keywords for __init_subclass__
	for _, item := range keywords.Items() {
		if item[0] != starlark.String("metaclass") {
			subclassArgs = append(subclassArgs, item)
			continue
		}
		if meta, _ = item[1].(Metaclass); meta == nil {
			return nil, Errorf(TypeError, "kstar does not support metaclasses (class %s)", name)
		}
	}
	c := &Class{name: name, qualname: qualname, module: "__main__", interp: InterpOf(thread), origin: thread}
	var mixins []*Type
	for _, bv := range bases {
		base := AsClass(bv)
		if base == nil {
			if t, ok := bv.(*Type); ok {
				mixins = append(mixins, t)
				continue
			}
			return nil, Errorf(TypeError, "bases must be classes, not %s", TypeName(bv))
		}
		if slices.Contains(c.bases, base) {
			return nil, Errorf(TypeError, "duplicate base class %s", base.name)
		}
		c.bases = append(c.bases, base)
	}
	if err := c.linearize(); err != nil {
		return nil, err
	}
	mro := c.mro
	if err := c.takeMixins(meta, mixins); err != nil {
		return nil, err
	}
	var native *Class
	for _, k := range mro[1:] {
		if k.native == nil {
			continue
		}
		if native != nil && !compatibleNatives(native, k) {
			return nil, Errorf(TypeError, "multiple bases have instance lay-out conflict")
		}
		if native == nil {
			native = k
		}
	}
	cell := &classCell{}
	ns, err := runClassBody(thread, body, cell)
	if err != nil {
		return nil, err
	}
	c.dict = make(map[string]starlark.Value, len(ns))
	for _, item := range ns {
		k := string(item[0].(starlark.String))
		if unsupportedMethods[k] {
			return nil, Errorf(TypeError, "kstar does not support %s (class %s)", k, name)
		}
		if _, isFunc := item[1].(*starlark.Function); isFunc && k == "__init_subclass__" {
			item[1] = &classMethod{item[1]} // implicitly a classmethod, as in CPython
		}
		c.dict[k] = item[1]
		c.order = append(c.order, k)
	}
	for _, k := range mro {
		if k.native != nil || k == ObjectType {
			continue
		}
		for n := range k.dict {
			c.container = c.container || containerMethods[n] || n == "__next__"
			c.iterator = c.iterator || n == "__next__"
		}
	}
	for _, k := range mro[1:] {
		var base *ExceptionClass
		switch {
		case k.exc != nil:
			base = k.exc
		case k.native != nil:
			base, _ = k.native.(*ExceptionClass)
		}
		if base != nil {
			c.exc = &ExceptionClass{ClassName: name, Module: "__main__", Base: base, User: c}
			c.container, c.iterator = false, false
			break
		}
	}
	if err := c.applyMeta(thread, meta); err != nil {
		return nil, err
	}
	cell.cls = c.face()
	if err := c.initSubclass(thread, subclassArgs); err != nil {
		return nil, err
	}
	return c.face(), nil
}

// initSubclass calls the __init_subclass__ of c's nearest base that has
// one with the class statement's keywords, as type.__new__ does once the
// class is made (object's takes none).
func (c *Class) initSubclass(thread *starlark.Thread, kwargs []starlark.Tuple) error {
	for _, k := range c.mro[1:] {
		if m, ok := k.dict["__init_subclass__"].(*classMethod); ok {
			_, err := starlark.Call(thread, m.fn, starlark.Tuple{c.face()}, kwargs)
			return err
		}
	}
	return nil
}

// objectInitSubclass is object.__init_subclass__: it takes no keywords.
func objectInitSubclass(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, Errorf(TypeError, "__init_subclass__() takes exactly one argument (the class)")
	}
	if len(kwargs) > 0 {
		name := TypeName(args[0])
		if k := AsClass(args[0]); k != nil {
			name = k.name
		}
		return nil, Errorf(TypeError, "%s.__init_subclass__() takes no keyword arguments", name)
	}
	return starlark.None, nil
}

// linearize sets c's method resolution order from its bases (object
// when it names none).
func (c *Class) linearize() error {
	if len(c.bases) == 0 {
		c.bases = []*Class{ObjectType}
	}
	mro, err := c3(c)
	if err != nil {
		return err
	}
	c.mro = mro
	return nil
}

// runClassBody runs a class body: the names it bound, in the order of
// the class's namespace, with their values.
func runClassBody(thread *starlark.Thread, body starlark.Callable, cell *classCell) ([]starlark.Tuple, error) {
	ns, err := starlark.Call(thread, body, starlark.Tuple{cell}, nil)
	if err != nil {
		return nil, err
	}
	d, ok := ns.(*starlark.Dict)
	if !ok {
		return nil, Errorf(SystemError, "class body returned %s", TypeName(ns))
	}
	items := namespaceOrder(d.Items())
	out := items[:0]
	for _, item := range items {
		if cell, ok := item[1].(Cell); ok {
			v := cell.Value()
			if v == nil {
				continue // del NAME in the body
			}
			item = starlark.Tuple{item[0], v}
		}
		out = append(out, item)
	}
	return out, nil
}

// ClassMaker is implemented by a base that makes the class of a class
// statement deriving from it alone, as a metaclass would: class
// P(typing.NamedTuple) makes a namedtuple class. MakeClass gets the
// names the class body bound, in order, with their values, and the
// class statement's keywords (class M(TypedDict, total=False)).
type ClassMaker interface {
	starlark.Value
	MakeClass(thread *starlark.Thread, name string, namespace []starlark.Tuple, keywords *starlark.Dict) (starlark.Value, error)
}

// MROEntrier is implemented by a value that stands for other bases in a
// class statement, as Python's __mro_entries__: typing.Generic[T] and
// typing.Protocol stand for none.
type MROEntrier interface {
	starlark.Value
	MROEntries() starlark.Tuple
}

// mroEntries replaces each MROEntrier in bases with the bases it stands
// for.
func mroEntries(bases starlark.Tuple) starlark.Tuple {
	for i, b := range bases {
		if _, ok := b.(MROEntrier); ok {
			out := append(starlark.Tuple(nil), bases[:i]...)
			for _, b := range bases[i:] {
				if m, ok := b.(MROEntrier); ok {
					out = append(out, m.MROEntries()...)
				} else {
					out = append(out, b)
				}
			}
			return out
		}
	}
	return bases
}

// unsupportedMethods are the special methods kstar would ignore, so a
// class that defines one is refused rather than run wrongly.
var unsupportedMethods = map[string]bool{"__new__": true, "__getattribute__": true, "__set_name__": true, "__class_getitem__": true}

// compatibleNatives reports whether one class may derive from both Go
// classes a and b: exception classes share one layout; other Go classes
// stand alone.
func compatibleNatives(a, b *Class) bool {
	_, ok1 := a.native.(*ExceptionClass)
	_, ok2 := b.native.(*ExceptionClass)
	return ok1 && ok2
}

// c3 is the C3 linearisation of c's bases: Python's method resolution
// order.
func c3(c *Class) ([]*Class, error) {
	var seqs [][]*Class
	for _, b := range c.bases {
		seqs = append(seqs, append([]*Class(nil), b.mro...))
	}
	seqs = append(seqs, append([]*Class(nil), c.bases...))
	out := []*Class{c}
	for {
		var nonEmpty [][]*Class
		for _, s := range seqs {
			if len(s) > 0 {
				nonEmpty = append(nonEmpty, s)
			}
		}
		if len(nonEmpty) == 0 {
			return out, nil
		}
		seqs = nonEmpty
		var next *Class
		for _, s := range seqs {
			cand := s[0]
			inTail := false
			for _, t := range seqs {
				for _, x := range t[1:] {
					if x == cand {
						inTail = true
					}
				}
			}
			if !inTail {
				next = cand
				break
			}
		}
		if next == nil { // CPython names the classes left at the heads
			var names []string
			for _, s := range seqs {
				if !slices.Contains(names, s[0].name) {
					names = append(names, s[0].name)
				}
			}
			return nil, Errorf(TypeError, "Cannot create a consistent method resolution\norder (MRO) for bases %s", strings.Join(names, ", "))
		}
		out = append(out, next)
		for i, s := range seqs {
			if s[0] == next {
				seqs[i] = s[1:]
			}
		}
	}
}

// nativeClasses are the wrappers of Go-defined classes, one per class so
// that method resolution orders compare them by identity.
var nativeClasses sync.Map // starlark.Value → *Class

// nativeClass returns the Class standing for a Go-defined class: an
// exception class (its bases from its Base chain) or a Subclassable.
func nativeClass(v starlark.Value) *Class {
	if c, ok := nativeClasses.Load(v); ok {
		return c.(*Class)
	}
	c := &Class{native: v, dict: map[string]starlark.Value{}}
	switch n := v.(type) {
	case *ExceptionClass:
		c.name, c.qualname, c.module = n.ClassName, n.ClassName, n.Module
		c.dict["__init__"] = Func("__init__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) == 0 {
				return nil, Errorf(TypeError, "descriptor '__init__' of '%s' object needs an argument", n.ClassName)
			}
			return starlark.None, initNative(thread, args[0], c, args[1:], kwargs)
		})
		c.mro = []*Class{c}
		if n.Base != nil {
			c.bases = []*Class{nativeClass(n.Base)}
			c.mro = append(c.mro, c.bases[0].mro...)
		} else {
			c.bases = []*Class{ObjectType}
			c.mro = append(c.mro, ObjectType)
		}
	case Subclassable:
		c.name, c.qualname = n.Name(), n.Name()
		if r := n.String(); strings.HasPrefix(r, "<class '") {
			q := strings.TrimSuffix(strings.TrimPrefix(r, "<class '"), "'>")
			if i := strings.LastIndexByte(q, '.'); i > 0 {
				c.module = q[:i]
			}
		}
		c.dict["__init__"] = Func("__init__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) == 0 || objectOf(args[0]) == nil {
				return nil, Errorf(TypeError, "descriptor '__init__' of '%s' object needs an argument", n.Name())
			}
			return starlark.None, initNative(thread, args[0], c, args[1:], kwargs)
		})
		c.bases = []*Class{ObjectType}
		c.mro = []*Class{c, ObjectType}
	default:
		return nil
	}
	c.order = []string{"__init__"}
	actual, _ := nativeClasses.LoadOrStore(v, c)
	return actual.(*Class)
}

// SubclassInit returns c.__init__ as a script's class derived from c
// calls it explicitly (Base.__init__(self, *args)): it makes the Go part
// of the instance self with NewPart. A Subclassable that has attributes
// returns it from Attr("__init__").
func SubclassInit(c Subclassable) starlark.Value { return nativeClass(c).dict["__init__"] }

// namespaceOrder puts the names a class body returns in the order it
// bound them: those in cells by when they were bound (Cell.BoundAt), in
// the places the cells have; the others, bound once, where they are.
func namespaceOrder(items []starlark.Tuple) []starlark.Tuple {
	var cells []starlark.Tuple
	for _, item := range items {
		if _, ok := item[1].(Cell); ok {
			cells = append(cells, item)
		}
	}
	if len(cells) < 2 {
		return items
	}
	slices.SortStableFunc(cells, func(a, b starlark.Tuple) int {
		return cmp.Compare(a[1].(Cell).BoundAt(), b[1].(Cell).BoundAt())
	})
	for i, item := range items {
		if _, ok := item[1].(Cell); ok {
			items[i], cells = cells[0], cells[1:]
		}
	}
	return items
}

// classCell holds the class a class statement makes, for its methods'
// super() and __class__; it is set once the class exists.
type classCell struct{ cls starlark.Value }

func (c *classCell) String() string        { return "<cell>" }
func (c *classCell) Type() string          { return "cell" }
func (c *classCell) Freeze()               {}
func (c *classCell) Truth() starlark.Bool  { return true }
func (c *classCell) Hash() (uint32, error) { return uint32(identity(c)), nil }

// Attr is the class (cls), once made.
func (c *classCell) Attr(name string) (starlark.Value, error) {
	if name != "cls" {
		return nil, nil
	}
	if c.cls == nil {
		return nil, Errorf(NameError, "__class__ not set defining the class")
	}
	return c.cls, nil
}
func (c *classCell) AttrNames() []string { return []string{"cls"} }

// zeroArgSuper is __super__(cell, self): super() in a method.
func zeroArgSuper(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cell, ok := args[0].(*classCell)
	if !ok || len(args) != 2 {
		return nil, Errorf(RuntimeError, "super(): __class__ cell not found")
	}
	if cell.cls == nil {
		return nil, Errorf(RuntimeError, "super(): empty __class__ cell")
	}
	if args[1] == starlark.None {
		return nil, Errorf(RuntimeError, "super(): no arguments")
	}
	return newSuper(cell.cls, args[1])
}

// pySuper is super(type, obj).
func pySuper(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, Errorf(RuntimeError, "super(): no arguments")
	}
	if len(args) != 2 || len(kwargs) > 0 {
		return nil, Errorf(TypeError, "kstar supports super() and super(type, obj)")
	}
	return newSuper(args[0], args[1])
}

func newSuper(typ, obj starlark.Value) (starlark.Value, error) {
	start := AsClass(typ)
	if start == nil {
		return nil, Errorf(TypeError, "super() argument 1 must be a type, not %s", TypeName(typ))
	}
	objClass := classOf(obj)
	if k := AsClass(obj); k != nil && objClass == nil {
		objClass = k // super(cls, cls) in a classmethod
	}
	if objClass == nil || !objClass.IsSubclass(start) {
		return nil, Errorf(TypeError, "super(type, obj): obj must be an instance or subtype of type")
	}
	return &superObject{start: start, self: obj, class: objClass}, nil
}

// superObject is super(): attribute lookup from the class after start in
// the instance's method resolution order.
type superObject struct {
	start *Class
	self  starlark.Value
	class *Class
}

func (s *superObject) String() string {
	return "<super: <class '" + s.start.name + "'>, <" + s.class.name + " object>>"
}
func (s *superObject) Type() string          { return "super" }
func (s *superObject) Freeze()               {}
func (s *superObject) Truth() starlark.Bool  { return true }
func (s *superObject) Hash() (uint32, error) { return uint32(identity(s)), nil }
func (s *superObject) AttrNames() []string   { return nil }

// Attr finds name in the classes after start, bound to the instance.
func (s *superObject) Attr(name string) (starlark.Value, error) {
	mro := s.class.mro
	i := 0
	for i < len(mro) && mro[i] != s.start {
		i++
	}
	for _, k := range mro[i+1:] {
		if v, ok := k.dict[name]; ok {
			if p, ok := v.(*Property); ok {
				return p.get(nil, s.self)
			}
			return bindAttr(s.self, s.class, k, v), nil
		}
		if k.native != nil {
			o := objectOf(s.self)
			if o == nil {
				continue
			}
			part := s.self
			if _, isExc := k.native.(*ExceptionClass); !isExc {
				var err error
				if part, err = o.Part(nil); err != nil {
					return nil, err
				}
			}
			if v, err := nativeAttr(part, name); err != nil || v != nil {
				return v, err
			}
		}
	}
	return nil, Errorf(AttributeError, "'super' object has no attribute '%s'", name)
}

// staticMethod is staticmethod(f): the function, unbound, from a class or
// an instance.
type staticMethod struct{ fn starlark.Value }

func (m *staticMethod) String() string        { return "<staticmethod(" + Repr(m.fn) + ")>" }
func (m *staticMethod) Type() string          { return "staticmethod" }
func (m *staticMethod) Freeze()               {}
func (m *staticMethod) Truth() starlark.Bool  { return true }
func (m *staticMethod) Hash() (uint32, error) { return uint32(identity(m)), nil }

// Attr is __func__, the function.
func (m *staticMethod) Attr(name string) (starlark.Value, error) { return funcAttr(m.fn, name), nil }
func (m *staticMethod) AttrNames() []string                      { return []string{"__func__"} }

// classMethod is classmethod(f): f bound to the class.
type classMethod struct{ fn starlark.Value }

func (m *classMethod) String() string        { return "<classmethod(" + Repr(m.fn) + ")>" }
func (m *classMethod) Type() string          { return "classmethod" }
func (m *classMethod) Freeze()               {}
func (m *classMethod) Truth() starlark.Bool  { return true }
func (m *classMethod) Hash() (uint32, error) { return uint32(identity(m)), nil }

// Attr is __func__, the function.
func (m *classMethod) Attr(name string) (starlark.Value, error) { return funcAttr(m.fn, name), nil }
func (m *classMethod) AttrNames() []string                      { return []string{"__func__"} }

// funcAttr is the attribute name of a staticmethod or classmethod of
// fn: __func__, or nil.
func funcAttr(fn starlark.Value, name string) starlark.Value {
	if name == "__func__" {
		return fn
	}
	return nil
}

// Property is property(fget, fset, fdel, doc): a computed attribute.
type Property struct {
	fget, fset, fdel, doc starlark.Value
}

// NewProperty returns property(fget, fset): an attribute computed by
// fget, which gets the instance, and set by fset (None: it cannot be).
func NewProperty(fget, fset starlark.Value) *Property {
	return &Property{fget: fget, fset: fset, fdel: starlark.None, doc: starlark.None}
}

func newProperty(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	p := &Property{fget: starlark.None, fset: starlark.None, fdel: starlark.None, doc: starlark.None}
	if err := starlark.UnpackArgs("property", args, kwargs, "fget?", &p.fget, "fset?", &p.fset, "fdel?", &p.fdel, "doc?", &p.doc); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Property) String() string        { return "<property object at " + hexID(p) + ">" }
func (p *Property) Type() string          { return "property" }
func (p *Property) Freeze()               {}
func (p *Property) Truth() starlark.Bool  { return true }
func (p *Property) Hash() (uint32, error) { return uint32(identity(p)), nil }

// Attr exposes setter, getter, deleter, fget, fset, fdel and __doc__.
func (p *Property) Attr(name string) (starlark.Value, error) {
	with := func(set func(q *Property, f starlark.Value)) starlark.Value {
		return Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			f, err := oneArg(b, args, kwargs)
			if err != nil {
				return nil, err
			}
			q := *p
			set(&q, f)
			return &q, nil
		})
	}
	switch name {
	case "setter":
		return with(func(q *Property, f starlark.Value) { q.fset = f }), nil
	case "getter":
		return with(func(q *Property, f starlark.Value) { q.fget = f }), nil
	case "deleter":
		return with(func(q *Property, f starlark.Value) { q.fdel = f }), nil
	case "fget":
		return p.fget, nil
	case "fset":
		return p.fset, nil
	case "fdel":
		return p.fdel, nil
	case "__doc__":
		return p.doc, nil
	}
	return nil, nil
}

// AttrNames lists the attributes Attr answers.
func (p *Property) AttrNames() []string {
	return []string{"__doc__", "deleter", "fdel", "fget", "fset", "getter", "setter"}
}

func (p *Property) get(thread *starlark.Thread, self starlark.Value) (starlark.Value, error) {
	if p.fget == starlark.None {
		return nil, Errorf(AttributeError, "property %s of '%s' object has no getter", p.nameRepr(), ClassName(self))
	}
	return callMethod(thread, classOf(self), "fget", p.fget, self, nil, nil)
}

func (p *Property) set(thread *starlark.Thread, self, v starlark.Value) error {
	if p.fset == starlark.None {
		return Errorf(AttributeError, "property %s of '%s' object has no setter", p.nameRepr(), ClassName(self))
	}
	_, err := callMethod(thread, classOf(self), "fset", p.fset, self, starlark.Tuple{v}, nil)
	return err
}

// nameRepr is the quoted name of the property's getter, as CPython names
// the property in its errors.
func (p *Property) nameRepr() string {
	if f, ok := p.fget.(starlark.Callable); ok {
		return "'" + f.Name() + "'"
	}
	return "'?'"
}

func hexID(v starlark.Value) string { return "0x" + strings.TrimLeft(HexN(int(identity(v)), 12), "0") }
