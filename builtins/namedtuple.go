package builtins

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// NamedTupleType is a Python collections.namedtuple class: calling it
// makes a NamedTuple (positional or keyword arguments, with defaults for
// trailing fields), and its instances render as Name(field=value, ...).
type NamedTupleType struct {
	TypeName string
	Fields   []string
	Defaults starlark.Tuple // defaults for the last len(Defaults) fields
	index    map[string]int
}

// NewNamedTupleType declares a namedtuple class.
func NewNamedTupleType(name string, fields []string, defaults ...starlark.Value) *NamedTupleType {
	t := &NamedTupleType{TypeName: name, Fields: fields, Defaults: defaults, index: make(map[string]int, len(fields))}
	for i, f := range fields {
		t.index[f] = i
	}
	return t
}

var (
	_ starlark.Callable   = (*NamedTupleType)(nil)
	_ starlark.Indexable  = (*NamedTuple)(nil)
	_ starlark.Iterable   = (*NamedTuple)(nil)
	_ starlark.HasAttrs   = (*NamedTuple)(nil)
	_ starlark.Comparable = (*NamedTuple)(nil)
)

func (t *NamedTupleType) String() string { return "<class '" + t.TypeName + "'>" }

// Name is the class name.
func (t *NamedTupleType) Name() string          { return t.TypeName }
func (t *NamedTupleType) Type() string          { return "type" }
func (t *NamedTupleType) Freeze()               {}
func (t *NamedTupleType) Truth() starlark.Bool  { return true }
func (t *NamedTupleType) Hash() (uint32, error) { return starlark.String(t.TypeName).Hash() }

// Make returns an instance with the given field values (len(Fields) of them).
func (t *NamedTupleType) Make(values ...starlark.Value) *NamedTuple {
	return &NamedTuple{typ: t, values: values}
}

// CallInternal builds an instance the way namedtuple.__new__ does.
func (t *NamedTupleType) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := len(t.Fields)
	if len(args) > n {
		return nil, Errorf(TypeError, "%s() takes %d positional arguments but %d were given", t.TypeName, n, len(args))
	}
	values := make(starlark.Tuple, n)
	copy(values, args)
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		i, ok := t.index[name]
		if !ok {
			return nil, Errorf(TypeError, "%s() got an unexpected keyword argument '%s'", t.TypeName, name)
		}
		if values[i] != nil {
			return nil, Errorf(TypeError, "%s() got multiple values for argument '%s'", t.TypeName, name)
		}
		values[i] = kv[1]
	}
	firstDefault := n - len(t.Defaults)
	var missing []string
	for i := range values {
		if values[i] == nil {
			if i >= firstDefault {
				values[i] = t.Defaults[i-firstDefault]
			} else {
				missing = append(missing, "'"+t.Fields[i]+"'")
			}
		}
	}
	if len(missing) > 0 {
		arg := "argument"
		if len(missing) > 1 {
			arg = "arguments"
		}
		return nil, Errorf(TypeError, "%s.__new__() missing %d required positional %s: %s", t.TypeName, len(missing), arg, joinPython(missing))
	}
	return &NamedTuple{typ: t, values: values}, nil
}

// joinPython joins names as Python's argument errors do: 'a', 'b' and 'c'.
func joinPython(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// NamedTuple is an instance of a NamedTupleType: a tuple whose elements
// are also attributes. Equality and hashing are by value, as in Python.
type NamedTuple struct {
	typ    *NamedTupleType
	values starlark.Tuple
}

// TypeOf returns the tuple's class.
func (nt *NamedTuple) TypeOf() *NamedTupleType { return nt.typ }

// Values returns the field values in declaration order.
func (nt *NamedTuple) Values() starlark.Tuple { return nt.values }

// Field returns the value of a named field, or nil.
func (nt *NamedTuple) Field(name string) starlark.Value {
	if i, ok := nt.typ.index[name]; ok {
		return nt.values[i]
	}
	return nil
}

func (nt *NamedTuple) String() string {
	var b strings.Builder
	b.WriteString(nt.typ.TypeName)
	b.WriteByte('(')
	for i, f := range nt.typ.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f)
		b.WriteByte('=')
		writeRepr(&b, nt.values[i], nil)
	}
	b.WriteByte(')')
	return b.String()
}

func (nt *NamedTuple) Type() string { return nt.typ.TypeName }
func (nt *NamedTuple) Freeze()      { nt.values.Freeze() }
func (nt *NamedTuple) Truth() starlark.Bool {
	return len(nt.values) > 0
}
func (nt *NamedTuple) Hash() (uint32, error)      { return nt.values.Hash() }
func (nt *NamedTuple) Len() int                   { return len(nt.values) }
func (nt *NamedTuple) Index(i int) starlark.Value { return nt.values[i] }
func (nt *NamedTuple) Iterate() starlark.Iterator { return nt.values.Iterate() }
func (nt *NamedTuple) AttrNames() []string        { return nt.typ.Fields }
func (nt *NamedTuple) Attr(name string) (starlark.Value, error) {
	if v := nt.Field(name); v != nil {
		return v, nil
	}
	return nil, nil
}

// CompareSameType compares two namedtuples as tuples; a namedtuple of a
// different class is compared by its values too, as Python does.
func (nt *NamedTuple) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	other := y.(*NamedTuple)
	if op == syntax.EQL || op == syntax.NEQ {
		eq, err := starlark.EqualDepth(nt.values, other.values, depth)
		if err != nil {
			return false, err
		}
		return eq == (op == syntax.EQL), nil
	}
	if nt.typ != other.typ {
		return false, fmt.Errorf("'%s' not supported between instances of '%s' and '%s'", op, nt.typ.TypeName, other.typ.TypeName)
	}
	return starlark.CompareDepth(op, nt.values, other.values, depth)
}
