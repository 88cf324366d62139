package py

import (
	"testing"

	"go.starlark.net/starlark"
)

// TestPercentFormatMatchesCPython runs a grid of %-formats over a grid
// of arguments (fmt % args, the front end's __mod__) in kstar and in
// CPython, errors included, and compares.
func TestPercentFormatMatchesCPython(t *testing.T) {
	formats := []string{
		"'%s'", "'%r'", "'%a'", "'%d'", "'%i'", "'%u'", "'%5d'", "'%-5d|'", "'%05d'", "'%+d'", "'% d'",
		"'%.3d'", "'%-05d|'", "'%x'", "'%#x'", "'%X'", "'%#X'", "'%o'", "'%#o'", "'%#.5x'", "'%e'", "'%E'",
		"'%.2e'", "'%f'", "'%F'", "'%.1f'", "'%10.3f'", "'%-10.3f|'", "'%+.2f'", "'%#.0f'", "'% 08.2f'",
		"'%g'", "'%G'", "'%.3g'", "'%#g'", "'%c'", "'%5s|'", "'%-5s|'", "'%.2s'", "'%5.1s|'", "'%%'",
		"'%5%'", "'%z'", "'%'", "'abc %'", "'%(a)s'", "'%(a'", "'%(a)'", "'%s %s'", "'%ld'", "'abc'",
		"'%s and %r'", "'é%sé'", "'%b'", "'%\u00e9'",
	}
	args := []string{
		"0", "42", "-42", "3.7", "-0.5", "1e20", "float('inf')", "float('nan')", "'abc'", "'é'",
		"True", "None", "[1, 2]", "()", "(1,)", "(1, 2)", "(1, 2, 3)", "{'a': 1}", "{'b': 1}", "b'x'", "65",
		"1114112", "123456789012345678901234567890",
	}
	var cases []pyCase
	for _, f := range formats {
		for _, a := range args {
			cases = append(cases, pct(f, a))
		}
	}
	for _, c := range [][2]string{
		{"'%*d'", "(5, 3)"}, {"'%*d'", "(-5, 3)"}, {"'%*d'", "('a', 3)"}, {"'%.*f'", "(2, 3.14159)"},
		{"'%-*.*f|'", "(8, 2, 3.14159)"}, {"'%(a)s %(b)r'", "{'a': 'x', 'b': 'y'}"}, {"'%(a)s %s'", "{'a': 1}"},
		{"'%(a)s'", "[1]"}, {"'%(a)d %%'", "{'a': 2.5}"}, {"'%s'", "(None,)"}, {"'%c%c'", "(72, 'i')"},
		{"'%d items'", "(3,)"}, {"'%s=%s'", "('k', [1, (2,)])"},
		// bytes
		{"b'%s'", "b'x'"}, {"b'%b'", "b'x'"}, {"b'%s'", "'x'"}, {"b'%d %r'", "(3, 'é')"}, {"b'%a'", "b'\\xff'"},
		{"b'%c'", "65"}, {"b'%c'", "256"}, {"b'%c'", "b'a'"}, {"b'%c'", "b'ab'"}, {"b'%x|%5.1f'", "(255, 2.25)"},
		{"b'%s %s'", "(b'a',)"}, {"b'%s'", "(b'a', b'b')"}, {"b'%z'", "1"}, {"b'%%'", "()"}, {"b'%5%'", "(1,)"},
		{"b'msg %d'", "7"}, {"b'%(k)s'", "{b'k': b'v'}"}, {"b'%.1s'", "b'xyz'"}, {"b'%4s|'", "b'\\xc3\\xa9'"}, {"'%4s|'", "'é'"}, {"b'%s'", "[1]"},
		// other types fall back to the % operator
		{"7", "3"}, {"-7", "3"}, {"7.5", "2"}, {"7", "0"}, {"7.0", "0"}, {"[1]", "2"}, {"None", "'a'"},
	} {
		cases = append(cases, pct(c[0], c[1]))
	}
	comparePython(t, cases)
}

// TestModErrors checks the messages scripts see most, without CPython.
func TestModErrors(t *testing.T) {
	for _, c := range []struct {
		x, y starlark.Value
		want string
	}{
		{starlark.String("%s %s"), starlark.Tuple{starlark.MakeInt(1)}, "TypeError: not enough arguments for format string"},
		{starlark.String("%s"), starlark.Tuple{starlark.MakeInt(1), starlark.MakeInt(2)}, "TypeError: not all arguments converted during string formatting"},
		{starlark.String("%d"), starlark.String("x"), "TypeError: %d format: a real number is required, not str"},
		{Bytes("msg %d"), starlark.MakeInt(3), "b'msg 3'"},
		{starlark.MakeInt(7), starlark.MakeInt(2), "1"},
	} {
		v, err := Mod(c.x, c.y)
		if got := pyOutcome(v, err); got != c.want {
			t.Errorf("%s %% %s = %s, want %s", Repr(c.x), Repr(c.y), got, c.want)
		}
	}
}
