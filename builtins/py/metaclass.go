package py

import (
	"slices"

	"go.starlark.net/starlark"
)

// Classes that Go defines the way a script does (enum.Enum, abc.ABC),
// and Python's metaclasses, in the small: a Metaclass makes the classes
// derived from such a class once their body has run, and what it returns
// is the value scripts see for them (an enum, iterable, whose members it
// made; an abstract class that refuses instances).

// A Metaclass makes the classes a script derives from a class that has it
// (DefineClass), or that name it (class Base(metaclass=ABCMeta)), as
// Python's metaclasses do: NewClass gets the class once its body has run
// and returns the value scripts see for it, which is c itself or a
// ClassValue of c.
type Metaclass interface {
	starlark.Value
	NewClass(thread *starlark.Thread, c *Class) (starlark.Value, error)
}

// A ClassValue is the value a Metaclass made for a class: it stands for
// the class as a base, in isinstance and as type() of the instances.
type ClassValue interface {
	starlark.Value
	ScriptClass() *Class
}

// A MixinMetaclass is a Metaclass whose classes may name builtin types
// among their bases (class Status(str, Enum)) as the type of their
// instances' values: the class does not derive from them (kstar cannot
// derive from a builtin type), and the Metaclass finds their names in
// Mixins.
type MixinMetaclass interface {
	Metaclass
	TakesMixins()
}

// A DataMetaclass is a Metaclass whose classes' instances stand for a
// value of a builtin type, as IntEnum and StrEnum members are an int and
// a str in CPython: Go code that wants such a value (json) asks
// DataValueOf.
type DataMetaclass interface {
	Metaclass
	DataValue(instance starlark.Value) (starlark.Value, bool)
}

// DataValueOf is the builtin-type value x stands for when x is an
// instance of a class a DataMetaclass made and it says so.
func DataValueOf(x starlark.Value) (starlark.Value, bool) {
	o := objectOf(x)
	if o == nil {
		return nil, false
	}
	if dm, ok := o.class.metaclass(nil).(DataMetaclass); ok {
		return dm.DataValue(x)
	}
	return nil, false
}

// takeMixins keeps the names of the builtin types a class statement
// named as bases, when the class's Metaclass takes them.
func (c *Class) takeMixins(meta Metaclass, mixins []*Type) error {
	if len(mixins) == 0 {
		return nil
	}
	if _, ok := c.metaclass(meta).(MixinMetaclass); !ok {
		t := mixins[0]
		return Errorf(TypeError, "kstar cannot subclass '%s' yet: wrap a %s in an attribute instead", t.name, t.name)
	}
	for _, t := range mixins {
		c.mixins = append(c.mixins, t.name)
	}
	return nil
}

// metaclass is the Metaclass that makes the class: meta, the one the
// class statement named, else that of the first class in the method
// resolution order that has one; nil when none does.
func (c *Class) metaclass(meta Metaclass) Metaclass {
	for _, k := range c.mro[1:] {
		if meta != nil {
			break
		}
		meta = k.meta
	}
	return meta
}

// Mixins returns the names of the builtin types the class statement named
// among the bases, which a MixinMetaclass took.
func (c *Class) Mixins() []string { return slices.Clone(c.mixins) }

// applyMeta has the class made by its Metaclass (see metaclass).
func (c *Class) applyMeta(thread *starlark.Thread, meta Metaclass) error {
	meta = c.metaclass(meta)
	if meta == nil || c.exc != nil { // an exception class stays one
		return nil
	}
	c.meta = meta
	v, err := meta.NewClass(thread, c)
	if err != nil {
		return err
	}
	if v != starlark.Value(c) {
		c.shown = v
	}
	return nil
}

// DefineClass makes a class of module as a class statement would, with
// the attributes attrs (in the order of names; Go functions among them
// made with Method) and the bases bases (object when none), and has meta
// (when not nil; else its bases') make it and the classes derived from
// it. thread is the script's thread that makes the class, whose
// interpreter runs its methods, or nil for a class a module defines.
func DefineClass(thread *starlark.Thread, module, name string, bases []starlark.Value, names []string, attrs map[string]starlark.Value, meta Metaclass) (starlark.Value, error) {
	c := &Class{name: name, qualname: name, module: module, dict: attrs, order: slices.Clone(names)}
	if thread != nil {
		c.interp, c.origin = InterpOf(thread), thread
	}
	for _, bv := range bases {
		base := AsClass(bv)
		if base == nil {
			return nil, Errorf(TypeError, "bases must be classes, not %s", TypeName(bv))
		}
		c.bases = append(c.bases, base)
	}
	if err := c.linearize(); err != nil {
		return nil, err
	}
	if err := c.applyMeta(thread, meta); err != nil {
		return nil, err
	}
	return c.face(), nil
}

// Method returns a Go function that, as an attribute of a class
// DefineClass made, is bound to the instance (its first argument) as a
// script's function is.
func Method(name string, fn BuiltinFunc) starlark.Callable { return goMethod{Func(name, fn)} }

// goMethod is a Go function bound to instances as a method.
type goMethod struct{ *starlark.Builtin }

// BindsAsMethod makes the function a method of the class's instances.
func (goMethod) BindsAsMethod() {}

// Names returns the names the class's body bound, in order.
func (c *Class) Names() []string { return slices.Clone(c.order) }

// Own returns the attribute the class itself holds for name (not its
// bases'), or nil.
func (c *Class) Own(name string) starlark.Value { return c.dict[name] }

// Lookup returns the attribute name of the class or of the first of its
// bases that has it, as it is held there (a function, not yet bound), or
// nil.
func (c *Class) Lookup(name string) starlark.Value {
	v, _ := c.lookup(name)
	return v
}

// Bases returns the classes the class derives from directly.
func (c *Class) Bases() []*Class { return slices.Clone(c.bases) }

// Value returns the value scripts see for the class.
func (c *Class) Value() starlark.Value { return c.face() }

// NewInstance returns a new instance of the class, whose __init__ has
// not run.
func (c *Class) NewInstance() starlark.Value { return c.newInstance() }

// HasGoBase reports whether the class derives from a Go-defined class
// (an exception class, threading.Thread), whose part of an instance Go
// code holds.
func (c *Class) HasGoBase() bool { return c.nativeBase() != nil }

// ClassOf returns the class of an instance of a script's class, or nil.
func ClassOf(v starlark.Value) *Class { return classOf(v) }

// SetInstanceAttr sets the attribute name of an instance of a script's
// class without running its __setattr__ (as object.__setattr__ does).
func SetInstanceAttr(thread *starlark.Thread, v starlark.Value, name string, x starlark.Value) error {
	o := objectOf(v)
	if o == nil {
		return Errorf(TypeError, "can't apply this __setattr__ to %s object", TypeName(v))
	}
	return o.setAttr(thread, name, x, false)
}

// InstanceAttr returns the attribute name an instance of a script's class
// holds itself (not its class's), or nil.
func InstanceAttr(v starlark.Value, name string) starlark.Value {
	if o := objectOf(v); o != nil {
		return o.attrs[name]
	}
	return nil
}
