package datetime

import (
	"strconv"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// clock is Python's datetime.time, a time of day (named so as not to
// shadow Go's time package).
type clock struct {
	hour, minute, second, micro int
	tz                          *timezone
	fold                        int
}

var (
	_ starlark.HasAttrs   = (*clock)(nil)
	_ starlark.Comparable = (*clock)(nil)
	_ py.PyStrer          = (*clock)(nil)
	_ py.PyFormatter      = (*clock)(nil)
	_ py.PyClasser        = (*clock)(nil)
)

var timeClass = &class{name: "time", new: newClock}

func init() {
	timeClass.attrs = starlark.StringDict{
		"min":        &clock{},
		"max":        &clock{hour: 23, minute: 59, second: 59, micro: 999999},
		"resolution": timedelta{micros: 1},
	}
	timeClass.methods = methods(map[string]py.BuiltinFunc{
		"isoformat": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var vals [1]starlark.Value
			if err := clockISOParams.BindValues(args, kwargs, vals[:]); err != nil {
				return nil, err
			}
			timespec, err := timespecArg(vals[0], 1)
			if err != nil {
				return nil, err
			}
			return starlark.String(b.Receiver().(*clock).isoformat(timespec)), nil
		},
		"strftime": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var vals [1]starlark.Value
			if err := strftimeParams.BindValues(args, kwargs, vals[:]); err != nil {
				return nil, err
			}
			format, err := strArg("strftime", 1, vals[0])
			if err != nil {
				return nil, err
			}
			return starlark.String(strftime(b.Receiver(), format)), nil
		},
		"utcoffset": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("time", b, args, kwargs); err != nil {
				return nil, err
			}
			return utcoffset(b.Receiver().(*clock).tz), nil
		},
		"dst": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return starlark.None, noArgs("time", b, args, kwargs)
		},
		"tzname": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("time", b, args, kwargs); err != nil {
				return nil, err
			}
			return tzname(b.Receiver().(*clock).tz), nil
		},
		"replace": clockReplace,
	})
	classMethods(timeClass, map[string]py.BuiltinFunc{
		"fromisoformat": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := py.OneArg("time."+b.Name(), args, kwargs)
			if err != nil {
				return nil, err
			}
			s, ok := v.(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "fromisoformat: argument must be str")
			}
			t, err := parseISOTime(strings.TrimPrefix(string(s), "T"))
			if err != nil {
				return nil, isoError(err, string(s))
			}
			return t, nil
		},
	})
}

// isoError is fromisoformat's ValueError for s: a parse error names s,
// an impossible value keeps its own message.
func isoError(err error, s string) error {
	if e := py.AsException(err); e != nil && e.Msg == "Invalid isoformat string" {
		return py.Errorf(py.ValueError, "Invalid isoformat string: %s", py.QuoteString(s))
	}
	return err
}

// utcoffset is the UTC offset of a zone, None for a naive value.
func utcoffset(tz *timezone) starlark.Value {
	if tz == nil {
		return starlark.None
	}
	return tz.offset
}

// tzname is the name of a zone, None for a naive value.
func tzname(tz *timezone) starlark.Value {
	if tz == nil {
		return starlark.None
	}
	return starlark.String(tz.tzname())
}

var clockISOParams = cParams("isoformat", 0, "timespec")

var clockParams = cParams("", 0, "hour", "minute", "second", "microsecond", "tzinfo", "*", "fold")

// newClock is time(hour=0, minute=0, second=0, microsecond=0,
// tzinfo=None, *, fold=0).
func newClock(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vals [6]starlark.Value
	if err := clockParams.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	return makeClock(&clock{}, vals[:])
}

var clockReplaceParams = cParams("replace", 0, clockParams.Params...)

// clockReplace is time.replace(hour, minute, second, microsecond, tzinfo, *, fold).
func clockReplace(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vals [6]starlark.Value
	if err := clockReplaceParams.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	t := *b.Receiver().(*clock)
	return makeClock(&t, vals[:])
}

// makeClock sets the fields of t given in vals (hour, minute, second,
// microsecond, tzinfo, fold) and checks them.
func makeClock(t *clock, vals []starlark.Value) (*clock, error) {
	if err := ints(vals, &t.hour, &t.minute, &t.second, &t.micro); err != nil {
		return nil, err
	}
	if vals[4] != nil {
		tz, err := tzArg(vals[4])
		if err != nil {
			return nil, err
		}
		t.tz = tz
	}
	if err := ints(vals[5:], &t.fold); err != nil {
		return nil, err
	}
	if err := checkTime(t.hour, t.minute, t.second, t.micro, t.fold); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *clock) isoformat(timespec string) string {
	var buf [32]byte
	return string(appendISOTime(buf[:0], t.hour, t.minute, t.second, t.micro, t.tz, timespec))
}

func (t *clock) String() string { return t.PyRepr() }
func (t *clock) Type() string   { return "datetime.time" }
func (t *clock) Freeze()        {}
func (t *clock) Truth() starlark.Bool {
	return true
}

// Hash agrees with ==: aware times hash by their UTC time.
func (t *clock) Hash() (uint32, error) {
	secs, micro := t.utcSeconds()
	return hashInts(secs, micro, b2i(t.tz != nil)), nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// utcSeconds is the time as seconds and microseconds since midnight,
// less the UTC offset of an aware time.
func (t *clock) utcSeconds() (int64, int64) {
	secs := int64(t.hour*3600 + t.minute*60 + t.second)
	micro := int64(t.micro)
	if t.tz != nil {
		secs -= t.tz.offset.days*86400 + t.tz.offset.seconds
		micro -= t.tz.offset.micros
	}
	return secs, micro
}

// PyClass is time.
func (t *clock) PyClass() starlark.Value { return timeClass }

// PyRepr is datetime.time(1, 2[, 3[, 4]][, tzinfo=...][, fold=1]).
func (t *clock) PyRepr() string {
	var b strings.Builder
	b.WriteString("datetime.time(")
	writeHMS(&b, t.hour, t.minute, t.second, t.micro)
	if t.tz != nil {
		b.WriteString(", tzinfo=" + t.tz.PyRepr())
	}
	if t.fold != 0 {
		b.WriteString(", fold=1")
	}
	b.WriteByte(')')
	return b.String()
}

// writeHMS writes the time fields of a repr: hour and minute always,
// second and microsecond when they are not zero.
func writeHMS(b *strings.Builder, hour, minute, second, micro int) {
	b.WriteString(strconv.Itoa(hour) + ", " + strconv.Itoa(minute))
	if second != 0 || micro != 0 {
		b.WriteString(", " + strconv.Itoa(second))
	}
	if micro != 0 {
		b.WriteString(", " + strconv.Itoa(micro))
	}
}

// PyStr is the isoformat.
func (t *clock) PyStr() string { return t.isoformat("auto") }

// PyFormat is format(t, spec): strftime's, str(t) for an empty spec.
func (t *clock) PyFormat(spec string) (string, error) {
	if spec == "" {
		return t.PyStr(), nil
	}
	return strftime(t, spec), nil
}

// Attr returns hour, minute, second, microsecond, tzinfo, fold or a method.
func (t *clock) Attr(name string) (starlark.Value, error) {
	switch name {
	case "hour":
		return starlark.MakeInt(t.hour), nil
	case "minute":
		return starlark.MakeInt(t.minute), nil
	case "second":
		return starlark.MakeInt(t.second), nil
	case "microsecond":
		return starlark.MakeInt(t.micro), nil
	case "tzinfo":
		return tzValue(t.tz), nil
	case "fold":
		return starlark.MakeInt(t.fold), nil
	}
	return timeClass.method(t, name)
}

// tzValue is a tzinfo attribute: the zone, or None.
func tzValue(tz *timezone) starlark.Value {
	if tz == nil {
		return starlark.None
	}
	return tz
}

// AttrNames lists the attributes.
func (t *clock) AttrNames() []string {
	return timeClass.methodNames("fold", "hour", "microsecond", "minute", "second", "tzinfo")
}

// CompareSameType orders times; an aware time by its UTC time, and
// ordering a naive against an aware one is a TypeError.
func (t *clock) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	o := y.(*clock)
	if (t.tz == nil) != (o.tz == nil) {
		switch op {
		case syntax.EQL:
			return false, nil
		case syntax.NEQ:
			return true, nil
		}
		return false, py.Errorf(py.TypeError, "can't compare offset-naive and offset-aware times")
	}
	if t.tz == o.tz {
		return compareInts(op, int64(t.hour), int64(o.hour), int64(t.minute), int64(o.minute), int64(t.second), int64(o.second), int64(t.micro), int64(o.micro)), nil
	}
	ts, tu := t.utcSeconds()
	os, ou := o.utcSeconds()
	return compareInts(op, ts*1000000+tu, os*1000000+ou), nil
}
