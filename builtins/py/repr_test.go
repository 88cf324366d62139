package py

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/internal/starbytes"
	"github.com/kstar-dev/kstar/internal/testenv"
)

// pyCase is one expression evaluated by CPython (py) and by kstar
// (star, the same expression with the front end's rewrites spelled out:
// x % y is __mod__(x, y), s.encode is __getattr__(s, 'encode')).
type pyCase struct{ py, star string }

// same is a case whose expression is valid Python and kstar alike.
func same(expr string) pyCase { return pyCase{expr, expr} }

// pct is the case fmt % args.
func pct(format, args string) pyCase {
	return pyCase{format + " % " + args, "__mod__(" + format + ", " + args + ")"}
}

// method is the case recv.name(args) for a Python-only method.
func method(recv, name, args string) pyCase {
	return pyCase{recv + "." + name + "(" + args + ")", "__getattr__(" + recv + ", '" + name + "')(" + args + ")"}
}

// outcome renders what evaluating an expression gave: the repr of its
// value, or "ExceptionName: message" as Python's str(e) shows it.
func pyOutcome(v starlark.Value, err error) string {
	if err != nil {
		if e := AsException(err); e != nil {
			return e.Class.ClassName + ": " + e.String()
		}
		return "starlark error: " + err.Error()
	}
	return Repr(v)
}

// coreFileOptions are the Starlark options of kstar's scripts.
var coreFileOptions = &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}

// evalKstar evaluates a kstar expression with the core's globals.
func evalKstar(expr string) string {
	thread := &starlark.Thread{Name: "test"}
	v, err := starbytes.Eval(coreFileOptions, thread, "<expr>", expr, Globals())
	return pyOutcome(v, err)
}

// evalPython evaluates every case's Python expression in one python3
// process; it skips the test when python3 is missing.
func evalPython(t *testing.T, cases []pyCase) []string {
	t.Helper()
	python := testenv.Python(t)
	exprs := make([]string, len(cases))
	for i, c := range cases {
		exprs[i] = c.py
	}
	in, _ := json.Marshal(exprs)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", `
import sys, json
out = []
for e in json.load(sys.stdin):
    try:
        out.append(repr(eval(e)))
    except Exception as ex:
        out.append(type(ex).__name__ + ': ' + str(ex))
json.dump(out, sys.stdout)
`)
	cmd.Stdin = strings.NewReader(string(in))
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var results []string
	if err := json.Unmarshal(stdout, &results); err != nil {
		t.Fatalf("python3 output: %v", err)
	}
	return results
}

// comparePython checks that kstar and CPython agree on every case.
func comparePython(t *testing.T, cases []pyCase) {
	t.Helper()
	want := evalPython(t, cases)
	for i, c := range cases {
		if got := evalKstar(c.star); got != want[i] {
			t.Errorf("%s\n  kstar:   %s\n  CPython: %s", c.py, excerpt(got, want[i]), excerpt(want[i], got))
		}
	}
}

// excerpt shortens a long s around its first difference from other.
func excerpt(s, other string) string {
	a, b := []rune(s), []rune(other)
	if len(a) < 120 {
		return s
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo, hi := max(0, i-40), min(len(a), i+40)
	return fmt.Sprintf("...%s... (at character %d)", string(a[lo:hi]), i)
}

// TestReprMatchesCPython renders a table of values with kstar's repr and
// with CPython's and compares them.
func TestReprMatchesCPython(t *testing.T) {
	var cases []pyCase
	for _, e := range []string{
		// strings: quotes, escapes, control characters, unicode
		`''`, `'abc'`, `"it's"`, `'say "hi"'`, `'both \' and "'`, `'\\'`, `'a\nb\tc\rd'`,
		`'\x00\x01\x1f\x7f'`, `'\u0080\u009f\u00a0\u00ad\u00e9\u00ff'`,
		`'\u0100\u2028\u2029\u200b\u3000\ufeff\uffff\ue000'`, `'\U0001F600\U000E0001\U0010FFFF'`,
		`'ü日本語'`, `''.join([chr(i) for i in range(0, 0x800)])`,
		// bytes
		`b''`, `bytes(range(256))`, `b"'"`, `b'"'`, `b'\'"'`, `b'\\'`,
		// floats
		`0.0`, `-0.0`, `1.0`, `1.5`, `0.1+0.2`, `1e16`, `1e-5`, `1e22`, `123456789012345678.0`,
		`1e15`, `9999999999999998.0`, `0.0001`, `0.00001`, `100.0`, `1e100`, `2.5e-7`, `5e-324`,
		`1.7976931348623157e308`, `1/3`, `2/3`, `float('inf')`, `float('-inf')`, `float('nan')`,
		// ints, bools, None
		`0`, `-1`, `123456789012345678901234567890`, `-1180591620717411303424`, `True`, `False`, `None`,
		// containers
		`[]`, `()`, `{}`, `set()`, `(1,)`, `((),)`, `[[]]`, `[1, 'a', b'b', 2.0, None]`,
		`{'a': 1, 'b': [1, 2], 'c': {'d': (1,)}}`, `{(1, 2): [3, {'a': None}]}`, `set([1])`,
		`set([1, 2, 3])`, `(1, 'x', (2.5, [True]))`, `range(10)`, `range(1, 10, 2)`, `range(3, 7)`,
		// repr of repr
		`repr('a\'b')`, `str(1.0)`, `str(b'x')`, `str([1.0, 'a'])`, `ascii('é€😀')`, `ascii([b'\xff', 'ü'])`,
	} {
		cases = append(cases, same(e))
	}
	comparePython(t, cases)
}

// TestRepr checks kstar-specific reprs that CPython has no literal for.
func TestRepr(t *testing.T) {
	for _, c := range []struct {
		v    starlark.Value
		want string
	}{
		{starlark.String("a\xffb"), `'a\xffb'`}, // invalid UTF-8 shows the byte
		{StrType, "<class 'str'>"},
		{NewException(ValueError, "bad"), "ValueError('bad')"},
		{Func("len", nil), "<built-in function len>"},
	} {
		if got := Repr(c.v); got != c.want {
			t.Errorf("Repr(%v) = %s, want %s", c.v, got, c.want)
		}
	}
	l := starlark.NewList(nil)
	l.Append(l)
	if got := Repr(l); got != "[[...]]" {
		t.Errorf("recursive list: %s", got)
	}
}

// TestReprUnicodeMatchesCPython compares the repr of every BMP character
// (which ones are printable, which are escaped) with CPython's. Characters
// assigned in only one of the two Unicode versions (Go's tables and
// python3's unicodedata) are left out.
func TestReprUnicodeMatchesCPython(t *testing.T) {
	python := testenv.Python(t)
	out, err := exec.Command(python, "-c", `
import unicodedata
print(' '.join(str(i) for i in range(0x10000) if unicodedata.category(chr(i)) == 'Cn'))
`).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	unassignedInPython := map[rune]bool{}
	for _, f := range strings.Fields(string(out)) {
		var r rune
		fmt.Sscan(f, &r)
		unassignedInPython[r] = true
	}
	var cases []pyCase
	for block := rune(0); block < 0x10000; block += 0x800 {
		var lit strings.Builder
		for r := block; r < block+0x800; r++ {
			if r >= 0xd800 && r <= 0xdfff {
				continue // surrogates: not in kstar strings
			}
			assignedInGo := unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
			if assignedInGo == unassignedInPython[r] {
				continue // the Unicode versions disagree
			}
			if r == '\\' || r == '\'' || r < 0x20 {
				continue // covered by the escapes table
			}
			fmt.Fprintf(&lit, "\\u%04x", r)
		}
		cases = append(cases, same("'"+lit.String()+"'"))
	}
	comparePython(t, cases)
}
