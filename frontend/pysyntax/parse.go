package pysyntax

import (
	"fmt"
	"strings"
)

// MaxDepth is the deepest syntax tree Parse returns, counting the module as
// 1. CPython 3.11 refuses trees about this deep with "RecursionError:
// maximum recursion depth exceeded during ast construction"; Parse returns
// the same error, so that code walking the tree recursively is safe.
const MaxDepth = 3000

// Parse parses a Python 3.11 module. src is the file's bytes: a UTF-8 BOM
// and a coding declaration are honoured (UTF-8 and single-byte encodings
// such as Latin-1, cp1252 and koi8-r decode; multi-byte ones such as
// Shift JIS are accepted only for ASCII files). The error, if any, is an
// *Error.
func Parse(filename string, src []byte) (mod *Module, err error) {
	src, err = decodeSource(filename, src)
	if err != nil {
		return nil, err
	}
	p := &parser{filename: filename, src: src, sc: newScanner(filename, src)}
	defer p.recoverError(&err)
	mod = &Module{Body: p.fileStmts()}
	return mod, nil
}

// bailout carries an *Error up the parser's stack.
type bailout struct{ err *Error }

func (p *parser) recoverError(errp *error) {
	if r := recover(); r != nil {
		b, ok := r.(bailout)
		if !ok {
			panic(r)
		}
		*errp = b.err
		if b.err != p.sc.err && b.err.Kind != "RecursionError" {
			if e := p.errorInRest(); e != nil {
				*errp = e
			}
		}
	}
}

// errorInRest scans the rest of the source after a parser error, as
// CPython does: an error of the scanner there (an unterminated string, an
// invalid character, a bracket never closed that was opened on a line
// before the last token read) is reported instead.
func (p *parser) errorInRest() *Error {
	lastLine := p.toks[len(p.toks)-1].line
	for {
		t := p.sc.next()
		if e := p.sc.err; e != nil {
			switch {
			case e.Kind != "SyntaxError":
				return nil // indentation errors do not take over
			case strings.HasSuffix(e.Msg, "was never closed"):
				if lastLine > e.Line {
					return e
				}
				return nil
			}
			return e
		}
		if t.kind == tEOF {
			return nil
		}
	}
}

// parser is a recursive-descent parser over the scanner's tokens, following
// CPython's Grammar/python.gram. Errors panic with a bailout, recovered by
// Parse and by the few places that try an alternative and back up.
type parser struct {
	filename string
	src      []byte
	sc       *scanner
	toks     []token // tokens read ahead; toks[i] is the current one
	i        int
	marks    int // open backtracking marks: toks cannot be discarded
	prevEnd  struct{ line, col int }
	depth    int  // recursion depth, bounded by MaxDepth
	maxDepth int  // the deepest p.depth since the statement began
	chain    int  // nodes chained by loops since the statement began
	lastExpr Expr // the expression parsed last, for "Perhaps you forgot a comma?"
}

func (p *parser) fill(n int) {
	for len(p.toks) <= p.i+n {
		t := p.sc.next()
		if p.sc.err != nil {
			p.fail(p.sc.err)
		}
		p.toks = append(p.toks, t)
		if t.kind == tEOF {
			for len(p.toks) <= p.i+n {
				p.toks = append(p.toks, t)
			}
		}
	}
}

func (p *parser) peek() *token {
	if p.i >= len(p.toks) {
		p.fill(0)
	}
	return &p.toks[p.i]
}

func (p *parser) peekN(n int) *token {
	p.fill(n)
	return &p.toks[p.i+n]
}

func (p *parser) at(k tokenKind) bool { return p.peek().kind == k }

func (p *parser) advance() token {
	t := *p.peek()
	if t.kind != tEOF {
		p.i++
	}
	// Like CPython's EXTRA, a node ends at the last token it holds that is
	// not NEWLINE, INDENT or DEDENT.
	if t.kind > tDedent || t.kind == tEOF && p.sc.sub {
		p.prevEnd.line, p.prevEnd.col = t.endLine, t.endCol
	}
	return t
}

func (p *parser) accept(k tokenKind) bool {
	if p.at(k) {
		p.advance()
		return true
	}
	return false
}

// isSoft reports whether the current token is the soft keyword kw.
func (p *parser) isSoft(kw string) bool {
	t := p.peek()
	return t.kind == tName && t.text == kw
}

func (p *parser) expect(k tokenKind) token {
	if !p.at(k) {
		if k == tColon {
			p.expectedColon()
		}
		p.syntaxError()
	}
	return p.advance()
}

func (p *parser) expectedColon() {
	// CPython says "expected ':'" when the colon is missing at the end of
	// a line, and "invalid syntax" elsewhere.
	t := p.peek()
	if t.kind == tNewline {
		p.failAt(p.prevEnd.line, p.prevEnd.col, p.prevEnd.line, p.prevEnd.col, "expected ':'")
	}
}

// expectForced is python.gram's &&token: the token must follow, else
// "expected 'token'".
func (p *parser) expectForced(k tokenKind) token {
	if !p.at(k) {
		t := p.peek()
		p.failAt(t.line, t.col, t.endLine, t.endCol, "expected '%s'", k)
	}
	return p.advance()
}

// mark and reset back up over tokens already read.
func (p *parser) mark() int {
	p.marks++
	return p.i
}

func (p *parser) release() { p.marks-- }

func (p *parser) reset(m int) {
	p.i = m
	p.marks--
	for j := m - 1; j >= 0; j-- {
		if prev := p.toks[j]; prev.kind > tDedent {
			p.prevEnd.line, p.prevEnd.col = prev.endLine, prev.endCol
			break
		}
	}
}

// try runs f, backing up and reporting false if it fails with a syntax
// error (other than one from the scanner, which is final).
func (p *parser) try(f func()) (ok bool) {
	m := p.mark()
	defer func() {
		if r := recover(); r != nil {
			b, isBail := r.(bailout)
			if !isBail || b.err == p.sc.err || b.err.Kind == "RecursionError" {
				panic(r)
			}
			p.reset(m)
			ok = false
		}
	}()
	f()
	p.release()
	return true
}

// discard drops tokens already parsed, between top-level statements.
func (p *parser) discard() {
	if p.marks > 0 || p.i == 0 {
		return
	}
	n := copy(p.toks, p.toks[p.i:])
	p.toks = p.toks[:n]
	p.i = 0
}

func (p *parser) fail(err *Error) {
	panic(bailout{err})
}

func (p *parser) lineStart(line int) int {
	// The current token is usually on or after line: search backwards
	// from it to keep this cheap.
	t := p.peek()
	off := t.off - t.col
	l := t.line
	if l < line {
		return p.sc.lineStartOf(line)
	}
	for l > line && off > 0 {
		off--
		for off > 0 && p.src[off-1] != '\n' {
			off--
		}
		l--
	}
	return off
}

// failAt raises a SyntaxError spanning the given byte positions.
func (p *parser) failAt(line, col, endLine, endCol int, format string, args ...any) {
	p.failKind("SyntaxError", line, col, endLine, endCol, format, args...)
}

func (p *parser) failKind(kind string, line, col, endLine, endCol int, format string, args ...any) {
	text := lineText(p.src, p.lineStart(line))
	e := &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Filename: p.filename, Line: line,
		Col: charCol(text, col) + 1, Text: text}
	if endLine > 0 {
		e.EndLine = endLine
		endText := text
		if endLine != line {
			endText = lineText(p.src, p.lineStart(endLine))
		}
		e.EndCol = charCol(endText, endCol) + 1
	}
	p.fail(e)
}

// failNode raises a SyntaxError spanning node n.
func (p *parser) failNode(n Located, format string, args ...any) {
	s := n.Span()
	p.failAt(s.Lineno, s.ColOffset, s.EndLineno, s.EndColOffset, format, args...)
}

// syntaxError reports "invalid syntax" at the current token, or the
// more helpful error CPython gives in its place.
func (p *parser) syntaxError() {
	t := p.peek()
	switch t.kind {
	case tIndent:
		// CPython's offset is the indent's width here, not one more.
		p.failKind("IndentationError", t.line, t.col-1, 0, 0, "unexpected indent")
	case tDedent:
		p.failKind("IndentationError", t.line, t.col, 0, 0, "unindent does not match any outer indentation level")
	case tEOF:
		p.failAt(t.line, t.col, t.line, t.col, "invalid syntax")
	}
	// Like CPython, point at the furthest token read: the parser may have
	// looked past the current one (a not b fails at b).
	if last := &p.toks[len(p.toks)-1]; last.kind > tDedent {
		t = last
	}
	p.failAt(t.line, t.col, t.endLine, t.endCol, "invalid syntax")
}

func (p *parser) pos(start *token) Pos {
	return Pos{start.line, start.col, p.prevEnd.line, p.prevEnd.col}
}

func (p *parser) enter() {
	p.depth++
	if p.depth > p.maxDepth {
		p.maxDepth = p.depth
		if p.depth > MaxDepth {
			p.tooDeep()
		}
	}
}

func (p *parser) leave() { p.depth-- }

// chained counts a node built by a loop (a+b+c, a.b.c, elif chains): such
// chains nest without recursion, so they count towards the depth too.
func (p *parser) chained(n int) {
	p.chain++
	if p.depth+n > MaxDepth {
		p.tooDeep()
	}
}

func (p *parser) tooDeep() {
	t := p.peek()
	p.failKind("RecursionError", t.line, t.col, 0, 0, "maximum recursion depth exceeded during ast construction")
}

// ---- statements ----

func (p *parser) fileStmts() []Stmt {
	var body []Stmt
	for !p.at(tEOF) {
		p.discard()
		if p.at(tNewline) {
			p.advance()
			continue
		}
		start := len(body)
		p.maxDepth, p.chain = 0, 0
		body = p.statement(body)
		for _, s := range body[start:] {
			p.checkDepth(s, 2)
		}
	}
	return body
}

// statement appends the statements of one line (or one compound
// statement) to body.
func (p *parser) statement(body []Stmt) []Stmt {
	if s := p.compoundStmt(); s != nil {
		return append(body, s)
	}
	return p.simpleStmts(body)
}

func (p *parser) simpleStmts(body []Stmt) []Stmt {
	for {
		body = append(body, p.simpleStmt())
		if !p.accept(tSemi) {
			break
		}
		if p.at(tNewline) {
			break
		}
	}
	if !p.at(tNewline) {
		p.syntaxError()
	}
	p.advance()
	return body
}

// block parses the body of a compound statement whose header ended with
// the colon; what names the statement for "expected an indented block".
func (p *parser) block(what string, headerLine int) []Stmt {
	if !p.at(tNewline) {
		return p.simpleStmts(nil)
	}
	p.advance()
	if !p.at(tIndent) {
		t := p.peek()
		p.failKind("IndentationError", t.line, t.col, t.endLine, t.endCol, "expected an indented block after %s on line %d", what, headerLine)
	}
	p.advance()
	p.enter()
	var body []Stmt
	for !p.at(tDedent) && !p.at(tEOF) {
		body = p.statement(body)
	}
	p.leave()
	p.accept(tDedent)
	return body
}

// endAt ends a compound statement at the end of the block just parsed.
func (p *parser) endAt(pos *Pos) {
	pos.EndLineno, pos.EndColOffset = p.prevEnd.line, p.prevEnd.col
}

func (p *parser) compoundStmt() Stmt {
	t := p.peek()
	switch t.kind {
	case kDef:
		return p.funcDef(nil, nil)
	case kIf:
		return p.ifStmt()
	case kClass:
		return p.classDef(nil)
	case kWith:
		return p.withStmt(nil)
	case kFor:
		return p.forStmt(nil)
	case kTry:
		return p.tryStmt()
	case kWhile:
		return p.whileStmt()
	case tAt:
		return p.decorated()
	case kAsync:
		start := p.advance()
		switch p.peek().kind {
		case kDef:
			return p.funcDef(nil, &start)
		case kWith:
			return p.withStmt(&start)
		case kFor:
			return p.forStmt(&start)
		}
		p.syntaxError()
	case tName:
		if t.text == "match" {
			if s := p.matchStmt(); s != nil {
				return s
			}
		}
	}
	return nil
}

func (p *parser) decorated() Stmt {
	var decorators []Expr
	for p.accept(tAt) {
		decorators = append(decorators, p.namedExpression())
		if !p.at(tNewline) {
			p.syntaxError()
		}
		p.advance()
	}
	switch p.peek().kind {
	case kDef:
		return p.funcDef(decorators, nil)
	case kClass:
		return p.classDef(decorators)
	case kAsync:
		start := p.advance()
		if p.at(kDef) {
			return p.funcDef(decorators, &start)
		}
	}
	p.syntaxError()
	return nil
}

func (p *parser) funcDef(decorators []Expr, async *token) Stmt {
	def := p.advance()
	start := &def
	if async != nil {
		start = async
	}
	name := p.expect(tName)
	p.expectForced(tLParen)
	args := p.parameters(tRParen, true)
	p.expect(tRParen)
	var returns Expr
	if p.accept(tRArrow) {
		returns = p.expression()
	}
	p.expect(tColon)
	what := "function definition"
	body := p.block(what, def.line)
	f := &FunctionDef{Pos: p.pos(start), Async: async != nil, Name: name.text, Args: args, Body: body,
		DecoratorList: orEmpty(decorators), Returns: returns}
	p.endAt(&f.Pos)
	return f
}

func orEmpty(l []Expr) []Expr {
	if l == nil {
		return []Expr{}
	}
	return l
}

func (p *parser) classDef(decorators []Expr) Stmt {
	start := p.advance()
	name := p.expect(tName)
	var bases []Expr
	var keywords []*Keyword
	if p.accept(tLParen) {
		bases, keywords = p.callArguments(nil)
		p.expect(tRParen)
	}
	p.expect(tColon)
	body := p.block("class definition", start.line)
	c := &ClassDef{Pos: p.pos(&start), Name: name.text, Bases: orEmpty(bases), Keywords: orKeywords(keywords),
		Body: body, DecoratorList: orEmpty(decorators)}
	p.endAt(&c.Pos)
	return c
}

func orKeywords(l []*Keyword) []*Keyword {
	if l == nil {
		return []*Keyword{}
	}
	return l
}

func (p *parser) ifStmt() Stmt {
	// An elif chain nests If nodes without recursion.
	start := p.advance()
	first := &If{Pos: p.pos(&start)}
	cur := first
	n := 0
	for {
		cur.Test = p.namedExpression()
		p.expect(tColon)
		cur.Body = p.block(fmt.Sprintf("'%s' statement", start.kind), start.line)
		p.endAt(&cur.Pos)
		if p.at(kElif) {
			start = p.advance()
			n++
			p.chained(n)
			next := &If{Pos: p.pos(&start)}
			cur.Orelse = []Stmt{next}
			cur = next
			continue
		}
		if p.at(kElse) {
			els := p.advance()
			p.expectForced(tColon)
			cur.Orelse = p.block("'else' statement", els.line)
			p.endAt(&cur.Pos)
		} else {
			cur.Orelse = []Stmt{}
		}
		break
	}
	// Each If ends where its last branch ends.
	end := cur.Pos
	for s := first; ; s = s.Orelse[0].(*If) {
		s.EndLineno, s.EndColOffset = end.EndLineno, end.EndColOffset
		if s == cur {
			break
		}
	}
	return first
}

func (p *parser) whileStmt() Stmt {
	start := p.advance()
	test := p.namedExpression()
	p.expect(tColon)
	body := p.block("'while' statement", start.line)
	w := &While{Pos: p.pos(&start), Test: test, Body: body, Orelse: p.elseBlock()}
	p.endAt(&w.Pos)
	if len(w.Orelse) > 0 {
		p.endAt(&w.Pos)
	}
	return w
}

func (p *parser) elseBlock() []Stmt {
	if !p.at(kElse) {
		return []Stmt{}
	}
	els := p.advance()
	p.expectForced(tColon)
	return p.block("'else' statement", els.line)
}

func (p *parser) forStmt(async *token) Stmt {
	kw := p.advance()
	start := &kw
	if async != nil {
		start = async
	}
	target := p.starTargets()
	p.expect(kIn)
	iter := p.starExpressions()
	p.expect(tColon)
	body := p.block("'for' statement", kw.line)
	f := &For{Pos: p.pos(start), Async: async != nil, Target: target, Iter: iter, Body: body, Orelse: p.elseBlock()}
	p.endAt(&f.Pos)
	if len(f.Orelse) > 0 {
		p.endAt(&f.Pos)
	}
	return f
}

func (p *parser) withStmt(async *token) Stmt {
	kw := p.advance()
	start := &kw
	if async != nil {
		start = async
	}
	var items []*WithItem
	parenthesized := p.at(tLParen) && p.try(func() {
		p.advance()
		for {
			items = append(items, p.withItem())
			if !p.accept(tComma) || p.at(tRParen) {
				break
			}
		}
		p.expect(tRParen)
		if !p.at(tColon) {
			p.syntaxError()
		}
	})
	if !parenthesized {
		items = nil
		for {
			items = append(items, p.withItem())
			if !p.accept(tComma) {
				break
			}
		}
	}
	p.expect(tColon)
	body := p.block("'with' statement", kw.line)
	w := &With{Pos: p.pos(start), Async: async != nil, Items: items, Body: body}
	p.endAt(&w.Pos)
	return w
}

func (p *parser) withItem() *WithItem {
	e := p.expression()
	item := &WithItem{ContextExpr: e}
	if p.accept(kAs) {
		item.OptionalVars = p.starTarget()
		if k := p.peek().kind; k != tComma && k != tRParen && k != tColon {
			p.syntaxError()
		}
	}
	return item
}

func (p *parser) tryStmt() Stmt {
	start := p.advance()
	p.expectForced(tColon)
	t := &Try{Pos: p.pos(&start), Body: p.block("'try' statement", start.line)}
	p.endAt(&t.Pos)
	for p.at(kExcept) {
		ex := p.advance()
		h := &ExceptHandler{}
		star := p.accept(tStar)
		if len(t.Handlers) == 0 {
			t.Star = star
		} else if star != t.Star {
			p.failAt(ex.line, ex.col, p.prevEnd.line, p.prevEnd.col, "cannot have both 'except' and 'except*' on the same 'try'")
		}
		if !p.at(tColon) {
			h.Type = p.expression()
			if p.at(tComma) {
				// except A, B: is Python 2.
				elts := []Expr{h.Type}
				for p.accept(tComma) {
					elts = append(elts, p.expression())
				}
				p.failAt(h.Type.Span().Lineno, h.Type.Span().ColOffset, p.prevEnd.line, p.prevEnd.col,
					"multiple exception types must be parenthesized")
			}
			if p.accept(kAs) {
				h.Name = p.expect(tName).text
			}
		} else if star {
			p.failAt(p.peek().line, p.peek().col, 0, 0, "expected one or more exception types")
		}
		p.expect(tColon)
		what := "'except' statement"
		if star {
			what = "'except*' statement"
		}
		h.Body = p.block(what, ex.line)
		h.Pos = p.pos(&ex)
		p.endAt(&h.Pos)
		t.Handlers = append(t.Handlers, h)
		p.endAt(&t.Pos)
	}
	t.Orelse = []Stmt{}
	if len(t.Handlers) > 0 && p.at(kElse) {
		t.Orelse = p.elseBlock()
		p.endAt(&t.Pos)
	}
	t.Finalbody = []Stmt{}
	if p.at(kFinally) {
		fin := p.advance()
		p.expectForced(tColon)
		t.Finalbody = p.block("'finally' statement", fin.line)
		p.endAt(&t.Pos)
	}
	if len(t.Handlers) == 0 && len(t.Finalbody) == 0 {
		tok := p.peek()
		if tok.kind == tDedent || tok.kind == tEOF {
			// At the end of the file CPython points after the block.
			for j := p.i - 1; j >= 0; j-- {
				if p.toks[j].kind == tNewline {
					tok = &p.toks[j]
					break
				}
			}
		}
		p.failAt(tok.line, tok.col, 0, 0, "expected 'except' or 'finally' block")
	}
	if t.Handlers == nil {
		t.Handlers = []*ExceptHandler{}
	}
	return t
}

func (p *parser) simpleStmt() Stmt {
	t := p.peek()
	start := *t
	switch t.kind {
	case kPass:
		p.advance()
		return &Pass{p.pos(&start)}
	case kBreak:
		p.advance()
		return &Break{p.pos(&start)}
	case kContinue:
		p.advance()
		return &Continue{p.pos(&start)}
	case kReturn:
		p.advance()
		r := &Return{}
		if !p.atStmtEnd() {
			r.Value = p.starExpressions()
		}
		r.Pos = p.pos(&start)
		return r
	case kImport:
		return p.importStmt()
	case kFrom:
		return p.fromImport()
	case kRaise:
		p.advance()
		r := &Raise{}
		if !p.atStmtEnd() {
			r.Exc = p.expression()
			if p.accept(kFrom) {
				r.Cause = p.expression()
			}
		}
		r.Pos = p.pos(&start)
		return r
	case kGlobal, kNonlocal:
		p.advance()
		var names []string
		for {
			names = append(names, p.expect(tName).text)
			if !p.accept(tComma) {
				break
			}
		}
		if t.kind == kGlobal {
			return &Global{p.pos(&start), names}
		}
		return &Nonlocal{p.pos(&start), names}
	case kDel:
		p.advance()
		targets := p.delTargets()
		return &Delete{p.pos(&start), targets}
	case kAssert:
		p.advance()
		a := &Assert{Test: p.expression()}
		if p.accept(tComma) {
			a.Msg = p.expression()
		}
		a.Pos = p.pos(&start)
		return a
	case kYield:
		y := p.yieldExpr()
		return &ExprStmt{Pos: p.pos(&start), Value: y}
	}
	return p.exprOrAssignStmt()
}

func (p *parser) atStmtEnd() bool {
	k := p.peek().kind
	return k == tNewline || k == tSemi || k == tEOF
}

var augOps = map[tokenKind]Operator{
	tPlusEq: Add, tMinusEq: Sub, tStarEq: Mult, tAtEq: MatMult, tSlashEq: Div, tPercentEq: Mod,
	tAmperEq: BitAnd, tVbarEq: BitOr, tCircumflexEq: BitXor, tLShiftEq: LShift, tRShiftEq: RShift,
	tDoubleStarEq: Pow, tDoubleSlashEq: FloorDiv,
}

func (p *parser) exprOrAssignStmt() Stmt {
	start := *p.peek()
	first := p.starExpressions()
	t := p.peek()
	switch {
	case t.kind == tColon:
		// Annotated assignment.
		target := first
		simple := 0
		switch e := first.(type) {
		case *Name:
			if e.ColOffset == start.col && e.Lineno == start.line {
				simple = 1
			}
		case *Attribute, *Subscript:
		case *Tuple:
			p.failNode(first, "only single target (not tuple) can be annotated")
		case *List:
			p.failNode(first, "only single target (not list) can be annotated")
		default:
			p.failNode(first, "illegal target for annotation")
		}
		p.setContext(target, Store, "assign")
		p.advance()
		a := &AnnAssign{Target: target, Annotation: p.expression(), Simple: simple}
		if p.accept(tEqual) {
			a.Value = p.annotatedRHS()
		}
		a.Pos = p.pos(&start)
		return a
	case t.kind == tEqual:
		targets := []Expr{first}
		var value Expr
		for p.accept(tEqual) {
			if p.at(kYield) {
				value = p.yieldExpr()
			} else {
				value = p.starExpressions()
			}
			if p.at(tEqual) {
				targets = append(targets, value)
			}
		}
		if len(targets) == 1 {
			p.checkHintedTarget(targets[0])
		}
		for _, target := range targets {
			p.setContext(target, Store, "assign")
		}
		return &Assign{Pos: p.pos(&start), Targets: targets, Value: value}
	}
	if op, ok := augOps[t.kind]; ok {
		switch first.(type) {
		case *Name, *Attribute, *Subscript:
		default:
			p.failNode(first, "'%s' is an illegal expression for augmented assignment", exprName(first))
		}
		p.setContext(first, Store, "assign")
		p.advance()
		var value Expr
		if p.at(kYield) {
			value = p.yieldExpr()
		} else {
			value = p.starExpressions()
		}
		return &AugAssign{Pos: p.pos(&start), Target: first, Op: op, Value: value}
	}
	if !p.atStmtEnd() {
		p.invalidAfterExpression(first)
	}
	return &ExprStmt{Pos: p.pos(&start), Value: first}
}

func (p *parser) annotatedRHS() Expr {
	if p.at(kYield) {
		return p.yieldExpr()
	}
	return p.starExpressions()
}

// invalidAfterExpression reports what follows a complete expression
// statement, with CPython's hints where it gives one.
func (p *parser) invalidAfterExpression(e Expr) {
	t := p.peek()
	if n, ok := e.(*Name); ok && (n.ID == "print" || n.ID == "exec") && n.Lineno == t.line && startsExpression(t.kind) {
		p.failAt(n.Lineno, n.ColOffset, 0, 0, "Missing parentheses in call to '%s'. Did you mean %s(...)?", n.ID, n.ID)
	}
	if _, ok := e.(*Name); !ok && t.kind == tColonEq {
		p.failNode(e, "cannot use assignment expressions with %s", exprName(e))
	}
	p.syntaxError()
}

func (p *parser) importStmt() Stmt {
	start := p.advance()
	var names []*Alias
	for {
		names = append(names, p.dottedAlias())
		if !p.accept(tComma) {
			break
		}
	}
	return &Import{p.pos(&start), names}
}

func (p *parser) dottedName() string {
	name := p.expect(tName).text
	for p.at(tDot) {
		p.advance()
		name += "." + p.expect(tName).text
	}
	return name
}

func (p *parser) dottedAlias() *Alias {
	start := *p.peek()
	a := &Alias{Name: p.dottedName()}
	if p.accept(kAs) {
		a.Asname = p.expect(tName).text
	}
	a.Pos = p.pos(&start)
	return a
}

func (p *parser) fromImport() Stmt {
	start := p.advance()
	level := 0
	for {
		if p.accept(tDot) {
			level++
		} else if p.accept(tEllipsis) {
			level += 3
		} else {
			break
		}
	}
	module := ""
	if level == 0 || p.at(tName) {
		module = p.dottedName()
	}
	p.expect(kImport)
	var names []*Alias
	if p.at(tStar) {
		t := p.advance()
		names = []*Alias{{Pos: p.pos(&t), Name: "*"}}
	} else {
		paren := p.accept(tLParen)
		for {
			nt := *p.peek()
			a := &Alias{Name: p.expect(tName).text}
			if p.accept(kAs) {
				a.Asname = p.expect(tName).text
			}
			a.Pos = p.pos(&nt)
			names = append(names, a)
			if !p.accept(tComma) {
				break
			}
			if paren && p.at(tRParen) {
				break
			}
			if !paren && p.atStmtEnd() {
				t := p.peek()
				p.failAt(t.line, t.col, 0, 0, "trailing comma not allowed without surrounding parentheses")
			}
		}
		if paren {
			p.expect(tRParen)
		}
	}
	return &ImportFrom{Pos: p.pos(&start), Module: module, Names: names, Level: level}
}

func (p *parser) delTargets() []Expr {
	var targets []Expr
	for {
		var e Expr
		if p.at(tStar) {
			start := p.advance()
			v := p.bitwiseOr()
			e = &Starred{Pos: p.pos(&start), Value: v}
		} else {
			e = p.bitwiseOr()
		}
		p.setContext(e, Del, "delete")
		targets = append(targets, e)
		if !p.accept(tComma) || p.atStmtEnd() {
			break
		}
	}
	if !p.atStmtEnd() {
		p.syntaxError()
	}
	return targets
}

// checkDepth refuses a tree deeper than MaxDepth, walking it without
// recursion. The parser's own checks catch most deep trees early; this
// catches the rest (long chains inside long chains).
func (p *parser) checkDepth(root Node, depth int) {
	// Each parser recursion level (p.enter) adds at most 3 tree levels,
	// each chained node one.
	if 3*p.maxDepth+p.chain+10 < MaxDepth {
		return
	}
	type item struct {
		n Node
		d int
	}
	stack := []item{{root, depth}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.d > MaxDepth {
			s := root.(Located).Span()
			p.failKind("RecursionError", s.Lineno, s.ColOffset, 0, 0, "maximum recursion depth exceeded during ast construction")
		}
		forEachChild(it.n, func(c Node) { stack = append(stack, item{c, it.d + 1}) })
	}
}

func startsExpression(k tokenKind) bool {
	switch k {
	case tName, tNumber, tString, tLParen, tLBrack, tLBrace, tMinus, tPlus, tTilde, kNot, kLambda,
		kAwait, kNone, kTrue, kFalse, tEllipsis:
		return true
	}
	return false
}

// exprName is CPython's _PyPegen_get_expr_name: how error messages call
// an expression that cannot be assigned or deleted.
func exprName(e Expr) string {
	switch e := e.(type) {
	case *Attribute:
		return "attribute"
	case *Subscript:
		return "subscript"
	case *Starred:
		return "starred"
	case *Name:
		return "name"
	case *List:
		return "list"
	case *Tuple:
		return "tuple"
	case *Lambda:
		return "lambda"
	case *Call:
		return "function call"
	case *BoolOp, *BinOp, *UnaryOp:
		return "expression"
	case *GeneratorExp:
		return "generator expression"
	case *Yield, *YieldFrom:
		return "yield expression"
	case *Await:
		return "await expression"
	case *ListComp:
		return "list comprehension"
	case *SetComp:
		return "set comprehension"
	case *DictComp:
		return "dict comprehension"
	case *Dict:
		return "dict literal"
	case *Set:
		return "set display"
	case *JoinedStr, *FormattedValue:
		return "f-string expression"
	case *Constant:
		switch e.Value.(type) {
		case nil:
			return "None"
		case bool:
			if e.Value.(bool) {
				return "True"
			}
			return "False"
		case EllipsisType:
			return "ellipsis"
		}
		return "literal"
	case *Compare:
		return "comparison"
	case *IfExp:
		return "conditional expression"
	case *NamedExpr:
		return "named expression"
	}
	return "expression"
}

// setContext marks an assignment or deletion target, refusing what cannot
// be one with CPython's message.
func (p *parser) setContext(e Expr, ctx ExprContext, verb string) {
	switch e := e.(type) {
	case *Name:
		e.Ctx = ctx
	case *Attribute:
		e.Ctx = ctx
	case *Subscript:
		e.Ctx = ctx
	case *Starred:
		if ctx == Del {
			p.failNode(e, "cannot delete starred")
		}
		e.Ctx = ctx
		p.setContext(e.Value, ctx, verb)
	case *List:
		e.Ctx = ctx
		for _, x := range e.Elts {
			p.setContext(x, ctx, verb)
		}
	case *Tuple:
		e.Ctx = ctx
		for _, x := range e.Elts {
			p.setContext(x, ctx, verb)
		}
	default:
		if verb == "delete" {
			p.failNode(e, "cannot delete %s", exprName(e))
		}
		p.failNode(e, "cannot %s to %s", verb, exprName(e))
	}
}

// checkHintedTarget gives CPython's hint for the single target of "x = y"
// that cannot be assigned and looks like a mistyped comparison.
func (p *parser) checkHintedTarget(e Expr) {
	switch e := e.(type) {
	case *Name, *Attribute, *Subscript, *Starred, *List, *Tuple, *GeneratorExp, *Compare, *BoolOp,
		*IfExp, *Lambda, *NamedExpr:
		return
	case *UnaryOp:
		if e.Op == Not {
			return
		}
	case *Constant:
		switch e.Value.(type) {
		case nil, bool:
			return
		}
	}
	p.failNode(e, "cannot assign to %s here. Maybe you meant '==' instead of '='?", exprName(e))
}
