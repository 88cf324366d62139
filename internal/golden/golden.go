// Package golden holds what kstar's golden-output tests share: the
// normaliser that replaces what changes from run to run (timestamps,
// object addresses, broker ports) with fixed placeholders, and the
// -update flag handling of .golden files.
package golden

import (
	"os"
	"regexp"
	"testing"
)

var normalisers = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`\b1[5-9]\d{11}\b`), "<TIMESTAMP>"},
	{regexp.MustCompile(`0x[0-9a-f]{6,}`), "0x<ADDR>"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:<PORT>"},
}

// Normalise replaces what changes from run to run with fixed placeholders:
// millisecond timestamps from 2017 to 2286 become <TIMESTAMP>, object
// addresses 0x<ADDR>, and loopback ports 127.0.0.1:<PORT>.
func Normalise(s string) string {
	for _, n := range normalisers {
		s = n.re.ReplaceAllString(s, n.repl)
	}
	return s
}

// Check compares got with the contents of file; with update set it
// rewrites file instead. A missing file is an error that says how to
// create it.
func Check(t testing.TB, file, got string, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("missing golden file (run the test with -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s\n%s", file, Diff(string(want), got))
	}
}
