package py

import (
	"math"
	"reflect"
	"unsafe"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// Python's introspection builtins:
//
//	issubclass(cls, classinfo)  exception classes by their hierarchy
//	                            (KafkaTimeoutError is a KafkaError), bool
//	                            a subclass of int, any class of itself
//	id(x)                       the address of x's data: stable while x
//	                            lives, distinct between live objects that
//	                            have identity; equal values without
//	                            identity (small ints, None) share theirs
//	vars(x)                     a copy of x's attributes as a dict
//	                            (argparse.Namespace, modules); vars() is
//	                            locals()
//	globals()                   a copy of the module's assigned globals
//	locals()                    a copy of the calling function's assigned
//	                            locals; at module level, globals()
//
// The dicts are copies: assigning to them changes no variable. globals.go
// lists them.

// isClass reports whether v is a class for issubclass.
func isClass(v starlark.Value) bool {
	switch v.(type) {
	case *ExceptionClass, *Type, *NamedTupleType, InstanceChecker, Subclassable:
		return true
	}
	return false
}

func pyIssubclass(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cls, classinfo starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &cls, &classinfo); err != nil {
		return nil, err
	}
	if !isClass(cls) {
		return nil, Errorf(TypeError, "issubclass() arg 1 must be a class")
	}
	ok, err := isSubclass(cls, classinfo)
	return starlark.Bool(ok), err
}

func isSubclass(cls, classinfo starlark.Value) (bool, error) {
	if classinfo == ObjectType && isClass(cls) {
		return true, nil
	}
	if a, b := AsClass(cls), AsClass(classinfo); a != nil && b != nil {
		return a.IsSubclass(b), nil
	}
	switch c := classinfo.(type) {
	case starlark.Tuple:
		for _, t := range c {
			if ok, err := isSubclass(cls, t); ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	case *typeUnion:
		return isSubclass(cls, starlark.Tuple(c.types))
	case *ExceptionClass:
		sub, ok := cls.(*ExceptionClass)
		return ok && sub.IsSubclass(c), nil
	}
	if !isClass(classinfo) {
		return false, Errorf(TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union")
	}
	return cls == classinfo || cls == BoolType && classinfo == IntType, nil
}

// pyID is id(x).
func pyID(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return starlark.MakeUint64(uint64(identity(x))), nil
}

// ID is id(x).
func ID(x starlark.Value) uint64 { return uint64(identity(x)) }

// identity is the address behind x, or for values without one (ints,
// floats, bools, None) a number derived from the value.
func identity(x starlark.Value) uintptr {
	switch v := x.(type) {
	case starlark.String:
		if len(v) > 0 {
			return uintptr(unsafe.Pointer(unsafe.StringData(string(v))))
		}
	case Bytes:
		if len(v) > 0 {
			return uintptr(unsafe.Pointer(unsafe.StringData(string(v))))
		}
	case starlark.Tuple:
		if len(v) > 0 {
			return uintptr(unsafe.Pointer(&v[0]))
		}
	case starlark.Float:
		return valueID(math.Float64bits(float64(v)))
	case starlark.Int:
		h, _ := v.Hash()
		return valueID(uint64(h))
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return rv.Pointer()
	}
	h, _ := x.Hash()
	return valueID(uint64(h) ^ uint64(len(x.Type()))<<32)
}

// valueID places ids of values without an address in a range no Go heap
// address reaches.
func valueID(h uint64) uintptr { return uintptr(0x7f00_0000_0000 | h&0xff_ffff_fff8) }

// VarsHaver is a value with a __dict__ (argparse.Namespace): vars(x)
// returns its attributes.
type VarsHaver interface {
	Vars() *starlark.Dict
}

func pyVars(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &x); err != nil {
		return nil, err
	}
	switch v := x.(type) {
	case nil:
		return callerLocals(thread), nil
	case VarsHaver:
		return v.Vars(), nil
	case *starlarkstruct.Module:
		return stringDict(v.Members), nil
	}
	return nil, Errorf(TypeError, "vars() argument must have __dict__ attribute")
}

func pyGlobals(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if fn, ok := thread.DebugFrame(1).Callable().(*starlark.Function); ok {
		return GlobalsDict(fn.Globals()), nil
	}
	return GlobalsDict(nil), nil
}

// GlobalsDict is globals() of a module whose variables are g: a new dict
// of them, after __name__ ("__main__", as the front end reads the name)
// unless the module binds it.
func GlobalsDict(g starlark.StringDict) *starlark.Dict {
	d := starlark.NewDict(len(g) + 1)
	if _, bound := g["__name__"]; !bound {
		_ = d.SetKey(starlark.String("__name__"), starlark.String("__main__"))
	}
	for _, k := range g.Keys() {
		_ = d.SetKey(starlark.String(k), g[k])
	}
	return d
}

func pyLocals(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return callerLocals(thread), nil
}

// callerLocals is locals() of the Starlark function calling the builtin.
func callerLocals(thread *starlark.Thread) *starlark.Dict {
	frame := thread.DebugFrame(1)
	fn, ok := frame.Callable().(*starlark.Function)
	if !ok {
		return starlark.NewDict(0)
	}
	if fn.Name() == "<toplevel>" {
		return stringDict(fn.Globals())
	}
	d := starlark.NewDict(frame.NumLocals())
	for i := 0; i < frame.NumLocals(); i++ {
		binding, v := frame.Local(i)
		if v != nil {
			_ = d.SetKey(starlark.String(binding.Name), v)
		}
	}
	return d
}

// stringDict copies m into a dict, in sorted key order.
func stringDict(m starlark.StringDict) *starlark.Dict {
	d := starlark.NewDict(len(m))
	for _, k := range m.Keys() {
		_ = d.SetKey(starlark.String(k), m[k])
	}
	return d
}
