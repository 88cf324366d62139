package runtime

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// These tests run the front end's output with simple stand-ins for the
// helpers it calls (the real ones live in builtins/py and runtime, and
// are exercised by the golden scripts in testdata/frontend). The stand-ins
// make the shape of each rewrite visible: __format__ renders a spec as
// <value|spec>, __mod__ on a str as MOD(...), __getattr__ methods as
// NAME(receiver, args...).

func fakeModules() map[string]starlark.Value {
	mod := func(name string, members ...string) *starlarkstruct.Module {
		m := &starlarkstruct.Module{Name: name, Members: starlark.StringDict{"name": starlark.String(name)}}
		for _, k := range members {
			m.Members[k] = starlark.String(name + "." + k)
		}
		return m
	}
	kafka := mod("kafka", "KafkaProducer", "KafkaConsumer")
	errs := mod("kafka.errors", "KafkaTimeoutError")
	kafka.Members["errors"] = errs
	return map[string]starlark.Value{
		"json": mod("json", "dumps", "load"), "time": mod("time"), "msgpack": mod("msgpack"),
		"kafka": kafka, "kafka.errors": errs,
		"kafka.admin": mod("kafka.admin", "KafkaAdminClient"), "kafka.structs": mod("kafka.structs", "TopicPartition"),
	}
}

func fakePredeclared() starlark.StringDict {
	modules := fakeModules()
	str := func(v starlark.Value) string {
		if s, ok := starlark.AsString(v); ok {
			return s
		}
		return v.String()
	}
	g := starlark.StringDict{
		py.ImportFunc:     py.Func(py.ImportFunc, importModule(modules)),
		py.ImportFromFunc: py.Func(py.ImportFromFunc, importFrom(modules)),
		py.BytesFunc:      py.Globals()[py.BytesFunc],
		py.FStringFunc: starlark.NewBuiltin(py.FStringFunc, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
			var b strings.Builder
			for _, a := range args {
				s, ok := starlark.AsString(a)
				if !ok {
					return nil, fmt.Errorf("__fstring__: got %s", a.Type())
				}
				b.WriteString(s)
			}
			return starlark.String(b.String()), nil
		}),
		py.FormatFunc: starlark.NewBuiltin(py.FormatFunc, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var v starlark.Value
			var conv, spec string
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 3, &v, &conv, &spec); err != nil {
				return nil, err
			}
			s := str(v)
			if conv == "r" || conv == "a" {
				s = v.String()
			}
			if spec != "" {
				s = "<" + s + "|" + spec + ">"
			}
			return starlark.String(s), nil
		}),
		py.ModFunc: starlark.NewBuiltin(py.ModFunc, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
			v, err := starlark.Binary(syntax.PERCENT, args[0], args[1])
			if err != nil {
				return nil, err
			}
			if _, ok := args[0].(starlark.String); ok {
				return starlark.String("MOD(" + str(v) + ")"), nil
			}
			return v, nil
		}),
		py.PowFunc: py.Func(py.PowFunc, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return starlark.Call(thread, globals()["pow"], args, kwargs)
		}),
		py.IterableFunc: starlark.NewBuiltin(py.IterableFunc, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
			return args[0], nil
		}),
		py.GenExpFunc: starlark.NewBuiltin(py.GenExpFunc, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			gen, err := starlark.Call(thread, globals()[py.GenExpFunc], args, kwargs)
			if err != nil {
				return nil, err
			}
			list, err := starlark.Call(thread, globals()["list"], starlark.Tuple{gen}, nil)
			if err != nil {
				return nil, err
			}
			return starlark.String("GEN" + list.String()), nil
		}),
		py.GenExpSkip:    globals()[py.GenExpSkip],
		py.SetEqFunc:     globals()[py.SetEqFunc],
		py.StarArgsFunc:  globals()[py.StarArgsFunc],
		py.KwargsArgFunc: globals()[py.KwargsArgFunc],
		py.GetAttrFunc: starlark.NewBuiltin(py.GetAttrFunc, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
			recv, name := args[0], str(args[1])
			if _, ok := recv.(starlark.String); !ok {
				return starlark.Call(thread, starlark.Universe["getattr"], starlark.Tuple{recv, args[1]}, nil)
			}
			return starlark.NewBuiltin(name, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
				parts := []string{recv.String()}
				for _, a := range args {
					parts = append(parts, a.String())
				}
				return starlark.String(name + "(" + strings.Join(parts, ", ") + ")"), nil
			}), nil
		}),
	}
	for name, fn := range loweredHelpers {
		g[name] = fn
	}
	return g
}

// runFrontEnd parses src with the front end and runs it with the
// stand-in helpers, returning what it printed.
func runFrontEnd(src string) (string, error) {
	f, err := frontend.Parse("t.py", []byte(src))
	if err != nil {
		return "", err
	}
	predeclared := fakePredeclared()
	prog, err := starlark.FileProgram(f, predeclared.Has)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	thread := &starlark.Thread{Print: func(_ *starlark.Thread, msg string) { out.WriteString(msg + "\n") }}
	_, err = prog.Init(thread, predeclared)
	return out.String(), err
}

func TestFrontEndRuns(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		// imports
		{"import", "import json\nprint(json.name)", "json"},
		{"import several", "import json, time\nprint(json.name, time.name)", "json time"},
		{"import as", "import msgpack as mp\nprint(mp.name)", "msgpack"},
		{"import package", "import kafka\nprint(kafka.KafkaProducer)", "kafka.KafkaProducer"},
		{"import submodule binds package", "import kafka.errors\nprint(kafka.errors.KafkaTimeoutError)", "kafka.errors.KafkaTimeoutError"},
		{"import submodule as", "import kafka.errors as ke\nprint(ke.name)", "kafka.errors"},
		{"from import", "from kafka import KafkaProducer, KafkaConsumer\nprint(KafkaProducer, KafkaConsumer)", "kafka.KafkaProducer kafka.KafkaConsumer"},
		{"from import parenthesised", "from kafka import (\n    KafkaProducer,  # produce\n    KafkaConsumer,\n)\nprint(KafkaConsumer)", "kafka.KafkaConsumer"},
		{"from submodule", "from kafka.errors import KafkaTimeoutError\nprint(KafkaTimeoutError)", "kafka.errors.KafkaTimeoutError"},
		{"from import as", "from kafka.admin import KafkaAdminClient as Admin\nprint(Admin)", "kafka.admin.KafkaAdminClient"},
		{"from structs", "from kafka.structs import TopicPartition\nprint(TopicPartition)", "kafka.structs.TopicPartition"},
		{"from import submodule", "from kafka import errors\nprint(errors.name)", "kafka.errors"},
		{"import in def", "def f():\n    import json\n    return json.name\nprint(f())", "json"},
		{"import in if", "if True:\n    from kafka import KafkaProducer\n    print(KafkaProducer)", "kafka.KafkaProducer"},
		{"import then statement", "import json; print(json.name)", "json"},
		{"multi-line import then statement", "from kafka import (KafkaProducer,\n    KafkaConsumer); print(KafkaConsumer)", "kafka.KafkaConsumer"},
		{"import after colon", "if True: import json\nprint(json.name)", "json"},
		{"import continued", "import json, \\\n    time\nprint(time.name)", "time"},
		{"future import", "from __future__ import print_function\nprint('ok')", "ok"},

		// is
		{"is None", "x = None\nprint(x is None, x is not None, 1 is None, 1 is not None)", "True False False True"},
		{"is not across lines", "x = 1\nprint((x is\n    not None))", "True"},
		{"not is", "x = 1\nprint(not x is None)", "True"},

		// f-strings
		{"f-string", "name = 'kafka'\nprint(f'hello {name}!')", "hello kafka!"},
		{"f-string double quotes", "n = 3\nprint(f\"{n} items\")", "3 items"},
		{"F prefix", "n = 3\nprint(F'{n}')", "3"},
		{"f-string conversions", "s = 'a'\nprint(f'{s!r} {s!s} {s!a} {s}')", `"a" a "a" a`},
		{"f-string spec", "x = 1.5\nprint(f'{x:.1f}|{x:>8}')", "<1.5|.1f>|<1.5|>8>"},
		{"f-string nested spec", "x = 'v'\nw = 6\nprint(f'{x:{w}}|{x:>{w}.2}')", "<v|6>|<v|>6.2>"},
		{"f-string conversion and spec", "x = 'v'\nprint(f'{x!r:>5}')", `<"v"|>5>`},
		{"f-string braces", "x = 1\nprint(f'{{x}} {{{x}}}')", "{x} {1}"},
		{"f-string debug", "x = 'v'\nprint(f'{x=}|{x = }|{x=!s}|{x=:>3}')", `x="v"|x = "v"|x=v|x=<v|>3>`},
		{"f-string expressions", "d = {'k': [1, 2]}\nprint(f\"{d['k'][1] + 1} {len(d)} {'yes' if d else 'no'} {[i*2 for i in d['k']]}\")", "3 1 yes [2, 4]"},
		{"f-string dict and lambda", "print(f'{ {\"a\": 1}[\"a\"] } {(lambda x: x + 1)(1)}')", "1 2"},
		{"f-string comparison operators", "a, b = 1, 2\nprint(f'{a != b} {a == b} {a <= b} {a >= b}')", "True False True False"},
		{"f-string tuple", "a = 1\nprint(f'{a, a}')", "(1, 1)"},
		{"f-string escapes", "x = 1\nprint(f'a\\tb\\n{x}\\x41\\u00e9')", "a\tb\n1Aé"},
		{"rf-string", "x = 1\nprint(rf'\\d{x}', fr'\\n{x}', Rf'{x}\\t')", `\d1 \n1 1\t`},
		{"triple-quoted f-string", "x = 1\ny = 2\nprint(f'''a\n{x}\n  {\ny\n}''')", "a\n1\n  2"},
		{"nested f-string", "x = 1\nprint(f\"{f'<{x}>'}!\")", "<1>!"},
		{"f-string without fields", "print(f'plain {{}}')", "plain {}"},
		{"empty f-string", "print(repr(f''))", `""`},
		{"f-string is and percent", "x = None\nprint(f'{x is None} {7 % 3} {\"%d\" % 4}')", "True 1 MOD(4)"},

		// string literals as Python reads them
		{"implicit concatenation", "print('a' 'b' \"c\")", "abc"},
		{"implicit concatenation across lines", "x = 1\nprint((\"a\"\n       f\"{x}\"  # comment\n       'c'))", "a1c"},
		{"implicit concatenation continued", "s = 'a' \\\n    'b'\nprint(s)", "ab"},
		{"concatenated multi-line string outside brackets", "s = 'a' '''b\nc'''\nprint(s)", "ab\nc"},
		{"python-only escapes", `print("\d" == "\\d", "\xe9", "a\qb")`, "True é a\\qb"},
		{"escape newline", "print('a\\\nb')", "ab"},
		{"u prefix", "print(u'x', U\"y\")", "x y"},
		{"uppercase prefixes", `print(R'\n', repr(B'x'), repr(bR'\n'), repr(Br'x'), repr(rb'y'))`, `\n b'x' b'\\n' b'x' b'y'`},
		{"bytes escapes", `print(repr(b"\x00\xff\u00e9"))`, `b'\x00\xff\\u00e9'`},
		{"bytes concatenation", `print(repr(b"a" b'\x41'))`, `b'aA'`},
		{"raw string keeps backslashes", `print(r"\d\"")`, `\d\"`},

		// % operator
		{"percent formatting", "print('%s-%d' % ('a', 1))", "MOD(a-1)"},
		{"percent numbers", "print(7 % 3, -7 % 3)", "1 2"},
		{"percent assign", "s = '%d'\ns %= 5\nprint(s)", "MOD(5)"},
		{"percent assign index", "l = [7]\nl[0] %= 4\nprint(l)", "[3]"},
		{"keyword arguments still unpack", "def f(**kw):\n    return kw\ng = lambda **kw: kw\nd = {'a': 1}\nprint(f(**d), g(**{'b': 2}))", `{"a": 1} {"b": 2}`},
		{"percent in lambda default", "f = lambda x='%d' % 1: x\nprint(f())", "MOD(1)"},

		// methods Starlark's str lacks
		{"encode", "print('abc'.encode('utf-8'))", `encode("abc", "utf-8")`},
		{"format method", "print('{:.2f}'.format(1.5))", `format("{:.2f}", 1.5)`},
		{"decode on non-str falls back", "d = {'decode': 1}\nprint(d.get('decode'))", "1"},
		{"other methods untouched", "print('abc'.title())", "Abc"},
		{"method value", "f = 'x'.zfill\nprint(f(3))", `zfill("x", 3)`},

		// load, a keyword of Starlark's
		{"load", "def load(load=1):\n    return load\nd = {'load': load}\nimport json\nprint(load(load=2), d['load'](), json.load, f'{load()}')", "2 1 json.load 1"},

		// __name__
		{"__name__", "if __name__ == '__main__':\n    print('main')", "main"},
		{"__name__ bound", "__name__ = 'mine'\nprint(__name__)", "mine"},

		{"CRLF line ends", "x = 1\r\ny = f'''{x}\r\n{x}'''\r\nimport json\r\nprint(y, json.name)\r\n", "1\n1 json"},

		// generator expressions, keyword arguments after *args
		{"generator expression", "def show(g):\n    return g\nprint(show(x for x in [1, 2]), (y * 2 for y in [3] if y))", "GEN[1, 2] GEN[6]"},
		{"generator expression over lines", "def show(g):\n    return g\nprint(show(\n  x for x in\n  [1, 2]\n))", "GEN[1, 2]"},
		{"not generator expressions", "print((1), (1, 2), [x for x in [1]], (lambda: 1)())", "1 (1, 2) [1] 1"},
		{"keywords after *args", "print(*[1, 2], sep='-')\nprint(*[1, 2], **{}, sep='?')", "1-2\n1?2"},

		// comments and strings are left alone
		{"keywords in strings and comments", "s = 'import x; try: is not'  # class with raise\nprint(s)", "import x; try: is not"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := runFrontEnd(tc.src)
			if err != nil {
				t.Fatalf("error: %v\nsource:\n%s", err, tc.src)
			}
			if got != tc.want+"\n" {
				t.Errorf("got  %q\nwant %q", got, tc.want+"\n")
			}
		})
	}
}

// TestFrontEndErrorPositions checks the position of resolve and runtime
// errors in rewritten code: the position Starlark reports for the failing
// operation is where it is in the original text.
func TestFrontEndErrorPositions(t *testing.T) {
	for _, tc := range []struct{ src, pos, msg string }{
		{"print(f'{nope}')", "t.py:1:10", "undefined: nope"},
		{"x = 1\ns = f'''\n  {x}\n  {nope}'''", "t.py:4:4", "undefined: nope"},
		{"d = {}\nprint(f\"{d['k']}\")", "t.py:2:11", `key "k" not in dict`},
		{"x = 1\ns = f'{x.foo}'", "t.py:2:9", "int has no .foo field or method"},
		{"s = f'{1}' + 1", "t.py:1:12", "unknown binary op: string + int"},
		{"s = f'{1}' f'{2}' 'x' + 1", "t.py:1:23", "unknown binary op: string + int"},
		{"s = f'{f\"{nope}\"}'", "t.py:1:11", "undefined: nope"},
		{"s = f'{1:{nope}}'", "t.py:1:11", "undefined: nope"},
		{"x = 1\nimport nosuch", "t.py:2:8", "ModuleNotFoundError: No module named 'nosuch'"},
		{"import json, nosuch", "t.py:1:14", "ModuleNotFoundError: No module named 'nosuch'"},
		{"from kafka import (\n    KafkaProducer,\n    Nope,\n)", "t.py:1:6", "ImportError: cannot import name 'Nope' from 'kafka'"},
		{"from kafka import (\n    KafkaProducer,\n)\nx = 1 + 'a'", "t.py:4:7", "unknown binary op: int + string"},
		{"import json; x = 1 + 'a'", "t.py:1:20", "unknown binary op: int + string"},
		{"from kafka import (\n    KafkaProducer,\n    KafkaConsumer); x = 1 + 'a'", "t.py:3:27", "unknown binary op: int + string"},
		{"x = 'a' is not None + 1", "t.py:1:21", "unknown binary op: NoneType + int"},
		{"x = ('%d' %\n     'a')", "t.py:1:11", "%d format requires integer: cannot convert string to int"},
		{"x = 1\nx %= 0", "t.py:2:3", "integer modulo by zero"},
		{"x = 1\ny = x.encode('u')", "t.py:2:7", "getattr: int has no .encode field or method"},
		{"x = u'é' + 1", "t.py:1:10", "unknown binary op: string + int"},
		{"s = 'ab\\d' + 1", "t.py:1:12", "unknown binary op: string + int"},
		{"s = ('a'\n     'b') + nope", "t.py:2:13", "undefined: nope"},
		{"x = max(y for y in [1]) + max(y for y in [2]) + nope", "t.py:1:49", "undefined: nope"},
		{"x = max(y for y in [1]); z = f'{max(v for v in [1])}' + nope", "t.py:1:57", "undefined: nope"},
		{"x = sorted(\n  1 // y for y in [0])", "t.py:2:5", "floored division by zero"},
		{"x = 2 ** 3 ** 2 + nope", "t.py:1:19", "undefined: nope"},
		{"x = 2 ** 'a'", "t.py:1:7", "TypeError: unsupported operand type(s) for ** or pow(): 'int' and 'str'"},
		{"x = 2\nx **= 'a'", "t.py:2:3", "TypeError: unsupported operand type(s) for ** or pow(): 'int' and 'str'"},
	} {
		_, err := runFrontEnd(tc.src)
		var pos syntax.Position
		var msg string
		var evalErr *starlark.EvalError
		var resolveErrs resolve.ErrorList
		switch {
		case errors.As(err, &evalErr):
			msg = evalErr.Msg
			for i := range evalErr.CallStack { // innermost frame of the script
				if pos = evalErr.CallStack.At(i).Pos; pos.Filename() != "<builtin>" {
					break
				}
			}
			if exc := py.AsException(err); exc != nil {
				msg = exc.Error()
			}
		case errors.As(err, &resolveErrs):
			pos, msg = resolveErrs[0].Pos, resolveErrs[0].Msg
		default:
			t.Errorf("%q: error %v, want one at %s", tc.src, err, tc.pos)
			continue
		}
		if pos.String() != tc.pos || !strings.HasPrefix(msg, tc.msg) {
			t.Errorf("%q:\n got  %s: %s\n want %s: %s", tc.src, pos, msg, tc.pos, tc.msg)
		}
	}
}
