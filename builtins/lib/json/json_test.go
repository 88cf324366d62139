package json

import (
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
	"github.com/kstar-dev/kstar/internal/testenv"
)

// jsonModules is the module the tests' expressions use.
func jsonModules() map[string]starlark.Value {
	return map[string]starlark.Value{"json": New(py.NewEnv())}
}

// The expected values below are what CPython 3.11 prints for the same
// expressions.
func TestJSONDumps(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), jsonModules(), []pytest.Case{
		{`json.dumps({'a': [1, None]})`, `'{"a": [1, null]}'`},
		{`json.dumps([[]] * 3)`, `'[[], [], []]'`},
		{`json.dumps(1.0)`, `'1.0'`},
		{`json.dumps(1e16)`, `'1e+16'`},
		{`json.dumps(1e-05)`, `'1e-05'`},
		{`json.dumps(0.1 + 0.2)`, `'0.30000000000000004'`},
		{`json.dumps(float('nan'))`, `'NaN'`},
		{`json.dumps([float('inf'), -float('inf')])`, `'[Infinity, -Infinity]'`},
		{`json.dumps('é\U0001F600\x7f\x00\x1f"\\\n\r\t\b\f/')`, `'"\\u00e9\\ud83d\\ude00\\u007f\\u0000\\u001f\\"\\\\\\n\\r\\t\\b\\f/"'`},
		{`json.dumps('é\U0001F600\x7f\x00', ensure_ascii=False)`, `'"é😀\x7f\\u0000"'`},
		{`json.dumps({'é': 1})`, `'{"\\u00e9": 1}'`},
		{`json.dumps(True)`, `'true'`},
		{`json.dumps((1, 2))`, `'[1, 2]'`},
		{`json.dumps({1: 2, None: 4, 1.5: 5, False: 6})`, `'{"1": 2, "null": 4, "1.5": 5, "false": 6}'`},
		{`json.dumps(1000000000000000000000000000000)`, `'1000000000000000000000000000000'`},
		{`json.dumps({})`, `'{}'`},
		{`json.dumps({'a': [1, {'b': 2}, []], 'c': {}}, indent=2)`, `'{\n  "a": [\n    1,\n    {\n      "b": 2\n    },\n    []\n  ],\n  "c": {}\n}'`},
		{`json.dumps({'a': [1, {'b': 2}, []], 'c': {}}, indent=0)`, `'{\n"a": [\n1,\n{\n"b": 2\n},\n[]\n],\n"c": {}\n}'`},
		{`json.dumps({'a': [1, 2]}, indent='\t')`, `'{\n\t"a": [\n\t\t1,\n\t\t2\n\t]\n}'`},
		{`json.dumps({'a': [1, 2]}, indent=-1)`, `'{\n"a": [\n1,\n2\n]\n}'`},
		{`json.dumps([1], indent=True)`, `'[\n 1\n]'`},
		{`json.dumps({'a': [1, 2]}, separators=(',', ':'))`, `'{"a":[1,2]}'`},
		{`json.dumps({'a': 1}, separators=[';', '='])`, `'{"a"=1}'`},
		{`json.dumps({'b': 1, 'a': 2}, sort_keys=True)`, `'{"a": 2, "b": 1}'`},
		{`json.dumps({'b': 1, 'a': 2}, sort_keys=1)`, `'{"a": 2, "b": 1}'`},
		{`json.dumps({(1, 2): 1, 'a': 2}, skipkeys=True)`, `'{"a": 2}'`},
		{`json.dumps(set([1, 2]), default=list)`, `'[1, 2]'`},
		// Errors.
		{`json.dumps(b'x')`, `TypeError: Object of type bytes is not JSON serializable`},
		{`json.dumps(set([1, 2]))`, `TypeError: Object of type set is not JSON serializable`},
		{`json.dumps({'b': 1, 2: 2}, sort_keys=True)`, `TypeError: '<' not supported between instances of 'int' and 'str'`},
		{`json.dumps({(1, 2): 1})`, `TypeError: keys must be str, int, float, bool or None, not tuple`},
		{`json.dumps(float('nan'), allow_nan=False)`, `ValueError: Out of range float values are not JSON compliant`},
		{`json.dumps(1, indent=1.5)`, `TypeError: can't multiply sequence by non-int of type 'float'`},
		{`json.dumps(1, separators=(',',))`, `ValueError: not enough values to unpack (expected 2, got 1)`},
		{`json.dumps([1], True)`, `TypeError: dumps() takes 1 positional argument but 2 were given`},
		{`json.dumps(set([1, 2]), default=lambda x: x)`, `ValueError: Circular reference detected`},
		{`json.dumps(int('1' + '0' * 5000))`, `ValueError: Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`},
	})
}

func TestJSONDumpsCycles(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), jsonModules(), []pytest.Case{
		{`[json.dumps(l) for l in [[]] for _ in [l.append(l)]][0]`, `ValueError: Circular reference detected`},
		{`[json.dumps(d) for d in [{}] for _ in [d.update(a=d)]][0]`, `ValueError: Circular reference detected`},
		{`[json.dumps([l, l]) for l in [[1]]][0]`, `'[[1], [1]]'`},
	})
}

func TestJSONLoads(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), jsonModules(), []pytest.Case{
		{`json.loads('{"a": [1, null, true, false, 1.5, "x"]}')`, `{'a': [1, None, True, False, 1.5, 'x']}`},
		{`json.loads('123456789012345678901234567890')`, `123456789012345678901234567890`},
		{`json.loads('{"b": 1, "a": 2, "b": 3}')`, `{'b': 3, 'a': 2}`},
		{`json.loads(b'{"a": "\xc3\xa9"}')`, `{'a': 'é'}`},
		{`json.loads(b'\xef\xbb\xbf[1]')`, `[1]`},
		{`json.loads(b'1\x00')`, `1`},
		{`json.loads(b'\xff\xfe1\x00')`, `1`},
		{`json.loads(b'\x00\x00\x00[\x00\x00\x00]')`, `[]`},
		{`json.loads('"\\u00e9\\ud83d\\ude00"')`, `'é😀'`},
		{`json.loads('  [ ] ')`, `[]`},
		{`json.loads('-0')`, `0`},
		{`json.loads('-0.0')`, `-0.0`},
		{`json.loads('1E5')`, `100000.0`},
		{`json.loads('1e400')`, `inf`},
		{`json.loads('[NaN, -Infinity]')`, `[nan, -inf]`},
		{`json.loads('"a\tb"', strict=False)`, `'a\tb'`},
		{`json.loads('[1, 2]', object_hook=lambda d: 1)`, `[1, 2]`},
		{`json.loads('{"a": {}}', object_hook=lambda d: len(d))`, `1`},
		{`json.loads('{"a": 1}', object_pairs_hook=lambda p: p)`, `[('a', 1)]`},
		{`json.loads('{"a": 1.5}', parse_float=lambda s: s)`, `{'a': '1.5'}`},
		{`json.loads('[7]', parse_int=lambda s: s + '!')`, `['7!']`},
		{`json.loads('NaN', parse_constant=lambda s: s)`, `'NaN'`},
		// Errors, with CPython's positions.
		{`json.loads('')`, `JSONDecodeError: Expecting value: line 1 column 1 (char 0)`},
		{`json.loads(' ')`, `JSONDecodeError: Expecting value: line 1 column 2 (char 1)`},
		{`json.loads('{')`, `JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)`},
		{`json.loads('[')`, `JSONDecodeError: Expecting value: line 1 column 2 (char 1)`},
		{`json.loads('"abc')`, `JSONDecodeError: Unterminated string starting at: line 1 column 1 (char 0)`},
		{`json.loads('{"a"')`, `JSONDecodeError: Expecting ':' delimiter: line 1 column 5 (char 4)`},
		{`json.loads('{"a":1')`, `JSONDecodeError: Expecting ',' delimiter: line 1 column 7 (char 6)`},
		{`json.loads('{"a": 1 "b": 2}')`, `JSONDecodeError: Expecting ',' delimiter: line 1 column 9 (char 8)`},
		{`json.loads('[1,]')`, `JSONDecodeError: Expecting value: line 1 column 4 (char 3)`},
		{`json.loads('{"a":1,}')`, `JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 8 (char 7)`},
		{`json.loads('[1 2]')`, `JSONDecodeError: Expecting ',' delimiter: line 1 column 4 (char 3)`},
		{`json.loads('01')`, `JSONDecodeError: Extra data: line 1 column 2 (char 1)`},
		{`json.loads('1.')`, `JSONDecodeError: Extra data: line 1 column 2 (char 1)`},
		{`json.loads('1e')`, `JSONDecodeError: Extra data: line 1 column 2 (char 1)`},
		{`json.loads('-')`, `JSONDecodeError: Expecting value: line 1 column 1 (char 0)`},
		{`json.loads('nul')`, `JSONDecodeError: Expecting value: line 1 column 1 (char 0)`},
		{`json.loads('Infinityx')`, `JSONDecodeError: Extra data: line 1 column 9 (char 8)`},
		{`json.loads('"\\x"')`, `JSONDecodeError: Invalid \escape: line 1 column 2 (char 1)`},
		{`json.loads('"\\u12"')`, `JSONDecodeError: Invalid \uXXXX escape: line 1 column 3 (char 2)`},
		{`json.loads('"a\nb"')`, `JSONDecodeError: Invalid control character at: line 1 column 3 (char 2)`},
		{`json.loads('\n\n  x')`, `JSONDecodeError: Expecting value: line 3 column 3 (char 4)`},
		{`json.loads('[1,\n 2,\n x]')`, `JSONDecodeError: Expecting value: line 3 column 2 (char 9)`},
		{`json.loads('{"é": 1, x}')`, `JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 10 (char 9)`},
		{`json.loads('\ufeff1')`, `JSONDecodeError: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)`},
		{`json.loads(b'\xff')`, `UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte`},
		{`json.loads(b'\xe2\x82')`, `UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: unexpected end of data`},
		{`json.loads(b'\xe2\x82A')`, `UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte`},
		{`json.loads(b'\xe0\x80')`, `UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte`},
		{`json.loads(b'\xff\xfe1\x00x')`, `UnicodeDecodeError: 'utf-16-le' codec can't decode byte 0x78 in position 4: truncated data`},
		{`json.loads(b'\x00\x00\x00[\x00')`, `UnicodeDecodeError: 'utf-32-be' codec can't decode byte 0x00 in position 4: truncated data`},
		{`json.loads(b'1\x00\x00\x00\x00\x00\x11\x00')`, `UnicodeDecodeError: 'utf-32-le' codec can't decode bytes in position 4-7: code point not in range(0x110000)`},
		{`json.loads(b'\xff\xfe\x00\xd8')`, `JSONDecodeError: Expecting value: line 1 column 1 (char 0)`},
		{`json.dumps(json.loads('"\\ud800\\u0041"'))`, `'"\\ud800A"'`},
		{`json.dumps(json.loads(b'"\xed\xb0\x80"'))`, `'"\\udc00"'`},
		{`json.loads(1)`, `TypeError: the JSON object must be str, bytes or bytearray, not int`},
		{`json.loads('1', 2)`, `TypeError: loads() takes 1 positional argument but 2 were given`},
		{`json.loads('[' * 100000)`, `RecursionError: maximum recursion depth exceeded while decoding a JSON array from a unicode string`},
		{`json.loads('1' * 5000)`, `ValueError: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit`},
	})
}

func TestJSONDecodeErrorClass(t *testing.T) {
	if !JSONDecodeError.IsSubclass(py.ValueError) {
		t.Fatal("JSONDecodeError must be a ValueError")
	}
	pytest.RunCases(t, py.NewEnv(), jsonModules(), []pytest.Case{
		{`json.JSONDecodeError`, `<class 'json.decoder.JSONDecodeError'>`},
	})
}

func TestStarlarkJSONFunctions(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), jsonModules(), []pytest.Case{
		{`json.encode({'a': [1, 2.5, None]})`, `'{"a":[1,2.5,null]}'`},
		{`json.decode('{"a": [1, 2]}')`, `{'a': [1, 2]}`},
		{`json.indent('{"a":1}')`, `'{\n\t"a": 1\n}'`},
		{`json.decode('{')`, `ValueError: json.decode: at offset 1, unexpected end of file`},
		{`json.encode(len)`, `TypeError: json.encode: cannot encode builtin_function_or_method as JSON`},
	})
}

// TestJSONMatchesCPython compares dumps and loads with python3's json
// module on a corpus of documents and values, when python3 is available.
func TestJSONMatchesCPython(t *testing.T) {
	testenv.Python(t, "json")
	docs := []string{
		`{"a": [1, 2.5e-7, -0.0, 1e22, 123456789.125], "b": {"c": null}}`,
		`[1e308, 5e-324, 0.1, 100.0, 1.7976931348623157e308, 12345678901234567890]`,
		`"\u00e9\ud83d\ude00\u0001\t\"\\/"`,
		`{"k": "v", "k2": [true, false, [], {}]}`,
		`[1, 2,, 3]`, `{"a" : 1 , }`, `[1] [2]`, `{"a": "b\u12x"}`, `"\ud800\u0041"`,
		`[-]`, `[1.]`, `[.5]`, `[1e+]`, `{"\u00e9": "x", "y": }`, "[\"a\x01\"]", `tru`, `[Infinity, NaN`,
		"\n  {\"x\":\n  [1,\n  2 3]}", `{"a":1}}`, `12 `, `[1,2]  x`,
	}
	script := `
import json, sys
for doc in sys.stdin.read().split('\x1e'):
    try:
        v = json.loads(doc)
        print(json.dumps([json.dumps(v), json.dumps(v, indent=1, sort_keys=True, ensure_ascii=False)]))
    except Exception as e:
        print(type(e).__name__ + ': ' + str(e))
`
	cmd := exec.Command("python3", "-c", script)
	cmd.Stdin = strings.NewReader(strings.Join(docs, "\x1e"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(want) != len(docs) {
		t.Fatalf("python3 printed %d lines for %d documents:\n%s", len(want), len(docs), out)
	}
	env := py.NewEnv()
	for i, doc := range docs {
		thread := &starlark.Thread{}
		env.Attach(thread)
		got := func() string {
			v, err := jsonLoads(thread, starlark.NewBuiltin("loads", nil), starlark.Tuple{starlark.String(doc)}, nil)
			if err != nil {
				return pytest.Outcome(nil, err)
			}
			compact, err := jsonDumps(thread, starlark.NewBuiltin("dumps", nil), starlark.Tuple{v}, nil)
			if err != nil {
				return pytest.Outcome(nil, err)
			}
			pretty, err := jsonDumps(thread, starlark.NewBuiltin("dumps", nil), starlark.Tuple{v}, []starlark.Tuple{
				{starlark.String("indent"), starlark.MakeInt(1)},
				{starlark.String("sort_keys"), starlark.True},
				{starlark.String("ensure_ascii"), starlark.False},
			})
			if err != nil {
				return pytest.Outcome(nil, err)
			}
			line, err := jsonDumps(thread, starlark.NewBuiltin("dumps", nil), starlark.Tuple{starlark.Tuple{compact, pretty}}, nil)
			if err != nil {
				return pytest.Outcome(nil, err)
			}
			return string(line.(starlark.String))
		}()
		if got != want[i] {
			t.Errorf("document %q\n got: %s\nwant: %s", doc, got, want[i])
		}
	}
}

// FuzzJSONLoads checks that loads never panics and that whatever it
// accepts, dumps can write and loads reads back the same.
func FuzzJSONLoads(f *testing.F) {
	for _, seed := range []string{
		`{"a": [1, null]}`, `[1e400, -0, 0.5, "\ud83d\ude00"]`, `"\ud800"`, `{"a":`, `[[[[`,
		"\xef\xbb\xbf[]", "\x00\x00\x00[", "[1\x00", `12345678901234567890123`, `{"a": NaN}`,
		"\"\xfa\"", // invalid UTF-8 in a str
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		thread := &starlark.Thread{}
		py.NewEnv().Attach(thread)
		loads := starlark.NewBuiltin("loads", nil)
		for _, arg := range []starlark.Value{py.Bytes(data), starlark.String(data)} {
			v, err := py.Guard(jsonLoads)(thread, loads, starlark.Tuple{arg}, nil)
			if err != nil {
				if e := py.AsException(err); e == nil || e.Class == py.RuntimeError {
					t.Fatalf("loads(%q): unexpected error %v", data, err)
				}
				continue
			}
			s, err := jsonDumps(thread, starlark.NewBuiltin("dumps", nil), starlark.Tuple{v}, nil)
			if err != nil {
				if e := py.AsException(err); e == nil || e.Class != py.ValueError {
					t.Fatalf("dumps(loads(%q)): %v", data, err)
				}
				continue // integers beyond CPython's 4300 digits
			}
			again, err := jsonLoads(thread, loads, starlark.Tuple{s}, nil)
			if err != nil {
				t.Fatalf("loads(dumps(loads(%q))) = %v", data, err)
			}
			// A str holding invalid UTF-8 (impossible in Python) comes back with U+FFFD.
			if py.Repr(again) != py.Repr(v) && (arg.Type() == "bytes" || utf8.Valid(data)) {
				t.Fatalf("round trip of %q: %s != %s", data, py.Repr(again), py.Repr(v))
			}
		}
	})
}
