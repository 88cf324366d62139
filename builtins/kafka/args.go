package kafka

import (
	"math"
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
	_ py.TypedArg = (*pollTimeout)(nil)
	_ py.TypedArg = (*maxRecords)(nil)
	_ py.TypedArg = (*topicPartition)(nil)
	_ py.TypedArg = (*topicPartitionList)(nil)
	_ py.TypedArg = (*seekOffset)(nil)
	_ py.TypedArg = (*timestampsDict)(nil)
	_ py.TypedArg = (*coordinatorID)(nil)
	_ py.TypedArg = (*nameList)(nil)
	_ py.TypedArg = (*adminPartitions)(nil)
	_ py.TypedArg = (*brokerIDs)(nil)
	_ py.TypedArg = (*configResourceList)(nil)
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

// pollTimeout is poll's timeout_ms: milliseconds, an int or a float, not
// negative.
type pollTimeout struct {
	d   time.Duration
	err error
}

// Unpack converts v.
func (t *pollTimeout) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.Int:
		ms, _ := x.Int64()
		t.d = time.Duration(ms) * time.Millisecond
	case starlark.Float:
		t.d = time.Duration(float64(x) * float64(time.Millisecond))
	default:
		t.err = py.Errorf(py.TypeError, "timeout_ms must be an int, not %s", py.TypeName(v))
		return t.err
	}
	if t.d < 0 {
		t.err = py.NewException(py.ValueError, "Timeout must not be negative")
	}
	return t.err
}

// Failure is Unpack's error.
func (t *pollTimeout) Failure() error { return t.err }

// maxRecords is poll's max_records: a positive int, at most 2**30 used;
// None, the default, is the consumer's max_poll_records.
type maxRecords struct {
	n   int
	set bool // not None
	err error
}

// Unpack converts v.
func (m *maxRecords) Unpack(v starlark.Value) error {
	if v == starlark.None {
		m.set = false
		return nil
	}
	n, ok := v.(starlark.Int)
	if !ok {
		m.err = py.NewException(py.TypeError, "max_records must be an integer")
		return m.err
	}
	i, fits := n.Int64()
	switch {
	case !fits && n.Sign() > 0:
		m.err = py.Errorf(py.ValueError, "max_records must be at most %d", int64(math.MaxInt64))
	case i <= 0:
		m.err = py.NewException(py.ValueError, "max_records must be positive")
	default:
		m.n, m.set = int(min(i, 1<<30)), true
	}
	return m.err
}

// Failure is Unpack's error.
func (m *maxRecords) Failure() error { return m.err }

// or is the number, def when None.
func (m *maxRecords) or(def int) int {
	if m.set {
		return m.n
	}
	return def
}

// topicPartition is a TopicPartition argument (committed, position,
// seek, highwater), with kafka-python's TypeError for anything else.
type topicPartition struct {
	tp
	err error
}

// Unpack converts v.
func (t *topicPartition) Unpack(v starlark.Value) error {
	t.tp, t.err = topicPartArg(v)
	return t.err
}

// Failure is Unpack's error.
func (t *topicPartition) Failure() error { return t.err }

// topicPartitionList is an iterable of TopicPartitions (beginning_offsets,
// end_offsets).
type topicPartitionList struct {
	tps []tp
	err error
}

// Unpack converts v.
func (l *topicPartitionList) Unpack(v starlark.Value) error {
	l.tps, l.err = topicPartListArg(v)
	return l.err
}

// Failure is Unpack's error.
func (l *topicPartitionList) Failure() error { return l.err }

// seekOffset is seek's offset: an int from 0 to 2**63-1.
type seekOffset struct {
	o   int64
	err error
}

// Unpack converts v.
func (s *seekOffset) Unpack(v starlark.Value) error {
	off, ok := v.(starlark.Int)
	o, exact := off.Int64()
	if !ok || !exact || o < 0 {
		s.err = py.NewException(py.ValueError, "Offset must be int >= 0")
		return s.err
	}
	s.o = o
	return nil
}

// Failure is Unpack's error.
func (s *seekOffset) Failure() error { return s.err }

// timestampsDict is offsets_for_times' timestamps: a dict, whose items
// are checked once the consumer is known to be open, as in kafka-python.
type timestampsDict struct {
	*starlark.Dict
	err error
}

// Unpack converts v.
func (d *timestampsDict) Unpack(v starlark.Value) error {
	var ok bool
	if d.Dict, ok = v.(*starlark.Dict); !ok {
		d.err = py.Errorf(py.TypeError, "timestamps must be a dict of TopicPartition to int, not %s", py.TypeName(v))
	}
	return d.err
}

// Failure is Unpack's error.
func (d *timestampsDict) Failure() error { return d.err }

// coordinatorID is the admin client's group_coordinator_id or
// partition_leader_id: an int or None, which kstar only checks, as
// franz-go finds the right broker.
type coordinatorID struct {
	name string // the parameter, for the error
	err  error
}

// Unpack checks v.
func (c *coordinatorID) Unpack(v starlark.Value) error {
	switch v.(type) {
	case starlark.NoneType, starlark.Int:
		return nil
	}
	c.err = py.Errorf(py.TypeError, "%s must be int or None, not %s", c.name, py.TypeName(v))
	return c.err
}

// Failure is Unpack's error.
func (c *coordinatorID) Failure() error { return c.err }

// nameList is a list of names (stringsArg) for the admin client, or
// None where noneOK.
type nameList struct {
	what   string // the method and parameter, for the error
	noneOK bool
	names  []string
	set    bool // not None
	err    error
}

// Unpack converts v.
func (l *nameList) Unpack(v starlark.Value) error {
	if l.noneOK && v == starlark.None {
		l.set = false
		return nil
	}
	l.names, l.err = stringsArg(l.what, v)
	l.set = l.err == nil
	return l.err
}

// Failure is Unpack's error.
func (l *nameList) Failure() error { return l.err }

// adminPartitions is an optional list of TopicPartitions (tpList) for
// the admin client; None is all.
type adminPartitions struct {
	what string // the method and parameter, for the error
	tps  []tp
	set  bool // not None
	err  error
}

// Unpack converts v.
func (p *adminPartitions) Unpack(v starlark.Value) error {
	if v == starlark.None {
		p.set = false
		return nil
	}
	p.tps, p.err = tpList(p.what, v)
	p.set = p.err == nil
	return p.err
}

// Failure is Unpack's error.
func (p *adminPartitions) Failure() error { return p.err }

// brokerIDs is an optional list of broker ids (intList); None is all.
type brokerIDs struct {
	what string // the method and parameter, for the error
	ids  []int32
	set  bool // not None
	err  error
}

// Unpack converts v.
func (b *brokerIDs) Unpack(v starlark.Value) error {
	if v == starlark.None {
		b.set = false
		return nil
	}
	b.ids, b.err = intList(b.what, v)
	b.set = b.err == nil
	return b.err
}

// Failure is Unpack's error.
func (b *brokerIDs) Failure() error { return b.err }

// configResourceList is describe_configs' and alter_configs'
// config_resources: a list of ConfigResource (configResources).
type configResourceList struct {
	fn  string // the method, for the error
	rs  []configResource
	err error
}

// Unpack converts v.
func (l *configResourceList) Unpack(v starlark.Value) error {
	l.rs, l.err = configResources(l.fn, v)
	return l.err
}

// Failure is Unpack's error.
func (l *configResourceList) Failure() error { return l.err }
