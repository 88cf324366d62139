package testbroker

import (
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
)

// held records, per test, whether it holds the cluster lock exclusively, so
// that a second call in the same test does not wait for itself.
var (
	heldMu sync.Mutex
	held   = map[testing.TB]bool{}
)

// unsafeChars matches each character that may not appear in a topic name
// or lock file name (run-broker.sh computes the same lock file name).
var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9.-]`)

// lock takes the lock on the external cluster at bootstrap for the rest of
// test t: shared (other tests may use the cluster too) or exclusive (no
// other test in any process may). It is a file lock in os.TempDir() named
// after bootstrap, so it also orders the test binaries of different
// packages that `go test ./...` runs at once.
func lock(t testing.TB, bootstrap string, exclusive bool) {
	t.Helper()
	heldMu.Lock()
	excl, ok := held[t]
	heldMu.Unlock()
	if ok {
		if exclusive && !excl {
			t.Fatal("testbroker: call Isolated before (and instead of) Bootstrap or SASL in a test")
		}
		return
	}
	path := filepath.Join(os.TempDir(), "kstar-testbroker-"+unsafeChars.ReplaceAllString(bootstrap, "_")+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		t.Fatalf("testbroker: opening lock file: %v", err)
	}
	if err := flock(f, exclusive); err != nil {
		f.Close()
		t.Fatalf("testbroker: locking %s: %v", path, err)
	}
	heldMu.Lock()
	held[t] = exclusive
	heldMu.Unlock()
	t.Cleanup(func() {
		heldMu.Lock()
		delete(held, t)
		heldMu.Unlock()
		f.Close() // closing the file releases the lock
	})
}
