package kafka

import (
	"os"
	"strings"
	"testing"
)

// checkConfigDoc checks a page (docs/*.md, the README) that holds a key
// table as its function renders it: every key says what kstar does with
// it, and the page's table (from its header row up to
// "<!-- end of table -->") is the current one. KSTAR_UPDATE_DOCS=1
// rewrites the page's table instead of failing.
func checkConfigDoc(t *testing.T, file, table string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(table), "\n")[2:] {
		if strings.HasSuffix(line, "|  |") {
			t.Errorf("undocumented key: %s", line)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	header, _, _ := strings.Cut(table, "\n")
	start := strings.Index(doc, header)
	end := strings.Index(doc, "<!-- end of table -->")
	if start < 0 || end < start {
		t.Fatalf("%s has no table followed by <!-- end of table -->", file)
	}
	if doc[start:end] == table {
		return
	}
	if os.Getenv("KSTAR_UPDATE_DOCS") != "" {
		if err := os.WriteFile(file, []byte(doc[:start]+table+doc[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date; run with KSTAR_UPDATE_DOCS=1", file)
}

// The README lists every key that is accepted and ignored, with the reason.
func TestIgnoredKeysInREADME(t *testing.T) {
	checkConfigDoc(t, "../../README.md", IgnoredConfigTable())
}
