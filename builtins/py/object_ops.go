package py

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// The dunder methods of script classes, through the Go interfaces that
// Starlark's operators and kstar's builtins use. Those called without a
// thread run the method on the interpreter's current thread.

var (
	_ starlark.HasAttrs    = (*Object)(nil)
	_ starlark.HasSetField = (*Object)(nil)
	_ starlark.Comparable  = (*Object)(nil)
	_ starlark.HasBinary   = (*Object)(nil)
	_ starlark.HasUnary    = (*Object)(nil)
	_ starlark.Callable    = (*Object)(nil)
	_ Nexter               = (*IteratorObject)(nil)
	_ Reprer               = (*Object)(nil)
	_ PyStrer              = (*Object)(nil)
	_ starlark.Sequence    = (*ContainerObject)(nil)
	_ starlark.HasSetKey   = (*ContainerObject)(nil)
	_ starlark.Container   = (*ContainerObject)(nil)
)

// call calls the script's method name on o with args; ok is false when
// the class has none.
func (o *Object) call(thread *starlark.Thread, name string, args ...starlark.Value) (v starlark.Value, ok bool, err error) {
	fn := o.class.scriptMethod(name)
	if fn == nil {
		return nil, false, nil
	}
	v, err = callMethod(thread, o.class, name, fn, o.face, args, nil)
	return v, true, err
}

// Truth is __bool__, else __len__ != 0, else true.
func (o *Object) Truth() starlark.Bool {
	if v, ok, err := o.call(nil, "__bool__"); ok {
		b, isBool := v.(starlark.Bool)
		return starlark.Bool(err != nil || !isBool || bool(b))
	}
	if v, ok, err := o.call(nil, "__len__"); ok && err == nil {
		return v.Truth()
	}
	return true
}

// Hash is __hash__; a class that defines __eq__ without __hash__ makes
// unhashable instances, as in Python; else the identity.
func (o *Object) Hash() (uint32, error) {
	h, owner := o.class.lookup("__hash__")
	_, eqOwner := o.class.lookup("__eq__")
	if h == starlark.None || owner == nil && eqOwner != nil && eqOwner != ObjectType {
		return 0, Errorf(TypeError, "unhashable type: '%s'", o.class.name)
	}
	if owner != nil && owner.native == nil && owner != ObjectType {
		v, _, err := o.call(nil, "__hash__")
		if err != nil {
			return 0, err
		}
		i, ok := v.(starlark.Int)
		if !ok {
			return 0, Errorf(TypeError, "__hash__ method should return an integer")
		}
		x, _ := i.Int64()
		return uint32(x) ^ uint32(x>>32), nil
	}
	id := identity(o.face)
	return uint32(id>>4) ^ uint32(id>>36), nil
}

// CompareSameType is __eq__, __lt__... (and their reflections), else
// identity for == and !=.
func (o *Object) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	names := compareMethods[op]
	var thread *starlark.Thread // callMethod finds one
	v, ok, err := o.call(thread, names[0], y)
	if err != nil {
		return false, err
	}
	if ok && v != NotImplemented {
		return bool(v.Truth()), nil
	}
	if yo := objectOf(y); yo != nil {
		v, ok, err := yo.call(thread, names[1], o.face)
		if err != nil {
			return false, err
		}
		if ok && v != NotImplemented {
			return bool(v.Truth()), nil
		}
	}
	switch op {
	case syntax.EQL:
		return o.face == y, nil
	case syntax.NEQ:
		if v, ok, err := o.call(thread, "__eq__", y); ok && v != NotImplemented {
			return !bool(v.Truth()), err
		}
		return o.face != y, nil
	}
	return false, Errorf(TypeError, "'%s' not supported between instances of '%s' and '%s'", op, o.class.name, ClassName(y))
}

// binaryMethods are the methods of the arithmetic operators: the method,
// and the reflected one.
var binaryMethods = map[syntax.Token][2]string{
	syntax.PLUS: {"__add__", "__radd__"}, syntax.MINUS: {"__sub__", "__rsub__"},
	syntax.STAR: {"__mul__", "__rmul__"}, syntax.SLASH: {"__truediv__", "__rtruediv__"},
	syntax.SLASHSLASH: {"__floordiv__", "__rfloordiv__"}, syntax.PERCENT: {"__mod__", "__rmod__"},
	syntax.AMP: {"__and__", "__rand__"}, syntax.PIPE: {"__or__", "__ror__"},
	syntax.CIRCUMFLEX: {"__xor__", "__rxor__"}, syntax.LTLT: {"__lshift__", "__rlshift__"},
	syntax.GTGT: {"__rshift__", "__rrshift__"},
}

// Binary is x OP y with __add__ and the other arithmetic methods, or
// __radd__... when the instance is on the right.
func (o *Object) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	names, ok := binaryMethods[op]
	if !ok {
		return nil, nil
	}
	name := names[0]
	if side == starlark.Right {
		name = names[1]
	}
	v, ok, err := o.call(nil, name, y)
	if err != nil || !ok || v == NotImplemented {
		return nil, err
	}
	return v, nil
}

// objectPow is x ** y (pow(x, y, mod)) with __pow__, or __rpow__ of an
// instance on the right; ok is false when neither operand's class has
// the method.
func objectPow(thread *starlark.Thread, x, y, mod starlark.Value) (starlark.Value, bool, error) {
	args := []starlark.Value{y}
	if mod != starlark.None {
		args = append(args, mod)
	}
	if o := objectOf(x); o != nil {
		if v, ok, err := o.call(thread, "__pow__", args...); ok && (err != nil || v != NotImplemented) {
			return v, true, err
		}
	}
	if o := objectOf(y); o != nil && mod == starlark.None {
		if v, ok, err := o.call(thread, "__rpow__", x); ok && (err != nil || v != NotImplemented) {
			return v, true, err
		}
	}
	return nil, false, nil
}

// Unary is -x, +x and ~x with __neg__, __pos__ and __invert__.
func (o *Object) Unary(op syntax.Token) (starlark.Value, error) {
	name := map[syntax.Token]string{syntax.MINUS: "__neg__", syntax.PLUS: "__pos__", syntax.TILDE: "__invert__"}[op]
	if name == "" {
		return nil, nil
	}
	v, _, err := o.call(nil, name)
	return v, err
}

// CallInternal is __call__.
func (o *Object) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	fn := o.class.scriptMethod("__call__")
	if fn == nil {
		return nil, Errorf(TypeError, "'%s' object is not callable", o.class.name)
	}
	return callMethod(thread, o.class, "__call__", fn, o.face, args, kwargs)
}

// Next is next(o): __next__, with StopIteration ending the iteration.
func (it *IteratorObject) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	o := it.Object
	v, ok, err := o.call(thread, "__next__")
	if !ok {
		return nil, false, Errorf(TypeError, "'%s' object is not an iterator", o.class.name)
	}
	if err != nil {
		if e := AsException(err); e != nil && e.Class.IsSubclass(StopIteration) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return v, true, nil
}

// iterator is iter(o): __iter__'s result, or for a class with only
// __getitem__, an iterator calling it with 0, 1, ... until IndexError.
func (o *Object) iterator(thread *starlark.Thread) (starlark.Value, error) {
	it, ok, err := o.call(thread, "__iter__")
	if err != nil {
		return nil, err
	}
	if ok {
		_, isIter := it.(Nexter)
		_, isIterable := it.(starlark.Iterable)
		if !isIter && (!isIterable || objectOf(it) != nil) {
			return nil, Errorf(TypeError, "iter() returned non-iterator of type '%s'", TypeName(it))
		}
		return it, nil
	}
	if o.class.scriptMethod("__getitem__") != nil {
		return &getitemIterator{o: o}, nil
	}
	return nil, Errorf(TypeError, "'%s' object is not iterable", o.class.name)
}

// getitemIterator iterates with __getitem__(0), __getitem__(1)...
type getitemIterator struct {
	o *Object
	i int
}

func (it *getitemIterator) String() string {
	return fmt.Sprintf("<iterator object at %#x>", identity(it))
}
func (it *getitemIterator) Type() string          { return "iterator" }
func (it *getitemIterator) Freeze()               {}
func (it *getitemIterator) Truth() starlark.Bool  { return true }
func (it *getitemIterator) Hash() (uint32, error) { return uint32(identity(it)), nil }
func (it *getitemIterator) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	v, _, err := it.o.call(thread, "__getitem__", starlark.MakeInt(it.i))
	if err != nil {
		if e := AsException(err); e != nil && (e.Class.IsSubclass(IndexError) || e.Class.IsSubclass(StopIteration)) {
			return nil, false, nil
		}
		return nil, false, err
	}
	it.i++
	return v, true, nil
}

// iterateNexter runs a Nexter as a Starlark iterator on thread; an error
// stops the script (Fail).
type nexterIterator struct {
	thread *starlark.Thread
	n      Nexter
}

func (it *nexterIterator) Next(p *starlark.Value) bool {
	v, ok, err := it.n.Next(it.thread)
	if err != nil {
		Fail(it.thread, err)
		return false
	}
	if ok {
		*p = v
	}
	return ok
}
func (it *nexterIterator) Done() {}

// emptyIterator is the iterator of a failed iteration.
type emptyIterator struct{}

func (emptyIterator) Next(*starlark.Value) bool { return false }
func (emptyIterator) Done()                     {}

// Iterate iterates with __iter__ (or __getitem__).
func (c *ContainerObject) Iterate() starlark.Iterator {
	thread := c.class.thread()
	if thread == nil {
		return emptyIterator{}
	}
	it, err := c.iterator(thread)
	if err != nil {
		Fail(thread, err)
		return emptyIterator{}
	}
	if n, ok := it.(Nexter); ok {
		return &nexterIterator{thread: thread, n: n}
	}
	return it.(starlark.Iterable).Iterate()
}

// Len is __len__; -1 (no len) without it.
func (c *ContainerObject) Len() int {
	v, ok, err := c.call(nil, "__len__")
	if !ok || err != nil {
		if err != nil {
			if t := c.class.thread(); t != nil {
				Fail(t, err)
			}
		}
		return -1
	}
	n, err := starlark.AsInt32(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// Has is `x in c`: __contains__, else a search of the iteration.
func (c *ContainerObject) Has(y starlark.Value) (bool, error) {
	thread := c.class.thread()
	if v, ok, err := c.call(thread, "__contains__", y); ok {
		return err == nil && bool(v.Truth()), err
	}
	if thread == nil {
		return false, Errorf(TypeError, "argument of type '%s' is not iterable", c.class.name)
	}
	it, err := c.iterator(thread)
	if err != nil {
		return false, Errorf(TypeError, "argument of type '%s' is not iterable", c.class.name)
	}
	elems, err := elements(thread, it)
	if err != nil {
		return false, err
	}
	for _, x := range elems {
		if eq, err := starlark.Equal(x, y); eq || err != nil {
			return eq, err
		}
	}
	return false, nil
}

// Get is c[k]: __getitem__.
func (c *ContainerObject) Get(k starlark.Value) (starlark.Value, bool, error) {
	v, ok, err := c.call(nil, "__getitem__", k)
	if !ok {
		return nil, false, Errorf(TypeError, "'%s' object is not subscriptable", c.class.name)
	}
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

// SetKey is c[k] = v: __setitem__.
func (c *ContainerObject) SetKey(k, v starlark.Value) error {
	_, ok, err := c.call(nil, "__setitem__", k, v)
	if !ok {
		return Errorf(TypeError, "'%s' object does not support item assignment", c.class.name)
	}
	return err
}

// DelItem is del c[k]: __delitem__.
func (o *Object) DelItem(thread *starlark.Thread, k starlark.Value) error {
	_, ok, err := o.call(thread, "__delitem__", k)
	if !ok {
		return Errorf(TypeError, "'%s' object doesn't support item deletion", o.class.name)
	}
	return err
}

// ItemDeleter is implemented by values whose items del x[k] deletes (a
// script class's instance with __delitem__).
type ItemDeleter interface {
	DelItem(thread *starlark.Thread, k starlark.Value) error
}

// NotImplemented is Python's NotImplemented, which comparison and
// arithmetic methods return to let the other operand try.
var NotImplemented = &singleton{name: "NotImplemented"}

type singleton struct{ name string }

func (s *singleton) String() string        { return s.name }
func (s *singleton) Type() string          { return s.name + "Type" }
func (s *singleton) Freeze()               {}
func (s *singleton) Truth() starlark.Bool  { return true }
func (s *singleton) Hash() (uint32, error) { return starlark.String(s.name).Hash() }

func init() { globals["NotImplemented"] = NotImplemented }
