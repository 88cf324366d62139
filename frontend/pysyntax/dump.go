package pysyntax

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Dump formats a tree as CPython's ast.dump(node) does with its default
// arguments: every field by name, optional fields left out when None, no
// positions.
func Dump(n Node) string {
	var b strings.Builder
	d := dumper{b: &b}
	d.node(reflect.ValueOf(n))
	return b.String()
}

// DumpWithPositions is Dump with the positions of located nodes, as
// ast.dump(node, include_attributes=True) prints them.
func DumpWithPositions(n Node) string {
	var b strings.Builder
	d := dumper{b: &b, positions: true}
	d.node(reflect.ValueOf(n))
	return b.String()
}

type dumper struct {
	b         *strings.Builder
	positions bool
}

// pyClassNames are the CPython class names of node types whose Go names
// differ (the Async and Star variants are chosen by a flag).
var pyClassNames = map[string]string{
	"ExprStmt": "Expr", "Comprehension": "comprehension", "Arguments": "arguments", "Arg": "arg",
	"Keyword": "keyword", "Alias": "alias", "WithItem": "withitem", "MatchCase": "match_case",
}

func className(v reflect.Value) string {
	switch n := v.Interface().(type) {
	case *FunctionDef:
		if n.Async {
			return "AsyncFunctionDef"
		}
	case *For:
		if n.Async {
			return "AsyncFor"
		}
	case *With:
		if n.Async {
			return "AsyncWith"
		}
	case *Try:
		if n.Star {
			return "TryStar"
		}
	}
	name := v.Elem().Type().Name()
	if py, ok := pyClassNames[name]; ok {
		return py
	}
	return name
}

var posType = reflect.TypeOf(Pos{})

// node writes a pointer to a node struct.
func (d *dumper) node(v reflect.Value) {
	b := d.b
	b.WriteString(className(v))
	b.WriteByte('(')
	s := v.Elem()
	t := s.Type()
	first := true
	sep := func() {
		if !first {
			b.WriteString(", ")
		}
		first = false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("py")
		if tag == "" || tag == "-" {
			continue
		}
		name, opt := tag, false
		if j := strings.IndexByte(tag, ','); j >= 0 {
			name, opt = tag[:j], tag[j+1:] == "opt"
		}
		fv := s.Field(i)
		if opt && fv.IsZero() && (fv.Kind() != reflect.Int) {
			continue
		}
		sep()
		b.WriteString(name)
		b.WriteByte('=')
		d.value(fv)
	}
	if _, ok := v.Interface().(*Module); ok {
		b.WriteString(", type_ignores=[]")
	}
	if d.positions {
		if f, ok := t.FieldByName("Pos"); ok && f.Type == posType {
			p := s.FieldByIndex(f.Index).Interface().(Pos)
			sep()
			fmt.Fprintf(b, "lineno=%d, col_offset=%d, end_lineno=%d, end_col_offset=%d", p.Lineno, p.ColOffset, p.EndLineno, p.EndColOffset)
		}
	}
	b.WriteByte(')')
}

func (d *dumper) value(v reflect.Value) {
	b := d.b
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("None")
			return
		}
		if _, ok := v.Interface().(Node); ok {
			d.node(v.Elem())
			return
		}
		b.WriteString(ConstantRepr(v.Interface()))
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("None")
			return
		}
		d.node(v)
	case reflect.Slice:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			d.value(v.Index(i))
		}
		b.WriteByte(']')
	case reflect.String:
		b.WriteString(strRepr(v.String()))
	case reflect.Int:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint8:
		// operators and contexts
		b.WriteString(v.Interface().(fmt.Stringer).String())
		b.WriteString("()")
	default:
		panic("pysyntax: cannot dump " + v.Type().String())
	}
}

// ConstantRepr is Python's repr of a Constant's Value (ast.dump and
// compile-time messages quote constants with it).
func ConstantRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(v, 10)
	case *big.Int:
		return v.String()
	case float64:
		return floatRepr(v, true)
	case complex128:
		re, im := real(v), imag(v)
		if re == 0 && !math.Signbit(re) {
			return floatRepr(im, false) + "j"
		}
		sign := "+"
		if im < 0 || im == 0 && math.Signbit(im) || math.IsNaN(im) && math.Signbit(im) {
			sign = "-"
			im = -im
		}
		return "(" + floatRepr(re, false) + sign + floatRepr(im, false) + "j)"
	case string:
		return strRepr(v)
	case Bytes:
		return bytesRepr(string(v))
	case EllipsisType:
		return "Ellipsis"
	}
	panic(fmt.Sprintf("pysyntax: not a constant: %T", v))
}

// floatRepr is Python's repr of a float (the shortest string that reads
// back the same): fixed notation for exponents from -4 to 15, else
// scientific with at least two exponent digits. addDot0 adds ".0" to an
// integral fixed-notation value, as float.__repr__ does and complex's
// repr does not.
func floatRepr(f float64, addDot0 bool) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	i := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if decpt := exp + 1; decpt > -4 && decpt <= 16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if addDot0 && !strings.ContainsAny(s, ".") {
			s += ".0"
		}
		return s
	}
	mant := e[:i]
	sign := "+"
	if exp < 0 {
		sign = "-"
		exp = -exp
	}
	return fmt.Sprintf("%se%s%02d", mant, sign, exp)
}

// decodeWTF8 decodes one character of a str value, which may be a lone
// surrogate encoded as WTF-8.
func decodeWTF8(s string) (rune, int) {
	if len(s) >= 3 && s[0] == 0xED && s[1] >= 0xA0 && s[1] <= 0xBF {
		return 0xD000 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), 3
	}
	return utf8.DecodeRuneInString(s)
}

// strRepr is Python's repr of a str.
func strRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for i := 0; i < len(s); {
		r, size := decodeWTF8(s[i:])
		i += size
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case isPrintable(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// bytesRepr is Python's repr of a bytes value.
func bytesRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte('b')
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < ' ' || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// forEachChild calls f with each direct child node of n.
func forEachChild(n Node, f func(Node)) {
	s := reflect.ValueOf(n).Elem()
	for i := 0; i < s.NumField(); i++ {
		visitValue(s.Field(i), f)
	}
}

func visitValue(v reflect.Value, f func(Node)) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return
		}
		if n, ok := v.Interface().(Node); ok {
			f(n)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			visitValue(v.Index(i), f)
		}
	}
}
