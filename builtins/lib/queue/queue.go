// Package queue is kstar's queue module: Python's synchronised queues
// for passing values between threading threads:
//
//	Queue(maxsize=0), LifoQueue(maxsize=0), PriorityQueue(maxsize=0):
//	    put(item, block=True, timeout=None), get(block=True, timeout=None),
//	    put_nowait(item), get_nowait(), qsize(), empty(), full(),
//	    task_done(), join(), maxsize
//	Empty, Full   raised by get and put that cannot wait longer
//
// A queue is changed only by threads that hold the interpreter's lock;
// put, get and join wait with it released (py.Wait).
package queue

import (
	"fmt"
	"math"
	"time"
	"unsafe"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Empty is queue.Empty (CPython's _queue.Empty): get found no item.
var Empty = py.NewExceptionClass("Empty", "_queue", py.PyException)

// Full is queue.Full: put found no room.
var Full = py.NewExceptionClass("Full", "queue", py.PyException)

// kind is the order a queue hands its items out in.
type kind int

const (
	fifo kind = iota
	lifo
	priority
)

var kindNames = [...]string{fifo: "Queue", lifo: "LifoQueue", priority: "PriorityQueue"}

// classes are Queue, LifoQueue and PriorityQueue, by kind.
var classes = [...]*py.Type{
	fifo:     py.NewClass("queue.Queue", newQueue(fifo), isKind(fifo), nil),
	lifo:     py.NewClass("queue.LifoQueue", newQueue(lifo), isKind(lifo), nil),
	priority: py.NewClass("queue.PriorityQueue", newQueue(priority), isKind(priority), nil),
}

// New returns the queue module (one per execution; it keeps no state).
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "queue", Members: starlark.StringDict{
		"Queue":         classes[fifo],
		"LifoQueue":     classes[lifo],
		"PriorityQueue": classes[priority],
		"Empty":         Empty,
		"Full":          Full,
	}}
}

func isKind(k kind) func(v starlark.Value) bool {
	return func(v starlark.Value) bool {
		q, ok := v.(*Queue)
		return ok && (q.kind == k || k == fifo)
	}
}

// Queue is queue.Queue, LifoQueue or PriorityQueue.
type Queue struct {
	kind       kind
	maxsize    int // <= 0: unbounded
	items      []starlark.Value
	unfinished int // items put and not yet marked task_done
	// changed is closed (and replaced) when an item comes or goes or a
	// task is done, if a thread waits for that (waiters > 0).
	changed chan struct{}
	waiters int
	// put and get, bound once: a loop calling them allocates nothing.
	boundPut, boundGet starlark.Value
}

// newQueue returns the constructor of queues of kind k: Queue(maxsize=0).
func newQueue(k kind) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		maxsize := 0
		if err := starlark.UnpackArgs(kindNames[k], args, kwargs, "maxsize?", &maxsize); err != nil {
			return nil, err
		}
		return &Queue{kind: k, maxsize: maxsize, changed: make(chan struct{})}, nil
	}
}

func (q *Queue) String() string        { return q.PyRepr() }
func (q *Queue) Type() string          { return kindNames[q.kind] }
func (q *Queue) Freeze()               {}
func (q *Queue) Truth() starlark.Bool  { return true }
func (q *Queue) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(q)) >> 3), nil }

// PyClass is type(q).
func (q *Queue) PyClass() *py.Type { return classes[q.kind] }

// PyRepr is CPython's <queue.Queue object at 0x...>.
func (q *Queue) PyRepr() string {
	return fmt.Sprintf("<queue.%s object at %p>", kindNames[q.kind], q)
}

func (q *Queue) Attr(name string) (starlark.Value, error) {
	switch name {
	case "maxsize":
		return starlark.MakeInt(q.maxsize), nil
	case "put":
		if q.boundPut == nil {
			q.boundPut = methods.Bind(q, name)
		}
		return q.boundPut, nil
	case "get":
		if q.boundGet == nil {
			q.boundGet = methods.Bind(q, name)
		}
		return q.boundGet, nil
	}
	return methods.Bind(q, name), nil
}

func (q *Queue) AttrNames() []string { return methods.Names("maxsize") }

var methods = py.MethodTable[*Queue]{
	"put": (*Queue).pyPut,
	"get": (*Queue).pyGet,
	"put_nowait": func(q *Queue, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var item starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &item); err != nil {
			return nil, err
		}
		return starlark.None, q.put(thread, item, 0)
	},
	"get_nowait": func(q *Queue, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return q.get(thread, 0)
	},
	"qsize": func(q *Queue, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.MakeInt(len(q.items)), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
	},
	"empty": func(q *Queue, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(len(q.items) == 0), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
	},
	"full": func(q *Queue, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(q.isFull()), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
	},
	"task_done": func(q *Queue, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		if q.unfinished <= 0 {
			return nil, py.Errorf(py.ValueError, "task_done() called too many times")
		}
		q.unfinished--
		if q.unfinished == 0 {
			q.signal()
		}
		return starlark.None, nil
	},
	"join": func(q *Queue, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		for q.unfinished > 0 {
			if _, err := q.wait(thread, py.Forever); err != nil {
				return nil, err
			}
		}
		return starlark.None, nil
	},
}

func (q *Queue) isFull() bool { return q.maxsize > 0 && len(q.items) >= q.maxsize }

// signal wakes the threads waiting for the queue to change.
func (q *Queue) signal() {
	if q.waiters > 0 {
		close(q.changed)
		q.changed = make(chan struct{})
	}
}

// wait waits at most d for the queue to change; false when d passed.
func (q *Queue) wait(thread *starlark.Thread, d time.Duration) (bool, error) {
	q.waiters++
	defer func() { q.waiters-- }()
	return py.Wait(thread, q.changed, d)
}

// blockArgs parses (block=True, timeout=None): how long to wait, or 0.
func blockArgs(block bool, tv starlark.Value) (time.Duration, error) {
	if !block {
		return 0, nil
	}
	if tv == starlark.None {
		return py.Forever, nil
	}
	var secs float64
	switch v := tv.(type) {
	case starlark.Int:
		secs, _ = starlark.AsFloat(v)
	case starlark.Float:
		secs = float64(v)
	default:
		return 0, py.Errorf(py.TypeError, "'<' not supported between instances of '%s' and 'int'", py.TypeName(tv))
	}
	if secs < 0 || math.IsNaN(secs) {
		return 0, py.Errorf(py.ValueError, "'timeout' must be a non-negative number")
	}
	if secs > float64(math.MaxInt64)/1e9 {
		return py.Forever, nil
	}
	return max(time.Duration(secs*1e9), 1), nil
}

// pyPut implements put(item, block=True, timeout=None).
func (q *Queue) pyPut(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 1 && len(kwargs) == 0 { // put(item): no argument parsing
		return starlark.None, q.put(thread, args[0], py.Forever)
	}
	var item starlark.Value
	block := true
	var tv starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "item", &item, "block?", &block, "timeout?", &tv); err != nil {
		return nil, err
	}
	d, err := blockArgs(block, tv)
	if err != nil {
		return nil, err
	}
	return starlark.None, q.put(thread, item, d)
}

// put adds item, waiting at most d for room: Full when there is none.
func (q *Queue) put(thread *starlark.Thread, item starlark.Value, d time.Duration) error {
	deadline := time.Now().Add(d)
	for q.isFull() {
		wait := d
		if d > 0 {
			if wait = time.Until(deadline); wait <= 0 {
				wait = 0
			}
		}
		if wait == 0 {
			return py.NewException(Full, "")
		}
		if _, err := q.wait(thread, wait); err != nil {
			return err
		}
	}
	q.items = append(q.items, item)
	if q.kind == priority {
		if err := q.up(len(q.items) - 1); err != nil {
			q.items = q.items[:len(q.items)-1]
			return err
		}
	}
	q.unfinished++
	q.signal()
	return nil
}

// pyGet implements get(block=True, timeout=None).
func (q *Queue) pyGet(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	block := true
	var tv starlark.Value = starlark.None
	if len(args) != 0 || len(kwargs) != 0 {
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "block?", &block, "timeout?", &tv); err != nil {
			return nil, err
		}
	}
	d, err := blockArgs(block, tv)
	if err != nil {
		return nil, err
	}
	return q.get(thread, d)
}

// get removes and returns the next item, waiting at most d for one:
// Empty when none comes.
func (q *Queue) get(thread *starlark.Thread, d time.Duration) (starlark.Value, error) {
	deadline := time.Now().Add(d)
	for len(q.items) == 0 {
		wait := d
		if d > 0 {
			if wait = time.Until(deadline); wait <= 0 {
				wait = 0
			}
		}
		if wait == 0 {
			return nil, py.NewException(Empty, "")
		}
		if _, err := q.wait(thread, wait); err != nil {
			return nil, err
		}
	}
	var item starlark.Value
	n := len(q.items) - 1
	switch q.kind {
	case fifo:
		item = q.items[0]
		q.items[0] = nil
		q.items = q.items[1:]
	case lifo:
		item = q.items[n]
		q.items[n] = nil
		q.items = q.items[:n]
	case priority:
		item = q.items[0]
		q.items[0] = q.items[n]
		q.items[n] = nil
		q.items = q.items[:n]
		if err := q.down(0); err != nil {
			return nil, err
		}
	}
	q.signal()
	return item, nil
}

// less is items[i] < items[j], as heapq compares them.
func (q *Queue) less(i, j int) (bool, error) {
	return starlark.Compare(syntax.LT, q.items[i], q.items[j])
}

// up moves items[i] up the heap (heapq's _siftdown).
func (q *Queue) up(i int) error {
	for i > 0 {
		parent := (i - 1) / 2
		lt, err := q.less(i, parent)
		if err != nil || !lt {
			return err
		}
		q.items[i], q.items[parent] = q.items[parent], q.items[i]
		i = parent
	}
	return nil
}

// down moves items[i] down the heap.
func (q *Queue) down(i int) error {
	n := len(q.items)
	for {
		least := i
		for _, child := range []int{2*i + 1, 2*i + 2} {
			if child < n {
				lt, err := q.less(child, least)
				if err != nil {
					return err
				}
				if lt {
					least = child
				}
			}
		}
		if least == i {
			return nil
		}
		q.items[i], q.items[least] = q.items[least], q.items[i]
		i = least
	}
}
