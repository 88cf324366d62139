package py

import (
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/internal/starbytes"
)

// TestStrMethodsMatchCPython compares encode/decode, str.format, the
// Python-only str and bytes methods, str() and bytes() with CPython.
func TestStrMethodsMatchCPython(t *testing.T) {
	cases := []pyCase{
		// encode
		method("'é'", "encode", ""), method("'é'", "encode", "'ascii'"), method("'éà'", "encode", "'ascii'"),
		method("'aéàb€'", "encode", "'latin-1'"), method("'a€€b'", "encode", "'latin-1'"),
		method("'é€'", "encode", "'ascii', 'replace'"), method("'aé€b'", "encode", "'ascii', 'ignore'"),
		method("'é€\\U0001F600'", "encode", "'ascii', 'backslashreplace'"),
		method("'é€'", "encode", "'ascii', 'xmlcharrefreplace'"), method("'é'", "encode", "'ascii', 'foo'"),
		method("'e'", "encode", "'ascii', 'foo'"), method("'é'", "encode", "'foo'"), method("'é'", "encode", "'UTF8'"),
		method("'é'", "encode", "'Latin_1'"), method("'é'", "encode", "'iso8859-1'"), method("'é'", "encode", "'l1'"),
		method("'é'", "encode", "'us-ascii'"), method("'é'", "encode", "' utf-8 '"), method("'é'", "encode", "'utf 8'"),
		method("'é'", "encode", "encoding='latin1'"), method("'a'", "encode", "1"), method("'a'", "encode", "'utf-8', 'strict', 3"),
		method("'{\"a\": 1}'", "encode", "'ascii'"), method("'ключ'", "encode", "'utf-8'"),
		// decode
		method("b'\\xff'", "decode", ""), method("b'a\\xff'", "decode", "'utf-8'"), method("b'\\xc3'", "decode", ""),
		method("b'\\xc3('", "decode", ""), method("b'\\xe2\\x82'", "decode", ""), method("b'\\xe2\\x82('", "decode", ""),
		method("b'\\xe2(\\xa1'", "decode", ""), method("b'\\xf0\\x9f\\x98'", "decode", ""), method("b'\\xed\\xa0\\x80'", "decode", ""),
		method("b'\\xc0\\xaf'", "decode", ""), method("b'\\xf4\\x90\\x80\\x80'", "decode", ""), method("b'\\x80abc'", "decode", ""),
		method("b'ab\\xe9\\xe9'", "decode", "'ascii'"), method("b'\\xff\\xfe'", "decode", "'utf-8', 'replace'"),
		method("b'\\xe2\\x82('", "decode", "'utf-8', 'replace'"), method("b'\\xed\\xa0\\x80'", "decode", "'utf-8', 'replace'"),
		method("b'\\xf0\\x9f\\x98'", "decode", "'utf-8', 'replace'"), method("b'a\\xff\\xfeb'", "decode", "'utf-8', 'ignore'"),
		method("b'\\xff\\xfe'", "decode", "'utf-8', 'backslashreplace'"), method("b'\\xff\\xfe'", "decode", "'ascii', 'replace'"),
		method("b'abc'", "decode", "'foo'"), method("b'abc'", "decode", "encoding='ascii', errors='strict'"),
		method("b'caf\\xc3\\xa9'", "decode", ""), method("b'caf\\xe9'", "decode", "'latin-1'"),
		method("b'\\xf0\\x9f\\x98\\x80'", "decode", "'utf-8'"), method("b'a'", "decode", "errors='x'"),
		method("b'a'", "decode", "encoding=1"), method("b'\\xff'", "decode", "'utf-8', 'foo'"),
		// str.format
		method("'{} {}'", "format", "1"), method("'{0} {}'", "format", "1, 2"), method("'{} {0}'", "format", "1, 2"),
		method("'{a}'", "format", "1"), method("'{'", "format", "1"), method("'}'", "format", "1"),
		method("'{0'", "format", "1"), method("'{!x}'", "format", "1"), method("'{!r'", "format", "1"),
		method("'{!rr}'", "format", "1"), method("'{0.foo}'", "format", "1"), method("'{0[x]}'", "format", "{'x': 5}"),
		method("'{0[1]}'", "format", "[5, 6]"), method("'{0[y]}'", "format", "{'x': 5}"), method("'{0[5]}'", "format", "[5, 6]"),
		method("'{:{}}'", "format", "'a', 5"), method("'{:{w}.{p}f}'", "format", "3.14159, w=10, p=2"),
		method("'{{}}{}'", "format", "1"), method("'{:x}'", "format", "'a'"), method("'{0!r:>10}'", "format", "'a'"),
		method("'{0[}'", "format", "1"), method("'{0]}'", "format", "1"), method("'{:{:{}}}'", "format", "1, 2, 3"),
		method("'{0:{1}}'", "format", "1, '{'"), method("'{0}{1}'", "format", "*[1]"), method("'{0[0]}'", "format", "'abc'"),
		method("'{name}: {count:>4d} {pct:.1%}'", "format", "name='t', count=42, pct=0.256"),
		method("'{0}-{0}'", "format", "'x'"), method("'{!a}'", "format", "'é'"), method("'{!s:^5}'", "format", "None"),
		method("'{0[a]}'", "format", "[1]"), method("'{.x}'", "format", "None"), method("'{0..x}'", "format", "1"),
		method("'{0[0]x}'", "format", "[1]"), method("'{0[0]'", "format", "[1]"), method("'{:}'", "format", "'a'"),
		method("'{!}'", "format", "1"), method("'{}'", "format", ""), method("'{x}'", "format", ""),
		// justification and friends
		method("'ab'", "ljust", "5, '*'"), method("'ab'", "ljust", "5, '**'"), method("'ab'", "center", "5"),
		method("'ab'", "center", "6, '*'"), method("'abc'", "center", "6"), method("'abc'", "center", "8"),
		method("'é'", "rjust", "3"), method("'abc'", "rjust", "2"), method("'ab'", "ljust", "'5'"),
		method("'-42'", "zfill", "6"), method("'+42'", "zfill", "6"), method("'42'", "zfill", "1"), method("''", "zfill", "3"),
		method("'aBß'", "swapcase", ""), method("'aBß'", "casefold", ""), method("'a\\tb\\n\\tc'", "expandtabs", ""),
		method("'a\\tb'", "expandtabs", "4"), method("'é'", "isascii", ""), method("''", "isascii", ""),
		method("'²'", "isdecimal", ""), method("'²'", "isnumeric", ""), method("'½'", "isnumeric", ""),
		method("'12'", "isdecimal", ""), method("''", "isdecimal", ""),
		// bytes methods
		method("b'\\x01\\xff'", "hex", ""), method("b'\\x01\\xff\\x02'", "hex", "':'"), method("b'\\x01\\xff\\x02'", "hex", "'-', 2"),
		method("b'\\x01\\xff\\x02'", "hex", "'-', -2"), method("b''", "hex", ""),
		method("b'ab'", "ljust", "4, b'*'"), method("b'ab'", "center", "5"), method("b'-1'", "zfill", "4"),
		method("b'abc'", "isascii", ""), method("b'a,b'", "split", "b','"), method("b' a b '", "split", ""),
		method("b'a,b,c'", "split", "b',', 1"), method("b'a b  c'", "split", "maxsplit=1"), method("b'a'", "split", "b''"),
		method("b'abc'", "startswith", "b'a'"), method("b'abc'", "startswith", "'a'"), method("b'abc'", "endswith", "(b'x', b'c')"),
		method("b'abc'", "startswith", "b'b', 1"), method("b'abc'", "upper", ""), method("b'\\xe9A'", "lower", ""),
		method("b'x'", "join", "[b'a', b'b']"), method("b'x'", "join", "['a']"), method("b'abc'", "replace", "b'b', b'x'"),
		method("b'aaa'", "replace", "b'a', b'b', 2"), method("b'abc'", "find", "b'c'"), method("b'abc'", "find", "b'z'"),
		method("b'abc'", "find", "99"), method("b'abc'", "find", "'c'"), method("b'abc'", "index", "b'z'"),
		method("b'abcabc'", "count", "b'bc'"), method("b' ab '", "strip", ""), method("b'xxabxx'", "strip", "b'x'"),
		method("b' ab '", "lstrip", ""), method("b' ab '", "rstrip", ""), method("b'12'", "isdigit", ""), method("b''", "isdigit", ""),
		method("b'ab'", "isalpha", ""), method("b'a1'", "isalnum", ""), method("b' \\t'", "isspace", ""),
		method("b'a\\nb\\r\\nc\\rd'", "splitlines", ""), method("b'a\\nb\\r\\n'", "splitlines", "True"),
		method("b'key-1'", "removeprefix", "b'key-'"), method("b'key-1'", "removesuffix", "b'-1'"),
		// the classes
		same("str(b'abc', 'utf-8')"), same("str('abc', 'utf-8')"), same("str(1, 'utf-8')"),
		same("str(b'\\xff', 'ascii', 'replace')"), same("str(b'abc', errors='strict')"), same("str(b'abc')"),
		same("str()"), same("str(1.5)"), same("str(None)"), same("str(encoding='utf-8')"),
		same("bytes('abc')"), same("bytes('abc', 'utf-8')"), same("bytes(3)"), same("bytes(-1)"), same("bytes([1, 2])"),
		same("bytes([256])"), same("bytes(['a'])"), same("bytes(None)"), same("bytes(1.5)"), same("bytes(b'x', 'utf-8')"),
		same("bytes(5, 'utf-8')"), same("bytes(range(3))"), same("bytes()"), same("bytes('é', 'latin-1')"),
		same("bytes(b'x', errors='strict')"), same("bytes((65, 66))"),
		same("str.encode('é')"), same("str.encode('é', 'latin-1')"), same("str.upper('abc')"), same("str.encode(b'x')"),
		same("bytes.decode(b'\\xc3\\xa9')"), same("bytes.decode('x')"), same("bytes.hex(b'\\x10')"), same("str.upper()"),
		same("str.join(',', ['a', 'b'])"), same("str.strip('  a ')"), same("str.nosuch"),
		same("int.from_bytes(b'\\x01\\x00', 'big')"), same("int.from_bytes(b'\\x01\\x00', 'little')"),
		same("int.from_bytes(b'\\xff\\xff', 'big', signed=True)"), same("int.from_bytes(b'', 'big')"),
		same("int.from_bytes(b'\\x01', 'middle')"), same("int.from_bytes([1, 2], 'big')"),
		// attribute errors
		{"(1).foo", "__getattr__(1, 'foo')"}, {"'a'.decode", "__getattr__('a', 'decode')"},
		{"None.decode()", "__getattr__(None, 'decode')()"}, {"b'a'.encode", "__getattr__(b'a', 'encode')"},
		{"[].format", "__getattr__([], 'format')"}, {"{}.hex", "__getattr__({}, 'hex')"},
	}
	comparePython(t, cases)
}

// TestCodecErrors checks the exact encoding messages without CPython.
func TestCodecErrors(t *testing.T) {
	for _, c := range []struct {
		got  func() (string, error)
		want string
	}{
		{func() (string, error) { return Encode("é", "ascii", "strict") }, `UnicodeEncodeError: 'ascii' codec can't encode character '\xe9' in position 0: ordinal not in range(128)`},
		{func() (string, error) { return Decode("\xff", "utf-8", "strict") }, `UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte`},
		{func() (string, error) { return Decode("x", "foo", "strict") }, `LookupError: unknown encoding: foo`},
		{func() (string, error) { return Decode("caf\xe9", "latin-1", "strict") }, `'café'`},
	} {
		s, err := c.got()
		if got := pyOutcome(starlark.String(s), err); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
}

// TestUnboundMethodsAsFunctions uses str.encode and bytes.decode the way
// kafka-python scripts pass them as serializers.
func TestUnboundMethodsAsFunctions(t *testing.T) {
	src := `
key_serializer = str.encode
value_deserializer = bytes.decode
out = [key_serializer('ping'), value_deserializer(b'caf\xc3\xa9'), str.upper('x'), str.__name__]
`
	thread := &starlark.Thread{}
	g, err := starbytes.ExecFile(coreFileOptions, thread, "serializers.star", src, Globals())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Repr(g["out"]), `[b'ping', 'café', 'X', 'str']`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
