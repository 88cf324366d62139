package runtime_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/runtime"
)

// A bytes literal of a REPL input keeps its value in the functions that
// input defines, whatever later inputs' literals are (each input's
// constants are its own), and the inputs' bytes equal one another.
func TestBytesLiteralsAcrossSessionInputs(t *testing.T) {
	var out bytes.Buffer
	s := runtime.New(runtime.WithStdout(&out)).NewSession(nil)
	for _, src := range []string{
		"def f():\n    return b'first'",
		"y = b'second'",
		"print(f(), y, f()[0], f() == b'first', b'first' in {f(): 1})",
	} {
		if err := s.Exec(context.Background(), src); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
	}
	if err := s.Close(time.Second); err != nil {
		t.Fatal(err)
	}
	if want := "b'first' b'second' 102 True True\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
	for _, name := range s.Globals() {
		if name != "f" && name != "y" && name != "_" {
			t.Errorf("global %q shown", name)
		}
	}
}

// A Go host's Starlark bytes argument is Python's bytes in the script,
// and bytes the script returns are py.Bytes.
func TestCallTakesStarlarkBytes(t *testing.T) {
	s := load(t, "def first(b, k=b''):\n    return b[0], b == b'xy', k[:1], type(k).__name__\n")
	got, err := s.CallKwargs(context.Background(), "first", starlark.Tuple{starlark.Bytes("xy")}, []starlark.Tuple{{starlark.String("k"), starlark.Bytes("z")}})
	if err != nil {
		t.Fatal(err)
	}
	want := starlark.Tuple{starlark.MakeInt('x'), starlark.True, py.Bytes("z"), starlark.String("bytes")}
	if eq, err := starlark.Equal(got, want); err != nil || !eq {
		t.Errorf("first(b'xy', k=b'z') = %v, want %v", got, want)
	}
}

// Starlark bytes a host predeclares or a host function returns are
// Python's bytes in the script too.
func TestHostStarlarkBytesArePythonBytes(t *testing.T) {
	raw := starlark.NewBuiltin("raw", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bytes("\x00ab"), nil
	})
	s := load(t, "def check():\n    r = raw()\n    return r[0], r[1:].decode(), r == b'\\x00ab', MAGIC[0], list(MAGIC)\n",
		runtime.WithPredeclared("raw", raw), runtime.WithPredeclared("MAGIC", starlark.Bytes("\x07\x08")))
	got, err := s.Call(context.Background(), "check")
	if err != nil {
		t.Fatal(traceback(err), err)
	}
	if want := "(0, \"ab\", True, 7, [7, 8])"; got.String() != want {
		t.Errorf("check() = %s, want %s", got, want)
	}
}
