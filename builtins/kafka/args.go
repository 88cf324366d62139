package kafka

import (
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// The arguments of the Kafka methods that convert themselves
// (py.TypedArg), so that each method unpacks them typed with
// py.UnpackTypedArgs and the conversion and its error are written once.

var (
	_ py.TypedArg = (*seconds)(nil)
	_ py.TypedArg = (*msTimeout)(nil)
	_ py.TypedArg = (*adminTimeout)(nil)
)

// seconds is a timeout argument in seconds (int or float; a negative
// one is 0); None, the default, is no timeout.
type seconds struct {
	name  string // the parameter, for the error
	value starlark.Value
	d     time.Duration
	set   bool // not None
	err   error
}

// Unpack converts v.
func (s *seconds) Unpack(v starlark.Value) error {
	s.value = v
	switch v := v.(type) {
	case starlark.NoneType:
		s.d, s.set = 0, false
		return nil
	case starlark.Int:
		s.set = true
		i, ok := v.Int64()
		if !ok || i > int64(1<<62)/int64(time.Second) {
			s.d = 1 << 62
		} else {
			s.d = max(time.Duration(i)*time.Second, 0)
		}
		return nil
	case starlark.Float:
		s.set = true
		if v > starlark.Float(1<<62)/starlark.Float(time.Second) {
			s.d = 1 << 62
		} else {
			s.d = max(time.Duration(float64(v)*float64(time.Second)), 0)
		}
		return nil
	}
	s.err = py.Errorf(py.TypeError, "%s must be a number of seconds or None, not %s", s.name, py.TypeName(v))
	return s.err
}

// Failure is Unpack's error.
func (s *seconds) Failure() error { return s.err }

// msTimeout is the timeout_ms argument of the consumer's close and
// commit: an int of milliseconds; None, the default, leaves the method's
// own.
type msTimeout struct {
	d   time.Duration
	set bool // not None
	err error
}

// Unpack converts v.
func (t *msTimeout) Unpack(v starlark.Value) error {
	if v == starlark.None {
		t.set = false
		return nil
	}
	ms, err := starlark.AsInt32(v)
	if err != nil {
		t.err = py.NewException(py.TypeError, "timeout_ms must be an int")
		return t.err
	}
	t.d, t.set = time.Duration(ms)*time.Millisecond, true
	return nil
}

// Failure is Unpack's error.
func (t *msTimeout) Failure() error { return t.err }

// adminTimeout is the admin client's timeout_ms argument: milliseconds
// from 0 to 2147483647, an int or a float; None, the default, is the
// client's request_timeout_ms, as in kafka-python.
type adminTimeout struct {
	d   time.Duration
	set bool // not None
	err error
}

// Unpack converts v.
func (t *adminTimeout) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.NoneType:
		t.set = false
		return nil
	case starlark.Int:
		if n, ok := x.Int64(); ok && n >= 0 && n <= 1<<31-1 {
			t.d, t.set = time.Duration(n)*time.Millisecond, true
			return nil
		}
		t.err = py.Errorf(py.ValueError, "timeout_ms must be between 0 and 2147483647, not %s", x)
	case starlark.Float:
		if x >= 0 && x <= 1<<31-1 {
			t.d, t.set = time.Duration(float64(x)*float64(time.Millisecond)), true
			return nil
		}
		t.err = py.Errorf(py.ValueError, "timeout_ms must be between 0 and 2147483647, not %s", py.Repr(x))
	default:
		t.err = py.Errorf(py.TypeError, "timeout_ms must be int or None, not %s", py.TypeName(v))
	}
	return t.err
}

// Failure is Unpack's error.
func (t *adminTimeout) Failure() error { return t.err }

// or is the timeout, def when None.
func (t *adminTimeout) or(def time.Duration) time.Duration {
	if t.set {
		return t.d
	}
	return def
}
