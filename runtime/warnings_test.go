package runtime_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kstar-dev/kstar/internal/testenv"
	"github.com/kstar-dev/kstar/runtime"
)

// TestWarningsMatchCPython runs a script whose warnings go to stderr
// under kstar and CPython and compares the whole stderr: the format
// with the source line, once per location, stacklevel, __main__'s
// DeprecationWarning shown. CPython names the script by its absolute
// path, so kstar is given that.
func TestWarningsMatchCPython(t *testing.T) {
	python := testenv.Python(t)
	src := `import warnings

def old_api():
    warnings.warn("old_api is deprecated", DeprecationWarning, stacklevel=2)

for i in range(3):
    warnings.warn("shown once")
    old_api()
warnings.warn("a second place")
warnings.warn("x" + "y", RuntimeWarning)
warnings.warn(FutureWarning("an instance"))
warnings.warn("past the stack", stacklevel=5)
print("done")
`
	dir := t.TempDir()
	script := filepath.Join(dir, "w.py")
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "w.py")
	cmd.Dir = dir
	var pyOut, pyErr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &pyOut, &pyErr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := runtime.New(runtime.WithStdout(&out), runtime.WithStderr(&errOut)).ExecFile(context.Background(), script, []byte(src), nil); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	if out.String() != pyOut.String() || errOut.String() != pyErr.String() {
		t.Errorf("stdout %q, stderr:\n%s\nCPython's stdout %q, stderr:\n%s", out.String(), errOut.String(), pyOut.String(), pyErr.String())
	}
}

// TestWarningsOfImportedModules: as CPython's default filters, a
// DeprecationWarning raised by an imported module's code is ignored and
// one raised by __main__'s shown; other categories show for both (with
// the module's file, but no source line: kstar quotes only the
// script's).
func TestWarningsOfImportedModules(t *testing.T) {
	dir := t.TempDir()
	lib := `import warnings
def old():
    warnings.warn("old is deprecated", DeprecationWarning)
def risky():
    warnings.warn("risky", RuntimeWarning)
def old_caller():
    warnings.warn("say old_caller no more", DeprecationWarning, stacklevel=2)
`
	if err := os.WriteFile(filepath.Join(dir, "lib.star"), []byte(lib), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `import lib
lib.old()
lib.risky()
lib.old_caller()
`
	var out, errOut bytes.Buffer
	err := runtime.New(runtime.WithStdout(&out), runtime.WithStderr(&errOut), runtime.WithLoadDir(dir)).ExecFile(context.Background(), "main.py", []byte(src), nil)
	if err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	want := `lib.star:5: RuntimeWarning: risky
main.py:4: DeprecationWarning: say old_caller no more
  lib.old_caller()
`
	if errOut.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut.String(), want)
	}
}
