package py

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// Reprer is implemented by values whose Python repr differs from their
// String method (String is used for str()).
type Reprer interface {
	PyRepr() string
}

// PyStrer is implemented by values whose Python str() differs from
// their repr: str() of a datetime is 2024-01-02 03:04:05, its repr
// datetime.datetime(2024, 1, 2, 3, 4, 5). print, f-strings and %s use it.
type PyStrer interface {
	PyStr() string
}

// Repr renders v as CPython's repr() would: 'single quoted' strings,
// b'..' bytes, {'a': 1} dicts, (1,) tuples, True/False/None, floats in
// Python's shortest form. kstar's own types render their kafka-python repr.
// Containers nested deeper than CPython can render show as "...".
func Repr(v starlark.Value) string {
	var b strings.Builder
	w := reprWriter{b: &b}
	w.write(v)
	return b.String()
}

// Str renders v as CPython's str() would: strings as themselves,
// exceptions as their message, a PyStrer as its PyStr, every other value
// as its repr.
func Str(v starlark.Value) string {
	switch v := v.(type) {
	case starlark.String:
		return string(v)
	case *Exception:
		return v.String()
	case PyStrer:
		return v.PyStr()
	}
	return Repr(v)
}

// ReprOf is Repr for a script's repr() on thread: it stops as soon as the
// execution must (see Limiter: a call timeout, a cancellation, the step
// budget, the memory limit), and a value nested deeper than CPython can
// render raises RecursionError, as CPython does.
func ReprOf(thread *starlark.Thread, v starlark.Value) (string, error) {
	m := NewMeter(thread)
	return reprWith(&m, v)
}

// StrOf is Str for a script's str() on thread, bounded as ReprOf is.
func StrOf(thread *starlark.Thread, v starlark.Value) (string, error) {
	m := NewMeter(thread)
	return strWith(&m, v)
}

func reprWith(m *Meter, v starlark.Value) (string, error) {
	var b strings.Builder
	w := reprWriter{b: &b, strict: true}
	if m != nil {
		w.meter = *m // by value: the recursive writer would make m escape
		defer func() { *m = w.meter }()
	}
	w.write(v)
	if w.err != nil {
		return "", w.err
	}
	return b.String(), nil
}

func strWith(m *Meter, v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case scriptReprer:
		var thread *starlark.Thread
		if m != nil {
			thread = m.thread
		}
		return v.strOn(thread)
	case *Exception:
		return v.String(), nil
	case PyStrer:
		return v.PyStr(), nil
	}
	return reprWith(m, v)
}

// maxReprDepth is how deeply containers may nest in a repr: CPython's
// default recursion limit, which its repr of nested lists also hits.
const maxReprDepth = 1000

// reprWriter writes reprs. path holds the containers being written, to
// show a list that contains itself as [...] as CPython does.
type reprWriter struct {
	b      *strings.Builder
	path   []starlark.Value
	meter  Meter
	strict bool  // a too deep value is a RecursionError, not "..."
	err    error // the first error; writing stops there
}

// write appends the repr of v.
func (w *reprWriter) write(v starlark.Value) {
	if w.err != nil {
		return
	}
	if err := w.meter.Tick(); err != nil {
		w.err = err
		return
	}
	if isContainer(v) || isTuple(v) {
		if len(w.path) >= maxReprDepth {
			if w.strict {
				w.err = Errorf(RecursionError, "maximum recursion depth exceeded while getting the repr of an object")
			} else {
				w.b.WriteString("...")
			}
			return
		}
		if isContainer(v) {
			for _, p := range w.path {
				if p == v {
					if _, ok := v.(*starlark.Dict); ok {
						w.b.WriteString("{...}")
					} else {
						w.b.WriteString("[...]")
					}
					return
				}
			}
		}
		w.path = append(w.path, v)
		defer func() { w.path = w.path[:len(w.path)-1] }()
	}
	b := w.b
	switch v := v.(type) {
	case nil:
		b.WriteString("None")
	case starlark.NoneType:
		b.WriteString("None")
	case starlark.Bool:
		if v {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case starlark.Int:
		b.WriteString(v.String())
	case starlark.Float:
		b.WriteString(FloatRepr(float64(v)))
	case starlark.String:
		w.err = writeQuotedString(b, string(v), &w.meter)
	case Bytes:
		w.err = writeQuotedBytes(b, string(v), &w.meter)
	case *starlark.List:
		b.WriteByte('[')
		for i := 0; i < v.Len() && w.err == nil; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			w.write(v.Index(i))
		}
		b.WriteByte(']')
	case starlark.Tuple:
		b.WriteByte('(')
		for i, x := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			w.write(x)
		}
		if len(v) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *starlark.Dict:
		b.WriteByte('{')
		for i, item := range v.Items() {
			if i > 0 {
				b.WriteString(", ")
			}
			w.write(item[0])
			b.WriteString(": ")
			w.write(item[1])
		}
		b.WriteByte('}')
	case *starlark.Set:
		if v.Len() == 0 {
			b.WriteString("set()")
			return
		}
		b.WriteByte('{')
		iter := v.Iterate()
		defer iter.Done()
		var x starlark.Value
		for i := 0; iter.Next(&x); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			w.write(x)
		}
		b.WriteByte('}')
	case *DictView: // dict_keys([1, 2])
		b.WriteString(v.Type())
		b.WriteString("([")
		for _, p := range w.path {
			if p == v.dict {
				b.WriteString("...])")
				return
			}
		}
		w.path = append(w.path, v.dict)
		defer func() { w.path = w.path[:len(w.path)-1] }()
		for i, x := range v.elems() {
			if i > 0 {
				b.WriteString(", ")
			}
			w.write(x)
		}
		b.WriteString("])")
	case *Frozenset: // frozenset({1, 2})
		if v.Len() == 0 {
			b.WriteString("frozenset()")
			return
		}
		b.WriteString("frozenset(")
		w.write(v.set)
		b.WriteByte(')')
	case NamedTupleValue: // its fields in this writer, which counts their depth
		typ := v.TypeOf()
		b.WriteString(typ.TypeName)
		b.WriteByte('(')
		for i, f := range typ.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f)
			b.WriteByte('=')
			w.write(v.Index(i))
		}
		b.WriteByte(')')
	case scriptReprer:
		r, err := v.reprOn(w.meter.thread)
		if err != nil && w.strict {
			w.err = err
			return
		} else if err != nil { // Repr has no error: object's repr
			r = defaultRepr(v.(starlark.Value))
		}
		b.WriteString(r)
	case Reprer:
		b.WriteString(v.PyRepr())
	case *starlark.Function:
		name := v.Name()
		if name == "lambda" {
			name = "<lambda>"
		}
		fmt.Fprintf(b, "<function %s at %p>", name, v)
	case *starlark.Builtin:
		if recv := v.Receiver(); recv != nil {
			fmt.Fprintf(b, "<built-in method %s of %s object at %p>", v.Name(), TypeName(recv), v)
		} else {
			b.WriteString("<built-in function " + v.Name() + ">")
		}
	case *starlarkstruct.Module:
		if _, builtin := builtinModules.Load(v); builtin {
			// As CPython shows a module compiled into the interpreter.
			b.WriteString("<module '" + v.Name + "' (built-in)>")
		} else {
			b.WriteString("<module '" + v.Name + "'>")
		}
	default:
		s := v.String()
		if v.Type() == "range" && strings.Count(s, ",") == 0 {
			s = "range(0, " + strings.TrimPrefix(s, "range(") // range(0, 10), as Python shows range(10)
		}
		b.WriteString(s)
	}
}

// isTuple reports whether v is a tuple (a namedtuple too): they nest
// as deeply as lists.
func isTuple(v starlark.Value) bool {
	switch v.(type) {
	case starlark.Tuple, NamedTupleValue:
		return true
	}
	return false
}

// WriteRepr appends the repr of v; path holds the containers being
// written (a list that contains itself shows as [...], as in CPython).
func WriteRepr(b *strings.Builder, v starlark.Value, path []starlark.Value) {
	w := reprWriter{b: b, path: path}
	w.write(v)
}

// isContainer reports whether v is a mutable container that can hold
// itself (only those are compared for cycles: tuples are not comparable).
func isContainer(v starlark.Value) bool {
	switch v.(type) {
	case *starlark.List, *starlark.Dict, *starlark.Set:
		return true
	}
	return false
}

// FloatRepr formats f as Python's repr(float): the shortest string that
// round-trips, in fixed notation when the decimal exponent is in
// [-4, 16], otherwise scientific ("1e+16", "1.5e-05"); "inf", "nan".
func FloatRepr(f float64) string {
	return formatFloat(f, 'r', 0, floatFlags{addDot0: true})
}

// QuoteString renders s as Python's repr of a str: single quotes unless
// s contains ' and no ", with \n, \t, \\ and non-printable escapes.
func QuoteString(s string) string {
	var b strings.Builder
	writeQuotedString(&b, s, nil)
	return b.String()
}

// QuoteCheckBytes is how many bytes of a str or bytes a repr quotes
// between two ticks of its Meter, each of BytesPerTick bytes (escaping
// one costs about as much as writing a small value).
const (
	QuoteCheckBytes = 1 << 12
	BytesPerTick    = 16
)

// writeQuotedString appends QuoteString(s) to b, ticking m.
func writeQuotedString(b *strings.Builder, s string, m *Meter) error {
	if err := reserveQuoted(m, s); err != nil {
		return err
	}
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b.Grow(len(s) + 2)
	b.WriteByte(quote)
	check := QuoteCheckBytes
	for i := 0; i < len(s); {
		if i >= check && m != nil {
			if err := m.TickN(QuoteCheckBytes / BytesPerTick); err != nil {
				return err
			}
			check += QuoteCheckBytes
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Not valid UTF-8: Python strs cannot hold this; show the byte.
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
			i++
			continue
		}
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + hex2(int(r)))
		case r < 0x80 || isPyPrintable(r):
			b.WriteRune(r)
		case r <= 0xff:
			b.WriteString(`\x` + hex2(int(r)))
		case r <= 0xffff:
			b.WriteString(`\u` + HexN(int(r), 4))
		default:
			b.WriteString(`\U` + HexN(int(r), 8))
		}
	}
	b.WriteByte(quote)
	return nil
}

// isPyPrintable approximates Python's str.isprintable for non-ASCII runes.
func isPyPrintable(r rune) bool {
	if unicode.IsSpace(r) {
		return r == ' '
	}
	return unicode.IsPrint(r)
}

// QuoteBytes renders s as Python's repr of bytes: b'...' with \x escapes
// for bytes outside printable ASCII.
func QuoteBytes(s string) string {
	var b strings.Builder
	writeQuotedBytes(&b, s, nil)
	return b.String()
}

// writeQuotedBytes appends QuoteBytes(s) to b, ticking m.
func writeQuotedBytes(b *strings.Builder, s string, m *Meter) error {
	if err := reserveQuoted(m, s); err != nil {
		return err
	}
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b.Grow(len(s) + 3)
	b.WriteByte('b')
	b.WriteByte(quote)
	check := QuoteCheckBytes
	for i := 0; i < len(s); i++ {
		if i >= check && m != nil {
			if err := m.TickN(QuoteCheckBytes / BytesPerTick); err != nil {
				return err
			}
			check += QuoteCheckBytes
		}
		c := s[i]
		switch {
		case c == quote || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			b.WriteString(`\x` + hex2(int(c)))
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
	return nil
}

// reserveQuoted reserves the memory the repr of a long s needs (its
// length: more when it has escapes, which the builder's growth shows).
func reserveQuoted(m *Meter, s string) error {
	if len(s) < QuoteCheckBytes {
		return nil
	}
	return m.Reserve(int64(len(s)))
}

func hex2(n int) string { return HexN(n, 2) }

// HexN is n in lower-case hexadecimal, zero-padded to width digits.
func HexN(n, width int) string {
	s := strconv.FormatInt(int64(n), 16)
	return strings.Repeat("0", width-len(s)) + s
}

// builtinModules holds the modules NewBuiltinModule made.
var builtinModules sync.Map // *starlarkstruct.Module → struct{}

// NewBuiltinModule returns a module that repr shows as CPython shows a
// module compiled into the interpreter: <module 'kafka' (built-in)>.
func NewBuiltinModule(name string, members starlark.StringDict) *starlarkstruct.Module {
	m := &starlarkstruct.Module{Name: name, Members: members}
	builtinModules.Store(m, struct{}{})
	return m
}
