package py

import (
	"math"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Python's printf-style formatting, 'fmt' % args for str and bytes, as
// CPython's PyUnicode_Format and _PyBytes_FormatEx do it: conversions
// %s %r %a %d %i %u %o %x %X %e %E %f %F %g %G %c %% (and %b for
// bytes), flags "-+ #0", width and precision (or *), %(key)s with a
// mapping, and CPython's error messages.

// mod is __mod__(x, y): x % y. Strings and bytes on the left use
// Python's %-formatting; every other pair Starlark's % operator.
func mod(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &y); err != nil {
		return nil, err
	}
	m := NewMeter(thread)
	return modWith(&m, x, y)
}

// Mod is Python's x % y.
func Mod(x, y starlark.Value) (starlark.Value, error) { return modWith(nil, x, y) }

// modWith is Mod, with %-formatting bounded by m as ReprOf is.
func modWith(m *Meter, x, y starlark.Value) (starlark.Value, error) {
	if err := reserveFormatted(m.threadOf(), x, y); err != nil {
		return nil, err
	}
	switch x := x.(type) {
	case starlark.String:
		s, err := PercentFormat(m, string(x), y, false)
		if err != nil {
			return nil, err
		}
		return starlark.String(s), nil
	case Bytes:
		s, err := PercentFormat(m, string(x), y, true)
		if err != nil {
			return nil, err
		}
		return Bytes(s), nil
	}
	v, err := starlark.Binary(syntax.PERCENT, x, y)
	if err != nil {
		xn, xok := numberArg(x)
		yn, yok := numberArg(y)
		switch {
		case (!xok || !yok) && strings.HasPrefix(err.Error(), "unknown binary op"):
			return nil, Errorf(TypeError, "unsupported operand type(s) for %%: '%s' and '%s'", TypeName(x), TypeName(y))
		case toFloat(yn) == 0:
			if _, ok := xn.(starlark.Float); ok {
				return nil, Errorf(ZeroDivisionError, "float modulo")
			}
			if _, ok := yn.(starlark.Float); ok {
				return nil, Errorf(ZeroDivisionError, "float modulo")
			}
			return nil, Errorf(ZeroDivisionError, "integer modulo by zero")
		}
		return nil, err
	}
	return v, nil
}

// percentArgs walks the arguments of a %-format as CPython does: a
// tuple supplies one argument per conversion, any other value is the
// single argument; a mapping also serves %(key)s.
type percentArgs struct {
	args   starlark.Value
	tuple  starlark.Tuple
	arglen int // -1: a single, non-tuple argument
	argidx int
	dict   starlark.Value // non-nil when args is a mapping
}

func newPercentArgs(y starlark.Value, isBytes bool) *percentArgs {
	a := &percentArgs{args: y}
	switch t := y.(type) {
	case starlark.Tuple:
		a.tuple, a.arglen = t, len(t)
	case NamedTupleValue:
		a.tuple = NamedTupleValues(t)
		a.arglen = len(a.tuple)
	default:
		a.arglen, a.argidx = -1, -2
		switch y.(type) {
		case starlark.String:
		case *Type: // list[int] is a class's __class_getitem__, not a mapping's
		case Bytes:
			if !isBytes { // a str format treats bytes as a mapping, as CPython
				a.dict = y
			}
		case starlark.Mapping, starlark.Indexable:
			a.dict = y
		}
	}
	return a
}

func (a *percentArgs) next() (starlark.Value, error) {
	if a.argidx < a.arglen {
		i := a.argidx
		a.argidx++
		if a.arglen < 0 {
			return a.args, nil
		}
		return a.tuple[i], nil
	}
	return nil, Errorf(TypeError, "not enough arguments for format string")
}

// getItem is mapping[key] for %(key)s.
func getItem(m starlark.Value, key string) (starlark.Value, error) {
	k := starlark.String(key)
	switch m := m.(type) {
	case starlark.Mapping:
		v, found, err := m.Get(k)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, &Exception{Class: KeyError, Msg: Repr(k), Args: starlark.Tuple{k}}
		}
		return v, nil
	case Bytes:
		return nil, Errorf(TypeError, "byte indices must be integers or slices, not str")
	}
	return nil, Errorf(TypeError, "%s indices must be integers or slices, not str", TypeName(m))
}

// percentConv is one parsed %-conversion.
type percentConv struct {
	ljust, sign, blank, alt, zero bool
	width, prec                   int // -1: none
	ch                            rune
}

// PercentFormat formats fmt % y; isBytes selects bytes semantics (fmt
// and the result are bytes, %s takes bytes).
func PercentFormat(m *Meter, format string, y starlark.Value, isBytes bool) (string, error) {
	args := newPercentArgs(y, isBytes)
	var out strings.Builder
	src := format // syntax characters are ASCII: scan bytes
	pos := 0
	for pos < len(src) {
		if src[pos] != '%' {
			next := strings.IndexByte(src[pos:], '%')
			if next < 0 {
				next = len(src) - pos
			}
			out.WriteString(src[pos : pos+next])
			pos += next
			continue
		}
		pos++ // '%'
		if pos < len(src) && src[pos] == '%' {
			out.WriteByte('%')
			pos++
			continue
		}
		c := percentConv{width: -1, prec: -1}
		remaining := func() bool { return pos < len(src) }
		if remaining() && src[pos] == '(' {
			if args.dict == nil {
				return "", Errorf(TypeError, "format requires a mapping")
			}
			pos++
			start := pos
			depth := 1
			for depth > 0 && pos < len(src) {
				switch src[pos] {
				case ')':
					depth--
				case '(':
					depth++
				}
				pos++
			}
			if depth > 0 {
				return "", Errorf(ValueError, "incomplete format key")
			}
			key := src[start : pos-1]
			var v starlark.Value
			var err error
			if isBytes {
				v, err = getBytesItem(args.dict, Bytes(key))
			} else {
				v, err = getItem(args.dict, key)
			}
			if err != nil {
				return "", err
			}
			args.args, args.arglen, args.argidx = v, -1, -2
		}
		// flags
		for remaining() {
			switch src[pos] {
			case '-':
				c.ljust = true
			case '+':
				c.sign = true
			case ' ':
				c.blank = true
			case '#':
				c.alt = true
			case '0':
				c.zero = true
			default:
				goto width
			}
			pos++
		}
	width:
		// count reads a width or precision: '*' (the next argument) or a
		// decimal (0 when there are no digits); what names it in the
		// too-big error.
		count := func(what string) (int, error) {
			if remaining() && src[pos] == '*' {
				pos++
				v, err := args.next()
				if err != nil {
					return 0, err
				}
				return starArg(v)
			}
			n := 0
			for remaining() && src[pos] >= '0' && src[pos] <= '9' {
				n = n*10 + int(src[pos]-'0')
				if n > math.MaxInt32 {
					return 0, Errorf(ValueError, "%s too big", what)
				}
				pos++
			}
			return n, nil
		}
		if remaining() && (src[pos] == '*' || src[pos] >= '0' && src[pos] <= '9') {
			n, err := count("width")
			if err != nil {
				return "", err
			}
			if n < 0 {
				c.ljust, n = true, -n
			}
			c.width = n
		}
		if remaining() && src[pos] == '.' {
			pos++
			n, err := count("precision")
			if err != nil {
				return "", err
			}
			c.prec = max(n, 0)
		}
		if remaining() && (src[pos] == 'h' || src[pos] == 'l' || src[pos] == 'L') {
			pos++
		}
		if !remaining() {
			return "", Errorf(ValueError, "incomplete format")
		}
		index := pos
		if isBytes {
			c.ch = rune(src[pos])
			pos++
		} else {
			r, size := utf8.DecodeRuneInString(src[pos:])
			c.ch = r
			pos += size
			index = utf8.RuneCountInString(src[:index])
		}
		v, err := args.next()
		if err != nil {
			return "", err
		}
		s, numeric, err := convertPercent(m, &c, v, isBytes, index)
		if err != nil {
			return "", err
		}
		out.WriteString(padPercent(&c, s, numeric, isBytes))
	}
	if args.argidx < args.arglen && args.dict == nil {
		if isBytes {
			return "", Errorf(TypeError, "not all arguments converted during bytes formatting")
		}
		return "", Errorf(TypeError, "not all arguments converted during string formatting")
	}
	return out.String(), nil
}

// getBytesItem is mapping[key] for a bytes format's %(key)s.
func getBytesItem(m starlark.Value, k Bytes) (starlark.Value, error) {
	if mm, ok := m.(starlark.Mapping); ok {
		v, found, err := mm.Get(k)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, &Exception{Class: KeyError, Msg: Repr(k), Args: starlark.Tuple{k}}
		}
		return v, nil
	}
	return nil, Errorf(TypeError, "%s indices must be integers or slices, not bytes", TypeName(m))
}

// starArg is the int a '*' width or precision takes.
func starArg(v starlark.Value) (int, error) {
	var i starlark.Int
	switch v := v.(type) {
	case starlark.Int:
		i = v
	case starlark.Bool:
		i = starlark.MakeInt(b2i(v))
	default:
		return 0, Errorf(TypeError, "* wants int")
	}
	n, ok := i.Int64()
	if !ok || n > math.MaxInt32 || n < -math.MaxInt32 {
		return 0, Errorf(OverflowError, "Python int too large to convert to C ssize_t")
	}
	return int(n), nil
}

// convertPercent renders one argument; numeric reports whether the
// conversion is numeric (sign and zero-padding rules apply). For a
// bytes format the result holds raw bytes.
func convertPercent(m *Meter, c *percentConv, v starlark.Value, isBytes bool, index int) (string, bool, error) {
	if err := reserveElems(m.threadOf(), max(c.width, c.prec), 1); err != nil {
		return "", false, err
	}
	switch c.ch {
	case 's', 'r', 'a', 'b':
		var s string
		var err error
		switch {
		case c.ch == 'a' || (isBytes && c.ch == 'r'):
			s, err = reprWith(m, v)
			s = ASCII(s)
		case c.ch == 'r':
			s, err = reprWith(m, v)
		case isBytes:
			bv, ok := BytesLike(v)
			if !ok {
				var db Bytes
				db, ok, err = dunderBytes(m.threadOf(), v)
				if err != nil {
					return "", false, err
				}
				bv = string(db)
			}
			if !ok {
				return "", false, Errorf(TypeError, "%%b requires a bytes-like object, or an object that implements __bytes__, not '%s'", TypeName(v))
			}
			s = bv
		case c.ch == 'b':
			return "", false, unsupportedChar(c.ch, index)
		default:
			s, err = strWith(m, v)
		}
		if err != nil {
			return "", false, err
		}
		if c.prec >= 0 {
			if isBytes {
				if len(s) > c.prec {
					s = s[:c.prec]
				}
			} else {
				s = truncateRunes(s, c.prec)
			}
		}
		return s, false, nil
	case 'd', 'i', 'u', 'o', 'x', 'X':
		var i starlark.Int
		switch x := v.(type) {
		case starlark.Int:
			i = x
		case starlark.Bool:
			i = starlark.MakeInt(b2i(x))
		case starlark.Float:
			if c.ch != 'd' && c.ch != 'i' && c.ch != 'u' {
				return "", false, Errorf(TypeError, "%%%c format: an integer is required, not float", c.ch)
			}
			f := float64(x)
			switch {
			case math.IsInf(f, 0):
				return "", false, Errorf(OverflowError, "cannot convert float infinity to integer")
			case math.IsNaN(f):
				return "", false, Errorf(ValueError, "cannot convert float NaN to integer")
			}
			i, _ = starlark.NumberToInt(x)
		default:
			if c.ch == 'd' || c.ch == 'i' || c.ch == 'u' {
				return "", false, Errorf(TypeError, "%%%c format: a real number is required, not %s", c.ch, TypeName(v))
			}
			return "", false, Errorf(TypeError, "%%%c format: an integer is required, not %s", c.ch, TypeName(v))
		}
		return formatPercentInt(c, i), true, nil
	case 'e', 'E', 'f', 'F', 'g', 'G':
		var f float64
		switch x := v.(type) {
		case starlark.Float:
			f = float64(x)
		case starlark.Int:
			fv, err := intToFloat(x)
			if err != nil {
				return "", false, err
			}
			f = float64(fv.(starlark.Float))
		case starlark.Bool:
			f = float64(b2i(x))
		default:
			return "", false, Errorf(TypeError, "must be real number, not %s", TypeName(v))
		}
		prec := c.prec
		if prec < 0 {
			prec = 6
		}
		return formatFloat(f, byte(c.ch), prec, floatFlags{alt: c.alt}), true, nil
	case 'c':
		if isBytes {
			switch x := v.(type) {
			case Bytes:
				if len(x) == 1 {
					return string(x), false, nil
				}
			case starlark.Int, starlark.Bool:
				n, _ := asIndex(x)
				k, ok := n.Int64()
				if !ok || k < 0 || k > 255 {
					return "", false, Errorf(OverflowError, "%%c arg not in range(256)")
				}
				return string([]byte{byte(k)}), false, nil
			}
			return "", false, Errorf(TypeError, "%%c requires an integer in range(256) or a single byte")
		}
		switch x := v.(type) {
		case starlark.String:
			if utf8.RuneCountInString(string(x)) == 1 {
				return string(x), false, nil
			}
		case starlark.Int, starlark.Bool:
			n, _ := asIndex(x)
			k, ok := n.Int64()
			if !ok || k < 0 || k > 0x10ffff {
				return "", false, Errorf(OverflowError, "%%c arg not in range(0x110000)")
			}
			return string(rune(k)), false, nil
		}
		return "", false, Errorf(TypeError, "%%c requires int or char")
	}
	return "", false, unsupportedChar(c.ch, index)
}

func unsupportedChar(ch rune, index int) error {
	shown := '?'
	if ch >= 31 && ch <= 126 {
		shown = ch
	}
	return Errorf(ValueError, "unsupported format character '%c' (0x%x) at index %d", shown, ch, index)
}

// formatPercentInt is CPython's _PyUnicode_FormatLong: digits in the
// conversion's base, at least prec of them, with 0x/0o when '#'.
func formatPercentInt(c *percentConv, i starlark.Int) string {
	bi := i.BigInt()
	neg := bi.Sign() < 0
	bi.Abs(bi)
	base, prefix := 10, ""
	switch c.ch {
	case 'o':
		base, prefix = 8, "0o"
	case 'x', 'X':
		base, prefix = 16, "0x"
	}
	if !c.alt {
		prefix = ""
	}
	digits := bi.Text(base)
	if c.prec > len(digits) {
		digits = strings.Repeat("0", c.prec-len(digits)) + digits
	}
	s := prefix + digits
	if neg {
		s = "-" + s
	}
	if c.ch == 'X' {
		s = strings.ToUpper(s)
	}
	return s
}

// padPercent applies width, '-' and '0' as CPython's
// unicode_format_arg_output: numbers get their sign (and 0x prefix)
// before zero padding; right padding is always spaces.
func padPercent(c *percentConv, s string, numeric, isBytes bool) string {
	length := utf8.RuneCountInString
	if isBytes {
		length = func(s string) int { return len(s) }
	}
	fill := " "
	if numeric && c.zero {
		fill = "0"
	}
	sign := ""
	if numeric {
		switch {
		case strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+"):
			sign, s = s[:1], s[1:]
		case c.sign:
			sign = "+"
		case c.blank:
			sign = " "
		}
	}
	prefix := ""
	if numeric && c.alt && (c.ch == 'x' || c.ch == 'X' || c.ch == 'o') {
		prefix, s = s[:2], s[2:]
	}
	width := max(c.width, length(sign)+length(prefix)+length(s))
	n := width - (len(sign) + len(prefix) + length(s))
	if n <= 0 {
		return sign + prefix + s
	}
	if c.ljust {
		return sign + prefix + s + strings.Repeat(" ", n)
	}
	if fill == "0" {
		return sign + prefix + strings.Repeat("0", n) + s
	}
	return strings.Repeat(" ", n) + sign + prefix + s
}
