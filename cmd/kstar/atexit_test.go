package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/internal/testenv"
)

// TestAtexitMatchesPython runs the scripts of testdata/atexit with python3
// and with kstar, stdout and stderr into one stream, and requires the
// same output (function addresses and the script's directory aside)
// and exit status: the atexit
// handlers run last registered first, after the traceback of an uncaught
// exception, the message of sys.exit or KeyboardInterrupt's traceback,
// after the threads that are not daemon and before generators left
// suspended close; what a handler raises is printed as CPython prints
// it.
func TestAtexitMatchesPython(t *testing.T) {
	python := testenv.Python(t)
	dir, err := filepath.Abs("../../testdata/atexit")
	if err != nil {
		t.Fatal(err)
	}
	scripts, _ := filepath.Glob(filepath.Join(dir, "*.py"))
	if len(scripts) == 0 {
		t.Fatal("no scripts in testdata/atexit")
	}
	address := regexp.MustCompile(`0x[0-9a-f]+`)
	run := func(prog, script string) (string, int) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, prog, filepath.Base(script))
		cmd.Dir = filepath.Dir(script)
		cmd.Env = append(os.Environ(), "KSTAR_BOOTSTRAP_SERVERS=", "PYTHONUNBUFFERED=1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		status := 0
		if err := cmd.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("running %s: %v", prog, err)
			}
			status = ee.ExitCode()
			if status == -1 && !ee.Exited() { // CPython ends an uncaught KeyboardInterrupt by SIGINT: a shell shows 130
				status = 130
			}
		}
		// CPython's tracebacks name the script by its absolute path.
		text := strings.ReplaceAll(out.String(), dir+string(filepath.Separator), "")
		return address.ReplaceAllString(text, "0x..."), status
	}
	for _, script := range scripts {
		t.Run(filepath.Base(script), func(t *testing.T) {
			out, status := run(kstarBin, script)
			pyOut, pyStatus := run(python, script)
			if out != pyOut || status != pyStatus {
				t.Errorf("kstar: status %d\n%s\npython3: status %d\n%s", status, out, pyStatus, pyOut)
			}
		})
	}
}
