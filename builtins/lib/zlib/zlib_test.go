package zlib_test

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/builtins/lib/zlib"
	"github.com/kstar-dev/kstar/internal/testenv"
)

// TestCPythonDecompressesOutput checks that CPython's zlib decompresses
// what Compress writes, in every container, level and window, and gets
// the data back: the deflate bytes differ from CPython's own, the
// streams must not.
func TestCPythonDecompressesOutput(t *testing.T) {
	python := testenv.Python(t)
	inputs := []string{"", "x", "hello world", strings.Repeat("kafka record ", 500), strings.Repeat("\x00\x01\x02\xff", 2000)}
	var script strings.Builder
	script.WriteString("import zlib\nok = 0\ninputs = [")
	for _, data := range inputs {
		script.WriteString(pyBytes([]byte(data)) + ", ")
	}
	script.WriteString("]\n")
	for i, data := range inputs {
		for _, level := range []int{-1, 0, 1, 6, 9} {
			for _, wbits := range []int{9, 12, 15, -9, -15, 25, 31} {
				out, err := zlib.Compress(data, level, wbits)
				if err != nil {
					t.Fatalf("Compress(level=%d, wbits=%d): %v", level, wbits, err)
				}
				fmt.Fprintf(&script, "if zlib.decompress(%s, %d) != inputs[%d]: print('input %d level %d wbits %d differs')\nok += 1\n",
					pyBytes(out), wbits, i, i, level, wbits)
			}
		}
	}
	script.WriteString("print(ok)\n")
	cmd := exec.Command(python, "-")
	cmd.Stdin = strings.NewReader(script.String())
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, got)
	}
	if want := fmt.Sprint(len(inputs)*5*7) + "\n"; string(got) != want {
		t.Errorf("CPython printed %q, want %q", got, want)
	}
}

// pyBytes renders b as a Python bytes literal.
func pyBytes(b []byte) string {
	var s strings.Builder
	s.WriteString("b'")
	for _, c := range b {
		fmt.Fprintf(&s, "\\x%02x", c)
	}
	s.WriteString("'")
	return s.String()
}
