// Package testenv finds the outside programs that compatibility tests
// compare kstar against (CPython and its packages, kcat), skipping a test
// when one is missing on a developer's machine and failing it in CI, where
// KSTAR_REQUIRE_PYTHON=1 says the references must be there.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Python returns the path of python3 after checking that it can import
// every module named. Without them the test is skipped with a message
// naming what is missing, or fails when KSTAR_REQUIRE_PYTHON is set.
func Python(t testing.TB, modules ...string) string {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err != nil {
		missing(t, "python3 is not installed")
		return ""
	}
	for _, m := range modules {
		if out, err := exec.Command(path, "-c", "import "+m).CombinedOutput(); err != nil {
			missing(t, "python3 cannot import "+m+": "+string(out))
			return ""
		}
	}
	return path
}

// Command returns the path of the program name (such as "kcat") found on
// PATH. Without it the test is skipped with a message naming it, or fails
// when KSTAR_REQUIRE_PYTHON is set (CI installs every reference program).
func Command(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" is not installed")
		return ""
	}
	return path
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("KSTAR_REQUIRE_PYTHON") != "" {
		t.Fatalf("%s (KSTAR_REQUIRE_PYTHON is set, so this comparison may not be skipped)", why)
	}
	t.Skipf("skipping comparison with a reference client: %s", why)
}
