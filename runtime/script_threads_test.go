package runtime_test

import (
	"context"
	goruntime "runtime"
	"testing"
	"time"
)

// A thread a Script's call starts and never ends (here, one that spins
// for ever) is stopped when the host closes the Script, so hostile or
// careless scripts leave no goroutine running in the host.
func TestScriptCloseStopsThreads(t *testing.T) {
	warm := load(t, "x = 1\n") // the runtime's own goroutines (its memory watcher) start once
	warm.Close()
	before := goruntime.NumGoroutine()
	s := load(t, `
import threading

def spin():
    while True:
        pass

def start():
    threading.Thread(target=spin).start()
    return "started"
`)
	if got, err := s.Call(context.Background(), "start"); err != nil || got.String() != `"started"` {
		t.Fatalf("start() = %v, %v", got, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); goruntime.NumGoroutine() > before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines 10 s after Close, %d before the script", goruntime.NumGoroutine(), before)
		}
	}
}
