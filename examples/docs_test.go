package examples_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/version"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsShowCompiledCode checks that every Go snippet in README.md and
// docs/embedding.md is code that go test compiles and runs, as it is
// written: a whole program under examples/, or the body of an Example
// function (with its Output comment) in runtime/ or pipeline/.
func TestDocsShowCompiledCode(t *testing.T) {
	compiled := map[string]bool{} // the text of each program and Example body
	programs, err := filepath.Glob("*/main.go")
	if err != nil || len(programs) == 0 {
		t.Fatalf("no programs under examples/: %v", err)
	}
	for _, program := range programs {
		compiled[readFile(t, program)] = true
	}
	for _, file := range []string{"../runtime/example_test.go", "../pipeline/example_test.go"} {
		for _, body := range exampleBodies(t, file) {
			compiled[body] = true
		}
	}
	for _, doc := range []string{"../README.md", "../docs/embedding.md"} {
		snippets := goSnippets(readFile(t, doc))
		if len(snippets) == 0 {
			t.Errorf("%s shows no Go snippet", doc)
		}
		for line, snippet := range snippets {
			if !compiled[snippet] {
				t.Errorf("%s:%d: this Go snippet is neither a program under examples/ nor the body of an Example function in runtime/ or pipeline/:\n%s", doc, line, snippet)
			}
		}
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// goSnippets returns the ```go blocks of a markdown text by the line of
// their opening fence.
func goSnippets(markdown string) map[int]string {
	snippets := map[int]string{}
	var block []string
	start := 0
	for i, line := range strings.Split(markdown, "\n") {
		switch {
		case start == 0 && line == "```go":
			start, block = i+1, nil
		case start > 0 && line == "```":
			snippets[start] = strings.Join(block, "\n") + "\n"
			start = 0
		case start > 0:
			block = append(block, line)
		}
	}
	return snippets
}

// exampleBodies returns the bodies of a file's Example functions, one tab
// of indentation removed, as a doc would show them.
func exampleBodies(t *testing.T, file string) []string {
	t.Helper()
	src := readFile(t, file)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || !strings.HasPrefix(fn.Name.Name, "Example") {
			continue
		}
		body := src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset]
		lines := strings.Split(strings.TrimPrefix(body, "\n"), "\n")
		for i, line := range lines {
			lines[i] = strings.TrimPrefix(line, "\t")
		}
		bodies = append(bodies, strings.Join(lines, "\n"))
	}
	return bodies
}

// TestGoVersion checks that go.mod asks for the Go release kstar really
// needs, the newest one its dependencies' go.mod files require (asking for
// a later patch release makes Go toolchains that build kstar refuse it or
// download another), and that the README names it.
func TestGoVersion(t *testing.T) {
	directive := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(readFile(t, "../go.mod"))
	if directive == nil {
		t.Fatal("go.mod has no go directive")
	}
	cmd := exec.Command("go", "list", "-m", "-f", "{{if not .Main}}{{.GoVersion}} {{.Path}}{{end}}", "all")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -m all: %v", err)
	}
	need, neededBy := "go1", "nothing"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if v, path, ok := strings.Cut(line, " "); ok && version.Compare("go"+v, need) > 0 {
			need, neededBy = "go"+v, path
		}
	}
	if "go"+directive[1] != need {
		t.Errorf("go.mod says go %s; the dependencies need %s (%s)", directive[1], need, neededBy)
	}
	if want := "With Go " + strings.TrimPrefix(version.Lang(need), "go") + " or newer"; !strings.Contains(readFile(t, "../README.md"), want) {
		t.Errorf("README.md does not say %q", want)
	}
}
