// Package calendar is the part of Python's calendar module that scripts
// use with time and datetime:
//
//	timegm(tuple)                     seconds since the epoch of a UTC time tuple (time.gmtime's inverse)
//	monthrange(year, month)           (weekday of the 1st, days in the month)
//	weekday(year, month, day)         0 is Monday
//	isleap(year), leapdays(y1, y2)
//	MONDAY ... SUNDAY
//	day_name, day_abbr, month_name, month_abbr   in the C locale
//	IllegalMonthError                 a ValueError
//
// with CPython 3.11's results and errors. Unlike CPython's, day_name and
// the like are tuples (CPython's print as <calendar._localized_day object
// at ...>), and the text calendars (month(), TextCalendar, ...) are absent.
package calendar

import (
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the calendar module. Its values are immutable, so
// executions share them.
func New(env *py.Env) starlark.Value { return module }

// illegalMonthError is calendar.IllegalMonthError.
var illegalMonthError = &py.ExceptionClass{ClassName: "IllegalMonthError", Module: "calendar", Base: py.ValueError}

var module = &starlarkstruct.Module{Name: "calendar", Members: starlark.StringDict{
	"timegm":            py.Func("timegm", timegm),
	"monthrange":        py.Func("monthrange", monthrange),
	"weekday":           py.Func("weekday", weekday),
	"isleap":            py.Func("isleap", isleap),
	"leapdays":          py.Func("leapdays", leapdays),
	"IllegalMonthError": illegalMonthError,
	"MONDAY":            starlark.MakeInt(0),
	"TUESDAY":           starlark.MakeInt(1),
	"WEDNESDAY":         starlark.MakeInt(2),
	"THURSDAY":          starlark.MakeInt(3),
	"FRIDAY":            starlark.MakeInt(4),
	"SATURDAY":          starlark.MakeInt(5),
	"SUNDAY":            starlark.MakeInt(6),
	"day_name":          names("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
	"day_abbr":          names("Mon Tue Wed Thu Fri Sat Sun"),
	"month_name":        names(" January February March April May June July August September October November December"),
	"month_abbr":        names(" Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
}}

func names(s string) starlark.Tuple {
	var t starlark.Tuple
	for _, n := range strings.Split(s, " ") {
		t = append(t, starlark.String(n))
	}
	return t
}

// args binds the arguments of a function written in Python (CPython's
// messages name the missing parameters).
func args(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, names ...string) ([]starlark.Value, error) {
	if len(args) > len(names) {
		were := "were"
		if len(args) == 1 {
			were = "was"
		}
		plural := "s"
		if len(names) == 1 {
			plural = ""
		}
		return nil, py.Errorf(py.TypeError, "%s() takes %d positional argument%s but %d %s given", b.Name(), len(names), plural, len(args), were)
	}
	vals := make([]starlark.Value, len(names))
	copy(vals, args)
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		i := 0
		for i < len(names) && names[i] != k {
			i++
		}
		if i == len(names) {
			return nil, py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", b.Name(), k)
		}
		if vals[i] != nil {
			return nil, py.Errorf(py.TypeError, "%s() got multiple values for argument '%s'", b.Name(), k)
		}
		vals[i] = kv[1]
	}
	var missing []string
	for i, v := range vals {
		if v == nil {
			missing = append(missing, "'"+names[i]+"'")
		}
	}
	switch len(missing) {
	case 0:
		return vals, nil
	case 1:
		return nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: %s", b.Name(), missing[0])
	}
	list := strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1]
	if len(missing) > 2 {
		list = strings.Join(missing[:len(missing)-1], ", ") + ", and " + missing[len(missing)-1]
	}
	return nil, py.Errorf(py.TypeError, "%s() missing %d required positional arguments: %s", b.Name(), len(missing), list)
}

// integer converts an argument that CPython passes to datetime.date.
func integer(v starlark.Value) (int, error) {
	switch x := v.(type) {
	case starlark.Bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case starlark.Int:
		n, ok := x.Int64()
		if !ok || n > 1<<31-1 {
			return 0, py.Errorf(py.OverflowError, "signed integer is greater than maximum")
		}
		if n < -1<<31 {
			return 0, py.Errorf(py.OverflowError, "signed integer is less than minimum")
		}
		return int(n), nil
	}
	return 0, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
}

// comparable raises the TypeError of CPython's range check (1 <= v) on
// a value that is not a number.
func comparable(v starlark.Value) error {
	switch v.(type) {
	case starlark.Int, starlark.Bool, starlark.Float:
		return nil
	}
	return py.Errorf(py.TypeError, "'<=' not supported between instances of 'int' and '%s'", py.TypeName(v))
}

// firstOfMonth is the day, counted from 1970-01-01, of the first of a
// month, with datetime.date's errors for a year or month out of range.
func firstOfMonth(year, month int) (int64, error) {
	if year < 1 || year > 9999 {
		return 0, py.Errorf(py.ValueError, "year %d is out of range", year)
	}
	if month < 1 || month > 12 {
		return 0, py.Errorf(py.ValueError, "month must be in 1..12")
	}
	return time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC).Unix() / 86400, nil
}

// timegm is calendar.timegm(tuple): its first six items are year, month,
// day, hour, minute and second; only year and month must be in range,
// and the others add up as Python numbers (a float second gives a float).
func timegm(thread *starlark.Thread, b *starlark.Builtin, a starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	vals, err := args(b, a, kwargs, "tuple")
	if err != nil {
		return nil, err
	}
	seq, ok := vals[0].(starlark.Indexable)
	if !ok {
		return nil, py.Errorf(py.TypeError, "'%s' object is not subscriptable", py.TypeName(vals[0]))
	}
	if seq.Len() < 6 {
		return nil, py.Errorf(py.ValueError, "not enough values to unpack (expected 6, got %d)", seq.Len())
	}
	year, err := integer(seq.Index(0))
	if err != nil {
		return nil, err
	}
	month, err := integer(seq.Index(1))
	if err != nil {
		return nil, err
	}
	first, err := firstOfMonth(year, month)
	if err != nil {
		return nil, err
	}
	// days = first + day - 1; then hours, minutes and seconds.
	total, err := starlark.Binary(syntax.PLUS, starlark.MakeInt64(first-1), seq.Index(2))
	if err != nil {
		return nil, err
	}
	for i, unit := range []int{24, 60, 60} {
		if total, err = starlark.Binary(syntax.STAR, total, starlark.MakeInt(unit)); err != nil {
			return nil, err
		}
		if total, err = starlark.Binary(syntax.PLUS, total, seq.Index(3+i)); err != nil {
			return nil, err
		}
	}
	return total, nil
}

// calendarYear maps a year outside datetime's range onto one with the
// same calendar, as CPython's weekday does.
func calendarYear(year int) int {
	if year < 1 || year > 9999 {
		return 2000 + ((year%400)+400)%400
	}
	return year
}

// weekdayOf is the weekday (Monday 0) of a date, with datetime.date's
// errors.
func weekdayOf(year, month, day int) (int, error) {
	year = calendarYear(year)
	first, err := firstOfMonth(year, month)
	if err != nil {
		return 0, err
	}
	if day < 1 || day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return 0, py.Errorf(py.ValueError, "day is out of range for month")
	}
	days := first + int64(day) - 1 // 1970-01-01 was a Thursday
	return int(((days+3)%7 + 7) % 7), nil
}

// weekday is calendar.weekday(year, month, day).
func weekday(thread *starlark.Thread, b *starlark.Builtin, a starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	vals, err := args(b, a, kwargs, "year", "month", "day")
	if err != nil {
		return nil, err
	}
	if err := comparable(vals[0]); err != nil {
		return nil, err
	}
	var ymd [3]int
	for i, v := range vals {
		if ymd[i], err = integer(v); err != nil {
			return nil, err
		}
	}
	wd, err := weekdayOf(ymd[0], ymd[1], ymd[2])
	if err != nil {
		return nil, err
	}
	return starlark.MakeInt(wd), nil
}

// monthrange is calendar.monthrange(year, month).
func monthrange(thread *starlark.Thread, b *starlark.Builtin, a starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	vals, err := args(b, a, kwargs, "year", "month")
	if err != nil {
		return nil, err
	}
	if err := comparable(vals[1]); err != nil {
		return nil, err
	}
	month, err := integer(vals[1])
	if err != nil {
		return nil, err
	}
	if month < 1 || month > 12 {
		return nil, py.Errorf(illegalMonthError, "bad month number %d; must be 1-12", month)
	}
	if err := comparable(vals[0]); err != nil {
		return nil, err
	}
	year, err := integer(vals[0])
	if err != nil {
		return nil, err
	}
	wd, err := weekdayOf(year, month, 1)
	if err != nil {
		return nil, err
	}
	days := time.Date(calendarYear(year), time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return starlark.Tuple{starlark.MakeInt(wd), starlark.MakeInt(days)}, nil
}

// isleap is calendar.isleap(year): year % 4 == 0 and (year % 100 != 0
// or year % 400 == 0), computed as Python would for any year value.
func isleap(thread *starlark.Thread, b *starlark.Builtin, a starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	vals, err := args(b, a, kwargs, "year")
	if err != nil {
		return nil, err
	}
	divides := func(n int) (bool, error) {
		r, err := starlark.Binary(syntax.PERCENT, vals[0], starlark.MakeInt(n))
		if err != nil {
			return false, err
		}
		return starlark.Equal(r, starlark.MakeInt(0))
	}
	by4, err := divides(4)
	if err != nil || !by4 {
		return starlark.False, err
	}
	by100, err := divides(100)
	if err != nil || !by100 {
		return starlark.True, err
	}
	by400, err := divides(400)
	return starlark.Bool(by400), err
}

// leapdays is calendar.leapdays(y1, y2): the leap years in [y1, y2).
func leapdays(thread *starlark.Thread, b *starlark.Builtin, a starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	vals, err := args(b, a, kwargs, "y1", "y2")
	if err != nil {
		return nil, err
	}
	var y [2]starlark.Int
	for i, v := range vals {
		n, ok := v.(starlark.Int)
		if !ok {
			return nil, py.Errorf(py.TypeError, "unsupported operand type(s) for -=: '%s' and 'int'", py.TypeName(v))
		}
		y[i] = n.Sub(starlark.MakeInt(1))
	}
	count := func(n int) starlark.Int {
		d := starlark.MakeInt(n)
		return y[1].Div(d).Sub(y[0].Div(d))
	}
	return count(4).Sub(count(100)).Add(count(400)), nil
}
