package datetime

import (
	"strings"
	"time"
	"unicode/utf8"

	"go.starlark.net/starlark"

	libtime "github.com/kstar-dev/kstar/builtins/lib/time"
	"github.com/kstar-dev/kstar/builtins/py"
)

// ctimeFormat is ctime()'s layout: 'Wed Jan  1 00:00:00 2020'.
const ctimeFormat = "%a %b %e %H:%M:%S %Y"

// fields are what strftime and timetuple read of a date, datetime or
// time (a time's date is 1900-01-01, as CPython's).
type fields struct {
	year, month, day, hour, minute, second, micro int
	tz                                            *timezone
	hasTZ                                         bool // a time or datetime: %z and %Z may have a value
}

func fieldsOf(v starlark.Value) fields {
	switch v := v.(type) {
	case *date:
		return fields{year: v.year, month: v.month, day: v.day}
	case *dateTime:
		return fields{v.year, v.month, v.day, v.hour, v.minute, v.second, v.micro, v.tz, true}
	case *clock:
		return fields{1900, 1, 1, v.hour, v.minute, v.second, v.micro, v.tz, true}
	}
	panic("datetime: no fields")
}

// strftime is CPython's: %z, %Z and %f are the offset, the zone name
// and the microseconds (%z and %Z nothing for a naive value), and the C
// library's strftime formats the rest, where the value has no zone
// (%-z, %^Z and the like give nothing).
func strftime(v starlark.Value, format string) string {
	f := fieldsOf(v)
	t := time.Date(f.year, time.Month(f.month), f.day, f.hour, f.minute, f.second, 0, time.UTC)
	return libtime.StrftimeWith(format, t, func(spec string, conv byte) (string, bool) {
		switch {
		case spec == "" && conv == 'z' && f.tz != nil:
			return formatOffset(f.tz.offset, ""), true
		case spec == "" && conv == 'Z' && f.tz != nil:
			return f.tz.tzname(), true
		case spec == "" && conv == 'f':
			return pad6(f.micro), true
		case conv == 'z' || conv == 'Z':
			return "", true
		}
		return "", false
	})
}

// timetuple is the time.struct_time of a date or datetime.
func timetuple(d *date, hour, minute, second, isDST int) starlark.Value {
	ord := d.ordinal()
	return libtime.StructTimeType.Make(
		starlark.MakeInt(d.year), starlark.MakeInt(d.month), starlark.MakeInt(d.day),
		starlark.MakeInt(hour), starlark.MakeInt(minute), starlark.MakeInt(second),
		starlark.MakeInt(weekday(ord)), starlark.MakeInt(dayOfYear(d.year, d.month, d.day)), starlark.MakeInt(isDST),
	)
}

// timespecs are isoformat's precisions.
var timespecs = map[string]bool{"auto": true, "hours": true, "minutes": true, "seconds": true, "milliseconds": true, "microseconds": true}

// appendISOTime appends HH[:MM[:SS[.fff[fff]]]] as timespec says, then
// the UTC offset of an aware value.
func appendISOTime(b []byte, hour, minute, second, micro int, tz *timezone, timespec string) []byte {
	b = appendPadded(b, hour, 2)
	if timespec != "hours" {
		b = append(b, ':')
		b = appendPadded(b, minute, 2)
	}
	if timespec != "hours" && timespec != "minutes" {
		b = append(b, ':')
		b = appendPadded(b, second, 2)
	}
	switch {
	case timespec == "milliseconds":
		b = append(b, '.')
		b = appendPadded(b, micro/1000, 3)
	case timespec == "microseconds" || (timespec == "auto" && micro != 0):
		b = append(b, '.')
		b = appendPadded(b, micro, 6)
	}
	if tz != nil {
		b = append(b, formatOffset(tz.offset, ":")...)
	}
	return b
}

// appendPadded appends n (≥ 0) in decimal, with leading zeros to width
// digits.
func appendPadded(b []byte, n, width int) []byte {
	var digits [20]byte
	i := len(digits)
	for n >= 10 || len(digits)-i < width-1 {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	digits[i] = byte('0' + n)
	return append(b, digits[i:]...)
}

// timespecArg checks isoformat's timespec argument.
func timespecArg(v starlark.Value, pos int) (string, error) {
	if v == nil {
		return "auto", nil
	}
	s, err := strArg("isoformat", pos, v)
	if err != nil {
		return "", err
	}
	if !timespecs[s] {
		return "", py.Errorf(py.ValueError, "Unknown timespec value")
	}
	return s, nil
}

// tzArg checks a tzinfo argument: None (nil) or a timezone.
func tzArg(v starlark.Value) (*timezone, error) {
	switch v := v.(type) {
	case nil, starlark.NoneType:
		return nil, nil
	case *timezone:
		return v, nil
	}
	return nil, py.Errorf(py.TypeError, "tzinfo argument must be None or of a tzinfo subclass, not type '%s'", py.TypeName(v))
}

// The ISO 8601 forms fromisoformat reads, as CPython 3.11's C code does.

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digits reads n ASCII digits at s[pos:].
func digits(s string, pos, n int) (int, bool) {
	if pos+n > len(s) {
		return 0, false
	}
	v := 0
	for i := pos; i < pos+n; i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// dateSeparator is where the date part of a datetime string ends: 7, 8
// or 10 characters in.
func dateSeparator(s string) int {
	n := len(s)
	if n == 7 {
		return 7
	}
	if s[4] == '-' {
		if s[5] != 'W' {
			return 10 // YYYY-MM-DD
		}
		if n > 8 && s[8] == '-' {
			if n == 9 {
				return -1
			}
			if n > 10 && isDigit(s[10]) {
				return 8 // YYYY-Www then a separator that is a digit? Take the hyphen.
			}
			return 10 // YYYY-Www-D
		}
		return 8 // YYYY-Www
	}
	if s[4] == 'W' {
		i := 7
		for i < n && isDigit(s[i]) {
			i++
		}
		if i < 9 {
			return i
		}
		if i%2 == 0 {
			return 7 // YYYYWww then digits of the time
		}
		return 8 // YYYYWwwD
	}
	return 8 // YYYYMMDD
}

// parseISODate reads YYYY-MM-DD, YYYYMMDD, YYYY-Www[-D] or YYYYWww[D].
func parseISODate(s string) (*date, error) {
	bad := py.Errorf(py.ValueError, "Invalid isoformat string")
	if len(s) != 7 && len(s) != 8 && len(s) != 10 {
		return nil, bad
	}
	year, ok := digits(s, 0, 4)
	if !ok {
		return nil, bad
	}
	dash := s[4] == '-'
	pos := 4
	if dash {
		pos++
	}
	if pos < len(s) && s[pos] == 'W' {
		pos++
		week, ok := digits(s, pos, 2)
		if !ok {
			return nil, bad
		}
		pos += 2
		day := 1
		if pos < len(s) {
			if (s[pos] == '-') != dash {
				return nil, bad
			}
			if dash {
				pos++
			}
			if day, ok = digits(s, pos, 1); !ok || pos+1 != len(s) {
				return nil, bad
			}
		}
		y, m, d, err := fromISOCalendar(year, week, day)
		if err != nil {
			return nil, bad // CPython words an impossible week date so
		}
		return &date{y, m, d}, nil
	}
	month, ok := digits(s, pos, 2)
	if !ok {
		return nil, bad
	}
	pos += 2
	if pos < len(s) && (s[pos] == '-') != dash || pos == len(s) {
		return nil, bad
	}
	if dash {
		pos++
	}
	day, ok := digits(s, pos, 2)
	if !ok || pos+2 != len(s) {
		return nil, bad
	}
	if err := checkDate(year, month, day); err != nil {
		return nil, err
	}
	return &date{year, month, day}, nil
}

// parseHMS reads HH[:?MM[:?SS[{.,}f+]]]: hour, minute, second, micro.
func parseHMS(s string) ([4]int, bool) {
	var c [4]int
	pos, colon := 0, false
	for i := 0; i < 3; i++ {
		v, ok := digits(s, pos, 2)
		if !ok {
			return c, false
		}
		c[i] = v
		pos += 2
		if pos == len(s) || i == 2 {
			break
		}
		if i == 0 {
			colon = s[pos] == ':'
		}
		if colon {
			if s[pos] != ':' {
				return c, false
			}
			pos++
		}
	}
	if pos < len(s) {
		if s[pos] != '.' && s[pos] != ',' {
			return c, false
		}
		pos++
		n := len(s) - pos
		if n == 0 {
			return c, false
		}
		take := min(n, 6)
		v, ok := digits(s, pos, take)
		if !ok {
			return c, false
		}
		for i := take; i < 6; i++ {
			v *= 10
		}
		c[3] = v
		for i := pos + take; i < len(s); i++ {
			if !isDigit(s[i]) {
				return c, false
			}
		}
	}
	return c, true
}

// parseISOTime reads a time of day with an optional UTC offset (Z or
// ±HH[:MM[:SS[.ffffff]]]).
func parseISOTime(s string) (*clock, error) {
	bad := py.Errorf(py.ValueError, "Invalid isoformat string")
	if len(s) < 2 {
		return nil, bad
	}
	tzPos := strings.IndexAny(s, "+-Z")
	timePart := s
	if tzPos >= 0 {
		timePart = s[:tzPos]
	}
	c, ok := parseHMS(timePart)
	if !ok {
		return nil, bad
	}
	t := &clock{hour: c[0], minute: c[1], second: c[2], micro: c[3]}
	if tzPos >= 0 {
		if s[tzPos] == 'Z' {
			if tzPos != len(s)-1 {
				return nil, bad
			}
			t.tz = utc
		} else {
			zs := s[tzPos+1:]
			if n := len(zs); n == 0 || n == 1 || n == 3 {
				return nil, bad
			}
			z, ok := parseHMS(zs)
			if !ok {
				return nil, bad
			}
			off, err := makeTimedelta(0, int64(z[0]*3600+z[1]*60+z[2]), int64(z[3]))
			if err != nil {
				return nil, err
			}
			if s[tzPos] == '-' {
				off, _ = off.neg()
			}
			if t.tz, err = makeTimezone(&timezone{offset: off}); err != nil {
				return nil, err
			}
		}
	}
	if err := checkTime(t.hour, t.minute, t.second, t.micro, 0); err != nil {
		return nil, err
	}
	return t, nil
}

// parseISODateTime reads a date, then optionally any one character and
// a time.
func parseISODateTime(s string) (*dateTime, error) {
	bad := py.Errorf(py.ValueError, "Invalid isoformat string")
	if i := nonASCII(s); i >= 0 {
		// The separator may be any character; nothing else may be
		// beyond ASCII.
		_, size := utf8.DecodeRuneInString(s[i:])
		s = s[:i] + "T" + s[i+size:]
		if nonASCII(s) >= 0 || i < 7 || dateSeparator(s) != i {
			return nil, bad
		}
	}
	if len(s) < 7 {
		return nil, bad
	}
	sep := dateSeparator(s)
	if sep < 0 {
		return nil, bad
	}
	sep = min(sep, len(s))
	d, err := parseISODate(s[:sep])
	if err != nil {
		return nil, err
	}
	dt := &dateTime{year: d.year, month: d.month, day: d.day}
	if sep+1 < len(s) {
		t, err := parseISOTime(s[sep+1:])
		if err != nil {
			return nil, err
		}
		dt.hour, dt.minute, dt.second, dt.micro, dt.tz = t.hour, t.minute, t.second, t.micro, t.tz
	} else if sep+1 == len(s) {
		return nil, bad // a separator and no time
	}
	return dt, nil
}

// nonASCII is the index of the first byte of s beyond ASCII, or -1.
func nonASCII(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return i
		}
	}
	return -1
}
