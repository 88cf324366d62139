package pysyntax

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"testing"
)

// syntaxErrors are sources CPython 3.11 refuses, with the class, message,
// line and (1-based, in characters) offset of CPython's SyntaxError.
// TestSyntaxErrorsTableIsCPythons checks this table against python3.
var syntaxErrors = []struct {
	src, kind, msg string
	line, col      int
}{
	{"x = (1, 2\n", "SyntaxError", `'(' was never closed`, 1, 5},
	{"x = [1, 2\ny = 3\n", "SyntaxError", `'[' was never closed`, 1, 5},
	{"x = 1)\n", "SyntaxError", `unmatched ')'`, 1, 6},
	{"x = (1, 2]\n", "SyntaxError", `closing parenthesis ']' does not match opening parenthesis '('`, 1, 10},
	{"x = (1,\n 2]\n", "SyntaxError", `closing parenthesis ']' does not match opening parenthesis '(' on line 1`, 2, 3},
	{"foo(a b)\n", "SyntaxError", `invalid syntax. Perhaps you forgot a comma?`, 1, 5},
	{"[1 2]\n", "SyntaxError", `invalid syntax. Perhaps you forgot a comma?`, 1, 2},
	{"if x\n    pass\n", "SyntaxError", `expected ':'`, 1, 5},
	{"if x:\npass\n", "IndentationError", `expected an indented block after 'if' statement on line 1`, 2, 1},
	{"def f():\n    x = 1\n      y = 2\n", "IndentationError", `unexpected indent`, 3, 6},
	{"if x:\n    a\n  b\n", "IndentationError", `unindent does not match any outer indentation level`, 3, 4},
	{"  x = 1\n", "IndentationError", `unexpected indent`, 1, 2},
	{"x = 'abc\n", "SyntaxError", `unterminated string literal (detected at line 1)`, 1, 5},
	{"x = '''abc\n\n", "SyntaxError", `unterminated triple-quoted string literal (detected at line 2)`, 1, 5},
	{"x = 1 +\n", "SyntaxError", `invalid syntax`, 1, 8},
	{"x = 09\n", "SyntaxError", `leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers`, 1, 5},
	{"x = 1abc\n", "SyntaxError", `invalid decimal literal`, 1, 5},
	{"x = 0x\n", "SyntaxError", `invalid hexadecimal literal`, 1, 6},
	{"x = 1__0\n", "SyntaxError", `invalid decimal literal`, 1, 6},
	{"f() = 1\n", "SyntaxError", `cannot assign to function call here. Maybe you meant '==' instead of '='?`, 1, 1},
	{"1 = x\n", "SyntaxError", `cannot assign to literal here. Maybe you meant '==' instead of '='?`, 1, 1},
	{"f() += 1\n", "SyntaxError", `'function call' is an illegal expression for augmented assignment`, 1, 1},
	{"del f()\n", "SyntaxError", `cannot delete function call`, 1, 5},
	{"for 1 in x: pass\n", "SyntaxError", `cannot assign to literal`, 1, 5},
	{"x = $\n", "SyntaxError", `invalid syntax`, 1, 5},
	{"x = a \u20ac b\n", "SyntaxError", `invalid character '€' (U+20AC)`, 1, 7},
	{"print 'hello'\n", "SyntaxError", `Missing parentheses in call to 'print'. Did you mean print(...)?`, 1, 1},
	{"def f(a=1, b): pass\n", "SyntaxError", `non-default argument follows default argument`, 1, 12},
	{"f(a=1, b)\n", "SyntaxError", `positional argument follows keyword argument`, 1, 9},
	{"f(**k, *a)\n", "SyntaxError", `iterable argument unpacking follows keyword argument unpacking`, 1, 8},
	{"f(x for x in y, 1)\n", "SyntaxError", `Generator expression must be parenthesized`, 1, 3},
	{"x := 1\n", "SyntaxError", `invalid syntax`, 1, 3},
	{"a.b := 1\n", "SyntaxError", `cannot use assignment expressions with attribute`, 1, 1},
	{"(a.b := 1)\n", "SyntaxError", `cannot use assignment expressions with attribute`, 1, 2},
	{"try:\n    pass\n", "SyntaxError", `expected 'except' or 'finally' block`, 2, 9},
	{"try:\n    pass\nx = 1\n", "SyntaxError", `expected 'except' or 'finally' block`, 3, 1},
	{"lambda x=1, y: x\n", "SyntaxError", `non-default argument follows default argument`, 1, 13},
	{"def f(*): pass\n", "SyntaxError", `named arguments must follow bare *`, 1, 7},
	{"class C(:\n    pass\n", "SyntaxError", `invalid syntax`, 1, 9},
	{"x = f'{}'\n", "SyntaxError", `f-string: empty expression not allowed`, 1, 10},
	{"x = f'{a!x}'\n", "SyntaxError", `f-string: invalid conversion character: expected 's', 'r', or 'a'`, 1, 13},
	{"x = f'}'\n", "SyntaxError", `f-string: single '}' is not allowed`, 1, 9},
	{"x = f'{a'\n", "SyntaxError", `f-string: expecting '}'`, 1, 10},
	{"x = b'\u00e9'\n", "SyntaxError", `bytes can only contain ASCII literal characters`, 1, 5},
	{"x = 'a' b'b'\n", "SyntaxError", `cannot mix bytes and nonbytes literals`, 1, 13},
	{"if True:\n\tx = 1\n        y = 2\n", "TabError", `inconsistent use of tabs and spaces in indentation`, 3, 1},
	{"x = 1 if 2\n", "SyntaxError", `expected 'else' after 'if' expression`, 1, 5},
	{"with open(f) as 1: pass\n", "SyntaxError", `cannot assign to literal`, 1, 17},
	{"import a.b as c.d\n", "SyntaxError", `invalid syntax`, 1, 16},
	{"from x import a,\n", "SyntaxError", `trailing comma not allowed without surrounding parentheses`, 1, 17},
	{"x = (yield) = 1\n", "SyntaxError", `cannot assign to yield expression`, 1, 6},
	{"a, b: int\n", "SyntaxError", `only single target (not tuple) can be annotated`, 1, 1},
	{"x = \\ 1\n", "SyntaxError", `unexpected character after line continuation character`, 1, 6},
	{"x = {1: 2, 3}\n", "SyntaxError", `':' expected after dictionary key`, 1, 12},
	{"x = [i for i in range(3) if]\n", "SyntaxError", `invalid syntax`, 1, 28},
	{"else:\n    pass\n", "SyntaxError", `invalid syntax`, 1, 1},
	{"match x:\ncase 1: pass\n", "IndentationError", `expected an indented block after 'match' statement on line 1`, 2, 1},
	{"x = 'a' 'b\n", "SyntaxError", `unterminated string literal (detected at line 1)`, 1, 9},
	{"x = (\n", "SyntaxError", `'(' was never closed`, 1, 5},
	{"]\n", "SyntaxError", `unmatched ']'`, 1, 1},
	{"def f():\nreturn 1\n", "IndentationError", `expected an indented block after function definition on line 1`, 2, 1},
	{"while x\n    pass\n", "SyntaxError", `expected ':'`, 1, 8},
	{"a = 1 = 2\n", "SyntaxError", `cannot assign to literal`, 1, 5},
	{"x = [1, 2\n", "SyntaxError", `'[' was never closed`, 1, 5},
	{"print(1\nprint(2)\n", "SyntaxError", `'(' was never closed`, 1, 6},
	{"d = {'a': 1 'b': 2}\n", "SyntaxError", `invalid syntax. Perhaps you forgot a comma?`, 1, 11},
	{"x = not\n", "SyntaxError", `invalid syntax`, 1, 8},
	{"@\ndef f(): pass\n", "SyntaxError", `invalid syntax`, 1, 2},
	{"try x:\n pass\n", "SyntaxError", `expected ':'`, 1, 5},
	{"if a: pass\nelse x: pass\n", "SyntaxError", `expected ':'`, 2, 6},
	{"try:\n pass\nfinally x: pass\n", "SyntaxError", `expected ':'`, 3, 9},
	{"def f[T](): pass\n", "SyntaxError", `expected '('`, 1, 6},
	{"def f:\n pass\n", "SyntaxError", `expected '('`, 1, 6},
}

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range syntaxErrors {
		_, err := Parse("<unknown>", []byte(tc.src))
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want %s: %s", tc.src, err, tc.kind, tc.msg)
			continue
		}
		if e.Kind != tc.kind || e.Msg != tc.msg || e.Line != tc.line || e.Col != tc.col {
			t.Errorf("Parse(%q):\n got %s: %s (line %d, offset %d)\nwant %s: %s (line %d, offset %d)",
				tc.src, e.Kind, e.Msg, e.Line, e.Col, tc.kind, tc.msg, tc.line, tc.col)
		}
	}
}

// TestSyntaxErrorsTableIsCPythons keeps the table above honest: each row
// is what CPython says.
func TestSyntaxErrorsTableIsCPythons(t *testing.T) {
	py := python3(t)
	var srcs []string
	for _, tc := range syntaxErrors {
		srcs = append(srcs, tc.src)
	}
	in, _ := json.Marshal(srcs)
	script := `
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    try:
        ast.parse(src)
        out.append(None)
    except SyntaxError as e:
        out.append([type(e).__name__, e.msg, e.lineno, e.offset])
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var got [][]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for i, tc := range syntaxErrors {
		want := []any{tc.kind, tc.msg, float64(tc.line), float64(tc.col)}
		g, _ := json.Marshal(got[i])
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("CPython on %q says %s, the table says %s", tc.src, g, w)
		}
	}
}
