package runtime_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/runtime"
)

// TestHugeSourceLines checks the errors of scripts whose one line is
// megabytes long: the last line is CPython's, and a quoted source line
// is cut to the characters around the error instead of being printed
// whole (CPython prints it whole). Each takes well under a second.
func TestHugeSourceLines(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string // the whole output; for a cut quote, its last line
		quoted    byte   // for a cut quote: the character above the caret
	}{
		// CPython 3.11 runs out of compiler recursion and, as for every
		// error of its compiler's recursion, names no line.
		{name: "5,000,000-term sum", src: "x = 1" + strings.Repeat("+1", 5_000_000-1) + "\nprint(x)\n",
			want: "RecursionError: maximum recursion depth exceeded during compilation\n"},
		{name: "attribute chain", src: "x = a" + strings.Repeat(".b", 100_000) + "\n",
			want: "RecursionError: maximum recursion depth exceeded during compilation\n"},
		{name: "syntax error at the end", src: "x = [" + strings.Repeat("1, ", 100_000) + "1 +]\n",
			want: "SyntaxError: invalid syntax", quoted: ']'},
		{name: "syntax error at the start", src: "x = [1 +" + strings.Repeat(", 1", 100_000) + "]\n",
			want: "SyntaxError: invalid syntax", quoted: ','},
		{name: "run-time error", src: "x = [" + strings.Repeat("1, ", 100_000) + "1] + None\n",
			want: `TypeError: can only concatenate list (not "NoneType") to list`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			rt := runtime.New(runtime.WithStdout(&out), runtime.WithStderr(&out), runtime.WithoutLimits())
			err := rt.ExecFile(context.Background(), "huge.py", []byte(tc.src), []string{"huge.py"})
			if err == nil {
				t.Fatalf("no error; output %.200q", out.String())
			}
			got := runtime.FormatError(err)
			if !strings.Contains(tc.want, "\n") {
				lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
				if last := lines[len(lines)-1]; last != tc.want {
					t.Fatalf("last line %q, want %q", last, tc.want)
				}
				for _, line := range lines {
					if len(line) > 220 {
						t.Fatalf("a line of %d bytes: %.100q...", len(line), line)
					}
				}
				if tc.quoted != 0 {
					quote, caret := lines[len(lines)-3], lines[len(lines)-2]
					if i := strings.IndexByte(caret, '^'); i < 0 || i >= len(quote) || quote[i] != tc.quoted {
						t.Fatalf("the caret is not under %q:\n%s\n%s", tc.quoted, quote, caret)
					}
				}
				return
			}
			if got != tc.want {
				t.Fatalf("got %.500q, want %q", got, tc.want)
			}
		})
	}
}
