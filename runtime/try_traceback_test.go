package runtime_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/internal/testenv"
	"github.com/kstar-dev/kstar/runtime"
)

// tryTracebacks are scripts whose uncaught exception went through try
// statements: the whole traceback must be CPython's (but for the lines
// of carets CPython adds), each frame at its line and in its function,
// the frames of a try's blocks under the function that holds the try.
var tryTracebacks = map[string]string{
	"re-raised at the original line": `
def parse(s):
    return int(s)

def load(items):
    out = []
    for s in items:
        try:
            out.append(parse(s))
        except ValueError:
            print('bad', s)
            raise
    return out

load(['1', 'x'])
`,
	"raised in else and finally": `
def step(n):
    try:
        n = n + 1
    except TypeError:
        pass
    else:
        if n > 2:
            raise KeyError(n)
    finally:
        print('finally', n)

for i in range(5):
    try:
        step(i)
    finally:
        print('outer', i)
`,
	"nested tries in a loop": `
def inner(d, k):
    try:
        try:
            return d[k]
        finally:
            print('inner finally')
    except IndexError:
        return None

while True:
    try:
        inner({}, 'k')
    except ZeroDivisionError:
        break
`,
	"a variable the try did not bind": `
def parse(s):
    try:
        n = int(s)
    except ValueError:
        print('not a number')
    return n

parse('z')
`,
	"raised again by name later": `
def f():
    return 1 // 0

try:
    f()
except ZeroDivisionError as e:
    err = e
print('later')
raise err
`,
	"raised again by name in the handler": `
def check(v):
    if v < 0:
        raise ValueError('negative')

def run():
    try:
        check(-1)
    except ValueError as e:
        print('handling')
        raise e

run()
`,
	"context through a function the handler calls": `
def report(e):
    raise RuntimeError('report failed: %s' % e)

try:
    [][0]
except IndexError as e:
    report(e)
`,
}

// TestTryTracebacksMatchCPython runs each of tryTracebacks under kstar
// and CPython and compares the whole stderr.
func TestTryTracebacksMatchCPython(t *testing.T) {
	python := testenv.Python(t)
	carets := regexp.MustCompile(`(?m)^ *[~^]+ *\n`)
	dir := t.TempDir()
	for name, src := range tryTracebacks {
		t.Run(name, func(t *testing.T) {
			script := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".py")
			if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(python, script)
			var pyOut, pyErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &pyOut, &pyErr
			if err := cmd.Run(); err == nil {
				t.Fatal("CPython raised nothing")
			}
			var out bytes.Buffer
			err := runtime.New(runtime.WithStdout(&out)).ExecFile(context.Background(), script, []byte(src), nil)
			if out.String() != pyOut.String() {
				t.Errorf("printed\n%s\nCPython printed\n%s", out.String(), pyOut.String())
			}
			want := carets.ReplaceAllString(pyErr.String(), "")
			if got := runtime.FormatError(err); got != want {
				t.Errorf("traceback\n%s\nCPython's\n%s", got, want)
			}
		})
	}
}
