package py

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// Python's format-spec mini-language: format(value, spec), f-strings
// (through the front end's __fstring__ and __format__ helpers) and
// str.format all render their fields here, as CPython's
// Python/formatter_unicode.c does.

// fstring is __fstring__(*parts): the concatenation of its str parts.
func fstring(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "%s() takes no keyword arguments", b.Name())
	}
	var s strings.Builder
	size := 0
	for _, a := range args {
		if part, ok := a.(starlark.String); ok {
			size += len(part)
		}
	}
	if size >= MinReserve {
		if err := Reserve(thread, int64(size)); err != nil {
			return nil, err
		}
	}
	for i, a := range args {
		part, ok := a.(starlark.String)
		if !ok {
			return nil, Errorf(TypeError, "%s() argument %d must be str, not %s", b.Name(), i+1, TypeName(a))
		}
		s.WriteString(string(part))
	}
	return starlark.String(s.String()), nil
}

// formatField is __format__(value, conversion, spec): one f-string
// replacement field, {value!conversion:spec}.
func formatField(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	var conversion, spec string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 3, &v, &conversion, &spec); err != nil {
		return nil, err
	}
	m := NewMeter(thread)
	v, err := convertWith(&m, v, conversion)
	if err != nil {
		return nil, err
	}
	s, err := formatWith(&m, v, spec)
	if err != nil {
		return nil, err
	}
	return starlark.String(s), nil
}

// pyFormat is format(value, format_spec=”).
func pyFormat(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	var spec starlark.Value = starlark.String("")
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v, &spec); err != nil {
		return nil, err
	}
	str, ok := spec.(starlark.String)
	if !ok {
		return nil, Errorf(TypeError, "format() argument 2 must be str, not %s", TypeName(spec))
	}
	m := NewMeter(thread)
	s, err := formatWith(&m, v, string(str))
	if err != nil {
		return nil, err
	}
	return starlark.String(s), nil
}

// Convert applies a replacement field's conversion: "" keeps v, "r"
// is repr(v), "s" str(v), "a" ascii(v).
func Convert(v starlark.Value, conversion string) (starlark.Value, error) {
	return convertWith(nil, v, conversion)
}

// convertWith is Convert, bounded by m as ReprOf is.
func convertWith(m *Meter, v starlark.Value, conversion string) (starlark.Value, error) {
	var s string
	var err error
	switch conversion {
	case "":
		return v, nil
	case "r":
		s, err = reprWith(m, v)
	case "s":
		s, err = strWith(m, v)
	case "a":
		s, err = reprWith(m, v)
		s = ASCII(s)
	default:
		return nil, Errorf(ValueError, "Unknown conversion specifier %s", conversion)
	}
	if err != nil {
		return nil, err
	}
	return starlark.String(s), nil
}

// PyFormatter is implemented by values with a format-spec language of
// their own, as Python's __format__: a datetime's is strftime's
// (f'{d:%Y-%m-%d}').
type PyFormatter interface {
	PyFormat(spec string) (string, error)
}

// Format is Python's format(v, spec): the format-spec mini-language for
// int, bool, float and str, a PyFormatter's own, and str(v) for other
// values when spec is empty (a TypeError otherwise, as object.__format__
// raises).
func Format(v starlark.Value, spec string) (string, error) {
	return formatWith(nil, v, spec)
}

// formatWith is Format, bounded by m as ReprOf is.
func formatWith(m *Meter, v starlark.Value, spec string) (string, error) {
	if err := reserveElems(m.threadOf(), specSize(spec), 1); err != nil {
		return "", err
	}
	switch x := v.(type) {
	case PyFormatter:
		return x.PyFormat(spec)
	case starlark.String:
		if spec == "" {
			return string(x), nil
		}
		return formatStr(string(x), spec)
	case starlark.Bool:
		if spec == "" {
			return Str(x), nil
		}
		return formatInt(x, starlark.MakeInt(b2i(x)), spec)
	case starlark.Int:
		if spec == "" {
			return x.String(), nil
		}
		return formatInt(x, x, spec)
	case starlark.Float:
		if spec == "" {
			return FloatRepr(float64(x)), nil
		}
		return formatFloatSpec(x, float64(x), spec)
	}
	if o := objectOf(v); o != nil {
		if f := o.class.scriptMethod("__format__"); f != nil {
			return o.callFormat(m.threadOf(), f, spec)
		}
	}
	if spec != "" {
		return "", Errorf(TypeError, "unsupported format string passed to %s.__format__", TypeName(v))
	}
	return strWith(m, v)
}

// formatSpec is a parsed standard format specifier:
// [[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]
type formatSpec struct {
	fill      rune
	align     byte // '<', '>', '=', '^'
	sign      byte // 0, '+', '-', ' '
	noNegZero bool // 'z'
	alt       bool // '#'
	width     int  // -1: none
	grouping  byte // 0, ',', '_'
	precision int  // -1: none
	typ       rune // 0: none
}

// parseFormatSpec parses spec for a value of type typeName whose
// default alignment is defaultAlign and default type defaultType.
func parseFormatSpec(spec, typeName string, defaultAlign byte, defaultType rune) (*formatSpec, error) {
	f := &formatSpec{fill: ' ', align: defaultAlign, width: -1, precision: -1, typ: defaultType}
	rs := []rune(spec)
	pos := 0
	isAlign := func(r rune) bool { return r == '<' || r == '>' || r == '=' || r == '^' }
	fillSet, alignSet := false, false
	if len(rs) >= 2 && isAlign(rs[1]) {
		f.fill, f.align = rs[0], byte(rs[1])
		fillSet, alignSet = true, true
		pos = 2
	} else if len(rs) >= 1 && isAlign(rs[0]) {
		f.align = byte(rs[0])
		alignSet = true
		pos = 1
	}
	if pos < len(rs) && (rs[pos] == '+' || rs[pos] == '-' || rs[pos] == ' ') {
		f.sign = byte(rs[pos])
		pos++
	}
	if pos < len(rs) && rs[pos] == 'z' {
		f.noNegZero = true
		pos++
	}
	if pos < len(rs) && rs[pos] == '#' {
		f.alt = true
		pos++
	}
	if !fillSet && pos < len(rs) && rs[pos] == '0' {
		f.fill = '0'
		if !alignSet && defaultAlign == '>' {
			f.align = '='
		}
		pos++
	}
	readInt := func() (int, bool, error) {
		start := pos
		n := 0
		for pos < len(rs) && rs[pos] >= '0' && rs[pos] <= '9' {
			n = n*10 + int(rs[pos]-'0')
			if n > math.MaxInt32 {
				return 0, false, Errorf(ValueError, "Too many decimal digits in format string")
			}
			pos++
		}
		return n, pos > start, nil
	}
	w, ok, err := readInt()
	if err != nil {
		return nil, err
	}
	if ok {
		f.width = w
	}
	if pos < len(rs) && rs[pos] == ',' {
		f.grouping = ','
		pos++
	}
	if pos < len(rs) && rs[pos] == '_' {
		if f.grouping != 0 {
			return nil, Errorf(ValueError, "Cannot specify both ',' and '_'.")
		}
		f.grouping = '_'
		pos++
	}
	if pos < len(rs) && rs[pos] == ',' && f.grouping == '_' {
		return nil, Errorf(ValueError, "Cannot specify both ',' and '_'.")
	}
	if pos < len(rs) && rs[pos] == '.' {
		pos++
		p, ok, err := readInt()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, Errorf(ValueError, "Format specifier missing precision")
		}
		f.precision = p
	}
	if len(rs)-pos > 1 {
		return nil, Errorf(ValueError, "Invalid format specifier '%s' for object of type '%s'", spec, typeName)
	}
	if pos < len(rs) {
		f.typ = rs[pos]
	}
	if f.grouping != 0 {
		switch f.typ {
		case 'd', 'e', 'f', 'g', 'E', 'G', '%', 'F', 0:
		case 'b', 'o', 'x', 'X':
			if f.grouping == '_' {
				break
			}
			fallthrough
		default:
			return nil, Errorf(ValueError, "Cannot specify '%c' with %s.", f.grouping, quoteCode(f.typ))
		}
	}
	return f, nil
}

// quoteCode renders a presentation type as CPython's messages do:
// 'x', or '\xfc' outside printable ASCII.
func quoteCode(r rune) string {
	if r > 32 && r < 128 {
		return "'" + string(r) + "'"
	}
	return fmt.Sprintf("'\\x%x'", r)
}

func unknownCode(typ rune, typeName string) error {
	return Errorf(ValueError, "Unknown format code %s for object of type '%s'", quoteCode(typ), typeName)
}

// formatStr formats a str: alignment (left by default) and precision
// truncation, in characters.
func formatStr(s, spec string) (string, error) {
	f, err := parseFormatSpec(spec, "str", '<', 's')
	if err != nil {
		return "", err
	}
	if f.typ != 's' {
		return "", unknownCode(f.typ, "str")
	}
	switch {
	case f.sign == ' ':
		return "", Errorf(ValueError, "Space not allowed in string format specifier")
	case f.sign != 0:
		return "", Errorf(ValueError, "Sign not allowed in string format specifier")
	case f.noNegZero:
		return "", Errorf(ValueError, "Negative zero coercion (z) not allowed in string format specifier")
	case f.alt:
		return "", Errorf(ValueError, "Alternate form (#) not allowed in string format specifier")
	case f.align == '=':
		return "", Errorf(ValueError, "'=' alignment not allowed in string format specifier")
	}
	if f.precision >= 0 {
		s = truncateRunes(s, f.precision)
	}
	return pad(s, f.width, f.align, f.fill), nil
}

// truncateRunes returns the first n characters of s.
func truncateRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// pad aligns s in a field of width characters ('<', '>', '^'; '=' is
// treated as '<' for text).
func pad(s string, width int, align byte, fill rune) string {
	n := width - utf8.RuneCountInString(s)
	if n <= 0 {
		return s
	}
	left := 0
	switch align {
	case '>':
		left = n
	case '^':
		left = n / 2
	}
	fs := string(fill)
	return strings.Repeat(fs, left) + s + strings.Repeat(fs, n-left)
}

// formatInt formats an int (v is the original value, for messages).
func formatInt(v starlark.Value, x starlark.Int, spec string) (string, error) {
	typeName := TypeName(v)
	f, err := parseFormatSpec(spec, typeName, '>', 'd')
	if err != nil {
		return "", err
	}
	switch f.typ {
	case 'b', 'c', 'd', 'o', 'x', 'X', 'n':
	case 'e', 'E', 'f', 'F', 'g', 'G', '%':
		fv, err := intToFloat(x)
		if err != nil {
			return "", err
		}
		return renderFloat(f, float64(fv.(starlark.Float)))
	default:
		return "", unknownCode(f.typ, typeName)
	}
	if f.precision >= 0 {
		return "", Errorf(ValueError, "Precision not allowed in integer format specifier")
	}
	if f.noNegZero {
		return "", Errorf(ValueError, "Negative zero coercion (z) not allowed in integer format specifier")
	}
	if f.typ == 'c' {
		if f.sign != 0 {
			return "", Errorf(ValueError, "Sign not allowed with integer format specifier 'c'")
		}
		if f.alt {
			return "", Errorf(ValueError, "Alternate form (#) not allowed with integer format specifier 'c'")
		}
		n, ok := x.Int64()
		if !ok {
			return "", Errorf(OverflowError, "Python int too large to convert to C long")
		}
		if n < 0 || n > 0x10ffff {
			return "", Errorf(OverflowError, "%%c arg not in range(0x110000)")
		}
		return renderNumber(f, false, "", "", "", string(rune(n))), nil
	}
	base, prefix := 10, ""
	switch f.typ {
	case 'b':
		base, prefix = 2, "0b"
	case 'o':
		base, prefix = 8, "0o"
	case 'x':
		base, prefix = 16, "0x"
	case 'X':
		base, prefix = 16, "0X"
	}
	if !f.alt {
		prefix = ""
	}
	bi := x.BigInt()
	neg := bi.Sign() < 0
	digits := bi.Abs(bi).Text(base)
	if f.typ == 'X' {
		digits = strings.ToUpper(digits)
	}
	return renderNumber(f, neg, prefix, digits, "", ""), nil
}

// formatFloatSpec formats a float with a format spec.
func formatFloatSpec(v starlark.Value, x float64, spec string) (string, error) {
	f, err := parseFormatSpec(spec, TypeName(v), '>', 0)
	if err != nil {
		return "", err
	}
	switch f.typ {
	case 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%', 0:
		return renderFloat(f, x)
	}
	return "", unknownCode(f.typ, TypeName(v))
}

// renderFloat is CPython's format_float_internal.
func renderFloat(f *formatSpec, x float64) (string, error) {
	typ := f.typ
	prec := f.precision
	flags := floatFlags{alt: f.alt, noNegZero: f.noNegZero}
	defaultPrec := 6
	if typ == 0 {
		flags.addDot0 = true
		typ = 'r'
		defaultPrec = 0
	}
	if typ == 'n' {
		typ = 'g'
	}
	pct := false
	if typ == '%' {
		typ = 'f'
		x *= 100
		pct = true
	}
	if prec < 0 {
		prec = defaultPrec
	} else if typ == 'r' {
		typ = 'g'
	}
	s := formatFloat(x, byte(typ), prec, flags)
	if pct {
		s += "%"
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	// Split into leading digits, an optional decimal point, and the rest.
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits, rest := s[:i], s[i:]
	decimal := ""
	if strings.HasPrefix(rest, ".") {
		decimal, rest = ".", rest[1:]
	}
	return renderNumber(f, neg, "", digits, decimal, rest), nil
}

// renderNumber lays out a number as CPython's calc_number_widths and
// fill_number do: [lpad][sign][prefix][spad][grouped digits][decimal][rest][rpad].
// Zero padding ('0' fill with '=' alignment) extends the digits, with
// group separators, to fill the width.
func renderNumber(f *formatSpec, neg bool, prefix, digits, decimal, rest string) string {
	sign := ""
	switch {
	case neg:
		sign = "-"
	case f.sign == '+':
		sign = "+"
	case f.sign == ' ':
		sign = " "
	}
	nonDigits := len(sign) + len(prefix) + len(decimal) + utf8.RuneCountInString(rest)
	minWidth := 0
	if f.fill == '0' && f.align == '=' {
		minWidth = f.width - nonDigits
	}
	grouped := ""
	if digits != "" {
		size, sep := 0, ""
		switch {
		case f.grouping == ',':
			size, sep = 3, ","
		case f.grouping == '_' && (f.typ == 'b' || f.typ == 'o' || f.typ == 'x' || f.typ == 'X'):
			size, sep = 4, "_"
		case f.grouping == '_':
			size, sep = 3, "_"
		}
		grouped = groupDigits(digits, size, sep, minWidth)
	}
	body := grouped + decimal + rest
	n := f.width - (nonDigits + len(grouped))
	if n <= 0 {
		return sign + prefix + body
	}
	fill := string(f.fill)
	switch f.align {
	case '<':
		return sign + prefix + body + strings.Repeat(fill, n)
	case '^':
		left := n / 2
		return strings.Repeat(fill, left) + sign + prefix + body + strings.Repeat(fill, n-left)
	case '=':
		return sign + prefix + strings.Repeat(fill, n) + body
	default:
		return strings.Repeat(fill, n) + sign + prefix + body
	}
}

// groupDigits inserts sep every size digits from the right (no grouping
// when size is 0) and pads with leading zeros, themselves grouped, to
// at least minWidth characters: CPython's InsertThousandsGrouping.
func groupDigits(digits string, size int, sep string, minWidth int) string {
	var chunks []string // right to left
	remaining := len(digits)
	useSep := false
	broken := false
	emit := func(l int) {
		nZeros := max(0, l-remaining)
		nChars := max(0, min(remaining, l))
		chunk := strings.Repeat("0", nZeros) + digits[remaining-nChars:remaining]
		if useSep {
			chunk += sep
		}
		chunks = append(chunks, chunk)
		remaining -= nChars
	}
	if size > 0 {
		for {
			l := min(size, max(remaining, minWidth, 1))
			emit(l)
			minWidth -= l
			useSep = true
			if remaining <= 0 && minWidth <= 0 {
				broken = true
				break
			}
			minWidth -= len(sep)
		}
	}
	if !broken {
		emit(max(remaining, minWidth, 1))
	}
	var b strings.Builder
	for i := len(chunks) - 1; i >= 0; i-- {
		b.WriteString(chunks[i])
	}
	return b.String()
}

// floatFlags are PyOS_double_to_string's flags.
type floatFlags struct {
	alt       bool // '#': keep the decimal point and trailing zeros
	addDot0   bool // add ".0" to integral values ('r' and untyped)
	noNegZero bool // 'z': -0.0 rounds to 0.0
	upper     bool // E, F, G: "1E+10", "INF", "NAN"
}

// formatFloat is CPython's PyOS_double_to_string: code is 'e', 'f',
// 'g' (or their upper-case forms) with precision prec, or 'r' for the
// shortest repr. The result has a '-' sign when negative and no '+'.
func formatFloat(x float64, code byte, prec int, flags floatFlags) string {
	switch code {
	case 'E', 'F', 'G':
		flags.upper = true
		code += 'a' - 'A'
	}
	s := formatFloatShort(x, code, prec, flags)
	if flags.upper {
		s = strings.ToUpper(s)
	}
	return s
}

func formatFloatShort(x float64, code byte, prec int, flags floatFlags) string {
	if math.IsNaN(x) {
		return "nan"
	}
	neg := math.Signbit(x)
	if math.IsInf(x, 0) {
		if neg {
			return "-inf"
		}
		return "inf"
	}
	a := math.Abs(x)
	var digits string
	var decpt int
	switch code {
	case 'e':
		prec++
		digits, decpt = significantDigits(a, prec)
	case 'g':
		if prec == 0 {
			prec = 1
		}
		digits, decpt = significantDigits(a, prec)
	case 'f':
		digits, decpt = fixedDigits(a, prec)
	default: // 'r'
		digits, decpt = significantDigits(a, -1)
	}
	if flags.noNegZero && neg && strings.Trim(digits, "0") == "" {
		neg = false
	}
	useExp := false
	vEnd := len(digits)
	switch code {
	case 'e':
		useExp = true
		vEnd = prec
	case 'f':
		vEnd = decpt + prec
	case 'g':
		limit := prec
		if flags.addDot0 {
			limit = prec - 1
		}
		if decpt <= -4 || decpt > limit {
			useExp = true
		}
		if flags.alt {
			vEnd = prec
		}
	default:
		if decpt <= -4 || decpt > 16 {
			useExp = true
		}
	}
	exp := 0
	if useExp {
		exp = decpt - 1
		decpt = 1
	}
	vStart := 0
	if decpt <= 0 {
		vStart = decpt - 1
	}
	if !useExp && flags.addDot0 {
		vEnd = max(vEnd, decpt+1)
	} else {
		vEnd = max(vEnd, decpt)
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	zeros := func(n int) {
		if n > 0 {
			b.WriteString(strings.Repeat("0", n))
		}
	}
	if decpt <= 0 {
		zeros(decpt - vStart)
		b.WriteByte('.')
		zeros(-decpt)
	} else {
		zeros(-vStart)
	}
	if 0 < decpt && decpt <= len(digits) {
		b.WriteString(digits[:decpt])
		b.WriteByte('.')
		b.WriteString(digits[decpt:])
	} else {
		b.WriteString(digits)
	}
	if len(digits) < decpt {
		zeros(decpt - len(digits))
		b.WriteByte('.')
		zeros(vEnd - decpt)
	} else {
		zeros(vEnd - len(digits))
	}
	s := b.String()
	if strings.HasSuffix(s, ".") && !flags.alt {
		s = s[:len(s)-1]
	}
	if useExp {
		sign := '+'
		if exp < 0 {
			sign, exp = '-', -exp
		}
		s += fmt.Sprintf("e%c%02d", sign, exp)
	}
	return s
}

// significantDigits returns the decimal digits of a (>= 0) rounded to n
// significant digits (n < 0: the shortest that round-trips), without
// trailing zeros, and the position of the decimal point relative to
// them: a == 0.d1d2d3... × 10^decpt.
func significantDigits(a float64, n int) (string, int) {
	if a == 0 {
		return "0", 1
	}
	s := strconv.FormatFloat(a, 'e', n-1, 64)
	if n < 0 {
		s = strconv.FormatFloat(a, 'e', -1, 64)
	}
	mant, expStr, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if digits == "" {
		return "0", 1
	}
	return digits, exp + 1
}

// fixedDigits returns the digits of a (>= 0) rounded to n places after
// the decimal point, as significantDigits does.
func fixedDigits(a float64, n int) (string, int) {
	s := strconv.FormatFloat(a, 'f', n, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	digits := intPart + frac
	decpt := len(intPart)
	for len(digits) > 0 && digits[0] == '0' {
		digits = digits[1:]
		decpt--
	}
	digits = strings.TrimRight(digits, "0")
	if digits == "" {
		return "0", 1
	}
	return digits, decpt
}

// fmtFloat formats a float with CPython's rules and no flags.
func fmtFloat(x float64, code byte, prec int) string {
	return formatFloat(x, code, prec, floatFlags{})
}
