// Package dataclasses is kstar's dataclasses module:
//
//	dataclass(cls=None, *, init=True, repr=True, eq=True, order=False,
//	          unsafe_hash=False, frozen=False, match_args=True,
//	          kw_only=False, slots=False)
//	field(*, default, default_factory, init, repr, hash, compare,
//	      metadata, kw_only)
//	fields, asdict, astuple, replace, is_dataclass, FrozenInstanceError,
//	MISSING, InitVar, KW_ONLY
//
// @dataclass reads the class's __annotations__ (in order, after its
// dataclass bases' fields) and gives the class the methods CPython 3.11
// generates: __init__ (defaults, default factories, __post_init__ with
// the InitVar values, CPython's TypeErrors for missing, unexpected and
// repeated arguments), __repr__ (P(x=1, y='a')), __eq__, the order
// methods, __hash__ by CPython's table, and for frozen classes
// __setattr__ raising FrozenInstanceError. The methods are Go functions
// bound as methods (py.MethodLike), made once per class.
package dataclasses

import (
	"fmt"
	"reflect"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// FrozenInstanceError is raised by assigning to a field of a frozen
// dataclass instance.
var FrozenInstanceError = py.NewExceptionClass("FrozenInstanceError", "dataclasses", py.AttributeError)

// New returns the dataclasses module (one per execution; it keeps no
// state).
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "dataclasses", Members: starlark.StringDict{
		"dataclass":           py.Func("dataclass", dataclass),
		"field":               py.Func("field", newField),
		"fields":              py.Func("fields", fieldsOf),
		"asdict":              py.Func("asdict", asdict),
		"astuple":             py.Func("astuple", astuple),
		"replace":             py.Func("replace", replace),
		"is_dataclass":        py.Func("is_dataclass", isDataclass),
		"FrozenInstanceError": FrozenInstanceError,
		"MISSING":             missing,
		"KW_ONLY":             kwOnly,
		"InitVar":             initVarType{},
		"Field":               fieldClass,
	}}
}

// sentinel is MISSING or KW_ONLY.
type sentinel struct{ class string }

func (s *sentinel) String() string        { return fmt.Sprintf("<dataclasses.%s object at %p>", s.class, s) }
func (s *sentinel) Type() string          { return s.class }
func (s *sentinel) Freeze()               {}
func (s *sentinel) Truth() starlark.Bool  { return true }
func (s *sentinel) Hash() (uint32, error) { return starlark.String(s.class).Hash() }

var (
	// missing is MISSING: no default, no default_factory.
	missing = &sentinel{"_MISSING_TYPE"}
	// kwOnly is KW_ONLY: the fields annotated after _: KW_ONLY are
	// keyword-only.
	kwOnly = &sentinel{"_KW_ONLY_TYPE"}
)

// fieldClass is dataclasses.Field, for isinstance.
var fieldClass = py.NewClass("dataclasses.Field", nil, func(v starlark.Value) bool { _, ok := v.(*Field); return ok }, nil)

// ---- InitVar ----

// initVarType is InitVar: InitVar[int] annotates an init-only
// parameter, passed to __post_init__ and not a field.
type initVarType struct{}

func (initVarType) String() string        { return "<class 'dataclasses.InitVar'>" }
func (initVarType) Type() string          { return "type" }
func (initVarType) Freeze()               {}
func (initVarType) Truth() starlark.Bool  { return true }
func (initVarType) Hash() (uint32, error) { return starlark.String("InitVar").Hash() }

// Get is InitVar[type].
func (initVarType) Get(k starlark.Value) (starlark.Value, bool, error) {
	return &initVar{typ: k}, true, nil
}

// initVar is InitVar[type].
type initVar struct{ typ starlark.Value }

func (v *initVar) String() string        { return "dataclasses.InitVar[" + py.TypeRepr(v.typ) + "]" }
func (v *initVar) Type() string          { return "dataclasses.InitVar" }
func (v *initVar) Freeze()               {}
func (v *initVar) Truth() starlark.Bool  { return true }
func (v *initVar) Hash() (uint32, error) { return starlark.String(v.String()).Hash() }

// ---- Field ----

// fieldKind tells fields from class variables and init-only variables.
type fieldKind int

const (
	kindField fieldKind = iota
	kindClassVar
	kindInitVar
)

var fieldKindNames = [...]string{"_FIELD", "_FIELD_CLASSVAR", "_FIELD_INITVAR"}

// Field is what field() returns and fields() lists.
type Field struct {
	name                string
	typ                 starlark.Value
	dflt, factory       starlark.Value // missing when absent
	init, repr, compare bool
	hash                starlark.Value // None, or a bool
	metadata            *starlark.Dict
	kwOnly              starlark.Value // missing until the class decides, then a bool
	kind                fieldKind
}

var _ starlark.HasAttrs = (*Field)(nil)

// newField is field(*, default=MISSING, default_factory=MISSING,
// init=True, repr=True, hash=None, compare=True, metadata=None,
// kw_only=MISSING).
func newField(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		return nil, py.Errorf(py.TypeError, "field() takes 0 positional arguments but %d were given", len(args))
	}
	f := &Field{typ: starlark.None, dflt: missing, factory: missing, init: true, repr: true, compare: true, hash: starlark.None, kwOnly: missing}
	var init, repr, compare starlark.Value = starlark.True, starlark.True, starlark.True
	var metadata starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), nil, kwargs, "default?", &f.dflt, "default_factory?", &f.factory,
		"init?", &init, "repr?", &repr, "hash?", &f.hash, "compare?", &compare, "metadata?", &metadata, "kw_only?", &f.kwOnly); err != nil {
		return nil, err
	}
	if f.dflt != missing && f.factory != missing {
		return nil, py.Errorf(py.ValueError, "cannot specify both default and default_factory")
	}
	f.init, f.repr, f.compare = bool(init.Truth()), bool(repr.Truth()), bool(compare.Truth())
	f.metadata = starlark.NewDict(0)
	if metadata != starlark.None {
		d, ok := metadata.(*starlark.Dict)
		if !ok {
			return nil, py.Errorf(py.TypeError, "metadata must be a mapping, not %s", py.TypeName(metadata))
		}
		f.metadata = d
	}
	return f, nil
}

func (f *Field) String() string {
	name := starlark.Value(starlark.None)
	if f.name != "" {
		name = starlark.String(f.name)
	}
	return fmt.Sprintf("Field(name=%s,type=%s,default=%s,default_factory=%s,init=%s,repr=%s,hash=%s,compare=%s,metadata=mappingproxy(%s),kw_only=%s,_field_type=%s)",
		py.Repr(name), py.Repr(f.typ), py.Repr(f.dflt), py.Repr(f.factory), pyBool(f.init), pyBool(f.repr), py.Repr(f.hash),
		pyBool(f.compare), py.Repr(f.metadata), py.Repr(f.kwOnly), fieldKindNames[f.kind])
}

func pyBool(b bool) string { return starlark.Bool(b).String() }

func (f *Field) Type() string { return "Field" }

// Freeze freezes the field's values, with its class (a loaded script's
// globals are frozen).
func (f *Field) Freeze() {
	for _, v := range []starlark.Value{f.typ, f.dflt, f.factory, f.hash, f.metadata, f.kwOnly} {
		v.Freeze()
	}
}

func (f *Field) Truth() starlark.Bool  { return true }
func (f *Field) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", f)).Hash() }

// Attr returns the field's attributes.
func (f *Field) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(f.name), nil
	case "type":
		return f.typ, nil
	case "default":
		return f.dflt, nil
	case "default_factory":
		return f.factory, nil
	case "init":
		return starlark.Bool(f.init), nil
	case "repr":
		return starlark.Bool(f.repr), nil
	case "hash":
		return f.hash, nil
	case "compare":
		return starlark.Bool(f.compare), nil
	case "metadata":
		return f.metadata, nil
	case "kw_only":
		return f.kwOnly, nil
	}
	return nil, nil
}

// AttrNames lists the field's attributes.
func (f *Field) AttrNames() []string {
	return []string{"compare", "default", "default_factory", "hash", "init", "kw_only", "metadata", "name", "repr", "type"}
}

// ---- dataclass ----

// params are dataclass()'s keyword arguments.
type params struct {
	init, repr, eq, order, unsafeHash, frozen, matchArgs, kwOnly bool
}

// dataclass is @dataclass and @dataclass(...).
func dataclass(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 1 {
		return nil, py.Errorf(py.TypeError, "dataclass() takes from 0 to 1 positional arguments but %d were given", len(args))
	}
	p := params{init: true, repr: true, eq: true, matchArgs: true}
	flags := map[string]*bool{"init": &p.init, "repr": &p.repr, "eq": &p.eq, "order": &p.order, "unsafe_hash": &p.unsafeHash,
		"frozen": &p.frozen, "match_args": &p.matchArgs, "kw_only": &p.kwOnly, "slots": new(bool), "weakref_slot": new(bool)}
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		flag, ok := flags[k]
		if !ok {
			return nil, py.Errorf(py.TypeError, "dataclass() got an unexpected keyword argument '%s'", k)
		}
		*flag = bool(kv[1].Truth())
	}
	if len(args) == 1 && args[0] != starlark.None {
		return process(thread, args[0], p)
	}
	return py.Func("wrap", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var cls starlark.Value
		if err := starlark.UnpackPositionalArgs("wrap", args, kwargs, 1, &cls); err != nil {
			return nil, err
		}
		return process(thread, cls, p)
	}), nil
}

// classInfo is what the generated methods know of their class.
type classInfo struct {
	cls    *py.Class
	face   starlark.Value // the class as scripts see it
	fields []*Field       // all of them, class variables and init-only variables too, in order
	params params
}

// only returns the fields (not class or init-only variables) that pass
// keep.
func (ci *classInfo) only(keep func(f *Field) bool) []*Field {
	var out []*Field
	for _, f := range ci.fields {
		if f.kind == kindField && keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// process makes cls a dataclass.
func process(thread *starlark.Thread, face starlark.Value, p params) (starlark.Value, error) {
	cls := py.AsClass(face)
	if cls == nil || !cls.Scripted() {
		return nil, py.Errorf(py.TypeError, "kstar's dataclass() takes a class of the script, not %s", py.Repr(face))
	}
	if p.order && !p.eq {
		return nil, py.Errorf(py.ValueError, "eq must be true if order is true")
	}
	name := cls.Name()
	ci := &classInfo{cls: cls, face: face, params: p}
	byName := map[string]int{}
	add := func(f *Field) {
		if i, ok := byName[f.name]; ok {
			ci.fields[i] = f
			return
		}
		byName[f.name] = len(ci.fields)
		ci.fields = append(ci.fields, f)
	}

	// The fields of the dataclass bases, from object down.
	mro, _ := cls.Attr("__mro__")
	bases := mro.(starlark.Tuple)
	anyFrozenBase, hasDataclassBases := false, false
	for i := len(bases) - 1; i >= 1; i-- {
		base := py.AsClass(bases[i])
		if base == nil {
			continue
		}
		own, _ := base.Attr("__dict__")
		fv, _, _ := own.(*starlark.Dict).Get(starlark.String("__dataclass_fields__"))
		baseFields, ok := fv.(*starlark.Dict)
		if !ok {
			continue
		}
		hasDataclassBases = true
		for _, item := range baseFields.Items() {
			if f, ok := item[1].(*Field); ok {
				add(f)
			}
		}
		pv, _, _ := own.(*starlark.Dict).Get(starlark.String("__dataclass_params__"))
		if dp, ok := pv.(*dataclassParams); ok && dp.p.frozen {
			anyFrozenBase = true
		}
	}
	if hasDataclassBases && anyFrozenBase && !p.frozen {
		return nil, py.Errorf(py.TypeError, "cannot inherit non-frozen dataclass from a frozen one")
	}
	if hasDataclassBases && !anyFrozenBase && p.frozen {
		return nil, py.Errorf(py.TypeError, "cannot inherit frozen dataclass from a non-frozen one")
	}

	// The class's own annotations.
	ownV, _ := cls.Attr("__dict__")
	own := ownV.(*starlark.Dict)
	annV, err := cls.Attr("__annotations__")
	if err != nil {
		return nil, err
	}
	ann, _ := annV.(*starlark.Dict)
	kwOnlySeen := false
	if ann != nil {
		for _, item := range ann.Items() {
			fname, _ := starlark.AsString(item[0])
			typ := item[1]
			if typ == kwOnly || isTypeNamed(typ, "dataclasses.KW_ONLY", "KW_ONLY") {
				if kwOnlySeen {
					return nil, py.Errorf(py.TypeError, "'KW_ONLY' is KW_ONLY, but KW_ONLY has already been specified")
				}
				kwOnlySeen = true
				continue
			}
			f, err := makeField(cls, own, fname, typ, p.kwOnly || kwOnlySeen)
			if err != nil {
				return nil, err
			}
			add(f)
		}
	}
	// A field() left in the class without an annotation is an error.
	for _, item := range own.Items() {
		if f, ok := item[1].(*Field); ok {
			if _, annotated := byName[string(item[0].(starlark.String))]; !annotated || f.name == "" {
				return nil, py.Errorf(py.TypeError, "%s is a field but has no type annotation", py.Repr(item[0]))
			}
		}
	}

	fieldsDict := starlark.NewDict(len(ci.fields))
	for _, f := range ci.fields {
		_ = fieldsDict.SetKey(starlark.String(f.name), f)
	}
	set := func(k string, v starlark.Value) error { return cls.SetField(k, v) }
	if err := set("__dataclass_fields__", fieldsDict); err != nil {
		return nil, err
	}
	if err := set("__dataclass_params__", &dataclassParams{p}); err != nil {
		return nil, err
	}
	defines := func(k string) bool { _, ok, _ := own.Get(starlark.String(k)); return ok }
	setNew := func(k string, fn func(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) error {
		if defines(k) {
			return nil
		}
		return set(k, &method{name: k, ci: ci, fn: fn})
	}

	if p.init {
		if err := checkDefaultOrder(ci); err != nil {
			return nil, err
		}
		if err := setNew("__init__", ci.initMethod); err != nil {
			return nil, err
		}
	}
	if p.repr {
		if err := setNew("__repr__", ci.reprMethod); err != nil {
			return nil, err
		}
	}
	if p.eq {
		if err := setNew("__eq__", ci.compareMethod(syntax.EQL)); err != nil {
			return nil, err
		}
	}
	if p.order {
		for _, m := range []struct {
			name string
			op   syntax.Token
		}{{"__lt__", syntax.LT}, {"__le__", syntax.LE}, {"__gt__", syntax.GT}, {"__ge__", syntax.GE}} {
			if defines(m.name) {
				return nil, py.Errorf(py.TypeError, "Cannot overwrite attribute %s in class %s. Consider using functools.total_ordering", m.name, name)
			}
			if err := setNew(m.name, ci.compareMethod(m.op)); err != nil {
				return nil, err
			}
		}
	}
	if p.frozen {
		for _, k := range []string{"__setattr__", "__delattr__"} {
			if defines(k) {
				return nil, py.Errorf(py.TypeError, "Cannot overwrite attribute %s in class %s", k, name)
			}
		}
		if err := setNew("__setattr__", ci.frozenSetattr); err != nil {
			return nil, err
		}
		if err := setNew("__delattr__", ci.frozenDelattr); err != nil {
			return nil, err
		}
	}
	// __hash__, by CPython's table of unsafe_hash, eq, frozen and an
	// explicit __hash__.
	hashV, hasHash, _ := own.Get(starlark.String("__hash__"))
	explicitHash := hasHash && !(hashV == starlark.None && defines("__eq__"))
	switch {
	case p.unsafeHash && explicitHash:
		return nil, py.Errorf(py.TypeError, "Cannot overwrite attribute __hash__ in class %s", name)
	case p.unsafeHash || p.eq && p.frozen && !explicitHash:
		if err := set("__hash__", &method{name: "__hash__", ci: ci, fn: ci.hashMethod}); err != nil {
			return nil, err
		}
	case p.eq && !p.frozen && !explicitHash:
		if err := set("__hash__", starlark.None); err != nil {
			return nil, err
		}
	}
	if p.matchArgs && !defines("__match_args__") {
		var names starlark.Tuple
		for _, f := range ci.fields {
			if f.kind != kindClassVar && f.init && f.kwOnly != starlark.True {
				names = append(names, starlark.String(f.name))
			}
		}
		if err := set("__match_args__", names); err != nil {
			return nil, err
		}
	}
	return face, nil
}

// makeField makes the field name annotated with typ in class cls, whose
// own attributes are own.
func makeField(cls *py.Class, own *starlark.Dict, name string, typ starlark.Value, kwOnlyDefault bool) (*Field, error) {
	var f *Field
	v, found, _ := own.Get(starlark.String(name))
	if fv, ok := v.(*Field); ok {
		f = fv
	} else {
		f = &Field{dflt: missing, factory: missing, init: true, repr: true, compare: true, hash: starlark.None, metadata: starlark.NewDict(0), kwOnly: missing}
		if found {
			f.dflt = v
		}
	}
	f.name, f.typ = name, typ
	switch {
	case isTypeNamed(typ, "typing.ClassVar", "ClassVar"):
		f.kind = kindClassVar
	case isInitVar(typ):
		f.kind = kindInitVar
	}
	if f.kind != kindField && f.factory != missing {
		return nil, py.Errorf(py.TypeError, "field %s cannot have a default factory", name)
	}
	if f.kind != kindClassVar && f.kwOnly == missing {
		f.kwOnly = starlark.Bool(kwOnlyDefault)
	}
	if f.kind == kindField && f.dflt != missing && isMutable(f.dflt) {
		return nil, py.Errorf(py.ValueError, "mutable default %s for field %s is not allowed: use default_factory", py.Repr(py.TypeOf(f.dflt)), name)
	}
	if _, ok := v.(*Field); ok { // the class attribute is the default, or none
		if f.dflt == missing {
			if err := cls.DeleteAttr(name); err != nil {
				return nil, err
			}
		} else if err := cls.SetField(name, f.dflt); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// isTypeNamed reports whether annotation typ is the typing form name
// (typing.ClassVar), subscripted or not, or a string annotation naming
// it (under from __future__ import annotations).
func isTypeNamed(typ starlark.Value, qualified, short string) bool {
	if s, ok := typ.(starlark.String); ok {
		for _, n := range []string{qualified, short} {
			if string(s) == n || strings.HasPrefix(string(s), n+"[") {
				return true
			}
		}
		return false
	}
	r := py.Repr(typ)
	return r == qualified || strings.HasPrefix(r, qualified+"[")
}

func isInitVar(typ starlark.Value) bool {
	switch typ.(type) {
	case *initVar, initVarType:
		return true
	}
	return isTypeNamed(typ, "dataclasses.InitVar", "InitVar")
}

// isMutable reports whether a default's class is unhashable (list, dict,
// set, an eq dataclass): CPython refuses such defaults.
func isMutable(v starlark.Value) bool {
	switch v.(type) {
	case *starlark.List, *starlark.Dict, *starlark.Set, *py.Bytearray, py.DictSubclass:
		return true
	}
	if c := py.AsClass(py.TypeOf(v)); c != nil {
		h, err := c.Attr("__hash__")
		return err == nil && h == starlark.None
	}
	return false
}

// checkDefaultOrder refuses a positional field without a default after
// one with a default, as CPython's generated __init__ would.
func checkDefaultOrder(ci *classInfo) error {
	seenDefault := false
	for _, f := range ci.fields {
		if f.kind == kindClassVar || !f.init || f.kwOnly == starlark.True {
			continue
		}
		if f.dflt == missing && f.factory == missing {
			if seenDefault {
				return py.Errorf(py.TypeError, "non-default argument %s follows default argument", py.QuoteString(f.name))
			}
		} else {
			seenDefault = true
		}
	}
	return nil
}

// dataclassParams is a class's __dataclass_params__.
type dataclassParams struct{ p params }

func (d *dataclassParams) String() string {
	p := d.p
	return fmt.Sprintf("_DataclassParams(init=%s,repr=%s,eq=%s,order=%s,unsafe_hash=%s,frozen=%s)",
		pyBool(p.init), pyBool(p.repr), pyBool(p.eq), pyBool(p.order), pyBool(p.unsafeHash), pyBool(p.frozen))
}
func (d *dataclassParams) Type() string          { return "_DataclassParams" }
func (d *dataclassParams) Freeze()               {}
func (d *dataclassParams) Truth() starlark.Bool  { return true }
func (d *dataclassParams) Hash() (uint32, error) { return 0, nil }

// ---- the generated methods ----

// method is a generated method: bound to the instance as a function is.
type method struct {
	name string
	ci   *classInfo
	fn   func(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)
}

var (
	_ starlark.Callable = (*method)(nil)
	_ py.MethodLike     = (*method)(nil)
)

func (m *method) String() string {
	return fmt.Sprintf("<function %s at %p>", m.qualname(), m)
}
func (m *method) Type() string          { return "function" }
func (m *method) Freeze()               {}
func (m *method) Truth() starlark.Bool  { return true }
func (m *method) Hash() (uint32, error) { return starlark.String(m.qualname()).Hash() }
func (m *method) Name() string          { return m.name }

// BindsAsMethod: the instance is the first argument.
func (m *method) BindsAsMethod() {}

func (m *method) qualname() string {
	q, _ := m.ci.cls.Attr("__qualname__")
	s, _ := starlark.AsString(q)
	return s + "." + m.name
}

// CallInternal calls the method with the instance first.
func (m *method) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: 'self'", m.qualname())
	}
	return m.fn(thread, args[0], args[1:], kwargs)
}

// initMethod is __init__(self, fields...): positional-or-keyword
// parameters, then the keyword-only ones.
func (ci *classInfo) initMethod(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	q, _ := ci.cls.Attr("__qualname__")
	fname, _ := starlark.AsString(q)
	fname += ".__init__"
	var positional, keyword []*Field
	for _, f := range ci.fields {
		if f.kind == kindClassVar || !f.init {
			continue
		}
		if f.kwOnly == starlark.True {
			keyword = append(keyword, f)
		} else {
			positional = append(positional, f)
		}
	}
	if len(args) > len(positional) {
		required := 0
		for _, f := range positional {
			if f.dflt == missing && f.factory == missing {
				required++
			}
		}
		takes := fmt.Sprint(len(positional) + 1)
		if required < len(positional) {
			takes = fmt.Sprintf("from %d to %d", required+1, len(positional)+1)
		}
		were := "were"
		if len(args)+1 == 1 {
			were = "was"
		}
		return nil, py.Errorf(py.TypeError, "%s() takes %s positional argument%s but %d %s given", fname, takes, plural(len(positional)+1), len(args)+1, were)
	}
	values := map[string]starlark.Value{}
	for i, a := range args {
		values[positional[i].name] = a
	}
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		known := false
		for _, f := range append(positional, keyword...) {
			known = known || f.name == k
		}
		if !known {
			return nil, py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, k)
		}
		if _, dup := values[k]; dup {
			return nil, py.Errorf(py.TypeError, "%s() got multiple values for argument '%s'", fname, k)
		}
		values[k] = kv[1]
	}
	for _, group := range []struct {
		fields []*Field
		kind   string
	}{{positional, "positional"}, {keyword, "keyword-only"}} {
		var absent []string
		for _, f := range group.fields {
			if _, ok := values[f.name]; !ok && f.dflt == missing && f.factory == missing {
				absent = append(absent, "'"+f.name+"'")
			}
		}
		if len(absent) > 0 {
			return nil, py.Errorf(py.TypeError, "%s() missing %d required %s argument%s: %s", fname, len(absent), group.kind, plural(len(absent)), py.JoinNames(absent))
		}
	}

	setField := func(name string, v starlark.Value) error {
		if ci.params.frozen { // object.__setattr__, past the frozen __setattr__
			_, err := callObject(thread, "__setattr__", self, starlark.String(name), v)
			return err
		}
		o, ok := self.(starlark.HasSetField)
		if !ok {
			return py.Errorf(py.TypeError, "cannot set %s on %s", name, py.TypeName(self))
		}
		return o.SetField(name, v)
	}
	var initVars starlark.Tuple
	for _, f := range ci.fields {
		if f.kind == kindClassVar {
			continue
		}
		v, given := values[f.name]
		if !given {
			switch {
			case f.factory != missing:
				var err error
				if v, err = starlark.Call(thread, f.factory, nil, nil); err != nil {
					return nil, err
				}
			case f.dflt != missing:
				v = f.dflt
			default:
				continue // init=False without a default: no attribute
			}
		}
		if f.kind == kindInitVar {
			initVars = append(initVars, v)
			continue
		}
		if err := setField(f.name, v); err != nil {
			return nil, err
		}
	}
	if post, err := attr(self, "__post_init__"); err != nil {
		return nil, err
	} else if post != nil {
		if _, err := starlark.Call(thread, post, initVars, nil); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// attr is getattr(x, name), nil when x has no such attribute.
func attr(x starlark.Value, name string) (starlark.Value, error) {
	ha, ok := x.(starlark.HasAttrs)
	if !ok {
		return nil, nil
	}
	v, err := ha.Attr(name)
	if err != nil {
		if e := py.AsException(err); e != nil && e.Class.IsSubclass(py.AttributeError) {
			return nil, nil
		}
		return nil, err
	}
	return v, nil
}

// get is getattr(x, name) for a field, which must be there.
func get(x starlark.Value, name string) (starlark.Value, error) {
	v, err := attr(x, name)
	if err == nil && v == nil {
		err = py.Errorf(py.AttributeError, "'%s' object has no attribute '%s'", py.TypeName(x), name)
	}
	return v, err
}

// reprsKey is the thread-local key of the instances whose __repr__ runs
// on the thread.
const reprsKey = "dataclasses.reprs"

// reprMethod is __repr__: Name(field=value, ...) with the instance's
// class's qualified name; an instance met again inside its own repr is
// ..., as CPython's reprlib.recursive_repr makes it.
func (ci *classInfo) reprMethod(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	running, _ := thread.Local(reprsKey).(map[starlark.Value]bool)
	if running == nil {
		running = map[starlark.Value]bool{}
		thread.SetLocal(reprsKey, running)
	}
	if running[self] {
		return starlark.String("..."), nil
	}
	running[self] = true
	defer delete(running, self)
	var b strings.Builder
	cls := py.AsClass(py.TypeOf(self))
	if cls == nil { // P.__repr__(5)
		cls = ci.cls
	}
	q, _ := cls.Attr("__qualname__")
	s, _ := starlark.AsString(q)
	b.WriteString(s + "(")
	for i, f := range ci.only(func(f *Field) bool { return f.repr }) {
		v, err := get(self, f.name)
		if err != nil {
			return nil, err
		}
		r, err := py.ReprOf(thread, v)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.name + "=" + r)
	}
	b.WriteString(")")
	return starlark.String(b.String()), nil
}

// values is the tuple of the instance's fields that keep keeps.
func (ci *classInfo) values(self starlark.Value, keep func(f *Field) bool) (starlark.Tuple, error) {
	var t starlark.Tuple
	for _, f := range ci.only(keep) {
		v, err := get(self, f.name)
		if err != nil {
			return nil, err
		}
		t = append(t, v)
	}
	return t, nil
}

func compared(f *Field) bool { return f.compare }

// compareMethod is __eq__ or an order method: the compared fields as
// tuples, for instances of the same class; NotImplemented otherwise.
func (ci *classInfo) compareMethod(op syntax.Token) func(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return func(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) != 1 || len(kwargs) > 0 {
			return nil, py.Errorf(py.TypeError, "expected 1 argument, got %d", len(args)+len(kwargs))
		}
		other := args[0]
		if py.TypeOf(other) != py.TypeOf(self) {
			return py.NotImplemented, nil
		}
		depth, _ := thread.Local(comparesKey).(int)
		if depth >= maxDepth { // instances that contain themselves
			return nil, py.Errorf(py.RecursionError, "maximum recursion depth exceeded in comparison")
		}
		thread.SetLocal(comparesKey, depth+1)
		defer thread.SetLocal(comparesKey, depth)
		x, err := ci.values(self, compared)
		if err != nil {
			return nil, err
		}
		y, err := ci.values(other, compared)
		if err != nil {
			return nil, err
		}
		ok, err := compareTuples(op, x, y)
		return starlark.Bool(ok), err
	}
}

// comparesKey is the thread-local key of the depth of the comparisons of
// dataclass instances running on the thread.
const comparesKey = "dataclasses.compares"

// compareTuples compares tuples of the same length as CPython does: the
// first items that differ decide, and an item is equal to itself without
// its __eq__ (so an instance that contains itself equals itself).
func compareTuples(op syntax.Token, x, y starlark.Tuple) (bool, error) {
	for i := range x {
		if t := reflect.TypeOf(x[i]); t.Comparable() && x[i] == y[i] {
			continue
		}
		eq, err := starlark.Equal(x[i], y[i])
		if err != nil {
			return false, err
		}
		if !eq {
			switch op {
			case syntax.EQL:
				return false, nil
			case syntax.NEQ:
				return true, nil
			}
			return starlark.Compare(op, x[i], y[i])
		}
	}
	switch op {
	case syntax.EQL, syntax.LE, syntax.GE:
		return true, nil
	}
	return false, nil
}

// hashMethod is __hash__: the hash of the tuple of the fields that are
// hashed (hash=True, or hash=None and compare=True).
func (ci *classInfo) hashMethod(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	t, err := ci.values(self, func(f *Field) bool {
		if f.hash == starlark.None {
			return f.compare
		}
		return bool(f.hash.Truth())
	})
	if err != nil {
		return nil, err
	}
	h, err := t.Hash()
	if err != nil {
		return nil, err
	}
	return starlark.MakeUint64(uint64(h)), nil
}

// frozenSetattr is a frozen class's __setattr__: fields cannot be
// assigned.
func (ci *classInfo) frozenSetattr(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs("__setattr__", args, kwargs, 2, &name, &v); err != nil {
		return nil, err
	}
	if !ci.guards(self, name) {
		return callObject(thread, "__setattr__", self, starlark.String(name), v)
	}
	return nil, py.Errorf(FrozenInstanceError, "cannot assign to field %s", py.QuoteString(name))
}

// guards reports whether a frozen class's __setattr__ and __delattr__
// refuse name: always on the class's own instances, and for its fields
// on those of a subclass that is not a dataclass.
func (ci *classInfo) guards(self starlark.Value, name string) bool {
	if py.TypeOf(self) == ci.face {
		return true
	}
	for _, f := range ci.fields {
		if f.name == name {
			return true
		}
	}
	return false
}

// callObject calls object's method name (__setattr__, __delattr__).
func callObject(thread *starlark.Thread, name string, args ...starlark.Value) (starlark.Value, error) {
	fn, err := py.ObjectType.Attr(name)
	if err != nil {
		return nil, err
	}
	return starlark.Call(thread, fn, args, nil)
}

// frozenDelattr is a frozen class's __delattr__: delattr(p, 'x') fails.
func (ci *classInfo) frozenDelattr(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackPositionalArgs("__delattr__", args, kwargs, 1, &name); err != nil {
		return nil, err
	}
	if !ci.guards(self, name) {
		return callObject(thread, "__delattr__", self, starlark.String(name))
	}
	return nil, py.Errorf(FrozenInstanceError, "cannot delete field %s", py.QuoteString(name))
}

// ---- functions ----

// dataclassFields returns the fields of a dataclass or of an instance of
// one (nil when x is neither), and whether x is the class.
func dataclassFields(x starlark.Value) ([]*Field, bool) {
	isClass := py.AsClass(x) != nil
	cls := py.AsClass(x)
	if cls == nil {
		cls = py.AsClass(py.TypeOf(x))
	}
	if cls == nil {
		return nil, false
	}
	all := allFields(cls)
	if all == nil { // not a dataclass
		return nil, false
	}
	fields := []*Field{}
	for _, f := range all {
		if f.kind == kindField {
			fields = append(fields, f)
		}
	}
	return fields, isClass
}

// allFields are the fields, class variables and init-only variables of a
// dataclass, nil for another class.
func allFields(cls *py.Class) []*Field {
	fv, err := cls.Attr("__dataclass_fields__")
	d, ok := fv.(*starlark.Dict)
	if err != nil || !ok {
		return nil
	}
	fields := []*Field{} // not nil: a dataclass may have no fields
	for _, item := range d.Items() {
		if f, ok := item[1].(*Field); ok {
			fields = append(fields, f)
		}
	}
	return fields
}

// fieldsOf is fields(class_or_instance).
func fieldsOf(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	fields, _ := dataclassFields(x)
	if fields == nil {
		return nil, py.Errorf(py.TypeError, "must be called with a dataclass type or instance")
	}
	t := make(starlark.Tuple, len(fields))
	for i, f := range fields {
		t[i] = f
	}
	return t, nil
}

// isDataclass is is_dataclass(obj).
func isDataclass(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	fields, _ := dataclassFields(x)
	return starlark.Bool(fields != nil), nil
}

// instanceFields returns the fields of a dataclass instance, or fn's
// TypeError.
func instanceFields(fn string, x starlark.Value) ([]*Field, error) {
	fields, isClass := dataclassFields(x)
	if fields == nil || isClass {
		return nil, py.Errorf(py.TypeError, "%s() should be called on dataclass instances", fn)
	}
	return fields, nil
}

// asdict is asdict(obj, *, dict_factory=dict).
func asdict(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return convert(thread, b, args, kwargs, "dict_factory", true)
}

// astuple is astuple(obj, *, tuple_factory=tuple).
func astuple(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return convert(thread, b, args, kwargs, "tuple_factory", false)
}

// convert is asdict or astuple: the instance's fields, recursively
// through dataclasses, lists, tuples (namedtuples as their class) and
// dicts, as a dict of name to value or a tuple of values, made by the
// factory when one is given.
func convert(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, factoryName string, asDict bool) (starlark.Value, error) {
	var obj starlark.Value
	var factory starlark.Value = starlark.None
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "%s() takes 1 positional argument but %d were given", b.Name(), len(args))
	}
	obj = args[0]
	if err := starlark.UnpackArgs(b.Name(), nil, kwargs, factoryName+"?", &factory); err != nil {
		return nil, err
	}
	if _, err := instanceFields(b.Name(), obj); err != nil {
		return nil, err
	}
	m := py.NewMeter(thread)
	depth := 0
	var inner func(x starlark.Value) (starlark.Value, error)
	inner = func(x starlark.Value) (starlark.Value, error) {
		if err := m.Tick(); err != nil {
			return nil, err
		}
		if depth++; depth > maxDepth { // a value that contains itself
			return nil, py.Errorf(py.RecursionError, "maximum recursion depth exceeded")
		}
		defer func() { depth-- }()
		if fields, isClass := dataclassFields(x); fields != nil && !isClass {
			items := make([]starlark.Tuple, len(fields))
			for i, f := range fields {
				v, err := get(x, f.name)
				if err != nil {
					return nil, err
				}
				if v, err = inner(v); err != nil {
					return nil, err
				}
				items[i] = starlark.Tuple{starlark.String(f.name), v}
			}
			return build(thread, items, factory, asDict)
		}
		switch x := x.(type) {
		case *starlark.List:
			elems := make([]starlark.Value, x.Len())
			for i := range elems {
				v, err := inner(x.Index(i))
				if err != nil {
					return nil, err
				}
				elems[i] = v
			}
			return starlark.NewList(elems), nil
		case starlark.Tuple:
			elems := make(starlark.Tuple, len(x))
			for i, e := range x {
				v, err := inner(e)
				if err != nil {
					return nil, err
				}
				elems[i] = v
			}
			return elems, nil
		case py.NamedTupleValue:
			values := py.NamedTupleValues(x)
			elems := make(starlark.Tuple, len(values))
			for i, e := range values {
				v, err := inner(e)
				if err != nil {
					return nil, err
				}
				elems[i] = v
			}
			return starlark.Call(thread, py.TypeOf(x), elems, nil)
		case *starlark.Dict:
			d := starlark.NewDict(x.Len())
			for _, item := range x.Items() {
				k, err := inner(item[0])
				if err != nil {
					return nil, err
				}
				v, err := inner(item[1])
				if err != nil {
					return nil, err
				}
				if err := d.SetKey(k, v); err != nil {
					return nil, err
				}
			}
			return d, nil
		}
		return x, nil
	}
	return inner(obj)
}

// maxDepth is how deep asdict, astuple and comparisons go into nested
// values: CPython's recursion limit.
const maxDepth = 1000

// build makes asdict's dict or astuple's tuple of a dataclass's items,
// with the factory when there is one.
func build(thread *starlark.Thread, items []starlark.Tuple, factory starlark.Value, asDict bool) (starlark.Value, error) {
	if factory != starlark.None {
		list := make([]starlark.Value, len(items))
		for i, item := range items {
			if asDict {
				list[i] = item
			} else {
				list[i] = item[1]
			}
		}
		return starlark.Call(thread, factory, starlark.Tuple{starlark.NewList(list)}, nil)
	}
	if asDict {
		d := starlark.NewDict(len(items))
		for _, item := range items {
			if err := d.SetKey(item[0], item[1]); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	t := make(starlark.Tuple, len(items))
	for i, item := range items {
		t[i] = item[1]
	}
	return t, nil
}

// replace is replace(obj, /, **changes): a new instance, with the
// changes, made by the class's __init__.
func replace(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "replace() takes 1 positional argument but %d were given", len(args))
	}
	obj := args[0]
	if _, err := instanceFields("replace", obj); err != nil {
		return nil, err
	}
	changes := map[string]starlark.Value{}
	for _, kv := range kwargs {
		changes[string(kv[0].(starlark.String))] = kv[1]
	}
	out := append([]starlark.Tuple(nil), kwargs...)
	for _, f := range allFields(py.AsClass(py.TypeOf(obj))) {
		if f.kind == kindClassVar {
			continue
		}
		_, changed := changes[f.name]
		if !f.init {
			if changed {
				return nil, py.Errorf(py.ValueError, "field %s is declared with init=False, it cannot be specified with replace()", f.name)
			}
			continue
		}
		if !changed {
			if f.kind == kindInitVar && f.dflt == missing {
				return nil, py.Errorf(py.ValueError, "InitVar %s must be specified with replace()", py.QuoteString(f.name))
			}
			if f.kind == kindInitVar {
				continue
			}
			v, err := get(obj, f.name)
			if err != nil {
				return nil, err
			}
			out = append(out, starlark.Tuple{starlark.String(f.name), v})
		}
	}
	return starlark.Call(thread, py.TypeOf(obj), nil, out)
}
