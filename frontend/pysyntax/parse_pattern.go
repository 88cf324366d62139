package pysyntax

// The match statement and its patterns (python.gram's match_stmt rules).
// "match" and "case" are soft keywords: a line starting with "match" is a
// match statement only if it parses as one.

// matchStmt parses a match statement, or returns nil (having read nothing)
// when the line is not one.
func (p *parser) matchStmt() Stmt {
	start := *p.peek()
	var subject Expr
	isMatch := p.try(func() {
		p.advance()
		subject = p.subjectExpr()
		if !p.at(tColon) {
			p.syntaxError()
		}
	})
	if !isMatch {
		return nil
	}
	p.advance()
	if !p.at(tNewline) {
		p.syntaxError()
	}
	p.advance()
	if !p.at(tIndent) {
		t := p.peek()
		p.failKind("IndentationError", t.line, t.col, t.endLine, t.endCol, "expected an indented block after 'match' statement on line %d", start.line)
	}
	p.advance()
	m := &Match{Subject: subject}
	for !p.at(tDedent) && !p.at(tEOF) {
		if !p.isSoft("case") {
			p.syntaxError()
		}
		m.Cases = append(m.Cases, p.caseBlock())
	}
	p.accept(tDedent)
	m.Pos = p.pos(&start)
	p.endAt(&m.Pos)
	return m
}

// subjectExpr: star_named_expression ',' star_named_expressions? | named_expression
func (p *parser) subjectExpr() Expr {
	start := *p.peek()
	first := p.starNamedExpression()
	if !p.at(tComma) {
		if _, ok := first.(*Starred); ok {
			p.syntaxError()
		}
		return first
	}
	elts := []Expr{first}
	for p.accept(tComma) {
		if p.at(tColon) {
			break
		}
		elts = append(elts, p.starNamedExpression())
	}
	return &Tuple{Pos: p.pos(&start), Elts: elts}
}

func (p *parser) caseBlock() *MatchCase {
	kw := p.advance()
	c := &MatchCase{Pattern: p.patterns()}
	if p.accept(kIf) {
		c.Guard = p.namedExpression()
	}
	p.expect(tColon)
	c.Body = p.block("'case' statement", kw.line)
	return c
}

// patterns: open_sequence_pattern | pattern
func (p *parser) patterns() Pattern {
	start := *p.peek()
	first := p.maybeStarPattern()
	if !p.at(tComma) {
		if _, ok := first.(*MatchStar); ok {
			p.syntaxError()
		}
		return first
	}
	pats := []Pattern{first}
	for p.accept(tComma) {
		if p.at(tColon) || p.at(kIf) {
			break
		}
		pats = append(pats, p.maybeStarPattern())
	}
	return &MatchSequence{Pos: p.pos(&start), Patterns: pats}
}

func (p *parser) maybeStarPattern() Pattern {
	if p.at(tStar) {
		start := p.advance()
		name := p.expect(tName)
		s := &MatchStar{Pos: p.pos(&start)}
		if name.text != "_" {
			s.Name = name.text
		}
		return s
	}
	return p.pattern()
}

// pattern: or_pattern ['as' NAME]
func (p *parser) pattern() Pattern {
	p.enter()
	defer p.leave()
	start := *p.peek()
	pat := p.orPattern()
	if !p.at(kAs) {
		return pat
	}
	p.advance()
	name := p.expect(tName)
	if name.text == "_" {
		p.failAt(name.line, name.col, name.endLine, name.endCol, "cannot use '_' as a target")
	}
	return &MatchAs{Pos: p.pos(&start), Pattern: pat, Name: name.text}
}

func (p *parser) orPattern() Pattern {
	start := *p.peek()
	first := p.closedPattern()
	if !p.at(tVbar) {
		return first
	}
	pats := []Pattern{first}
	for p.accept(tVbar) {
		pats = append(pats, p.closedPattern())
	}
	return &MatchOr{Pos: p.pos(&start), Patterns: pats}
}

func (p *parser) closedPattern() Pattern {
	t := p.peek()
	start := *t
	switch t.kind {
	case tMinus, tNumber:
		v := p.signedNumber()
		if p.at(tPlus) || p.at(tMinus) {
			op := Add
			if p.advance().kind == tMinus {
				op = Sub
			}
			it := *p.peek()
			if it.kind != tNumber {
				p.syntaxError()
			}
			imag := p.atom()
			if _, ok := imag.(*Constant).Value.(complex128); !ok {
				p.failNode(imag, "imaginary number required in complex literal")
			}
			if _, ok := v.(*Constant); !ok {
				if u, ok := v.(*UnaryOp); !ok || !isRealNumber(u.Operand) {
					p.failNode(v, "real number required in complex literal")
				}
			} else if !isRealNumber(v) {
				p.failNode(v, "real number required in complex literal")
			}
			v = &BinOp{Pos: p.pos(&start), Left: v, Op: op, Right: imag}
		}
		return &MatchValue{Pos: p.pos(&start), Value: v}
	case tString:
		v := p.strings()
		if _, ok := v.(*JoinedStr); ok {
			p.failNode(v, "patterns may only match literals and attribute lookups")
		}
		return &MatchValue{Pos: p.pos(&start), Value: v}
	case kNone, kTrue, kFalse:
		p.advance()
		var v any
		if t.kind != kNone {
			v = start.kind == kTrue
		}
		return &MatchSingleton{Pos: p.pos(&start), Value: v}
	case tName:
		p.advance()
		if !p.at(tDot) && !p.at(tLParen) && !p.at(tEqual) {
			if start.text == "_" {
				return &MatchAs{Pos: p.pos(&start)}
			}
			return &MatchAs{Pos: p.pos(&start), Name: start.text}
		}
		var e Expr = &Name{Pos: p.pos(&start), ID: start.text}
		for p.accept(tDot) {
			attr := p.expect(tName)
			e = &Attribute{Pos: p.pos(&start), Value: e, Attr: attr.text}
		}
		if p.at(tLParen) {
			return p.classPattern(&start, e)
		}
		if _, ok := e.(*Name); ok {
			p.syntaxError()
		}
		return &MatchValue{Pos: p.pos(&start), Value: e}
	case tLParen:
		p.advance()
		if p.accept(tRParen) {
			return &MatchSequence{Pos: p.pos(&start), Patterns: []Pattern{}}
		}
		first := p.maybeStarPattern()
		if p.at(tComma) {
			pats := []Pattern{first}
			for p.accept(tComma) {
				if p.at(tRParen) {
					break
				}
				pats = append(pats, p.maybeStarPattern())
			}
			p.expect(tRParen)
			return &MatchSequence{Pos: p.pos(&start), Patterns: pats}
		}
		p.expect(tRParen)
		if _, ok := first.(*MatchStar); ok {
			return &MatchSequence{Pos: p.pos(&start), Patterns: []Pattern{first}}
		}
		return first
	case tLBrack:
		p.advance()
		pats := []Pattern{}
		for !p.at(tRBrack) {
			pats = append(pats, p.maybeStarPattern())
			if !p.accept(tComma) {
				break
			}
		}
		p.expect(tRBrack)
		return &MatchSequence{Pos: p.pos(&start), Patterns: pats}
	case tLBrace:
		return p.mappingPattern()
	}
	p.syntaxError()
	return nil
}

func isRealNumber(e Expr) bool {
	c, ok := e.(*Constant)
	if !ok {
		return false
	}
	switch c.Value.(type) {
	case int64, float64, interface{ Sign() int }:
		return true
	}
	return false
}

// signedNumber: NUMBER | '-' NUMBER
func (p *parser) signedNumber() Expr {
	start := *p.peek()
	if p.accept(tMinus) {
		if !p.at(tNumber) {
			p.syntaxError()
		}
		n := p.atom()
		return &UnaryOp{Pos: p.pos(&start), Op: USub, Operand: n}
	}
	return p.atom()
}

func (p *parser) mappingPattern() Pattern {
	start := p.advance()
	m := &MatchMapping{Keys: []Expr{}, Patterns: []Pattern{}}
	for !p.at(tRBrace) {
		if p.at(tDoubleStar) {
			p.advance()
			name := p.expect(tName)
			m.Rest = name.text
			p.accept(tComma)
			break
		}
		var key Expr
		kt := *p.peek()
		switch kt.kind {
		case tMinus, tNumber:
			mv := p.closedPattern()
			v, ok := mv.(*MatchValue)
			if !ok {
				p.syntaxError()
			}
			key = v.Value
		case tString:
			key = p.strings()
		case kNone, kTrue, kFalse:
			key = p.atom()
		case tName:
			key = p.atom()
			if !p.at(tDot) {
				p.syntaxError()
			}
			for p.accept(tDot) {
				attr := p.expect(tName)
				key = &Attribute{Pos: p.pos(&kt), Value: key, Attr: attr.text}
			}
		default:
			p.syntaxError()
		}
		p.expect(tColon)
		m.Keys = append(m.Keys, key)
		m.Patterns = append(m.Patterns, p.pattern())
		if !p.accept(tComma) {
			break
		}
	}
	p.expect(tRBrace)
	m.Pos = p.pos(&start)
	return m
}

func (p *parser) classPattern(start *token, cls Expr) Pattern {
	p.advance()
	c := &MatchClass{Cls: cls, Patterns: []Pattern{}, KwdAttrs: []string{}, KwdPatterns: []Pattern{}}
	for !p.at(tRParen) {
		if p.at(tName) && p.peekN(1).kind == tEqual {
			name := p.advance()
			p.advance()
			c.KwdAttrs = append(c.KwdAttrs, name.text)
			c.KwdPatterns = append(c.KwdPatterns, p.pattern())
		} else {
			pat := p.pattern()
			if len(c.KwdAttrs) > 0 {
				p.failNode(pat, "positional patterns follow keyword patterns")
			}
			c.Patterns = append(c.Patterns, pat)
		}
		if !p.accept(tComma) {
			break
		}
	}
	p.expect(tRParen)
	c.Pos = p.pos(start)
	return c
}
