// Package typing is kstar's typing module, for the annotations scripts
// write (def send(records: List[Dict[str, Any]]) -> Optional[int]) and
// the few run-time uses of its names:
//
//	Any, Optional, Union, ClassVar, Final, Literal, Annotated, NoReturn,
//	Never, Self, TypeAlias            special forms
//	List, Dict, Tuple, Set, FrozenSet, Type, Callable, Iterable,
//	Iterator, Generator, Sequence, Mapping, ... (the aliases of 3.11)
//	TypeVar, AnyStr, Generic, Protocol, NamedTuple, TypedDict, NewType,
//	Text
//	cast, overload, no_type_check, final, runtime_checkable,
//	get_origin, get_args, TYPE_CHECKING (False)
//
// Subscriptions make values whose reprs are CPython's
// (typing.Dict[str, typing.List[int]], typing.Optional[int]) and whose
// __origin__ and __args__ are too. isinstance(x, List) checks against
// list, and a subscripted form is refused as CPython refuses it.
// Generic[T] and Protocol as bases stand for no base (a class derives
// from object); class P(NamedTuple) with annotated fields makes a
// collections.namedtuple class, class M(TypedDict) a class whose
// instances are dicts.
package typing

import (
	"fmt"
	"slices"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the typing module (one per execution; it keeps no state).
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{
		"Any":           anyType,
		"Optional":      &form{name: "Optional", item: optionalItem},
		"Union":         unionForm,
		"ClassVar":      &form{name: "ClassVar", item: singleItem("accepts only single type.")},
		"Final":         &form{name: "Final", item: singleItem("accepts only single type.")},
		"Literal":       &form{name: "Literal", item: literalItem},
		"Annotated":     annotatedForm,
		"NoReturn":      &form{name: "NoReturn"},
		"Never":         &form{name: "Never"},
		"Self":          &form{name: "Self"},
		"TypeAlias":     &form{name: "TypeAlias"},
		"LiteralString": &form{name: "LiteralString"},
		"Generic":       &base{name: "Generic"},
		"Protocol":      &base{name: "Protocol"},
		"Text":          py.StrType,
		"AnyStr":        &typeVar{name: "AnyStr", bound: starlark.None, constraints: starlark.Tuple{py.BytesType, py.StrType}},
		"TypeVar":       py.Func("TypeVar", newTypeVar),
		"NewType":       py.Func("NewType", newNewType),
		"NamedTuple":    namedTuple{},
		"TypedDict":     typedDictBase,
		"TYPE_CHECKING": starlark.False,
		"cast": py.Func("cast", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var typ, val starlark.Value
			if err := starlark.UnpackArgs(b.Name(), args, kwargs, "typ", &typ, "val", &val); err != nil {
				return nil, err
			}
			return val, nil
		}),
		"overload":          py.Func("overload", overload),
		"no_type_check":     identityDecorator("no_type_check"),
		"final":             identityDecorator("final"),
		"runtime_checkable": identityDecorator("runtime_checkable"),
		"get_origin":        py.Func("get_origin", getOrigin),
		"get_args":          py.Func("get_args", getArgs),
	}
	for _, a := range aliases {
		members[a.name] = a
	}
	return &starlarkstruct.Module{Name: "typing", Members: members}
}

// aliases are typing's aliases of classes (typing.List for list), with
// the number of type arguments each takes (-1: any) and the isinstance
// test of the unsubscripted alias.
var aliases = []*alias{
	{name: "List", origin: py.ListType, nparams: 1, check: py.ListType.IsInstance},
	{name: "Dict", origin: py.DictType, nparams: 2, check: py.DictType.IsInstance},
	{name: "Tuple", origin: py.TupleType, nparams: -1, check: py.TupleType.IsInstance},
	{name: "Set", origin: py.SetType, nparams: 1, check: py.SetType.IsInstance},
	{name: "FrozenSet", nparams: 1, check: typeNamed("frozenset")},
	{name: "Type", origin: py.TypeType, nparams: 1, check: typeNamed("type")},
	{name: "Callable", nparams: 2, check: isCallable},
	{name: "Iterable", nparams: 1, check: isIterable},
	{name: "Iterator", nparams: 1, check: isIterator},
	{name: "Reversible", nparams: 1, check: isSequence},
	{name: "Generator", nparams: 3, check: typeNamed("generator")},
	{name: "Sequence", nparams: 1, check: isSequence},
	{name: "MutableSequence", nparams: 1, check: func(v starlark.Value) bool { return py.ListType.IsInstance(v) || py.BytearrayType.IsInstance(v) }},
	{name: "Mapping", nparams: 2, check: py.DictType.IsInstance},
	{name: "MutableMapping", nparams: 2, check: py.DictType.IsInstance},
	{name: "AbstractSet", nparams: 1, check: py.SetType.IsInstance},
	{name: "MutableSet", nparams: 1, check: py.SetType.IsInstance},
	{name: "Collection", nparams: 1, check: isSized},
	{name: "Container", nparams: 1, check: isSized},
	{name: "Sized", nparams: 0, check: isSized},
	{name: "Hashable", nparams: 0, check: func(v starlark.Value) bool { _, err := v.Hash(); return err == nil }},
	{name: "Deque", nparams: 1, check: typeNamed("deque")},
	{name: "DefaultDict", nparams: 2, check: typeNamed("defaultdict")},
	{name: "OrderedDict", nparams: 2, check: typeNamed("OrderedDict")},
	{name: "Counter", nparams: 1, check: typeNamed("Counter")},
	{name: "ContextManager", nparams: 1},
	{name: "Awaitable", nparams: 1},
	{name: "Coroutine", nparams: 3},
	{name: "AsyncIterable", nparams: 1},
	{name: "AsyncIterator", nparams: 1},
	{name: "AsyncGenerator", nparams: 2},
}

func typeNamed(name string) func(v starlark.Value) bool {
	return func(v starlark.Value) bool { return py.TypeName(v) == name }
}

func isCallable(v starlark.Value) bool { _, ok := v.(starlark.Callable); return ok }

func isIterable(v starlark.Value) bool {
	switch v.(type) {
	case starlark.Iterable, py.Nexter, starlark.String, py.Bytes:
		return true
	}
	return false
}

func isIterator(v starlark.Value) bool { _, ok := v.(py.Nexter); return ok }

func isSequence(v starlark.Value) bool {
	return py.ListType.IsInstance(v) || py.TupleType.IsInstance(v) || py.StrType.IsInstance(v) ||
		py.BytesType.IsInstance(v) || py.BytearrayType.IsInstance(v) || py.TypeName(v) == "range"
}

func isSized(v starlark.Value) bool {
	switch v.(type) {
	case starlark.Sequence, starlark.String, py.Bytes:
		return true
	}
	return starlark.Len(v) >= 0
}

// ---- special forms ----

// form is a special form: Optional, Union, ClassVar, Literal, ...; item
// is form[args] (nil: the form takes no arguments).
type form struct {
	name string
	item func(f *form, args starlark.Tuple) (starlark.Value, error)
}

var (
	_ starlark.Mapping   = (*form)(nil)
	_ py.InstanceTester  = (*form)(nil)
	_ py.AnnotationType  = (*form)(nil)
	_ starlark.HasBinary = (*form)(nil)
)

func (f *form) String() string        { return "typing." + f.name }
func (f *form) Type() string          { return "typing._SpecialForm" }
func (f *form) Freeze()               {}
func (f *form) Truth() starlark.Bool  { return true }
func (f *form) Hash() (uint32, error) { return starlark.String(f.String()).Hash() }

// IsAnnotationType marks forms as types of annotations.
func (f *form) IsAnnotationType() {}

// Get is form[args].
func (f *form) Get(k starlark.Value) (starlark.Value, bool, error) {
	if f.item == nil {
		return nil, false, py.Errorf(py.TypeError, "%s is not subscriptable", f)
	}
	v, err := f.item(f, argsOf(k))
	return v, err == nil, err
}

// TestInstance refuses isinstance, as CPython does.
func (f *form) TestInstance(v starlark.Value) (bool, error) {
	return false, py.Errorf(py.TypeError, "%s cannot be used with isinstance()", f)
}

// Binary is form | X.
func (f *form) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	return union(op, f, y, side)
}

// argsOf is the arguments of a subscription: X[a, b] gets the tuple.
func argsOf(k starlark.Value) starlark.Tuple {
	if t, ok := k.(starlark.Tuple); ok {
		return t
	}
	return starlark.Tuple{k}
}

// typeArg is a type argument as typing keeps it: None is NoneType.
func typeArg(v starlark.Value) starlark.Value {
	if v == starlark.None {
		return py.NoneTypeType
	}
	return v
}

func typeArgs(args starlark.Tuple) starlark.Tuple {
	out := make(starlark.Tuple, len(args))
	for i, a := range args {
		out[i] = typeArg(a)
	}
	return out
}

// unionItem is Union[X, Y, ...]: the arguments flattened (a Union's
// own) and without duplicates; one left is that one.
func unionItem(f *form, args starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "Cannot take a Union of no types.")
	}
	var flat starlark.Tuple
	for _, a := range typeArgs(args) {
		if u, ok := a.(*alias); ok && u.name == "Union" {
			flat = append(flat, u.args...)
		} else {
			flat = append(flat, a)
		}
	}
	var out starlark.Tuple
	for _, a := range flat {
		dup := false
		for _, b := range out {
			if eq, _ := starlark.Equal(a, b); eq {
				dup = true
			}
		}
		if !dup {
			out = append(out, a)
		}
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return &alias{name: "Union", origin: f, nparams: -1, args: out}, nil
}

// unionForm is typing.Union, the origin of Union[...] and Optional[...].
var unionForm = &form{name: "Union", item: unionItem}

// optionalItem is Optional[X]: Union[X, None].
func optionalItem(f *form, args starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "typing.Optional requires a single type. Got %s.", py.Repr(args))
	}
	return unionItem(unionForm, starlark.Tuple{args[0], starlark.None})
}

// singleItem is ClassVar[X] and Final[X], which take one type.
func singleItem(msg string) func(f *form, args starlark.Tuple) (starlark.Value, error) {
	return func(f *form, args starlark.Tuple) (starlark.Value, error) {
		if len(args) != 1 {
			return nil, py.Errorf(py.TypeError, "%s %s Got %s.", f, msg, py.Repr(args))
		}
		return &alias{name: f.name, origin: f, nparams: 1, args: typeArgs(args)}, nil
	}
}

// literalItem is Literal[v, ...]: the values as they are.
func literalItem(f *form, args starlark.Tuple) (starlark.Value, error) {
	return &alias{name: f.name, origin: f, nparams: -1, args: args, literal: true}, nil
}

// annotatedItem is Annotated[X, metadata...]: X, with metadata.
func annotatedItem(f *form, args starlark.Tuple) (starlark.Value, error) {
	if len(args) < 2 {
		return nil, py.Errorf(py.TypeError, "Annotated[...] should be used with at least two arguments (a type and an annotation).")
	}
	return &alias{name: f.name, origin: typeArg(args[0]), nparams: -1, args: args[:1], metadata: args[1:]}, nil
}

// anyType is typing.Any.
var anyType = &form{name: "Any"}

// union is X | Y with a typing value on one side: Union[X, Y].
func union(op syntax.Token, x, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	if op != syntax.PIPE {
		return nil, nil
	}
	if side == starlark.Right {
		x, y = y, x
	}
	return unionItem(unionForm, starlark.Tuple{x, y})
}

// ---- aliases ----

// alias is one of typing's aliases, unsubscripted (typing.List) or
// subscripted (typing.List[int]), or a subscripted special form
// (typing.Optional[int], typing.Literal['a']).
type alias struct {
	name     string
	origin   starlark.Value // the class (list) or the special form (Union)
	nparams  int            // the number of type arguments, -1 for any
	args     starlark.Tuple // nil when unsubscripted
	params   starlark.Value // Callable[params, result]'s params: a list or ...
	metadata starlark.Tuple // Annotated's
	literal  bool           // Literal's args are values
	check    func(v starlark.Value) bool
}

var (
	_ starlark.Mapping    = (*alias)(nil)
	_ starlark.HasAttrs   = (*alias)(nil)
	_ starlark.Comparable = (*alias)(nil)
	_ py.InstanceTester   = (*alias)(nil)
	_ py.AnnotationType   = (*alias)(nil)
)

func (a *alias) String() string {
	if a.args == nil && a.params == nil {
		return "typing." + a.name
	}
	if a.name == "Union" && len(a.args) == 2 {
		for i, x := range a.args {
			if x == py.NoneTypeType {
				return "typing.Optional[" + py.TypeRepr(a.args[1-i]) + "]"
			}
		}
	}
	var b strings.Builder
	b.WriteString("typing." + a.name + "[")
	if a.params != nil {
		if l, ok := a.params.(*starlark.List); ok {
			b.WriteString("[" + reprList(a.args[:l.Len()], false) + "], ")
		} else {
			b.WriteString("..., ")
		}
		b.WriteString(py.TypeRepr(a.args[len(a.args)-1]))
	} else if len(a.args) == 0 {
		b.WriteString("()")
	} else {
		b.WriteString(reprList(a.args, a.literal))
		for _, m := range a.metadata {
			b.WriteString(", " + py.Repr(m))
		}
	}
	b.WriteString("]")
	return b.String()
}

func reprList(args starlark.Tuple, values bool) string {
	s := make([]string, len(args))
	for i, x := range args {
		if values {
			s[i] = py.Repr(x)
		} else {
			s[i] = py.TypeRepr(x)
		}
	}
	return strings.Join(s, ", ")
}

func (a *alias) Type() string {
	switch {
	case a.name == "Union":
		return "typing._UnionGenericAlias"
	case a.args == nil:
		return "typing._SpecialGenericAlias"
	case a.name == "Literal":
		return "typing._LiteralGenericAlias"
	}
	return "typing._GenericAlias"
}
func (a *alias) Freeze()               {}
func (a *alias) Truth() starlark.Bool  { return true }
func (a *alias) Hash() (uint32, error) { return starlark.String(a.String()).Hash() }

// IsAnnotationType marks aliases as types of annotations.
func (a *alias) IsAnnotationType() {}

// CompareSameType is == by origin and arguments (a Union's in any order).
func (a *alias) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	b := y.(*alias)
	eq := a.name == b.name && a.String() == b.String()
	if a.name == "Union" && b.name == "Union" && len(a.args) == len(b.args) {
		eq = true
		for _, x := range a.args {
			eq = eq && slices.ContainsFunc(b.args, func(y starlark.Value) bool { e, _ := starlark.Equal(x, y); return e })
		}
	}
	switch op {
	case syntax.EQL:
		return eq, nil
	case syntax.NEQ:
		return !eq, nil
	}
	return false, py.Errorf(py.TypeError, "'%s' not supported between instances of '%s' and '%s'", op, a.Type(), b.Type())
}

// Get is alias[args]: typing.List[int], typing.Callable[[int], str].
func (a *alias) Get(k starlark.Value) (starlark.Value, bool, error) {
	if a.args != nil || a.params != nil {
		return nil, false, py.Errorf(py.TypeError, "%s is not a generic class", a)
	}
	args := argsOf(k)
	switch {
	case a.name == "Callable":
		if len(args) != 2 {
			return nil, false, py.Errorf(py.TypeError, "Callable must be used as Callable[[arg, ...], result].")
		}
		out := &alias{name: a.name, origin: a.origin, nparams: a.nparams}
		if l, ok := args[0].(*starlark.List); ok {
			params := make(starlark.Tuple, l.Len())
			for i := range params {
				params[i] = l.Index(i)
			}
			out.params = starlark.NewList(typeArgs(params))
			out.args = append(typeArgs(params), typeArg(args[1]))
		} else {
			out.params = args[0]
			out.args = starlark.Tuple{args[0], typeArg(args[1])}
		}
		return out, true, nil
	case a.name == "Tuple":
		if len(args) == 1 && py.TupleType.IsInstance(args[0]) && starlark.Len(args[0]) == 0 { // Tuple[()]
			args = starlark.Tuple{}
		}
	case len(args) != a.nparams:
		many := "many"
		if len(args) < a.nparams {
			many = "few"
		}
		if a.nparams == 0 {
			return nil, false, py.Errorf(py.TypeError, "%s is not a generic class", a)
		}
		return nil, false, py.Errorf(py.TypeError, "Too %s arguments for %s; actual %d, expected %d", many, a, len(args), a.nparams)
	}
	return &alias{name: a.name, origin: a.origin, nparams: a.nparams, args: typeArgs(args)}, true, nil
}

// TestInstance is isinstance(x, typing.List): the class's test; a
// subscripted alias cannot be tested, a Union tests each of its types.
func (a *alias) TestInstance(v starlark.Value) (bool, error) {
	if a.name == "Union" {
		for _, t := range a.args {
			if ok, err := py.IsInstance(v, t); ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	}
	if a.args != nil || a.params != nil {
		return false, py.Errorf(py.TypeError, "Subscripted generics cannot be used with class and instance checks")
	}
	if a.check == nil {
		return false, py.Errorf(py.TypeError, "kstar cannot check isinstance against %s", a)
	}
	return a.check(v), nil
}

// Attr returns __origin__ and __args__ (those of a subscripted alias),
// and __metadata__ of Annotated.
func (a *alias) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__origin__":
		if a.origin == nil {
			return nil, nil
		}
		return a.origin, nil
	case "__args__":
		if a.args == nil {
			return nil, nil
		}
		return a.args, nil
	case "__metadata__":
		if a.metadata == nil {
			return nil, nil
		}
		return a.metadata, nil
	}
	return nil, nil
}

// AttrNames lists the attributes Attr answers.
func (a *alias) AttrNames() []string { return []string{"__args__", "__metadata__", "__origin__"} }

// Binary is alias | X.
func (a *alias) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	return union(op, a, y, side)
}

// ---- Generic, Protocol ----

// base is typing.Generic or typing.Protocol: as a base, subscripted or
// not, it stands for no base.
type base struct {
	name string
	args starlark.Tuple
}

var (
	_ py.MROEntrier    = (*base)(nil)
	_ starlark.Mapping = (*base)(nil)
)

func (b *base) String() string {
	if b.args == nil {
		return "<class 'typing." + b.name + "'>"
	}
	return "typing." + b.name + "[" + reprList(b.args, false) + "]"
}
func (b *base) Type() string          { return "type" }
func (b *base) Freeze()               {}
func (b *base) Truth() starlark.Bool  { return true }
func (b *base) Hash() (uint32, error) { return starlark.String(b.String()).Hash() }

// MROEntries is the bases it stands for: none.
func (b *base) MROEntries() starlark.Tuple { return nil }

// Get is Generic[T, ...]: type variables only.
func (b *base) Get(k starlark.Value) (starlark.Value, bool, error) {
	args := argsOf(k)
	for _, a := range args {
		if _, ok := a.(*typeVar); !ok {
			return nil, false, py.Errorf(py.TypeError, "Parameters to %s[...] must all be type variables or parameter specification variables.", b.name)
		}
	}
	return &base{name: b.name, args: args}, true, nil
}

// ---- TypeVar ----

// typeVar is TypeVar('T'): ~T.
type typeVar struct {
	name                     string
	bound                    starlark.Value
	constraints              starlark.Tuple
	covariant, contravariant bool
}

var _ starlark.HasAttrs = (*typeVar)(nil)

// newTypeVar is TypeVar(name, *constraints, bound=None, covariant=False,
// contravariant=False).
func newTypeVar(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "TypeVar.__init__() missing 1 required positional argument: 'name'")
	}
	name, ok := args[0].(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "TypeVar name must be a string")
	}
	tv := &typeVar{name: string(name), bound: starlark.None, constraints: typeArgs(args[1:])}
	var co, contra starlark.Bool
	var bound starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), nil, kwargs, "bound?", &bound, "covariant?", &co, "contravariant?", &contra); err != nil {
		return nil, err
	}
	if co && contra {
		return nil, py.Errorf(py.ValueError, "Bivariant types are not supported.")
	}
	if len(tv.constraints) == 1 {
		return nil, py.Errorf(py.TypeError, "A single constraint is not allowed")
	}
	if bound != starlark.None && len(tv.constraints) > 0 {
		return nil, py.Errorf(py.TypeError, "Constraints cannot be combined with bound=...")
	}
	tv.bound, tv.covariant, tv.contravariant = typeArg(bound), bool(co), bool(contra)
	if bound == starlark.None {
		tv.bound = starlark.None
	}
	return tv, nil
}

func (t *typeVar) String() string {
	switch {
	case t.covariant:
		return "+" + t.name
	case t.contravariant:
		return "-" + t.name
	}
	return "~" + t.name
}
func (t *typeVar) Type() string          { return "typing.TypeVar" }
func (t *typeVar) Freeze()               {}
func (t *typeVar) Truth() starlark.Bool  { return true }
func (t *typeVar) Hash() (uint32, error) { return starlark.String(t.name).Hash() }

// Attr returns __name__, __bound__, __constraints__, __covariant__ and
// __contravariant__.
func (t *typeVar) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__":
		return starlark.String(t.name), nil
	case "__bound__":
		return t.bound, nil
	case "__constraints__":
		return t.constraints, nil
	case "__covariant__":
		return starlark.Bool(t.covariant), nil
	case "__contravariant__":
		return starlark.Bool(t.contravariant), nil
	}
	return nil, nil
}

// AttrNames lists the attributes Attr answers.
func (t *typeVar) AttrNames() []string {
	return []string{"__bound__", "__constraints__", "__contravariant__", "__covariant__", "__name__"}
}

// ---- NewType ----

// newType is NewType(name, tp): a callable that returns its argument.
type newType struct {
	name string
	tp   starlark.Value
}

var (
	_ starlark.Callable = (*newType)(nil)
	_ starlark.HasAttrs = (*newType)(nil)
)

func newNewType(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var tp starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "tp", &tp); err != nil {
		return nil, err
	}
	return &newType{name: name, tp: tp}, nil
}

func (n *newType) String() string        { return "__main__." + n.name }
func (n *newType) Type() string          { return "typing.NewType" }
func (n *newType) Freeze()               {}
func (n *newType) Truth() starlark.Bool  { return true }
func (n *newType) Hash() (uint32, error) { return starlark.String(n.name).Hash() }
func (n *newType) Name() string          { return n.name }

// CallInternal returns its one argument, as CPython's NewType does.
func (n *newType) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(n.name, args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	return x, nil
}

// Attr returns __name__ and __supertype__.
func (n *newType) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__":
		return starlark.String(n.name), nil
	case "__supertype__":
		return n.tp, nil
	}
	return nil, nil
}

// AttrNames lists the attributes Attr answers.
func (n *newType) AttrNames() []string { return []string{"__name__", "__supertype__"} }

// ---- functions ----

// overload(func) returns a function that refuses to be called, as
// CPython's: the definition without @overload that follows replaces it.
func overload(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn starlark.Callable
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &fn); err != nil {
		return nil, err
	}
	return py.Func(fn.Name(), func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return nil, py.Errorf(py.NotImplementedError, "You should not call an overloaded function. A series of @overload-decorated functions outside a stub module should always be followed by an implementation that is not @overload-ed.")
	}), nil
}

// identityDecorator is a decorator that returns what it decorates.
func identityDecorator(name string) *starlark.Builtin {
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var x starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
			return nil, err
		}
		return x, nil
	})
}

// getOrigin is get_origin(tp): list for List[int] and list[int],
// typing.Union for Optional[int], None for what has no origin.
func getOrigin(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var tp starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &tp); err != nil {
		return nil, err
	}
	switch tp := tp.(type) {
	case *alias:
		if tp.metadata != nil {
			return annotatedForm, nil
		}
		if tp.origin != nil {
			return tp.origin, nil
		}
	case *py.GenericAlias:
		return tp.Attr("__origin__")
	case *base:
		if tp.args != nil {
			return &base{name: tp.name}, nil
		}
	}
	return starlark.None, nil
}

// annotatedForm is typing.Annotated, get_origin of Annotated[...].
var annotatedForm = &form{name: "Annotated", item: annotatedItem}

// getArgs is get_args(tp): the type arguments; Callable's parameters
// as a list.
func getArgs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var tp starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &tp); err != nil {
		return nil, err
	}
	switch tp := tp.(type) {
	case *alias:
		if tp.params != nil {
			if l, ok := tp.params.(*starlark.List); ok {
				return starlark.Tuple{starlark.NewList(append([]starlark.Value(nil), tp.args[:l.Len()]...)), tp.args[len(tp.args)-1]}, nil
			}
			return tp.args, nil
		}
		if tp.metadata != nil {
			return append(append(starlark.Tuple{}, tp.origin), tp.metadata...), nil
		}
		if tp.args != nil {
			return tp.args, nil
		}
	case *py.GenericAlias:
		return tp.Attr("__args__")
	case *base:
		if tp.args != nil {
			return tp.args, nil
		}
	}
	return starlark.Tuple{}, nil
}

// ---- NamedTuple ----

// namedTuple is typing.NamedTuple: NamedTuple('P', [('x', int)]) and
// class P(NamedTuple): x: int make a collections.namedtuple class.
type namedTuple struct{}

var (
	_ starlark.Callable = namedTuple{}
	_ py.ClassMaker     = namedTuple{}
)

func (namedTuple) String() string        { return fmt.Sprintf("<function NamedTuple at %p>", namedTupleFunc) }
func (namedTuple) Type() string          { return "function" }
func (namedTuple) Freeze()               {}
func (namedTuple) Truth() starlark.Bool  { return true }
func (namedTuple) Hash() (uint32, error) { return starlark.String("NamedTuple").Hash() }
func (namedTuple) Name() string          { return "NamedTuple" }

// namedTupleFunc gives NamedTuple an address for its repr.
var namedTupleFunc = new(int)

// CallInternal is NamedTuple(typename, fields): fields a list of (name,
// type) pairs.
func (namedTuple) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var fields starlark.Value
	if err := starlark.UnpackPositionalArgs("NamedTuple", args, kwargs, 2, &name, &fields); err != nil {
		return nil, err
	}
	pairs, err := py.Elements(thread, fields)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range pairs {
		t, ok := p.(starlark.Tuple)
		if !ok || len(t) != 2 {
			return nil, py.Errorf(py.TypeError, "NamedTuple('Name', [(f0, t0), (f1, t1), ...]); each t must be a type")
		}
		f, ok := t[0].(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "NamedTuple('Name', [(f0, t0), (f1, t1), ...]); each t must be a type")
		}
		names = append(names, string(f))
	}
	return makeNamedTuple(name, names, nil)
}

// MakeClass is class P(NamedTuple): the annotated names are the fields,
// those with a value have it as their default.
func (namedTuple) MakeClass(thread *starlark.Thread, name string, namespace []starlark.Tuple, keywords *starlark.Dict) (starlark.Value, error) {
	if keywords.Len() > 0 {
		return nil, py.Errorf(py.TypeError, "NamedTupleMeta.__new__() got an unexpected keyword argument '%s'", py.Str(keywords.Keys()[0]))
	}
	values := map[string]starlark.Value{}
	var annotations *starlark.Dict
	for _, item := range namespace {
		k := string(item[0].(starlark.String))
		switch {
		case k == "__annotations__":
			annotations, _ = item[1].(*starlark.Dict)
		case k == "__doc__":
		default:
			values[k] = item[1]
		}
	}
	var fields []string
	var defaults starlark.Tuple
	if annotations != nil {
		for _, k := range annotations.Keys() {
			f, ok := starlark.AsString(k)
			if !ok {
				return nil, py.Errorf(py.TypeError, "NamedTuple field names must be strings, not %s", py.TypeName(k))
			}
			if d, ok := values[f]; ok {
				defaults = append(defaults, d)
				delete(values, f)
			} else if len(defaults) > 0 {
				return nil, py.Errorf(py.TypeError, "Non-default namedtuple field %s cannot follow default field%s %s", f, map[bool]string{true: "s", false: ""}[len(defaults) > 1], strings.Join(fields[len(fields)-len(defaults):], ", "))
			}
			fields = append(fields, f)
		}
	}
	for k := range values {
		return nil, py.Errorf(py.TypeError, "kstar does not support attributes or methods in a NamedTuple class (%s.%s): only annotated fields", name, k)
	}
	return makeNamedTuple(name, fields, defaults)
}

// makeNamedTuple makes the namedtuple class name of the script.
func makeNamedTuple(name string, fields []string, defaults starlark.Tuple) (starlark.Value, error) {
	for _, f := range fields {
		if strings.HasPrefix(f, "_") {
			return nil, py.Errorf(py.ValueError, "Field names cannot start with an underscore: %s", py.QuoteString(f))
		}
	}
	t := py.NewNamedTupleType(name, fields, defaults...)
	t.Module = "__main__"
	return t, nil
}

// ---- TypedDict ----

// typedDict is TypedDict, or a class made from it: calling one makes a
// dict (CPython checks no keys either).
type typedDict struct {
	name        string
	annotations *starlark.Dict // with its bases'
	total       bool
}

var (
	_ starlark.Callable = (*typedDict)(nil)
	_ starlark.HasAttrs = (*typedDict)(nil)
	_ py.ClassMaker     = (*typedDict)(nil)
	_ py.InstanceTester = (*typedDict)(nil)
)

// typedDictBase is typing.TypedDict itself.
var typedDictBase = &typedDict{}

func (t *typedDict) String() string {
	if t == typedDictBase {
		return fmt.Sprintf("<function TypedDict at %p>", t)
	}
	return "<class '__main__." + t.name + "'>"
}
func (t *typedDict) Type() string          { return "type" }
func (t *typedDict) Freeze()               { t.annotations.Freeze() }
func (t *typedDict) Truth() starlark.Bool  { return true }
func (t *typedDict) Hash() (uint32, error) { return starlark.String(t.name).Hash() }
func (t *typedDict) Name() string          { return t.name }

// CallInternal is TypedDict(typename, fields, total=True) for TypedDict
// itself, and dict(...) for a class made from it.
func (t *typedDict) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if t != typedDictBase {
		return starlark.Call(thread, py.DictType, args, kwargs)
	}
	var name string
	var fields *starlark.Dict
	total := true
	if err := starlark.UnpackArgs("TypedDict", args, kwargs, "typename", &name, "fields", &fields, "total?", &total); err != nil {
		return nil, err
	}
	d := starlark.NewDict(fields.Len())
	for _, item := range fields.Items() {
		_ = d.SetKey(item[0], typeArg(item[1]))
	}
	return &typedDict{name: name, annotations: d, total: total}, nil
}

// MakeClass is class M(TypedDict, total=True): the annotated names are
// the keys, after those of the TypedDict it derives from.
func (t *typedDict) MakeClass(thread *starlark.Thread, name string, namespace []starlark.Tuple, keywords *starlark.Dict) (starlark.Value, error) {
	total := true
	for _, item := range keywords.Items() {
		if item[0] != starlark.String("total") {
			return nil, py.Errorf(py.TypeError, "_TypedDictMeta.__new__() got an unexpected keyword argument '%s'", py.Str(item[0]))
		}
		total = bool(item[1].Truth())
	}
	d := starlark.NewDict(0)
	if t.annotations != nil {
		for _, item := range t.annotations.Items() {
			_ = d.SetKey(item[0], item[1])
		}
	}
	for _, item := range namespace {
		if ann, ok := item[1].(*starlark.Dict); ok && item[0] == starlark.String("__annotations__") {
			for _, a := range ann.Items() {
				_ = d.SetKey(a[0], typeArg(a[1]))
			}
		}
	}
	return &typedDict{name: name, annotations: d, total: total}, nil
}

// TestInstance refuses isinstance, as CPython does.
func (t *typedDict) TestInstance(v starlark.Value) (bool, error) {
	return false, py.Errorf(py.TypeError, "TypedDict does not support instance and class checks")
}

// Attr returns __name__, __annotations__ and __total__.
func (t *typedDict) Attr(name string) (starlark.Value, error) {
	if t == typedDictBase {
		return nil, nil
	}
	switch name {
	case "__name__":
		return starlark.String(t.name), nil
	case "__annotations__":
		return t.annotations, nil
	case "__total__":
		return starlark.Bool(t.total), nil
	}
	return nil, nil
}

// AttrNames lists the attributes Attr answers.
func (t *typedDict) AttrNames() []string { return []string{"__annotations__", "__name__", "__total__"} }
