package py

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"go.starlark.net/starlark"
)

// heldThread returns a thread holding a new interpreter's lock, under ctx.
func heldThread(ctx context.Context) (*starlark.Thread, *Interp) {
	thread := &starlark.Thread{Name: "main"}
	env := NewEnv()
	env.SetContext(ctx)
	env.Attach(thread)
	in := NewInterp()
	in.Attach(thread)
	in.Acquire(thread)
	return thread, in
}

// TestFinishWaitsForThreadsNotDaemon: Finish returns once the threads
// that are not daemon ended, and cancels a daemon thread that still runs.
func TestFinishWaitsForThreadsNotDaemon(t *testing.T) {
	main, in := heldThread(context.Background())
	release := make(chan struct{})
	worker, _ := Start(main, "worker", false, func(thread *starlark.Thread) {
		Unlocked(thread, func() { <-release })
	})
	daemon, _ := Start(main, "daemon", true, func(thread *starlark.Thread) {
		Unlocked(thread, func() { <-release })
	})
	finished := make(chan error)
	go func() { finished <- in.Finish(main, Forever) }()
	select {
	case <-finished:
		t.Fatal("Finish returned while a thread that is not daemon ran")
	case <-worker.Done():
		t.Fatal("the worker ended before it was released")
	default:
	}
	close(release)
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	select {
	case <-worker.Done():
	default:
		t.Error("Finish returned before the worker ended")
	}
	if !in.Finished() {
		t.Error("Finished() is false after Finish")
	}
	in.Release(main)
	<-daemon.Done()
}

// TestFinishInterrupted: Finish ends with the execution's interruption
// while a thread still runs.
func TestFinishInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	main, in := heldThread(ctx)
	defer in.Release(main)
	stuck := make(chan struct{})
	defer close(stuck)
	Start(main, "stuck", false, func(thread *starlark.Thread) { Unlocked(thread, func() { <-stuck }) })
	cancel()
	if err := in.Finish(main, Forever); err == nil {
		t.Fatal("Finish of an interrupted execution returned no error")
	}
}

// TestYieldHandsOver: a thread that keeps the lock gives it to a waiting
// thread once the switch interval passed, and only then.
func TestYieldHandsOver(t *testing.T) {
	main, in := heldThread(context.Background())
	ran := make(chan struct{})
	other, _ := Start(main, "other", false, func(*starlark.Thread) { close(ran) })
	for in.waiting.Load() == 0 { // until the other thread waits in Acquire
		runtime.Gosched()
	}
	Yield(main) // starts the interval
	select {
	case <-ran:
		t.Fatal("the waiting thread ran before the switch interval passed")
	default:
	}
	for {
		Yield(main)
		select {
		case <-ran:
			<-other.Done()
			in.Release(main)
			return
		default:
		}
	}
}

// BenchmarkUnlocked is what a blocking builtin pays for releasing and
// taking back the lock when no other thread waits.
func BenchmarkUnlocked(b *testing.B) {
	main, in := heldThread(context.Background())
	defer in.Release(main)
	for b.Loop() {
		Unlocked(main, func() {})
	}
}

// BenchmarkYieldNobodyWaits is the step hook's cost when no thread waits.
func BenchmarkYieldNobodyWaits(b *testing.B) {
	main, in := heldThread(context.Background())
	defer in.Release(main)
	for b.Loop() {
		Yield(main)
	}
}

// BenchmarkHandoff is one hand-off of the lock between two goroutines
// that take turns holding it (Release wakes the other, which waits in
// Acquire).
func BenchmarkHandoff(b *testing.B) {
	main, in := heldThread(context.Background())
	other := &starlark.Thread{Name: "other"}
	in.Attach(other)
	n := b.N
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range n / 2 {
			in.Acquire(other)
			in.Release(other)
		}
	}()
	b.ResetTimer()
	for range n - n/2 {
		in.Release(main)
		in.Acquire(main)
	}
	in.Release(main)
	wg.Wait()
}
