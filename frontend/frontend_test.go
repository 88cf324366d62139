package frontend

import (
	"fmt"
	"strings"
	"testing"

	"go.starlark.net/syntax"
)

// show renders an expression after the rewrite, to check its shape.
func show(e syntax.Expr) string {
	switch e := e.(type) {
	case *syntax.Ident:
		return e.Name
	case *syntax.Literal:
		if s, ok := e.Value.(string); ok {
			if e.Token == syntax.BYTES {
				return "b" + fmt.Sprintf("%q", s)
			}
			return fmt.Sprintf("%q", s)
		}
		return e.Raw
	case *syntax.CallExpr:
		var args []string
		for _, a := range e.Args {
			args = append(args, show(a))
		}
		return show(e.Fn) + "(" + strings.Join(args, ", ") + ")"
	case *syntax.DotExpr:
		return show(e.X) + "." + e.Name.Name
	case *syntax.BinaryExpr:
		return show(e.X) + " " + e.Op.String() + " " + show(e.Y)
	case *syntax.ParenExpr:
		return "(" + show(e.X) + ")"
	case *syntax.TupleExpr:
		var elems []string
		for _, a := range e.List {
			elems = append(elems, show(a))
		}
		return strings.Join(elems, ", ")
	case *syntax.IndexExpr:
		return show(e.X) + "[" + show(e.Y) + "]"
	}
	return fmt.Sprintf("<%T>", e)
}

func showStmt(s syntax.Stmt) string {
	switch s := s.(type) {
	case *syntax.AssignStmt:
		return show(s.LHS) + " " + s.Op.String() + " " + show(s.RHS)
	case *syntax.ExprStmt:
		return show(s.X)
	case *syntax.BranchStmt:
		return s.Token.String()
	}
	return fmt.Sprintf("<%T>", s)
}

func TestFrontEndRewrites(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`import json`, `json = __import__("json")`},
		{`import json, time`, `json = __import__("json"); time = __import__("time")`},
		{`import msgpack as mp`, `mp = __import__("msgpack")`},
		{`import kafka.errors`, `__import__("kafka.errors"); kafka = __import__("kafka")`},
		{`from kafka import KafkaProducer`, `KafkaProducer = __import_from__("kafka", "KafkaProducer")`},
		{"from kafka import (\n A,\n B as C)", `A, C = __import_from__("kafka", "A", "B")`},
		{"from __future__ import annotations\nx = 1", `x = 1`},
		{"s = 'a' '''\n\n'''", `s = "a\n\n"`},
		{"from kafka import (\n\n    B); x = 1", `B = __import_from__("kafka", "B"); x = 1`},
		{`x = y = f()`, `__v1 = f(); x = __v1; y = __v1`},
		{`a, *b = c`, `a, b = __unpack__(c, 1, 0)`},
		{`del d[k]`, `__delitem__(d, k)`},
		{`del xs[1:], xs[::2]`, `__delslice__(xs, 1, None, None); __delslice__(xs, None, None, 2)`},
		{"x = 1\ndel x", `__global_x = __cell__("x", 1); __global_x.v = 1; __delcell__(__global_x)`},
		{"if (m := f()) > 0:\n    pass\nfor i in m: pass", `m = f(); <*syntax.IfStmt>; <*syntax.ForStmt>`}, // hoisted: m stays a plain name
		{`print(y := 5, y)`, `__global_y = __cell__("y", 1); print(__setcell__(__global_y, 5), __global_y.v)`},
		{`i, (a, *r), j = x`, `i, __v1, __v2 = x; a, r = __unpack__(__v1, 1, 0); j = __v2`},
		{"n = 0\ndef f():\n    global n\n    n = 1", `__global_n = __cell__("n", 1); __global_n.v = 0; <*syntax.DefStmt>`},
		{`t = a is b, a is not None`, `t = __is__(a, b), a != None`},
		{`x = 2 ** -y ** 2`, `x = __pow__(2, <*syntax.UnaryExpr>)`},
		{`n = sum(v for k, v in d)`, `n = sum(__genexp__("2", d, <*syntax.LambdaExpr>))`},
		{`n = sum(v for k, (v, w) in d)`, `n = sum(__genexp__(<*syntax.Comprehension>))`},
		{`n = sum(v for v in d if v for w in v if w)`, `n = sum(__genexp__("1i1", d, <*syntax.LambdaExpr>, <*syntax.LambdaExpr>, <*syntax.LambdaExpr>))`},
		{`print(*a, sep=s)`, `print(sep = s, <*syntax.UnaryExpr>)`},
		{`x is None`, `x == None`},
		{`x is not None`, `x != None`},
		{`f"{msg.offset:>8} {rate:.1f} {name!r} {x:{width}}"`,
			`__fstring__(__format__(msg.offset, "", ">8"), " ", __format__(rate, "", ".1f"), " ", __format__(name, "r", ""), " ", __format__(x, "", __fstring__(__format__(width, "", ""))))`},
		{`f"a{{b}}c"`, `"a{b}c"`},
		{`f"{x=}"`, `__fstring__("x=", __format__(x, "r", ""))`},
		{`f"{x:{w}.{p}f}"`, `__fstring__(__format__(x, "", __fstring__(__format__(w, "", ""), ".", __format__(p, "", ""), "f")))`},
		{`"a" f"{x}" "b"`, `__fstring__("a", __format__(x, "", ""), "b")`},
		{`a % b`, `__mod__(a, b)`},
		{`"%s" % (a % b,)`, `__mod__("%s", (__mod__(a, b)))`},
		{`x %= 3`, `x = __mod__(x, 3)`},
		{`s.encode("utf-8")`, `__getattr__(s, "encode")("utf-8")`},
		{`b.decode()`, `b.decode()`}, // bytes (py.Bytes) has its methods
		{`"{:.2f}".format(x)`, `__getattr__("{:.2f}", "format")(x)`},
		{`x.encode = 1`, `x.encode = 1`},
		{`x.zfill.y = s.zfill`, `__getattr__(x, "zfill").y = __getattr__(s, "zfill")`},
		{`u"x"`, `"x"`},
		{`"\d"`, `"\\d"`},
		// Each distinct bytes literal is a module constant, a py.Bytes.
		{`b"\d"`, `__b1 = __bytes_lit__("\\d"); __b1`},
		{"x = b'a' + b'a'\ndef f():\n    return b''", `__b1 = __bytes_lit__("a"); __b2 = __bytes_lit__(""); x = __b1 + __b1; <*syntax.DefStmt>`},
	} {
		f, err := Parse("t.py", []byte(tc.src))
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
			continue
		}
		var got []string
		for _, s := range f.Stmts {
			got = append(got, showStmt(s))
		}
		if g := strings.Join(got, "; "); g != tc.want {
			t.Errorf("%s\n got  %s\n want %s", tc.src, g, tc.want)
		}
	}
}

// syntaxErrorCases are sources the front end refuses, with the error it
// reports; docs/compatibility.md quotes the refusals (docs_test.go).
var syntaxErrorCases = []struct{ src, want string }{
	// unsupported Python, and try statements
	{"try:\n    x = 1\n", "t.py:2:10: expected 'except' or 'finally' block"},
	{"try x = 1\n", "t.py:1:5: expected ':'"},
	{"x = 1\nexcept ValueError:\n    pass", "t.py:2:1: invalid syntax"},
	{"try:\n    x = 1\nfinally:\n    pass\nexcept E:\n    pass", "t.py:5:1: invalid syntax"},
	{"try:\n    x = 1\nexcept A, B:\n    pass", "t.py:3:8: multiple exception types must be parenthesized"},
	{"class A(**kw):\n    pass", "t.py:1:9: kstar does not support ** in a class statement's bases"},
	{"x = yield 1", "t.py:1:5: 'yield' outside function"},
	{"def f():\n    g = lambda: (yield 1)", "t.py:2:18: kstar does not support 'yield' in a lambda or a comprehension: use a def"},
	// match statements: CPython's compile-time errors of patterns
	{"match x:\n    case a:\n        pass\n    case 1:\n        pass", "t.py:2:10: name capture 'a' makes remaining patterns unreachable"},
	{"match x:\n    case _:\n        pass\n    case 1:\n        pass", "t.py:2:10: wildcard makes remaining patterns unreachable"},
	{"match x:\n    case a | 1:\n        pass", "t.py:2:10: name capture 'a' makes remaining patterns unreachable"},
	{"match x:\n    case [a] | [b]:\n        pass", "t.py:2:17: alternative patterns bind different names"},
	{"match x:\n    case [a] | []:\n        pass", "t.py:2:16: alternative patterns bind different names"},
	{"match x:\n    case [a, a]:\n        pass", "t.py:2:14: multiple assignments to name 'a' in pattern"},
	{"match x:\n    case {'a': 1, 'a': 2}:\n        pass", "t.py:2:10: mapping pattern checks duplicate key ('a')"},
	{"match x:\n    case P(x=1, x=2):\n        pass", "t.py:2:19: attribute name repeated in class pattern: x"},
	{"match x:\n    case [*a, *b]:\n        pass", "t.py:2:10: multiple starred names in sequence pattern"},
	{"match x:\n    case (1 | x) as x:\n        pass", "t.py:2:15: alternative patterns bind different names"},
	{"match x:\n    case {b'a': 1, b'a': 2}:\n        pass", "t.py:2:10: mapping pattern checks duplicate key (b'a')"},
	{"async def f():\n    pass", "t.py:1:1: kstar does not support 'async' functions"},
	{"def f():\n    await g()", "t.py:2:5: kstar does not support 'await'"},
	{"try:\n    pass\nexcept* E:\n    pass", "t.py:1:1: kstar does not support 'except*' (exception groups): use except"},
	{"x = [y for y in z if (y := 1)]", "t.py:1:23: assignment expression cannot rebind comprehension iteration variable 'y'"},
	{"x = [i for i in (j := z)]", "t.py:1:18: assignment expression cannot be used in a comprehension iterable expression"},
	{"x = (i for i in z for k in (j := z))", "t.py:1:29: assignment expression cannot be used in a comprehension iterable expression"},
	{"x = [i for i in [j for j in z if (k := j)]]", "t.py:1:35: assignment expression cannot be used in a comprehension iterable expression"},
	{"class A:\n    [x for x in [] if (q := 1)]", "t.py:2:24: assignment expression within a comprehension cannot be used in a class body"},
	{"def f(a, /, b):\n    pass", "t.py:1:7: kstar does not support positional-only parameters ('/'): remove the '/'"},
	{"def A(A):\n def A(A):    nonlocal A", "t.py:2:15: name 'A' is parameter and nonlocal"},
	{"def f(a):\n    global a", "t.py:2:5: name 'a' is parameter and global"},
	{"if 1:\n    nonlocal y", "t.py:2:5: nonlocal declaration not allowed at module level"},
	{"def f():\n    global x\n    def g():\n        nonlocal x", "t.py:4:9: no binding for nonlocal 'x' found"},
	{"x = *a", "t.py:1:5: can't use starred expression here"},
	{"*a = x", "t.py:1:1: starred assignment target must be in a list or tuple"},
	{"for *a in x:\n    pass", "t.py:1:5: starred assignment target must be in a list or tuple"},
	{"a, *b, *c = x", "t.py:1:1: multiple starred expressions in assignment"},
	{"x = 1j", "t.py:1:5: kstar does not support complex numbers"},
	{"a.b: int", "t.py:1:1: kstar does not support an annotation without a value"},
	{"x = a[1:2, 3]", "t.py:1:7: kstar does not support multi-dimensional slices"},
	{"x = a @ b", "t.py:1:7: kstar does not support the '@' operator"},
	{"print 'hello'", "t.py:1:1: Missing parentheses in call to 'print'. Did you mean print(...)?"},
	{"for m in c:\n    print m", "t.py:2:5: Missing parentheses in call to 'print'. Did you mean print(...)?"},
	{"d = {1: 2, 3}", "t.py:1:12: ':' expected after dictionary key"},
	{"s = {1 +, 2}", "t.py:1:9: invalid syntax"},
	// imports
	{"from kafka import *", "t.py:1:19: kstar does not support 'from kafka import *': import the names you use, e.g. from kafka import NAME"},
	{"from . import x", "t.py:1:6: kstar does not support relative imports"},
	{"from kafka import (\n    KafkaProducer,\n    1Bad)", "t.py:3:5: invalid decimal literal"},
	{"from kafka import (\n    KafkaProducer\n    KafkaConsumer)", "t.py:3:5: invalid syntax"},
	{"from kafka import A,", "t.py:1:21: trailing comma not allowed without surrounding parentheses"},
	{"import", "t.py:1:7: invalid syntax"},
	{"import json as", "t.py:1:15: invalid syntax"},
	{"x = import json", "t.py:1:5: invalid syntax"},
	{"from kafka imprt X", "t.py:1:12: invalid syntax"},
	// strings
	{"s = 'abc", "t.py:1:5: unterminated string literal (detected at line 1)"},
	{"s = '''abc\n", "t.py:1:5: unterminated triple-quoted string literal (detected at line 1)"},
	{"s = b'a' 'b'", "t.py:1:13: cannot mix bytes and nonbytes literals"},
	{`s = "\x4"`, `t.py:1:5: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \xXX escape`},
	{`s = "\N{DASH}"`, "t.py:1:5: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-7: unknown Unicode character name"},
	// f-strings
	{"s = f'{}'", "t.py:1:10: f-string: empty expression not allowed"},
	{"s = f'{x'", "t.py:1:10: f-string: expecting '}'"},
	{"s = f'x}'", "t.py:1:10: f-string: single '}' is not allowed"},
	{"s = f'{x!z}'", "t.py:1:13: f-string: invalid conversion character: expected 's', 'r', or 'a'"},
	{"s = f'{x!}'", "t.py:1:12: f-string: invalid conversion character: expected 's', 'r', or 'a'"},
	{"s = f'{x#}'", "t.py:1:12: f-string expression part cannot include '#'"},
	{"s = f'{x)}'", "t.py:1:12: f-string: unmatched ')'"},
	{"s = f'{a:{b:{c}}}'", "t.py:1:19: f-string: expressions nested too deeply"},
	{"s = f'{\"a}'", "t.py:1:12: f-string: unterminated string"},
	{"s = f'{x!r x}'", "t.py:1:15: f-string: expecting '}'"},
	// errors of the parser are CPython's (package pysyntax checks its
	// messages and positions against CPython's)
	{"s = f'{a + }' + )", "t.py:1:17: unmatched ')'"},
	{"s = f'{a}' + )", "t.py:1:14: unmatched ')'"},
	{"s = f'''\n\n  {a +* 2}'''", "t.py:3:7: f-string: invalid syntax"},
	{"s = f'{a}' f'{b}'; x = 1 +\n", "t.py:1:27: invalid syntax"},
	{"import json; x = )", "t.py:1:18: unmatched ')'"},
	{"from kafka import (\n    A,\n    B); x = )", "t.py:3:13: unmatched ')'"},
	{"x = u'é' is not None +", "t.py:1:23: invalid syntax"},
}

func TestFrontEndSyntaxErrors(t *testing.T) {
	for _, tc := range syntaxErrorCases {
		_, err := Parse("t.py", []byte(tc.src))
		if err == nil {
			t.Errorf("%q: no error, want %s", tc.src, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%q:\n got  %v\n want %s", tc.src, err, tc.want)
		}
	}
}

func lines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n")
}
