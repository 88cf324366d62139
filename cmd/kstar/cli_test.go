package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/internal/testenv"
)

// TestVersionFlags: --version and -V print what `kstar version` prints.
func TestVersionFlags(t *testing.T) {
	want, _, _ := runKstar(t, "", "version")
	if want != "kstar "+Version+"\n" {
		t.Fatalf("kstar version printed %q", want)
	}
	for _, flag := range []string{"--version", "-version", "-V"} {
		out, errOut, status := runKstar(t, "", flag)
		if out != want || errOut != "" || status != 0 {
			t.Errorf("kstar %s: stdout %q, stderr %q, status %d; want %q, nothing, 0", flag, out, errOut, status, want)
		}
	}
}

// TestExitAndQuitMatchPython runs Python's exit and quit builtins with
// python3 -c and kstar -c: the same output, the same exit status.
func TestExitAndQuitMatchPython(t *testing.T) {
	python := testenv.Python(t)
	for _, code := range []string{
		"print(1)\nexit()\nprint(2)",
		"quit()",
		"exit(3)",
		"quit(code=4)",
		"exit(None)",
		"exit(True)",
		"exit('bye')",
		"print(exit)\nprint(repr(quit), str(exit))",
	} {
		t.Run(code, func(t *testing.T) {
			out, errOut, status := runKstar(t, "", "-c", code)
			cmd := exec.Command(python, "-c", code)
			var pyOut, pyErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &pyOut, &pyErr
			pyStatus := 0
			if err := cmd.Run(); err != nil {
				ee, ok := err.(*exec.ExitError)
				if !ok {
					t.Fatal(err)
				}
				pyStatus = ee.ExitCode()
			}
			if out != pyOut.String() || errOut != pyErr.String() || status != pyStatus {
				t.Errorf("kstar: stdout %q, stderr %q, status %d\npython3: stdout %q, stderr %q, status %d", out, errOut, status, pyOut.String(), pyErr.String(), pyStatus)
			}
		})
	}
}

// TestCheckShowsWhatARunShows: kstar check reports a syntax error exactly
// as running the script does, source line and caret included, and an
// undefined name with the line and error a run ends with when it reaches
// that line (a run raises it then, as CPython does; check runs nothing).
func TestCheckShowsWhatARunShows(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"undefined.star": "x = 1\nprint(x)\nprint(undefined_name)\n",
		"syntax.star":    "x = 1\ny = x +\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, runErr, runStatus := runKstar(t, "", path)
			_, checkErr, checkStatus := runKstar(t, "", "check", path)
			if runStatus != 1 || checkStatus != 1 {
				t.Errorf("status: run %d, check %d; want 1 and 1", runStatus, checkStatus)
			}
			if name == "undefined.star" {
				// The run's traceback has its header and "in <module>".
				runErr = strings.Replace(strings.TrimPrefix(runErr, "Traceback (most recent call last):\n"), ", in <module>", "", 1)
			}
			if checkErr != runErr {
				t.Errorf("kstar check printed\n%s\na run printed\n%s", checkErr, runErr)
			}
		})
	}
}
