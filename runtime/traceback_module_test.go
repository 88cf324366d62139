package runtime_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/kstar-dev/kstar/internal/testenv"
	"github.com/kstar-dev/kstar/runtime"
)

// tracebackModuleScript uses the traceback module as scripts do: in a
// handler, outside one, on an exception with a cause.
const tracebackModuleScript = `import traceback, sys

def inner():
    raise ValueError("bad value")

def outer():
    try:
        inner()
    except ValueError:
        print(traceback.format_exc(), end="")
        traceback.print_exc(file=sys.stdout)

outer()
print(traceback.format_exc(), end="")
try:
    try:
        int("k")
    except ValueError as e:
        raise RuntimeError("wrapped") from e
except RuntimeError as e:
    print("".join(traceback.format_exception(e)), end="")
    print(traceback.format_exception_only(e))
    traceback.print_exception(e, file=sys.stdout)
`

// TestTracebackModuleMatchesCPython runs tracebackModuleScript under
// CPython and kstar from the same path: the tracebacks it prints are the
// same (CPython's caret lines aside).
func TestTracebackModuleMatchesCPython(t *testing.T) {
	python := testenv.Python(t)
	script := filepath.Join(t.TempDir(), "tb.py")
	if err := os.WriteFile(script, []byte(tracebackModuleScript), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := exec.Command(python, script).Output()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := runtime.New(runtime.WithStdout(&out)).ExecFile(context.Background(), script, []byte(tracebackModuleScript), nil); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	carets := regexp.MustCompile(`(?m)^ *[~^]+ *\n`)
	if got, want := out.String(), carets.ReplaceAllString(string(want), ""); got != want {
		t.Errorf("kstar printed\n%s\nCPython printed\n%s", got, want)
	}
}
