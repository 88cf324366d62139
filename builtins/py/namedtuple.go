package py

import (
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// NamedTupleType is a Python collections.namedtuple class: calling it
// makes an instance (positional or keyword arguments, with defaults for
// trailing fields), and its instances render as Name(field=value, ...).
// Its attributes are _fields, _make and __name__.
type NamedTupleType struct {
	TypeName string
	// Module is the Python module that defines the class ("kafka.structs"),
	// shown in its repr; "" when TypeName says it all ("time.struct_time").
	Module   string
	Fields   []string
	Defaults starlark.Tuple // defaults for the last len(Defaults) fields
	index    map[string]int
	// MakeInstance builds an instance from all of its field values; nil makes a
	// *NamedTuple.
	MakeInstance func(values starlark.Tuple) starlark.Value
}

// FieldIndex returns the position of the field name.
func (t *NamedTupleType) FieldIndex(name string) (int, bool) {
	i, ok := t.index[name]
	return i, ok
}

// NewNamedTupleType declares a namedtuple class.
func NewNamedTupleType(name string, fields []string, defaults ...starlark.Value) *NamedTupleType {
	t := &NamedTupleType{TypeName: name, Fields: fields, Defaults: defaults, index: make(map[string]int, len(fields))}
	for i, f := range fields {
		t.index[f] = i
	}
	namedTupleNames.Store(name, true)
	return t
}

// namedTupleNames holds the class name of every NamedTupleType, which is
// the Type() of its instances.
var namedTupleNames sync.Map

// IsNamedTuple reports whether typeName, a value's Type(), names a
// namedtuple class: the runtime words such a value's index errors as a
// tuple's, as Python does.
func IsNamedTuple(typeName string) bool {
	_, ok := namedTupleNames.Load(typeName)
	return ok
}

var (
	_ starlark.Callable = (*NamedTupleType)(nil)
	_ starlark.HasAttrs = (*NamedTupleType)(nil)
	_ NamedTupleValue   = (*NamedTuple)(nil)
)

func (t *NamedTupleType) String() string {
	if t.Module != "" {
		return "<class '" + t.Module + "." + t.TypeName + "'>"
	}
	return "<class '" + t.TypeName + "'>"
}

// Name is the class name.
func (t *NamedTupleType) Name() string          { return t.TypeName }
func (t *NamedTupleType) Type() string          { return "type" }
func (t *NamedTupleType) Freeze()               {}
func (t *NamedTupleType) Truth() starlark.Bool  { return true }
func (t *NamedTupleType) Hash() (uint32, error) { return starlark.String(t.TypeName).Hash() }

// Make returns a *NamedTuple with the given field values (len(Fields) of
// them).
func (t *NamedTupleType) Make(values ...starlark.Value) *NamedTuple {
	return &NamedTuple{typ: t, values: values}
}

// instance builds an instance from all of its field values.
func (t *NamedTupleType) instance(values starlark.Tuple) starlark.Value {
	if t.MakeInstance != nil {
		return t.MakeInstance(values)
	}
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
	return t.instance(values), nil
}

// Attr returns the class attributes: _fields, _make and __name__.
func (t *NamedTupleType) Attr(name string) (starlark.Value, error) {
	switch name {
	case "_fields":
		return t.fieldNames(), nil
	case "_make":
		return makeBuiltin.BindReceiver(t), nil
	case "__name__":
		return starlark.String(t.TypeName), nil
	}
	return nil, attributeError(t, name)
}

// AttrNames lists the class attributes.
func (t *NamedTupleType) AttrNames() []string { return []string{"__name__", "_fields", "_make"} }

// fieldNames is _fields: the field names as a tuple of str.
func (t *NamedTupleType) fieldNames() starlark.Tuple {
	names := make(starlark.Tuple, len(t.Fields))
	for i, f := range t.Fields {
		names[i] = starlark.String(f)
	}
	return names
}

// makeBuiltin is the classmethod _make(iterable), bound to its class.
var makeBuiltin = starlark.NewBuiltin("_make", Guard(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	t := b.Receiver().(*NamedTupleType)
	var iterable starlark.Value
	if err := starlark.UnpackPositionalArgs(t.TypeName+"._make", args, kwargs, 1, &iterable); err != nil {
		return nil, err
	}
	values, err := elements(thread, iterable)
	if err != nil {
		return nil, err
	}
	if len(values) != len(t.Fields) {
		return nil, Errorf(TypeError, "Expected %d arguments, got %d", len(t.Fields), len(values))
	}
	return t.instance(values), nil
}))

// joinPython joins names as Python's argument errors do: 'a', 'b' and 'c'.
func joinPython(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// NamedTupleValue is an instance of a NamedTupleType. *NamedTuple holds its
// values; a ConsumerRecord makes them from the fetched record as they are
// read. What makes either behave as Python's namedtuple (a tuple whose
// elements are also attributes) is implemented once, by the NamedTuple* functions
// below, on top of these methods: _fields, _asdict, _replace and _make,
// indexing, slicing, iteration, len, in, + and *, comparison and hashing
// as tuples, and the repr. Only the field attributes are each type's own,
// for speed.
type NamedTupleValue interface {
	starlark.Indexable
	// TypeOf returns the instance's class.
	TypeOf() *NamedTupleType
	// Replace returns a copy with the non-nil values in place of the
	// fields (len(Fields) values).
	Replace(values starlark.Tuple) starlark.Value
}

// NamedTupleValues returns the field values of nt as a tuple.
func NamedTupleValues(nt NamedTupleValue) starlark.Tuple {
	if v, ok := nt.(*NamedTuple); ok {
		return v.values
	}
	t := make(starlark.Tuple, nt.Len())
	for i := range t {
		t[i] = nt.Index(i)
	}
	return t
}

// NamedTupleMethod returns one of the namedtuple attributes that are not fields:
// _fields, _asdict, _replace and the class's _make; nil for any other
// name. Each type looks its fields up itself first: the hot path.
func NamedTupleMethod(nt NamedTupleValue, name string) starlark.Value {
	typ := nt.TypeOf()
	switch name {
	case "_fields":
		return typ.fieldNames()
	case "_make":
		return makeBuiltin.BindReceiver(typ)
	case "_asdict":
		return asdictBuiltin.BindReceiver(nt)
	case "_replace":
		return replaceBuiltin.BindReceiver(nt)
	}
	return nil
}

// NamedTupleAttrNames lists the fields and methods of t's instances.
func NamedTupleAttrNames(t *NamedTupleType) []string {
	return append(append(make([]string, 0, len(t.Fields)+4), t.Fields...), "_asdict", "_fields", "_make", "_replace")
}

// asdictBuiltin is _asdict(): a dict of field name to value, in order.
var asdictBuiltin = starlark.NewBuiltin("_asdict", Guard(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	nt := b.Receiver().(NamedTupleValue)
	typ := nt.TypeOf()
	if len(args) > 0 {
		return nil, Errorf(TypeError, "%s._asdict() takes 1 positional argument but %d were given", typ.TypeName, len(args)+1)
	}
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "%s._asdict() got an unexpected keyword argument '%s'", typ.TypeName, string(kwargs[0][0].(starlark.String)))
	}
	d := starlark.NewDict(len(typ.Fields))
	for i, f := range typ.Fields {
		_ = d.SetKey(starlark.String(f), nt.Index(i))
	}
	return d, nil
}))

// replaceBuiltin is _replace(**fields): a copy with some fields changed.
var replaceBuiltin = starlark.NewBuiltin("_replace", Guard(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	nt := b.Receiver().(NamedTupleValue)
	typ := nt.TypeOf()
	if len(args) > 0 {
		return nil, Errorf(TypeError, "%s._replace() takes 1 positional argument but %d were given", typ.TypeName, len(args)+1)
	}
	values := make(starlark.Tuple, len(typ.Fields))
	var unexpected []string
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		if i, ok := typ.index[name]; ok {
			values[i] = kv[1]
		} else {
			unexpected = append(unexpected, Repr(kv[0]))
		}
	}
	if len(unexpected) > 0 {
		return nil, Errorf(ValueError, "Got unexpected field names: [%s]", strings.Join(unexpected, ", "))
	}
	return nt.Replace(values), nil
}))

// NamedTupleRepr renders Name(field=value, ...).
func NamedTupleRepr(nt NamedTupleValue) string {
	typ := nt.TypeOf()
	var b strings.Builder
	b.Grow(16 * len(typ.Fields))
	b.WriteString(typ.TypeName)
	b.WriteByte('(')
	for i, f := range typ.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f)
		b.WriteByte('=')
		WriteRepr(&b, nt.Index(i), nil)
	}
	b.WriteByte(')')
	return b.String()
}

// NamedTupleHash hashes nt as the tuple of its values, so a namedtuple and a
// tuple with the same values hash alike, as in Python.
func NamedTupleHash(nt NamedTupleValue) (uint32, error) {
	h, err := NamedTupleValues(nt).Hash()
	if err != nil && AsException(err) == nil {
		// Starlark's "unhashable type: list" in Python's words.
		if name, ok := strings.CutPrefix(err.Error(), "unhashable type: "); ok && !strings.HasPrefix(name, "'") {
			err = Errorf(TypeError, "unhashable type: '%s'", name)
		}
	}
	return h, err
}

// NamedTupleCompare compares two namedtuples as tuples: their classes do not
// matter (Python compares any two tuples by their elements).
func NamedTupleCompare(op syntax.Token, x, y NamedTupleValue, depth int) (bool, error) {
	return starlark.CompareDepth(op, NamedTupleValues(x), NamedTupleValues(y), depth)
}

// NamedTupleSlice is nt[start:end:step], a plain tuple.
func NamedTupleSlice(nt NamedTupleValue, start, end, step int) starlark.Value {
	return NamedTupleValues(nt).Slice(start, end, step)
}

// NamedTupleHas is `x in nt`.
func NamedTupleHas(nt NamedTupleValue, x starlark.Value) (bool, error) {
	return NamedTupleValues(nt).Has(x)
}

// NamedTupleBinary is + with a tuple or namedtuple and * with an int: both give a
// plain tuple, as in Python.
func NamedTupleBinary(op syntax.Token, nt NamedTupleValue, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch op {
	case syntax.PLUS:
		var other starlark.Tuple
		switch y := y.(type) {
		case starlark.Tuple:
			other = y
		case NamedTupleValue:
			other = NamedTupleValues(y)
		default:
			if side == starlark.Left {
				return nil, Errorf(TypeError, "can only concatenate tuple (not \"%s\") to tuple", TypeName(y))
			}
			return nil, nil
		}
		if side == starlark.Left {
			return append(append(starlark.Tuple{}, NamedTupleValues(nt)...), other...), nil
		}
		return append(append(starlark.Tuple{}, other...), NamedTupleValues(nt)...), nil
	case syntax.STAR:
		if _, ok := y.(starlark.Int); ok {
			return starlark.Binary(op, NamedTupleValues(nt), y)
		}
		if side == starlark.Left {
			return nil, Errorf(TypeError, "can't multiply sequence by non-int of type '%s'", TypeName(y))
		}
	}
	return nil, nil
}

// NamedTuple is an instance of a NamedTupleType that holds its values.
// Equality and hashing are by value, as in Python.
type NamedTuple struct {
	typ    *NamedTupleType
	values starlark.Tuple
}

var (
	_ starlark.Indexable  = (*NamedTuple)(nil)
	_ starlark.Sliceable  = (*NamedTuple)(nil)
	_ starlark.Iterable   = (*NamedTuple)(nil)
	_ starlark.HasAttrs   = (*NamedTuple)(nil)
	_ starlark.Comparable = (*NamedTuple)(nil)
	_ starlark.Container  = (*NamedTuple)(nil)
	_ starlark.HasBinary  = (*NamedTuple)(nil)
)

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

func (nt *NamedTuple) Replace(values starlark.Tuple) starlark.Value {
	for i, v := range values {
		if v == nil {
			values[i] = nt.values[i]
		}
	}
	return nt.typ.instance(values)
}

func (nt *NamedTuple) String() string                     { return NamedTupleRepr(nt) }
func (nt *NamedTuple) Type() string                       { return nt.typ.TypeName }
func (nt *NamedTuple) Freeze()                            { nt.values.Freeze() }
func (nt *NamedTuple) Truth() starlark.Bool               { return len(nt.values) > 0 }
func (nt *NamedTuple) Hash() (uint32, error)              { return NamedTupleHash(nt) }
func (nt *NamedTuple) Len() int                           { return len(nt.values) }
func (nt *NamedTuple) Index(i int) starlark.Value         { return nt.values[i] }
func (nt *NamedTuple) Iterate() starlark.Iterator         { return nt.values.Iterate() }
func (nt *NamedTuple) AttrNames() []string                { return NamedTupleAttrNames(nt.typ) }
func (nt *NamedTuple) Has(x starlark.Value) (bool, error) { return NamedTupleHas(nt, x) }
func (nt *NamedTuple) Slice(start, end, step int) starlark.Value {
	return NamedTupleSlice(nt, start, end, step)
}
func (nt *NamedTuple) Attr(name string) (starlark.Value, error) {
	if i, ok := nt.typ.index[name]; ok {
		return nt.values[i], nil
	}
	return NamedTupleMethod(nt, name), nil
}
func (nt *NamedTuple) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	return NamedTupleBinary(op, nt, y, side)
}

// CompareSameType compares two namedtuples as tuples, whatever their
// classes.
func (nt *NamedTuple) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return NamedTupleCompare(op, nt, y.(*NamedTuple), depth)
}
