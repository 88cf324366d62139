package time

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Parsed is a date and time Strptime read: time.struct_time's fields,
// with the microseconds of %f and the UTC offset of %z, which
// datetime.strptime adds.
type Parsed struct {
	Year, Month, Day     int
	Hour, Minute, Second int
	Microsecond          int
	Weekday              int // Monday is 0
	YearDay              int // from 1; %U or %W past the year's end counts on (371)
	IsDST                int // -1 unless %Z named a zone: 0, or 1 for time.tzname[1]
	// Zone is the zone name %Z matched, "" without %Z.
	Zone string
	// Offset is the UTC offset %z read (Z is zero); HasOffset says
	// whether the format had one.
	Offset    time.Duration
	HasOffset bool
}

// strptimeCache holds the regular expression of each format Strptime has
// seen, as CPython's _strptime caches them (and, like it, empties itself
// when it holds too many).
var strptimeCache = struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}{m: map[string]*regexp.Regexp{}}

const strptimeCacheMax = 100

// strptimeDirectives are the regular expressions of the directives
// _strptime understands, in the C locale.
var strptimeDirectives = map[byte]string{
	'd': `(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])`,
	'f': `(?P<f>[0-9]{1,6})`,
	'H': `(?P<H>2[0-3]|[0-1]\d|\d)`,
	'I': `(?P<I>1[0-2]|0[1-9]|[1-9])`,
	'G': `(?P<G>\d\d\d\d)`,
	'j': `(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])`,
	'm': `(?P<m>1[0-2]|0[1-9]|[1-9])`,
	'M': `(?P<M>[0-5]\d|\d)`,
	'S': `(?P<S>6[0-1]|[0-5]\d|\d)`,
	'U': `(?P<U>5[0-3]|[0-4]\d|\d)`,
	'W': `(?P<W>5[0-3]|[0-4]\d|\d)`,
	'w': `(?P<w>[0-6])`,
	'u': `(?P<u>[1-7])`,
	'V': `(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)`,
	'y': `(?P<y>\d\d)`,
	'Y': `(?P<Y>\d\d\d\d)`,
	'z': `(?P<z>[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z))`,
	'A': namesRE("A", fullDayNames),
	'a': namesRE("a", timeShortDays),
	'B': namesRE("B", fullMonthNames),
	'b': namesRE("b", timeShortMonths),
	'p': `(?P<p>am|pm)`,
	'%': `%`,
}

// The C locale's composite directives, as _strptime expands them.
var strptimeComposites = map[byte]string{'c': "%a %b %d %H:%M:%S %Y", 'x': "%m/%d/%y", 'X': "%H:%M:%S"}

var (
	fullDayNames   = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	fullMonthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// namesRE matches any of names, longest first (so that "Mon" does not
// stop "Monday" short).
func namesRE(group string, names []string) string {
	sorted := append([]string(nil), names...)
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			if len(sorted[j]) > len(sorted[i]) {
				sorted[i], sorted[j] = sorted[j], sorted[i]
			}
		}
	}
	return "(?P<" + group + ">" + strings.Join(sorted, "|") + ")"
}

// zoneNames returns the names %Z accepts, as _strptime's (utc, gmt and
// time.tzname, lower case): the first set means standard time, the
// second daylight saving time.
func zoneNames() (std, dst []string) {
	z := LocalZone()
	std = []string{"utc", "gmt"}
	if n := strings.ToLower(z.Names[0]); n != "utc" && n != "gmt" {
		std = append(std, n)
	}
	if z.Daylight {
		dst = []string{strings.ToLower(z.Names[1])}
	}
	return std, dst
}

// strptimeRegexp compiles format to the regular expression _strptime
// builds for it.
func strptimeRegexp(format string) (*regexp.Regexp, error) {
	strptimeCache.Lock()
	defer strptimeCache.Unlock()
	if re, ok := strptimeCache.m[format]; ok {
		return re, nil
	}
	var b strings.Builder
	b.WriteString(`(?i)^`)
	if err := strptimePattern(&b, format, format); err != nil {
		return nil, err
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, py.Errorf(py.ValueError, "bad format '%s': %v", format, err)
	}
	if len(strptimeCache.m) >= strptimeCacheMax {
		clear(strptimeCache.m)
	}
	strptimeCache.m[format] = re
	return re, nil
}

// strptimePattern appends the pattern of format: its text literally
// (white space matching any run of white space) and each directive's
// expression. whole is the format the user gave, for errors.
func strptimePattern(b *strings.Builder, format, whole string) error {
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '%':
			if i+1 == len(format) {
				return py.Errorf(py.ValueError, "stray %% in format '%s'", whole)
			}
			i++
			d := format[i]
			if sub, ok := strptimeComposites[d]; ok {
				if err := strptimePattern(b, sub, whole); err != nil {
					return err
				}
				continue
			}
			if d == 'Z' {
				std, dst := zoneNames()
				b.WriteString(namesRE("Z", append(std, dst...)))
				continue
			}
			re, ok := strptimeDirectives[d]
			if !ok {
				bad := string(d)
				if isSpace(d) || strings.IndexByte(`\.^$*+?(){}[]|`, d) >= 0 {
					bad = "%" // _strptime escaped it, and reports the escape
				}
				return py.Errorf(py.ValueError, "'%s' is a bad directive in format '%s'", bad, whole)
			}
			b.WriteString(re)
		case isSpace(c):
			for i+1 < len(format) && isSpace(format[i+1]) {
				i++
			}
			b.WriteString(`\s+`)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// Strptime parses data with format as Python's _strptime does (the C
// locale): the directives of time.strptime, matched case-insensitively,
// with CPython's ValueErrors for a bad directive, data that does not
// match, data left over and impossible dates.
func Strptime(data, format string) (*Parsed, error) {
	re, err := strptimeRegexp(format)
	if err != nil {
		return nil, err
	}
	m := re.FindStringSubmatchIndex(data)
	if m == nil {
		return nil, py.Errorf(py.ValueError, "time data %s does not match format %s", py.QuoteString(data), py.QuoteString(format))
	}
	if m[1] != len(data) {
		return nil, py.Errorf(py.ValueError, "unconverted data remains: %s", data[m[1]:])
	}
	p := &Parsed{Month: 1, Day: 1, IsDST: -1}
	year, isoYear, isoWeek, weekOfYear, weekday, julian := -1, -1, -1, -1, -1, -1
	weekStartsMonday := false
	atoi := func(s string) int { n, _ := strconv.Atoi(strings.TrimSpace(s)); return n }
	index := func(names []string, s string) int {
		for i, n := range names {
			if strings.EqualFold(n, s) {
				return i
			}
		}
		return -1
	}
	ampm := ""
	if i := re.SubexpIndex("p"); i > 0 && m[2*i] >= 0 {
		ampm = strings.ToLower(data[m[2*i]:m[2*i+1]])
	}
	for i, name := range re.SubexpNames() {
		if name == "" || m[2*i] < 0 {
			continue
		}
		v := data[m[2*i]:m[2*i+1]]
		switch name {
		case "y":
			year = atoi(v)
			if year <= 68 {
				year += 2000
			} else {
				year += 1900
			}
		case "Y":
			year = atoi(v)
		case "G":
			isoYear = atoi(v)
		case "m":
			p.Month = atoi(v)
		case "B":
			p.Month = index(fullMonthNames, v) + 1
		case "b":
			p.Month = index(timeShortMonths, v) + 1
		case "d":
			p.Day = atoi(v)
		case "H":
			p.Hour = atoi(v)
		case "I":
			p.Hour = atoi(v)
			if ampm == "pm" {
				if p.Hour != 12 {
					p.Hour += 12
				}
			} else if p.Hour == 12 {
				p.Hour = 0
			}
		case "M":
			p.Minute = atoi(v)
		case "S":
			p.Second = atoi(v)
		case "f":
			p.Microsecond = atoi(v + strings.Repeat("0", 6-len(v)))
		case "A":
			weekday = (index(fullDayNames, v) + 6) % 7
		case "a":
			weekday = (index(timeShortDays, v) + 6) % 7
		case "w":
			weekday = (atoi(v) + 6) % 7
		case "u":
			weekday = atoi(v) - 1
		case "j":
			julian = atoi(v)
		case "U", "W":
			weekOfYear = atoi(v)
			weekStartsMonday = name == "W"
		case "V":
			isoWeek = atoi(v)
		case "z":
			if err := p.parseOffset(v); err != nil {
				return nil, err
			}
		case "Z":
			p.Zone = v
			std, dst := zoneNames()
			z := LocalZone()
			lower := strings.ToLower(v)
			ambiguous := z.Names[0] == z.Names[1] && z.Daylight && lower != "utc" && lower != "gmt"
			switch {
			case ambiguous:
			case index(std, lower) >= 0:
				p.IsDST = 0
			case index(dst, lower) >= 0:
				p.IsDST = 1
			}
		}
	}
	switch {
	case year < 0 && isoYear >= 0:
		if isoWeek < 0 || weekday < 0 {
			return nil, py.Errorf(py.ValueError, "ISO year directive '%%G' must be used with the ISO week directive '%%V' and a weekday directive ('%%A', '%%a', '%%w', or '%%u').")
		}
		if julian >= 0 {
			return nil, py.Errorf(py.ValueError, "Day of the year directive '%%j' is not compatible with ISO year directive '%%G'. Use '%%Y' instead.")
		}
	case weekOfYear < 0 && isoWeek >= 0:
		if weekday < 0 {
			return nil, py.Errorf(py.ValueError, "ISO week directive '%%V' must be used with the ISO year directive '%%G' and a weekday directive ('%%A', '%%a', '%%w', or '%%u').")
		}
		return nil, py.Errorf(py.ValueError, "ISO week directive '%%V' is incompatible with the year directive '%%Y'. Use the ISO year '%%G' instead.")
	}
	leapYearFix := false
	if year < 0 {
		year = 1900
		if p.Month == 2 && p.Day == 29 {
			year, leapYearFix = 1904, true // a leap year, for the computations
		}
	}
	if julian < 0 && weekday >= 0 {
		if weekOfYear >= 0 {
			julian = julianOfWeek(year, weekOfYear, weekday, weekStartsMonday)
		} else if isoYear >= 0 && isoWeek >= 0 {
			year, julian = julianOfISOWeek(isoYear, isoWeek, weekday+1)
		}
		if julian != -1 && julian <= 0 {
			year--
			julian += 365
			if isLeap(year) {
				julian++
			}
		}
	}
	if julian < 0 {
		if err := checkDate(year, p.Month, p.Day); err != nil {
			return nil, err
		}
		julian = time.Date(year, time.Month(p.Month), p.Day, 0, 0, 0, 0, time.UTC).YearDay()
	} else {
		if err := checkDate(year, 1, 1); err != nil {
			return nil, err
		}
		t := time.Date(year, 1, julian, 0, 0, 0, 0, time.UTC)
		if err := checkDate(t.Year(), 1, 1); err != nil {
			return nil, err
		}
		year, p.Month, p.Day = t.Year(), int(t.Month()), t.Day()
	}
	if weekday < 0 {
		weekday = (int(time.Date(year, time.Month(p.Month), p.Day, 0, 0, 0, 0, time.UTC).Weekday()) + 6) % 7
	}
	if leapYearFix {
		year = 1900 // so that February 29th sorts before March 1st
	}
	p.Year, p.Weekday, p.YearDay = year, weekday, julian
	return p, nil
}

// parseOffset reads the text %z matched: Z, or ±HH[:]MM[[:]SS[.ffffff]].
func (p *Parsed) parseOffset(z string) error {
	p.HasOffset = true
	if z == "Z" {
		return nil
	}
	digits := z
	if z[3] == ':' {
		digits = z[:3] + z[4:]
		if len(digits) > 5 {
			if digits[5] != ':' {
				return py.Errorf(py.ValueError, "Inconsistent use of : in %s", z)
			}
			digits = digits[:5] + digits[6:]
		}
	}
	n := func(s string) time.Duration { v, _ := strconv.Atoi(s); return time.Duration(v) }
	d := n(digits[1:3])*time.Hour + n(digits[3:5])*time.Minute
	if len(digits) >= 7 {
		d += n(digits[5:7]) * time.Second
	}
	if len(digits) > 8 {
		frac := digits[8:]
		d += n(frac+strings.Repeat("0", 6-len(frac))) * time.Microsecond
	}
	if z[0] == '-' {
		d = -d
	}
	p.Offset = d
	return nil
}

// julianOfWeek is the day of the year of weekday (Monday 0) in week
// weekOfYear, weeks starting on Monday (%W) or Sunday (%U); week 0 is
// the days before the first such weekday. It may be 0 or less (a day of
// the year before) or past the year's end.
func julianOfWeek(year, weekOfYear, weekday int, startsMonday bool) int {
	first := (int(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Weekday()) + 6) % 7
	if !startsMonday {
		first = (first + 1) % 7
		weekday = (weekday + 1) % 7
	}
	if weekOfYear == 0 {
		return 1 + weekday - first
	}
	week0 := (7 - first) % 7
	return 1 + week0 + 7*(weekOfYear-1) + weekday
}

// julianOfISOWeek is the year and day of the year of an ISO week date
// (isoWeekday from Monday = 1).
func julianOfISOWeek(isoYear, isoWeek, isoWeekday int) (int, int) {
	jan4 := (int(time.Date(isoYear, 1, 4, 0, 0, 0, 0, time.UTC).Weekday())+6)%7 + 1
	ordinal := isoWeek*7 + isoWeekday - (jan4 + 3)
	if ordinal < 1 {
		isoYear--
		ordinal += 365
		if isLeap(isoYear) {
			ordinal++
		}
	}
	return isoYear, ordinal
}

func isLeap(year int) bool { return year%4 == 0 && (year%100 != 0 || year%400 == 0) }

// checkDate raises datetime.date's ValueErrors for an impossible date.
func checkDate(year, month, day int) error {
	if year < 1 || year > 9999 {
		return py.Errorf(py.ValueError, "year %d is out of range", year)
	}
	if month < 1 || month > 12 {
		return py.Errorf(py.ValueError, "month must be in 1..12")
	}
	if day < 1 || day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return py.Errorf(py.ValueError, "day is out of range for month")
	}
	return nil
}

// Zone is the host's local time zone as the time module describes it.
type Zone struct {
	// Names is time.tzname: the standard and daylight saving names.
	Names [2]string
	// Offset and AltOffset are time.timezone and time.altzone: seconds
	// west of UTC in standard and daylight saving time.
	Offset, AltOffset int
	// Daylight is time.daylight: whether the zone has daylight saving time.
	Daylight bool
}

// LocalZone describes time.Local as CPython's time module does at start:
// from the zones of January 1st and July 1st of this year.
func LocalZone() Zone {
	year := time.Now().Year()
	janName, janOff := time.Date(year, 1, 1, 0, 0, 0, 0, time.Local).Zone()
	julName, julOff := time.Date(year, 7, 1, 0, 0, 0, 0, time.Local).Zone()
	jan, jul := -janOff, -julOff
	if jan < jul { // daylight saving time in the southern hemisphere
		return Zone{Names: [2]string{julName, janName}, Offset: jul, AltOffset: jan, Daylight: true}
	}
	return Zone{Names: [2]string{janName, julName}, Offset: jan, AltOffset: jul, Daylight: jan != jul}
}
