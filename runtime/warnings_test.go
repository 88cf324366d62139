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
