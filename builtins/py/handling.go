package py

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// handlingKey is the thread-local key of the exceptions being handled
// (*[]Handled, innermost last).
const handlingKey = "kstar.handling"

// Handled is an exception being handled: the try runner (runtime's
// trystate.go) pushes one while an except clause runs, and functions the
// clause calls see it too. A bare raise re-raises Err, an exception
// raised meanwhile gets Exc as its __context__, and sys.exc_info() and
// the traceback module report it.
type Handled struct {
	Exc *Exception
	// Err is the error Exc was caught in: its call stack is the
	// traceback.
	Err error
	// Name is the variable that the matching "except E as name" clause
	// bound to Exc (runtime's cell), which is unbound when an exception
	// leaves the clause; nil for a clause without a name.
	Name starlark.HasSetField
	tb   *Traceback // exc_info()[2], made when first asked for
}

// Handling is the stack of exceptions being handled on thread.
func Handling(thread *starlark.Thread) *[]Handled {
	h, _ := thread.Local(handlingKey).(*[]Handled)
	if h == nil {
		h = new([]Handled)
		thread.SetLocal(handlingKey, h)
	}
	return h
}

// ExcInfo is sys.exc_info(): (type, value, traceback) of the exception
// being handled, (None, None, None) when none is.
func ExcInfo(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "sys.exc_info() takes no keyword arguments")
	}
	if len(args) > 0 {
		return nil, Errorf(TypeError, "sys.exc_info() takes no arguments (%d given)", len(args))
	}
	h := Handling(thread)
	if len(*h) == 0 {
		return starlark.Tuple{starlark.None, starlark.None, starlark.None}, nil
	}
	current := &(*h)[len(*h)-1]
	if current.tb == nil {
		current.tb = &Traceback{Err: current.Err}
	}
	return starlark.Tuple{TypeOf(current.Exc), current.Exc, current.tb}, nil
}

// Traceback is a traceback object (sys.exc_info()[2]): the error an
// exception was caught in, whose call stack is the traceback.
type Traceback struct {
	Err error
}

var _ starlark.Comparable = (*Traceback)(nil)

func (t *Traceback) String() string        { return fmt.Sprintf("<traceback object at %#x>", identity(t)) }
func (t *Traceback) Type() string          { return "traceback" }
func (t *Traceback) Freeze()               {}
func (t *Traceback) Truth() starlark.Bool  { return true }
func (t *Traceback) Hash() (uint32, error) { return uint32(identity(t)), nil }
func (t *Traceback) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return CompareIdentity(op, t, y)
}
