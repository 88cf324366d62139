package datetime

import (
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// timezone is Python's datetime.timezone: a fixed offset from UTC, with
// an optional name. It is the only kind of tzinfo kstar has.
type timezone struct {
	offset timedelta
	name   string
	named  bool
}

var (
	_ starlark.HasAttrs   = (*timezone)(nil)
	_ starlark.Comparable = (*timezone)(nil)
)

// utc is timezone.utc, which timezone(timedelta(0)) also returns.
var utc = &timezone{}

// tzinfoClass is the abstract tzinfo, for isinstance(tz, tzinfo).
var tzinfoClass = &class{name: "tzinfo"}

var timezoneClass = &class{name: "timezone", new: newTimezone, base: tzinfoClass}

func init() {
	timezoneClass.attrs = starlark.StringDict{
		"utc": utc,
		"min": &timezone{offset: timedelta{days: -1, seconds: 60}},
		"max": &timezone{offset: timedelta{seconds: 86340}},
	}
	timezoneClass.methods = methods(map[string]py.BuiltinFunc{
		"utcoffset": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := tzMethodArg(b, args, kwargs); err != nil {
				return nil, err
			}
			return b.Receiver().(*timezone).offset, nil
		},
		"dst": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := tzMethodArg(b, args, kwargs); err != nil {
				return nil, err
			}
			return starlark.None, nil
		},
		"tzname": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := tzMethodArg(b, args, kwargs); err != nil {
				return nil, err
			}
			return starlark.String(b.Receiver().(*timezone).tzname()), nil
		},
		"fromutc": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := py.OneArg("timezone."+b.Name(), args, kwargs)
			if err != nil {
				return nil, err
			}
			dt, ok := v.(*dateTime)
			if !ok {
				return nil, py.Errorf(py.TypeError, "fromutc: argument must be a datetime")
			}
			tz := b.Receiver().(*timezone)
			if dt.tz != tz {
				return nil, py.Errorf(py.ValueError, "fromutc: dt.tzinfo is not self")
			}
			return dt.add(tz.offset)
		},
	})
}

// tzMethodArg checks the argument of utcoffset(dt), dst(dt), tzname(dt).
func tzMethodArg(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) error {
	v, err := py.OneArg("timezone."+b.Name(), args, kwargs)
	if err != nil {
		return err
	}
	if _, ok := v.(*dateTime); !ok && v != starlark.None {
		return py.Errorf(py.TypeError, "%s(dt) argument must be a datetime instance or None, not %s", b.Name(), py.TypeName(v))
	}
	return nil
}

var timezoneParams = cParams("timezone", 1, "offset", "name")

// newTimezone is timezone(offset, name=None).
func newTimezone(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vals [2]starlark.Value
	if err := timezoneParams.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	offset, ok := vals[0].(timedelta)
	if !ok {
		return nil, py.Errorf(py.TypeError, "timezone() argument 1 must be datetime.timedelta, not %s", argTypeName(vals[0]))
	}
	tz := &timezone{offset: offset}
	if vals[1] != nil {
		name, ok := vals[1].(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "timezone() argument 2 must be str, not %s", argTypeName(vals[1]))
		}
		tz.name, tz.named = string(name), true
	}
	return makeTimezone(tz)
}

// makeTimezone checks the offset of tz; an unnamed zero offset is utc.
func makeTimezone(tz *timezone) (*timezone, error) {
	if tz.offset.days < -1 || tz.offset.days > 0 || (tz.offset.days == -1 && tz.offset.seconds == 0 && tz.offset.micros == 0) {
		return nil, py.Errorf(py.ValueError, "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not %s.", tz.offset.PyRepr())
	}
	if !tz.named && tz.offset == (timedelta{}) {
		return utc, nil
	}
	return tz, nil
}

// tzname is the name, or UTC±HH:MM.
func (tz *timezone) tzname() string {
	if tz.named {
		return tz.name
	}
	if tz.offset == (timedelta{}) {
		return "UTC"
	}
	return "UTC" + formatOffset(tz.offset, ":")
}

// formatOffset renders a UTC offset as ±HH<sep>MM, then <sep>SS and
// .ffffff when they are not zero: isoformat's and tzname's form with
// sep ":", %z's with "".
func formatOffset(off timedelta, sep string) string {
	sign := "+"
	if off.days < 0 {
		sign = "-"
		off, _ = off.neg()
	}
	secs := off.days*86400 + off.seconds
	s := sign + pad2(int(secs/3600)) + sep + pad2(int(secs/60%60))
	if secs%60 != 0 || off.micros != 0 {
		s += sep + pad2(int(secs%60))
		if off.micros != 0 {
			s += "." + pad6(int(off.micros))
		}
	}
	return s
}

func (tz *timezone) String() string { return tz.PyRepr() }
func (tz *timezone) Type() string   { return "datetime.timezone" }
func (tz *timezone) Freeze()        {}
func (tz *timezone) Truth() starlark.Bool {
	return true
}
func (tz *timezone) Hash() (uint32, error) { return tz.offset.Hash() }

// PyClass is timezone.
func (tz *timezone) PyClass() starlark.Value { return timezoneClass }

// PyRepr is datetime.timezone.utc, or datetime.timezone(<offset>[, name]).
func (tz *timezone) PyRepr() string {
	if tz == utc {
		return "datetime.timezone.utc"
	}
	s := "datetime.timezone(" + tz.offset.PyRepr()
	if tz.named {
		s += ", " + py.QuoteString(tz.name)
	}
	return s + ")"
}

// PyStr is the zone's name.
func (tz *timezone) PyStr() string { return tz.tzname() }

// Attr returns a method.
func (tz *timezone) Attr(name string) (starlark.Value, error) { return timezoneClass.method(tz, name) }

// AttrNames lists the methods.
func (tz *timezone) AttrNames() []string { return timezoneClass.methodNames() }

// CompareSameType compares offsets (names do not count), as CPython's
// == does; timezones have no order.
func (tz *timezone) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	o := y.(*timezone)
	switch op {
	case syntax.EQL:
		return tz.offset == o.offset, nil
	case syntax.NEQ:
		return tz.offset != o.offset, nil
	}
	return false, py.Errorf(py.TypeError, "'%s' not supported between instances of 'datetime.timezone' and 'datetime.timezone'", op)
}
