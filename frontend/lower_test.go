package frontend

import (
	"bytes"
	"testing"

	"go.starlark.net/starlark"
)

// TestPlainCodeCompilesAsStarlark checks that code Python and Starlark
// read alike is lowered to what Starlark compiles from the same source,
// positions included: no helper calls or guards on the plain paths (the
// producer and consumer loops of scripts). A bytes literal is the one
// literal lowered otherwise (a module constant: TestFrontEndRewrites).
func TestPlainCodeCompilesAsStarlark(t *testing.T) {
	for _, src := range []string{
		"x = 1\ny = x + 2 * 3 - 4 // 5\nprint(x, y, sep='-')\n",
		// pipeline/pipeline_bench_test.go's process
		"def process(record):\n    return record._replace(headers=record.headers + [(\"seen\", \"yes\")])\n\ndef noop(record):\n    return None\n",
		"def produce(p, n, topic='t'):\n    for i in [1, 2]:\n        p.send(topic, value='v', key=str(i) if False else None)\n    return p\n",
		"n = 0\nwhile n < 10:\n    n += 1\n    if n == 3:\n        continue\n    elif n > 8:\n        break\n    else:\n        pass\n",
		"d = {'a': [1, 2], 'b': (3,)}\nv = d['a'][0:1] + [x * 2 for x in (1, 2) if x]\nf = lambda a, *rest, k=1, **kw: (a, rest, k, kw)\n",
		"s = {}\nok = not s and (s.get('X') != 'X' or len(s) >= 2) and 'x' not in s\nt = -x if ok else ~1\n",
		"def f(a, b=2, *c, d, e=3, **g):\n    '''doc'''\n    if a:\n        return b\n    elif c:\n        pass\n    else:\n        a += 1\n    return [a, b][0:1:2]\n",
		"x = f(1,\n  k=2)  # c\ny = x.a.b[1][2:]\nz = {1: 2,\n 3: 4}\nwhile not x: break\n",
		"x = [y for y in [1] for z in [2] if y if z]\nw = {k: v for k, v in {}}\nv = lambda: 1\nu = 1 if 2 else 3\nt = 1, 2\n(a, b) = t\n[c, d] = t\nx[0] = 1\nx.y = 2\n",
		"x = -1 + +2 - ~3 * 4 / 5 // 6 & 7 | 8 ^ 9 << 1 >> 2\nb = 1 < 2 or 3 > 4 and 5 <= 6 and 8 >= 9 or 1 in []\n",
		"x = 'ab'\ny = '\\x00'\nz = 1.5e3\nw = 12345678901234567890\nv = 0x1f\n",
	} {
		f, err := Parse("t.py", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		var ours, theirs bytes.Buffer
		prog, err := starlark.FileProgram(f, func(string) bool { return true })
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if err := prog.Write(&ours); err != nil {
			t.Fatal(err)
		}
		_, sprog, err := starlark.SourceProgramOptions(FileOptions, "t.py", src, func(string) bool { return true })
		if err != nil {
			t.Fatalf("%q: Starlark: %v", src, err)
		}
		if err := sprog.Write(&theirs); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours.Bytes(), theirs.Bytes()) {
			t.Errorf("%q: the lowered program differs from Starlark's", src)
		}
	}
}
