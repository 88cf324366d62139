package runtime

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// TestGlobalsAndModulesUnchanged: the predeclared globals, the importable
// modules and each module's members are those kstar had before its
// registries became explicit tables (issue 15); the golden file was
// written from the registries; KSTAR_UPDATE_MEMBERS=1 rewrites it when a change is
// meant.
func TestGlobalsAndModulesUnchanged(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "globals %q\n", sortedKeys(globals()))
	modules := documentedModules(py.NewEnv())
	for _, name := range sortedKeys(modules) {
		names := modules[name].(starlark.HasAttrs).AttrNames()
		sort.Strings(names)
		fmt.Fprintf(&b, "%s %q\n", name, names)
	}
	want, err := os.ReadFile("../testdata/layering/members.golden")
	if err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if os.Getenv("KSTAR_UPDATE_MEMBERS") != "" && got != string(want) {
		if err := os.WriteFile("../testdata/layering/members.golden", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != string(want) {
		t.Errorf("globals or modules changed (KSTAR_UPDATE_MEMBERS=1 go test ./runtime -run TestGlobalsAndModulesUnchanged rewrites the file):\n%s", lineDiff(string(want), got))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var out []string
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
