// Package time is kstar's time module. It offers Python's time functions:
//
//	time(), time_ns()                       seconds (float) / nanoseconds since the epoch
//	monotonic(), monotonic_ns()             a clock that never goes back
//	perf_counter(), perf_counter_ns()       the same clock, for timing
//	sleep(secs)                             stops early, raising, when the script is interrupted
//	localtime([secs]), gmtime([secs])       time.struct_time values
//	mktime(t)                               seconds since the epoch of a local struct_time
//	strftime(format[, t])                   C's strftime directives (%Y-%m-%d %H:%M:%S ...)
//	strptime(string[, format])              a struct_time, parsed as CPython's _strptime does
//	asctime([t]), ctime([secs])             'Thu Jan  1 00:00:00 1970'
//	timezone, altzone, daylight, tzname     the host's local time zone
//
// Unlike CPython's, struct_time values lack tm_zone and tm_gmtoff (so
// strftime's %Z and %z show the local zone even for gmtime's values),
// and time.struct_time(sequence) does not make one.
package time

import (
	"math"
	"strconv"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the time module (one per execution; it keeps no state).
func New(env *py.Env) starlark.Value {
	zone := LocalZone()
	daylight := 0
	if zone.Daylight {
		daylight = 1
	}
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
		"strptime":        py.Func("strptime", timeStrptime),
		"asctime":         py.Func("asctime", timeAsctime),
		"ctime":           py.Func("ctime", timeCtime),
		"struct_time":     StructTimeType,
		"timezone":        starlark.MakeInt(zone.Offset),
		"altzone":         starlark.MakeInt(zone.AltOffset),
		"daylight":        starlark.MakeInt(daylight),
		"tzname":          starlark.Tuple{starlark.String(zone.Names[0]), starlark.String(zone.Names[1])},
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
	// The other threads run while this one sleeps; sleep(0) lets a
	// waiting thread run first, as CPython's does.
	d := time.Duration(secs * 1e9)
	if d == 0 {
		py.Unlocked(thread, func() {})
		return starlark.None, nil
	}
	if _, err := py.Wait(thread, nil, d); err != nil {
		return nil, err
	}
	return starlark.None, nil
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
		if err := checkStructTime(n); err != nil {
			return nil, err
		}
		if n[1] == 0 || n[2] == 0 {
			t = time.Date(n[0], time.Month(max(n[1], 1)), max(n[2], 1), n[3], n[4], n[5], 0, time.Local)
		}
	}
	return starlark.String(Strftime(string(f), t)), nil
}

// checkStructTime checks the fields of a time tuple as CPython's
// strftime and asctime do (0 for month and day means 1).
func checkStructTime(n []int) error {
	for _, c := range []struct {
		v, lo, hi int
		what      string
	}{{n[1], 0, 12, "month"}, {n[2], 0, 31, "day of month"}, {n[3], 0, 23, "hour"}, {n[4], 0, 59, "minute"}, {n[5], 0, 61, "seconds"}, {n[7], 0, 366, "day of year"}} {
		if c.v < c.lo || c.v > c.hi {
			return py.Errorf(py.ValueError, "%s out of range", c.what)
		}
	}
	return nil
}

var (
	timeShortDays   = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	timeShortMonths = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// Strftime formats t as C's strftime does in the POSIX locale: glibc's
// directives with its flags (- no padding, _ spaces, 0 zeros, ^ upper
// case, # swapped case) and field widths (%-d, %_H, %10Y); a directive
// glibc does not know is kept as written. It is time.strftime.
func Strftime(format string, t time.Time) string { return StrftimeWith(format, t, nil) }

// StrftimeWith is Strftime where directive, when not nil, may format a
// directive itself: it gets the directive's flags, width and E or O
// modifier (spec, "" for a plain %z) and its letter, and returns the
// text to write as it is, or false for Strftime's own. It is datetime's
// strftime, whose values know %z, %Z and %f.
func StrftimeWith(format string, t time.Time, directive func(spec string, conv byte) (string, bool)) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		// %[flags][width][E|O]conversion
		j := i + 1
		for j < len(format) && strings.IndexByte("-_0^#", format[j]) >= 0 {
			j++
		}
		flags := format[i+1 : j]
		width := 0
		for j < len(format) && '0' <= format[j] && format[j] <= '9' {
			width = width*10 + int(format[j]-'0')
			j++
		}
		if j < len(format) && (format[j] == 'E' || format[j] == 'O') {
			j++
		}
		if j == len(format) {
			b.WriteString(strftimeValue{text: format[i:]}.render("", width))
			break
		}
		if directive != nil {
			if text, ok := directive(format[i+1:j], format[j]); ok {
				b.WriteString(text)
				i = j
				continue
			}
		}
		f, ok := strftimeField(format[j], t)
		if !ok {
			f = strftimeValue{text: format[i : j+1]} // glibc pads it to the width too
			flags = ""
		}
		f.conv = format[j]
		i = j
		b.WriteString(f.render(flags, width))
	}
	return b.String()
}

// strftimeValue is what one directive formats: a number with its
// default width and padding, or text.
type strftimeValue struct {
	text    string
	number  int
	numeric bool
	width   int
	pad     byte
	conv    byte // the directive's letter
}

// render applies a directive's flags and width. Of -, _ and 0 the last
// one counts; ^ upper-cases text (not %P's), # upper-cases it too but
// lower-cases %p and %Z; a width pads with spaces, or with zeros where a
// number would be (unless - or _ says otherwise).
func (v strftimeValue) render(flags string, width int) string {
	s, pad, w := v.text, byte(' '), v.width
	if v.numeric {
		s, pad = strconv.Itoa(v.number), v.pad
	}
	noPad := false
	for _, f := range []byte(flags) {
		switch f {
		case '-':
			noPad = true
		case '_':
			noPad, pad = false, ' '
		case '0':
			noPad, pad = false, '0'
		case '^':
			if v.conv != 'P' {
				s = strings.ToUpper(s)
			}
		case '#':
			switch v.conv {
			case 'p', 'Z':
				s = strings.ToLower(s)
			case 'P':
			default:
				s = strings.ToUpper(s)
			}
		}
	}
	switch {
	case width > 0:
		w = width
		if noPad {
			pad = ' '
		}
	case noPad:
		w = 0
	}
	if len(s) >= w {
		return s
	}
	return strings.Repeat(string(pad), w-len(s)) + s
}

// strftimeField is the value of directive c for t; false for a directive
// glibc does not know.
func strftimeField(c byte, t time.Time) (strftimeValue, bool) {
	num := func(n, width int) strftimeValue {
		return strftimeValue{number: n, numeric: true, width: width, pad: '0'}
	}
	spaced := func(n, width int) strftimeValue {
		return strftimeValue{number: n, numeric: true, width: width, pad: ' '}
	}
	text := func(s string) strftimeValue { return strftimeValue{text: s} }
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	week := func(firstDay time.Weekday) int { // %U (Sunday) and %W (Monday) week numbers
		wday := (int(t.Weekday()) - int(firstDay) + 7) % 7
		return (t.YearDay() - 1 - wday + 7) / 7
	}
	switch c {
	case 'a':
		return text(timeShortDays[t.Weekday()]), true
	case 'A':
		return text(t.Weekday().String()), true
	case 'b', 'h':
		return text(timeShortMonths[t.Month()-1]), true
	case 'B':
		return text(t.Month().String()), true
	case 'c':
		return text(Strftime("%a %b %e %H:%M:%S %Y", t)), true
	case 'C':
		return num(t.Year()/100, 2), true
	case 'd':
		return num(t.Day(), 2), true
	case 'D', 'x':
		return text(Strftime("%m/%d/%y", t)), true
	case 'e':
		return spaced(t.Day(), 2), true
	case 'F':
		return text(Strftime("%Y-%m-%d", t)), true
	case 'G':
		year, _ := t.ISOWeek()
		return num(year, 1), true
	case 'g':
		year, _ := t.ISOWeek()
		return num(year%100, 2), true
	case 'H':
		return num(t.Hour(), 2), true
	case 'I':
		return num(hour12, 2), true
	case 'j':
		return num(t.YearDay(), 3), true
	case 'k':
		return spaced(t.Hour(), 2), true
	case 'l':
		return spaced(hour12, 2), true
	case 'm':
		return num(int(t.Month()), 2), true
	case 'M':
		return num(t.Minute(), 2), true
	case 'n':
		return text("\n"), true
	case 'p':
		if t.Hour() < 12 {
			return text("AM"), true
		}
		return text("PM"), true
	case 'P':
		if t.Hour() < 12 {
			return text("am"), true
		}
		return text("pm"), true
	case 'r':
		return text(Strftime("%I:%M:%S %p", t)), true
	case 'R':
		return text(Strftime("%H:%M", t)), true
	case 's':
		return num(int(t.Unix()), 1), true
	case 'S':
		return num(t.Second(), 2), true
	case 't':
		return text("\t"), true
	case 'T', 'X':
		return text(Strftime("%H:%M:%S", t)), true
	case 'u':
		return num((int(t.Weekday())+6)%7+1, 1), true
	case 'U':
		return num(week(time.Sunday), 2), true
	case 'V':
		_, w := t.ISOWeek()
		return num(w, 2), true
	case 'w':
		return num(int(t.Weekday()), 1), true
	case 'W':
		return num(week(time.Monday), 2), true
	case 'y':
		return num(t.Year()%100, 2), true
	case 'Y':
		return num(t.Year(), 1), true
	case 'z':
		return text(t.Format("-0700")), true
	case 'Z':
		name, _ := t.Zone()
		return text(name), true
	case '%':
		return text("%"), true
	}
	return strftimeValue{}, false
}

// Help documents the time module's functions for help(obj).
var Help = py.HelpTable{
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
	"time.strptime":        {Params: "string[, format]", Doc: "Parse a string by format's % directives ('%a %b %d %H:%M:%S %Y' by default) into a struct_time."},
	"time.asctime":         {Params: "[t]", Doc: "Format a struct_time (the current local time by default) as 'Thu Jan  1 00:00:00 1970'."},
	"time.ctime":           {Params: "[seconds]", Doc: "Format seconds since the Epoch (now by default), in local time, as 'Thu Jan  1 00:00:00 1970'."},
}
