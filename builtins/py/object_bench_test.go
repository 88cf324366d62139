package py_test

import (
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// classBenchScript defines the loops the class benchmarks time: each runs
// its statement n times; loop is the empty loop, to subtract.
const classBenchScript = `
class Point:
    def __init__(self, x):
        self.x = x

    def get(self, a):
        return a


p = Point(1)
d = {"x": 1}


def get(a):
    return a


def loop(n):
    for i in range(n):
        pass


def function_call(n):
    for i in range(n):
        get(i)


def method_call(n):
    for i in range(n):
        p.get(i)


def dict_get(n):
    for i in range(n):
        d["x"]


def attr_get(n):
    for i in range(n):
        p.x


def attr_set(n):
    for i in range(n):
        p.x = i


def new_instance(n):
    for i in range(n):
        Point(i)


def noop():
    pass


def def_call(n):
    for i in range(n):
        noop()


builtin = go_noop
fields = go_struct


def builtin_call(n):
    for i in range(n):
        builtin()


def struct_field(n):
    for i in range(n):
        fields.x


d100 = {str(i): i for i in range(100)}


def dict_items(n):
    for i in range(n):
        for k, v in d100.items():
            pass
`

// benchClassLoop runs the script's function name with b.N iterations:
// ns/op is one loop step with the statement. CPython 3.11's figures for
// the same loops (each benchmark's comment) come from
//
//	python3 -m timeit -s 'SETUP' 'for i in range(1000000): STATEMENT'
//
// divided by a million, with SETUP:
//
//	class Point:
//	    def __init__(self, x): self.x = x
//	    def get(self, a): return a
//	p = Point(1); d = {"x": 1}
//	def get(a): return a
//	def noop(): pass
func benchClassLoop(b *testing.B, name string) {
	f, err := frontend.Parse("bench.py", []byte(classBenchScript))
	if err != nil {
		b.Fatal(err)
	}
	predeclared := py.Globals()
	predeclared["go_noop"] = starlark.NewBuiltin("go_noop", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, nil
	})
	predeclared["go_struct"] = starlarkstruct.FromStringDict(starlarkstruct.Default, starlark.StringDict{"x": starlark.MakeInt(1)})
	prog, err := starlark.FileProgram(f, predeclared.Has)
	if err != nil {
		b.Fatal(err)
	}
	thread := &starlark.Thread{Name: "bench"}
	globals, err := prog.Init(thread, predeclared)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if _, err := starlark.Call(thread, globals[name], starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkClassEmptyLoop is the loop alone (STATEMENT pass).
func BenchmarkClassEmptyLoop(b *testing.B) { benchClassLoop(b, "loop") }

// BenchmarkClassFunctionCall is get(i).
func BenchmarkClassFunctionCall(b *testing.B) { benchClassLoop(b, "function_call") }

// BenchmarkClassMethodCall is p.get(i).
func BenchmarkClassMethodCall(b *testing.B) { benchClassLoop(b, "method_call") }

// BenchmarkClassAttrGet is p.x.
func BenchmarkClassAttrGet(b *testing.B) { benchClassLoop(b, "attr_get") }

// BenchmarkClassAttrSet is p.x = i.
func BenchmarkClassAttrSet(b *testing.B) { benchClassLoop(b, "attr_set") }

// BenchmarkClassNewInstance is Point(i).
func BenchmarkClassNewInstance(b *testing.B) { benchClassLoop(b, "new_instance") }

// BenchmarkClassDictGet is d["x"].
func BenchmarkClassDictGet(b *testing.B) { benchClassLoop(b, "dict_get") }

// BenchmarkDictItemsLoop is a whole loop over a 100-key dict's items
// (STATEMENT for k, v in d100.items(): pass; CPython 3.11: 1.2 µs).
func BenchmarkDictItemsLoop(b *testing.B) { benchClassLoop(b, "dict_items") }

// The floors that bound what a class's operations can cost on
// go.starlark.net: a call of a Starlark function that does nothing
// (noop()), of a Go builtin that does nothing (builtin()), and the read
// of a field of a starlarkstruct (fields.x) (CPython: noop(), and for the last two a call of
// a builtin, id(1), and the read of a module attribute, sys.maxsize).

// BenchmarkFloorDefCall is noop(), a Starlark function.
func BenchmarkFloorDefCall(b *testing.B) { benchClassLoop(b, "def_call") }

// BenchmarkFloorBuiltinCall is builtin(), a Go builtin that does nothing.
func BenchmarkFloorBuiltinCall(b *testing.B) { benchClassLoop(b, "builtin_call") }

// BenchmarkFloorStructField is fields.x, a starlarkstruct's field.
func BenchmarkFloorStructField(b *testing.B) { benchClassLoop(b, "struct_field") }
