// Package frontend turns a kstar script, Python source, into a Starlark
// syntax tree that the runtime compiles and runs: Parse.
package frontend

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Parse applies the Python front end to src and parses the result as a
// kstar (Starlark) file, keeping every line and column of the original.
//
// The front end accepts, on top of Starlark:
//
//   - import M, import M.sub, import M as N, from M import a, b as c
//     (also parenthesised over several lines); from __future__ is ignored;
//   - f-strings with conversions, format specs (nested fields too) and the
//     f"{x=}" debugging form;
//   - Python string literals: u/R/B/br prefixes, implicit concatenation of
//     adjacent literals, and escapes Starlark rejects ("\d", "\xe9");
//   - x is None, x is not None;
//   - the % operator (and %=) with Python's %-formatting;
//   - the ** operator (and **=), see pow.go;
//   - generator expressions, evaluated eagerly, see genexp.go;
//   - for loops over str and bytes;
//   - keyword arguments after *args;
//   - str, bytes, list and dict methods Starlark lacks (s.encode(),
//     b.decode(), "{}".format(x), l.sort(), ...; see py.RewrittenMethods);
//   - __name__, which is "__main__";
//   - try / except / else / finally, raise, raise X from Y, see try.go.
//
// It works in two steps that keep positions: a scanner rewrites the text
// in place, recording what it replaced by position (most rewrites keep
// the number of characters of every line; the brackets of generator
// expressions and the keywords of try and raise insert text, and their
// shifts are undone in the syntax tree); after Starlark has parsed the
// result, the syntax tree is rewritten into calls of the helpers named in
// builtins/helpers.go. Constructs kstar does not support (class, with,
// yield, global, del, assert, set literals, ...) are syntax errors that
// say so.
func Parse(filename string, src []byte) (*syntax.File, error) {
	fe := newFrontend(filename)
	out, err := fe.prescan(src, 1, 1)
	if err != nil {
		return nil, err
	}
	f, err := FileOptions.Parse(filename, out, 0)
	if err != nil {
		return nil, fe.explainSetLiteral(restoreErrorPosition(err, fe.inserts))
	}
	restorePositions(f, fe.inserts)
	if f.Stmts, err = fe.lowerTries(f.Stmts); err != nil {
		return nil, err
	}
	fe.nameBound = fe.binds(f, "__name__")
	f.Stmts = fe.stmts(f.Stmts)
	syntax.Walk(f, func(n syntax.Node) bool {
		if id, ok := n.(*syntax.Ident); ok && id.Name == loadName {
			id.Name = "load"
		}
		return true
	})
	return f, nil
}

// FileOptions are the Starlark dialect options kstar scripts get: top-level
// for/if/while, while loops, sets, reassignable globals and recursion.
// Parse uses them; so should the runtime when it parses Starlark text.
var FileOptions = &syntax.FileOptions{
	Set:             true,
	While:           true,
	TopLevelControl: true,
	GlobalReassign:  true,
	Recursion:       true,
}

// explainSetLiteral rewords the error Starlark's parser gives for a set
// literal or set comprehension ({1, 2}, {x for x in xs}), which it reads
// as a dict whose first key lacks its ':': an error where findSetLiterals
// expects one.
func (fe *frontend) explainSetLiteral(err error) error {
	if se, ok := err.(syntax.Error); ok && fe.sets[keyOf(se.Pos)] {
		se.Msg = "kstar does not support set literals or set comprehensions: use set([...])"
		return se
	}
	return err
}

// findSetLiterals records where Starlark's parser stops on each set
// literal and set comprehension of toks: braces whose first element is
// a complete expression followed, at the braces' level, by ',', 'for' or
// the closing '}' instead of a ':' (a lambda's ':' does not count). The
// parser reports the end of that token.
func (fe *frontend) findSetLiterals(toks []token) {
	type group struct {
		brace, decided bool // a '{'; known to be a dict, or recorded as a set
		lambdas        int  // lambdas at its level still waiting for their ':'
	}
	var stack []group
	for k, t := range toks {
		if n := len(stack); n > 0 && stack[n-1].brace && !stack[n-1].decided {
			top := &stack[n-1]
			switch {
			case t.kind == tName && t.text == "lambda":
				top.lambdas++
			case t.kind == tOp && t.text == ":" && top.lambdas > 0:
				top.lambdas--
			case t.kind == tOp && t.text == ":":
				top.decided = true
			case t.kind == tOp && (t.text == "," || t.text == "}") || t.kind == tName && t.text == "for":
				top.decided = true
				if endsOperand(toks[k-1]) { // else the parser stops earlier, or {} is a dict
					fe.sets[posKey{t.line, t.col + int32(len(t.text))}] = true
				}
			}
		}
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			stack = append(stack, group{brace: t.text == "{"})
		case ")", "]", "}":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}

func newFrontend(filename string) *frontend {
	return &frontend{
		filename: filename,
		strs:     map[posKey]*strLit{},
		imports:  map[posKey]*importStmt{},
		genexps:  map[posKey]bool{},
		sets:     map[posKey]bool{},
		pows:     map[posKey]bool{},
		exceptAs: map[posKey]bool{},
	}
}

// loadName stands for the name "load" (a keyword of Starlark's) until
// the syntax tree is built; it has as many characters.
const loadName = "\u2113oad" // ℓoad

// frontend holds what the scanner replaced, by position, for the rewrite
// of the syntax tree.
type frontend struct {
	filename  string
	strs      map[posKey]*strLit     // string literals by opening quote
	imports   map[posKey]*importStmt // import statements by keyword
	nameBound bool                   // the script assigns __name__ itself
	nesting   int                    // depth of f-string expression parses
	inserts   []insertion            // what the scanner inserted into the text being parsed
	genexps   map[posKey]bool        // generator expressions by the position of their inserted "["
	sets      map[posKey]bool        // where Starlark's parser stops on a set literal, see findSetLiterals
	pows      map[posKey]bool        // ** operators the scanner wrote as //, by position
	exceptAs  map[posKey]bool        // except clauses with "as NAME", by position
	tries     int                    // try statements rewritten so far, to name their state
	temps     int                    // temporaries the try rewrite has named
}

type posKey struct{ line, col int32 }

func keyOf(p syntax.Position) posKey { return posKey{p.Line, p.Col} }

func (fe *frontend) pos(line, col int32) syntax.Position {
	return syntax.MakePosition(&fe.filename, line, col)
}

func (fe *frontend) errorf(line, col int32, format string, args ...any) error {
	return syntax.Error{Pos: fe.pos(line, col), Msg: fmt.Sprintf(format, args...)}
}

// ---------------------------------------------------------------------
// Scanner

type tokKind uint8

const (
	tName tokKind = iota + 1
	tNumber
	tString
	tOp
	tNewline // end of a logical line
	tEOF
)

// token is a Python token of the original text.
type token struct {
	kind       tokKind
	start, end int // byte offsets
	line, col  int32
	depth      int    // bracket nesting before the token
	text       string // names and operators

	// strings
	prefix          string // as written
	triple          bool
	qstart          int   // byte offset of the opening quote
	cstart, cend    int   // content, without quotes
	cline, ccol     int32 // first content character
	endLine, endCol int32 // last closing quote
}

// cursor walks source text keeping Starlark's line and column (runes;
// \r\n and \r are one newline).
type cursor struct {
	src       []byte
	i         int
	line, col int32
}

func (c *cursor) eof() bool { return c.i >= len(c.src) }

func (c *cursor) peek(k int) byte {
	if c.i+k < len(c.src) {
		return c.src[c.i+k]
	}
	return 0
}

func (c *cursor) next() {
	if c.i >= len(c.src) {
		return
	}
	switch b := c.src[c.i]; {
	case b == '\r':
		c.i++
		if c.i < len(c.src) && c.src[c.i] == '\n' {
			c.i++
		}
		c.line, c.col = c.line+1, 1
	case b == '\n':
		c.i++
		c.line, c.col = c.line+1, 1
	case b < utf8.RuneSelf:
		c.i++
		c.col++
	default:
		_, size := utf8.DecodeRune(c.src[c.i:])
		c.i += size
		c.col++
	}
}

func isNewline(b byte) bool { return b == '\n' || b == '\r' }

func isIdentStart(r rune) bool {
	return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || '0' <= r && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r)
}

// stringPrefixes are Python's string prefixes (any case).
var stringPrefixes = map[string]bool{
	"r": true, "u": true, "b": true, "f": true,
	"br": true, "rb": true, "fr": true, "rf": true,
}

// tokenize splits src into Python tokens. Line and col are the position
// of src's first character.
func (fe *frontend) tokenize(src []byte, line, col int32) ([]token, error) {
	c := cursor{src: src, line: line, col: col}
	var toks []token
	depth := 0
	lineHasTok := false
	for !c.eof() {
		b := c.peek(0)
		switch {
		case b == ' ' || b == '\t' || b == '\f':
			c.next()
		case b == '\\' && isNewline(c.peek(1)):
			c.next()
			c.next()
		case isNewline(b):
			if depth == 0 && lineHasTok {
				toks = append(toks, token{kind: tNewline, start: c.i, end: c.i, line: c.line, col: c.col})
				lineHasTok = false
			}
			c.next()
		case b == '#':
			for !c.eof() && !isNewline(c.peek(0)) {
				c.next()
			}
		default:
			t := token{start: c.i, line: c.line, col: c.col, depth: depth}
			r, _ := utf8.DecodeRune(src[c.i:])
			switch {
			case isIdentStart(r):
				for !c.eof() {
					r, _ := utf8.DecodeRune(src[c.i:])
					if !isIdentPart(r) {
						break
					}
					c.next()
				}
				t.kind, t.text = tName, string(src[t.start:c.i])
				if q := c.peek(0); (q == '"' || q == '\'') && stringPrefixes[strings.ToLower(t.text)] {
					t.prefix = t.text
					if err := fe.scanString(&c, &t); err != nil {
						return nil, err
					}
				}
			case '0' <= b && b <= '9' || b == '.' && '0' <= c.peek(1) && c.peek(1) <= '9':
				for !c.eof() {
					b := c.peek(0)
					if b == '_' || b == '.' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' {
						c.next()
						if (b == 'e' || b == 'E') && (c.peek(0) == '+' || c.peek(0) == '-') && !bytes.HasPrefix(bytes.ToLower(src[t.start:c.i]), []byte("0x")) {
							c.next()
						}
						continue
					}
					break
				}
				t.kind, t.text = tNumber, string(src[t.start:c.i])
			case b == '"' || b == '\'':
				if err := fe.scanString(&c, &t); err != nil {
					return nil, err
				}
			default:
				c.next()
				t.kind, t.text = tOp, string(src[t.start:c.i])
				switch b {
				case '(', '[', '{':
					depth++
				case ')', ']', '}':
					if depth > 0 {
						depth--
					}
				}
			}
			t.end = c.i
			toks = append(toks, t)
			lineHasTok = true
		}
	}
	if lineHasTok {
		toks = append(toks, token{kind: tNewline, start: c.i, end: c.i, line: c.line, col: c.col})
	}
	toks = append(toks, token{kind: tEOF, start: c.i, end: c.i, line: c.line, col: c.col})
	return toks, nil
}

// scanString scans a string literal whose opening quote is at c (after
// any prefix, already in t).
func (fe *frontend) scanString(c *cursor, t *token) error {
	q := c.peek(0)
	t.kind = tString
	t.qstart = c.i
	t.triple = c.peek(1) == q && c.peek(2) == q
	n := 1
	if t.triple {
		n = 3
	}
	for i := 0; i < n; i++ {
		c.next()
	}
	t.cstart, t.cline, t.ccol = c.i, c.line, c.col
	for {
		if c.eof() {
			if t.triple {
				return fe.errorf(t.line, t.col, "unterminated triple-quoted string literal (detected at line %d)", c.line)
			}
			return fe.errorf(t.line, t.col, "unterminated string literal (detected at line %d)", c.line)
		}
		b := c.peek(0)
		switch {
		case b == '\\':
			c.next()
			c.next()
			continue
		case isNewline(b) && !t.triple:
			return fe.errorf(t.line, t.col, "unterminated string literal (detected at line %d)", c.line)
		case b == q && (!t.triple || c.peek(1) == q && c.peek(2) == q):
			t.cend = c.i
			for i := 1; i < n; i++ {
				c.next()
			}
			t.endLine, t.endCol = c.line, c.col
			c.next()
			return nil
		}
		c.next()
	}
}

// edit replaces src[start:end] by text, which has as many characters on
// each line as what it replaces.
type edit struct {
	start, end int
	text       string
}

// blank replaces every character of b but line breaks by a space.
func blank(b []byte) string {
	var sb strings.Builder
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == '\n' || r == '\r' {
			sb.WriteRune(r)
		} else {
			sb.WriteByte(' ')
		}
		i += size
	}
	return sb.String()
}

// blankContent blanks the content of a string literal, keeping its line
// breaks and the backslashes that escape them, so that it still scans as
// a string literal.
func blankContent(b []byte) string {
	var sb strings.Builder
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == '\n' || r == '\r':
			sb.WriteRune(r)
		case r == '\\' && i+1 < len(b) && isNewline(b[i+1]):
			sb.WriteByte('\\')
		case r == '\\' && i+1 < len(b):
			_, s2 := utf8.DecodeRune(b[i+1:])
			sb.WriteString("  ")
			size += s2
		default:
			sb.WriteByte(' ')
		}
		i += size
	}
	return sb.String()
}

// blankToken blanks a whole string literal that follows another one it is
// concatenated with. Outside brackets, its line breaks must become line
// continuations: ok is false when one cannot (an empty line).
func blankToken(b []byte, depth int) (text string, ok bool) {
	text = blankContent(b)
	if depth > 0 {
		return text, true
	}
	return continueLines(text)
}

// continueLines ends each line of blanked text but the last with a
// backslash (in place of its last blank), so that its lines continue one
// logical line. ok is false when a line has no blank to replace.
func continueLines(text string) (string, bool) {
	out := []byte(text)
	for i := 0; i < len(out); i++ {
		if !isNewline(out[i]) || out[i] == '\n' && i > 0 && out[i-1] == '\r' || i > 0 && out[i-1] == '\\' {
			continue
		}
		if i == 0 || out[i-1] != ' ' {
			return "", false
		}
		out[i-1] = '\\'
	}
	return string(out), true
}

func applyEdits(src []byte, edits []edit) []byte {
	if len(edits) == 0 {
		return src
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	out := make([]byte, 0, len(src))
	last := 0
	for _, e := range edits {
		if e.start < last {
			continue
		}
		out = append(out, src[last:e.start]...)
		out = append(out, e.text...)
		last = e.end
	}
	return append(out, src[last:]...)
}

// unsupported are the Python keywords of constructs kstar lacks, with the
// message of the syntax error they cause.
var unsupported = map[string]string{
	"class":    "kstar does not support 'class' definitions: use functions, dicts and namedtuple",
	"with":     "kstar does not support 'with' statements: call close() when done",
	"yield":    "kstar does not support generators ('yield'): build and return a list",
	"global":   "kstar does not support 'global' statements: keep shared state in a dict or list",
	"nonlocal": "kstar does not support 'nonlocal' statements: keep shared state in a dict or list",
	"del":      "kstar does not support 'del' statements: use dict.pop(key) or list.pop(index)",
	"assert":   "kstar does not support 'assert' statements: use if not CONDITION: fail(\"message\")",
	"async":    "kstar does not support 'async' functions",
	"await":    "kstar does not support 'await'",
}

// keywords are the words that cannot be bound by an import.
var keywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true,
	"def": true, "del": true, "elif": true, "else": true, "except": true, "finally": true,
	"for": true, "from": true, "global": true, "if": true, "import": true, "in": true,
	"is": true, "lambda": true, "load": true, "nonlocal": true, "not": true, "or": true,
	"pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true,
	"yield": true,
}

// endsOperand reports whether t can end an operand, so that an operator
// after it is binary.
func endsOperand(t token) bool {
	switch t.kind {
	case tNumber, tString:
		return true
	case tName:
		return !keywords[t.text] || t.text == "None" || t.text == "True" || t.text == "False"
	case tOp:
		return t.text == ")" || t.text == "]" || t.text == "}"
	}
	return false
}

// notPrintOperand are the words after which "print WORD" is not Python 2's
// print statement.
var notPrintOperand = map[string]bool{
	"in": true, "not": true, "and": true, "or": true, "if": true, "else": true,
	"is": true, "for": true, "as": true,
}

// prescan rewrites src (whose first character is at line, col) into text
// Starlark can parse, with the same characters on each line apart from
// the insertions it records in fe.inserts.
func (fe *frontend) prescan(src []byte, line, col int32) ([]byte, error) {
	toks, err := fe.tokenize(src, line, col)
	if err != nil {
		return nil, err
	}
	edits := fe.genexpEdits(toks)
	fe.findSetLiterals(toks)
	stmtStart := true
	lambdas := 0
	var tries []tryClause // the try statements around the current line
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		atStart := stmtStart
		stmtStart = false
		if lineStart := k == 0 || toks[k-1].kind == tNewline; lineStart && t.kind != tNewline {
			// A line at or left of a try's indentation ends it, unless it
			// is one of its clauses.
			for n := len(tries); n > 0 && t.col <= tries[n-1].col; n-- {
				if t.col == tries[n-1].col && (t.text == "except" || t.text == "else" || t.text == "finally") {
					break
				}
				tries = tries[:n-1]
			}
		}
		if atStart && t.kind == tName {
			switch t.text {
			case "try", "except", "else", "finally", "raise":
				more, ok, err := fe.tryEdits(toks, k, &tries)
				if err != nil {
					return nil, err
				}
				if ok {
					edits = append(edits, more...)
					continue
				}
			}
		}
		switch t.kind {
		case tNewline:
			stmtStart, lambdas = true, 0
		case tOp:
			if t.text == "*" && toks[k+1].text == "*" && toks[k+1].start == t.end && k > 0 && endsOperand(toks[k-1]) {
				// x ** y: see pow.go.
				edits = append(edits, edit{t.start, toks[k+1].end, "//"})
				fe.pows[posKey{t.line, t.col}] = true
				k++
				continue
			}
			if t.depth == 0 && t.text == ";" {
				stmtStart = true
			}
			if t.depth == 0 && t.text == ":" {
				if lambdas > 0 {
					lambdas--
				} else {
					stmtStart = true
				}
			}
		case tName:
			switch t.text {
			case "import", "from":
				if !atStart {
					return nil, fe.errorf(t.line, t.col, "invalid syntax")
				}
				end, err := fe.importStmt(toks, k)
				if err != nil {
					return nil, err
				}
				text := "pass" + blank(src[t.start+4:toks[end-1].end])
				if toks[end].kind == tOp {
					// A statement follows on the import's last line: make
					// it part of the line of "pass".
					var ok bool
					if text, ok = continueLines(text); !ok {
						return nil, fe.errorf(toks[end].line, toks[end].col, "kstar cannot continue a multi-line import with blank lines: put this statement on a line of its own")
					}
				}
				edits = append(edits, edit{t.start, toks[end-1].end, text})
				k = end - 1
			case "is":
				if toks[k+1].kind == tName && toks[k+1].text == "not" {
					edits = append(edits, edit{t.start, t.end, "!="}, edit{toks[k+1].start, toks[k+1].end, "   "})
					k++
				} else {
					edits = append(edits, edit{t.start, t.end, "=="})
				}
			case "load":
				// Starlark's keyword, an ordinary name in Python.
				edits = append(edits, edit{t.start, t.end, loadName})
			case "lambda":
				if t.depth == 0 {
					lambdas++
				}
			case "print":
				next := toks[k+1]
				if atStart && (next.kind == tString || next.kind == tNumber || next.kind == tName && !notPrintOperand[next.text]) {
					return nil, fe.errorf(t.line, t.col, "Missing parentheses in call to 'print'. Did you mean print(...)?")
				}
			case "assert":
				if atStart {
					return nil, fe.errorf(t.line, t.col, "%s", unsupported["assert"])
				}
			default:
				if msg, ok := unsupported[t.text]; ok && t.text != "assert" {
					return nil, fe.errorf(t.line, t.col, "%s", msg)
				}
			}
		case tString:
			j := k
			for toks[j+1].kind == tString {
				j++
			}
			group, err := fe.stringGroup(src, toks[k:j+1])
			if err != nil {
				return nil, err
			}
			edits = append(edits, group...)
			k = j
		}
	}
	return applyEdits(src, edits), nil
}

// ---------------------------------------------------------------------
// Imports

// importStmt is an import statement the scanner replaced by "pass".
type importStmt struct {
	from    string // module of from-imports; "" for import
	fromPos syntax.Position
	names   []importName
}

// importName is one imported module (import) or member (from ... import).
type importName struct {
	name  string // dotted module name, or member name
	pos   syntax.Position
	as    string
	asPos syntax.Position
}

func isStmtEnd(t token) bool {
	return t.kind == tNewline || t.kind == tEOF || t.kind == tOp && t.text == ";" && t.depth == 0
}

// importStmt parses the import statement at toks[k], records it and
// returns the index of the token that ends it.
func (fe *frontend) importStmt(toks []token, k int) (end int, err error) {
	kw := toks[k]
	i := k + 1
	invalid := func() error {
		t := toks[i]
		return fe.errorf(t.line, t.col, "invalid syntax")
	}
	name := func() (string, syntax.Position, error) {
		t := toks[i]
		if t.kind != tName || keywords[t.text] {
			return "", syntax.Position{}, invalid()
		}
		i++
		return t.text, fe.pos(t.line, t.col), nil
	}
	dotted := func() (string, syntax.Position, error) {
		n, pos, err := name()
		if err != nil {
			return "", pos, err
		}
		for toks[i].kind == tOp && toks[i].text == "." {
			i++
			part, _, err := name()
			if err != nil {
				return "", pos, err
			}
			n += "." + part
		}
		return n, pos, nil
	}
	isOp := func(s string) bool { return toks[i].kind == tOp && toks[i].text == s }
	// aliased parses NAME [as ALIAS], NAME read by parse.
	aliased := func(parse func() (string, syntax.Position, error)) (importName, error) {
		var in importName
		var err error
		if in.name, in.pos, err = parse(); err != nil {
			return in, err
		}
		if toks[i].kind == tName && toks[i].text == "as" {
			i++
			in.as, in.asPos, err = name()
		}
		return in, err
	}
	imp := &importStmt{}

	if kw.text == "import" {
		for {
			in, err := aliased(dotted)
			if err != nil {
				return 0, err
			}
			imp.names = append(imp.names, in)
			if !isOp(",") {
				break
			}
			i++
		}
	} else {
		if isOp(".") {
			t := toks[i]
			return 0, fe.errorf(t.line, t.col, "kstar does not support relative imports")
		}
		if imp.from, imp.fromPos, err = dotted(); err != nil {
			return 0, err
		}
		if toks[i].kind != tName || toks[i].text != "import" {
			return 0, invalid()
		}
		i++
		if isOp("*") {
			t := toks[i]
			return 0, fe.errorf(t.line, t.col, "kstar does not support 'from %s import *': import the names you use, e.g. from %s import NAME", imp.from, imp.from)
		}
		paren := isOp("(")
		if paren {
			i++
		}
		for {
			in, err := aliased(name)
			if err != nil {
				return 0, err
			}
			imp.names = append(imp.names, in)
			if !isOp(",") {
				break
			}
			i++
			if paren && isOp(")") {
				break
			}
			if !paren && isStmtEnd(toks[i]) {
				t := toks[i-1]
				return 0, fe.errorf(t.line, t.col, "trailing comma not allowed without surrounding parentheses")
			}
		}
		if paren {
			if !isOp(")") {
				return 0, invalid()
			}
			i++
		}
	}
	if !isStmtEnd(toks[i]) {
		return 0, invalid()
	}
	if imp.from != "__future__" {
		fe.imports[posKey{kw.line, kw.col}] = imp
	}
	return i, nil
}

// importStmts is the Starlark for an import statement:
//
//	import a.b      →  __import__("a.b"); a = __import__("a")
//	import a.b as c →  c = __import__("a.b")
//	from m import x, y as z  →  x, z = __import_from__("m", "x", "y")
func (fe *frontend) importStmts(imp *importStmt) []syntax.Stmt {
	str := func(s string, pos syntax.Position) *syntax.Literal {
		return &syntax.Literal{Token: syntax.STRING, TokenPos: pos, Raw: strconv.Quote(s), Value: s}
	}
	assign := func(lhs, rhs syntax.Expr, pos syntax.Position) *syntax.AssignStmt {
		return &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: lhs, RHS: rhs}
	}
	if imp.from != "" {
		args := []syntax.Expr{str(imp.from, imp.fromPos)}
		var targets []syntax.Expr
		for _, n := range imp.names {
			args = append(args, str(n.name, n.pos))
			if n.as != "" {
				targets = append(targets, &syntax.Ident{NamePos: n.asPos, Name: n.as})
			} else {
				targets = append(targets, &syntax.Ident{NamePos: n.pos, Name: n.name})
			}
		}
		var lhs syntax.Expr = targets[0]
		if len(targets) > 1 {
			lhs = &syntax.TupleExpr{List: targets}
		}
		return []syntax.Stmt{assign(lhs, fe.call(py.ImportFromFunc, imp.fromPos, imp.fromPos, args...), imp.fromPos)}
	}
	var stmts []syntax.Stmt
	for _, n := range imp.names {
		module := fe.call(py.ImportFunc, n.pos, n.pos, str(n.name, n.pos))
		switch top, _, dotted := strings.Cut(n.name, "."); {
		case n.as != "":
			stmts = append(stmts, assign(&syntax.Ident{NamePos: n.asPos, Name: n.as}, module, n.pos))
		case dotted:
			stmts = append(stmts,
				&syntax.ExprStmt{X: module},
				assign(&syntax.Ident{NamePos: n.pos, Name: top}, fe.call(py.ImportFunc, n.pos, n.pos, str(top, n.pos)), n.pos))
		default:
			stmts = append(stmts, assign(&syntax.Ident{NamePos: n.pos, Name: n.name}, module, n.pos))
		}
	}
	return stmts
}

// ---------------------------------------------------------------------
// String literals

// strLit is a string literal the scanner blanked: an f-string, adjacent
// literals, or escapes only Python accepts.
type strLit struct {
	bytes bool
	parts []strPart
	pos   syntax.Position // opening quote
	end   syntax.Position // last closing quote
	raw   string
}

// strPart is literal text or a replacement field.
type strPart struct {
	lit   string
	pos   syntax.Position
	field *fieldInfo
}

// fieldInfo is an f-string replacement field {expr!conv:spec}.
type fieldInfo struct {
	expr        syntax.Expr // not yet rewritten
	debug       string      // f"{x = }": the text "x = ", printed first
	debugPos    syntax.Position
	conv        string
	spec        []strPart
	specPos     syntax.Position
	open, close syntax.Position // braces
}

// stringGroup handles adjacent string literals (one or more).
func (fe *frontend) stringGroup(src []byte, group []token) ([]edit, error) {
	first := group[0]
	prefix := strings.ToLower(first.prefix)
	if len(group) == 1 && (first.prefix == "" || first.prefix == "b" || first.prefix == "r" || first.prefix == "rb") &&
		(strings.Contains(prefix, "r") || bytes.IndexByte(src[first.cstart:first.cend], '\\') < 0) {
		return nil, nil // Starlark reads it as Python does
	}

	// Replaced by a literal without prefix and with blank content, with the
	// opening quote at the start of the prefix (keeping indentation).
	last := group[len(group)-1]
	lit := &strLit{
		bytes: strings.Contains(prefix, "b"),
		pos:   fe.pos(first.line, first.col),
		end:   fe.pos(last.endLine, last.endCol),
		raw:   string(src[first.start:last.end]),
	}
	var edits []edit
	for i, t := range group {
		p := strings.ToLower(t.prefix)
		if isBytes := strings.Contains(p, "b"); isBytes != lit.bytes {
			return nil, fe.errorf(t.line, t.col, "cannot mix bytes and nonbytes literals")
		}
		sp := &strParser{fe: fe, src: src, end: t.cend, raw: strings.Contains(p, "r"), bytes: lit.bytes,
			fstr: strings.Contains(p, "f"), c: cursor{src: src, i: t.cstart, line: t.cline, col: t.ccol}}
		parts, err := sp.parts(false, 0)
		if err != nil {
			return nil, err
		}
		lit.parts = append(lit.parts, parts...)
		if i == 0 {
			q := string(src[t.qstart:t.cstart])
			edits = append(edits, edit{t.start, t.end, q + strings.Repeat(" ", len(t.prefix)) + blankContent(src[t.cstart:t.cend]) + q})
		} else {
			text, ok := blankToken(src[t.start:t.end], t.depth)
			if !ok {
				return nil, fe.errorf(t.line, t.col, "kstar cannot join a multi-line string to the string before it outside brackets: put them in parentheses")
			}
			edits = append(edits, edit{t.start, t.end, text})
		}
	}
	// Merge adjacent literal text.
	merged := lit.parts[:0]
	for _, p := range lit.parts {
		if n := len(merged); n > 0 && p.field == nil && merged[n-1].field == nil {
			merged[n-1].lit += p.lit
			continue
		}
		merged = append(merged, p)
	}
	lit.parts = merged
	fe.strs[keyOf(lit.pos)] = lit
	return edits, nil
}

// strParser decodes the content of a string literal as Python does,
// splitting f-strings into text and fields.
type strParser struct {
	fe               *frontend
	src              []byte
	end              int // end of the content
	raw, bytes, fstr bool
	c                cursor
}

func (p *strParser) at(b byte) bool { return p.c.i < p.end && p.src[p.c.i] == b }

// parts reads text and fields up to the end of the content or, in a
// format spec, up to its closing brace (not consumed).
func (p *strParser) parts(inSpec bool, nest int) ([]strPart, error) {
	var out []strPart
	var text strings.Builder
	var textPos syntax.Position
	addText := func(s string) {
		if text.Len() == 0 {
			textPos = p.fe.pos(p.c.line, p.c.col)
		}
		text.WriteString(s)
	}
	flush := func() {
		if text.Len() > 0 {
			out = append(out, strPart{lit: text.String(), pos: textPos})
			text.Reset()
		}
	}
	for p.c.i < p.end {
		b := p.src[p.c.i]
		switch {
		case p.fstr && b == '{':
			if !inSpec && p.c.i+1 < p.end && p.src[p.c.i+1] == '{' {
				addText("{")
				p.c.next()
				p.c.next()
				continue
			}
			flush()
			f, err := p.field(nest + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, strPart{field: f, pos: f.open})
		case p.fstr && b == '}':
			if inSpec {
				flush()
				return out, nil
			}
			if p.c.i+1 < p.end && p.src[p.c.i+1] == '}' {
				addText("}")
				p.c.next()
				p.c.next()
				continue
			}
			return nil, p.fe.errorf(p.c.line, p.c.col, "f-string: single '}' is not allowed")
		case b == '\\' && !p.raw:
			pos := p.c
			s, n, err := decodeEscape(p.src[p.c.i:p.end], p.bytes)
			if err != nil {
				return nil, p.fe.errorf(pos.line, pos.col, "%s", err)
			}
			addText(s)
			for end := p.c.i + n; p.c.i < end; {
				p.c.next()
			}
		case b == '\r':
			addText("\n")
			p.c.next()
		default:
			_, size := utf8.DecodeRune(p.src[p.c.i:])
			addText(string(p.src[p.c.i : p.c.i+size]))
			p.c.next()
		}
	}
	if inSpec {
		return nil, p.fe.errorf(p.c.line, p.c.col, "f-string: expecting '}'")
	}
	flush()
	return out, nil
}

// field reads a replacement field; the cursor is at its opening brace.
func (p *strParser) field(nest int) (*fieldInfo, error) {
	if nest > 2 {
		return nil, p.fe.errorf(p.c.line, p.c.col, "f-string: expressions nested too deeply")
	}
	f := &fieldInfo{open: p.fe.pos(p.c.line, p.c.col)}
	p.c.next()
	start := p.c
	depth := 0
	expecting := func() error {
		return p.fe.errorf(f.open.Line, f.open.Col, "f-string: expecting '}'")
	}
scan:
	for {
		if p.c.i >= p.end {
			return nil, expecting()
		}
		b := p.src[p.c.i]
		switch {
		case b == '\'' || b == '"':
			if err := p.skipString(); err != nil {
				return nil, err
			}
			continue
		case b == '(' || b == '[' || b == '{':
			depth++
		case b == ')' || b == ']':
			if depth == 0 {
				return nil, p.fe.errorf(p.c.line, p.c.col, "f-string: unmatched '%c'", b)
			}
			depth--
		case b == '}':
			if depth == 0 {
				break scan
			}
			depth--
		case b == '#':
			return nil, p.fe.errorf(p.c.line, p.c.col, "f-string expression part cannot include '#'")
		case b == '\\':
			return nil, p.fe.errorf(p.c.line, p.c.col, "f-string expression part cannot include a backslash")
		case (b == '!' || b == '=' || b == '<' || b == '>') && p.c.i+1 < p.end && p.src[p.c.i+1] == '=':
			p.c.next() // two-character operator
		case depth == 0 && (b == '!' || b == ':' || b == '='):
			break scan
		}
		p.c.next()
	}
	exprText := string(p.src[start.i:p.c.i])
	if strings.TrimSpace(exprText) == "" {
		return nil, p.fe.errorf(f.open.Line, f.open.Col, "f-string: empty expression not allowed")
	}
	var debug string
	if p.at('=') {
		p.c.next()
		for p.at(' ') || p.at('\t') || p.at('\n') || p.at('\r') {
			p.c.next()
		}
		debug = string(p.src[start.i:p.c.i])
	}
	if p.at('!') {
		p.c.next()
		if p.c.i >= p.end || p.at('}') || p.at(':') {
			return nil, p.fe.errorf(p.c.line, p.c.col, "f-string: missing conversion character")
		}
		r, _ := utf8.DecodeRune(p.src[p.c.i:p.end])
		if r != 's' && r != 'r' && r != 'a' {
			return nil, p.fe.errorf(p.c.line, p.c.col, "f-string: invalid conversion character %s: expected 's', 'r', or 'a'", strconv.QuoteRune(r))
		}
		f.conv = string(r)
		p.c.next()
	}
	hasSpec := false
	if p.at(':') {
		hasSpec = true
		p.c.next()
		f.specPos = p.fe.pos(p.c.line, p.c.col)
		spec, err := p.parts(true, nest)
		if err != nil {
			return nil, err
		}
		f.spec = spec
	}
	if !p.at('}') {
		return nil, expecting()
	}
	f.close = p.fe.pos(p.c.line, p.c.col)
	p.c.next()
	if debug != "" && f.conv == "" && !hasSpec {
		f.conv = "r"
	}
	expr, err := p.fe.parseFieldExpr(exprText, start.line, start.col)
	if err != nil {
		return nil, err
	}
	f.expr = expr
	f.debug, f.debugPos = debug, p.fe.pos(start.line, start.col)
	return f, nil
}

// skipString skips a string literal inside an f-string field.
func (p *strParser) skipString() error {
	line, col := p.c.line, p.c.col
	q := p.src[p.c.i]
	triple := p.c.i+2 < p.end && p.src[p.c.i+1] == q && p.src[p.c.i+2] == q
	n := 1
	if triple {
		n = 3
	}
	for i := 0; i < n; i++ {
		p.c.next()
	}
	for p.c.i < p.end {
		b := p.src[p.c.i]
		switch {
		case b == '\\':
			p.c.next()
		case isNewline(b) && !triple:
			return p.fe.errorf(line, col, "f-string: unterminated string")
		case b == q && (!triple || p.c.i+2 < p.end && p.src[p.c.i+1] == q && p.src[p.c.i+2] == q):
			for i := 0; i < n; i++ {
				p.c.next()
			}
			return nil
		}
		p.c.next()
	}
	return p.fe.errorf(line, col, "f-string: unterminated string")
}

// parseFieldExpr parses the expression of an f-string field, found at
// line, col of the file, with the whole front end.
func (fe *frontend) parseFieldExpr(text string, line, col int32) (syntax.Expr, error) {
	fe.nesting++
	defer func() { fe.nesting-- }()
	if fe.nesting > 20 {
		return nil, fe.errorf(line, col, "f-string: expressions nested too deeply")
	}
	// Parenthesised so that it may span lines; the parenthesis goes just
	// before the expression, or on the line before.
	var content []byte
	firstLine, firstCol := line, col-1
	if col > 1 {
		content = []byte("(" + text + ")")
	} else {
		content = []byte("(\n" + text + ")")
		firstLine, firstCol = line-1, 1
	}
	outer := fe.inserts
	fe.inserts = nil
	out, err := fe.prescan(content, firstLine, firstCol)
	inserts := fe.inserts
	fe.inserts = outer
	if err != nil {
		return nil, err
	}
	expr, err := FileOptions.ParseExpr(fe.filename, syntax.FilePortion{Content: out, FirstLine: firstLine, FirstCol: firstCol}, 0)
	if err == nil {
		restorePositions(expr, inserts)
	} else {
		err = restoreErrorPosition(err, inserts)
	}
	if err != nil {
		// At the closing parenthesis, the expression ended too early.
		if se, ok := err.(syntax.Error); ok && strings.HasPrefix(se.Msg, "got ')'") {
			end := cursor{src: []byte(text), line: line, col: col}
			for !end.eof() {
				end.next()
			}
			if se.Pos.Line == end.line && se.Pos.Col == end.col {
				se.Msg = "f-string: expression ends too early: " + strings.TrimPrefix(se.Msg, "got ')', ")
				return nil, se
			}
		}
		return nil, err
	}
	if paren, ok := expr.(*syntax.ParenExpr); ok {
		return paren.X, nil
	}
	return expr, nil
}

// decodeEscape decodes the escape sequence at the start of s (s[0] is a
// backslash) as Python does, returning its value and length. Unknown
// escapes keep their backslash.
func decodeEscape(s []byte, isBytes bool) (string, int, error) {
	if len(s) < 2 {
		return "\\", 1, nil
	}
	hex := func(n int, what string) (uint64, error) {
		if len(s) < 2+n {
			return 0, fmt.Errorf("(unicode error) truncated %s escape", what)
		}
		v, err := strconv.ParseUint(string(s[2:2+n]), 16, 32)
		if err != nil {
			return 0, fmt.Errorf("(unicode error) truncated %s escape", what)
		}
		return v, nil
	}
	switch c := s[1]; c {
	case '\n':
		return "", 2, nil
	case '\r':
		if len(s) > 2 && s[2] == '\n' {
			return "", 3, nil
		}
		return "", 2, nil
	case '\\', '\'', '"':
		return string(c), 2, nil
	case 'a':
		return "\a", 2, nil
	case 'b':
		return "\b", 2, nil
	case 'f':
		return "\f", 2, nil
	case 'n':
		return "\n", 2, nil
	case 'r':
		return "\r", 2, nil
	case 't':
		return "\t", 2, nil
	case 'v':
		return "\v", 2, nil
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n, i := 0, 1
		for ; i < 4 && i < len(s) && '0' <= s[i] && s[i] <= '7'; i++ {
			n = n*8 + int(s[i]-'0')
		}
		if isBytes {
			if n > 0xff {
				return "", 0, fmt.Errorf("invalid octal escape sequence '\\%o'", n)
			}
			return string([]byte{byte(n)}), i, nil
		}
		return string(rune(n)), i, nil
	case 'x':
		v, err := hex(2, `\xXX`)
		if err != nil {
			return "", 0, err
		}
		if isBytes {
			return string([]byte{byte(v)}), 4, nil
		}
		return string(rune(v)), 4, nil
	case 'u', 'U':
		if isBytes {
			return "\\", 1, nil
		}
		n, what := 4, `\uXXXX`
		if c == 'U' {
			n, what = 8, `\UXXXXXXXX`
		}
		v, err := hex(n, what)
		if err != nil {
			return "", 0, err
		}
		if v > unicode.MaxRune || 0xD800 <= v && v < 0xE000 {
			return "", 0, fmt.Errorf("(unicode error) illegal Unicode character %s", s[:2+n])
		}
		return string(rune(v)), 2 + n, nil
	case 'N':
		if !isBytes {
			return "", 0, fmt.Errorf(`kstar does not support \N{...} escapes: use \u or the character itself`)
		}
	}
	return "\\", 1, nil
}

// ---------------------------------------------------------------------
// Syntax tree rewrite

func (fe *frontend) call(name string, pos, end syntax.Position, args ...syntax.Expr) *syntax.CallExpr {
	return &syntax.CallExpr{Fn: &syntax.Ident{NamePos: pos, Name: name}, Lparen: pos, Args: args, Rparen: end}
}

func strLiteral(s string, pos syntax.Position) *syntax.Literal {
	return &syntax.Literal{Token: syntax.STRING, TokenPos: pos, Raw: strconv.Quote(s), Value: s}
}

func (fe *frontend) stmts(list []syntax.Stmt) []syntax.Stmt {
	if len(list) == 0 {
		return list // an absent else stays nil
	}
	out := make([]syntax.Stmt, 0, len(list))
	for _, s := range list {
		if b, ok := s.(*syntax.BranchStmt); ok && b.Token == syntax.PASS {
			if imp := fe.imports[keyOf(b.TokenPos)]; imp != nil {
				out = append(out, fe.importStmts(imp)...)
				continue
			}
		}
		fe.stmt(s)
		out = append(out, s)
	}
	return out
}

func (fe *frontend) stmt(s syntax.Stmt) {
	switch s := s.(type) {
	case *syntax.AssignStmt:
		if helper := fe.augmentedHelper(s); helper != "" {
			load := fe.expr(cloneTarget(s.LHS))
			s.Op = syntax.EQ
			s.RHS = fe.call(helper, s.OpPos, syntax.End(s.RHS), load, fe.expr(s.RHS))
		} else {
			s.RHS = fe.expr(s.RHS)
		}
		s.LHS = fe.target(s.LHS)
	case *syntax.DefStmt:
		fe.params(s.Params)
		s.Body = fe.stmts(s.Body)
	case *syntax.ExprStmt:
		s.X = fe.expr(s.X)
	case *syntax.ForStmt:
		s.Vars = fe.target(s.Vars)
		s.X = fe.iterable(fe.expr(s.X))
		s.Body = fe.stmts(s.Body)
	case *syntax.WhileStmt:
		s.Cond = fe.expr(s.Cond)
		s.Body = fe.stmts(s.Body)
	case *syntax.IfStmt:
		s.Cond = fe.expr(s.Cond)
		s.True = fe.stmts(s.True)
		s.False = fe.stmts(s.False)
	case *syntax.ReturnStmt:
		s.Result = fe.expr(s.Result)
	}
}

// augmentedHelper names the helper that an augmented assignment the
// front end implements becomes (x %= y, x **= y), or returns "".
func (fe *frontend) augmentedHelper(s *syntax.AssignStmt) string {
	switch {
	case s.Op == syntax.PERCENT_EQ:
		return py.ModFunc
	case s.Op == syntax.SLASHSLASH_EQ && fe.pows[keyOf(s.OpPos)]:
		return py.PowFunc
	}
	return ""
}

// cloneTarget copies the top node of an augmented assignment's target,
// which %= and **= also read.
func cloneTarget(e syntax.Expr) syntax.Expr {
	switch e := e.(type) {
	case *syntax.Ident:
		c := *e
		return &c
	case *syntax.IndexExpr:
		c := *e
		return &c
	case *syntax.DotExpr:
		c := *e
		name := *e.Name
		c.Name = &name
		return &c
	}
	return e
}

func (fe *frontend) params(params []syntax.Expr) {
	for _, p := range params {
		if b, ok := p.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
			b.Y = fe.expr(b.Y)
		}
	}
}

// target rewrites an assignment target: what it reads, not what it binds.
func (fe *frontend) target(e syntax.Expr) syntax.Expr {
	switch e := e.(type) {
	case *syntax.TupleExpr:
		for i, x := range e.List {
			e.List[i] = fe.target(x)
		}
	case *syntax.ListExpr:
		for i, x := range e.List {
			e.List[i] = fe.target(x)
		}
	case *syntax.ParenExpr:
		e.X = fe.target(e.X)
	case *syntax.IndexExpr:
		e.X = fe.expr(e.X)
		e.Y = fe.expr(e.Y)
	case *syntax.DotExpr:
		e.X = fe.expr(e.X)
	}
	return e
}

func (fe *frontend) exprs(list []syntax.Expr) {
	for i, x := range list {
		list[i] = fe.expr(x)
	}
}

func (fe *frontend) expr(e syntax.Expr) syntax.Expr {
	switch e := e.(type) {
	case nil:
		return nil
	case *syntax.Ident:
		if e.Name == "__name__" && !fe.nameBound {
			return &syntax.Literal{Token: syntax.STRING, TokenPos: e.NamePos, Raw: "__name__", Value: "__main__"}
		}
	case *syntax.Literal:
		if e.Token == syntax.STRING || e.Token == syntax.BYTES {
			if lit := fe.strs[keyOf(e.TokenPos)]; lit != nil {
				return fe.strExpr(lit)
			}
		}
	case *syntax.BinaryExpr:
		if x, ok := fe.powChain(e); ok {
			return fe.expr(x)
		}
		e.X = fe.expr(e.X)
		e.Y = fe.expr(e.Y)
		if e.Op == syntax.PERCENT {
			return fe.call(py.ModFunc, e.OpPos, syntax.End(e.Y), e.X, e.Y)
		}
	case *syntax.CallExpr:
		e.Fn = fe.expr(e.Fn)
		for i, a := range e.Args {
			if b, ok := a.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
				b.Y = fe.expr(b.Y) // keyword argument
				continue
			}
			e.Args[i] = fe.expr(a)
		}
		e.Args = keywordsBeforeStars(e.Args)
	case *syntax.Comprehension:
		for _, c := range e.Clauses {
			switch c := c.(type) {
			case *syntax.ForClause:
				c.Vars = fe.target(c.Vars)
				c.X = fe.iterable(fe.expr(c.X))
			case *syntax.IfClause:
				c.Cond = fe.expr(c.Cond)
			}
		}
		e.Body = fe.expr(e.Body)
		return fe.genexpCall(e)
	case *syntax.CondExpr:
		e.Cond = fe.expr(e.Cond)
		e.True = fe.expr(e.True)
		e.False = fe.expr(e.False)
	case *syntax.DictEntry:
		e.Key = fe.expr(e.Key)
		e.Value = fe.expr(e.Value)
	case *syntax.DictExpr:
		fe.exprs(e.List)
	case *syntax.DotExpr:
		e.X = fe.expr(e.X)
		if py.RewrittenMethods[e.Name.Name] {
			return fe.call(py.GetAttrFunc, e.Name.NamePos, syntax.End(e.Name), e.X, strLiteral(e.Name.Name, e.Name.NamePos))
		}
	case *syntax.IndexExpr:
		e.X = fe.expr(e.X)
		e.Y = fe.expr(e.Y)
	case *syntax.LambdaExpr:
		fe.params(e.Params)
		e.Body = fe.expr(e.Body)
	case *syntax.ListExpr:
		fe.exprs(e.List)
	case *syntax.ParenExpr:
		e.X = fe.expr(e.X)
	case *syntax.SliceExpr:
		e.X = fe.expr(e.X)
		e.Lo = fe.expr(e.Lo)
		e.Hi = fe.expr(e.Hi)
		e.Step = fe.expr(e.Step)
	case *syntax.TupleExpr:
		fe.exprs(e.List)
	case *syntax.UnaryExpr:
		e.X = fe.expr(e.X)
	}
	return e
}

// iterable wraps the X of "for ... in X" in __iterable__(X), which lets
// str and bytes iterate as in Python; literals need no wrapping.
func (fe *frontend) iterable(x syntax.Expr) syntax.Expr {
	switch x.(type) {
	case *syntax.ListExpr, *syntax.TupleExpr, *syntax.DictExpr, *syntax.Comprehension:
		return x
	}
	start, end := x.Span()
	return fe.call(py.IterableFunc, start, end, x)
}

// keywordsBeforeStars moves keyword arguments written after *args or
// **kwargs (print(*items, sep=', '), fine in Python) in front of them,
// where Starlark requires them.
func keywordsBeforeStars(args []syntax.Expr) []syntax.Expr {
	firstStar := -1
	for i, a := range args {
		if u, ok := a.(*syntax.UnaryExpr); ok && (u.Op == syntax.STAR || u.Op == syntax.STARSTAR) {
			if firstStar < 0 {
				firstStar = i
			}
		} else if b, ok := a.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ && firstStar >= 0 {
			moved := slices.Concat(args[:firstStar], []syntax.Expr{a}, args[firstStar:i], args[i+1:])
			return keywordsBeforeStars(moved)
		}
	}
	return args
}

// strExpr is the expression for a blanked string literal: a literal, or
// __fstring__(...) when it has fields.
func (fe *frontend) strExpr(lit *strLit) syntax.Expr {
	hasField := false
	var text strings.Builder
	for _, p := range lit.parts {
		if p.field != nil {
			hasField = true
		}
		text.WriteString(p.lit)
	}
	if !hasField {
		tok := syntax.STRING
		if lit.bytes {
			tok = syntax.BYTES
		}
		return &syntax.Literal{Token: tok, TokenPos: lit.pos, Raw: lit.raw, Value: text.String()}
	}
	return fe.fstringCall(lit.parts, lit.pos, lit.end)
}

// fstringCall is __fstring__(parts...).
func (fe *frontend) fstringCall(parts []strPart, pos, end syntax.Position) syntax.Expr {
	var args []syntax.Expr
	for _, p := range parts {
		if p.field == nil {
			args = append(args, strLiteral(p.lit, p.pos))
			continue
		}
		args = append(args, fe.fieldExprs(p.field)...)
	}
	return fe.call(py.FStringFunc, pos, end, args...)
}

// fieldExprs are the arguments of __fstring__ for one field:
// __format__(expr, conv, spec), preceded by the text of f"{x=}".
func (fe *frontend) fieldExprs(f *fieldInfo) []syntax.Expr {
	var out []syntax.Expr
	if f.debug != "" {
		out = append(out, strLiteral(f.debug, f.debugPos))
	}
	var spec syntax.Expr
	switch {
	case len(f.spec) == 0:
		spec = strLiteral("", f.close)
	case len(f.spec) == 1 && f.spec[0].field == nil:
		spec = strLiteral(f.spec[0].lit, f.spec[0].pos)
	default:
		spec = fe.fstringCall(f.spec, f.specPos, f.close)
	}
	return append(out, fe.call(py.FormatFunc, f.open, f.close, fe.expr(f.expr), strLiteral(f.conv, f.open), spec))
}

// binds reports whether the file binds name itself (assignment, loop
// variable, function or parameter, import).
func (fe *frontend) binds(f *syntax.File, name string) bool {
	for _, imp := range fe.imports {
		for _, n := range imp.names {
			if n.as == name || n.as == "" && (n.name == name || strings.HasPrefix(n.name, name+".")) {
				return true
			}
		}
	}
	found := false
	var bound func(e syntax.Expr)
	bound = func(e syntax.Expr) {
		switch e := e.(type) {
		case *syntax.Ident:
			found = found || e.Name == name
		case *syntax.TupleExpr:
			for _, x := range e.List {
				bound(x)
			}
		case *syntax.ListExpr:
			for _, x := range e.List {
				bound(x)
			}
		case *syntax.ParenExpr:
			bound(e.X)
		case *syntax.BinaryExpr: // parameter with default
			bound(e.X)
		case *syntax.UnaryExpr: // *args, **kwargs
			bound(e.X)
		}
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.AssignStmt:
			bound(n.LHS)
		case *syntax.ForStmt:
			bound(n.Vars)
		case *syntax.ForClause:
			bound(n.Vars)
		case *syntax.DefStmt:
			bound(n.Name)
			for _, p := range n.Params {
				bound(p)
			}
		case *syntax.LambdaExpr:
			for _, p := range n.Params {
				bound(p)
			}
		}
		return !found
	})
	return found
}
