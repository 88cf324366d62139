package py

import (
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
)

// Python's builtin functions as kstar scripts see them. They replace
// Starlark's universe functions of the same name where Python differs
// (print's keywords, str(b, 'utf-8'), int('12', 16) errors, type(x)
// returning a class, ...) and add the ones Starlark lacks (isinstance,
// callable, round, divmod, sum, hex, next, iter, ...).
// Nexter is implemented by iterator values (a KafkaConsumer, the result
// of iter(x)) that next() advances. Next returns the next element and
// true, or false when the iterator is exhausted (next() then raises
// StopIteration or returns its default); an error is raised as is.
type Nexter interface {
	Next(thread *starlark.Thread) (starlark.Value, bool, error)
}

// InstanceChecker is implemented by class values that isinstance(x, C)
// accepts as C: kstar's Type (str, int, ...) and any host type that
// wants isinstance to recognise its instances.
type InstanceChecker interface {
	starlark.Value
	IsInstance(v starlark.Value) bool
}

// InstanceTester is implemented by values that isinstance(x, C) accepts
// as C or refuses with an error, as typing's forms do (typing.List
// checks for a list; typing.List[int] cannot be checked).
type InstanceTester interface {
	starlark.Value
	TestInstance(v starlark.Value) (bool, error)
}

// Type is one of Python's builtin classes: str, bytes, int, float,
// bool, list, dict, tuple, set, type (and, for type(x), NoneType,
// function, ...). Calling it converts a value (str(x), int('12', 16));
// its attributes are the class's unbound methods, so str.encode and
// bytes.decode work as functions (key_serializer=str.encode); and
// isinstance(x, C) tests against it.
type Type struct {
	name     string
	qualname string                      // module.Name when the class lives in a module
	call     BuiltinFunc                 // nil: the class cannot be called
	sample   starlark.Value              // an instance: its methods are the class's
	contains func(v starlark.Value) bool // isinstance
	attrs    map[string]starlark.Value   // class attributes (int.from_bytes)
}

var (
	_ starlark.Callable  = (*Type)(nil)
	_ starlark.HasAttrs  = (*Type)(nil)
	_ starlark.HasBinary = (*Type)(nil)
	_ InstanceChecker    = (*Type)(nil)
)

// Python's classes for Starlark's value types.
var (
	// TypeType is type: type(x) returns x's class.
	TypeType = &Type{name: "type", contains: func(v starlark.Value) bool { return TypeName(v) == "type" }}
	// IntType is int: int(x), int(s, base); bools are ints too.
	IntType = &Type{name: "int", call: pyInt, sample: starlark.MakeInt(0), contains: func(v starlark.Value) bool {
		switch v.(type) {
		case starlark.Int, starlark.Bool:
			return true
		}
		return false
	}}
	// FloatType is float: float(x) parses Python's float literals.
	FloatType = &Type{name: "float", call: pyFloat, sample: starlark.Float(0), contains: isA[starlark.Float]}
	// BoolType is bool.
	BoolType = &Type{name: "bool", call: universe("bool"), sample: starlark.False, contains: isA[starlark.Bool]}
	// ListType is list: list(x) also takes a str (its characters), bytes
	// (their ints) and iterators such as a KafkaConsumer.
	ListType = &Type{name: "list", call: fromElements("list"), sample: starlark.NewList(nil), contains: isA[*starlark.List]}
	// DictType is dict.
	DictType = &Type{name: "dict", call: universe("dict"), sample: starlark.NewDict(0), contains: func(v starlark.Value) bool {
		switch v.(type) {
		case *starlark.Dict, DictSubclass:
			return true
		}
		return false
	}}
	// TupleType is tuple; namedtuples are tuples too.
	TupleType = &Type{name: "tuple", call: fromElements("tuple"), sample: starlark.Tuple{}, contains: func(v starlark.Value) bool {
		switch v.(type) {
		case starlark.Tuple, NamedTupleValue:
			return true
		}
		return false
	}}
	// SetType is set.
	SetType = &Type{name: "set", call: fromElements("set"), sample: starlark.NewSet(0), contains: isA[*starlark.Set]}
	// NoneTypeType is type(None).
	NoneTypeType = &Type{name: "NoneType", contains: isA[starlark.NoneType]}
)

func isA[T starlark.Value](v starlark.Value) bool { _, ok := v.(T); return ok }

// universe calls Starlark's builtin of the same name.
func universe(name string) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Call(thread, starlark.Universe[name], args, kwargs)
	}
}

// fromElements returns list, tuple or set: Starlark's builtin, given the
// elements of a str, bytes or iterator argument as a list. set() inserts
// an iterator's elements as it takes them, so an unhashable one stops it
// there, as in Python.
func fromElements(name string) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) == 1 && len(kwargs) == 0 {
			if it, ok := args[0].(Nexter); ok && name == "set" {
				set := starlark.NewSet(0)
				m := NewMeter(thread)
				for {
					if err := m.Tick(); err != nil {
						return nil, err
					}
					v, ok, err := it.Next(thread)
					if err != nil {
						return nil, err
					}
					if !ok {
						return set, nil
					}
					if err := set.Insert(v); err != nil {
						return nil, err
					}
				}
			}
			_, iterable := args[0].(starlark.Iterable)
			if _, nexter := args[0].(Nexter); nexter || !iterable { // Next returns errors, Iterate cannot
				elems, err := elements(thread, args[0])
				if err != nil {
					return nil, err
				}
				args = starlark.Tuple{starlark.NewList(elems)}
			}
		}
		args, err := meteredArgs(thread, name, args, 1)
		if err != nil {
			return nil, err
		}
		return starlark.Call(thread, starlark.Universe[name], args, kwargs)
	}
}

func (t *Type) String() string {
	if t.qualname != "" {
		return "<class '" + t.qualname + "'>"
	}
	return "<class '" + t.name + "'>"
}
func (t *Type) Type() string          { return "type" }
func (t *Type) Freeze()               {}
func (t *Type) Truth() starlark.Bool  { return true }
func (t *Type) Hash() (uint32, error) { return starlark.String(t.name).Hash() }

// Name is the class name, as Python's __name__.
func (t *Type) Name() string { return t.name }

// IsInstance reports whether v is an instance of the class.
func (t *Type) IsInstance(v starlark.Value) bool { return t.contains(v) }

// CallInternal converts its arguments to an instance: str(x), int(s, 16).
func (t *Type) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if t.call == nil {
		return nil, Errorf(TypeError, "cannot create '%s' instances", t.name)
	}
	return Func(t.name, t.call).CallInternal(thread, args, kwargs)
}

// Attr returns __name__, a class attribute, or an unbound method:
// str.upper('a') is 'a'.upper(). Other names raise AttributeError.
func (t *Type) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__":
		return starlark.String(t.name), nil
	case "__mro__":
		if t == BoolType {
			return starlark.Tuple{t, IntType, ObjectType}, nil
		}
		return starlark.Tuple{t, ObjectType}, nil
	}
	if v, ok := t.attrs[name]; ok {
		return v, nil
	}
	if t.sample == nil || !slices.Contains(t.methodNames(), name) {
		return nil, attributeError(t, name)
	}
	return Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) == 0 {
			return nil, Errorf(TypeError, "unbound method %s.%s() needs an argument", t.name, name)
		}
		if !t.contains(args[0]) {
			return nil, Errorf(TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object", name, t.name, TypeName(args[0]))
		}
		m, err := GetAttr(args[0], name)
		if err != nil {
			return nil, err
		}
		return starlark.Call(thread, m, args[1:], kwargs)
	}), nil
}

// methodNames lists the methods of the class's instances.
func (t *Type) methodNames() []string {
	if t.sample == nil {
		return nil
	}
	return pyAttrNames(t.sample)
}

// AttrNames lists __name__, the class attributes and the methods.
func (t *Type) AttrNames() []string {
	names := append([]string{"__name__"}, t.methodNames()...)
	for n := range t.attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Binary implements str | bytes, the union isinstance accepts.
func (t *Type) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	return unionOf(op, t, y, side)
}

// typeUnion is the value of `str | bytes`: isinstance(x, str | bytes).
type typeUnion struct{ types []starlark.Value }

func unionOf(op syntax.Token, x, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	if op != syntax.PIPE {
		return nil, nil
	}
	if side == starlark.Right {
		x, y = y, x
	}
	var types []starlark.Value
	for _, v := range []starlark.Value{x, y} {
		if _, ok := v.(AnnotationType); ok && !isA[*GenericAlias](v) {
			return nil, nil // typing's own union: int | List[int] is typing.Union[int, typing.List[int]]
		}
		switch v := v.(type) {
		case *typeUnion:
			types = append(types, v.types...)
		case InstanceChecker, *ExceptionClass, *NamedTupleType, starlark.NoneType, AnnotationType:
			types = append(types, v)
		default:
			return nil, nil
		}
	}
	return &typeUnion{types: types}, nil
}

func (u *typeUnion) String() string {
	names := make([]string, len(u.types))
	for i, t := range u.types {
		switch t := t.(type) {
		case *Type:
			names[i] = t.name
		case starlark.NoneType:
			names[i] = "None"
		default:
			names[i] = strings.TrimSuffix(strings.TrimPrefix(t.String(), "<class '"), "'>")
		}
	}
	return strings.Join(names, " | ")
}
func (u *typeUnion) Type() string          { return "types.UnionType" }
func (u *typeUnion) Freeze()               {}
func (u *typeUnion) Truth() starlark.Bool  { return true }
func (u *typeUnion) Hash() (uint32, error) { return starlark.String(u.String()).Hash() }
func (u *typeUnion) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	return unionOf(op, u, y, side)
}

// IsInstance is Python's isinstance(x, classes): classes is a class (a
// Type such as str, an ExceptionClass such as KafkaError, a
// NamedTupleType such as TopicPartition, any InstanceChecker), a tuple
// of classes, or a union (str | bytes).
func IsInstance(x, classes starlark.Value) (bool, error) {
	if k := classOf(x); k != nil {
		if c := AsClass(classes); c != nil && k.IsSubclass(c) {
			return true, nil
		}
	}
	switch c := classes.(type) {
	case starlark.Tuple:
		for _, t := range c {
			if ok, err := IsInstance(x, t); ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	case *typeUnion:
		for _, t := range c.types {
			if ok, err := IsInstance(x, t); ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	case starlark.NoneType: // inside a union: int | None
		return x == starlark.None, nil
	case *ExceptionClass:
		e, ok := x.(*Exception)
		return ok && e.Class.IsSubclass(c), nil
	case *NamedTupleType:
		nt, ok := x.(NamedTupleValue)
		return ok && nt.TypeOf() == c, nil
	case InstanceTester:
		return c.TestInstance(x)
	case InstanceChecker:
		return c.IsInstance(x), nil
	}
	return false, Errorf(TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union")
}

// isinstance(x, classes)
func pyIsinstance(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, classes starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &classes); err != nil {
		return nil, err
	}
	ok, err := IsInstance(x, classes)
	return starlark.Bool(ok), err
}

// PyClasser is implemented by values whose class is a host value, such
// as a standard module's class (datetime.datetime): type(v) returns it.
type PyClasser interface {
	PyClass() starlark.Value
}

// ClassName is Python's type(v).__name__: datetime for a datetime.datetime,
// partial for a functools.partial, whose Type() is the qualified name.
func ClassName(v starlark.Value) string {
	switch c := v.(type) {
	case Instance:
		return c.PyClass().name
	case PyClasser:
		if ha, ok := c.PyClass().(starlark.HasAttrs); ok {
			if name, err := ha.Attr("__name__"); err == nil {
				if s, ok := name.(starlark.String); ok {
					return string(s)
				}
			}
		}
	}
	return TypeName(v)
}

// otherTypes caches the classes type() returns for values kstar has no
// Type for (functions, modules, host types), so type(a) == type(b).
var otherTypes sync.Map // name → *Type

// TypeOf returns Python's type(v): str, int, ..., a namedtuple's class,
// an exception's class, or a class named after v's type.
func TypeOf(v starlark.Value) starlark.Value {
	switch v := v.(type) {
	case starlark.String:
		return StrType
	case Bytes:
		return BytesType
	case starlark.Bool:
		return BoolType
	case starlark.Int:
		return IntType
	case starlark.Float:
		return FloatType
	case *starlark.List:
		return ListType
	case *starlark.Dict:
		return DictType
	case starlark.Tuple:
		return TupleType
	case *starlark.Set:
		return SetType
	case *Frozenset:
		return FrozensetType
	case starlark.NoneType:
		return NoneTypeType
	case NamedTupleValue:
		return v.TypeOf()
	case *Exception:
		return v.Class
	case PyClasser:
		return v.PyClass()
	case Instance:
		return v.PyClass()
	}
	name := TypeName(v)
	switch v.(type) {
	case *starlark.Builtin:
		name = "builtin_function_or_method"
	case *starlarkstruct.Module:
		name = "module"
	}
	if name == "type" {
		return TypeType
	}
	// A host type whose repr is "<kafka.producer.future.FutureRecordMetadata
	// object at 0x...>" names its module too.
	qualname := ""
	if r := Repr(v); strings.HasPrefix(r, "<") {
		if i := strings.Index(r, " object at "); i > 0 && !strings.ContainsAny(r[1:i], " <>'") {
			qualname = r[1:i]
		}
	}
	t, _ := otherTypes.LoadOrStore(name+" "+qualname, &Type{name: name, qualname: qualname, contains: func(x starlark.Value) bool { return TypeName(x) == name }})
	return t.(*Type)
}

// type(x) is x's class; type(name, bases, dict) makes a class, as a
// class statement whose body bound dict's items would.
func pyType(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 1 && len(kwargs) == 0 {
		return TypeOf(args[0]), nil
	}
	if len(args) != 3 {
		return nil, Errorf(TypeError, "type() takes 1 or 3 arguments")
	}
	name, ok := args[0].(starlark.String)
	if !ok {
		return nil, Errorf(TypeError, "type.__new__() argument 1 must be str, not %s", TypeName(args[0]))
	}
	bases, ok := args[1].(starlark.Tuple)
	if !ok {
		return nil, Errorf(TypeError, "type.__new__() argument 2 must be tuple, not %s", TypeName(args[1]))
	}
	ns, ok := args[2].(*starlark.Dict)
	if !ok {
		return nil, Errorf(TypeError, "type.__new__() argument 3 must be dict, not %s", TypeName(args[2]))
	}
	for _, k := range ns.Keys() {
		if _, ok := k.(starlark.String); !ok {
			return nil, Errorf(TypeError, "keywords must be strings")
		}
	}
	body := Func(string(name), func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		d := starlark.NewDict(ns.Len())
		for _, item := range ns.Items() {
			if err := d.SetKey(item[0], item[1]); err != nil {
				return nil, err
			}
		}
		return d, nil
	})
	keywords := starlark.NewDict(len(kwargs))
	for _, kv := range kwargs {
		if err := keywords.SetKey(kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	return buildClass(thread, b, starlark.Tuple{body, name, name, bases, keywords}, nil)
}

// print(*args, sep=' ', end='\n', file=None, flush=False) writes the
// str() of each argument to the Env's stdout, or to file (sys.stdout,
// sys.stderr, or any value with a write method).
func pyPrint(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sep, end := " ", "\n"
	var file starlark.Value = starlark.None
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		switch name {
		case "sep", "end":
			s := " "
			if name == "end" {
				s = "\n"
			}
			switch v := kv[1].(type) {
			case starlark.NoneType:
			case starlark.String:
				s = string(v)
			default:
				return nil, Errorf(TypeError, "%s must be None or a string, not %s", name, TypeName(v))
			}
			if name == "sep" {
				sep = s
			} else {
				end = s
			}
		case "file":
			file = kv[1]
		case "flush":
		default:
			return nil, Errorf(TypeError, "'%s' is an invalid keyword argument for print()", name)
		}
	}
	var buf strings.Builder
	m := NewMeter(thread)
	for i, a := range args {
		if i > 0 {
			buf.WriteString(sep)
		}
		s, err := strWith(&m, a)
		if err != nil {
			return nil, err
		}
		buf.WriteString(s)
	}
	buf.WriteString(end)
	return starlark.None, WriteText(thread, file, buf.String())
}

// WriteText writes s to a file-like value (sys.stdout, a file, anything
// with a write method), as print's file= does: None is the Env's stdout.
func WriteText(thread *starlark.Thread, file starlark.Value, s string) error {
	switch f := file.(type) {
	case starlark.NoneType:
		if _, err := io.WriteString(EnvOf(thread).Stdout, s); err != nil {
			return Errorf(OSError, "%v", err)
		}
		return nil
	case TextWriter:
		return f.WriteText(thread, s)
	}
	write, err := GetAttr(file, "write")
	if err != nil {
		return err
	}
	_, err = starlark.Call(thread, write, starlark.Tuple{starlark.String(s)}, nil)
	return err
}

func oneArg(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x)
	return x, err
}

// repr(x) is Repr(x).
func pyRepr(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	s, err := ReprOf(thread, x)
	if err != nil {
		return nil, err
	}
	return starlark.String(s), nil
}

// ascii(x) is repr(x) with non-ASCII characters escaped.
func pyASCII(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	s, err := ReprOf(thread, x)
	if err != nil {
		return nil, err
	}
	return starlark.String(ASCII(s)), nil
}

// ASCII escapes the non-ASCII characters of s as Python's ascii() does
// (\xe9, \u20ac, \U0001f600).
func ASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			b.WriteString(`\x` + HexN(int(r), 2))
		case r <= 0xffff:
			b.WriteString(`\u` + HexN(int(r), 4))
		default:
			b.WriteString(`\U` + HexN(int(r), 8))
		}
	}
	return b.String()
}

func pyHasattr(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &name); err != nil {
		return nil, err
	}
	_, err := GetAttr(x, name)
	if e := AsException(err); e != nil && e.Class == AttributeError {
		return starlark.False, nil
	}
	return starlark.Bool(err == nil), err
}

func pyGetattr(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, dflt starlark.Value
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &name, &dflt); err != nil {
		return nil, err
	}
	v, err := GetAttr(x, name)
	if e := AsException(err); e != nil && e.Class == AttributeError && dflt != nil {
		return dflt, nil
	}
	return v, err
}

// dir(x) lists x's attributes, sorted.
func pyDir(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	names := pyAttrNames(x)
	elems := make([]starlark.Value, len(names))
	for i, n := range names {
		elems[i] = starlark.String(n)
	}
	return starlark.NewList(elems), nil
}

func pyCallable(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return starlark.Bool(isCallable(x)), nil
}

// PyAbser is implemented by values abs() accepts besides numbers, as
// Python's __abs__ (a timedelta).
type PyAbser interface {
	PyAbs() (starlark.Value, error)
}

func pyAbs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	switch x := x.(type) {
	case starlark.Bool:
		return starlark.MakeInt(b2i(x)), nil
	case starlark.Int:
		if x.Sign() < 0 {
			return starlark.MakeInt(0).Sub(x), nil
		}
		return x, nil
	case starlark.Float:
		return starlark.Float(math.Abs(float64(x))), nil
	case PyAbser:
		return x.PyAbs()
	}
	return nil, Errorf(TypeError, "bad operand type for abs(): '%s'", TypeName(x))
}

func b2i(b starlark.Bool) int {
	if b {
		return 1
	}
	return 0
}

// asIndex converts an int (or bool) argument as Python's __index__ does.
func asIndex(v starlark.Value) (starlark.Int, error) {
	switch v := v.(type) {
	case starlark.Int:
		return v, nil
	case starlark.Bool:
		return starlark.MakeInt(b2i(v)), nil
	}
	return starlark.Int{}, Errorf(TypeError, "'%s' object cannot be interpreted as an integer", TypeName(v))
}

// round(number, ndigits=None) rounds half to even, exactly as CPython:
// round(2.5) == 2, round(2.675, 2) == 2.67, round(1250, -2) == 1200.
func pyRound(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, nd starlark.Value = nil, starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "number", &x, "ndigits?", &nd); err != nil {
		return nil, err
	}
	if bv, ok := x.(starlark.Bool); ok {
		x = starlark.MakeInt(b2i(bv))
	}
	var n int
	if nd != starlark.None {
		ni, err := asIndex(nd)
		if err != nil {
			return nil, err
		}
		// Beyond ±2**20 digits every result is the same: clamp.
		n64, ok := ni.Int64()
		if !ok {
			n64 = int64(ni.Sign()) << 20
		}
		n = int(max(min(n64, 1<<20), -(1 << 20)))
	}
	switch x := x.(type) {
	case starlark.Int:
		if nd == starlark.None || n >= 0 {
			return x, nil
		}
		if digits := len(new(big.Int).Abs(x.BigInt()).Text(10)); -n > digits {
			return starlark.MakeInt(0), nil // |x| < 10**-n / 2
		}
		pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-n)), nil)
		return starlark.MakeBigInt(roundHalfEven(new(big.Rat).SetInt(x.BigInt()), pow)), nil
	case starlark.Float:
		f := float64(x)
		if nd == starlark.None {
			switch {
			case math.IsInf(f, 0):
				return nil, Errorf(OverflowError, "cannot convert float infinity to integer")
			case math.IsNaN(f):
				return nil, Errorf(ValueError, "cannot convert float NaN to integer")
			}
			return starlark.MakeBigInt(roundHalfEven(new(big.Rat).SetFloat64(f), big.NewInt(1))), nil
		}
		if math.IsInf(f, 0) || math.IsNaN(f) || f == 0 {
			return x, nil
		}
		if n > 400 {
			return x, nil
		}
		if n < -400 {
			return starlark.Float(0 * f), nil
		}
		var r float64
		if n >= 0 {
			r, _ = parseFloat(fmtFloat(f, 'f', n))
		} else {
			pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-n)), nil)
			r, _ = new(big.Float).SetInt(roundHalfEven(new(big.Rat).SetFloat64(f), pow)).Float64()
		}
		if math.IsInf(r, 0) {
			return nil, Errorf(OverflowError, "rounded value too large to represent")
		}
		return starlark.Float(math.Copysign(r, f)), nil
	}
	return nil, Errorf(TypeError, "type %s doesn't define __round__ method", TypeName(x))
}

// roundHalfEven rounds x to a multiple of unit, ties to the even multiple.
func roundHalfEven(x *big.Rat, unit *big.Int) *big.Int {
	q := new(big.Rat).Quo(x, new(big.Rat).SetInt(unit))
	// floor(q) and the remainder q - floor(q) in [0, 1)
	fl := new(big.Int).Div(q.Num(), q.Denom()) // Euclidean: floor for positive denominators
	rem := new(big.Rat).Sub(q, new(big.Rat).SetInt(fl))
	switch rem.Cmp(big.NewRat(1, 2)) {
	case 1:
		fl.Add(fl, big.NewInt(1))
	case 0:
		if fl.Bit(0) == 1 {
			fl.Add(fl, big.NewInt(1))
		}
	}
	return fl.Mul(fl, unit)
}

// divmod(a, b) is (a // b, a % b) with Python's floor semantics.
// PyDivmoder is implemented by values divmod() accepts besides numbers,
// as Python's __divmod__ (a timedelta by a timedelta). PyDivmod returns
// nil, nil when it does not take y.
type PyDivmoder interface {
	PyDivmod(y starlark.Value) (starlark.Value, error)
}

func pyDivmod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &y); err != nil {
		return nil, err
	}
	xi, xok := numberArg(x)
	yi, yok := numberArg(y)
	if !xok || !yok {
		if d, ok := x.(PyDivmoder); ok {
			if qr, err := d.PyDivmod(y); qr != nil || err != nil {
				return qr, err
			}
		}
		return nil, Errorf(TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'", TypeName(x), TypeName(y))
	}
	xInt, xIsInt := xi.(starlark.Int)
	yInt, yIsInt := yi.(starlark.Int)
	if xIsInt && yIsInt {
		if yInt.Sign() == 0 {
			return nil, Errorf(ZeroDivisionError, "integer division or modulo by zero")
		}
		return starlark.Tuple{xInt.Div(yInt), xInt.Mod(yInt)}, nil
	}
	xf, yf := toFloat(xi), toFloat(yi)
	if yf == 0 {
		return nil, Errorf(ZeroDivisionError, "float divmod()")
	}
	div, mod := floatDivmod(xf, yf)
	return starlark.Tuple{starlark.Float(div), starlark.Float(mod)}, nil
}

// hash(x) is Starlark's for str and bytes, Python's for int, bool and
// integral floats (small values hash to themselves, -1 to -2), and the
// value's own hash for tuples, namedtuples (TopicPartition) and the rest.
func pyHash(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	switch v := x.(type) {
	case starlark.String:
		return starlark.Call(thread, starlark.Universe["hash"], args, nil)
	case Bytes: // as CPython's, the hash of the str of the same bytes
		return starlark.Call(thread, starlark.Universe["hash"], starlark.Tuple{starlark.String(v)}, nil)
	case starlark.Bool:
		return starlark.MakeInt(b2i(v)), nil
	case starlark.Float:
		if f := float64(v); f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			x = starlark.MakeInt64(int64(f))
		}
	}
	if i, ok := x.(starlark.Int); ok {
		const modulus = 1<<61 - 1 // CPython's _PyHASH_MODULUS
		r := new(big.Int).Rem(i.BigInt(), big.NewInt(modulus))
		if r.Cmp(big.NewInt(-1)) == 0 {
			r.SetInt64(-2)
		}
		return starlark.MakeBigInt(r), nil
	}
	h, err := x.Hash()
	if AsException(err) != nil {
		return nil, err // a namedtuple's, naming the unhashable field's type
	}
	if err != nil {
		return nil, Errorf(TypeError, "unhashable type: '%s'", TypeName(x))
	}
	return starlark.MakeUint(uint(h)), nil
}

// pow(base, exp, mod=None) is Python's: exact for ints (a float for a
// negative exponent), modular with mod, and float arithmetic otherwise.
// It stands in for the ** operator, which Starlark's grammar lacks.
func pyPow(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var base, exp, mod starlark.Value = nil, nil, starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "base", &base, "exp", &exp, "mod?", &mod); err != nil {
		return nil, err
	}
	if v, ok, err := objectPow(thread, base, exp, mod); ok {
		return v, err
	}
	x, xok := numberArg(base)
	y, yok := numberArg(exp)
	if !xok || !yok {
		return nil, Errorf(TypeError, "unsupported operand type(s) for ** or pow(): '%s' and '%s'", TypeName(base), TypeName(exp))
	}
	xi, xIsInt := x.(starlark.Int)
	yi, yIsInt := y.(starlark.Int)
	if mod != starlark.None {
		m, mok := numberArg(mod)
		mi, mIsInt := m.(starlark.Int)
		if !mok || !mIsInt || !xIsInt || !yIsInt {
			return nil, Errorf(TypeError, "pow() 3rd argument not allowed unless all arguments are integers")
		}
		if mi.Sign() == 0 {
			return nil, Errorf(ValueError, "pow() 3rd argument cannot be 0")
		}
		if yi.Sign() < 0 {
			return nil, Errorf(ValueError, "pow() negative exponent with a modulus is not supported by kstar")
		}
		r := new(big.Int).Exp(xi.BigInt(), yi.BigInt(), new(big.Int).Abs(mi.BigInt()))
		if r.Sign() != 0 && mi.Sign() < 0 { // Python's result has the modulus's sign
			r.Add(r, mi.BigInt())
		}
		return starlark.MakeBigInt(r), nil
	}
	if xIsInt && yIsInt && yi.Sign() >= 0 {
		// A result of millions of bits takes seconds to compute, in one
		// step that no limit can interrupt.
		if e, ok := yi.Int64(); !ok || xi.BigInt().CmpAbs(big.NewInt(1)) > 0 && (e > 1<<20 || int64(xi.BigInt().BitLen()-1)*e > 1<<24) {
			return nil, Errorf(OverflowError, "pow() result too large")
		}
		return starlark.MakeBigInt(new(big.Int).Exp(xi.BigInt(), yi.BigInt(), nil)), nil
	}
	xf, yf := toFloat(x), toFloat(y)
	if xf == 0 && yf < 0 {
		return nil, Errorf(ZeroDivisionError, "0.0 cannot be raised to a negative power")
	}
	r := math.Pow(xf, yf)
	if math.IsNaN(r) && !math.IsNaN(xf) && !math.IsNaN(yf) {
		return nil, Errorf(ValueError, "pow() of a negative number to a fractional power is complex, which kstar does not have")
	}
	if math.IsInf(r, 0) && !math.IsInf(xf, 0) && !math.IsInf(yf, 0) {
		return nil, Errorf(OverflowError, "(34, 'Numerical result out of range')")
	}
	return starlark.Float(r), nil
}

// floatDivmod is CPython's float_divmod.
func floatDivmod(vx, wx float64) (float64, float64) {
	mod := math.Mod(vx, wx)
	div := (vx - mod) / wx
	if mod != 0 {
		if (wx < 0) != (mod < 0) {
			mod += wx
			div -= 1
		}
	} else {
		mod = math.Copysign(0, wx)
	}
	var floordiv float64
	if div != 0 {
		floordiv = math.Floor(div)
		if div-floordiv > 0.5 {
			floordiv += 1
		}
	} else {
		floordiv = math.Copysign(0, vx/wx)
	}
	return floordiv, mod
}

// numberArg returns an int or float for a number (bools become ints).
func numberArg(v starlark.Value) (starlark.Value, bool) {
	switch v := v.(type) {
	case starlark.Bool:
		return starlark.MakeInt(b2i(v)), true
	case starlark.Int, starlark.Float:
		return v, true
	}
	return nil, false
}

// toFloat converts an int or float; ints too large become ±Inf.
func toFloat(v starlark.Value) float64 {
	switch v := v.(type) {
	case starlark.Int:
		return float64(v.Float())
	case starlark.Float:
		return float64(v)
	}
	return math.NaN()
}

// sum(iterable, /, start=0) adds the elements to start from left to
// right, floats as plain float additions, as CPython 3.11 does
// (sum([0.1] * 10) is 0.9999999999999999; 3.12 compensates).
func pySum(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var iterable starlark.Value
	var start starlark.Value = starlark.MakeInt(0)
	if len(args) > 2 {
		return nil, Errorf(TypeError, "sum() takes at most 2 arguments (%d given)", len(args))
	}
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "iterable", &iterable, "start?", &start); err != nil {
		return nil, err
	}
	switch start.(type) {
	case starlark.String:
		return nil, Errorf(TypeError, "sum() can't sum strings [use ''.join(seq) instead]")
	case Bytes:
		return nil, Errorf(TypeError, "sum() can't sum bytes [use b''.join(seq) instead]")
	}
	iter := starlark.Iterate(iterable)
	if iter == nil {
		return nil, Errorf(TypeError, "'%s' object is not iterable", TypeName(iterable))
	}
	defer iter.Done()
	acc := start
	if bv, ok := acc.(starlark.Bool); ok {
		acc = starlark.MakeInt(b2i(bv))
	}
	var x starlark.Value
	m := NewMeter(thread)
	for iter.Next(&x) {
		if err := m.Tick(); err != nil {
			return nil, err
		}
		if bv, ok := x.(starlark.Bool); ok {
			x = starlark.MakeInt(b2i(bv))
		}
		if af, ok := acc.(starlark.Float); ok {
			switch xv := x.(type) {
			case starlark.Float:
				acc = af + xv
				continue
			case starlark.Int:
				if i, ok := xv.Int64(); ok {
					acc = af + starlark.Float(i)
					continue
				}
			}
		}
		v, err := starlark.Binary(syntax.PLUS, acc, x)
		if err != nil {
			return nil, Errorf(TypeError, "unsupported operand type(s) for +: '%s' and '%s'", TypeName(acc), TypeName(x))
		}
		acc = v
	}
	return acc, nil
}

func pyChr(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	i, err := asIndex(x)
	if err != nil {
		return nil, err
	}
	n, ok := i.Int64()
	if !ok || n < 0 || n > unicode.MaxRune {
		return nil, Errorf(ValueError, "chr() arg not in range(0x110000)")
	}
	if n >= 0xd800 && n <= 0xdfff {
		return nil, Errorf(ValueError, "chr() arg is a surrogate, which kstar strings cannot hold")
	}
	return starlark.String(string(rune(n))), nil
}

func pyOrd(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	switch x := x.(type) {
	case starlark.String:
		if n := utf8.RuneCountInString(string(x)); n != 1 {
			return nil, Errorf(TypeError, "ord() expected a character, but string of length %d found", n)
		}
		r, _ := utf8.DecodeRuneInString(string(x))
		return starlark.MakeInt(int(r)), nil
	case Bytes:
		if len(x) != 1 {
			return nil, Errorf(TypeError, "ord() expected a character, but string of length %d found", len(x))
		}
		return starlark.MakeInt(int(x[0])), nil
	}
	return nil, Errorf(TypeError, "ord() expected string of length 1, but %s found", TypeName(x))
}

// pyBase returns hex, oct or bin: hex(255) == '0xff', bin(-5) == '-0b101'.
func pyBase(name string, base int, prefix string) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		x, err := oneArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		i, err := asIndex(x)
		if err != nil {
			return nil, err
		}
		bi := i.BigInt()
		sign := ""
		if bi.Sign() < 0 {
			sign = "-"
			bi.Neg(bi)
		}
		return starlark.String(sign + prefix + bi.Text(base)), nil
	}
}

// int(x=0) / int(x, base=10) converts as Python's int: floats truncate,
// strings and bytes are parsed (whitespace, sign, underscores, base
// prefixes), with Python's errors.
func pyInt(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, base starlark.Value
	if err := starlark.UnpackArgs("int", args, kwargs, "x?", &x, "base?", &base); err != nil {
		return nil, err
	}
	if x == nil {
		if base != nil {
			return nil, Errorf(TypeError, "int() missing string argument")
		}
		return starlark.MakeInt(0), nil
	}
	if base == nil {
		switch v := x.(type) {
		case starlark.Int:
			return v, nil
		case starlark.Bool:
			return starlark.MakeInt(b2i(v)), nil
		case starlark.Float:
			f := float64(v)
			switch {
			case math.IsInf(f, 0):
				return nil, Errorf(OverflowError, "cannot convert float infinity to integer")
			case math.IsNaN(f):
				return nil, Errorf(ValueError, "cannot convert float NaN to integer")
			}
			i, _ := starlark.NumberToInt(v)
			return i, nil
		case starlark.String, Bytes:
			return parseIntLiteral(x, 10)
		}
		return nil, Errorf(TypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'", TypeName(x))
	}
	bi, err := asIndex(base)
	if err != nil {
		return nil, err
	}
	bn, ok := bi.Int64()
	if !ok || bn == 1 || bn < 0 || bn > 36 {
		return nil, Errorf(ValueError, "int() base must be >= 2 and <= 36, or 0")
	}
	switch x.(type) {
	case starlark.String, Bytes:
		return parseIntLiteral(x, int(bn))
	}
	return nil, Errorf(TypeError, "int() can't convert non-string with explicit base")
}

// parseIntLiteral parses a str or bytes as Python's int(s, base).
func parseIntLiteral(x starlark.Value, base int) (starlark.Value, error) {
	var s string
	switch x := x.(type) {
	case starlark.String:
		s = string(x)
	case Bytes:
		s = string(x)
	}
	bad := func() error {
		return Errorf(ValueError, "invalid literal for int() with base %d: %s", base, Repr(x))
	}
	t := strings.TrimFunc(s, unicode.IsSpace)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	lower := strings.ToLower(t)
	prefixBase := 0
	if len(lower) >= 2 && lower[0] == '0' {
		switch lower[1] {
		case 'x':
			prefixBase = 16
		case 'o':
			prefixBase = 8
		case 'b':
			prefixBase = 2
		}
	}
	if prefixBase != 0 && (base == 0 || base == prefixBase) {
		base = prefixBase
		t = strings.TrimPrefix(t[2:], "_") // 0x_ff is allowed
	} else if base == 0 {
		base = 10
		// A decimal literal cannot have leading zeros unless all zero.
		if len(t) > 1 && t[0] == '0' && strings.Trim(t, "0_") != "" {
			return nil, Errorf(ValueError, "invalid literal for int() with base 0: %s", Repr(x))
		}
	}
	var digits strings.Builder
	prevUnderscore := true // no leading underscore
	for _, r := range t {
		if r == '_' {
			if prevUnderscore {
				return nil, bad()
			}
			prevUnderscore = true
			continue
		}
		prevUnderscore = false
		if r >= utf8.RuneSelf {
			d := unicodeDigit(r)
			if d < 0 {
				return nil, bad()
			}
			r = rune('0' + d)
		}
		digits.WriteRune(r)
	}
	if prevUnderscore || digits.Len() == 0 {
		return nil, bad()
	}
	n, ok := new(big.Int).SetString(digits.String(), base)
	if !ok {
		return nil, bad()
	}
	if neg {
		n.Neg(n)
	}
	return starlark.MakeBigInt(n), nil
}

// unicodeDigit returns the value of a Unicode decimal digit, or -1.
func unicodeDigit(r rune) int {
	if !unicode.Is(unicode.Nd, r) {
		return -1
	}
	start := r
	for unicode.Is(unicode.Nd, start-1) {
		start--
	}
	return int(r-start) % 10
}

// float(x=0.0) converts as Python's float: ints (OverflowError when too
// large), and str/bytes holding a Python float literal, inf or nan.
func pyFloat(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs("float", args, kwargs, 0, &x); err != nil {
		return nil, err
	}
	switch v := x.(type) {
	case nil:
		return starlark.Float(0), nil
	case starlark.Float:
		return v, nil
	case starlark.Bool:
		return starlark.Float(b2i(v)), nil
	case starlark.Int:
		return intToFloat(v)
	case starlark.String, Bytes:
		s := Str(v)
		if b, ok := v.(Bytes); ok {
			s = string(b)
		}
		f, ok := parseFloat(strings.TrimFunc(s, unicode.IsSpace))
		if !ok {
			return nil, Errorf(ValueError, "could not convert string to float: %s", Repr(v))
		}
		return starlark.Float(f), nil
	}
	return nil, Errorf(TypeError, "float() argument must be a string or a real number, not '%s'", TypeName(x))
}

// intToFloat converts an int as Python does, failing for huge values.
func intToFloat(i starlark.Int) (starlark.Value, error) {
	f := float64(i.Float())
	if math.IsInf(f, 0) {
		return nil, Errorf(OverflowError, "int too large to convert to float")
	}
	return starlark.Float(f), nil
}

// parseFloat parses a Python float literal (no surrounding spaces):
// digits with single underscores between them, an optional fraction and
// exponent, or inf/infinity/nan in any case, with an optional sign.
func parseFloat(s string) (float64, bool) {
	t := s
	if t != "" && (t[0] == '+' || t[0] == '-') {
		t = t[1:]
	}
	switch strings.ToLower(t) {
	case "inf", "infinity":
		if s[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	// digitpart ::= digit (["_"] digit)*
	i := 0
	digitPart := func() bool {
		start := i
		for i < len(t) {
			if t[i] >= '0' && t[i] <= '9' {
				i++
			} else if t[i] == '_' && i > start && i+1 < len(t) && t[i+1] >= '0' && t[i+1] <= '9' {
				i++
			} else {
				break
			}
		}
		return i > start
	}
	intPart := digitPart()
	fracPart := false
	if i < len(t) && t[i] == '.' {
		i++
		fracPart = digitPart()
	}
	if !intPart && !fracPart {
		return 0, false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		if !digitPart() {
			return 0, false
		}
	}
	if i != len(t) {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		err = nil // 1e400 is inf, 1e-400 is 0.0, as in Python
	}
	return f, err == nil
}

// next(iterator[, default]) advances a Nexter; when it is exhausted,
// next returns default or raises StopIteration.
func pyNext(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var it, dflt starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &it, &dflt); err != nil {
		return nil, err
	}
	n, ok := it.(Nexter)
	if !ok {
		return nil, Errorf(TypeError, "'%s' object is not an iterator", TypeName(it))
	}
	v, ok, err := n.Next(thread)
	if err != nil {
		return nil, err
	}
	if !ok {
		if dflt != nil {
			return dflt, nil
		}
		if g, ok := n.(*Generator); ok {
			return nil, g.stopIteration()
		}
		return nil, NewException(StopIteration, "")
	}
	return v, nil
}

// iter(x) returns x itself when it is an iterator (a Nexter), else an
// iterator over a snapshot of x's elements (a str's characters, a
// dict's keys), which next() advances and for loops consume.
func pyIter(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	switch c := x.(type) {
	case *ContainerObject:
		if x, err = c.iterator(thread); err != nil {
			return nil, err
		}
	case *DictView:
		return c.iterator(), nil
	}
	if _, ok := x.(Nexter); ok {
		return x, nil
	}
	elems, err := elements(thread, x)
	if err != nil {
		return nil, err
	}
	return &listIterator{typeName: iteratorTypeName(x), elems: elems}, nil
}

// iteratorTypeName is the name of the type of CPython's iter(x).
func iteratorTypeName(x starlark.Value) string {
	switch x := x.(type) {
	case starlark.String:
		for i := 0; i < len(x); i++ {
			if x[i] >= utf8.RuneSelf {
				return "str_iterator"
			}
		}
		return "str_ascii_iterator" // 3.11's, for a str of ASCII characters
	case *starlark.Dict:
		return "dict_keyiterator"
	}
	return TypeName(x) + "_iterator"
}

// elements returns the elements Python's iteration of x gives: a str's
// characters, bytes' ints, an iterable's elements, what a Nexter yields.
func elements(thread *starlark.Thread, x starlark.Value) ([]starlark.Value, error) {
	var elems []starlark.Value
	m := NewMeter(thread)
	switch x := x.(type) {
	case starlark.String:
		if err := reserveElems(thread, len(x), slotSize+strSize); err != nil {
			return nil, err
		}
		for _, r := range string(x) {
			if err := m.Tick(); err != nil {
				return nil, err
			}
			elems = append(elems, starlark.String(string(r)))
		}
	case Bytes:
		if err := reserveElems(thread, len(x), slotSize); err != nil {
			return nil, err
		}
		for i := 0; i < len(x); i++ {
			if err := m.Tick(); err != nil {
				return nil, err
			}
			elems = append(elems, starlark.MakeInt(int(x[i])))
		}
	case *ContainerObject:
		it, err := x.iterator(thread)
		if err != nil {
			return nil, err
		}
		return elements(thread, it)
	case Nexter: // before Iterable: Next returns errors, Iterate cannot
		for {
			if err := m.Tick(); err != nil {
				return nil, err
			}
			v, ok, err := x.Next(thread)
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			elems = append(elems, v)
		}
	case starlark.Iterable:
		if err := reserveElems(thread, starlark.Len(x), slotSize); err != nil {
			return nil, err
		}
		it := x.Iterate()
		defer it.Done()
		var v starlark.Value
		for it.Next(&v) {
			if err := m.Tick(); err != nil {
				return nil, err
			}
			elems = append(elems, v)
		}
	default:
		return nil, Errorf(TypeError, "'%s' object is not iterable", TypeName(x))
	}
	return elems, nil
}

// listIterator is what iter(x) returns for a container: next() and for
// loops consume its elements, each once.
type listIterator struct {
	typeName string
	elems    []starlark.Value
	pos      int
}

var (
	_ Nexter            = (*listIterator)(nil)
	_ starlark.Iterable = (*listIterator)(nil)
)

func (it *listIterator) String() string       { return fmt.Sprintf("<%s object at %p>", it.typeName, it) }
func (it *listIterator) Type() string         { return it.typeName }
func (it *listIterator) Freeze()              {}
func (it *listIterator) Truth() starlark.Bool { return true }
func (it *listIterator) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: '%s'", it.typeName)
}

// Next returns the next element.
func (it *listIterator) Next(*starlark.Thread) (starlark.Value, bool, error) {
	if it.pos >= len(it.elems) {
		return nil, false, nil
	}
	it.pos++
	return it.elems[it.pos-1], true, nil
}

// Iterate lets a for loop consume the remaining elements.
func (it *listIterator) Iterate() starlark.Iterator { return (*listIteration)(it) }

type listIteration listIterator

func (it *listIteration) Next(p *starlark.Value) bool {
	v, ok, _ := (*listIterator)(it).Next(nil)
	if ok {
		*p = v
	}
	return ok
}
func (it *listIteration) Done() {}
