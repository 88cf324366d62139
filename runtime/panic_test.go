package runtime_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/runtime"
)

// TestBuiltinPanicIsReported checks that a panic inside a builtin becomes
// a Python-style error at the script's line, never a Go stack trace.
func TestBuiltinPanicIsReported(t *testing.T) {
	boom := py.Func("boom", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		var m map[string]int
		//lint:ignore SA5000 the test needs a Go runtime panic inside a builtin
		m["x"] = 1 // assignment to entry in nil map
		return starlark.None, nil
	})
	var out bytes.Buffer
	rt := runtime.New(runtime.WithPredeclared("boom", boom), runtime.WithStdout(&out))
	err := rt.ExecFile(context.Background(), "p.star", []byte("print('before')\n\nboom()\nprint('after')\n"), nil)
	if err == nil {
		t.Fatal("no error from a panicking builtin")
	}
	tb := runtime.FormatError(err)
	for _, want := range []string{`File "p.star", line 3, in <module>`, "RuntimeError: internal error in boom: assignment to entry in nil map"} {
		if !strings.Contains(tb, want) {
			t.Errorf("traceback %q lacks %q", tb, want)
		}
	}
	if strings.Contains(tb, "goroutine") || strings.Contains(tb, ".go:") {
		t.Errorf("traceback shows Go internals: %q", tb)
	}
	if out.String() != "before\n" {
		t.Errorf("stdout = %q", out.String())
	}
	if runtime.ExitCode(err) != 1 {
		t.Errorf("exit code %d, want 1", runtime.ExitCode(err))
	}
}
