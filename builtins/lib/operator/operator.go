// Package operator is Python's operator module for kstar scripts: the
// operators as functions (add, sub, mul, truediv, floordiv, mod, pow,
// neg, pos, abs, invert/inv, lshift, rshift, and_, or_, xor, not_,
// truth, eq, ne, lt, le, gt, ge, is_, is_not, getitem, setitem, delitem,
// contains, concat, countOf, indexOf, index, length_hint, call) and the
// callables itemgetter(*items), attrgetter(*attrs) (dotted names too)
// and methodcaller(name, /, *args, **kwargs), with CPython 3.11's reprs
// and errors. Each function does what the operator does in a kstar
// script (mod is %-formatting for str, pow is **).
//
// is_ and is_not compare mutable values (lists, dicts, objects) by
// identity, and immutable ones (numbers, str, tuples, None) by value,
// which is what CPython's identity gives for the values scripts compare
// with `is` (None, True, small ints, interned strings).
package operator

import (
	"reflect"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the operator module for one execution.
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{
		"itemgetter":   getterClasses[itemgetter],
		"attrgetter":   getterClasses[attrgetter],
		"methodcaller": getterClasses[methodcaller],
	}
	for name, fn := range functions {
		members[name] = py.Func(name, fn)
	}
	return &starlarkstruct.Module{Name: "operator", Members: members}
}

// pyGlobals are the builtins scripts call by name: operator's pow and
// abs are the global pow and abs.
var pyGlobals = py.Globals()

// functions are the operator module's functions.
var functions = map[string]py.BuiltinFunc{
	"add":      binary("add", syntax.PLUS),
	"sub":      binary("sub", syntax.MINUS),
	"mul":      binary("mul", syntax.STAR),
	"truediv":  binary("truediv", syntax.SLASH),
	"floordiv": binary("floordiv", syntax.SLASHSLASH),
	"lshift":   binary("lshift", syntax.LTLT),
	"rshift":   binary("rshift", syntax.GTGT),
	"and_":     binary("and_", syntax.AMP),
	"or_":      binary("or_", syntax.PIPE),
	"xor":      binary("xor", syntax.CIRCUMFLEX),
	"eq":       compare("eq", syntax.EQL),
	"ne":       compare("ne", syntax.NEQ),
	"lt":       compare("lt", syntax.LT),
	"le":       compare("le", syntax.LE),
	"gt":       compare("gt", syntax.GT),
	"ge":       compare("ge", syntax.GE),
	"neg":      unary("neg", syntax.MINUS),
	"pos":      unary("pos", syntax.PLUS),
	"invert":   unary("invert", syntax.TILDE),
	"inv":      unary("inv", syntax.TILDE),
	"mod": withArgs("mod", 2, func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
		return py.Mod(a[0], a[1])
	}),
	"pow":     withArgs("pow", 2, callGlobal("pow")),
	"abs":     withArgs("abs", 1, callGlobal("abs")),
	"not_":    withArgs("not_", 1, func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) { return !a[0].Truth(), nil }),
	"truth":   withArgs("truth", 1, func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) { return a[0].Truth(), nil }),
	"is_":     withArgs("is_", 2, isOp(true)),
	"is_not":  withArgs("is_not", 2, isOp(false)),
	"getitem": withArgs("getitem", 2, func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) { return getItem(a[0], a[1]) }),
	"setitem": withArgs("setitem", 3, setItem),
	"delitem": withArgs("delitem", 2, delItem),
	"contains": withArgs("contains", 2, func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
		return starlark.Binary(syntax.IN, a[1], a[0])
	}),
	"concat":      withArgs("concat", 2, concat),
	"countOf":     withArgs("countOf", 2, countOf),
	"indexOf":     withArgs("indexOf", 2, indexOf),
	"index":       withArgs("index", 1, index),
	"length_hint": lengthHint,
	"call":        call,
}

// withArgs makes a function of exactly n positional arguments.
func withArgs(name string, n int, fn func(thread *starlark.Thread, args starlark.Tuple) (starlark.Value, error)) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if n == 1 {
			if _, err := py.OneArg("_operator."+name, args, kwargs); err != nil {
				return nil, err
			}
		} else if err := py.CheckPositional(name, args, kwargs, n, n); err != nil {
			return nil, err
		}
		return fn(thread, args)
	}
}

func binary(name string, op syntax.Token) py.BuiltinFunc {
	return withArgs(name, 2, func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
		return starlark.Binary(op, a[0], a[1])
	})
}

func compare(name string, op syntax.Token) py.BuiltinFunc {
	return withArgs(name, 2, func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
		ok, err := starlark.Compare(op, a[0], a[1])
		return starlark.Bool(ok), err
	})
}

func unary(name string, op syntax.Token) py.BuiltinFunc {
	return withArgs(name, 1, func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
		return starlark.Unary(op, a[0])
	})
}

// callGlobal calls the script-level builtin of that name.
func callGlobal(name string) func(thread *starlark.Thread, args starlark.Tuple) (starlark.Value, error) {
	fn := pyGlobals[name]
	return func(thread *starlark.Thread, args starlark.Tuple) (starlark.Value, error) {
		return starlark.Call(thread, fn, args, nil)
	}
}

// isOp is is_ (want true) or is_not.
func isOp(want bool) func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
	return func(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
		s, err := same(a[0], a[1])
		return starlark.Bool(s == want), err
	}
}

// same is Python's `a is b`, as the package comment describes.
func same(a, b starlark.Value) (bool, error) {
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	if ra.Type() != rb.Type() {
		return false, nil
	}
	switch ra.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan:
		return ra.Pointer() == rb.Pointer(), nil
	}
	return starlark.Equal(a, b)
}

// getItem is x[k].
func getItem(x, k starlark.Value) (starlark.Value, error) {
	switch x := x.(type) {
	case starlark.Mapping:
		v, found, err := x.Get(k)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, py.KeyErrorOf(k)
		}
		return v, nil
	case starlark.Indexable:
		i, err := position(x, k)
		if err != nil {
			return nil, err
		}
		return x.Index(i), nil
	}
	return nil, py.Errorf(py.TypeError, "'%s' object is not subscriptable", py.TypeName(x))
}

// sequenceName is how Python's index errors name x's type.
func sequenceName(x starlark.Value) string {
	switch x.(type) {
	case starlark.String:
		return "string"
	case *starlark.List:
		return "list"
	case py.Bytes:
		return "bytes"
	}
	if _, ok := x.(starlark.Indexable); ok && py.TupleType.IsInstance(x) {
		return "tuple"
	}
	return py.TypeName(x)
}

// position is the index k of the sequence x, within its bounds.
func position(x starlark.Indexable, k starlark.Value) (int, error) {
	i, err := starlark.AsInt32(k)
	if _, isInt := k.(starlark.Int); err != nil || !isInt {
		if _, isBool := k.(starlark.Bool); !isBool || err != nil {
			if _, isInt := k.(starlark.Int); isInt {
				return 0, py.Errorf(py.IndexError, "cannot fit 'int' into an index-sized integer")
			}
			if _, ok := x.(starlark.String); ok {
				return 0, py.Errorf(py.TypeError, "string indices must be integers, not '%s'", py.TypeName(k))
			}
			return 0, py.Errorf(py.TypeError, "%s indices must be integers or slices, not %s", sequenceName(x), py.TypeName(k))
		}
		if k == starlark.True {
			i = 1
		}
	}
	n := x.Len()
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		if _, ok := x.(py.Bytes); ok {
			return 0, py.Errorf(py.IndexError, "index out of range")
		}
		return 0, py.Errorf(py.IndexError, "%s index out of range", sequenceName(x))
	}
	return i, nil
}

// setItem is x[k] = v.
func setItem(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
	switch x := a[0].(type) {
	case starlark.HasSetKey:
		return starlark.None, x.SetKey(a[1], a[2])
	case starlark.HasSetIndex:
		i, err := position(x, a[1])
		if err != nil {
			return nil, err
		}
		return starlark.None, x.SetIndex(i, a[2])
	}
	return nil, py.Errorf(py.TypeError, "'%s' object does not support item assignment", py.TypeName(a[0]))
}

// delItem is `del x[k]`, which Starlark's syntax lacks: a dict's key, or
// a list's element.
func delItem(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
	switch x := a[0].(type) {
	case *starlark.Dict:
		_, found, err := x.Delete(a[1])
		if err == nil && !found {
			err = py.KeyErrorOf(a[1])
		}
		return starlark.None, err
	case py.DictSubclass:
		pop, _ := py.GetAttr(x, "pop")
		_, err := starlark.Call(thread, pop, starlark.Tuple{a[1]}, nil)
		return starlark.None, err
	case *starlark.List:
		i, err := position(x, a[1])
		if e := py.AsException(err); e != nil && e.Class == py.IndexError {
			return nil, py.Errorf(py.IndexError, "list assignment index out of range")
		} else if err != nil {
			return nil, err
		}
		pop, _ := x.Attr("pop")
		_, err = starlark.Call(thread, pop, starlark.Tuple{starlark.MakeInt(i)}, nil)
		return starlark.None, err
	}
	return nil, py.Errorf(py.TypeError, "'%s' object doesn't support item deletion", py.TypeName(a[0]))
}

// concat is a + b of sequences.
func concat(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
	switch a[0].(type) {
	case starlark.Indexable, starlark.Mapping:
	default:
		return nil, py.Errorf(py.TypeError, "'%s' object can't be concatenated", py.TypeName(a[0]))
	}
	return starlark.Binary(syntax.PLUS, a[0], a[1])
}

// countOf counts the elements of a equal to b (or identical).
func countOf(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
	elems, err := py.Elements(thread, a[0])
	if err != nil {
		return nil, err
	}
	n := 0
	for _, e := range elems {
		if eq, err := starlark.Equal(e, a[1]); err != nil {
			return nil, err
		} else if eq {
			n++
		}
	}
	return starlark.MakeInt(n), nil
}

// indexOf is the position of the first element of a equal to b.
func indexOf(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
	src, err := py.Iterate(thread, a[0])
	if err != nil {
		return nil, err
	}
	for i := 0; ; i++ {
		v, ok, err := src.Next(thread)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, py.Errorf(py.ValueError, "sequence.index(x): x not in sequence")
		}
		if eq, err := starlark.Equal(v, a[1]); err != nil {
			return nil, err
		} else if eq {
			return starlark.MakeInt(i), nil
		}
	}
}

// index is a as an int (bools are ints).
func index(thread *starlark.Thread, a starlark.Tuple) (starlark.Value, error) {
	switch v := a[0].(type) {
	case starlark.Int:
		return v, nil
	case starlark.Bool:
		if v {
			return starlark.MakeInt(1), nil
		}
		return starlark.MakeInt(0), nil
	}
	return nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(a[0]))
}

// length_hint(obj, default=0): len(obj) when it has one, else default.
func lengthHint(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("length_hint", args, kwargs, 1, 2); err != nil {
		return nil, err
	}
	if n := starlark.Len(args[0]); n >= 0 {
		return starlark.MakeInt(n), nil
	}
	if len(args) == 2 {
		if _, ok := args[1].(starlark.Int); !ok {
			return nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(args[1]))
		}
		return args[1], nil
	}
	return starlark.MakeInt(0), nil
}

// call(obj, /, *args, **kwargs) is obj(*args, **kwargs).
func call(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "call() missing 1 required positional argument: 'obj'")
	}
	return starlark.Call(thread, args[0], args[1:], kwargs)
}
