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
