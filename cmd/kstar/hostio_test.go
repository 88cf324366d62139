package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/internal/testenv"
)

// TestHostIOMatchesPython runs the scripts of testdata/hostio with python3
// and with kstar, each in a fresh temporary directory with the same
// standard input, and requires the same stdout, stderr and exit status,
// and the same files left in the directory: open() in every mode,
// encodings and newline handling, codecs.open, sys.stdin, input(),
// os.path and the errors of missing files and bad arguments.
func TestHostIOMatchesPython(t *testing.T) {
	python := testenv.Python(t)
	const stdin = "bob\nsecond\r\nthird\nstop here\nafter\nmore\n"
	cases := []struct {
		script string
		// lastLine compares only the last line of stderr: CPython's
		// traceback shows the source line, kstar's the same positions.
		lastLine bool
	}{
		{"files.py", false},
		{"paths.py", false},
		{"stdin.py", false},
		{"host.py", false},
		{"missing.py", true},
		{"unclosed.py", false},
		{"with_files.py", true},
		{"codecs_open.py", false},
		{"stdin_buffer.py", false},
	}
	src, err := filepath.Abs("../../testdata/hostio")
	if err != nil {
		t.Fatal(err)
	}
	run := func(prog, script string) (stdout, stderr string, status int, files map[string]string) {
		dir := t.TempDir()
		data, err := os.ReadFile(filepath.Join(src, script))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, script), data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, prog, script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "KSTAR_BOOTSTRAP_SERVERS=", "PYTHONIOENCODING=utf-8")
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("running %s: %v", prog, err)
			}
			status = ee.ExitCode()
		}
		files = map[string]string{}
		err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			files[rel] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), status, files
	}
	lastLine := func(s string) string {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		return lines[len(lines)-1]
	}
	for _, c := range cases {
		t.Run(c.script, func(t *testing.T) {
			out, errOut, status, files := run(kstarBin, c.script)
			pyOut, pyErr, pyStatus, pyFiles := run(python, c.script)
			if c.lastLine {
				errOut, pyErr = lastLine(errOut), lastLine(pyErr)
			}
			if out != pyOut || errOut != pyErr || status != pyStatus {
				t.Errorf("kstar: status %d\nstdout:\n%s\nstderr:\n%s\npython3: status %d\nstdout:\n%s\nstderr:\n%s",
					status, out, errOut, pyStatus, pyOut, pyErr)
			}
			if len(files) != len(pyFiles) {
				t.Errorf("kstar left files %q, python3 %q", keys(files), keys(pyFiles))
			}
			for name, content := range pyFiles {
				if files[name] != content {
					t.Errorf("%s: kstar wrote %q, python3 %q", name, files[name], content)
				}
			}
		})
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
