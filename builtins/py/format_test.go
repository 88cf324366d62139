package py

import (
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/internal/starbytes"
)

// TestFormatSpecMatchesCPython formats a grid of values with a grid of
// format specs (format(v, spec), as f-strings and str.format use it) in
// kstar and in CPython, errors included, and compares.
func TestFormatSpecMatchesCPython(t *testing.T) {
	values := []string{
		"0", "1234", "-1234", "255", "65", "1234567890123456789012", "True", "False",
		"0.0", "-0.0", "1234.5678", "-0.00012345", "1e16", "1e-7", "123456789.0", "0.5", "2.675",
		"float('inf')", "float('-inf')", "float('nan')", "'abc'", "'é'", "''", "None", "[1]", "(1, 2)",
	}
	specs := []string{
		"", "d", "x", "X", "#x", "#X", "o", "#o", "b", "#b", "c", "n", ",", "_", ",d", "_x", "#_b",
		"+", "-", " ", "+d", " d", "010", "010,", "09,", "08,", "07,", "<10", ">10", "^10", "=10",
		"*^11", "0<8", "+010,", "#010_x", "f", "F", ".2f", ".0f", "#.0f", "e", "E", ".3e", "#.0e", "g",
		"G", ".3g", "#.3g", ".0g", "#g", ".3", ".17", "%", ".1%", "z.1f", "z", "s", ".2s", ">5s",
		"=5", "#", ",,", ",_", "_,", "xx", ".", "10.3f", "+,.2f", "_.3f", " 012.4e", "-^15,.3f",
		"z.0f", ".1", ".5", "ü^5", "\\x00", "5c", "+c", ".2d", ",n", ",x", ",c", ",s",
	}
	var cases []pyCase
	for _, v := range values {
		for _, s := range specs {
			cases = append(cases, same("format("+v+", '"+s+"')"))
		}
	}
	for _, e := range []string{
		"format(1.0, '#')", "format(1e16, '#')", "format(100.0, '.3')", "format(1e300, 'f')",
		"format(0.1, '.30f')", "format(1/3, '.3')", "format(123.456, '.1')", "format(1e-5, '.3')",
		"format(12345.0, ',')", "format(1234567.0, '_')",
		"format(123456789012345678901234567890, 'f')", "format(-1, 'c')", "format(1114112, 'c')",
		"format('abc', ' ')", "format('abc', '+')", "format('abc', 'z')", "format('abc', 'd')",
		"format(5, 'z')", "format(5, 's')", "format(1.5, 'd')", "format([1], 's')", "format(None, '')",
		"format(1, 1)", "format(5, '99999999999999999999')", "format(True, '^7')", "format(False, 'x')",
	} {
		cases = append(cases, same(e))
	}
	comparePython(t, cases)
}

// TestFStringHelpers runs the front end's f-string helpers as a script
// calls them.
func TestFStringHelpers(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`__fstring__("a", __format__(1, "", "03d"), "b")`, `'a001b'`},
		{`__fstring__(__format__("x", "r", ">5"), "|")`, `"  'x'|"`},
		{`__fstring__(__format__("é", "a", ""))`, `"'\\xe9'"`},
		{`__fstring__(__format__(b"k", "s", ""))`, `"b'k'"`},
		{`__fstring__(__format__(3.14159, "", __fstring__(".", __format__(2, "", ""), "f")))`, `'3.14'`},
		{`__fstring__()`, `''`},
		{`__format__(1, "x", "")`, `ValueError: Unknown conversion specifier x`},
		{`__format__(None, "", ">5")`, `TypeError: unsupported format string passed to NoneType.__format__`},
		{`__fstring__("a", 1)`, `TypeError: __fstring__() argument 2 must be str, not int`},
	} {
		thread := &starlark.Thread{}
		v, err := starbytes.Eval(coreFileOptions, thread, "<expr>", c.expr, Globals())
		if got := pyOutcome(v, err); got != c.want {
			t.Errorf("%s = %s, want %s", c.expr, got, c.want)
		}
	}
}

// TestGroupDigits checks zero padding through group separators.
func TestGroupDigits(t *testing.T) {
	for _, c := range []struct {
		digits   string
		size     int
		minWidth int
		want     string
	}{
		{"1234", 3, 0, "1,234"},
		{"1234", 3, 9, "0,001,234"},
		{"1234", 3, 8, "0,001,234"},
		{"1234", 3, 7, "001,234"},
		{"1", 0, 5, "00001"},
		{"123456789", 3, 0, "123,456,789"},
	} {
		if got := groupDigits(c.digits, c.size, ",", c.minWidth); got != c.want {
			t.Errorf("groupDigits(%s, %d, %d) = %s, want %s", c.digits, c.size, c.minWidth, got, c.want)
		}
	}
	if got := strings.Count(groupDigits("1", 4, "_", 12), "_"); got != 2 {
		t.Errorf("groupDigits by 4: %d separators", got)
	}
}
