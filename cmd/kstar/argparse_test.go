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

// TestArgparseMatchesPython runs the scripts of testdata/argparse with
// python3 and with kstar, with the same command lines, and requires the
// same stdout, stderr and exit status: parsed namespaces, --help and
// --version, usage errors (exit 2), wrapped at 80 columns and at
// $COLUMNS.
func TestArgparseMatchesPython(t *testing.T) {
	python := testenv.Python(t)
	cases := []struct {
		script  string
		columns string
		argv    string
	}{
		{"produce.py", "", ""},
		{"produce.py", "", "--help"},
		{"produce.py", "60", "--help"},
		{"produce.py", "", "events a b -n 3 -vv -H k=v -H x=y"},
		{"produce.py", "", "events --acks 2"},
		{"produce.py", "", "events -n x"},
		{"produce.py", "", "--json --msgpack t"},
		{"produce.py", "", "t --bogus"},
		{"produce.py", "", "t --bootstrap=h:1 --dry"},
		{"produce.py", "", "t --rat 0.5"},
		{"produce.py", "", "--version"},
		{"produce.py", "", "t -n"},
		{"produce.py", "", "t --co 2 -- -x"},
		{"tool.py", "", ""},
		{"tool.py", "", "--help"},
		{"tool.py", "50", "--help"},
		{"tool.py", "", "--client-id x produce t"},
		{"tool.py", "", "--client-id x p t v --partition 2"},
		{"tool.py", "", "--client-id x p t --partition 5"},
		{"tool.py", "", "--client-id x consume a b -g grp --from-beginning --max 1 2 --zzz"},
		{"tool.py", "", "--client-id x consume --help"},
		{"tool.py", "", "--client-id x produce --help"},
		{"tool.py", "", "--client-id x zap"},
		{"tool.py", "", "--timeout-ms -3 --client-id x p t"},
		{"tool.py", "", "--timeout-ms abc"},
		{"tool.py", "", "--client-id x consume"},
		{"tool.py", "", "--brokers a:1 b:2 --client-id=c consume t"},
		{"misc.py", "", ""},
		{"misc.py", "", "-h"},
		{"misc.py", "100", "-h"},
		{"misc.py", "", "api"},
		{"misc.py", "", "--read -x"},
		{"misc.py", "", "--read --write"},
		{"misc.py", "", "--write --verbose 1"},
		{"misc.py", "", "--read --verbose-l 2"},
		{"misc.py", "", "--read --pair a b c d e"},
		{"misc.py", "", "--read --pair a"},
		{"misc.py", "", "--read --opt"},
		{"misc.py", "", "--read --opt v --tag --tag --add 1 2 --add 3"},
		{"misc.py", "", "--read -z -1"},
		{"misc.py", "", "--read -1 -2 3"},
		{"misc.py", "", "--read -xyz 7"},
		{"misc.py", "", "--read -xq"},
		{"misc.py", "", "--read --po=99 --ho=h"},
		{"misc.py", "", "--read -- -x -y"},
	}
	dir, err := filepath.Abs("../../testdata/argparse")
	if err != nil {
		t.Fatal(err)
	}
	run := func(columns, prog string, args ...string) (string, string, int) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, prog, args...)
		cmd.Dir = dir
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "COLUMNS=") {
				env = append(env, kv)
			}
		}
		if columns != "" {
			env = append(env, "COLUMNS="+columns)
		}
		cmd.Env = append(env, "KSTAR_BOOTSTRAP_SERVERS=")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		status := 0
		if err := cmd.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("running %s: %v", prog, err)
			}
			status = ee.ExitCode()
		}
		return stdout.String(), stderr.String(), status
	}
	for _, c := range cases {
		t.Run(c.script+" "+c.argv+" COLUMNS="+c.columns, func(t *testing.T) {
			args := append([]string{c.script}, strings.Fields(c.argv)...)
			out, errOut, status := run(c.columns, kstarBin, args...)
			pyOut, pyErr, pyStatus := run(c.columns, python, args...)
			if out != pyOut || errOut != pyErr || status != pyStatus {
				t.Errorf("kstar: status %d\nstdout:\n%s\nstderr:\n%s\npython3: status %d\nstdout:\n%s\nstderr:\n%s",
					status, out, errOut, pyStatus, pyOut, pyErr)
			}
		})
	}
}
