package pysyntax

import (
	"fmt"
	"os/exec"
	"testing"
	"unicode/utf8"
)

// TestCharacterClassesAreCPythons compares, for every code point, which
// characters Python 3.11 prints as themselves in a repr and accepts in
// names with isPrintable, isIDStart and isIDContinue.
func TestCharacterClassesAreCPythons(t *testing.T) {
	py := python3(t)
	script := `
import sys
out = bytearray()
for r in range(0x110000):
    c = chr(r)
    out.append(48 + c.isprintable() + 2 * c.isidentifier() + 4 * ("a" + c).isidentifier())
sys.stdout.buffer.write(out)
`
	out, err := exec.Command(py, "-c", script).Output()
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != utf8.MaxRune+1 {
		t.Fatalf("got %d classes", len(out))
	}
	var diffs []string
	for r := rune(0); r <= utf8.MaxRune; r++ {
		want := out[r] - '0'
		var got byte
		if isPrintable(r) {
			got |= 1
		}
		if isIDStart(r) {
			got |= 2
		}
		if isIDContinue(r) {
			got |= 4
		}
		if got != want && len(diffs) < 20 {
			diffs = append(diffs, fmt.Sprintf("U+%04X %d/%d", r, got, want))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("classes (printable=1, start=2, continue=4) ours/CPython's differ: %v", diffs)
	}
}
