package pysyntax

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeeds are snippets that exercise the corners of the grammar.
var fuzzSeeds = []string{
	"x = 1\n",
	"f'{x!r:>{width}}' f\"{y=}\" rb'\\x00' u'\\N{BULLET}'\n",
	"match p:\n    case [1, *rest] | {'k': 2, **kw} | Point(x=0) as q if q: pass\n    case _: pass\n",
	"async def f(a, /, b=1, *c, d, **e) -> int:\n    async with a as b, c: await x\n    async for i in y: yield i\n",
	"try:\n    pass\nexcept* (A, B) as e:\n    raise X from e\nfinally:\n    del a[1:2, ::3], b.c\n",
	"@dec\nclass C(B, metaclass=M):\n    x: int = 0\n    global g\n    def m(self): nonlocal n; return [*a, *b], {**d}\n",
	"x = (yield from g) if (y := 0b1_0) else lambda *a, k=1, **kw: 0x_ff + 1e-5j\n",
	"if a:\n\tb\nelif c:\n  \\\n  d\nelse:\n    e\n",
	"print 'x'\n",
	"x = (1, [2, {3: 4\n",
	"\xef\xbb\xbf# coding: latin-1\nx = '\xe9'\n",
}

// FuzzParse checks that Parse never panics, that it fails only with an
// *Error, and that a tree it returns can be dumped.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, tc := range syntaxErrors {
		f.Add([]byte(tc.src))
	}
	// A few files of CPython's standard library, when it is here.
	if out, err := exec.Command("python3", "-c", `import sysconfig; print(sysconfig.get_paths()["stdlib"])`).Output(); err == nil {
		root := strings.TrimSpace(string(out))
		for _, name := range []string{"textwrap.py", "test/test_grammar.py", "test/test_patma.py", "test/test_fstring.py", "string.py"} {
			if src, err := os.ReadFile(filepath.Join(root, name)); err == nil {
				f.Add(src)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		mod, err := Parse("fuzz.py", src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		DumpWithPositions(mod)
	})
}
