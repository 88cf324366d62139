package frontend

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCompatibilityDocsMatchTests keeps what README.md and
// docs/compatibility.md say about Python checked against the tests: every
// testdata/python script the docs name exists with its golden output,
// docs/compatibility.md names every script of testdata/python (its table
// "Python, construct by construct" says what each proves), every
// construct the front end refuses is in its refusals table with the
// message kstar gives, and every message the table quotes is one that a
// case of syntaxErrorCases produces.
func TestCompatibilityDocsMatchTests(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	compat, readme := read("../docs/compatibility.md"), read("../README.md")
	scripts, _ := filepath.Glob("../testdata/python/*.star")
	if len(scripts) == 0 {
		t.Fatal("no scripts in testdata/python")
	}
	named := map[string]bool{} // the scripts docs/compatibility.md names
	mention := regexp.MustCompile(`testdata/python/[A-Za-z0-9_*]+\.star`)
	for doc, text := range map[string]string{"docs/compatibility.md": compat, "README.md": readme} {
		for _, m := range mention.FindAllString(text, -1) {
			matches, _ := filepath.Glob("../" + m)
			if len(matches) == 0 {
				t.Errorf("%s names %s: no such script", doc, m)
			}
			for _, script := range matches {
				if _, err := os.Stat(strings.TrimSuffix(script, ".star") + ".golden"); err != nil {
					t.Errorf("%s names %s: %v", doc, m, err)
				}
				if doc == "docs/compatibility.md" {
					named[script] = true
				}
			}
		}
	}
	for _, script := range scripts {
		if !named[script] {
			t.Errorf("docs/compatibility.md does not say what %s proves (add it to the table \"Python, construct by construct\")", strings.TrimPrefix(script, "../"))
		}
	}

	produced := map[string]bool{} // the messages of syntaxErrorCases, without file:line:col
	for _, tc := range syntaxErrorCases {
		if _, msg, ok := strings.Cut(strings.TrimPrefix(tc.want, "t.py:"), ": "); ok {
			produced[msg] = true
		}
	}
	for construct, msg := range unsupported {
		if !strings.Contains(compat, "`"+msg+"`") {
			t.Errorf("docs/compatibility.md's refusals table lacks %s: `%s`", construct, msg)
		}
		if !produced[msg] {
			t.Errorf("no case of syntaxErrorCases produces %q", msg)
		}
	}
	quoted := regexp.MustCompile("`(kstar (?:does not support|supports|cannot) [^`]*)`")
	for _, m := range quoted.FindAllStringSubmatch(compat, -1) {
		if !produced[m[1]] {
			t.Errorf("docs/compatibility.md quotes %q, which no case of syntaxErrorCases produces", m[1])
		}
	}
}
