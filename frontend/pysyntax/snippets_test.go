package pysyntax

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"testing"
)

// snippets are corners of the grammar and of constant reprs, compared
// with CPython's ast.dump (with positions) by TestSnippetsEqualCPython.
var snippets = []string{
	// numbers
	"x = 1e16, 1e15, 1e-5, 1e-4, 0.1, 1.5e300, 1e999, 1e999j, 2.5j, 10j, 0j, 1_000.000_1e-1_0\n",
	"x = 0xFFFF_FFFF_FFFF_FFFF_FF, 0o777, 0b1010, 123456789012345678901234567890, 0, 00, 0_0\n",
	"x = 1if y else 2\nx = [0x1for x in y]\n",
	// strings and bytes
	`x = 'a"b', "a'b", 'a\'b"c', '\x00\x7f\x80\xff\u0100\U0001F600', '\N{BULLET}\N{latin small letter a}'` + "\n",
	`x = b'\x00\xff"', b"'", rb'\d', Rb'\'', br'\N{x}', b'\u1234'` + "\n",
	`x = '\ud800\udfff', u'kind', 'con' "cat" '''enation''', r'\d' '\d'` + "\n",
	"x = '''a\\\nb''', \"\"\"\n\"\"\"\n",
	`x = 'é' 'ü', '\t\n\r\x0b\x0c', '\u200b\u00a0\u2028', ''` + "\n",
	// f-strings
	`x = f'{a}{b!r}{c!s:>{w}.{p}}{d=}{e = !a}{f=:^9}' f"{g['k']}" rf'\{h}'` + "\n",
	`x = f'{a:{b}}', f'{{}}', f'{"q"}', f'{x,y}', f'{x for x in y}', f'{(yield)}'` + "\n",
	`x = f'{a:{b:{c}}}'` + "\n",
	"x = f'''{\na\n+\nb\n}'''\n",
	`x = u'a' f'b{c}d' 'e'` + "\n",
	// expressions
	"x = a if b else c if d else lambda *, k=1, **kw: (yield)\n",
	"x = [*a, *b], {**a, 'k': 1, **b}, {*a, 1}, (*a,), a[1:2, ::3, ...], a[:], a[::], a[*b]\n",
	"x = not a < b <= c != d is not e in f not in g, -~+a ** -b ** c, a @ b // c % d >> e << f & g ^ h | i\n",
	"x = await a.b(c)[d] if e else [i async for i in j if k if l for m in n]\n",
	"f(a, *b, c=d, *e, **f, g=h)\nf(x for x in y)\nf(a)(b)[c].d\n",
	"x = {a: b for a, b in c}, {a for a in b}, (a := 1), [b := 2, c], lambda: (d := 3)\n",
	// statements
	"a = b = c, d = *e, f = g\na += 1\na.b: int = 1\n(a): int\na[0]: 'x'\n",
	"del a, (b, c), [d], e.f, g[h]\ndel a,\nassert a, b\nraise\nraise a from b\nreturn\n",
	"global a, b\nnonlocal c\nimport a.b.c as d, e\nfrom . import (a, b as c,)\nfrom .. a import *\nfrom ... import x\nfrom .... a import b\n",
	"@a.b(c)\n@d\nasync def f[T](x): pass\n" + "",
	"@a.b(c)\n@d\nasync def f(a, b: int = 1, /, c=2, *d: 'x', e, f=3, **g) -> None:\n    async with a as (b, c), d: pass\n    async for x in y: await z\n    else: pass\n",
	"class C(A, B, metaclass=M, **kw):\n    '''doc'''\n    x: int\n    def f(self): return self\n",
	"with (a as b, c as d,): pass\nwith (a, b): pass\nwith (a, b) as c: pass\nwith (yield): pass\n",
	"try:\n    pass\nexcept A:\n    pass\nexcept (B, C) as e:\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
	"try:\n    pass\nexcept* A:\n    pass\nexcept* B as e:\n    pass\n",
	"while a:\n    break\nelse:\n    continue\nfor a, *b in c: pass\nfor (a, b) in c, d: pass\n",
	"if a: pass\nelif b: pass\nelif c:\n    pass\nelse:\n    if d: pass\n",
	"x = 1; y = 2;\nif a: b; c;\n",
	// match
	"match x:\n    case 1 | -2 | 3.0 | -4j | 5+6j | -7-8j | 'a' 'b' | b'c' | None | True | False: pass\n" +
		"    case [a, *_, (b, c), [d], *rest] | (e, f) | (): pass\n" +
		"    case {'k': v, 1: w, a.b: x, **rest} | {}: pass\n" +
		"    case C() | C(a, b=c) | a.b.C(d, e=[f]) as g if g > 0: pass\n" +
		"    case _: pass\n",
	"match a, *b:\n    case c, d: pass\nmatch = 1\nmatch.x = 2\nmatch(3)\ncase = 4\n_ = 5\n",
	"match (x):\n    case (1): pass\n    case (a) as b: pass\n",
	// lines and indentation
	"if a:\n\tb\n\tif c:\n\t\td\n",
	"x = (1,\n     2) + \\\n    3\n# comment\n\n  # indented comment\ny = [\n  1,\n]\n",
	"\x0cx = 1\nif y:\n    \x0c    z = 2\n",
	"x = 1",
	"",
	"# only a comment",
	"\n\n\n",
	// names
	"ｗｉｄｔｈ = µ = 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 = 1\n",
	// what ast.parse accepts (the compiler refuses some) and refuses
	"x = *a",
	"*a = b",
	"del *a",
	"f(*a for a in b)",
	"a, *b, *c = d",
	"return *a",
	"x = yield *a, b",
	"await x",
	"yield",
	"lambda: (yield)",
	"f(a for a in b, )",
	"f(**a, b=1, *c)",
	"f(a, b for b in c)",
	"[*a for a in b]",
	"{**a for a in b}",
	"(*a)",
	"x = (*a,)",
	"def f(*, **k): pass",
	"def f(**k, a): pass",
	"def f(a, *, b, *c): pass",
	"def f(/, a): pass",
	"def f(a, /, /): pass",
	"class C(x for x in y): pass",
	"with a as b.c, d as e[0]: pass",
	"for x.y in z: pass",
	"import a as b.c",
	"from a import b.c",
	"x[a:=1]",
	"x[a:=1, b]",
	"x[(a:=1):2]",
	"f(a:=1)",
	"f(a=b:=1)",
	"@x := y\ndef f(): pass",
	"assert (yield)",
	"x = 1 if 2 else *a",
	"a if b else c = 1",
	"(a, b) += 1",
	"[a] = 1",
	"() = 1",
	"[] = 1",
	"(yield) = 1",
	"f'{x!}'",
	"f'{x!r=}'",
	"f'{x=!r:>3}'",
	"f'{!r}'",
	"f'{:}'",
	"f'{ }'",
	"f'{#}'",
	"f'{x:{y!r}}'",
	"f'{x:{{}}>3}'",
	"f'{x:}}'",
	"f'{x!r :3}'",
	"f'{3!r}'",
	"f'{(lambda x: 1)}'",
	"f'{a:=1}'",
	"f'{(a:=1)}'",
	"f'''{\nx\n!r}'''",
	"f'{x\n}'",
	"nonlocal x, y",
	"global x",
	"break",
	"continue",
	"not a == b",
	"a not b",
	"a is not not b",
	"a < not b",
	"- not a",
	"x = (a) = 1",
	"(a) = 1",
	"((a), b) = 1",
	"[(a), (b.c)] = 1",
	"(a.b) += 1",
	"(a, b): int",
	"(a): int",
	"a.b.c: int = 1",
	"x: int, y = 1",
	"x: yield = 1",
	"x: int = yield",
	"x: *a",
	"x: int = *a, b",
	"x = a, *b if c else d",
	"print >> f, x",
	"exec 'x'",
	"print x",
	"print",
	"print(x) y",
}

func TestSnippetsEqualCPython(t *testing.T) {
	py := python3(t)
	in, _ := json.Marshal(snippets)
	script := `
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    try:
        out.append(ast.dump(ast.parse(src.encode("utf-8", "surrogatepass")), include_attributes=True))
    except SyntaxError as e:
        out.append("SyntaxError: %s (%s, %s)" % (e.msg, e.lineno, e.offset))
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, src := range snippets {
		mod, err := Parse("<unknown>", []byte(src))
		got := ""
		if err != nil {
			e := err.(*Error)
			got = fmt.Sprintf("SyntaxError: %s (%d, %d)", e.Msg, e.Line, e.Col)
		} else {
			got = DumpWithPositions(mod)
		}
		if got != want[i] {
			t.Errorf("%q:\n ours: %s\nCPython: %s", src, got, want[i])
		}
	}
}
