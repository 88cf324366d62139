package py

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Python's classes made by a script's class statement (frontend/
// lower_class.go lowers them to __build_class__ calls):
//
//   - Class is the class: callable, with its attributes in a dict, its
//     bases and its C3 method resolution order (__mro__). A class derived
//     from an exception class is shown to the script as an ExceptionClass
//     whose User field is the Class, so that raise, except, tracebacks and
//     kafka-python's errbacks treat its instances as the exceptions they
//     are; its instances are *Exception values with an Object for their
//     attributes.
//   - Object is an instance: its attributes, its class, and for a class
//     derived from a Go-defined class (Subclassable), the Go part that
//     class's methods work on.
//   - Attribute lookup follows Python: data descriptors (property) of the
//     class, then the instance's attributes, then the class's (functions
//     bound to the instance, classmethod, staticmethod), then the Go
//     part's, then __getattr__.
//   - Dunder methods take effect through the Go interfaces Starlark and
//     kstar's builtins use (objectops.go); code called without a thread
//     runs them on the interpreter's current thread (Interp.Current).

// The predeclared helpers that lowered class statements call.
const (
	// BuildClassFunc is __build_class__(body, name, qualname, bases,
	// keywords): it runs the class body (body(cell) returns the names it
	// bound) and makes the class.
	BuildClassFunc = "__build_class__"
	// SuperFunc is __super__(cell, self), a method's super().
	SuperFunc = "__super__"
	// DelAttrFunc is __delattr__(x, name), the statement del x.name.
	DelAttrFunc = "__delattr__"
)

// Class is a class made by a class statement, or the wrapper that stands
// for a Go-defined class (object, Exception, ConsumerRebalanceListener) in
// a script class's method resolution order.
type Class struct {
	name, qualname, module string
	bases                  []*Class
	mro                    []*Class
	dict                   map[string]starlark.Value
	order                  []string // dict's keys in definition order
	native                 starlark.Value
	exc                    *ExceptionClass // the class's exception class, when it derives from one
	resolution             atomic.Pointer[resolution]
	frozen                 bool
	container              bool // whether instances are ContainerObjects
	iterator               bool // whether instances are IteratorObjects
	interp                 *Interp
	origin                 *starlark.Thread // the thread that made the class, to spawn threads from
	meta                   Metaclass        // what makes the classes derived from this one, or nil
	shown                  starlark.Value   // the value meta made for the class, which scripts see, or nil
	mixins                 []string         // the builtin types named among the bases, which meta took
}

var (
	_ starlark.Callable    = (*Class)(nil)
	_ starlark.HasAttrs    = (*Class)(nil)
	_ starlark.HasSetField = (*Class)(nil)
	_ InstanceChecker      = (*Class)(nil)
)

// Subclassable is implemented by Go-defined classes that a script's class
// may derive from (class Listener(ConsumerRebalanceListener): ...). The
// instances of such a class are Objects; each holds the Go part NewPart
// makes, whose attributes (the Go class's methods) the instance inherits
// unless the script's class overrides them. NewPart runs as
// Base.__init__(self, *args, **kwargs): when the script's class calls it
// (super().__init__(...)) or has no __init__ of its own; else on first use
// of an inherited Go attribute, with no arguments. self is the instance:
// Go code that must call a method the script may override (Thread.run)
// looks it up with self.Attr.
type Subclassable interface {
	starlark.Value
	Name() string
	NewPart(thread *starlark.Thread, self *Object, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)
}

// ObjectType is Python's object: the root of every class.
var ObjectType = &Class{name: "object", qualname: "object", module: "builtins"}

func init() {
	ObjectType.mro = []*Class{ObjectType}
	ObjectType.dict = map[string]starlark.Value{
		"__init__": Func("__init__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) == 0 {
				return nil, Errorf(TypeError, "descriptor '__init__' of 'object' object needs an argument")
			}
			if len(args) > 1 || len(kwargs) > 0 {
				return nil, Errorf(TypeError, "%s.__init__() takes exactly one argument (the instance to initialize)", ClassName(args[0]))
			}
			return starlark.None, nil
		}),
		"__repr__": Func("__repr__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) != 1 {
				return nil, Errorf(TypeError, "expected 1 argument, got %d", len(args))
			}
			return starlark.String(defaultRepr(args[0])), nil
		}),
		"__setattr__": Func("__setattr__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var self, v starlark.Value
			var name string
			if err := starlark.UnpackPositionalArgs("__setattr__", args, kwargs, 3, &self, &name, &v); err != nil {
				return nil, err
			}
			o := objectOf(self)
			if o == nil {
				return nil, Errorf(TypeError, "can't apply this __setattr__ to %s object", TypeName(self))
			}
			return starlark.None, o.setAttr(thread, name, v, false)
		}),
	}
	ObjectType.dict["__delattr__"] = Func("__delattr__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var self starlark.Value
		var name string
		if err := starlark.UnpackPositionalArgs("__delattr__", args, kwargs, 2, &self, &name); err != nil {
			return nil, err
		}
		o := objectOf(self)
		if o == nil {
			return nil, Errorf(TypeError, "can't apply this __delattr__ to %s object", TypeName(self))
		}
		return starlark.None, o.delAttr(thread, name)
	})
	ObjectType.dict["__init_subclass__"] = &classMethod{Func("__init_subclass__", objectInitSubclass)}
	ObjectType.order = []string{"__init__", "__repr__", "__setattr__", "__delattr__", "__init_subclass__"}
	globals["object"] = ObjectType
	globals["super"] = Func("super", pySuper)
	globals["property"] = Func("property", newProperty)
	globals["staticmethod"] = Func("staticmethod", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		f, err := oneArg(b, args, kwargs)
		return &staticMethod{f}, err
	})
	globals["classmethod"] = Func("classmethod", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		f, err := oneArg(b, args, kwargs)
		return &classMethod{f}, err
	})
	globals["setattr"] = Func("setattr", pySetattr)
	globals["delattr"] = Func("delattr", pyDelattr)
	globals[BuildClassFunc] = Func(BuildClassFunc, buildClass)
	globals[SuperFunc] = Func("super", zeroArgSuper)
	globals[DelAttrFunc] = Func("delattr", pyDelattr)
}

func (c *Class) String() string {
	if c.module == "builtins" {
		return "<class '" + c.qualname + "'>"
	}
	return "<class '" + c.module + "." + c.qualname + "'>"
}
func (c *Class) Type() string { return "type" }
func (c *Class) Freeze() {
	if !c.frozen && c.native == nil && c != ObjectType {
		c.frozen = true
		for _, v := range c.dict {
			v.Freeze()
		}
	}
}
func (c *Class) Truth() starlark.Bool  { return true }
func (c *Class) Hash() (uint32, error) { return uint32(identity(c)>>3) ^ uint32(identity(c)>>35), nil }

// Name is the class's __name__.
func (c *Class) Name() string { return c.name }

// Scripted reports whether a class statement made c (rather than c
// standing for object or a Go-defined class).
func (c *Class) Scripted() bool { return c.native == nil && c != ObjectType }

// face is the value scripts see for c: c, its ExceptionClass, or the Go
// class it stands for.
func (c *Class) face() starlark.Value {
	switch {
	case c.shown != nil:
		return c.shown
	case c.native != nil:
		return c.native
	case c.exc != nil:
		return c.exc
	}
	return c
}

// resolution is a class's attributes resolved through its method
// resolution order, so that an attribute costs one map lookup. It is
// rebuilt when any class's attributes change (classEpoch); once built it
// is never modified, so threads may share it.
type resolution struct {
	epoch      uint64
	attrs      map[string]resolved
	script     map[string]starlark.Value // the script's own methods (above object and Go classes)
	properties bool                      // whether any attribute is a property
	setattr    starlark.Value            // the script's __setattr__, or nil: looked up on each attribute set
}

type resolved struct {
	v     starlark.Value
	owner *Class
}

// classEpoch counts the changes of class attributes (Foo.x = 1).
var classEpoch atomic.Uint64

// resolve returns c's current resolution.
func (c *Class) resolve() *resolution {
	epoch := classEpoch.Load()
	if r := c.resolution.Load(); r != nil && r.epoch == epoch {
		return r
	}
	r := &resolution{epoch: epoch, attrs: map[string]resolved{}, script: map[string]starlark.Value{}}
	for i := len(c.mro) - 1; i >= 0; i-- {
		k := c.mro[i]
		for name, v := range k.dict {
			r.attrs[name] = resolved{v, k}
			if k.native == nil && k != ObjectType {
				r.script[name] = v
			}
		}
	}
	for _, a := range r.attrs {
		if _, ok := a.v.(*Property); ok {
			r.properties = true
		}
	}
	r.setattr = r.script["__setattr__"]
	c.resolution.Store(r)
	return r
}

// lookup finds name in the class's method resolution order: the value and
// the class that holds it (nil, nil when none does).
func (c *Class) lookup(name string) (starlark.Value, *Class) {
	a := c.resolve().attrs[name]
	return a.v, a.owner
}

// scriptMethod finds a method the script defined for name, above the
// Go-defined classes (whose behaviour the Go value itself implements).
func (c *Class) scriptMethod(name string) starlark.Value {
	return c.resolve().script[name]
}

// IsSubclass reports whether c is base or derives from it.
func (c *Class) IsSubclass(base *Class) bool { return slices.Contains(c.mro, base) }

// IsInstance reports whether v is an instance of c.
func (c *Class) IsInstance(v starlark.Value) bool {
	if c == ObjectType {
		return true
	}
	if k := classOf(v); k != nil {
		return k.IsSubclass(c)
	}
	return false
}

// classOf is the Class of a script class's instance, or nil.
func classOf(v starlark.Value) *Class {
	if o := objectOf(v); o != nil {
		return o.class
	}
	return nil
}

// AsClass returns the Class v stands for as a base or in isinstance: a
// script's class (also when it is shown as an ExceptionClass), object, or
// the wrapper of a Go-defined class; nil if v is not a class.
func AsClass(v starlark.Value) *Class {
	switch v := v.(type) {
	case *Class:
		return v
	case ClassValue:
		return v.ScriptClass()
	case *ExceptionClass:
		if v.User != nil {
			return v.User
		}
		return nativeClass(v)
	case Subclassable:
		return nativeClass(v)
	}
	return nil
}

// Attr returns a class attribute: __name__ and the other dunders of
// classes, then what the method resolution order holds (functions as they
// are, classmethods bound to the class, staticmethods' functions), then
// the Go class's own attributes.
func (c *Class) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__":
		return starlark.String(c.name), nil
	case "__qualname__":
		return starlark.String(c.qualname), nil
	case "__module__":
		return starlark.String(c.module), nil
	case "__mro__":
		t := make(starlark.Tuple, len(c.mro))
		for i, k := range c.mro {
			t[i] = k.face()
		}
		return t, nil
	case "__bases__":
		t := make(starlark.Tuple, len(c.bases))
		for i, k := range c.bases {
			t[i] = k.face()
		}
		return t, nil
	case "__base__":
		if len(c.bases) == 0 {
			return starlark.None, nil
		}
		return c.bases[0].face(), nil
	case "__dict__":
		d := starlark.NewDict(len(c.order))
		for _, k := range c.order {
			_ = d.SetKey(starlark.String(k), c.dict[k])
		}
		return d, nil
	case "__class__":
		return TypeType, nil
	case "__doc__":
		if v, ok := c.dict[name]; ok {
			return v, nil
		}
		return starlark.None, nil
	case "__annotations__": // the class's own, never a base's: made empty on first use, as in CPython 3.10+
		if v, ok := c.dict[name]; ok {
			return v, nil
		}
		if c.native == nil && c != ObjectType {
			d := starlark.NewDict(0)
			if !c.frozen {
				_ = c.SetField(name, d)
			}
			return d, nil
		}
	}
	v, _ := c.lookup(name)
	switch f := v.(type) {
	case nil:
	case *classMethod:
		return &BoundMethod{self: c.face(), fn: f.fn}, nil
	case *staticMethod:
		return f.fn, nil
	default:
		return v, nil
	}
	for _, k := range c.mro {
		if k.native == nil {
			continue
		}
		if ha, ok := k.native.(starlark.HasAttrs); ok {
			if v, err := ha.Attr(name); err != nil || v != nil {
				return v, err
			}
		}
	}
	return nil, Errorf(AttributeError, "type object '%s' has no attribute '%s'", c.name, name)
}

// AttrNames lists the class's attributes and its bases'.
func (c *Class) AttrNames() []string {
	seen := map[string]bool{"__name__": true, "__qualname__": true, "__module__": true, "__mro__": true, "__bases__": true, "__dict__": true, "__class__": true, "__doc__": true}
	for _, k := range c.mro {
		for n := range k.dict {
			seen[n] = true
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// SetField sets a class attribute: Foo.count += 1.
func (c *Class) SetField(name string, v starlark.Value) error {
	if c.native != nil || c == ObjectType {
		return Errorf(TypeError, "cannot set '%s' attribute of immutable type '%s'", name, c.name)
	}
	if c.frozen {
		return fmt.Errorf("cannot set attribute '%s' of class %s: it is frozen (shared by parallel calls)", name, c.name)
	}
	defer classEpoch.Add(1)
	if _, ok := c.dict[name]; !ok {
		c.order = append(c.order, name)
	}
	c.dict[name] = v
	c.container = c.container || containerMethods[name]
	c.iterator = c.iterator || name == "__next__"
	return nil
}

// DeleteAttr deletes a class attribute of the class's own: del Foo.x
// (dataclasses removes a field's class attribute made by field()).
func (c *Class) DeleteAttr(name string) error {
	if _, ok := c.dict[name]; !ok || c.native != nil || c == ObjectType {
		return Errorf(AttributeError, "type object '%s' has no attribute '%s'", c.name, name)
	}
	if c.frozen {
		return fmt.Errorf("cannot delete attribute '%s' of class %s: it is frozen (shared by parallel calls)", name, c.name)
	}
	defer classEpoch.Add(1)
	delete(c.dict, name)
	c.order = slices.DeleteFunc(c.order, func(k string) bool { return k == name })
	return nil
}

// CallInternal makes an instance: the Object (or Exception), then
// __init__ with the call's arguments.
func (c *Class) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if c.native != nil {
		return starlark.Call(thread, c.native, args, kwargs)
	}
	self := c.newInstance()
	init, owner := c.lookup("__init__") // object has one, and so has each Go class's wrapper
	if owner == ObjectType && (len(args) > 0 || len(kwargs) > 0) {
		return nil, Errorf(TypeError, "%s() takes no arguments", c.name)
	}
	if owner == ObjectType {
		return self, nil
	}
	if e, ok := self.(*Exception); ok { // BaseException.__new__ keeps the arguments
		e.setArgs(args)
	}
	r, err := callMethod(thread, c, "__init__", init, self, args, kwargs)
	if err != nil {
		return nil, err
	}
	if r != starlark.None {
		return nil, Errorf(TypeError, "__init__() should return None, not '%s'", TypeName(r))
	}
	return self, nil
}

// newInstance makes a new, uninitialised instance of c.
func (c *Class) newInstance() starlark.Value {
	o := &Object{class: c, attrs: map[string]starlark.Value{}}
	switch {
	case c.exc != nil:
		e := &Exception{Class: c.exc, Obj: o}
		o.face = e
	case c.iterator:
		o.face = &IteratorObject{ContainerObject{Object: o}}
	case c.container:
		o.face = &ContainerObject{Object: o}
	default:
		o.face = o
	}
	return o.face
}

// nativeBase is the first Go-defined class in c's method resolution
// order, or nil.
func (c *Class) nativeBase() *Class {
	for _, k := range c.mro {
		if k.native != nil {
			return k
		}
	}
	return nil
}

// Object is an instance of a script's class.
type Object struct {
	class  *Class
	attrs  map[string]starlark.Value
	keys   []string // attrs' keys, in the order they were set
	frozen bool
	face   starlark.Value // the value scripts see: the Object, its ContainerObject or its Exception
	part   starlark.Value // the Go part, for a class derived from a Subclassable
}

// ContainerObject is an instance of a class that defines container
// methods (__iter__, __len__, __getitem__, __setitem__, __contains__):
// Starlark's iteration, len(), x[k] and `in` use them.
type ContainerObject struct{ *Object }

// IteratorObject is an instance of a class that defines __next__: next()
// and kstar's iterator consumers call it.
type IteratorObject struct{ ContainerObject }

// containerMethods are the methods that make a class's instances
// ContainerObjects.
var containerMethods = map[string]bool{"__iter__": true, "__len__": true, "__getitem__": true, "__setitem__": true, "__contains__": true}

// objectOf returns the Object of a script class's instance, or nil.
func objectOf(v starlark.Value) *Object {
	switch v := v.(type) {
	case *Object:
		return v
	case *ContainerObject:
		return v.Object
	case *IteratorObject:
		return v.Object
	case *Exception:
		return v.Obj
	}
	return nil
}

// Class returns the instance's class.
func (o *Object) Class() *Class { return o.class }

// Part returns the Go part of an instance of a class derived from a
// Subclassable, making it (Base.__init__ with no arguments) if the
// script's __init__ did not.
func (o *Object) Part(thread *starlark.Thread) (starlark.Value, error) {
	if o.part == nil {
		if thread == nil {
			thread = o.class.thread()
		}
		if err := initNative(thread, o.face, o.class.nativeBase(), nil, nil); err != nil {
			return nil, err
		}
	}
	return o.part, nil
}

// initNative runs the Go-defined base's __init__ on self.
func initNative(thread *starlark.Thread, self starlark.Value, base *Class, args starlark.Tuple, kwargs []starlark.Tuple) error {
	o := objectOf(self)
	switch n := base.native.(type) {
	case *ExceptionClass:
		if len(kwargs) > 0 {
			return Errorf(TypeError, "%s() takes no keyword arguments", ClassName(self))
		}
		if e, ok := self.(*Exception); ok {
			if n.LeadingArg != "" {
				args = append(starlark.Tuple{starlark.String(n.LeadingArg)}, args...)
			}
			e.setArgs(args)
		}
		return nil
	case Subclassable:
		if thread == nil {
			return Errorf(RuntimeError, "%s.__init__() needs a thread", n.Name())
		}
		part, err := n.NewPart(thread, o, args, kwargs)
		if err != nil {
			return err
		}
		o.part = part
		return nil
	}
	return nil
}

func (o *Object) String() string { return reprOf(o.face) }
func (o *Object) Type() string   { return o.class.name }
func (o *Object) Freeze() {
	if !o.frozen {
		o.frozen = true
		for _, v := range o.attrs {
			v.Freeze()
		}
		o.class.Freeze()
	}
}

// PyClass is type(o).
func (o *Object) PyClass() starlark.Value { return o.class.face() }

// Name is the name of a callable instance's class.
func (o *Object) Name() string { return o.class.name }

// Attr looks name up as Python does (see the file comment).
func (o *Object) Attr(name string) (starlark.Value, error) {
	return o.getAttr(nil, name)
}

func (o *Object) getAttr(thread *starlark.Thread, name string) (starlark.Value, error) {
	r := o.class.resolve()
	if !r.properties { // the common case: no property can hide an instance attribute
		if v, ok := o.attrs[name]; ok {
			return v, nil
		}
	}
	a := r.attrs[name]
	cv, owner := a.v, a.owner
	if p, ok := cv.(*Property); ok {
		return p.get(thread, o.face)
	}
	if v, ok := o.attrs[name]; ok {
		return v, nil
	}
	switch name {
	case "__class__":
		return o.class.face(), nil
	case "__dict__":
		return o.Vars(), nil
	}
	if owner != nil {
		return bindAttr(o.face, o.class, owner, cv), nil
	}
	if base := o.class.nativeBase(); base != nil {
		var part starlark.Value = o.face
		if _, isExc := base.native.(*ExceptionClass); !isExc {
			var err error
			if part, err = o.Part(thread); err != nil {
				return nil, err
			}
		}
		if v, err := nativeAttr(part, name); err != nil || v != nil {
			return v, err
		}
	}
	if ga := r.script["__getattr__"]; ga != nil {
		return callMethod(thread, o.class, "__getattr__", ga, o.face, starlark.Tuple{starlark.String(name)}, nil)
	}
	return nil, Errorf(AttributeError, "'%s' object has no attribute '%s'", o.class.name, name)
}

// nativeAttr is the attribute of a Go value, an Exception's without its
// script class's.
func nativeAttr(v starlark.Value, name string) (starlark.Value, error) {
	if e, ok := v.(*Exception); ok {
		return e.nativeAttr(name)
	}
	if ha, ok := v.(starlark.HasAttrs); ok {
		return ha.Attr(name)
	}
	return nil, nil
}

// bindAttr is a class attribute v, held by class owner, seen through an
// instance self of class c: functions are bound to self (Go functions
// only when they are the methods of object or a Go class: helper = len in
// a class body stays len, as in Python), classmethods to the class.
func bindAttr(self starlark.Value, c, owner *Class, v starlark.Value) starlark.Value {
	switch f := v.(type) {
	case *starlark.Function, MethodLike:
		return &BoundMethod{self: self, fn: v}
	case *starlark.Builtin:
		if owner == ObjectType || owner.native != nil {
			return &BoundMethod{self: self, fn: v}
		}
	case *classMethod:
		return &BoundMethod{self: c.face(), fn: f.fn}
	case *staticMethod:
		return f.fn
	}
	return v
}

// Vars is vars(o): the instance's attributes, in the order they were
// first set (a copy: assigning to it changes no attribute).
func (o *Object) Vars() *starlark.Dict {
	d := starlark.NewDict(len(o.keys))
	for _, k := range o.keys {
		_ = d.SetKey(starlark.String(k), o.attrs[k])
	}
	return d
}

// AttrNames lists the instance's and its class's attributes.
func (o *Object) AttrNames() []string {
	names := o.class.AttrNames()
	for k := range o.attrs {
		names = append(names, k)
	}
	if o.part != nil {
		if ha, ok := o.part.(starlark.HasAttrs); ok {
			names = append(names, ha.AttrNames()...)
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// SetField sets an attribute: a property's setter, __setattr__, or the
// instance's own attribute.
func (o *Object) SetField(name string, v starlark.Value) error {
	return o.setAttr(nil, name, v, true)
}

func (o *Object) setAttr(thread *starlark.Thread, name string, v starlark.Value, hook bool) error {
	r := o.class.resolve()
	if hook {
		if sa := r.setattr; sa != nil {
			_, err := callMethod(thread, o.class, "__setattr__", sa, o.face, starlark.Tuple{starlark.String(name), v}, nil)
			return err
		}
	}
	if r.properties {
		if p, ok := r.attrs[name].v.(*Property); ok {
			return p.set(thread, o.face, v)
		}
	}
	if o.frozen {
		return fmt.Errorf("cannot set attribute '%s' of a frozen %s object (shared by parallel calls)", name, o.class.name)
	}
	n := len(o.attrs)
	o.attrs[name] = v
	if len(o.attrs) > n { // a new attribute (one map operation, not two)
		o.keys = append(o.keys, name)
	}
	return nil
}

// MethodLike is implemented by Go callables that, as class attributes,
// are bound to the instance as functions are (functools.lru_cache's and
// wraps' results).
type MethodLike interface {
	starlark.Callable
	BindsAsMethod()
}

// BoundMethod is a function bound to an instance (obj.method) or, for a
// classmethod, to a class.
type BoundMethod struct {
	self starlark.Value
	fn   starlark.Value
}

var _ starlark.Callable = (*BoundMethod)(nil)

func (m *BoundMethod) String() string {
	return "<bound method " + qualifiedFuncName(m.self, m.fn) + " of " + reprOf(m.self) + ">"
}
func (m *BoundMethod) Type() string         { return "method" }
func (m *BoundMethod) Freeze()              {}
func (m *BoundMethod) Truth() starlark.Bool { return true }
func (m *BoundMethod) Hash() (uint32, error) {
	return uint32(identity(m.self)) ^ uint32(identity(m.fn)), nil
}
func (m *BoundMethod) Name() string { return funcName(m.fn) }

// funcName is the name of a callable.
func funcName(fn starlark.Value) string {
	if c, ok := fn.(starlark.Callable); ok {
		return c.Name()
	}
	return TypeName(fn)
}

// Attr exposes __self__, __func__ and __name__.
func (m *BoundMethod) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__self__":
		return m.self, nil
	case "__func__":
		return m.fn, nil
	case "__name__":
		return starlark.String(funcName(m.fn)), nil
	}
	return nil, nil
}

// AttrNames lists the attributes Attr answers.
func (m *BoundMethod) AttrNames() []string { return []string{"__func__", "__name__", "__self__"} }

// CallInternal calls the function with the instance first.
func (m *BoundMethod) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var c *Class
	if k := AsClass(m.self); k != nil {
		c = k
	} else {
		c = classOf(m.self)
	}
	return callMethod(thread, c, funcName(m.fn), m.fn, m.self, args, kwargs)
}

// qualifiedFuncName is Foo.method for a method of self's class.
func qualifiedFuncName(self starlark.Value, fn starlark.Value) string {
	name := funcName(fn)
	c := AsClass(self)
	if c == nil {
		c = classOf(self)
	}
	if c != nil {
		for _, k := range c.mro {
			if v, ok := k.dict[name]; ok && (v == fn || isWrapping(v, fn)) {
				return k.qualname + "." + name
			}
		}
	}
	return name
}

func isWrapping(v starlark.Value, fn starlark.Value) bool {
	switch v := v.(type) {
	case *classMethod:
		return v.fn == fn
	case *staticMethod:
		return v.fn == fn
	}
	return false
}

// callMethod calls fn with self first. Starlark's complaint about the
// arguments of a method (function __init__ missing 1 argument (x))
// becomes CPython's (Foo.__init__() missing 1 required positional
// argument: 'x').
func callMethod(thread *starlark.Thread, c *Class, name string, fn starlark.Value, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if thread == nil {
		thread = c.thread()
	}
	if thread == nil {
		return nil, Errorf(RuntimeError, "cannot call %s.%s here: no thread of the interpreter is running", ClassName(self), name)
	}
	var all starlark.Tuple
	f, isFunc := fn.(*starlark.Function)
	scratch := isFunc && len(args) < len(c.interpArgs()) && c.interp.Current() == thread
	if scratch {
		all = c.interp.args[:len(args)+1]
	} else {
		all = make(starlark.Tuple, len(args)+1)
	}
	all[0] = self
	copy(all[1:], args)
	r, err := starlark.Call(thread, fn, all, kwargs)
	if scratch {
		clear(all)
	}
	if err != nil {
		if isFunc && c != nil {
			return nil, methodArgError(err, c, f)
		}
		return nil, err
	}
	return r, nil
}

// interpArgs is the interpreter's room for the arguments of a method
// call (nil for a Go class): a Starlark function copies its arguments to
// its locals before it runs anything, so the thread that holds the
// interpreter lock can pass them all in this one array, which the calls
// the method makes use again.
func (c *Class) interpArgs() []starlark.Value {
	if c == nil || c.interp == nil {
		return nil
	}
	return c.interp.args[:]
}

// methodArgError rewrites Starlark's argument errors of a call of
// method f to CPython's wording, with the class's name.
func methodArgError(err error, c *Class, f *starlark.Function) error {
	ee, ok := err.(*starlark.EvalError)
	if !ok || len(ee.CallStack) == 0 || ee.CallStack[len(ee.CallStack)-1].Name != f.Name() {
		return err
	}
	inner := ee.Unwrap()
	if inner == nil || AsException(inner) != nil {
		return err
	}
	msg := inner.Error()
	owner := c.qualname
	for _, k := range c.mro {
		if v, ok := k.dict[f.Name()]; ok && v == starlark.Value(f) {
			owner = k.qualname
			break
		}
	}
	qual := owner + "." + f.Name() + "()"
	prefix := "function " + f.Name() + " "
	if !strings.HasPrefix(msg, prefix) {
		return err
	}
	rest := msg[len(prefix):]
	if m := missingArgs.FindStringSubmatch(rest); m != nil {
		return NewException(TypeError, MissingArgs(qual, m[2], FunctionKwonly(f)))
	}
	if m := tooManyArgs.FindStringSubmatch(rest); m != nil {
		nonkwonly := f.NumParams() - f.NumKwonlyParams()
		if f.HasVarargs() {
			nonkwonly--
		}
		if f.HasKwargs() {
			nonkwonly--
		}
		required := 0
		for i := 0; i < nonkwonly; i++ {
			if f.ParamDefault(i) == nil {
				required++
			}
		}
		given, _ := strconv.Atoi(m[1])
		verb := "were"
		if given == 1 {
			verb = "was"
		}
		takes := strconv.Itoa(nonkwonly)
		if required < nonkwonly {
			takes = "from " + strconv.Itoa(required) + " to " + takes
		}
		return Errorf(TypeError, "%s takes %s positional argument%s but %d %s given", qual, takes, plural(nonkwonly), given, verb)
	}
	if m := keywordArg.FindStringSubmatch(rest); m != nil {
		what := "got an unexpected keyword argument"
		if m[1] != "got an unexpected keyword argument" {
			what = "got multiple values for argument"
		}
		return Errorf(TypeError, "%s %s '%s'", qual, what, strings.Trim(m[2], `"`))
	}
	return err
}

var (
	missingArgs = regexp.MustCompile(`^missing (\d+) arguments? \((.*)\)$`)
	tooManyArgs = regexp.MustCompile(`^accepts (?:at most )?\d+ positional arguments? \((\d+) given\)$`)
	keywordArg  = regexp.MustCompile(`^(got an unexpected keyword argument|got multiple values for parameter) (.*)$`)
)

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// thread is the thread Go code called without one (String, Hash, Attr...)
// runs the class's methods on: the one holding the interpreter, or when
// none does (a parallel call of a loaded script), a new thread of the
// execution that made the class; nil for Go classes.
func (c *Class) thread() *starlark.Thread {
	if c == nil || c.interp == nil {
		return nil
	}
	if t := c.interp.Current(); t != nil {
		return t
	}
	return Spawn(c.origin, "method")
}

// defaultRepr is object.__repr__: <__main__.Foo object at 0x...>.
func defaultRepr(v starlark.Value) string {
	c := classOf(v)
	if c == nil {
		return Repr(v)
	}
	if c.module == "builtins" { // <object object at 0x...>
		return fmt.Sprintf("<%s object at %#x>", c.qualname, identity(v))
	}
	return fmt.Sprintf("<%s.%s object at %#x>", c.module, c.qualname, identity(v))
}

// PartReprer is implemented by the Go part of an instance of a class
// derived from a Subclassable whose repr CPython gives its subclasses
// too (threading.Thread's <MyThread(worker, started 1234)>): ReprOf is
// the repr of self, an instance of the script's class.
type PartReprer interface {
	ReprOf(self *Object) string
}

// reprOf is repr(v) for an instance: its __repr__, or its Go base's, or
// object's.
func reprOf(v starlark.Value) string {
	o := objectOf(v)
	if o == nil {
		return Repr(v)
	}
	if r := o.class.scriptMethod("__repr__"); r != nil {
		if s, err := o.callString(nil, "__repr__", r); err == nil {
			return s
		}
	}
	if e, ok := v.(*Exception); ok {
		return e.nativeRepr()
	}
	return o.inheritedRepr()
}

// inheritedRepr is the repr of an instance whose class does not define
// __repr__: its Go part's (PartReprer), else object's.
func (o *Object) inheritedRepr() string {
	if pr, ok := o.part.(PartReprer); ok {
		return pr.ReprOf(o)
	}
	return defaultRepr(o.face)
}

// callString calls a method that must return a str (__repr__, __str__).
func (o *Object) callString(thread *starlark.Thread, name string, fn starlark.Value) (string, error) {
	r, err := callMethod(thread, o.class, name, fn, o.face, nil, nil)
	if err != nil {
		return "", err
	}
	s, ok := r.(starlark.String)
	if !ok {
		return "", Errorf(TypeError, "%s returned non-string (type %s)", name, TypeName(r))
	}
	return string(s), nil
}

// callFormat calls __format__(spec), which must return a str.
func (o *Object) callFormat(thread *starlark.Thread, fn starlark.Value, spec string) (string, error) {
	r, err := callMethod(thread, o.class, "__format__", fn, o.face, starlark.Tuple{starlark.String(spec)}, nil)
	if err != nil {
		return "", err
	}
	s, ok := r.(starlark.String)
	if !ok {
		return "", Errorf(TypeError, "__format__ must return a str, not %s", TypeName(r))
	}
	return string(s), nil
}

// PyRepr is repr(o).
func (o *Object) PyRepr() string { return reprOf(o.face) }

// scriptReprer is implemented by instances of script classes, whose str()
// and repr() run methods that may fail: print, str(), repr() and
// f-strings raise what they raise.
type scriptReprer interface {
	reprOn(thread *starlark.Thread) (string, error)
	strOn(thread *starlark.Thread) (string, error)
}

func (o *Object) reprOn(thread *starlark.Thread) (string, error) {
	if r := o.class.scriptMethod("__repr__"); r != nil {
		return o.callString(thread, "__repr__", r)
	}
	return o.inheritedRepr(), nil
}

func (o *Object) strOn(thread *starlark.Thread) (string, error) {
	if s := o.class.scriptMethod("__str__"); s != nil {
		return o.callString(thread, "__str__", s)
	}
	return o.reprOn(thread)
}

// PyStr is str(o): __str__, else repr.
func (o *Object) PyStr() string {
	if s := o.class.scriptMethod("__str__"); s != nil {
		if str, err := o.callString(nil, "__str__", s); err == nil {
			return str
		}
	}
	return reprOf(o.face)
}

// compareMethods are the methods Python calls for a comparison, and
// their reflections.
var compareMethods = map[syntax.Token][2]string{
	syntax.EQL: {"__eq__", "__eq__"}, syntax.NEQ: {"__ne__", "__ne__"},
	syntax.LT: {"__lt__", "__gt__"}, syntax.LE: {"__le__", "__ge__"},
	syntax.GT: {"__gt__", "__lt__"}, syntax.GE: {"__ge__", "__le__"},
}

// setattr(x, name, value) is x.name = value.
func pySetattr(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, v starlark.Value
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 3, &x, &name, &v); err != nil {
		return nil, err
	}
	if o := objectOf(x); o != nil {
		if _, isExc := x.(*Exception); !isExc {
			return starlark.None, o.setAttr(thread, name, v, true)
		}
	}
	f, ok := x.(starlark.HasSetField)
	if !ok {
		return nil, Errorf(AttributeError, "'%s' object has no attribute '%s'", TypeName(x), name)
	}
	return starlark.None, f.SetField(name, v)
}

// AttrDeleter is implemented by Go values whose attributes del x.name
// and delattr delete (types.SimpleNamespace).
type AttrDeleter interface {
	DelAttr(name string) error
}

// delattr(x, name) deletes an instance attribute.
func pyDelattr(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &name); err != nil {
		return nil, err
	}
	o := objectOf(x)
	if d, ok := x.(AttrDeleter); ok && o == nil {
		return starlark.None, d.DelAttr(name)
	}
	if o == nil {
		return nil, Errorf(AttributeError, "'%s' object has no attribute '%s'", TypeName(x), name)
	}
	if da := o.class.scriptMethod("__delattr__"); da != nil {
		_, err := callMethod(thread, o.class, "__delattr__", da, o.face, starlark.Tuple{starlark.String(name)}, nil)
		return starlark.None, err
	}
	return starlark.None, o.delAttr(thread, name)
}

// delAttr deletes an attribute: a property's deleter, or the instance's
// own attribute.
func (o *Object) delAttr(thread *starlark.Thread, name string) error {
	if cv, _ := o.class.lookup(name); cv != nil {
		if p, ok := cv.(*Property); ok {
			if p.fdel == starlark.None {
				return Errorf(AttributeError, "property %s of '%s' object has no deleter", p.nameRepr(), o.class.name)
			}
			_, err := callMethod(thread, o.class, "fdel", p.fdel, o.face, nil, nil)
			return err
		}
	}
	if _, ok := o.attrs[name]; !ok {
		return Errorf(AttributeError, "'%s' object has no attribute '%s'", o.class.name, name)
	}
	delete(o.attrs, name)
	o.keys = slices.DeleteFunc(o.keys, func(k string) bool { return k == name })
	return nil
}
