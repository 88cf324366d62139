// Package enum is kstar's enum module, as CPython 3.11's:
//
//	Enum, IntEnum, StrEnum   class Color(Enum): RED = 1 ...
//	auto()                   the next value: the last int + 1 (from 1), or
//	                         for StrEnum the member's name in lower case;
//	                         a class's _generate_next_value_ overrides it
//	EnumType (EnumMeta)      the metaclass
//
// A class derived from Enum is made by its metaclass (py.Metaclass) once
// its body has run: each name the body bound to a value that is not a
// function, property, classmethod or staticmethod, nor a _sunder_ or
// __dunder__ name, becomes a member, an instance of the class whose
// _name_ and _value_ are set and whose __init__ (if the class defines
// one) has run with the value (a tuple's items as its arguments). A
// name bound to the value of an earlier member is an alias of it. The
// class iterates over its members (not the aliases), has their number
// for len, is indexed by name (Color['RED']), called with a value
// (Color(1)), and tells members apart with `in`.
//
// Members of IntEnum and StrEnum compare, hash, add and format as their
// values do, but are not ints and strs (kstar cannot derive a class from
// int or str): isinstance(P.HIGH, int) is false, and Go builtins that
// want an int or a str refuse them. An enum that names int or str among
// its bases (class Status(str, Enum)) has values of that type, and
// prints as an Enum, as in CPython 3.11.
package enum

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// kind is the type an enum's values have: any value (Enum), int
// (IntEnum), str (StrEnum).
type kind int

const (
	anyKind kind = iota
	intKind
	strKind
)

// New returns the enum module of one execution.
func New(env *py.Env) starlark.Value {
	meta := &metaclass{}
	enum := defineBase(meta, "Enum", nil, anyKind, enumMethods())
	intEnum := defineBase(meta, "IntEnum", enum, intKind, valueMethods(intKind))
	strEnum := defineBase(meta, "StrEnum", enum, strKind, valueMethods(strKind))
	return &starlarkstruct.Module{Name: "enum", Members: starlark.StringDict{
		"Enum":     enum,
		"IntEnum":  intEnum,
		"StrEnum":  strEnum,
		"EnumType": meta,
		"EnumMeta": meta,
		"auto":     py.Func("auto", newAuto),
		"unique":   py.Func("unique", unique),
	}}
}

// defineBase makes one of the module's enum classes, derived from base
// (none for Enum) with the methods methods.
func defineBase(meta *metaclass, name string, base *enumClass, k kind, methods map[string]starlark.Value) *enumClass {
	var bases []starlark.Value
	if base != nil {
		bases = []starlark.Value{base}
	}
	names := make([]string, 0, len(methods))
	for n := range methods {
		names = append(names, n)
	}
	v, err := py.DefineClass(nil, "enum", name, bases, names, methods, meta)
	if err != nil {
		panic(err) // the module's own classes are well formed
	}
	e := v.(*enumClass)
	e.kind = k
	return e
}

// metaclass is enum.EnumType: it makes the classes derived from Enum.
type metaclass struct{}

func (*metaclass) String() string        { return "<class 'enum.EnumType'>" }
func (*metaclass) Type() string          { return "type" }
func (*metaclass) Freeze()               {}
func (*metaclass) Truth() starlark.Bool  { return true }
func (*metaclass) Hash() (uint32, error) { return starlark.String("enum.EnumType").Hash() }

// TakesMixins lets an enum name int or str among its bases, as the type
// of its values: class Status(str, Enum).
func (m *metaclass) TakesMixins() {}

// DataValue is the int or str value of a member of an int or str enum
// (IntEnum, StrEnum, class S(str, Enum)), which CPython's members are.
func (m *metaclass) DataValue(member starlark.Value) (starlark.Value, bool) {
	e, ok := py.TypeOf(member).(*enumClass)
	if !ok || e.kind != intKind && e.kind != strKind {
		return nil, false
	}
	v, err := py.GetAttr(member, "_value_")
	return v, err == nil
}

// NewClass makes the members of the class c, which a class statement
// (or defineBase) made.
func (m *metaclass) NewClass(thread *starlark.Thread, c *py.Class) (starlark.Value, error) {
	e := &enumClass{Class: c, byName: map[string]starlark.Value{}, byHashable: starlark.NewDict(0)}
	for _, b := range c.Bases() {
		base, ok := b.Value().(*enumClass)
		if !ok {
			continue
		}
		if len(base.members) > 0 {
			return nil, py.Errorf(py.TypeError, "%s cannot extend %s", e.String(), base.String())
		}
		e.kind = max(e.kind, base.kind)
		e.mixin = e.mixin || base.mixin
	}
	for _, t := range c.Mixins() {
		switch t {
		case "int":
			e.kind, e.mixin = intKind, true
		case "str":
			e.kind, e.mixin = strKind, true
		default:
			return nil, py.Errorf(py.TypeError, "kstar's enums take int or str as a data type, not %s", t)
		}
	}
	if thread == nil { // the module's own classes have no members
		return e, nil
	}
	var lastValues []starlark.Value
	for _, name := range c.Names() {
		v := c.Own(name)
		if !isMemberName(name) || isDescriptor(v) {
			continue
		}
		if _, ok := v.(*auto); ok {
			var err error
			if v, err = e.nextValue(thread, name, lastValues); err != nil {
				return nil, err
			}
		}
		if err := e.addMember(thread, name, v); err != nil {
			return nil, err
		}
		lastValues = append(lastValues, v)
	}
	for _, name := range e.names {
		if err := c.SetField(name, e.byName[name]); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// isMemberName reports whether a name of an enum's body may be a member:
// neither _sunder_ nor __dunder__ nor a private __name.
func isMemberName(name string) bool {
	if len(name) > 2 && strings.HasPrefix(name, "_") && strings.HasSuffix(name, "_") {
		return false
	}
	return !strings.HasPrefix(name, "__")
}

// isDescriptor reports whether a value of an enum's body is a method or
// property of the class rather than a member.
func isDescriptor(v starlark.Value) bool {
	switch v.(type) {
	case *starlark.Function, py.MethodLike, *py.Property, py.ClassValue, *py.Class:
		return true
	}
	switch v.Type() {
	case "classmethod", "staticmethod":
		return true
	}
	return false
}

// nextValue is the value auto() stands for: _generate_next_value_(name,
// 1, count, last_values) when the class defines one, else the default of
// its kind.
func (e *enumClass) nextValue(thread *starlark.Thread, name string, lastValues []starlark.Value) (starlark.Value, error) {
	if e.Lookup("_generate_next_value_") != nil { // the script's: the module's classes define none
		gen, err := e.Class.Attr("_generate_next_value_")
		if err != nil {
			return nil, err
		}
		return starlark.Call(thread, gen, starlark.Tuple{starlark.String(name), starlark.MakeInt(1), starlark.MakeInt(len(e.members)), starlark.NewList(append([]starlark.Value(nil), lastValues...))}, nil)
	}
	if e.kind == strKind && !e.mixin {
		return starlark.String(strings.ToLower(name)), nil
	}
	for i := len(lastValues) - 1; i >= 0; i-- {
		if n, ok := lastValues[i].(starlark.Int); ok {
			return n.Add(starlark.MakeInt(1)), nil
		}
	}
	return starlark.MakeInt(1), nil
}

// addMember makes the member name of value v, or the alias of the member
// that has v already.
func (e *enumClass) addMember(thread *starlark.Thread, name string, v starlark.Value) error {
	if _, ok := v.(starlark.String); e.mixin && e.kind == strKind && !ok {
		v = starlark.String(py.Str(v)) // str(v), as the str data type makes the value
	}
	switch e.kind {
	case intKind:
		if _, ok := v.(starlark.Int); !ok { // int(v), as the int data type makes the value
			var err error
			if v, err = starlark.Call(thread, py.IntType, starlark.Tuple{v}, nil); err != nil {
				return err
			}
		}
	case strKind:
		if _, ok := v.(starlark.String); !ok {
			return py.Errorf(py.TypeError, "%s is not a string", py.Repr(v))
		}
	}
	if m, err := e.byValue(v); m != nil || err != nil {
		e.names = append(e.names, name)
		e.byName[name] = m
		return err
	}
	m := e.NewInstance()
	if err := py.SetInstanceAttr(thread, m, "_value_", v); err != nil {
		return err
	}
	if err := py.SetInstanceAttr(thread, m, "_name_", starlark.String(name)); err != nil {
		return err
	}
	if init := e.Lookup("__init__"); init != nil && init != py.ObjectType.Own("__init__") {
		args := starlark.Tuple{v}
		if t, ok := v.(starlark.Tuple); ok {
			args = t
		}
		bound, err := m.(starlark.HasAttrs).Attr("__init__")
		if err != nil {
			return err
		}
		if _, err := starlark.Call(thread, bound, args, nil); err != nil {
			return err
		}
	}
	if _, err := v.Hash(); err == nil {
		if err := e.byHashable.SetKey(v, m); err != nil {
			return err
		}
	} else {
		e.unhashable = append(e.unhashable, m)
	}
	e.members = append(e.members, m)
	e.names = append(e.names, name)
	e.byName[name] = m
	return nil
}

// byValue returns the member whose value is v, or nil: looked up in
// byHashable, or for a value that cannot be hashed, compared with each
// member's that cannot either (CPython's _value2member_map_ and
// _unhashable_values_).
func (e *enumClass) byValue(v starlark.Value) (starlark.Value, error) {
	if _, err := v.Hash(); err == nil {
		m, found, err := e.byHashable.Get(v)
		if !found {
			return nil, err
		}
		return m, err
	}
	for _, m := range e.unhashable {
		if eq, err := starlark.Equal(py.InstanceAttr(m, "_value_"), v); eq || err != nil {
			return m, err
		}
	}
	return nil, nil
}

// enumClass is a class derived from Enum, as scripts see it.
type enumClass struct {
	*py.Class
	kind    kind
	mixin   bool                      // whether the kind comes from a data type named among the bases: class Status(str, Enum)
	members []starlark.Value          // in definition order, without aliases
	names   []string                  // the members' and the aliases' names, in definition order
	byName  map[string]starlark.Value // the members and aliases by name

	byHashable *starlark.Dict   // the members by value, for values that can be hashed
	unhashable []starlark.Value // the members whose values cannot
}

var (
	_ py.ClassValue      = (*enumClass)(nil)
	_ starlark.Sequence  = (*enumClass)(nil)
	_ starlark.Mapping   = (*enumClass)(nil)
	_ starlark.Container = (*enumClass)(nil)
	_ starlark.Callable  = (*enumClass)(nil)
	_ py.AttrDeleter     = (*enumClass)(nil)
)

// ScriptClass is the class.
func (e *enumClass) ScriptClass() *py.Class { return e.Class }

func (e *enumClass) String() string { return "<enum '" + e.Name() + "'>" }

// Iterate iterates over the members, without the aliases.
func (e *enumClass) Iterate() starlark.Iterator { return starlark.Tuple(e.members).Iterate() }

// Len is the number of members, without the aliases.
func (e *enumClass) Len() int { return len(e.members) }

// Get is Color['RED']: the member or alias of that name.
func (e *enumClass) Get(k starlark.Value) (starlark.Value, bool, error) {
	if s, ok := k.(starlark.String); ok {
		if m, ok := e.byName[string(s)]; ok {
			return m, true, nil
		}
	}
	return nil, false, py.KeyErrorOf(k)
}

// Has is `x in Color`: whether x is one of its members.
func (e *enumClass) Has(x starlark.Value) (bool, error) {
	if c := py.ClassOf(x); c == nil || !isEnum(c.Value()) {
		return false, py.Errorf(py.TypeError, "unsupported operand type(s) for 'in': '%s' and 'EnumType'", py.ClassName(x))
	}
	for _, m := range e.members {
		if m == x {
			return true, nil
		}
	}
	return false, nil
}

// isEnum reports whether v is an enum class.
func isEnum(v starlark.Value) bool {
	_, ok := v.(*enumClass)
	return ok
}

// CallInternal is Color(value): the member of that value.
func (e *enumClass) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 && len(kwargs) == 0 {
		return nil, py.Errorf(py.TypeError, "EnumType.__call__() missing 1 required positional argument: 'value'")
	}
	if len(args) != 1 || len(kwargs) > 0 {
		return e.functional(thread, args, kwargs)
	}
	if len(e.members) == 0 {
		return nil, py.Errorf(py.TypeError, "%s has no members defined", e.String())
	}
	if c := py.ClassOf(args[0]); c != nil && c.Value() == starlark.Value(e) {
		return args[0], nil
	}
	m, err := e.byValue(args[0])
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, py.Errorf(py.ValueError, "%s is not a valid %s", py.Repr(args[0]), e.Name())
	}
	return m, nil
}

// functional is the functional API, Enum(name, names, *, module,
// start=1) (module names the module the class says it is of): a
// class derived from e whose members names gives, as a str of names
// separated by spaces or commas, a sequence of names or of (name, value)
// pairs, or a dict; names alone get values as auto() would, from start.
func (e *enumClass) functional(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var names starlark.Value
	module := "__main__"
	start := 1
	if err := starlark.UnpackArgs(e.Name(), args, kwargs, "value", &name, "names", &names, "module?", &module, "start?", &start); err != nil {
		return nil, err
	}
	if len(e.members) > 0 {
		return nil, py.Errorf(py.TypeError, "<enum '%s'> cannot extend %s", name, e.String())
	}
	var order []string
	attrs := map[string]starlark.Value{}
	add := func(n string, v starlark.Value) {
		if v == nil {
			if e.kind == strKind && !e.mixin {
				v = starlark.String(strings.ToLower(n))
			} else {
				v = starlark.MakeInt(start + len(order))
			}
		}
		order = append(order, n)
		attrs[n] = v
	}
	switch x := names.(type) {
	case starlark.String:
		for _, n := range strings.Fields(strings.ReplaceAll(string(x), ",", " ")) {
			add(n, nil)
		}
	case starlark.IterableMapping:
		for _, kv := range x.Items() {
			n, ok := kv[0].(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "member names must be strings, not %s", py.TypeName(kv[0]))
			}
			add(string(n), kv[1])
		}
	default:
		items, err := py.Elements(thread, names)
		if err != nil {
			return nil, err
		}
		for _, item := range items {
			if n, ok := item.(starlark.String); ok {
				add(string(n), nil)
				continue
			}
			pair, err := py.Elements(thread, item)
			if err != nil || len(pair) != 2 {
				return nil, py.Errorf(py.TypeError, "members must be names or (name, value) pairs, not %s", py.Repr(item))
			}
			n, ok := pair[0].(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "member names must be strings, not %s", py.TypeName(pair[0]))
			}
			add(string(n), pair[1])
		}
	}
	return py.DefineClass(thread, module, name, []starlark.Value{e}, order, attrs, nil)
}

// Attr adds __members__ and _member_names_ to the class's attributes.
func (e *enumClass) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__members__":
		d := starlark.NewDict(len(e.names))
		for _, n := range e.names {
			if err := d.SetKey(starlark.String(n), e.byName[n]); err != nil {
				return nil, err
			}
		}
		return d, nil
	case "_member_names_":
		var names []starlark.Value
		for _, n := range e.names {
			if py.InstanceAttr(e.byName[n], "_name_") == starlark.String(n) {
				names = append(names, starlark.String(n))
			}
		}
		return starlark.NewList(names), nil
	}
	return e.Class.Attr(name)
}

// AttrNames lists the class's attributes and __members__.
func (e *enumClass) AttrNames() []string {
	return append(e.Class.AttrNames(), "__members__", "_member_names_")
}

// SetField refuses to rebind a member.
func (e *enumClass) SetField(name string, v starlark.Value) error {
	if _, ok := e.byName[name]; ok {
		return py.Errorf(py.AttributeError, "cannot reassign member '%s'", name)
	}
	return e.Class.SetField(name, v)
}

// DelAttr refuses to delete a member: del Color.RED.
func (e *enumClass) DelAttr(name string) error {
	if _, ok := e.byName[name]; ok {
		return py.Errorf(py.AttributeError, "'%s' cannot delete member '%s'.", e.Name(), name)
	}
	return py.Errorf(py.AttributeError, "kstar cannot delete the attribute '%s' of a class", name)
}

// auto is auto(): a member's value to be made when the class is.
type auto struct{}

func (*auto) String() string          { return "auto(_auto_null)" }
func (*auto) Type() string            { return "auto" }
func (*auto) Freeze()                 {}
func (*auto) Truth() starlark.Bool    { return true }
func (a *auto) Hash() (uint32, error) { return starlark.String("auto").Hash() }

func newAuto(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return &auto{}, nil
}

// unique is the class decorator @unique: a ValueError names the aliases.
func unique(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cls starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &cls); err != nil {
		return nil, err
	}
	e, ok := cls.(*enumClass)
	if !ok {
		return nil, py.Errorf(py.TypeError, "unique() argument must be an enum, not %s", py.TypeName(cls))
	}
	var dups []string
	for _, n := range e.names {
		if canonical := py.InstanceAttr(e.byName[n], "_name_"); canonical != starlark.String(n) {
			dups = append(dups, n+" -> "+string(canonical.(starlark.String)))
		}
	}
	if len(dups) > 0 {
		return nil, py.Errorf(py.ValueError, "duplicate values found in %s: %s", e.String(), strings.Join(dups, ", "))
	}
	return e, nil
}

// member returns the _name_ and _value_ of the member self.
func member(args starlark.Tuple) (string, starlark.Value, error) {
	if len(args) == 0 {
		return "", nil, py.Errorf(py.TypeError, "descriptor needs an argument")
	}
	name, _ := py.InstanceAttr(args[0], "_name_").(starlark.String)
	value := py.InstanceAttr(args[0], "_value_")
	if value == nil {
		return "", nil, py.Errorf(py.TypeError, "%s is not an enum member", py.TypeName(args[0]))
	}
	return string(name), value, nil
}

// enumMethods are Enum's: name, value, repr <Color.RED: 1>, str
// Color.RED, and format as str.
func enumMethods() map[string]starlark.Value {
	getter := func(attr string) *py.Property {
		fget := py.Func(attr, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			name, value, err := member(args)
			if attr == "name" {
				return starlark.String(name), err
			}
			return value, err
		})
		fset := py.Func(attr, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return nil, py.Errorf(py.AttributeError, "<enum 'Enum'> cannot set attribute '%s'", attr)
		})
		return py.NewProperty(fget, fset)
	}
	return map[string]starlark.Value{
		"name":  getter("name"),
		"value": getter("value"),
		"__repr__": py.Method("__repr__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			name, value, err := member(args)
			if err != nil {
				return nil, err
			}
			return starlark.String("<" + py.ClassName(args[0]) + "." + name + ": " + py.Repr(value) + ">"), nil
		}),
		"__str__": py.Method("__str__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			name, _, err := member(args)
			return starlark.String(py.ClassName(args[0]) + "." + name), err
		}),
		"__copy__":     py.Method("__copy__", itself),
		"__deepcopy__": py.Method("__deepcopy__", itself),
		"__format__": py.Method("__format__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var self starlark.Value
			var spec string
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &self, &spec); err != nil {
				return nil, err
			}
			s, err := py.StrOf(thread, self)
			if err != nil {
				return nil, err
			}
			f, err := py.Format(starlark.String(s), spec)
			return starlark.String(f), err
		}),
	}
}

// itself is a member's __copy__ and __deepcopy__: members are singletons.
func itself(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "%s() needs an argument", b.Name())
	}
	return args[0], nil
}

// valueMethods are IntEnum's and StrEnum's: str and format as the value,
// comparisons, hash and arithmetic of the value.
func valueMethods(k kind) map[string]starlark.Value {
	methods := map[string]starlark.Value{}
	unary := func(name string, f func(value starlark.Value) (starlark.Value, error)) {
		methods[name] = py.Method(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			_, value, err := member(args)
			if err != nil {
				return nil, err
			}
			return f(value)
		})
	}
	binary := func(name string, f func(x, y starlark.Value) (starlark.Value, error)) {
		methods[name] = py.Method(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			_, value, err := member(args)
			if err != nil {
				return nil, err
			}
			if len(args) != 2 {
				return nil, py.Errorf(py.TypeError, "expected 1 argument, got %d", len(args)-1)
			}
			other := args[1]
			if v := py.InstanceAttr(other, "_value_"); v != nil {
				other = v
			}
			return f(value, other)
		})
	}
	unary("__str__", func(v starlark.Value) (starlark.Value, error) { return starlark.String(py.Str(v)), nil })
	unary("__hash__", func(v starlark.Value) (starlark.Value, error) {
		h, err := v.Hash()
		return starlark.MakeUint(uint(h)), err
	})
	methods["__format__"] = py.Method("__format__", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		_, value, err := member(args)
		if err != nil {
			return nil, err
		}
		var spec string
		if err := starlark.UnpackPositionalArgs(b.Name(), args[1:], kwargs, 1, &spec); err != nil {
			return nil, err
		}
		s, err := py.Format(value, spec)
		return starlark.String(s), err
	})
	for name, op := range map[string]syntax.Token{"__eq__": syntax.EQL, "__ne__": syntax.NEQ, "__lt__": syntax.LT, "__le__": syntax.LE, "__gt__": syntax.GT, "__ge__": syntax.GE} {
		binary(name, func(x, y starlark.Value) (starlark.Value, error) {
			ok, err := starlark.Compare(op, x, y)
			if err != nil && (op == syntax.EQL || op == syntax.NEQ) {
				return starlark.Bool(op == syntax.NEQ), nil
			}
			return starlark.Bool(ok), err
		})
	}
	ops := map[string]syntax.Token{"add": syntax.PLUS, "mul": syntax.STAR, "mod": syntax.PERCENT}
	if k == intKind {
		for name, op := range map[string]syntax.Token{"sub": syntax.MINUS, "truediv": syntax.SLASH, "floordiv": syntax.SLASHSLASH, "and": syntax.AMP, "or": syntax.PIPE, "xor": syntax.CIRCUMFLEX, "lshift": syntax.LTLT, "rshift": syntax.GTGT} {
			ops[name] = op
		}
		unary("__int__", func(v starlark.Value) (starlark.Value, error) { return v, nil })
		unary("__index__", func(v starlark.Value) (starlark.Value, error) { return v, nil })
	}
	for name, op := range ops {
		binary("__"+name+"__", func(x, y starlark.Value) (starlark.Value, error) { return starlark.Binary(op, x, y) })
		binary("__r"+name+"__", func(x, y starlark.Value) (starlark.Value, error) { return starlark.Binary(op, y, x) })
	}
	return methods
}
