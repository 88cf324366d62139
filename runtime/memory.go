package runtime

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
	"weak"
)

// How WithMaxMemory is enforced. Go cannot tell which goroutine holds
// which memory, so an execution is charged with the growth of the
// process's heap since it began. A watcher goroutine samples the heap
// (runtime/metrics: the bytes of heap objects, live or not yet collected)
// every watchInterval while executions with a limit run; when one seems
// past its limit, it collects garbage to measure what is really live, and
// stops those still past it with MemoryError (cancelling their thread,
// which a script sees at its next step, and a builtin at its next look
// at its Limiter). Builtins that know a size before allocating ask
// first (governor.Reserve). The watcher sleeps while no such execution
// runs.

// watchInterval is how often the watcher samples the heap while an
// execution with a memory limit runs.
const watchInterval = time.Millisecond

// heapMetric is the runtime/metrics sample the watcher reads.
const heapMetric = "/memory/classes/heap/objects:bytes"

// watcher is the process's heap watcher.
var watcher = &heapWatcher{wake: make(chan struct{}, 1)}

// heapWatcher samples the heap for the governors registered with it.
type heapWatcher struct {
	heap  atomic.Int64 // the last sample
	clock atomic.Int64 // time.Now's Unix nanoseconds at the last sample
	idle  atomic.Bool  // the loop sleeps until woken
	wake  chan struct{}
	// started is set once the loop has sampled; idleTicks counts the
	// samples since an execution last began.
	started   atomic.Bool
	idleTicks int
	once      sync.Once

	mu   sync.Mutex
	govs []weak.Pointer[governor] // dropped once collected

	sampleMu sync.Mutex
	sample   [1]metrics.Sample

	gcMu     sync.Mutex
	gcGen    atomic.Uint64 // counts the collections live ran
	lastLive int64         // the heap after the last of them
}

// register makes the watcher watch g while it runs executions with a
// memory limit; g is forgotten once it is garbage.
func (w *heapWatcher) register(g *governor) {
	w.once.Do(func() {
		w.sample[0].Name = heapMetric
		go w.loop()
	})
	w.mu.Lock()
	w.govs = append(w.govs, weak.Make(g))
	w.mu.Unlock()
}

// heapNow is the heap's size: the last sample, or a new one when the
// watcher sleeps (its last sample may be old).
func (w *heapWatcher) heapNow() int64 {
	if w.idle.Load() || !w.started.Load() {
		return w.read()
	}
	return w.heap.Load()
}

// now is the time of the last sample while the watcher runs (a call's
// deadline need not be more precise, and reading the clock for each call
// costs), time.Now otherwise.
func (w *heapWatcher) now() time.Time {
	if w.idle.Load() || !w.started.Load() {
		return time.Now()
	}
	return time.Unix(0, w.clock.Load())
}

// wakeUp makes a sleeping watcher resume sampling.
func (w *heapWatcher) wakeUp() {
	if w.idle.Load() {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// read samples the heap (and the clock).
func (w *heapWatcher) read() int64 {
	w.sampleMu.Lock()
	metrics.Read(w.sample[:])
	h := int64(w.sample[0].Value.Uint64())
	w.sampleMu.Unlock()
	w.heap.Store(h)
	w.clock.Store(time.Now().UnixNano())
	return h
}

// live returns what the heap holds live, measured by a garbage
// collection, unless the heap grew by less than slack since the last one:
// then what was live after it (an execution may pass its limit by slack
// before it is seen, but one that lives near its limit and makes garbage
// does not cause a collection at each look). Callers that arrive during
// a collection share it.
func (w *heapWatcher) live(slack int64) int64 {
	gen := w.gcGen.Load()
	w.gcMu.Lock()
	defer w.gcMu.Unlock()
	// The heap as sampled now is also an upper bound of what is live:
	// lower than lastLive, it tells that more was freed since.
	if h := w.read(); w.gcGen.Load() != gen || gen > 0 && h-w.lastLive < slack {
		return min(w.lastLive, h)
	}
	runtime.GC()
	w.lastLive = w.read()
	w.gcGen.Add(1)
	return w.lastLive
}

// slackOf is the slack of live for a memory limit: an eighth of it.
func slackOf(limit int64) int64 { return limit / 8 }

// overrun is an execution seen past its memory limit.
type overrun struct {
	g   *governor
	seq uint64
}

// quietTicks is how many samples without an execution beginning the
// watcher takes before it sleeps: a host that calls a script for each
// record keeps it awake, and its calls read its samples.
const quietTicks = 100

// loop samples the heap every watchInterval while executions begin or
// run, and stops those past their memory limit.
func (w *heapWatcher) loop() {
	var over []overrun
	var lastActivity uint64
	for {
		heap := w.read()
		w.started.Store(true)
		running := false
		var activity uint64
		w.mu.Lock()
		live := w.govs[:0]
		for _, p := range w.govs {
			g := p.Value()
			if g == nil {
				continue
			}
			live = append(live, p)
			seq, run := g.running()
			running = running || run
			activity += seq
			if seq, ok := g.overMemory(heap); ok {
				over = append(over, overrun{g, seq})
			}
		}
		clear(w.govs[len(live):])
		w.govs = live
		w.mu.Unlock()
		if len(over) > 0 {
			heap = w.live(slackOf(over[0].g.maxMem.Load()))
			for _, o := range over {
				if seq, ok := o.g.overMemory(heap); ok && seq == o.seq {
					o.g.stopForMemory(seq)
				}
			}
			clear(over)
			over = over[:0]
		}
		if running || activity != lastActivity {
			w.idleTicks = 0
		} else {
			w.idleTicks++
		}
		lastActivity = activity
		if w.idleTicks < quietTicks {
			time.Sleep(watchInterval)
			continue
		}
		// Sleep until an execution begins. One that began after the scan
		// above saw idle false and did not wake us: look again.
		w.idle.Store(true)
		if !w.anyRunning() {
			<-w.wake
		}
		w.idle.Store(false)
	}
}

// anyRunning reports whether a registered governor runs an execution
// with a memory limit.
func (w *heapWatcher) anyRunning() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.govs {
		if g := p.Value(); g != nil {
			if _, running := g.running(); running {
				return true
			}
		}
	}
	return false
}
