package datetime

import (
	"strconv"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// date is Python's datetime.date.
type date struct {
	year, month, day int
}

var (
	_ starlark.HasAttrs   = (*date)(nil)
	_ starlark.HasBinary  = (*date)(nil)
	_ starlark.Comparable = (*date)(nil)
	_ py.PyStrer          = (*date)(nil)
	_ py.PyFormatter      = (*date)(nil)
	_ py.PyClasser        = (*date)(nil)
)

// isoCalendarDateType is what isocalendar() returns.
var isoCalendarDateType = py.NewNamedTupleType("datetime.IsoCalendarDate", []string{"year", "week", "weekday"})

var dateClass = &class{name: "date", new: newDate}

// dateMethods are the methods datetime inherits from date.
var dateMethods = map[string]py.BuiltinFunc{
	"toordinal": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("date", b, args, kwargs); err != nil {
			return nil, err
		}
		return starlark.MakeInt(dateOf(b.Receiver()).ordinal()), nil
	},
	"weekday": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("date", b, args, kwargs); err != nil {
			return nil, err
		}
		return starlark.MakeInt(weekday(dateOf(b.Receiver()).ordinal())), nil
	},
	"isoweekday": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("date", b, args, kwargs); err != nil {
			return nil, err
		}
		return starlark.MakeInt(weekday(dateOf(b.Receiver()).ordinal()) + 1), nil
	},
	"isocalendar": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("date", b, args, kwargs); err != nil {
			return nil, err
		}
		d := dateOf(b.Receiver())
		y, w, wd := isoCalendar(d.year, d.month, d.day)
		return isoCalendarDateType.Make(starlark.MakeInt(y), starlark.MakeInt(w), starlark.MakeInt(wd)), nil
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
}

var strftimeParams = cParams("strftime", 1, "format")

func init() {
	own := map[string]py.BuiltinFunc{
		"ctime": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("date", b, args, kwargs); err != nil {
				return nil, err
			}
			return starlark.String(strftime(b.Receiver(), ctimeFormat)), nil
		},
		"isoformat": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("date", b, args, kwargs); err != nil {
				return nil, err
			}
			return starlark.String(b.Receiver().(*date).isoformat()), nil
		},
		"timetuple": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("date", b, args, kwargs); err != nil {
				return nil, err
			}
			return timetuple(b.Receiver().(*date), 0, 0, 0, -1), nil
		},
		"replace": dateReplace,
	}
	for name, fn := range dateMethods {
		own[name] = fn
	}
	dateClass.methods = methods(own)
	dateClass.attrs = starlark.StringDict{
		"min":        &date{minYear, 1, 1},
		"max":        &date{maxYear, 12, 31},
		"resolution": timedelta{days: 1},
	}
	classMethods(dateClass, map[string]py.BuiltinFunc{
		"today": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := noArgs("date", b, args, kwargs); err != nil {
				return nil, err
			}
			now := time.Now()
			return &date{now.Year(), int(now.Month()), now.Day()}, nil
		},
		"fromtimestamp": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := py.OneArg("date."+b.Name(), args, kwargs)
			if err != nil {
				return nil, err
			}
			dt, err := fromTimestamp(v, nil, time.Local)
			if err != nil {
				return nil, err
			}
			return dt.date(), nil
		},
		"fromordinal": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := py.OneArg("date."+b.Name(), args, kwargs)
			if err != nil {
				return nil, err
			}
			d, err := dateFromOrdinal(v)
			if err != nil {
				return nil, err
			}
			return d, nil
		},
		"fromisoformat": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := py.OneArg("date."+b.Name(), args, kwargs)
			if err != nil {
				return nil, err
			}
			s, ok := v.(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "fromisoformat: argument must be str")
			}
			d, err := parseISODate(string(s))
			if err != nil {
				return nil, isoError(err, string(s))
			}
			return d, nil
		},
		"fromisocalendar": func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			d, err := dateFromISOCalendar(args, kwargs)
			if err != nil {
				return nil, err
			}
			return d, nil
		},
	})
}

// dateOf is the date part of a date or datetime.
func dateOf(v starlark.Value) *date {
	switch v := v.(type) {
	case *date:
		return v
	case *dateTime:
		return v.date()
	}
	panic("datetime: not a date")
}

var dateParams = cParams("", 3, "year", "month", "day")

// newDate is date(year, month, day).
func newDate(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vals [3]starlark.Value
	if err := dateParams.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	d := &date{}
	if err := ints(vals[:], &d.year, &d.month, &d.day); err != nil {
		return nil, err
	}
	if err := checkDate(d.year, d.month, d.day); err != nil {
		return nil, err
	}
	return d, nil
}

var dateReplaceParams = cParams("replace", 0, "year", "month", "day")

// dateReplace is date.replace(year, month, day).
func dateReplace(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vals [3]starlark.Value
	if err := dateReplaceParams.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	d := *b.Receiver().(*date)
	if err := ints(vals[:], &d.year, &d.month, &d.day); err != nil {
		return nil, err
	}
	if err := checkDate(d.year, d.month, d.day); err != nil {
		return nil, err
	}
	return &d, nil
}

// dateFromOrdinal is date.fromordinal(n).
func dateFromOrdinal(v starlark.Value) (*date, error) {
	n, err := intArg(v)
	if err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, py.Errorf(py.ValueError, "ordinal must be >= 1")
	}
	if n > maxOrdinal {
		return nil, py.Errorf(py.ValueError, "year %d is out of range", maxYear+1)
	}
	y, m, d := fromOrdinal(n)
	return &date{y, m, d}, nil
}

var isoCalendarParams = cParams("fromisocalendar", 3, "year", "week", "day")

// dateFromISOCalendar is date.fromisocalendar(year, week, day).
func dateFromISOCalendar(args starlark.Tuple, kwargs []starlark.Tuple) (*date, error) {
	var vals [3]starlark.Value
	if err := isoCalendarParams.BindValues(args, kwargs, vals[:]); err != nil {
		return nil, err
	}
	var year, week, day int
	if err := ints(vals[:], &year, &week, &day); err != nil {
		return nil, err
	}
	y, m, d, err := fromISOCalendar(year, week, day)
	if err != nil {
		return nil, err
	}
	return &date{y, m, d}, nil
}

func (d *date) ordinal() int { return toOrdinal(d.year, d.month, d.day) }

// isoformat is YYYY-MM-DD.
func (d *date) isoformat() string {
	var buf [10]byte
	return string(appendISODate(buf[:0], d.year, d.month, d.day))
}

// appendISODate appends YYYY-MM-DD.
func appendISODate(b []byte, year, month, day int) []byte {
	b = appendPadded(b, year, 4)
	b = append(b, '-')
	b = appendPadded(b, month, 2)
	b = append(b, '-')
	return appendPadded(b, day, 2)
}

func (d *date) String() string { return d.PyRepr() }
func (d *date) Type() string   { return "datetime.date" }
func (d *date) Freeze()        {}
func (d *date) Truth() starlark.Bool {
	return true
}
func (d *date) Hash() (uint32, error) {
	return hashInts(int64(d.year), int64(d.month), int64(d.day)), nil
}

// PyClass is date.
func (d *date) PyClass() starlark.Value { return dateClass }

// PyRepr is datetime.date(2024, 1, 2).
func (d *date) PyRepr() string {
	return "datetime.date(" + strconv.Itoa(d.year) + ", " + strconv.Itoa(d.month) + ", " + strconv.Itoa(d.day) + ")"
}

// PyStr is the isoformat.
func (d *date) PyStr() string { return d.isoformat() }

// PyFormat is format(d, spec): strftime's, str(d) for an empty spec.
func (d *date) PyFormat(spec string) (string, error) {
	if spec == "" {
		return d.isoformat(), nil
	}
	return strftime(d, spec), nil
}

// Attr returns year, month, day or a method.
func (d *date) Attr(name string) (starlark.Value, error) {
	switch name {
	case "year":
		return starlark.MakeInt(d.year), nil
	case "month":
		return starlark.MakeInt(d.month), nil
	case "day":
		return starlark.MakeInt(d.day), nil
	}
	return dateClass.method(d, name)
}

// AttrNames lists the attributes.
func (d *date) AttrNames() []string { return dateClass.methodNames("day", "month", "year") }

// plusDays is the date n days later, with CPython's OverflowError past
// the calendar's ends.
func (d *date) plusDays(n int64) (*date, error) {
	ord := int64(d.ordinal()) + n
	if ord < 1 || ord > int64(maxOrdinal) {
		return nil, py.Errorf(py.OverflowError, "date value out of range")
	}
	y, m, day := fromOrdinal(int(ord))
	return &date{y, m, day}, nil
}

// Binary is date ± timedelta (whole days of it) and date − date.
func (d *date) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch o := y.(type) {
	case timedelta:
		switch {
		case op == syntax.PLUS:
			return d.plusDays(o.days)
		case op == syntax.MINUS && side == starlark.Left:
			return d.plusDays(-o.days)
		}
	case *date:
		if op == syntax.MINUS {
			days := d.ordinal() - o.ordinal()
			if side == starlark.Right {
				days = -days
			}
			return timedelta{days: int64(days)}, nil
		}
	}
	return nil, nil
}

// CompareSameType orders dates.
func (d *date) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	o := y.(*date)
	return compareInts(op, int64(d.year), int64(o.year), int64(d.month), int64(o.month), int64(d.day), int64(o.day)), nil
}
