package frontend

import (
	"reflect"
	"strings"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// The predeclared helpers lowered code calls (builtins/pynames.go).
const (
	importFunc     = py.ImportFunc
	importFromFunc = py.ImportFromFunc
	fstringFunc    = py.FStringFunc
	formatFunc     = py.FormatFunc
	modFunc        = py.ModFunc
	getAttrFunc    = py.GetAttrFunc
	genExpFunc     = py.GenExpFunc
	genExpSkip     = py.GenExpSkip
	iterableFunc   = py.IterableFunc
	ownedIterFunc  = py.OwnedIterableFunc
	powFunc        = py.PowFunc
	setEqFunc      = py.SetEqFunc
	starArgsFunc   = py.StarArgsFunc
	kwargsArgFunc  = py.KwargsArgFunc
)

// The predeclared helpers of other lowered constructs, which the runtime
// provides.
const (
	// UnpackFunc: a, *rest, z = xs is a, rest, z = __unpack__(xs, 1, 1).
	UnpackFunc = "__unpack__"
	// IsFunc: x is y is __is__(x, y) unless one side is None, True or
	// False (then ==).
	IsFunc = "__is__"
	// DelItemFunc: del x[k] is __delitem__(x, k).
	DelItemFunc = "__delitem__"
	// TupleEqFunc: x == (a, b) is __tuple_eq__(x, (a, b)), and x != (a, b)
	// is not __tuple_eq__(x, (a, b)), so that a namedtuple equals the
	// tuple of its values as in Python (Starlark's == says values of
	// different types differ).
	TupleEqFunc = "__tuple_eq__"
)

// pyOnlyMethods are the attribute names lowered to __getattr__ calls.
var pyOnlyMethods = py.RewrittenMethods

func cutDot(s string) (before, after string, found bool) { return strings.Cut(s, ".") }

// inspect calls f for every node of the tree under n, depth first, and
// descends into a node's children while f returns true. It is only used
// for the rare whole-tree questions (does the script bind __name__?).
func inspect(n pysyntax.Node, f func(pysyntax.Node) bool) {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if v.IsNil() {
				return
			}
			if v.Kind() == reflect.Interface {
				walk(v.Elem())
				return
			}
			if node, ok := v.Interface().(pysyntax.Node); ok && !f(node) {
				return
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(n))
}
