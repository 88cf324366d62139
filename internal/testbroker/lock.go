package testbroker

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/internal/flock"
)

// LockDeadlockTimeout bounds how long a test waits for the cluster lock
// while another test of the same process holds it. Such a wait only lasts
// that long when the holder has parallel subtests that cannot start because
// every parallel slot is taken by tests waiting for the lock: the waiting
// test then fails, naming the holder. Default: 2 minutes.
var LockDeadlockTimeout = 2 * time.Minute

// held records the tests of this process holding the cluster lock, and
// whether exclusively, so that a second call in the same test does not wait
// for itself and a long wait can name the holders.
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
	path := lockPath(bootstrap)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		t.Fatalf("testbroker: opening lock file: %v", err)
	}
	var (
		holders string
		since   = time.Now()
		pause   = 10 * time.Millisecond
	)
	for {
		ok, err := flock.TryLock(f, exclusive)
		if err != nil {
			f.Close()
			t.Fatalf("testbroker: locking %s (tests against KSTAR_TEST_BROKERS need flock, on a Unix system): %v", path, err)
		}
		if ok {
			break
		}
		if h := localHolders(); h != holders {
			holders, since = h, time.Now()
		}
		if holders != "" && time.Since(since) > LockDeadlockTimeout {
			f.Close()
			t.Fatalf("testbroker: waited %v for the broker lock held by %s in this process; "+
				"a test holding it whose subtests call t.Parallel() deadlocks once tests waiting "+
				"for the lock take every parallel slot: call Isolated in the subtests, or drop their t.Parallel()",
				LockDeadlockTimeout, holders)
		}
		time.Sleep(pause)
		pause = min(2*pause, 200*time.Millisecond)
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

// lockPath is the lock file of the cluster at bootstrap.
func lockPath(bootstrap string) string {
	return filepath.Join(os.TempDir(), "kstar-testbroker-"+unsafeChars.ReplaceAllString(bootstrap, "_")+".lock")
}

// localHolders names the tests of this process holding the lock.
func localHolders() string {
	heldMu.Lock()
	defer heldMu.Unlock()
	var names []string
	for t := range held {
		names = append(names, t.Name())
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
