package frontend

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
	"golang.org/x/text/unicode/norm"
)

// fuzzSeeds are Python-looking sources covering every form of the front
// end; FuzzParse starts from them (go test runs them as plain tests).
var fuzzSeeds = []string{
	"def A(a):\n    def A():\n        nonlocal a\n", // blocks of declarations only
	"x = 1\nif x:\n    global y\nwhile x:\n    global z\n",
	"def todo(): ...\nx = [..., 1]\n",
	"import json\nimport json, time\nimport msgpack as mp\n",
	"import kafka.errors\nfrom kafka import KafkaProducer, KafkaConsumer\n",
	"from kafka import (\n    KafkaProducer,  # p\n    KafkaConsumer,\n)\n",
	"from kafka.admin import KafkaAdminClient as Admin; x = 1\n",
	"def f():\n    import json\n    if x: from kafka import A\n",
	"from __future__ import print_function\nfrom . import x\nfrom kafka import *\n",
	"import a, \\\n    b\n",
	"x = None\nprint(x is None, x is not None)\nprint((x is\n not None))\n",
	"print(f\"{msg.offset:>8} {rate:.1f} {name!r} {x:{width}}\")\n",
	"s = f'{x=}' f\"{x = !s:>{w}}\" rf'\\d{x}' F'{{}}'\n",
	"s = f'''\n{x}\n  {\ny + 1\n}'''\n",
	"s = f\"{f'{x}'}\" + f'{d[\"k\"]}' + f'{ {\"a\": 1}[\"a\"] }'\n",
	"s = f'{a != b} {a <= b} {(lambda y: y)(1)}'\n",
	"s = f'{' f'}' f'{}' f'{x!z}' f'{x#}' f'{a:{b:{c}}}'\n",
	"n = 0\ndef f(a):\n    global n\n    def g():\n        nonlocal a\n        a += n\n    n, a = 1, 2\n",
	"s = 'a' 'b' \"c\"\nt = ('a'\n     f'{x}'\n     'c')\nu = 'a' '''b\nc'''\n",
	"s = u'x' + R'\\n' + B'y' + bR'\\n' + Br'x' + b'\\xff' + '\\xe9\\d\\N{X}\\u00e9\\U0001F600'\n",
	"s = '%s-%d' % ('a', 1)\nx %= 3\nl[0] %= 4\n",
	"b = s.encode('utf-8').decode()\nt = '{:.2f}'.format(1.5)\nx.encode = 1\n",
	"if __name__ == '__main__':\n    main()\n",
	"try:\n    pass\nexcept:\n    pass\n",
	"class A:\n    pass\nwith x as y:\n    pass\n",
	"with a as (b, c.d), e:\n    with (f as g[0],\n          h()):\n        pass\n",
	"print 'hello'\nprint x\n",
	"s = 'abc\ns = '''abc\n",
	"s = 'a\\\nb'\nt = \"é\" + f'é{é}é'\n",
	"x = 1\r\ny = f'{x}'\r\nimport json\r\n",
	"x = [\n  1,  # c\n  2,\n]\nfor i in x:\n    print(f'{i:>{w}}')\n",
	"s = f'{x!r}' 'a' b'b'\n",
	"f'{'\nf'{{'\nf'}}'\nf'{x:{'\n",
	"\tif x:\n\t\timport json\n",
	"lambda: 1\nx = lambda y: y % 2\nd = {1: 2}\n",
	"n = sum(len(w) for w in ws) + max(\n  x for x in (1, 2)) + f'{g(y for y in z)}'\nprint(*a, sep=s)\n",
	"y = -x ** 2 * 3 % 4 ** -z ** 2\ny **= 2\nf(*a, **k)\n",
	"x = 1\ndel x, y[1:2], z.a\ndef f(a):\n    del a\n    print(b := [c for c in a if (d := c)], d)\n",
	"for i, (a, *r) in e:\n    [h for h, *t in r]\ntry:\n    pass\nexcept E as e:\n    pass\nwhile (n := f()):\n    pass\nelse:\n    pass\n",
	"try:\n    x = f(1)\n    for i in y:\n        x += i\nexcept (A, B) as e:\n    raise\nexcept:\n    raise C('m') from e\nelse:\n    pass\nfinally:\n    g()\n",
	"class A:\n    x = 1\n    (y := x)\n    del x\n    try:\n        import json\n    except E as e:\n        z = b'z'\n    f = lambda x, k=(w := 2): (v := x + k, v)\n",
}

// tryTemp matches the variables lowerings name: try states and temporaries,
// cells, and the variables of generated comprehensions and lambdas.
var tryTemp = regexp.MustCompile(`^__(try|except|else|finally|run|b|c|e|v|broke)\d+$|^__(global|nonlocal|cls)_|^__[eklrvd]$`)

// FuzzParse checks that Parse never panics, that Starlark compiles what
// it returns without panicking, and that in what it parses
// every identifier from the source (not one of the front end's helpers)
// is where the source has it (NFKC-normalised, as Python reads names).
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	helpers := map[string]bool{
		importFunc: true, importFromFunc: true, fstringFunc: true, formatFunc: true, modFunc: true,
		getAttrFunc: true, genExpFunc: true, iterableFunc: true, powFunc: true, setEqFunc: true, starArgsFunc: true, kwargsArgFunc: true, TryFunc: true, CaughtFunc: true, RaiseFunc: true,
		UnpackFunc: true, IsFunc: true, DelItemFunc: true, TupleEqFunc: true, CellFunc: true, bytesFunc: true, "set": true, "tuple": true, assertionErrorName: true,
		"Ellipsis": true,                              // ... is read as Ellipsis
		"None":     true, "True": true, "False": true, // constants of lowered statements (del x[a:], loops with else)
	}
	for _, name := range []string{WithFunc, WithExitFunc, WithCatches, BuildClassFunc, SuperFunc, DelAttrFunc, classCellName, generatorFunc, generatorVar, yieldFromFunc, DelSliceFunc, SetCellFunc, DelCellFunc, UnbindFunc} {
		helpers[name] = true
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Parse("f.py", []byte(src))
		if err != nil {
			var se syntax.Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v is a %T, not a syntax.Error", err, err)
			}
			return
		}
		// The lowered tree must be one Starlark's resolver and compiler
		// accept or refuse with an error, never a panic.
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("compiling %q: panic %v", src, r)
			}
		}()
		starlark.FileProgram(file, func(string) bool { return true })
		srcLines := lines(src)
		generated := map[*syntax.Ident]bool{} // the fields of cells
		syntax.Walk(file, func(n syntax.Node) bool {
			if dot, ok := n.(*syntax.DotExpr); ok {
				if x, ok := dot.X.(*syntax.Ident); ok && (strings.HasPrefix(x.Name, "__global_") || strings.HasPrefix(x.Name, "__nonlocal_") || strings.HasPrefix(x.Name, "__cls_")) {
					generated[dot.Name] = true
				}
				if x, ok := dot.X.(*syntax.Ident); ok && tryTemp.MatchString(x.Name) && dot.Name.Name == WithValue {
					generated[dot.Name] = true // a with statement's state
				}
				if x, ok := dot.X.(*syntax.Ident); ok && x.Name == "__d" && dot.Name.Name == "items" {
					generated[dot.Name] = true // {**a, **b} merged (lower_unpacking.go)
				}
			}
			id, ok := n.(*syntax.Ident)
			if !ok || helpers[id.Name] || generated[id] || tryTemp.MatchString(id.Name) {
				return true
			}
			line, col := int(id.NamePos.Line), int(id.NamePos.Col)
			if line < 1 || line > len(srcLines) {
				t.Fatalf("%s at line %d of %d lines", id.Name, line, len(srcLines))
			}
			runes := []rune(srcLines[line-1])
			if col < 1 || col > len(runes) || !strings.HasPrefix(norm.NFKC.String(string(runes[col-1:])), id.Name) {
				t.Fatalf("identifier %s at %d:%d, but the source line is %q", id.Name, line, col, srcLines[line-1])
			}
			return true
		})
	})
}
