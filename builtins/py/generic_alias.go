package py

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Subscripted builtin classes, Python 3.9's generics for annotations:
// list[int], dict[str, list[int]], tuple[int, ...] and type[Foo] are
// GenericAlias values (types.GenericAlias) whose repr is how they were
// written. They are for annotations: calling one makes an instance of
// its class, isinstance refuses them as CPython does.

// AnnotationType is implemented by values that stand for types in
// annotations without being classes (list[int], typing.List[int]):
// `|` puts them in a union (list[int] | None) as it does classes.
type AnnotationType interface {
	starlark.Value
	IsAnnotationType()
}

// GenericAlias is a builtin class subscripted with type arguments.
type GenericAlias struct {
	origin *Type
	args   starlark.Tuple
}

var (
	_ starlark.Callable  = (*GenericAlias)(nil)
	_ starlark.HasAttrs  = (*GenericAlias)(nil)
	_ starlark.HasBinary = (*GenericAlias)(nil)
	_ AnnotationType     = (*GenericAlias)(nil)
)

// genericTypes are the builtin classes that take type arguments.
var genericTypes = map[*Type]bool{ListType: true, DictType: true, TupleType: true, SetType: true, TypeType: true}

// Get is cls[args]: a GenericAlias for list, dict, tuple, set and type;
// other classes are not subscriptable.
func (t *Type) Get(k starlark.Value) (starlark.Value, bool, error) {
	if !genericTypes[t] {
		return nil, false, Errorf(TypeError, "type '%s' is not subscriptable", t.name)
	}
	args, ok := k.(starlark.Tuple)
	if !ok {
		args = starlark.Tuple{k}
	}
	return &GenericAlias{origin: t, args: args}, true, nil
}

// String is the alias as written: dict[str, list[int]].
func (g *GenericAlias) String() string {
	var b strings.Builder
	b.WriteString(TypeRepr(g.origin))
	b.WriteByte('[')
	if len(g.args) == 0 {
		b.WriteString("()")
	}
	for i, a := range g.args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(TypeRepr(a))
	}
	b.WriteByte(']')
	return b.String()
}
func (g *GenericAlias) Type() string          { return "types.GenericAlias" }
func (g *GenericAlias) Freeze()               {}
func (g *GenericAlias) Truth() starlark.Bool  { return true }
func (g *GenericAlias) Hash() (uint32, error) { return starlark.String(g.String()).Hash() }

// IsAnnotationType marks GenericAlias as an AnnotationType.
func (g *GenericAlias) IsAnnotationType() {}

// Name is the class's name.
func (g *GenericAlias) Name() string { return g.origin.name }

// CallInternal makes an instance of the class: list[int]() is [].
func (g *GenericAlias) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return g.origin.CallInternal(thread, args, kwargs)
}

// Attr returns __origin__ (the class) and __args__ (the type arguments).
func (g *GenericAlias) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__origin__":
		return g.origin, nil
	case "__args__":
		return g.args, nil
	}
	return nil, nil
}

// AttrNames lists __args__ and __origin__.
func (g *GenericAlias) AttrNames() []string { return []string{"__args__", "__origin__"} }

// Binary is list[int] | None.
func (g *GenericAlias) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	return unionOf(op, g, y, side)
}

// TypeRepr is how typing and generic aliases show a type argument, as
// CPython's typing._type_repr: a builtin class by its name (int), another
// class by module and qualified name (__main__.Point, datetime.datetime),
// ... for Ellipsis, a function by its name, anything else by its repr.
// (A class whose repr is <class 'M.N'> is shown as M.N.)
func TypeRepr(v starlark.Value) string {
	switch v := v.(type) {
	case *Type:
		if v.qualname != "" {
			return v.qualname
		}
		return v.name
	case *Class:
		if v.module == "builtins" {
			return v.qualname
		}
		return v.module + "." + v.qualname
	case *ExceptionClass:
		if v.User != nil {
			return TypeRepr(v.User)
		}
		if v.Module == "builtins" {
			return v.ClassName
		}
		return v.Module + "." + v.ClassName
	case *starlark.Function:
		return v.Name()
	}
	if v == Ellipsis {
		return "..."
	}
	r := Repr(v)
	if name, ok := strings.CutPrefix(r, "<class '"); ok && strings.HasSuffix(name, "'>") { // a module's class
		return strings.TrimSuffix(name, "'>")
	}
	return r
}
