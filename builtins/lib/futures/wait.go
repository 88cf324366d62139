package futures

import (
	"fmt"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// futureSet returns the distinct futures of the iterable fs, in order.
func futureSet(thread *starlark.Thread, fs starlark.Value) ([]*Future, error) {
	elems, err := py.Elements(thread, fs)
	if err != nil {
		return nil, err
	}
	seen := make(map[*Future]bool, len(elems))
	set := make([]*Future, 0, len(elems))
	for _, v := range elems {
		f, ok := v.(*Future)
		if !ok {
			return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute '_condition'", py.TypeName(v))
		}
		if !seen[f] {
			seen[f] = true
			set = append(set, f)
		}
	}
	return set, nil
}

// install makes w hear of the completion of the futures of fs not done,
// and returns them.
func install(w *waiter, fs []*Future) []*Future {
	var pending []*Future
	for _, f := range fs {
		if !f.completed() {
			f.waiters = append(f.waiters, w)
			pending = append(pending, f)
		}
	}
	return pending
}

// uninstall stops w hearing of the futures of fs.
func uninstall(w *waiter, fs []*Future) {
	for _, f := range fs {
		for i, x := range f.waiters {
			if x == w {
				f.waiters = append(f.waiters[:i], f.waiters[i+1:]...)
				break
			}
		}
	}
}

// deadline is when a wait of d from now ends; zero for py.Forever.
func deadline(d time.Duration) time.Time {
	if d == py.Forever {
		return time.Time{}
	}
	return time.Now().Add(d)
}

// remaining is what is left of a wait until end (py.Forever for no
// end); false once end passed.
func remaining(end time.Time) (time.Duration, bool) {
	if end.IsZero() {
		return py.Forever, true
	}
	left := time.Until(end)
	return max(left, 0), left >= 0
}

// as_completed(fs, timeout=None): the futures of fs as they complete,
// those done already first; TimeoutError when timeout passes first.
func asCompleted(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fs starlark.Value
	var tv starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "fs", &fs, "timeout?", &tv); err != nil {
		return nil, err
	}
	d, err := timeoutArg(b, starlark.Tuple{tv}, nil)
	if err != nil {
		return nil, err
	}
	var (
		started bool
		end     time.Time
		all     []*Future
		pending map[*Future]bool
		ready   []*Future
		w       = newWaiter()
	)
	next := func(thread *starlark.Thread) (starlark.Value, bool, error) {
		if !started { // as CPython's generator, it starts at the first next()
			started = true
			end = deadline(d)
			if all, err = futureSet(thread, fs); err != nil {
				return nil, false, err
			}
			pending = map[*Future]bool{}
			for _, f := range install(w, all) {
				pending[f] = true
			}
			for _, f := range all {
				if !pending[f] {
					ready = append(ready, f)
				}
			}
		}
		for len(ready) == 0 && len(pending) > 0 {
			left, ok := remaining(end)
			if !ok {
				uninstall(w, all)
				return nil, false, py.Errorf(py.TimeoutError, "%d (of %d) futures unfinished", len(pending), len(all))
			}
			if _, err := py.Wait(thread, w.wake, left); err != nil {
				uninstall(w, all)
				return nil, false, err
			}
			for _, f := range w.completed {
				if pending[f] {
					delete(pending, f)
					ready = append(ready, f)
				}
			}
			w.completed = nil
		}
		if len(ready) == 0 {
			return nil, false, nil
		}
		f := ready[0]
		ready = ready[1:]
		return f, true, nil
	}
	it := py.NewIterator(thread, "generator", next)
	it.ReprFunc = func() string { return fmt.Sprintf("<generator object as_completed at %p>", it) }
	return it, nil
}

// wait(fs, timeout=None, return_when=ALL_COMPLETED): the futures of fs
// done and not done when return_when's condition held or timeout
// passed.
func wait(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fs starlark.Value
	var tv starlark.Value = starlark.None
	var when starlark.Value = starlark.String(allCompleted)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "fs", &fs, "timeout?", &tv, "return_when?", &when); err != nil {
		return nil, err
	}
	d, err := timeoutArg(b, starlark.Tuple{tv}, nil)
	if err != nil {
		return nil, err
	}
	all, err := futureSet(thread, fs)
	if err != nil {
		return nil, err
	}
	var done []*Future
	for _, f := range all {
		if f.completed() {
			done = append(done, f)
		}
	}
	// satisfied reports whether return_when's condition holds for the
	// futures done.
	satisfied := func(done []*Future) bool {
		if len(done) == len(all) {
			return true
		}
		switch when {
		case starlark.String(firstCompleted):
			return len(done) > 0
		case starlark.String(firstException):
			for _, f := range done {
				if f.exception != nil {
					return true
				}
			}
		}
		return false
	}
	if !satisfied(done) {
		switch when {
		case starlark.String(firstCompleted), starlark.String(firstException), starlark.String(allCompleted):
		default:
			return nil, py.Errorf(py.ValueError, "Invalid return condition: %s", py.Repr(when))
		}
		w := newWaiter()
		install(w, all)
		end := deadline(d)
		for !satisfied(append(done, w.completed...)) {
			left, ok := remaining(end)
			if !ok {
				break
			}
			if ok, err := py.Wait(thread, w.wake, left); err != nil {
				uninstall(w, all)
				return nil, err
			} else if !ok {
				break
			}
		}
		uninstall(w, all)
		done = append(done, w.completed...)
	}
	doneSet := starlark.NewSet(len(done))
	for _, f := range done {
		_ = doneSet.Insert(f) // futures hash by identity: no error
	}
	notDone := starlark.NewSet(len(all) - len(done))
	for _, f := range all {
		if ok, _ := doneSet.Has(f); !ok {
			_ = notDone.Insert(f)
		}
	}
	return doneAndNotDone.Make(doneSet, notDone), nil
}
