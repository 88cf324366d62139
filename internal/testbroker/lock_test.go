package testbroker

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTB is a test that records its cleanups and its failure, so that
// lock's waiting and failing can be watched from a real test.
type fakeTB struct {
	testing.TB
	name     string
	mu       sync.Mutex
	cleanups []func()
	failure  string
}

func (f *fakeTB) Name() string              { return f.name }
func (f *fakeTB) Helper()                   {}
func (f *fakeTB) Cleanup(fn func())         { f.mu.Lock(); f.cleanups = append(f.cleanups, fn); f.mu.Unlock() }
func (f *fakeTB) Fatal(args ...any)         { f.fail(fmt.Sprint(args...)) }
func (f *fakeTB) Fatalf(s string, a ...any) { f.fail(fmt.Sprintf(s, a...)) }

func (f *fakeTB) fail(msg string) {
	f.mu.Lock()
	f.failure = msg
	f.mu.Unlock()
	runtime.Goexit()
}

// end runs the fake test's cleanups, releasing its lock.
func (f *fakeTB) end() {
	f.mu.Lock()
	fns := f.cleanups
	f.cleanups = nil
	f.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// lockAsync takes the lock in a goroutine; the channel closes when lock
// returns (locked or failed).
func lockAsync(tb *fakeTB, key string, exclusive bool) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		lock(tb, key, exclusive)
	}()
	return done
}

func returned(ch <-chan struct{}, within time.Duration) bool {
	select {
	case <-ch:
		return true
	case <-time.After(within):
		return false
	}
}

func TestLockOrdersTests(t *testing.T) {
	key := "lock-test-" + UniqueName(t, "k")
	t.Cleanup(func() { os.Remove(lockPath(key)) })
	a, b, c := &fakeTB{name: "a"}, &fakeTB{name: "b"}, &fakeTB{name: "c"}

	if !returned(lockAsync(a, key, false), time.Second) || !returned(lockAsync(b, key, false), time.Second) {
		t.Fatal("two shared holders should not wait for each other")
	}
	excl := lockAsync(c, key, true)
	if returned(excl, 200*time.Millisecond) {
		t.Fatal("the exclusive lock was granted while shared holders remain")
	}
	a.end()
	if returned(excl, 200*time.Millisecond) {
		t.Fatal("the exclusive lock was granted while a shared holder remains")
	}
	b.end()
	if !returned(excl, 2*time.Second) {
		t.Fatal("the exclusive lock was not granted once the shared holders ended")
	}
	d := &fakeTB{name: "d"}
	shared := lockAsync(d, key, false)
	if returned(shared, 200*time.Millisecond) {
		t.Fatal("a shared lock was granted while an exclusive holder remains")
	}
	c.end()
	if !returned(shared, 2*time.Second) {
		t.Fatal("the shared lock was not granted once the exclusive holder ended")
	}
	lock(d, key, false) // again in the same test: no wait
	d.end()
}

func TestLockReportsLocalDeadlock(t *testing.T) {
	old := LockDeadlockTimeout
	LockDeadlockTimeout = 300 * time.Millisecond
	defer func() { LockDeadlockTimeout = old }()
	key := "lock-test-" + UniqueName(t, "k")
	t.Cleanup(func() { os.Remove(lockPath(key)) })
	holder, waiter := &fakeTB{name: "TestHolder"}, &fakeTB{name: "TestWaiter"}
	lock(holder, key, true)
	defer holder.end()
	if !returned(lockAsync(waiter, key, true), 5*time.Second) {
		t.Fatal("the waiter never gave up")
	}
	if !strings.Contains(waiter.failure, "held by TestHolder in this process") {
		t.Errorf("failure = %q, want it to name the holder", waiter.failure)
	}
}
