package pysyntax

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/runenames"
)

// maxStrDigits is CPython's default sys.get_int_max_str_digits(): longer
// decimal integer literals are a SyntaxError.
const maxStrDigits = 4300

// number returns the value of a NUMBER token.
func (p *parser) number(t *token) any {
	s := strings.ReplaceAll(t.text, "_", "")
	if c := s[len(s)-1]; c == 'j' || c == 'J' {
		return complex(0, parseFloat(s[:len(s)-1]))
	}
	if len(s) > 1 && s[0] == '0' {
		base := 0
		switch s[1] | 0x20 {
		case 'x':
			base = 16
		case 'o':
			base = 8
		case 'b':
			base = 2
		}
		if base != 0 {
			return intValue(s[2:], base)
		}
	}
	if strings.ContainsAny(s, ".eE") {
		return parseFloat(s)
	}
	if len(s) > maxStrDigits {
		p.failAt(t.line, t.col, t.endLine, t.endCol,
			"Exceeds the limit (%d digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.",
			maxStrDigits, len(s))
	}
	return intValue(s, 10)
}

func intValue(s string, base int) any {
	if v, err := strconv.ParseInt(s, base, 64); err == nil {
		return v
	}
	v, _ := new(big.Int).SetString(s, base)
	return v
}

func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0 // the scanner accepted it, so it parses
	}
	return f
}

// stringParts splits a STRING token into its flags and the text between
// the quotes, and returns the byte offset of that text in the token.
func stringParts(text string) (raw, isBytes, isF, isU bool, body string, bodyOff int) {
	i := 0
	for ; text[i] != '\'' && text[i] != '"'; i++ {
		switch text[i] | 0x20 {
		case 'r':
			raw = true
		case 'b':
			isBytes = true
		case 'f':
			isF = true
		case 'u':
			isU = true
		}
	}
	q := 1
	if len(text)-i >= 6 && text[i+1] == text[i] && text[i+2] == text[i] {
		q = 3
	}
	return raw, isBytes, isF, isU, text[i+q : len(text)-q], i + q
}

// strings parses adjacent string literals into one Constant or JoinedStr.
func (p *parser) strings() Expr {
	start := *p.peek()
	var toks []token
	for p.at(tString) {
		toks = append(toks, p.advance())
	}
	pos := p.pos(&start)
	kind := ""
	if _, _, _, isU, _, _ := stringParts(start.text); isU {
		kind = "u"
	}
	var buf strings.Builder
	var parts []Expr
	anyF, anyBytes := false, false
	for i, t := range toks {
		raw, isBytes, isF, _, body, bodyOff := stringParts(t.text)
		if i > 0 && isBytes != anyBytes {
			p.failAt(pos.EndLineno, pos.EndColOffset, 0, 0, "cannot mix bytes and nonbytes literals")
		}
		anyBytes = isBytes
		if isF {
			anyF = true
			f := fstringParser{p: p, tok: &t, pos: pos, kind: kind}
			f.parse(body, t.off+bodyOff, raw, 0, &buf, &parts)
			continue
		}
		if isBytes {
			for j := 0; j < len(body); j++ {
				if body[j] >= utf8.RuneSelf {
					p.failAt(t.line, t.col, t.endLine, t.endCol, "bytes can only contain ASCII literal characters")
				}
			}
		}
		if raw {
			buf.WriteString(body)
		} else {
			p.unescape(&buf, body, isBytes, &t)
		}
	}
	if !anyF {
		if anyBytes {
			return &Constant{Pos: pos, Value: Bytes(buf.String())}
		}
		return &Constant{Pos: pos, Value: buf.String(), Kind: kind}
	}
	if buf.Len() > 0 {
		parts = append(parts, &Constant{Pos: pos, Value: buf.String(), Kind: kind})
	}
	return &JoinedStr{Pos: pos, Values: orEmpty(parts)}
}

// appendWTF8 appends r as UTF-8, encoding a lone surrogate (which Python
// strings may hold) as its 3-byte sequence, as WTF-8 does.
func appendWTF8(b *strings.Builder, r rune) {
	if r >= 0xD800 && r <= 0xDFFF {
		b.WriteByte(0xED)
		b.WriteByte(byte(0xA0 | (r>>6)&0x1F))
		b.WriteByte(byte(0x80 | r&0x3F))
		return
	}
	b.WriteRune(r)
}

// unescape decodes the backslash escapes of a non-raw literal's text.
func (p *parser) unescape(b *strings.Builder, s string, isBytes bool, t *token) {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		i++
		c = s[i]
		i++
		switch c {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(c)
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'f':
			b.WriteByte(12)
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte(11)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := rune(c - '0')
			for n := 1; n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; n++ {
				v = v*8 + rune(s[i]-'0')
				i++
			}
			if isBytes {
				b.WriteByte(byte(v))
			} else {
				b.WriteRune(v)
			}
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			if isBytes && c != 'x' {
				b.WriteByte('\\')
				b.WriteByte(c)
				continue
			}
			j := i
			for j < len(s) && j-i < n && isHex(s[j]) {
				j++
			}
			if j-i < n {
				if isBytes {
					p.failAt(t.line, t.col, t.endLine, t.endCol, "(value error) invalid \\x escape at position %d", i-2)
				}
				p.failAt(t.line, t.col, t.endLine, t.endCol, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: truncated \\%c%s escape", i-2, j-1, c, strings.Repeat("X", n))
			}
			v, _ := strconv.ParseUint(s[i:j], 16, 32)
			i = j
			if isBytes {
				b.WriteByte(byte(v))
			} else if v > utf8.MaxRune {
				p.failAt(t.line, t.col, t.endLine, t.endCol, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: illegal Unicode character", i-n-2, i-1)
			} else {
				appendWTF8(b, rune(v))
			}
		case 'N':
			if isBytes {
				b.WriteString("\\N")
				continue
			}
			end := strings.IndexByte(s[i:], '}')
			if i >= len(s) || s[i] != '{' || end < 0 {
				p.failAt(t.line, t.col, t.endLine, t.endCol, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: malformed \\N character escape", i-2, i-1)
			}
			r, ok := lookupRuneName(s[i+1 : i+end])
			if !ok {
				p.failAt(t.line, t.col, t.endLine, t.endCol, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: unknown Unicode character name", i-2, i+end)
			}
			b.WriteRune(r)
			i += end + 1
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
}

var (
	runeNamesOnce sync.Once
	runeNames     map[string]rune
)

// nameAliases are the formal aliases of the Unicode name aliases file that
// \N{...} accepts besides the names.
var nameAliases = map[string]rune{
	"NULL": 0, "LINE FEED": '\n', "LF": '\n', "NEW LINE": '\n', "END OF LINE": '\n', "EOL": '\n',
	"CARRIAGE RETURN": '\r', "CR": '\r', "CHARACTER TABULATION": '\t', "TAB": '\t', "HT": '\t',
	"FORM FEED": '\f', "FF": '\f', "ESCAPE": 0x1B, "ESC": 0x1B, "DELETE": 0x7F, "DEL": 0x7F,
	"NO-BREAK SPACE": 0xA0, "NBSP": 0xA0, "SPACE": ' ', "SP": ' ', "BYTE ORDER MARK": 0xFEFF, "BOM": 0xFEFF,
	"ZERO WIDTH NO-BREAK SPACE": 0xFEFF, "ZWNBSP": 0xFEFF, "ZERO WIDTH JOINER": 0x200D, "ZWJ": 0x200D,
	"ZERO WIDTH NON-JOINER": 0x200C, "ZWNJ": 0x200C, "BACKSPACE": 8, "BS": 8, "BELL": 7, "BEL": 7,
	"ALERT": 7, "LINE TABULATION": 11, "VT": 11, "NEXT LINE": 0x85, "NEL": 0x85,
	"LATIN CAPITAL LETTER GHA": 0x1A2, "LATIN SMALL LETTER GHA": 0x1A3,
}

// lookupRuneName finds a character by its Unicode name, as \N{...} does.
func lookupRuneName(name string) (rune, bool) {
	name = strings.ToUpper(name)
	if r, ok := nameAliases[name]; ok {
		return r, true
	}
	for _, prefix := range []string{"CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-"} {
		if strings.HasPrefix(name, prefix) {
			v, err := strconv.ParseUint(name[len(prefix):], 16, 32)
			return rune(v), err == nil
		}
	}
	if r, ok := hangulSyllable(name); ok {
		return r, true
	}
	runeNamesOnce.Do(func() {
		runeNames = make(map[string]rune, 40000)
		for r := rune(0); r <= utf8.MaxRune; r++ {
			if n := runenames.Name(r); n != "" && n[0] != '<' {
				if _, dup := runeNames[n]; !dup {
					runeNames[n] = r
				}
			}
		}
	})
	r, ok := runeNames[name]
	return r, ok
}

var (
	hangulL = []string{"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"}
	hangulV = []string{"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"}
	hangulT = []string{"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"}
)

// hangulSyllable decodes the algorithmic names of Hangul syllables.
func hangulSyllable(name string) (rune, bool) {
	const prefix = "HANGUL SYLLABLE "
	if !strings.HasPrefix(name, prefix) {
		return 0, false
	}
	s := name[len(prefix):]
	for l, ls := range hangulL {
		for v, vs := range hangulV {
			for t, ts := range hangulT {
				if ls+vs+ts == s {
					return rune(0xAC00 + (l*21+v)*28 + t), true
				}
			}
		}
	}
	return 0, false
}

// fstringParser splits an f-string the way CPython 3.11 does
// (Parser/string_parser.c): literal text, {expression!conversion:spec}
// fields, and {expression=} self-documenting fields.
type fstringParser struct {
	p    *parser
	tok  *token
	pos  Pos // every part gets the position of the whole literal, as in 3.11
	kind string
}

// fail reports an f-string error where CPython 3.11 does: after the
// string.
func (f *fstringParser) fail(format string, args ...any) {
	t := f.tok
	f.p.failAt(t.endLine, t.endCol, 0, 0, format, args...)
}

// parse parses body (at offset off of the source) into parts, with buf
// holding literal text not yet flushed; level is the format-spec nesting.
// It returns the length of body consumed: up to a '}' closing a format
// spec, or all of it.
func (f *fstringParser) parse(body string, off int, raw bool, level int, buf *strings.Builder, parts *[]Expr) int {
	i := 0
	for i < len(body) {
		// Literal text up to a '{' or '}'.
		j := i
		for j < len(body) {
			c := body[j]
			if c == '\\' && !raw && j+1 < len(body) {
				if body[j+1] == 'N' && j+2 < len(body) && body[j+2] == '{' {
					if k := strings.IndexByte(body[j:], '}'); k >= 0 {
						j += k + 1
						continue
					}
				}
				j += 2
				continue
			}
			if c == '{' || c == '}' {
				break
			}
			j++
		}
		if j > i {
			if raw {
				buf.WriteString(body[i:j])
			} else {
				f.p.unescape(buf, body[i:j], false, f.tok)
			}
		}
		i = j
		if i >= len(body) {
			break
		}
		c := body[i]
		if level == 0 && i+1 < len(body) && body[i+1] == c {
			buf.WriteByte(c)
			i += 2
			continue
		}
		if c == '}' {
			if level == 0 {
				f.fail("f-string: single '}' is not allowed")
			}
			return i
		}
		i = f.field(body, off, raw, level, i+1, buf, parts)
	}
	if level > 0 {
		f.fail("f-string: expecting '}'")
	}
	return i
}

// field parses a replacement field whose expression starts at body[i]
// and returns the offset after its closing '}'.
func (f *fstringParser) field(body string, off int, raw bool, level, i int, buf *strings.Builder, parts *[]Expr) int {
	if level >= 2 {
		f.fail("f-string: expressions nested too deeply")
	}
	exprStart := i
	var stack []byte
	var quote byte
	triple := false
	for ; i < len(body); i++ {
		c := body[i]
		if c == '\\' {
			f.fail("f-string expression part cannot include a backslash")
		}
		if quote != 0 {
			if c == quote {
				if !triple {
					quote = 0
				} else if i+2 < len(body) && body[i+1] == c && body[i+2] == c {
					i += 2
					quote = 0
				}
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
			triple = i+2 < len(body) && body[i+1] == c && body[i+2] == c
			if triple {
				i += 2
			}
			continue
		case '[', '(', '{':
			if len(stack) >= maxParenNest {
				f.fail("f-string: too many nested parenthesis")
			}
			stack = append(stack, c)
			continue
		case '#':
			f.fail("f-string expression part cannot include '#'")
		case ']', ')', '}':
			if len(stack) == 0 {
				if c == '}' {
					goto end
				}
				f.fail("f-string: unmatched '%c'", c)
			}
			open := stack[len(stack)-1]
			if open != closing[c] {
				f.fail("f-string: closing parenthesis '%c' does not match opening parenthesis '%c'", c, open)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) > 0 {
			continue
		}
		if c == '!' || c == ':' || c == '=' || c == '<' || c == '>' {
			if i+1 < len(body) {
				next := body[i+1]
				if next == '=' && c != ':' {
					i++ // ==, !=, <=, >=
					continue
				}
			}
			if c == '<' || c == '>' {
				continue
			}
			goto end
		}
	}
end:
	if quote != 0 {
		f.fail("f-string: unterminated string")
	}
	if len(stack) > 0 {
		f.fail("f-string: unmatched '%c'", stack[len(stack)-1])
	}
	if i >= len(body) {
		f.fail("f-string: expecting '}'")
	}
	exprEnd := i
	if strings.TrimLeft(body[exprStart:exprEnd], " \t\n\r\f\v") == "" {
		if c := body[exprEnd]; c == '!' || c == ':' || c == '=' {
			f.fail("f-string: expression required before '%c'", c)
		}
		f.fail("f-string: empty expression not allowed")
	}
	value := f.expr(off+exprStart, off+exprEnd)
	fv := &FormattedValue{Pos: f.pos, Value: value, Conversion: -1}
	selfDoc := ""
	if body[i] == '=' {
		i++
		for i < len(body) && strings.IndexByte(" \t\n\r\f\v", body[i]) >= 0 {
			i++
		}
		selfDoc = body[exprStart:i]
	}
	if i < len(body) && body[i] == '!' {
		i++
		if i >= len(body) {
			f.fail("f-string: expecting '}'")
		}
		switch body[i] {
		case 's', 'r', 'a':
			fv.Conversion = int(body[i])
		default:
			f.fail("f-string: invalid conversion character: expected 's', 'r', or 'a'")
		}
		i++
	}
	if i < len(body) && body[i] == ':' {
		i++
		var specBuf strings.Builder
		var specParts []Expr
		n := f.parse(body[i:], off+i, raw, level+1, &specBuf, &specParts)
		// CPython 3.11 places a format spec, and the text that ends it, at
		// its own string token; text before a nested field is placed at
		// the whole literal.
		tokPos := Pos{f.tok.line, f.tok.col, f.tok.endLine, f.tok.endCol}
		if specBuf.Len() > 0 {
			specParts = append(specParts, &Constant{Pos: tokPos, Value: specBuf.String(), Kind: f.kind})
		}
		fv.FormatSpec = &JoinedStr{Pos: tokPos, Values: orEmpty(specParts)}
		i += n
	}
	if i >= len(body) || body[i] != '}' {
		f.fail("f-string: expecting '}'")
	}
	i++
	if selfDoc != "" {
		buf.WriteString(selfDoc)
		if fv.Conversion == -1 && fv.FormatSpec == nil {
			fv.Conversion = 'r'
		}
	}
	if buf.Len() > 0 {
		*parts = append(*parts, &Constant{Pos: f.pos, Value: buf.String(), Kind: f.kind})
		buf.Reset()
	}
	*parts = append(*parts, fv)
	return i
}

// expr parses the expression src[start:end] of a replacement field as
// CPython 3.11 does: as if it were parenthesized.
func (f *fstringParser) expr(start, end int) Expr {
	p := f.p
	lineStart := start
	for lineStart > 0 && p.src[lineStart-1] != '\n' {
		lineStart--
	}
	line := f.tok.line + strings.Count(string(p.src[f.tok.off:start]), "\n")
	sub := &parser{filename: p.filename, src: p.src, sc: newSubScanner(p.filename, p.src, start, end, line, lineStart),
		depth: p.depth}
	// The parentheses CPython puts around the expression are one column
	// before and after it.
	open := token{kind: tLParen, line: line, col: start - lineStart - 1}
	defer func() {
		// CPython 3.11 says which errors come from a replacement field.
		if r := recover(); r != nil {
			if b, ok := r.(bailout); ok && b.err.Kind == "SyntaxError" && !strings.HasPrefix(b.err.Msg, "f-string") {
				b.err.Msg = "f-string: " + b.err.Msg
			}
			panic(r)
		}
	}()
	e := sub.parenBody(&open, tEOF)
	if !sub.at(tEOF) {
		sub.syntaxError()
	}
	// The field's tree counts towards the statement's depth check.
	p.chain += sub.chain
	p.maxDepth = max(p.maxDepth, sub.maxDepth)
	return e
}
