package datetime

import (
	"math"
	"strconv"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	libtime "github.com/kstar-dev/kstar/builtins/lib/time"
	"github.com/kstar-dev/kstar/builtins/py"
)

// dateTime is Python's datetime.datetime: a date and a time of day,
// naive (tz nil) or aware.
type dateTime struct {
	year, month, day, hour, minute, second, micro int
	tz                                            *timezone
	fold                                          int
}

var (
	_ starlark.HasAttrs   = (*dateTime)(nil)
	_ starlark.HasBinary  = (*dateTime)(nil)
	_ starlark.Comparable = (*dateTime)(nil)
	_ py.PyStrer          = (*dateTime)(nil)
	_ py.PyFormatter      = (*dateTime)(nil)
	_ py.PyClasser        = (*dateTime)(nil)
)

var dateTimeClass = &class{name: "datetime", new: newDateTime, base: dateClass}

func init() {
	own := map[string]py.BuiltinFunc{
		"date": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			return b.Receiver().(*dateTime).date(), nil
		},
		"time": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			dt := b.Receiver().(*dateTime)
			return &clock{dt.hour, dt.minute, dt.second, dt.micro, nil, dt.fold}, nil
		},
		"timetz": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			dt := b.Receiver().(*dateTime)
			return &clock{dt.hour, dt.minute, dt.second, dt.micro, dt.tz, dt.fold}, nil
		},
		"utcoffset": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			return utcoffset(b.Receiver().(*dateTime).tz), nil
		},
		"dst": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return starlark.None, noArgs("datetime", b, args, kwargs)
		},
		"tzname": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			return tzname(b.Receiver().(*dateTime).tz), nil
		},
		"timestamp": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			return b.Receiver().(*dateTime).timestamp(), nil
		},
		"timetuple": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			dt := b.Receiver().(*dateTime)
			return timetuple(dt.date(), dt.hour, dt.minute, dt.second, -1), nil
		},
		"utctimetuple": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			dt := b.Receiver().(*dateTime)
			if dt.tz != nil {
				var err error
				if dt, err = dt.add(timedelta{}.minus(dt.tz.offset)); err != nil {
					return nil, err
				}
			}
			return timetuple(dt.date(), dt.hour, dt.minute, dt.second, 0), nil
		},
		"ctime": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			return starlark.String(strftime(b.Receiver(), ctimeFormat)), nil
		},
		"isoformat": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var vals [2]starlark.Value
			if err := isoformatParams.BindValues(args, kwargs, vals[:]); err != nil {
				return nil, err
			}
			sep := "T"
			if vals[0] != nil {
				s, ok := vals[0].(starlark.String)
				if !ok || len([]rune(string(s))) != 1 {
					return nil, py.Errorf(py.TypeError, "isoformat() argument 1 must be a unicode character, not %s", py.TypeName(vals[0]))
				}
				sep = string(s)
			}
			timespec, err := timespecArg(vals[1], 2)
			if err != nil {
				return nil, err
			}
			return starlark.String(b.Receiver().(*dateTime).isoformat(sep, timespec)), nil
		},
		"replace": dateTimeReplace,
		"astimezone": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var vals [1]starlark.Value
			if err := astimezoneParams.BindValues(args, kwargs, vals[:]); err != nil {
				return nil, err
			}
			tz, err := tzArg(vals[0])
			if err != nil {
				return nil, err
			}
			return b.Receiver().(*dateTime).astimezone(tz)
		},
	}
	for name, fn := range dateMethods {
		own[name] = fn
	}
	dateTimeClass.methods = methods(own)
	dateTimeClass.attrs = starlark.StringDict{
		"min":        &dateTime{year: minYear, month: 1, day: 1},
		"max":        &dateTime{year: maxYear, month: 12, day: 31, hour: 23, minute: 59, second: 59, micro: 999999},
		"resolution": timedelta{micros: 1},
	}
	classMethods(dateTimeClass, map[string]py.BuiltinFunc{
		"now": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var vals [1]starlark.Value
			if err := nowParams.BindValues(args, kwargs, vals[:]); err != nil {
				return nil, err
			}
			tz, err := tzArg(vals[0])
			if err != nil {
				return nil, err
			}
			now := time.Now()
			return fromUnix(now.Unix(), now.Nanosecond()/1000, tz, time.Local)
		},
		"utcnow": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			now := time.Now()
			return fromUnix(now.Unix(), now.Nanosecond()/1000, nil, time.UTC)
		},
		"today": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("datetime", b, args, kwargs); err != nil {
				return nil, err
			}
			now := time.Now()
			return fromUnix(now.Unix(), now.Nanosecond()/1000, nil, time.Local)
		},
		"fromtimestamp": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var vals [2]starlark.Value
			if err := fromTimestampParams.BindValues(args, kwargs, vals[:]); err != nil {
				return nil, err
			}
			tz, err := tzArg(vals[1])
			if err != nil {
				return nil, err
			}
			return fromTimestamp(vals[0], tz, time.Local)
		},
		"utcfromtimestamp": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := py.OneArg("datetime."+b.Name(), args, kwargs)
			if err != nil {
				return nil, err
			}
			return fromTimestamp(v, nil, time.UTC)
		},
		"fromisoformat": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := py.OneArg("datetime."+b.Name(), args, kwargs)
			if err != nil {
				return nil, err
			}
			s, ok := v.(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "fromisoformat: argument must be str")
			}
			dt, err := parseISODateTime(string(s))
			if err != nil {
				return nil, isoError(err, string(s))
			}
			return dt, nil
		},
		"strptime": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(kwargs) > 0 {
				return nil, py.Errorf(py.TypeError, "datetime.strptime() takes no keyword arguments")
			}
			if len(args) != 2 {
				return nil, py.Errorf(py.TypeError, "strptime() takes exactly 2 arguments (%d given)", len(args))
			}
			s, err := strArg("strptime", 1, args[0])
			if err != nil {
				return nil, err
			}
			format, err := strArg("strptime", 2, args[1])
			if err != nil {
				return nil, err
			}
			return strptime(s, format)
		},
		"combine": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var vals [3]starlark.Value
			if err := combineParams.BindValues(args, kwargs, vals[:]); err != nil {
				return nil, err
			}
			d, ok := vals[0].(*date)
			if dt, isDT := vals[0].(*dateTime); isDT {
				d, ok = dt.date(), true
			}
			if !ok {
				return nil, py.Errorf(py.TypeError, "combine() argument 1 must be datetime.date, not %s", py.TypeName(vals[0]))
			}
			t, ok := vals[1].(*clock)
			if !ok {
				return nil, py.Errorf(py.TypeError, "combine() argument 2 must be datetime.time, not %s", py.TypeName(vals[1]))
			}
			tz := t.tz
			if vals[2] != nil {
				var err error
				if tz, err = tzArg(vals[2]); err != nil {
					return nil, err
				}
			}
			return &dateTime{d.year, d.month, d.day, t.hour, t.minute, t.second, t.micro, tz, t.fold}, nil
		},
		"fromordinal": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := py.OneArg("datetime."+b.Name(), args, kwargs)
			if err != nil {
				return nil, err
			}
			d, err := dateFromOrdinal(v)
			if err != nil {
				return nil, err
			}
			return &dateTime{year: d.year, month: d.month, day: d.day}, nil
		},
		"fromisocalendar": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			d, err := dateFromISOCalendar(args, kwargs)
			if err != nil {
				return nil, err
			}
			return &dateTime{year: d.year, month: d.month, day: d.day}, nil
		},
	})
}

var (
	dateTimeParams      = cParams("", 3, "year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "*", "fold")
	dateTimeReplaceArgs = cParams("replace", 0, dateTimeParams.Params...)
	isoformatParams     = cParams("isoformat", 0, "sep", "timespec")
	astimezoneParams    = cParams("astimezone", 0, "tz")
	nowParams           = cParams("now", 0, "tz")
	fromTimestampParams = cParams("fromtimestamp", 1, "timestamp", "tz")
	combineParams       = cParams("combine", 2, "date", "time", "tzinfo")
)

// newDateTime is datetime(year, month, day, hour=0, minute=0, second=0,
// microsecond=0, tzinfo=None, *, fold=0).
func newDateTime(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vals [9]starlark.Value
	if err := dateTimeParams.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	return makeDateTime(&dateTime{}, vals[:])
}

// dateTimeReplace is datetime.replace(year, ..., tzinfo, *, fold).
func dateTimeReplace(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vals [9]starlark.Value
	if err := dateTimeReplaceArgs.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	dt := *b.Receiver().(*dateTime)
	return makeDateTime(&dt, vals[:])
}

// makeDateTime sets the fields of dt given in vals (year ... microsecond,
// tzinfo, fold) and checks them.
func makeDateTime(dt *dateTime, vals []starlark.Value) (*dateTime, error) {
	if err := ints(vals, &dt.year, &dt.month, &dt.day, &dt.hour, &dt.minute, &dt.second, &dt.micro); err != nil {
		return nil, err
	}
	if vals[7] != nil {
		tz, err := tzArg(vals[7])
		if err != nil {
			return nil, err
		}
		dt.tz = tz
	}
	if err := ints(vals[8:], &dt.fold); err != nil {
		return nil, err
	}
	if err := checkDate(dt.year, dt.month, dt.day); err != nil {
		return nil, err
	}
	if err := checkTime(dt.hour, dt.minute, dt.second, dt.micro, dt.fold); err != nil {
		return nil, err
	}
	return dt, nil
}

// timestampSeconds converts a timestamp argument to whole seconds and
// microseconds, rounding half to even as CPython does.
func timestampSeconds(v starlark.Value) (int64, int, error) {
	var f float64
	switch x := v.(type) {
	case starlark.Int:
		n, ok := x.Int64()
		if !ok {
			return 0, 0, py.Errorf(py.OverflowError, "timestamp out of range for platform time_t")
		}
		return n, 0, nil
	case starlark.Bool:
		return b2i(bool(x)), 0, nil
	case starlark.Float:
		f = float64(x)
	default:
		return 0, 0, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
	}
	if math.IsNaN(f) {
		return 0, 0, py.Errorf(py.ValueError, "Invalid value NaN (not a number)")
	}
	whole, frac := math.Modf(f)
	us := math.RoundToEven(frac * 1e6)
	if us >= 1e6 {
		us -= 1e6
		whole++
	} else if us < 0 {
		us += 1e6
		whole--
	}
	if whole < -(1<<63) || whole >= 1<<63 {
		return 0, 0, py.Errorf(py.OverflowError, "timestamp out of range for platform time_t")
	}
	return int64(whole), int(us), nil
}

// fromTimestamp is fromtimestamp(t, tz): in tz if given, otherwise the
// naive time in loc (time.Local or time.UTC).
func fromTimestamp(v starlark.Value, tz *timezone, loc *time.Location) (*dateTime, error) {
	secs, us, err := timestampSeconds(v)
	if err != nil {
		return nil, err
	}
	return fromUnix(secs, us, tz, loc)
}

// fromUnix is the datetime of a Unix time: aware in tz, or naive in loc.
func fromUnix(secs int64, us int, tz *timezone, loc *time.Location) (*dateTime, error) {
	// Years past 9999 are refused below; this keeps Go's arithmetic exact.
	if secs > 1<<50 || secs < -(1<<50) {
		return nil, py.Errorf(py.ValueError, "year is out of range")
	}
	if tz != nil {
		loc = time.UTC
	}
	t := time.Unix(secs, int64(us)*1000).In(loc)
	year, month, day := t.Date()
	if year < minYear || year > maxYear {
		return nil, py.Errorf(py.ValueError, "year %d is out of range", year)
	}
	hour, minute, second := t.Clock()
	dt := &dateTime{year, int(month), day, hour, minute, second, us, tz, 0}
	if tz != nil {
		return dt.add(tz.offset) // tz.fromutc(dt)
	}
	return dt, nil
}

// strptime is datetime.strptime(s, format).
func strptime(s, format string) (*dateTime, error) {
	p, err := libtime.Strptime(s, format)
	if err != nil {
		return nil, err
	}
	dt := &dateTime{p.Year, p.Month, p.Day, p.Hour, p.Minute, p.Second, p.Microsecond, nil, 0}
	if p.HasOffset {
		off, err := makeTimedelta(0, 0, p.Offset.Microseconds())
		if err != nil {
			return nil, err
		}
		tz := &timezone{offset: off, name: p.Zone, named: p.Zone != ""}
		if dt.tz, err = makeTimezone(tz); err != nil {
			return nil, err
		}
	}
	if err := checkDate(dt.year, dt.month, dt.day); err != nil {
		return nil, err
	}
	return dt, nil
}

func (dt *dateTime) date() *date { return &date{dt.year, dt.month, dt.day} }

// micros is the datetime as microseconds since 0001-01-01 (its ordinal
// day 1), ignoring its zone.
func (dt *dateTime) micros() int64 {
	days := int64(toOrdinal(dt.year, dt.month, dt.day) - 1)
	return days*microsPerDay + int64(dt.hour*3600+dt.minute*60+dt.second)*1000000 + int64(dt.micro)
}

// utcMicros is micros less the UTC offset of an aware datetime.
func (dt *dateTime) utcMicros() int64 {
	us := dt.micros()
	if dt.tz != nil {
		off, _ := dt.tz.offset.micros64()
		us -= off
	}
	return us
}

// fromMicros is the datetime of micros (see micros) in tz, or
// CPython's OverflowError past the calendar's ends.
func fromMicros(us int64, tz *timezone) (*dateTime, error) {
	days := floorDiv(us, microsPerDay)
	if days < 0 || days >= int64(maxOrdinal) {
		return nil, py.Errorf(py.OverflowError, "date value out of range")
	}
	rest := us - days*microsPerDay
	y, m, d := fromOrdinal(int(days) + 1)
	secs := int(rest / 1000000)
	return &dateTime{y, m, d, secs / 3600, secs / 60 % 60, secs % 60, int(rest % 1000000), tz, 0}, nil
}

// add is dt + td.
func (dt *dateTime) add(td timedelta) (*dateTime, error) {
	us, ok := td.micros64()
	if !ok {
		return nil, py.Errorf(py.OverflowError, "date value out of range")
	}
	return fromMicros(dt.micros()+us, dt.tz)
}

// minus is td − o.
func (td timedelta) minus(o timedelta) timedelta {
	r, _ := makeTimedelta(td.days-o.days, td.seconds-o.seconds, td.micros-o.micros)
	return r
}

// unixMicros is the datetime as microseconds since the Unix epoch: its
// UTC time if aware, otherwise its local time's.
func (dt *dateTime) unixMicros() int64 {
	if dt.tz != nil {
		return dt.utcMicros() - unixEpochMicros
	}
	t := time.Date(dt.year, time.Month(dt.month), dt.day, dt.hour, dt.minute, dt.second, 0, time.Local)
	return t.Unix()*1000000 + int64(dt.micro)
}

var unixEpochMicros = (&dateTime{year: 1970, month: 1, day: 1}).micros()

// timestamp is timestamp(): seconds since the epoch, as a float.
func (dt *dateTime) timestamp() starlark.Value {
	if dt.tz == nil {
		t := time.Date(dt.year, time.Month(dt.month), dt.day, dt.hour, dt.minute, dt.second, 0, time.Local)
		return starlark.Float(float64(t.Unix()) + float64(dt.micro)/1e6)
	}
	us := dt.utcMicros() - unixEpochMicros
	return timedelta{}.plusMicros(us).totalSeconds()
}

// plusMicros is td + us microseconds (us an int64).
func (td timedelta) plusMicros(us int64) timedelta {
	r, _ := makeTimedelta(td.days+floorDiv(us, microsPerDay), td.seconds, td.micros+floorMod(us, microsPerDay))
	return r
}

// astimezone is astimezone(tz): the same instant in tz, or in the
// host's local zone (a fixed-offset timezone named as the host names it)
// when tz is None.
func (dt *dateTime) astimezone(tz *timezone) (*dateTime, error) {
	if tz != nil && dt.tz == tz {
		return dt, nil
	}
	unix := dt.unixMicros()
	secs, us := floorDiv(unix, 1000000), int(floorMod(unix, 1000000))
	if tz == nil {
		t := time.Unix(secs, 0).In(time.Local)
		name, off := t.Zone()
		zone, err := makeTimezone(&timezone{offset: timedelta{}.plusMicros(int64(off) * 1000000), name: name, named: true})
		if err != nil {
			return nil, err
		}
		tz = zone
	}
	return fromUnix(secs, us, tz, time.UTC)
}

// isoformat is YYYY-MM-DD<sep>HH:MM:SS[.ffffff][+HH:MM].
func (dt *dateTime) isoformat(sep, timespec string) string {
	var buf [48]byte
	b := appendISODate(buf[:0], dt.year, dt.month, dt.day)
	b = append(b, sep...)
	b = appendISOTime(b, dt.hour, dt.minute, dt.second, dt.micro, dt.tz, timespec)
	return string(b)
}

func (dt *dateTime) String() string { return dt.PyRepr() }
func (dt *dateTime) Type() string   { return "datetime.datetime" }
func (dt *dateTime) Freeze()        {}
func (dt *dateTime) Truth() starlark.Bool {
	return true
}

// Hash agrees with ==: aware datetimes hash by their UTC time.
func (dt *dateTime) Hash() (uint32, error) {
	return hashInts(dt.utcMicros(), b2i(dt.tz != nil)), nil
}

// PyClass is datetime.
func (dt *dateTime) PyClass() starlark.Value { return dateTimeClass }

// PyRepr is datetime.datetime(2024, 1, 2, 3, 4[, 5[, 6]][, fold=1][, tzinfo=...]).
func (dt *dateTime) PyRepr() string {
	var b strings.Builder
	b.WriteString("datetime.datetime(")
	b.WriteString(strconv.Itoa(dt.year) + ", " + strconv.Itoa(dt.month) + ", " + strconv.Itoa(dt.day) + ", ")
	writeHMS(&b, dt.hour, dt.minute, dt.second, dt.micro)
	if dt.fold != 0 {
		b.WriteString(", fold=1")
	}
	if dt.tz != nil {
		b.WriteString(", tzinfo=" + dt.tz.PyRepr())
	}
	b.WriteByte(')')
	return b.String()
}

// PyStr is the isoformat with a space between date and time.
func (dt *dateTime) PyStr() string { return dt.isoformat(" ", "auto") }

// PyFormat is format(dt, spec): strftime's, str(dt) for an empty spec.
func (dt *dateTime) PyFormat(spec string) (string, error) {
	if spec == "" {
		return dt.PyStr(), nil
	}
	return strftime(dt, spec), nil
}

// Attr returns a field or a method.
func (dt *dateTime) Attr(name string) (starlark.Value, error) {
	switch name {
	case "year":
		return starlark.MakeInt(dt.year), nil
	case "month":
		return starlark.MakeInt(dt.month), nil
	case "day":
		return starlark.MakeInt(dt.day), nil
	case "hour":
		return starlark.MakeInt(dt.hour), nil
	case "minute":
		return starlark.MakeInt(dt.minute), nil
	case "second":
		return starlark.MakeInt(dt.second), nil
	case "microsecond":
		return starlark.MakeInt(dt.micro), nil
	case "tzinfo":
		return tzValue(dt.tz), nil
	case "fold":
		return starlark.MakeInt(dt.fold), nil
	}
	return dateTimeClass.method(dt, name)
}

// AttrNames lists the attributes.
func (dt *dateTime) AttrNames() []string {
	return dateTimeClass.methodNames("day", "fold", "hour", "microsecond", "minute", "month", "second", "tzinfo", "year")
}

// Binary is datetime ± timedelta and datetime − datetime.
func (dt *dateTime) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch o := y.(type) {
	case timedelta:
		switch {
		case op == syntax.PLUS:
			return dt.add(o)
		case op == syntax.MINUS && side == starlark.Left:
			neg, err := o.neg()
			if err != nil {
				return nil, err
			}
			return dt.add(neg)
		}
	case *dateTime:
		if op != syntax.MINUS {
			return nil, nil
		}
		a, b := dt, o
		if side == starlark.Right {
			a, b = o, dt
		}
		if (a.tz == nil) != (b.tz == nil) {
			return nil, py.Errorf(py.TypeError, "can't subtract offset-naive and offset-aware datetimes")
		}
		if a.tz == b.tz {
			return timedelta{}.plusMicros(a.micros() - b.micros()), nil
		}
		return timedelta{}.plusMicros(a.utcMicros() - b.utcMicros()), nil
	}
	return nil, nil
}

// CompareSameType orders datetimes; aware ones by their UTC time, and
// ordering a naive against an aware one is a TypeError.
func (dt *dateTime) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	o := y.(*dateTime)
	if (dt.tz == nil) != (o.tz == nil) {
		switch op {
		case syntax.EQL:
			return false, nil
		case syntax.NEQ:
			return true, nil
		}
		return false, py.Errorf(py.TypeError, "can't compare offset-naive and offset-aware datetimes")
	}
	if dt.tz == o.tz {
		return compareInts(op, dt.micros(), o.micros()), nil
	}
	return compareInts(op, dt.utcMicros(), o.utcMicros()), nil
}
