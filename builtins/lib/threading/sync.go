package threading

import (
	"fmt"
	"slices"
	"sort"
	"time"
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// The synchronisation objects are changed only by threads that hold the
// interpreter's lock; their waits release it (py.Wait), and the channels
// they wait on carry the hand-off between goroutines.

// Lock is threading.Lock (_thread.lock): any thread may release it.
type Lock struct {
	token chan struct{} // holds one token while unlocked
	bound boundPair     // acquire and release, bound once
}

// boundPair keeps a value's bound acquire and release methods, which
// loops call again and again, so that each use allocates nothing.
type boundPair struct{ acquire, release starlark.Value }

// get returns the bound method name from pair, binding it with bind the
// first time; ok is false for other names.
func (pair *boundPair) get(name string, bind func(string) starlark.Value) (starlark.Value, bool) {
	var m *starlark.Value
	switch name {
	case "acquire":
		m = &pair.acquire
	case "release":
		m = &pair.release
	default:
		return nil, false
	}
	if *m == nil {
		*m = bind(name)
	}
	return *m, true
}

// RLock is threading.RLock: a lock its owner may acquire again.
type RLock struct {
	bound boundPair
	mod   *module
	lock  *Lock
	owner *starlark.Thread
	count int
}

// Condition is threading.Condition: waiters woken by notify.
type Condition struct {
	lock    starlark.Value // *Lock or *RLock
	waiters []chan struct{}
}

// Semaphore is threading.Semaphore and BoundedSemaphore.
type Semaphore struct {
	value   int
	initial int // BoundedSemaphore's bound; -1: a Semaphore
	waiters []chan struct{}
}

// Event is threading.Event: a flag threads wait for.
type Event struct {
	flag    bool
	flagged chan struct{} // closed while the flag is set
}

// Local is threading.local: attributes of its own per thread.
type Local struct {
	in    *py.Interp
	attrs map[*starlark.Thread]*starlark.Dict
}

func newLock() *Lock {
	l := &Lock{token: make(chan struct{}, 1)}
	l.token <- struct{}{}
	return l
}

func newEvent() *Event { return &Event{flagged: make(chan struct{})} }

// syncClasses are the classes of the synchronisation objects of module m.
func (m *module) syncClasses() starlark.StringDict {
	return starlark.StringDict{
		"Lock": py.NewClass("_thread.lock", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return newLock(), noArgs(b, args, kwargs)
		}, func(v starlark.Value) bool { _, ok := v.(*Lock); return ok }, nil),
		"RLock": py.NewClass("_thread.RLock", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return &RLock{mod: m, lock: newLock()}, noArgs(b, args, kwargs)
		}, func(v starlark.Value) bool { _, ok := v.(*RLock); return ok }, nil),
		"Condition": py.NewClass("threading.Condition", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var lock starlark.Value = starlark.None
			if err := starlark.UnpackArgs("Condition", args, kwargs, "lock?", &lock); err != nil {
				return nil, err
			}
			switch lock.(type) {
			case *Lock, *RLock:
			default:
				if lock != starlark.None {
					return nil, py.Errorf(py.TypeError, "Condition() takes a threading.Lock or RLock, not %s", py.TypeName(lock))
				}
				lock = &RLock{mod: m, lock: newLock()}
			}
			return &Condition{lock: lock}, nil
		}, func(v starlark.Value) bool { _, ok := v.(*Condition); return ok }, nil),
		"Semaphore":        py.NewClass("threading.Semaphore", newSemaphore(false), func(v starlark.Value) bool { _, ok := v.(*Semaphore); return ok }, nil),
		"BoundedSemaphore": py.NewClass("threading.BoundedSemaphore", newSemaphore(true), func(v starlark.Value) bool { s, ok := v.(*Semaphore); return ok && s.initial >= 0 }, nil),
		"Event": py.NewClass("threading.Event", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return newEvent(), noArgs(b, args, kwargs)
		}, func(v starlark.Value) bool { _, ok := v.(*Event); return ok }, nil),
		"local": py.NewClass("_thread._local", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return &Local{in: py.InterpOf(thread), attrs: map[*starlark.Thread]*starlark.Dict{}}, noArgs(b, args, kwargs)
		}, func(v starlark.Value) bool { _, ok := v.(*Local); return ok }, nil),
	}
}

// acquireArgs parses acquire(blocking=True, timeout=-1) of the locks into
// how long to wait: 0 for a non-blocking call, py.Forever for no timeout.
func acquireArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (time.Duration, error) {
	blocking := true
	var tv starlark.Value = starlark.MakeInt(-1)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "blocking?", &blocking, "timeout?", &tv); err != nil {
		return 0, err
	}
	secs, err := seconds(tv)
	if err != nil {
		return 0, err
	}
	switch {
	case !blocking && secs != -1:
		return 0, py.Errorf(py.ValueError, "can't specify a timeout for a non-blocking call")
	case secs < 0 && secs != -1:
		return 0, py.Errorf(py.ValueError, "timeout value must be positive")
	case secs > timeoutMax:
		return 0, py.Errorf(py.OverflowError, "timeout value is too large")
	case !blocking:
		return 0, nil
	case secs == -1:
		return py.Forever, nil
	}
	return duration(secs), nil
}

// acquire takes the lock, waiting at most d; false when d passed.
func (l *Lock) acquire(thread *starlark.Thread, d time.Duration) (bool, error) {
	return py.Wait(thread, l.token, d)
}

// release frees the lock; RuntimeError if it is not held.
func (l *Lock) release() error {
	select {
	case l.token <- struct{}{}:
		return nil
	default:
		return py.Errorf(py.RuntimeError, "release unlocked lock")
	}
}

func (l *Lock) locked() bool { return len(l.token) == 0 }

var lockMethods = py.MethodTable[*Lock]{
	"acquire":   (*Lock).pyAcquire,
	"__enter__": (*Lock).pyAcquire,
	"release": func(l *Lock, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		return starlark.None, l.release()
	},
	"__exit__": func(l *Lock, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, l.release()
	},
	"locked": func(l *Lock, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(l.locked()), noArgs(b, args, kwargs)
	},
}

func (l *Lock) pyAcquire(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 && len(kwargs) == 0 {
		select { // the common uncontended acquire(): no argument parsing
		case <-l.token:
			return starlark.True, nil
		default:
		}
	}
	d, err := acquireArgs(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	got, err := l.acquire(thread, d)
	return starlark.Bool(got), err
}

func (l *Lock) String() string        { return l.PyRepr() }
func (l *Lock) Type() string          { return "_thread.lock" }
func (l *Lock) Freeze()               {}
func (l *Lock) Truth() starlark.Bool  { return true }
func (l *Lock) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(l)) >> 3), nil }
func (l *Lock) PyRepr() string {
	return fmt.Sprintf("<%s _thread.lock object at %p>", lockState(l.locked()), l)
}
func (l *Lock) Attr(name string) (starlark.Value, error) {
	if m, ok := l.bound.get(name, func(name string) starlark.Value { return lockMethods.Bind(l, name) }); ok {
		return m, nil
	}
	return lockMethods.Bind(l, name), nil
}
func (l *Lock) AttrNames() []string { return lockMethods.Names() }

func lockState(locked bool) string {
	if locked {
		return "locked"
	}
	return "unlocked"
}

// acquire takes the RLock for thread, waiting at most d.
func (r *RLock) acquire(thread *starlark.Thread, d time.Duration) (bool, error) {
	if r.owner == thread {
		r.count++
		return true, nil
	}
	got, err := r.lock.acquire(thread, d)
	if got {
		r.owner, r.count = thread, 1
	}
	return got, err
}

func (r *RLock) release(thread *starlark.Thread) error {
	if r.owner != thread {
		return py.Errorf(py.RuntimeError, "cannot release un-acquired lock")
	}
	r.count--
	if r.count == 0 {
		r.owner = nil
		return r.lock.release()
	}
	return nil
}

var rlockMethods = py.MethodTable[*RLock]{
	"acquire":   (*RLock).pyAcquire,
	"__enter__": (*RLock).pyAcquire,
	"release": func(r *RLock, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		return starlark.None, r.release(thread)
	},
	"__exit__": func(r *RLock, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, r.release(thread)
	},
}

func (r *RLock) pyAcquire(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 && len(kwargs) == 0 { // acquire(): no argument parsing
		got, err := r.acquire(thread, py.Forever)
		return starlark.Bool(got), err
	}
	d, err := acquireArgs(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	got, err := r.acquire(thread, d)
	return starlark.Bool(got), err
}

func (r *RLock) String() string        { return r.PyRepr() }
func (r *RLock) Type() string          { return "_thread.RLock" }
func (r *RLock) Freeze()               {}
func (r *RLock) Truth() starlark.Bool  { return true }
func (r *RLock) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(r)) >> 3), nil }
func (r *RLock) PyRepr() string {
	var owner int64
	if r.owner != nil {
		owner = r.mod.current(r.owner).ident
	}
	return fmt.Sprintf("<%s _thread.RLock object owner=%d count=%d at %p>", lockState(r.owner != nil), owner, r.count, r)
}
func (r *RLock) Attr(name string) (starlark.Value, error) {
	if m, ok := r.bound.get(name, func(name string) starlark.Value { return rlockMethods.Bind(r, name) }); ok {
		return m, nil
	}
	return rlockMethods.Bind(r, name), nil
}
func (r *RLock) AttrNames() []string { return rlockMethods.Names() }

// owned reports whether thread may wait on or notify c: it owns c's
// RLock, or c's Lock is locked (CPython's test for a plain lock).
func (c *Condition) owned(thread *starlark.Thread) bool {
	switch l := c.lock.(type) {
	case *RLock:
		return l.owner == thread
	case *Lock:
		return l.locked()
	}
	return false
}

// wait implements Condition.wait: release the lock, wait for a notify
// (at most d), take the lock back.
func (c *Condition) wait(thread *starlark.Thread, d time.Duration) (bool, error) {
	if !c.owned(thread) {
		return false, py.Errorf(py.RuntimeError, "cannot wait on un-acquired lock")
	}
	w := make(chan struct{})
	c.waiters = append(c.waiters, w)
	var count int
	switch l := c.lock.(type) {
	case *RLock:
		count, l.owner, l.count = l.count, nil, 0
		_ = l.lock.release()
	case *Lock:
		_ = l.release()
	}
	notified, err := py.Wait(thread, w, d)
	if !notified {
		if i := slices.Index(c.waiters, w); i >= 0 {
			c.waiters = slices.Delete(c.waiters, i, i+1)
		} else {
			notified = true // notify chose it while it stopped waiting
		}
	}
	var lock *Lock
	switch l := c.lock.(type) {
	case *RLock:
		lock = l.lock
		defer func() { l.owner, l.count = thread, count }()
	case *Lock:
		lock = l
	}
	// The lock is held again when wait returns, unless the execution was
	// interrupted (and is ending).
	if _, lerr := lock.acquire(thread, py.Forever); err == nil {
		err = lerr
	}
	return notified, err
}

func (c *Condition) notify(thread *starlark.Thread, n int) error {
	if !c.owned(thread) {
		return py.Errorf(py.RuntimeError, "cannot notify on un-acquired lock")
	}
	n = min(n, len(c.waiters))
	for _, w := range c.waiters[:n] {
		close(w)
	}
	c.waiters = slices.Delete(c.waiters, 0, n)
	return nil
}

var conditionMethods = py.MethodTable[*Condition]{
	"acquire": func(c *Condition, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return c.lockMethod(thread, "acquire", args, kwargs)
	},
	"__enter__": func(c *Condition, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return c.lockMethod(thread, "acquire", nil, nil)
	},
	"release": func(c *Condition, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return c.lockMethod(thread, "release", args, kwargs)
	},
	"__exit__": func(c *Condition, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		_, err := c.lockMethod(thread, "release", nil, nil)
		return starlark.None, err
	},
	"wait": func(c *Condition, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var tv starlark.Value = starlark.None
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &tv); err != nil {
			return nil, err
		}
		d, err := Timeout(tv)
		if err != nil {
			return nil, err
		}
		notified, err := c.wait(thread, d)
		return starlark.Bool(notified), err
	},
	"wait_for": (*Condition).waitFor,
	"notify": func(c *Condition, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		n := 1
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "n?", &n); err != nil {
			return nil, err
		}
		return starlark.None, c.notify(thread, n)
	},
	"notify_all": func(c *Condition, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(b, args, kwargs); err != nil {
			return nil, err
		}
		return starlark.None, c.notify(thread, len(c.waiters))
	},
}

// lockMethod calls method of the condition's lock.
func (c *Condition) lockMethod(thread *starlark.Thread, method string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	m, err := py.GetAttr(c.lock, method)
	if err != nil {
		return nil, err
	}
	return starlark.Call(thread, m, args, kwargs)
}

// waitFor implements Condition.wait_for(predicate, timeout=None) as
// CPython's: wait until predicate() is true, at most timeout seconds in
// all; the predicate's last result.
func (c *Condition) waitFor(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var predicate, tv starlark.Value = nil, starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "predicate", &predicate, "timeout?", &tv); err != nil {
		return nil, err
	}
	d, err := Timeout(tv)
	if err != nil {
		return nil, err
	}
	var deadline time.Time
	if d != py.Forever {
		deadline = time.Now().Add(d)
	}
	for {
		result, err := starlark.Call(thread, predicate, nil, nil)
		if err != nil || result.Truth() {
			return result, err
		}
		wait := py.Forever
		if d != py.Forever {
			if wait = time.Until(deadline); wait <= 0 {
				return result, nil
			}
		}
		if _, err := c.wait(thread, wait); err != nil {
			return nil, err
		}
	}
}

func (c *Condition) String() string        { return c.PyRepr() }
func (c *Condition) Type() string          { return "Condition" }
func (c *Condition) Freeze()               {}
func (c *Condition) Truth() starlark.Bool  { return true }
func (c *Condition) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(c)) >> 3), nil }
func (c *Condition) PyRepr() string {
	return fmt.Sprintf("<Condition(%s, %d)>", py.Repr(c.lock), len(c.waiters))
}
func (c *Condition) Attr(name string) (starlark.Value, error) {
	return conditionMethods.Bind(c, name), nil
}
func (c *Condition) AttrNames() []string { return conditionMethods.Names() }

// newSemaphore makes Semaphore(value=1) or BoundedSemaphore(value=1).
func newSemaphore(bounded bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		value := 1
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "value?", &value); err != nil {
			return nil, err
		}
		if value < 0 {
			return nil, py.Errorf(py.ValueError, "semaphore initial value must be >= 0")
		}
		s := &Semaphore{value: value, initial: -1}
		if bounded {
			s.initial = value
		}
		return s, nil
	}
}

var semaphoreMethods = py.MethodTable[*Semaphore]{
	"acquire":   (*Semaphore).pyAcquire,
	"__enter__": (*Semaphore).pyAcquire,
	"release": func(s *Semaphore, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		n := 1
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "n?", &n); err != nil {
			return nil, err
		}
		return starlark.None, s.release(n)
	},
	"__exit__": func(s *Semaphore, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, s.release(1)
	},
}

// pyAcquire implements acquire(blocking=True, timeout=None).
func (s *Semaphore) pyAcquire(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	blocking := true
	var tv starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "blocking?", &blocking, "timeout?", &tv); err != nil {
		return nil, err
	}
	if !blocking && tv != starlark.None {
		return nil, py.Errorf(py.ValueError, "can't specify timeout for non-blocking acquire")
	}
	d, err := Timeout(tv)
	if err != nil {
		return nil, err
	}
	if s.value > 0 {
		s.value--
		return starlark.True, nil
	}
	if !blocking || d == 0 {
		return starlark.False, nil
	}
	w := make(chan struct{})
	s.waiters = append(s.waiters, w)
	got, err := py.Wait(thread, w, d)
	if !got {
		if i := slices.Index(s.waiters, w); i >= 0 {
			s.waiters = slices.Delete(s.waiters, i, i+1)
		} else if err == nil {
			got = true // release handed it the count as it stopped waiting
		} else {
			s.give(1) // interrupted: pass on what release handed it
		}
	}
	return starlark.Bool(got), err
}

// release adds n to the count, handing it to waiters first.
func (s *Semaphore) release(n int) error {
	if n < 1 {
		return py.Errorf(py.ValueError, "n must be one or more")
	}
	if s.initial >= 0 && s.value+n > s.initial {
		return py.Errorf(py.ValueError, "Semaphore released too many times")
	}
	s.give(n)
	return nil
}

// give hands n to the waiters in order, and what remains to the count.
func (s *Semaphore) give(n int) {
	for ; n > 0 && len(s.waiters) > 0; n-- {
		close(s.waiters[0])
		s.waiters = slices.Delete(s.waiters, 0, 1)
	}
	s.value += n
}

func (s *Semaphore) String() string        { return s.PyRepr() }
func (s *Semaphore) Type() string          { return s.className() }
func (s *Semaphore) Freeze()               {}
func (s *Semaphore) Truth() starlark.Bool  { return true }
func (s *Semaphore) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(s)) >> 3), nil }
func (s *Semaphore) className() string {
	if s.initial >= 0 {
		return "BoundedSemaphore"
	}
	return "Semaphore"
}
func (s *Semaphore) PyRepr() string {
	if s.initial >= 0 {
		return fmt.Sprintf("<threading.BoundedSemaphore at %p: value=%d/%d>", s, s.value, s.initial)
	}
	return fmt.Sprintf("<threading.Semaphore at %p: value=%d>", s, s.value)
}
func (s *Semaphore) Attr(name string) (starlark.Value, error) {
	if name == "_value" {
		return starlark.MakeInt(s.value), nil
	}
	return semaphoreMethods.Bind(s, name), nil
}
func (s *Semaphore) AttrNames() []string { return semaphoreMethods.Names() }

func (e *Event) set() {
	if !e.flag {
		e.flag = true
		close(e.flagged)
	}
}

// wait waits at most d for the flag; the flag.
func (e *Event) wait(thread *starlark.Thread, d time.Duration) (bool, error) {
	return py.Wait(thread, e.flagged, d)
}

var eventMethods = py.MethodTable[*Event]{
	"set": func(e *Event, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		e.set()
		return starlark.None, noArgs(b, args, kwargs)
	},
	"clear": func(e *Event, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if e.flag {
			e.flag = false
			e.flagged = make(chan struct{})
		}
		return starlark.None, noArgs(b, args, kwargs)
	},
	"is_set": func(e *Event, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(e.flag), noArgs(b, args, kwargs)
	},
	"wait": func(e *Event, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var tv starlark.Value = starlark.None
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &tv); err != nil {
			return nil, err
		}
		d, err := Timeout(tv)
		if err != nil {
			return nil, err
		}
		got, err := e.wait(thread, d)
		return starlark.Bool(got), err
	},
}

func (e *Event) String() string        { return e.PyRepr() }
func (e *Event) Type() string          { return "Event" }
func (e *Event) Freeze()               {}
func (e *Event) Truth() starlark.Bool  { return true }
func (e *Event) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(e)) >> 3), nil }
func (e *Event) PyRepr() string {
	state := "unset"
	if e.flag {
		state = "set"
	}
	return fmt.Sprintf("<threading.Event at %p: %s>", e, state)
}
func (e *Event) Attr(name string) (starlark.Value, error) { return eventMethods.Bind(e, name), nil }
func (e *Event) AttrNames() []string                      { return eventMethods.Names() }

// dict is the attributes of the thread that holds the interpreter's lock.
func (l *Local) dict() *starlark.Dict {
	thread := l.in.Current()
	d, ok := l.attrs[thread]
	if !ok {
		d = new(starlark.Dict)
		l.attrs[thread] = d
	}
	return d
}

func (l *Local) String() string        { return l.PyRepr() }
func (l *Local) Type() string          { return "_thread._local" }
func (l *Local) Freeze()               {}
func (l *Local) Truth() starlark.Bool  { return true }
func (l *Local) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(l)) >> 3), nil }
func (l *Local) PyRepr() string        { return fmt.Sprintf("<_thread._local object at %p>", l) }
func (l *Local) Attr(name string) (starlark.Value, error) {
	v, found, err := l.dict().Get(starlark.String(name))
	if err != nil || !found {
		return nil, py.Errorf(py.AttributeError, "'_thread._local' object has no attribute '%s'", name)
	}
	return v, nil
}
func (l *Local) AttrNames() []string {
	var names []string
	for _, k := range l.dict().Keys() {
		names = append(names, string(k.(starlark.String)))
	}
	sort.Strings(names)
	return names
}
func (l *Local) SetField(name string, v starlark.Value) error {
	return l.dict().SetKey(starlark.String(name), v)
}
