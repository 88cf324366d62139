package pysyntax

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Error is a SyntaxError (or one of its subclasses IndentationError and
// TabError), or the RecursionError CPython raises for a tree nested too
// deeply. Line and Col are 1-based, Col counting characters like CPython's
// SyntaxError.offset; EndLine and EndCol are 0 when unknown.
type Error struct {
	Kind            string // "SyntaxError", "IndentationError", "TabError" or "RecursionError"
	Msg             string
	Filename        string
	Line, Col       int
	EndLine, EndCol int
	Text            string // the source line, without its newline
}

// Error formats the error as FILE:LINE:COL: KIND: MESSAGE.
func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s: %s", e.Filename, e.Kind, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.Filename, e.Line, e.Col, e.Kind, e.Msg)
}

// tokenKind is the kind of a token: one of the specials, or one value per
// operator and per (hard) keyword.
type tokenKind uint8

const (
	tEOF tokenKind = iota
	tNewline
	tIndent
	tDedent
	tName
	tNumber
	tString

	// operators, in the order of opTokens
	tLParen
	tRParen
	tLBrack
	tRBrack
	tLBrace
	tRBrace
	tColon
	tComma
	tSemi
	tPlus
	tMinus
	tStar
	tSlash
	tVbar
	tAmper
	tLess
	tGreater
	tEqual
	tDot
	tPercent
	tEqEq
	tNotEq
	tLessEq
	tGreaterEq
	tTilde
	tCircumflex
	tLShift
	tRShift
	tDoubleStar
	tPlusEq
	tMinusEq
	tStarEq
	tSlashEq
	tPercentEq
	tAmperEq
	tVbarEq
	tCircumflexEq
	tLShiftEq
	tRShiftEq
	tDoubleStarEq
	tDoubleSlash
	tDoubleSlashEq
	tAt
	tAtEq
	tRArrow
	tEllipsis
	tColonEq

	// keywords, in the order of keywords
	kFalse
	kNone
	kTrue
	kAnd
	kAs
	kAssert
	kAsync
	kAwait
	kBreak
	kClass
	kContinue
	kDef
	kDel
	kElif
	kElse
	kExcept
	kFinally
	kFor
	kFrom
	kGlobal
	kIf
	kImport
	kIn
	kIs
	kLambda
	kNonlocal
	kNot
	kOr
	kPass
	kRaise
	kReturn
	kTry
	kWhile
	kWith
	kYield
)

var opTokens = [...]string{
	"(", ")", "[", "]", "{", "}", ":", ",", ";", "+", "-", "*", "/", "|", "&", "<", ">", "=", ".", "%",
	"==", "!=", "<=", ">=", "~", "^", "<<", ">>", "**", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
	"<<=", ">>=", "**=", "//", "//=", "@", "@=", "->", "...", ":=",
}

var keywordList = [...]string{
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
	"def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
	"is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
}

var keywords = func() map[string]tokenKind {
	m := make(map[string]tokenKind, len(keywordList))
	for i, k := range keywordList {
		m[k] = kFalse + tokenKind(i)
	}
	return m
}()

// String returns the token's text for operators and keywords, and a
// description for the others.
func (k tokenKind) String() string {
	switch {
	case k >= kFalse:
		return keywordList[k-kFalse]
	case k >= tLParen:
		return opTokens[k-tLParen]
	}
	return [...]string{"end of file", "newline", "indent", "dedent", "name", "number", "string"}[k]
}

// token is one token. Columns are byte offsets from the start of the line.
type token struct {
	kind            tokenKind
	line, col       int
	endLine, endCol int
	off, endOff     int    // byte offsets in the source
	text            string // names (NFKC-normalized), numbers and strings as written
	level           int    // bracket nesting level before the token
}

const (
	maxIndent    = 100 // CPython's MAXINDENT
	maxParenNest = 200 // CPython's MAXLEVEL
	tabSize      = 8
)

type openBracket struct {
	ch        byte
	line, col int
}

// scanner turns source into tokens on demand, like CPython's tokenizer:
// INDENT and DEDENT from leading whitespace, no NEWLINE inside brackets or
// after a backslash continuation, and blank or comment-only lines ignored.
type scanner struct {
	src        []byte
	filename   string
	pos        int // next byte to read
	end        int // scanning stops here (a sub-scanner of an f-string field)
	line       int
	lineStart  int // offset of the current line's first byte
	atBOL      bool
	pendIndent int // >0: INDENTs to emit, <0: DEDENTs
	indents    []int
	altIndents []int
	parens     []openBracket
	lastKind   tokenKind // kind of the last token returned
	sub        bool      // an f-string field: no NEWLINE, INDENT or DEDENT
	numStart   int       // offset of the number being scanned
	eofDone    bool
	err        *Error
}

func newScanner(filename string, src []byte) *scanner {
	return &scanner{src: src, filename: filename, end: len(src), line: 1, atBOL: true,
		indents: []int{0}, altIndents: []int{0}, lastKind: tNewline}
}

// newSubScanner scans src[start:end] as the expression of an f-string
// replacement field, at its real position so that nodes get real positions.
func newSubScanner(filename string, src []byte, start, end, line, lineStart int) *scanner {
	s := &scanner{src: src, filename: filename, pos: start, end: end, line: line, lineStart: lineStart,
		indents: []int{0}, altIndents: []int{0}, sub: true, lastKind: tLParen}
	s.parens = []openBracket{{ch: '(', line: line, col: start - lineStart}}
	return s
}

// lineText returns the text of the line containing offset off.
func lineText(src []byte, off int) string {
	if off > len(src) {
		off = len(src)
	}
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := off
	for end < len(src) && src[end] != '\n' {
		end++
	}
	return string(src[start:end])
}

// errorAt makes an error at byte column col (0-based) of line, whose text
// starts at lineStart.
func newError(filename string, src []byte, kind, msg string, line, lineStart, col int) *Error {
	text := lineText(src, lineStart)
	return &Error{Kind: kind, Msg: msg, Filename: filename, Line: line, Col: charCol(text, col) + 1, Text: text}
}

// charCol converts a byte column of text to a character column.
func charCol(text string, col int) int {
	if col > len(text) {
		return utf8.RuneCountInString(text) + col - len(text)
	}
	return utf8.RuneCountInString(text[:col])
}

func (s *scanner) errorf(col int, format string, args ...any) *Error {
	return s.errorKind("SyntaxError", col, format, args...)
}

func (s *scanner) errorKind(kind string, col int, format string, args ...any) *Error {
	if s.err == nil {
		s.err = newError(s.filename, s.src, kind, fmt.Sprintf(format, args...), s.line, s.lineStart, col)
	}
	return s.err
}

func (s *scanner) peekByte(i int) byte {
	if s.pos+i < s.end {
		return s.src[s.pos+i]
	}
	return 0
}

func (s *scanner) newline() {
	s.line++
	s.lineStart = s.pos
}

// next returns the next token; after an error it returns tEOF and s.err is set.
func (s *scanner) next() token {
	t := s.scan()
	if s.err != nil {
		t = token{kind: tEOF, line: s.line, col: s.pos - s.lineStart, endLine: s.line, endCol: s.pos - s.lineStart}
	}
	s.lastKind = t.kind
	return t
}

func (s *scanner) tok(kind tokenKind, start, startLine, startCol int) token {
	return token{kind: kind, line: startLine, col: startCol, endLine: s.line, endCol: s.pos - s.lineStart,
		off: start, endOff: s.pos, level: len(s.parens)}
}

func (s *scanner) scan() token {
	for {
		if s.err != nil {
			return token{}
		}
		if s.atBOL && !s.sub {
			s.atBOL = false
			s.indentation()
			if s.err != nil {
				return token{}
			}
		}
		if s.pendIndent != 0 {
			col := s.pos - s.lineStart
			t := token{line: s.line, col: col, endLine: s.line, endCol: col, off: s.pos, endOff: s.pos}
			if s.pendIndent > 0 {
				s.pendIndent--
				t.kind = tIndent
			} else {
				s.pendIndent++
				t.kind = tDedent
			}
			return t
		}
		// Skip whitespace and comments.
		for s.pos < s.end {
			c := s.src[s.pos]
			if c == ' ' || c == '\t' || c == '\f' {
				s.pos++
			} else if c == '#' {
				for s.pos < s.end && s.src[s.pos] != '\n' {
					s.pos++
				}
			} else {
				break
			}
		}
		start, line, col := s.pos, s.line, s.pos-s.lineStart
		if s.pos >= s.end {
			return s.eof()
		}
		c := s.src[s.pos]
		switch {
		case c == '\n':
			s.pos++
			if len(s.parens) > 0 || s.lastKind == tNewline || s.lastKind == tIndent || s.lastKind == tDedent {
				s.newline()
				s.atBOL = len(s.parens) == 0
				continue
			}
			t := s.tok(tNewline, start, line, col)
			s.newline()
			s.atBOL = true
			return t
		case c == '\\':
			if s.peekByte(1) != '\n' {
				if s.pos+1 >= s.end {
					s.pos++
					s.errorf(s.pos-s.lineStart, "unexpected EOF while parsing")
					return token{}
				}
				s.errorf(col+1, "unexpected character after line continuation character")
				return token{}
			}
			s.pos += 2
			s.newline()
			if s.pos >= s.end && !s.sub {
				s.errorf(0, "unexpected EOF while parsing")
				return token{}
			}
			continue
		case c >= '0' && c <= '9' || c == '.' && s.peekByte(1) >= '0' && s.peekByte(1) <= '9':
			s.number()
			return s.textTok(tNumber, start, line, col)
		case c == '"' || c == '\'':
			s.str(start, line, col)
			return s.textTok(tString, start, line, col)
		case c < utf8.RuneSelf && (c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') || c >= utf8.RuneSelf:
			return s.name(start, line, col)
		}
		return s.operator(start, line, col)
	}
}

func (s *scanner) textTok(kind tokenKind, start, line, col int) token {
	t := s.tok(kind, start, line, col)
	t.text = string(s.src[start:s.pos])
	return t
}

func (s *scanner) eof() token {
	col := s.pos - s.lineStart
	if s.sub {
		// The end of an f-string field stands for the closing parenthesis
		// CPython 3.11 adds after the expression.
		return token{kind: tEOF, line: s.line, col: col, endLine: s.line, endCol: col + 1, off: s.pos, endOff: s.pos}
	}
	if len(s.parens) > 0 {
		b := s.parens[len(s.parens)-1]
		s.err = newError(s.filename, s.src, "SyntaxError", fmt.Sprintf("'%c' was never closed", b.ch), b.line, s.lineStartOf(b.line), b.col)
		return token{}
	}
	t := token{line: s.line, col: col, endLine: s.line, endCol: col, off: s.pos, endOff: s.pos}
	switch {
	case s.lastKind != tNewline && s.lastKind != tDedent && s.lastKind != tIndent && !s.eofDone:
		t.kind = tNewline
		t.endCol++
	case len(s.indents) > 1:
		s.indents = s.indents[:len(s.indents)-1]
		s.altIndents = s.altIndents[:len(s.altIndents)-1]
		t.kind = tDedent
	default:
		t.kind = tEOF
	}
	s.eofDone = true
	return t
}

// lineStartOf returns the offset of the first byte of line n (1-based).
func (s *scanner) lineStartOf(n int) int {
	off, line := 0, 1
	for line < n && off < len(s.src) {
		if s.src[off] == '\n' {
			line++
		}
		off++
	}
	return off
}

// indentation measures the leading whitespace of a line and queues INDENT
// or DEDENT tokens, as CPython's tokenizer does.
func (s *scanner) indentation() {
	col, altcol := 0, 0
	for s.pos < s.end {
		switch s.src[s.pos] {
		case ' ':
			col++
			altcol++
		case '\t':
			col = (col/tabSize + 1) * tabSize
			altcol++
		case '\f':
			col, altcol = 0, 0
		default:
			goto measured
		}
		s.pos++
	}
measured:
	if s.pos >= s.end || s.src[s.pos] == '#' || s.src[s.pos] == '\n' {
		return // blank line: no effect on indentation
	}
	top := len(s.indents) - 1
	switch {
	case col == s.indents[top]:
		if altcol != s.altIndents[top] {
			s.tabError()
		}
	case col > s.indents[top]:
		if top+1 >= maxIndent {
			s.errorKind("IndentationError", s.pos-s.lineStart, "too many levels of indentation")
			return
		}
		if altcol <= s.altIndents[top] {
			s.tabError()
			return
		}
		s.indents = append(s.indents, col)
		s.altIndents = append(s.altIndents, altcol)
		s.pendIndent = 1
	default:
		for top > 0 && col < s.indents[top] {
			top--
			s.pendIndent--
		}
		if col != s.indents[top] {
			// CPython reports this one column after the first character.
			s.errorKind("IndentationError", s.pos-s.lineStart+1, "unindent does not match any outer indentation level")
			return
		}
		if altcol != s.altIndents[top] {
			s.tabError()
			return
		}
		s.indents = s.indents[:top+1]
		s.altIndents = s.altIndents[:top+1]
	}
}

func (s *scanner) tabError() {
	s.errorKind("TabError", 0, "inconsistent use of tabs and spaces in indentation")
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// digits scans digits accepted by ok, with single underscores between them.
// It reports whether at least one digit was read.
func (s *scanner) digits(ok func(byte) bool, kind string) bool {
	n := 0
	for s.pos < s.end {
		c := s.src[s.pos]
		if ok(c) {
			s.pos++
			n++
			continue
		}
		if c == '_' && n > 0 {
			if s.pos+1 < s.end && ok(s.src[s.pos+1]) {
				s.pos++
				continue
			}
			s.errorf(s.pos-s.lineStart, "invalid %s literal", kind)
			return false
		}
		break
	}
	return n > 0
}

// number scans a numeric literal.
func (s *scanner) number() {
	s.numStart = s.pos
	c := s.src[s.pos]
	if c == '0' && s.pos+1 < s.end {
		var ok func(byte) bool
		var kind string
		switch s.src[s.pos+1] | 0x20 {
		case 'x':
			ok, kind = isHex, "hexadecimal"
		case 'o':
			ok, kind = func(c byte) bool { return c >= '0' && c <= '7' }, "octal"
		case 'b':
			ok, kind = func(c byte) bool { return c == '0' || c == '1' }, "binary"
		}
		if ok != nil {
			s.pos += 2
			if s.peekByte(0) == '_' {
				s.pos++
			}
			if !s.digits(ok, kind) {
				if s.err == nil {
					if kind != "hexadecimal" && isDigit(s.peekByte(0)) {
						s.errorf(s.pos-s.lineStart, "invalid digit '%c' in %s literal", s.peekByte(0), kind)
					} else {
						s.errorf(s.pos-s.lineStart-1, "invalid %s literal", kind)
					}
				}
				return
			}
			if kind != "hexadecimal" && isDigit(s.peekByte(0)) {
				s.errorf(s.pos-s.lineStart+1, "invalid digit '%c' in %s literal", s.peekByte(0), kind)
				return
			}
			s.endOfNumber(kind)
			return
		}
	}
	start := s.pos
	intPart := false
	if c != '.' {
		intPart = s.digits(isDigit, "decimal")
		if s.err != nil {
			return
		}
	}
	isFloat := false
	if s.peekByte(0) == '.' {
		isFloat = true
		s.pos++
		if isDigit(s.peekByte(0)) {
			s.digits(isDigit, "decimal")
			if s.err != nil {
				return
			}
		}
	}
	if e := s.peekByte(0) | 0x20; e == 'e' {
		save := s.pos
		s.pos++
		if c := s.peekByte(0); c == '+' || c == '-' {
			s.pos++
		}
		if !isDigit(s.peekByte(0)) {
			s.pos = save
			s.endOfNumber("decimal")
			return
		}
		s.digits(isDigit, "decimal")
		if s.err != nil {
			return
		}
		isFloat = true
	}
	if s.peekByte(0)|0x20 == 'j' {
		s.pos++
		s.endOfNumber("imaginary")
		return
	}
	if !isFloat && intPart && s.src[start] == '0' {
		// "0", "00" and "0_0" are fine; "01" is not.
		for i := start; i < s.pos; i++ {
			if c := s.src[i]; c != '0' && c != '_' {
				s.errorf(start-s.lineStart, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
				s.err.EndLine, s.err.EndCol = s.line, charCol(s.err.Text, s.pos-s.lineStart)+1
				return
			}
		}
	}
	s.endOfNumber("decimal")
}

// endOfNumber rejects a number followed directly by a name, except by the
// keywords CPython 3.11 still accepts there (1if x else y).
func (s *scanner) endOfNumber(kind string) {
	if s.pos >= s.end {
		return
	}
	c := s.src[s.pos]
	if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf) {
		return
	}
	rest := s.src[s.pos:s.end]
	for _, kw := range [...]string{"and", "else", "for", "if", "in", "is", "not", "or"} {
		if strings.HasPrefix(string(rest[:min(len(rest), len(kw))]), kw) {
			return
		}
	}
	s.errorf(s.numStart-s.lineStart, "invalid %s literal", kind)
}

// str scans a string literal whose prefix (if any) was already read by
// name (start is its first byte) and whose opening quote is at s.pos.
func (s *scanner) str(start, line, col int) {
	q := s.src[s.pos]
	triple := s.peekByte(1) == q && s.peekByte(2) == q
	if triple {
		s.pos += 3
	} else {
		s.pos++
	}
	for {
		if s.pos >= s.end {
			s.unterminated(triple, line, col)
			return
		}
		c := s.src[s.pos]
		switch {
		case c == '\\':
			s.pos++
			if s.pos < s.end && s.src[s.pos] == '\n' {
				s.pos++
				s.newline()
				continue
			}
			if s.pos < s.end {
				s.pos++
			}
			continue
		case c == '\n':
			if !triple {
				s.unterminated(false, line, col)
				return
			}
			s.pos++
			s.newline()
			continue
		case c == q:
			if !triple {
				s.pos++
				return
			}
			if s.peekByte(1) == q && s.peekByte(2) == q {
				s.pos += 3
				return
			}
		}
		s.pos++
	}
}

func (s *scanner) unterminated(triple bool, line, col int) {
	what := "string literal"
	if triple {
		what = "triple-quoted string literal"
	}
	detected := s.line
	if s.pos >= s.end && s.pos > 0 && s.src[s.pos-1] == '\n' && triple {
		detected--
	}
	s.err = newError(s.filename, s.src, "SyntaxError",
		fmt.Sprintf("unterminated %s (detected at line %d)", what, detected), line, s.lineStartOf(line), col)
}

// name scans an identifier or keyword, or the prefix of a string literal.
func (s *scanner) name(start, line, col int) token {
	ascii := true
	for s.pos < s.end {
		c := s.src[s.pos]
		if c < utf8.RuneSelf {
			if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				s.pos++
				continue
			}
			break
		}
		r, size := utf8.DecodeRune(s.src[s.pos:s.end])
		if !(s.pos == start && isIDStart(r) || s.pos > start && isIDContinue(r)) {
			if r == utf8.RuneError && size == 1 {
				s.errorf(s.pos-s.lineStart, "invalid character")
				return token{}
			}
			if s.pos == start {
				s.invalidChar(r)
				return token{}
			}
			break
		}
		ascii = false
		s.pos += size
	}
	if s.pos < s.end && (s.src[s.pos] == '"' || s.src[s.pos] == '\'') && isStringPrefix(s.src[start:s.pos]) {
		s.str(start, line, col)
		return s.textTok(tString, start, line, col)
	}
	if s.pos < s.end && s.src[s.pos] >= utf8.RuneSelf {
		r, _ := utf8.DecodeRune(s.src[s.pos:s.end])
		if !isIDContinue(r) {
			s.invalidChar(r)
			return token{}
		}
	}
	text := string(s.src[start:s.pos])
	t := s.tok(tName, start, line, col)
	if ascii {
		if k, ok := keywords[text]; ok {
			t.kind = k
		}
		t.text = text
	} else {
		t.text = norm.NFKC.String(text)
	}
	return t
}

func (s *scanner) invalidChar(r rune) {
	if isPrintable(r) {
		s.errorf(s.pos-s.lineStart, "invalid character '%c' (U+%04X)", r, r)
	} else {
		s.errorf(s.pos-s.lineStart, "invalid non-printable character U+%04X", r)
	}
}

func isStringPrefix(p []byte) bool {
	if len(p) > 2 {
		return false
	}
	var seen [256]bool
	for _, c := range p {
		c |= 0x20
		if c != 'r' && c != 'u' && c != 'b' && c != 'f' || seen[c] {
			return false
		}
		seen[c] = true
	}
	if seen['u'] && len(p) > 1 || seen['b'] && seen['f'] {
		return false
	}
	return true
}

var closing = map[byte]byte{')': '(', ']': '[', '}': '{'}

// opsByFirstByte lists, per first byte, the operators starting with it,
// longest first.
var opsByFirstByte = func() (t [256][]tokenKind) {
	for n := 3; n >= 1; n-- {
		for i, op := range opTokens {
			if len(op) == n {
				t[op[0]] = append(t[op[0]], tLParen+tokenKind(i))
			}
		}
	}
	return t
}()

func (s *scanner) operator(start, line, col int) token {
	c := s.src[s.pos]
	best, bestLen := tokenKind(0), 0
	for _, k := range opsByFirstByte[c] {
		op := opTokens[k-tLParen]
		if s.pos+len(op) <= s.end && string(s.src[s.pos:s.pos+len(op)]) == op {
			best, bestLen = k, len(op)
			break
		}
	}
	if bestLen == 0 {
		r, _ := utf8.DecodeRune(s.src[s.pos:s.end])
		if c == '!' {
			s.errorf(col, "invalid syntax")
			return token{}
		}
		if c == '$' || c == '?' || c == '`' {
			s.errorf(col, "invalid syntax")
			return token{}
		}
		s.invalidChar(r)
		return token{}
	}
	level := len(s.parens)
	switch c {
	case '(', '[', '{':
		if len(s.parens) >= maxParenNest {
			s.errorf(col, "too many nested parentheses")
			return token{}
		}
		s.parens = append(s.parens, openBracket{c, line, col})
	case ')', ']', '}':
		if len(s.parens) == 0 || s.sub && len(s.parens) == 1 {
			s.errorf(col, "unmatched '%c'", c)
			return token{}
		}
		open := s.parens[len(s.parens)-1]
		if open.ch != closing[c] {
			if open.line != line {
				s.errorf(col, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, open.ch, open.line)
			} else {
				s.errorf(col, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open.ch)
			}
			return token{}
		}
		s.parens = s.parens[:len(s.parens)-1]
	}
	s.pos += bestLen
	t := s.tok(best, start, line, col)
	t.level = level
	return t
}
