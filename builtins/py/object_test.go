package py_test

import (
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// runPython runs src as the runtime does (front end, then Starlark) and
// returns the error it ends with.
func runPython(t *testing.T, src string) error {
	t.Helper()
	f, err := frontend.Parse("t.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	predeclared := py.Globals()
	prog, err := starlark.FileProgram(f, predeclared.Has)
	if err != nil {
		t.Fatal(err)
	}
	_, err = prog.Init(&starlark.Thread{}, predeclared)
	return err
}

// The class statements kstar refuses, and the errors CPython raises for
// impossible ones, with CPython's wording where it has one.
func TestClassStatementErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"class D(dict):\n    pass", "TypeError: kstar cannot subclass 'dict' yet: wrap a dict in an attribute instead"},
		{"class L(list):\n    pass", "TypeError: kstar cannot subclass 'list' yet: wrap a list in an attribute instead"},
		{"class M(metaclass=type):\n    pass", "TypeError: kstar does not support metaclasses (class M)"},
		{"class K(flag=1):\n    pass", "TypeError: K.__init_subclass__() takes no keyword arguments"},
		{"class N(5):\n    pass", "TypeError: bases must be classes, not int"},
		{"class O(object, object):\n    pass", "TypeError: duplicate base class object"},
		{"class A:\n    pass\nclass B(A, object):\n    pass\nclass C(object, B):\n    pass",
			"TypeError: Cannot create a consistent method resolution\norder (MRO) for bases object, B"},
		{"class S:\n    def __new__(cls):\n        pass", "TypeError: kstar does not support __new__ (class S)"},
		{"super()", "RuntimeError: super(): no arguments"},
		{"class A:\n    pass\nsuper(A, 1)", "TypeError: super(type, obj): obj must be an instance or subtype of type"},
		{"class A:\n    def __init__(self):\n        return 1\nA()", "TypeError: __init__() should return None, not 'int'"},
	} {
		err := runPython(t, tc.src)
		e := py.AsException(err)
		if e == nil {
			t.Errorf("%q: error %v, want %s", tc.src, err, tc.want)
			continue
		}
		if got := e.Error(); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
}
