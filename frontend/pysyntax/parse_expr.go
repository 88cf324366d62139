package pysyntax

// Expressions, following the expression rules of CPython's
// Grammar/python.gram from star_expressions down to atom.

// starExpressions: star_expression (',' star_expression)* [','], a Tuple
// when there is a comma.
func (p *parser) starExpressions() Expr {
	start := *p.peek()
	first := p.starExpression()
	if !p.at(tComma) {
		return first
	}
	elts := []Expr{first}
	for p.accept(tComma) {
		if !startsStarExpression(p.peek().kind) {
			break
		}
		elts = append(elts, p.starExpression())
	}
	return &Tuple{Pos: p.pos(&start), Elts: elts}
}

func startsStarExpression(k tokenKind) bool {
	return k == tStar || startsExpression(k) || k == kYield
}

func (p *parser) starExpression() Expr {
	if p.at(tStar) {
		start := p.advance()
		v := p.bitwiseOr()
		return &Starred{Pos: p.pos(&start), Value: v}
	}
	return p.expression()
}

func (p *parser) starNamedExpression() Expr {
	if p.at(tStar) {
		start := p.advance()
		v := p.bitwiseOr()
		return &Starred{Pos: p.pos(&start), Value: v}
	}
	return p.namedExpression()
}

// namedExpression: NAME ':=' expression | expression !':='
func (p *parser) namedExpression() Expr {
	t := p.peek()
	if t.kind == tName && p.peekN(1).kind == tColonEq {
		start := p.advance()
		target := &Name{Pos: p.pos(&start), ID: start.text, Ctx: Store}
		p.advance()
		value := p.expression()
		return &NamedExpr{Pos: p.pos(&start), Target: target, Value: value}
	}
	e := p.expression()
	if p.at(tColonEq) {
		p.failNode(e, "cannot use assignment expressions with %s", exprName(e))
	}
	return e
}

// expression: disjunction ['if' disjunction 'else' expression] | lambdef
func (p *parser) expression() Expr {
	p.enter()
	defer p.leave()
	if p.at(kLambda) {
		return p.lambdef()
	}
	start := *p.peek()
	body := p.disjunction()
	if !p.at(kIf) {
		p.lastExpr = body
		return body
	}
	p.advance()
	test := p.disjunction()
	if !p.at(kElse) {
		t := p.peek()
		p.failAt(start.line, start.col, t.line, t.col, "expected 'else' after 'if' expression")
	}
	p.advance()
	orelse := p.expression()
	e := &IfExp{Pos: p.pos(&start), Test: test, Body: body, Orelse: orelse}
	p.lastExpr = e
	return e
}

func (p *parser) yieldExpr() Expr {
	start := p.advance()
	if p.accept(kFrom) {
		v := p.expression()
		return &YieldFrom{Pos: p.pos(&start), Value: v}
	}
	y := &Yield{}
	if startsStarExpression(p.peek().kind) && !p.at(kYield) {
		y.Value = p.starExpressions()
	}
	y.Pos = p.pos(&start)
	return y
}

func (p *parser) boolChain(op BoolOperator, kw tokenKind, operand func() Expr) Expr {
	start := *p.peek()
	first := operand()
	if !p.at(kw) {
		return first
	}
	values := []Expr{first}
	for p.accept(kw) {
		values = append(values, operand())
	}
	return &BoolOp{Pos: p.pos(&start), Op: op, Values: values}
}

func (p *parser) disjunction() Expr { return p.boolChain(Or, kOr, p.conjunction) }

func (p *parser) conjunction() Expr { return p.boolChain(And, kAnd, p.inversion) }

func (p *parser) inversion() Expr {
	if p.at(kNot) {
		p.enter()
		defer p.leave()
		start := p.advance()
		operand := p.inversion()
		return &UnaryOp{Pos: p.pos(&start), Op: Not, Operand: operand}
	}
	return p.comparison()
}

func (p *parser) comparison() Expr {
	start := *p.peek()
	left := p.bitwiseOr()
	var ops []CmpOperator
	var comparators []Expr
	for {
		var op CmpOperator
		switch p.peek().kind {
		case tEqEq:
			op = Eq
		case tNotEq:
			op = NotEq
		case tLess:
			op = Lt
		case tLessEq:
			op = LtE
		case tGreater:
			op = Gt
		case tGreaterEq:
			op = GtE
		case kIn:
			op = In
		case kNot:
			if p.peekN(1).kind != kIn {
				goto done
			}
			p.advance()
			op = NotIn
		case kIs:
			if p.peekN(1).kind == kNot {
				p.advance()
				op = IsNot
			} else {
				op = Is
			}
		default:
			goto done
		}
		p.advance()
		ops = append(ops, op)
		comparators = append(comparators, p.bitwiseOr())
	}
done:
	if ops == nil {
		return left
	}
	return &Compare{Pos: p.pos(&start), Left: left, Ops: ops, Comparators: comparators}
}

// binaryLevels is the number of binary precedence levels, from
// bitwise_or (0) to term (5).
const binaryLevels = 6

// binaryOps gives, per token kind, the precedence level (plus one; 0 for
// tokens that are no binary operator) and the operator.
var binaryOps = func() (t [256]struct {
	level int
	op    Operator
}) {
	for level, ops := range [binaryLevels]map[tokenKind]Operator{
		{tVbar: BitOr},
		{tCircumflex: BitXor},
		{tAmper: BitAnd},
		{tLShift: LShift, tRShift: RShift},
		{tPlus: Add, tMinus: Sub},
		{tStar: Mult, tSlash: Div, tDoubleSlash: FloorDiv, tPercent: Mod, tAt: MatMult},
	} {
		for k, op := range ops {
			t[k].level, t[k].op = level+1, op
		}
	}
	return t
}()

func (p *parser) bitwiseOr() Expr { return p.binary(0) }

// binary parses the left-associative level of binaryOps[level]; the chain
// is built by a loop, so a+b+...+z does not recurse.
func (p *parser) binary(level int) Expr {
	if level == binaryLevels {
		return p.factor()
	}
	start := *p.peek()
	left := p.binary(level + 1)
	n := 0
	for {
		info := binaryOps[p.peek().kind]
		if info.level != level+1 {
			return left
		}
		op := info.op
		p.advance()
		n++
		p.chained(n)
		right := p.binary(level + 1)
		left = &BinOp{Pos: p.pos(&start), Left: left, Op: op, Right: right}
	}
}

func (p *parser) factor() Expr {
	var op UnaryOperator
	switch p.peek().kind {
	case tPlus:
		op = UAdd
	case tMinus:
		op = USub
	case tTilde:
		op = Invert
	default:
		return p.power()
	}
	p.enter()
	defer p.leave()
	start := p.advance()
	operand := p.factor()
	return &UnaryOp{Pos: p.pos(&start), Op: op, Operand: operand}
}

func (p *parser) power() Expr {
	start := *p.peek()
	left := p.awaitPrimary()
	if !p.at(tDoubleStar) {
		return left
	}
	p.enter()
	defer p.leave()
	p.advance()
	right := p.factor()
	return &BinOp{Pos: p.pos(&start), Left: left, Op: Pow, Right: right}
}

func (p *parser) awaitPrimary() Expr {
	if p.at(kAwait) {
		p.enter()
		defer p.leave()
		start := p.advance()
		v := p.primary()
		return &Await{Pos: p.pos(&start), Value: v}
	}
	return p.primary()
}

// primary: atom followed by attribute, call and subscript trailers, built
// by a loop.
func (p *parser) primary() Expr {
	start := *p.peek()
	e := p.atom()
	n := 0
	for {
		switch p.peek().kind {
		case tDot:
			p.advance()
			name := p.expect(tName)
			e = &Attribute{Pos: p.pos(&start), Value: e, Attr: name.text}
		case tLParen:
			open := p.advance()
			args, keywords := p.callArguments(&open)
			p.expect(tRParen)
			e = &Call{Pos: p.pos(&start), Func: e, Args: orEmpty(args), Keywords: orKeywords(keywords)}
		case tLBrack:
			p.advance()
			slice := p.slices()
			p.expect(tRBrack)
			e = &Subscript{Pos: p.pos(&start), Value: e, Slice: slice}
		default:
			return e
		}
		n++
		p.chained(n)
	}
}

// slices: slice !',' | ','.(slice | starred_expression)+ [',']
func (p *parser) slices() Expr {
	start := *p.peek()
	first := p.slice()
	if !p.at(tComma) {
		if _, ok := first.(*Starred); ok {
			return &Tuple{Pos: p.pos(&start), Elts: []Expr{first}}
		}
		return first
	}
	elts := []Expr{first}
	for p.accept(tComma) {
		if p.at(tRBrack) {
			break
		}
		elts = append(elts, p.slice())
	}
	return &Tuple{Pos: p.pos(&start), Elts: elts}
}

func (p *parser) slice() Expr {
	start := *p.peek()
	if p.at(tStar) {
		return p.starNamedExpression()
	}
	var lower Expr
	if !p.at(tColon) {
		lower = p.namedExpression()
		if !p.at(tColon) {
			return lower
		}
		if _, ok := lower.(*NamedExpr); ok && start.kind != tLParen {
			p.syntaxError()
		}
	}
	p.advance()
	s := &Slice{Lower: lower}
	if k := p.peek().kind; k != tColon && k != tComma && k != tRBrack {
		s.Upper = p.expression()
	}
	if p.accept(tColon) {
		if k := p.peek().kind; k != tComma && k != tRBrack {
			s.Step = p.expression()
		}
	}
	s.Pos = p.pos(&start)
	return s
}

func (p *parser) atom() Expr {
	t := p.peek()
	start := *t
	switch t.kind {
	case tName:
		p.advance()
		return &Name{Pos: p.pos(&start), ID: t.text}
	case kTrue, kFalse, kNone:
		p.advance()
		var v any
		if start.kind != kNone {
			v = start.kind == kTrue
		}
		return &Constant{Pos: p.pos(&start), Value: v}
	case tEllipsis:
		p.advance()
		return &Constant{Pos: p.pos(&start), Value: Ellipsis}
	case tNumber:
		p.advance()
		return &Constant{Pos: p.pos(&start), Value: p.number(&start)}
	case tString:
		return p.strings()
	case tLParen:
		return p.parenthesized()
	case tLBrack:
		return p.listDisplay()
	case tLBrace:
		return p.braceDisplay()
	}
	p.syntaxError()
	return nil
}

func (p *parser) parenthesized() Expr {
	open := p.advance()
	if p.accept(tRParen) {
		return &Tuple{Pos: p.pos(&open), Elts: []Expr{}}
	}
	return p.parenBody(&open, tRParen)
}

// parenBody parses what follows an opening parenthesis up to the closing
// token: a group, tuple, generator expression or yield.
func (p *parser) parenBody(open *token, close tokenKind) Expr {
	if p.at(kYield) {
		y := p.yieldExpr()
		p.expect(close)
		return y
	}
	first := p.starNamedExpression()
	if p.at(kFor) || p.at(kAsync) {
		if _, ok := first.(*Starred); ok {
			p.failNode(first, "iterable unpacking cannot be used in comprehension")
		}
		gens := p.forIfClauses()
		p.expect(close)
		return &GeneratorExp{Pos: p.pos(open), Elt: first, Generators: gens}
	}
	if p.at(tComma) {
		elts := []Expr{first}
		for p.accept(tComma) {
			if p.at(close) {
				break
			}
			elts = append(elts, p.starNamedExpression())
		}
		p.closeBracket(close)
		return &Tuple{Pos: p.pos(open), Elts: elts}
	}
	p.closeBracket(close)
	if _, ok := first.(*Starred); ok {
		p.failNode(first, "cannot use starred expression here")
	}
	return first
}

// closeBracket expects the closing bracket of a display, saying "Perhaps
// you forgot a comma?" where CPython does.
func (p *parser) closeBracket(k tokenKind) {
	if !p.at(k) {
		p.forgotComma()
	}
	p.advance()
}

func (p *parser) forgotComma() {
	t := p.peek()
	a := p.lastExpr
	if a != nil && startsExpression(t.kind) && t.level > 0 {
		as := a.Span()
		if as.EndLineno == p.prevEnd.line && as.EndColOffset == p.prevEnd.col {
			if n, ok := a.(*Name); !(ok && t.kind == tString) && !(ok && (n.ID == "match" || n.ID == "case" || n.ID == "_")) {
				endLine, endCol := t.endLine, t.endCol
				m := p.mark()
				if p.try(func() { p.expression() }) {
					endLine, endCol = p.prevEnd.line, p.prevEnd.col
				}
				p.reset(m)
				p.failAt(as.Lineno, as.ColOffset, endLine, endCol, "invalid syntax. Perhaps you forgot a comma?")
			}
		}
	}
	p.syntaxError()
}

func (p *parser) listDisplay() Expr {
	open := p.advance()
	if p.accept(tRBrack) {
		return &List{Pos: p.pos(&open), Elts: []Expr{}}
	}
	first := p.starNamedExpression()
	if p.at(kFor) || p.at(kAsync) {
		if _, ok := first.(*Starred); ok {
			p.failNode(first, "iterable unpacking cannot be used in comprehension")
		}
		gens := p.forIfClauses()
		p.expect(tRBrack)
		return &ListComp{Pos: p.pos(&open), Elt: first, Generators: gens}
	}
	elts := []Expr{first}
	for p.accept(tComma) {
		if p.at(tRBrack) {
			break
		}
		elts = append(elts, p.starNamedExpression())
	}
	p.closeBracket(tRBrack)
	return &List{Pos: p.pos(&open), Elts: elts}
}

func (p *parser) braceDisplay() Expr {
	open := p.advance()
	if p.accept(tRBrace) {
		return &Dict{Pos: p.pos(&open), Keys: []Expr{}, Values: []Expr{}}
	}
	var first Expr
	if p.at(tDoubleStar) {
		// A dict display starting with **mapping.
		return p.dictRest(&open, nil, nil)
	}
	firstTok := p.peek().kind
	first = p.starNamedExpression()
	if p.at(tColon) {
		switch first.(type) {
		case *Starred:
			p.syntaxError()
		case *NamedExpr:
			if firstTok != tLParen {
				p.syntaxError()
			}
		}
		p.advance()
		value := p.expression()
		if p.at(kFor) || p.at(kAsync) {
			gens := p.forIfClauses()
			p.expect(tRBrace)
			return &DictComp{Pos: p.pos(&open), Key: first, Value: value, Generators: gens}
		}
		return p.dictRest(&open, first, value)
	}
	if p.at(kFor) || p.at(kAsync) {
		if _, ok := first.(*Starred); ok {
			p.failNode(first, "iterable unpacking cannot be used in comprehension")
		}
		gens := p.forIfClauses()
		p.expect(tRBrace)
		return &SetComp{Pos: p.pos(&open), Elt: first, Generators: gens}
	}
	elts := []Expr{first}
	for p.accept(tComma) {
		if p.at(tRBrace) {
			break
		}
		elts = append(elts, p.starNamedExpression())
	}
	p.closeBracket(tRBrace)
	return &Set{Pos: p.pos(&open), Elts: elts}
}

// dictRest parses the entries of a dict display after the first one (if
// key and value are set) up to the closing brace.
func (p *parser) dictRest(open *token, key, value Expr) Expr {
	d := &Dict{Keys: []Expr{}, Values: []Expr{}}
	if value != nil {
		d.Keys = append(d.Keys, key)
		d.Values = append(d.Values, value)
		if !p.accept(tComma) {
			p.closeBracket(tRBrace)
			d.Pos = p.pos(open)
			return d
		}
	}
	for !p.at(tRBrace) {
		if p.at(tDoubleStar) {
			star := p.advance()
			d.Keys = append(d.Keys, nil)
			d.Values = append(d.Values, p.bitwiseOr())
			if p.at(kFor) {
				p.failAt(star.line, star.col, p.prevEnd.line, p.prevEnd.col, "dict unpacking cannot be used in dict comprehension")
			}
		} else {
			k := p.expression()
			if !p.at(tColon) {
				if p.at(tComma) || p.at(tRBrace) {
					p.failNode(k, "':' expected after dictionary key")
				}
				p.forgotComma()
			}
			p.advance()
			d.Keys = append(d.Keys, k)
			d.Values = append(d.Values, p.expression())
		}
		if !p.accept(tComma) {
			break
		}
	}
	p.closeBracket(tRBrace)
	d.Pos = p.pos(open)
	return d
}

func (p *parser) forIfClauses() []*Comprehension {
	var gens []*Comprehension
	for p.at(kFor) || p.at(kAsync) && p.peekN(1).kind == kFor {
		c := &Comprehension{}
		if p.accept(kAsync) {
			c.IsAsync = 1
		}
		p.advance()
		c.Target = p.starTargets()
		p.expect(kIn)
		c.Iter = p.disjunction()
		c.Ifs = []Expr{}
		for p.accept(kIf) {
			c.Ifs = append(c.Ifs, p.disjunction())
		}
		gens = append(gens, c)
	}
	return gens
}

// starTargets parses the target list of a for statement or comprehension:
// expressions of bitwise_or level (so that 'in' ends them), marked Store.
func (p *parser) starTargets() Expr {
	start := *p.peek()
	first := p.starTarget()
	if !p.at(tComma) {
		return first
	}
	elts := []Expr{first}
	for p.accept(tComma) {
		if k := p.peek().kind; k == kIn || k == tEqual || k == tColon || k == tRParen {
			break
		}
		elts = append(elts, p.starTarget())
	}
	t := &Tuple{Pos: p.pos(&start), Elts: elts, Ctx: Store}
	return t
}

func (p *parser) starTarget() Expr {
	var e Expr
	if p.at(tStar) {
		start := p.advance()
		v := p.bitwiseOr()
		e = &Starred{Pos: p.pos(&start), Value: v}
	} else {
		e = p.bitwiseOr()
	}
	p.setContext(e, Store, "assign")
	return e
}

// callArguments parses the arguments of a call up to its ')', or the
// bases of a class statement when open (the call's '(') is nil.
func (p *parser) callArguments(open *token) ([]Expr, []*Keyword) {
	var args []Expr
	var keywords []*Keyword
	sawKeyword, sawDoubleStar := false, false
	for !p.at(tRParen) {
		start := *p.peek()
		switch {
		case p.at(tStar):
			p.advance()
			v := p.expression()
			if sawDoubleStar {
				p.failAt(start.line, start.col, p.prevEnd.line, p.prevEnd.col, "iterable argument unpacking follows keyword argument unpacking")
			}
			starred := &Starred{Pos: p.pos(&start), Value: v}
			if p.at(kFor) {
				p.failNode(starred, "iterable unpacking cannot be used in comprehension")
			}
			args = append(args, starred)
		case p.at(tDoubleStar):
			p.advance()
			v := p.expression()
			keywords = append(keywords, &Keyword{Pos: p.pos(&start), Value: v})
			sawDoubleStar = true
		case p.at(tName) && p.peekN(1).kind == tEqual:
			p.advance()
			p.advance()
			v := p.expression()
			keywords = append(keywords, &Keyword{Pos: p.pos(&start), Arg: start.text, Value: v})
			sawKeyword = true
		default:
			e := p.namedExpression()
			if (p.at(kFor) || p.at(kAsync)) && open == nil {
				p.syntaxError() // class bases take no generator expression
			}
			if p.at(kFor) || p.at(kAsync) {
				gens := p.forIfClauses()
				if len(args) == 0 && len(keywords) == 0 && p.at(tRParen) {
					// The sole argument: the call's parentheses are the
					// generator expression's.
					t := p.peek()
					g := &GeneratorExp{Pos: Pos{open.line, open.col, t.endLine, t.endCol}, Elt: e, Generators: gens}
					return []Expr{g}, nil
				}
				g := &GeneratorExp{Pos: p.pos(&start), Elt: e, Generators: gens}
				p.failNode(g, "Generator expression must be parenthesized")
			}
			if p.at(tEqual) {
				p.failAt(start.line, start.col, p.peek().endLine, p.peek().endCol, `expression cannot contain assignment, perhaps you meant "=="?`)
			}
			// CPython points at the token after the argument.
			if t := p.peek(); sawDoubleStar {
				p.failAt(t.line, t.col, 0, 0, "positional argument follows keyword argument unpacking")
			} else if sawKeyword {
				p.failAt(t.line, t.col, 0, 0, "positional argument follows keyword argument")
			}
			args = append(args, e)
		}
		if !p.accept(tComma) {
			if !p.at(tRParen) {
				p.forgotComma()
			}
			break
		}
	}
	return args, keywords
}

func (p *parser) lambdef() Expr {
	start := p.advance()
	args := p.parameters(tColon, false)
	p.expect(tColon)
	body := p.expression()
	return &Lambda{Pos: p.pos(&start), Args: args, Body: body}
}

// parameters parses a def's (annotated) or a lambda's parameter list up
// to the closing token.
func (p *parser) parameters(close tokenKind, annotated bool) *Arguments {
	a := &Arguments{PosOnlyArgs: []*Arg{}, Args: []*Arg{}, KwOnlyArgs: []*Arg{}, KwDefaults: []Expr{}, Defaults: []Expr{}}
	const (
		positional = iota
		keywordOnly
		afterKwarg
	)
	state := positional
	sawSlash, sawDefault, bareStar := false, false, false
	var bareStarTok token
	param := func(starAnnotation bool) *Arg {
		start := p.expect(tName)
		arg := &Arg{Arg: start.text}
		if annotated && p.accept(tColon) {
			if starAnnotation && p.at(tStar) {
				st := p.advance()
				v := p.expression()
				arg.Annotation = &Starred{Pos: p.pos(&st), Value: v}
			} else {
				arg.Annotation = p.expression()
			}
		}
		arg.Pos = p.pos(&start)
		return arg
	}
	for !p.at(close) {
		t := p.peek()
		if state == afterKwarg {
			p.failAt(t.line, t.col, t.endLine, t.endCol, "arguments cannot follow var-keyword argument")
		}
		switch t.kind {
		case tSlash:
			if sawSlash {
				p.failAt(t.line, t.col, t.endLine, t.endCol, "/ may appear only once")
			}
			if state != positional {
				p.failAt(t.line, t.col, t.endLine, t.endCol, "/ must be ahead of *")
			}
			if len(a.Args) == 0 {
				p.failAt(t.line, t.col, t.endLine, t.endCol, "at least one argument must precede /")
			}
			p.advance()
			sawSlash = true
			a.PosOnlyArgs, a.Args = a.Args, []*Arg{}
		case tStar:
			if state != positional {
				p.failAt(t.line, t.col, t.endLine, t.endCol, "* argument may appear only once")
			}
			bareStarTok = p.advance()
			state = keywordOnly
			if p.at(tComma) || p.at(close) {
				bareStar = true
			} else {
				a.Vararg = param(true)
				if p.at(tEqual) {
					t := p.peek()
					p.failAt(t.line, t.col, t.endLine, t.endCol, "var-positional argument cannot have default value")
				}
			}
		case tDoubleStar:
			p.advance()
			a.Kwarg = param(false)
			if p.at(tEqual) {
				t := p.peek()
				p.failAt(t.line, t.col, t.endLine, t.endCol, "var-keyword argument cannot have default value")
			}
			state = afterKwarg
		default:
			arg := param(false)
			var def Expr
			if p.accept(tEqual) {
				def = p.expression()
			}
			if state == positional {
				if def != nil {
					a.Defaults = append(a.Defaults, def)
					sawDefault = true
				} else if sawDefault {
					p.failNode(arg, "non-default argument follows default argument")
				}
				a.Args = append(a.Args, arg)
			} else {
				a.KwOnlyArgs = append(a.KwOnlyArgs, arg)
				a.KwDefaults = append(a.KwDefaults, def)
				bareStar = false
			}
		}
		if !p.accept(tComma) {
			break
		}
	}
	if bareStar {
		p.failAt(bareStarTok.line, bareStarTok.col, bareStarTok.endLine, bareStarTok.endCol, "named arguments must follow bare *")
	}
	if !p.at(close) {
		p.syntaxError()
	}
	return a
}
