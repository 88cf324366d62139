package builtins

import (
	"math"
	"strconv"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// The time module offers Python's time functions:
//
//	time(), time_ns()                       seconds (float) / nanoseconds since the epoch
//	monotonic(), monotonic_ns()             a clock that never goes back
//	perf_counter(), perf_counter_ns()       the same clock, for timing
//	sleep(secs)                             stops early, raising, when the script is interrupted
//	localtime([secs]), gmtime([secs])       time.struct_time values
//	mktime(t)                               seconds since the epoch of a local struct_time
//	strftime(format[, t])                   C's strftime directives (%Y-%m-%d %H:%M:%S ...)
func newTimeModule(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "time", Members: starlark.StringDict{
		"time":            py.Func("time", timeTime),
		"time_ns":         py.Func("time_ns", timeTimeNS),
		"monotonic":       py.Func("monotonic", timeMonotonic),
		"monotonic_ns":    py.Func("monotonic_ns", timeMonotonicNS),
		"perf_counter":    py.Func("perf_counter", timeMonotonic),
		"perf_counter_ns": py.Func("perf_counter_ns", timeMonotonicNS),
		"sleep":           py.Func("sleep", timeSleep),
		"localtime":       py.Func("localtime", timeLocaltime),
		"gmtime":          py.Func("gmtime", timeGmtime),
		"mktime":          py.Func("mktime", timeMktime),
		"strftime":        py.Func("strftime", timeStrftime),
		"struct_time":     StructTimeType,
	}}
}

// StructTimeType is Python's time.struct_time, as localtime and gmtime
// return it: tm_wday counts from Monday = 0, tm_yday from 1.
var StructTimeType = py.NewNamedTupleType("time.struct_time", []string{
	"tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst",
})

// monotonicStart anchors monotonic() and perf_counter().
var monotonicStart = time.Now()

func timeNoArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) error {
	return starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0)
}

func timeTime(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := timeNoArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	return starlark.Float(float64(time.Now().UnixNano()) / 1e9), nil
}

func timeTimeNS(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := timeNoArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	return starlark.MakeInt64(time.Now().UnixNano()), nil
}

func timeMonotonic(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := timeNoArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	return starlark.Float(time.Since(monotonicStart).Seconds()), nil
}

func timeMonotonicNS(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := timeNoArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	return starlark.MakeInt64(int64(time.Since(monotonicStart))), nil
}

// timeSeconds converts a number of seconds as Python's time functions do.
func timeSeconds(v starlark.Value) (float64, error) {
	switch v := v.(type) {
	case starlark.Int:
		f, _ := starlark.AsFloat(v)
		return f, nil
	case starlark.Float:
		if math.IsNaN(float64(v)) {
			return 0, py.Errorf(py.ValueError, "Invalid value NaN (not a number)")
		}
		return float64(v), nil
	}
	return 0, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
}

// timeSleep is time.sleep(secs): it returns early with the script's
// interruption (KeyboardInterrupt, a deadline) when its context ends.
func timeSleep(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	secs, err := timeSeconds(v)
	if err != nil {
		return nil, err
	}
	if secs < 0 {
		return nil, py.Errorf(py.ValueError, "sleep length must be non-negative")
	}
	if secs > float64(math.MaxInt64)/1e9 {
		return nil, py.Errorf(py.OverflowError, "timestamp too large to convert to C _PyTime_t")
	}
	ctx := py.ContextOf(thread)
	timer := time.NewTimer(time.Duration(secs * 1e9))
	defer timer.Stop()
	select {
	case <-timer.C:
		return starlark.None, nil
	case <-ctx.Done():
		return nil, py.Interrupted(ctx)
	}
}

// timeAt returns the time of the optional seconds argument, now if absent or None.
func timeAt(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (time.Time, error) {
	var v starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &v); err != nil {
		return time.Time{}, err
	}
	if v == starlark.None {
		return time.Now(), nil
	}
	secs, err := timeSeconds(v)
	if err != nil {
		return time.Time{}, err
	}
	if math.IsInf(secs, 0) || math.Abs(secs) > 1e17 {
		return time.Time{}, py.Errorf(py.OverflowError, "timestamp out of range for platform time_t")
	}
	whole := math.Floor(secs)
	return time.Unix(int64(whole), int64((secs-whole)*1e9)), nil
}

// toStructTime converts t to a struct_time.
func toStructTime(t time.Time) *py.NamedTuple {
	isDST := 0
	if t.IsDST() {
		isDST = 1
	}
	return StructTimeType.Make(
		starlark.MakeInt(t.Year()), starlark.MakeInt(int(t.Month())), starlark.MakeInt(t.Day()),
		starlark.MakeInt(t.Hour()), starlark.MakeInt(t.Minute()), starlark.MakeInt(t.Second()),
		starlark.MakeInt((int(t.Weekday())+6)%7), starlark.MakeInt(t.YearDay()), starlark.MakeInt(isDST),
	)
}

func timeLocaltime(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	t, err := timeAt(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return toStructTime(t.Local()), nil
}

func timeGmtime(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	t, err := timeAt(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return toStructTime(t.UTC()), nil
}

// fromStructTime reads a struct_time or 9-tuple as local time; fname
// names the function in errors.
func fromStructTime(fname string, v starlark.Value) (time.Time, []int, error) {
	var fields []starlark.Value
	switch v := v.(type) {
	case py.NamedTupleValue:
		fields = py.NamedTupleValues(v)
	case starlark.Tuple:
		fields = v
	default:
		return time.Time{}, nil, py.Errorf(py.TypeError, "Tuple or struct_time argument required")
	}
	if len(fields) != 9 {
		return time.Time{}, nil, py.Errorf(py.TypeError, "%s(): illegal time tuple argument", fname)
	}
	n := make([]int, 9)
	for i, f := range fields {
		x, ok := f.(starlark.Int)
		if !ok {
			return time.Time{}, nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(f))
		}
		i64, ok := x.Int64()
		if !ok || i64 > math.MaxInt32 || i64 < math.MinInt32 {
			return time.Time{}, nil, py.Errorf(py.OverflowError, "Python int too large to convert to C int")
		}
		n[i] = int(i64)
	}
	return time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.Local), n, nil
}

func timeMktime(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	t, _, err := fromStructTime(b.Name(), v)
	if err != nil {
		return nil, err
	}
	return starlark.Float(float64(t.Unix())), nil
}

// timeStrftime is time.strftime(format[, t]) with the directives of C's
// strftime in the POSIX locale; an unknown directive is kept as written.
func timeStrftime(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var format, tv starlark.Value = nil, starlark.None
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &format, &tv); err != nil {
		return nil, err
	}
	f, ok := format.(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "strftime() argument 1 must be str, not %s", py.TypeName(format))
	}
	t := time.Now()
	if tv != starlark.None {
		var n []int
		var err error
		if t, n, err = fromStructTime(b.Name(), tv); err != nil {
			return nil, err
		}
		// CPython checks the fields (0 for month and day means 1).
		for _, c := range []struct {
			v, lo, hi int
			what      string
		}{{n[1], 0, 12, "month"}, {n[2], 0, 31, "day of month"}, {n[3], 0, 23, "hour"}, {n[4], 0, 59, "minute"}, {n[5], 0, 61, "seconds"}, {n[7], 0, 366, "day of year"}} {
			if c.v < c.lo || c.v > c.hi {
				return nil, py.Errorf(py.ValueError, "%s out of range", c.what)
			}
		}
		if n[1] == 0 || n[2] == 0 {
			t = time.Date(n[0], time.Month(max(n[1], 1)), max(n[2], 1), n[3], n[4], n[5], 0, time.Local)
		}
	}
	return starlark.String(pyStrftime(string(f), t)), nil
}

var (
	timeShortDays   = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	timeShortMonths = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// pyStrftime formats t with C's strftime directives (glibc, POSIX locale).
func pyStrftime(format string, t time.Time) string {
	var b strings.Builder
	pad := func(n, width int, fill byte) {
		s := strconv.Itoa(n)
		for i := len(s); i < width; i++ {
			b.WriteByte(fill)
		}
		b.WriteString(s)
	}
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	week := func(firstDay time.Weekday) int { // %U (Sunday) and %W (Monday) week numbers
		wday := (int(t.Weekday()) - int(firstDay) + 7) % 7
		return (t.YearDay() - 1 - wday + 7) / 7
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'a':
			b.WriteString(timeShortDays[t.Weekday()])
		case 'A':
			b.WriteString(t.Weekday().String())
		case 'b', 'h':
			b.WriteString(timeShortMonths[t.Month()-1])
		case 'B':
			b.WriteString(t.Month().String())
		case 'c':
			b.WriteString(pyStrftime("%a %b %e %H:%M:%S %Y", t))
		case 'C':
			pad(t.Year()/100, 2, '0')
		case 'd':
			pad(t.Day(), 2, '0')
		case 'D', 'x':
			b.WriteString(pyStrftime("%m/%d/%y", t))
		case 'e':
			pad(t.Day(), 2, ' ')
		case 'F':
			b.WriteString(pyStrftime("%Y-%m-%d", t))
		case 'G':
			year, _ := t.ISOWeek()
			pad(year, 1, '0')
		case 'g':
			year, _ := t.ISOWeek()
			pad(year%100, 2, '0')
		case 'H':
			pad(t.Hour(), 2, '0')
		case 'I':
			pad(hour12, 2, '0')
		case 'j':
			pad(t.YearDay(), 3, '0')
		case 'k':
			pad(t.Hour(), 2, ' ')
		case 'l':
			pad(hour12, 2, ' ')
		case 'm':
			pad(int(t.Month()), 2, '0')
		case 'M':
			pad(t.Minute(), 2, '0')
		case 'n':
			b.WriteByte('\n')
		case 'p':
			b.WriteString(map[bool]string{true: "AM", false: "PM"}[t.Hour() < 12])
		case 'P':
			b.WriteString(map[bool]string{true: "am", false: "pm"}[t.Hour() < 12])
		case 'R':
			b.WriteString(pyStrftime("%H:%M", t))
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'S':
			pad(t.Second(), 2, '0')
		case 't':
			b.WriteByte('\t')
		case 'T', 'X':
			b.WriteString(pyStrftime("%H:%M:%S", t))
		case 'u':
			pad((int(t.Weekday())+6)%7+1, 1, '0')
		case 'U':
			pad(week(time.Sunday), 2, '0')
		case 'V':
			_, w := t.ISOWeek()
			pad(w, 2, '0')
		case 'w':
			pad(int(t.Weekday()), 1, '0')
		case 'W':
			pad(week(time.Monday), 2, '0')
		case 'y':
			pad(t.Year()%100, 2, '0')
		case 'Y':
			pad(t.Year(), 1, '0')
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 'Z':
			name, _ := t.Zone()
			b.WriteString(name)
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}

// timeHelp documents the time module's functions for help(obj).
var timeHelp = py.HelpTable{
	// time
	"time.time":            {Params: "", Doc: "Return the current time in seconds since the Epoch, as a float."},
	"time.time_ns":         {Params: "", Doc: "Return the current time in nanoseconds since the Epoch, as an int."},
	"time.monotonic":       {Params: "", Doc: "Return the value of a monotonic clock in seconds, as a float."},
	"time.monotonic_ns":    {Params: "", Doc: "Return the value of a monotonic clock in nanoseconds, as an int."},
	"time.perf_counter":    {Params: "", Doc: "Return the value of a performance counter in seconds, as a float."},
	"time.perf_counter_ns": {Params: "", Doc: "Return the value of a performance counter in nanoseconds, as an int."},
	"time.sleep":           {Params: "seconds", Doc: "Delay execution for a number of seconds (a float for subsecond precision)."},
	"time.localtime":       {Params: "[seconds]", Doc: "Convert seconds since the Epoch (now by default) to a struct_time in local time."},
	"time.gmtime":          {Params: "[seconds]", Doc: "Convert seconds since the Epoch (now by default) to a struct_time in UTC."},
	"time.mktime":          {Params: "t", Doc: "Convert a struct_time or 9-tuple in local time to seconds since the Epoch."},
	"time.strftime":        {Params: "format[, t]", Doc: "Format a struct_time (the current local time by default) by format's % directives."},
}
