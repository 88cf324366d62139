package frontend

import (
	"fmt"
	"slices"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// match statements become if statements of the Python tree, before the
// rest of the lowering sees the module (so that the scopes see the names
// the patterns bind as ordinary assignments):
//
//	match SUBJECT:                 __v1 = SUBJECT
//	    case [x, 1] if x > 0:      __v2 = False
//	        BODY1                  __v3 = __match_seq__(__v1, 2, -1)
//	    case _:              →     if __v3 is not None:
//	        BODY2                      if __v3[1] == 1:
//	                                       x = __v3[0]
//	                                       __v2 = True
//	                               if __v2 and x > 0:
//	                                   BODY1
//	                               else:
//	                                   BODY2
//
// As in CPython, the subject is evaluated once, the names of a pattern
// are bound only when the whole pattern matches (before its guard), and
// a case whose pattern only compares the subject with values (case 1 |
// "a":) is a plain condition. __match_seq__, __match_map__ and
// __match_class__ return the parts of the subject the sub-patterns
// match, or None when it does not match.

// The predeclared helpers of lowered match statements, which the runtime
// provides.
const (
	// MatchSeqFunc: __match_seq__(subject, n, star) is a list of the n
	// items of a sequence subject (not str, bytes or bytearray), the
	// items at star (-1: none) gathered in a list, or None.
	MatchSeqFunc = "__match_seq__"
	// MatchMapFunc: __match_map__(subject, keys, rest) is the tuple of a
	// mapping subject's values at keys (a list) (with the dict of its other items
	// when rest), or None.
	MatchMapFunc = "__match_map__"
	// MatchClassFunc: __match_class__(subject, cls, npositional, kwnames)
	// (a list of str)
	// is the tuple of the attributes of an instance of cls that the
	// positional (__match_args__) and keyword sub-patterns match, or None.
	MatchClassFunc = "__match_class__"
)

// matchTemp names a variable of a lowered match statement. Such
// variables stay local to the block that uses them: they are not class
// attributes in a class body, nor cells in a try block.
func (l *lowerer) matchTemp() string {
	name := l.withTemp()
	if l.matchTemps == nil {
		l.matchTemps = map[string]bool{}
	}
	l.matchTemps[name] = true
	return name
}

// patternBind is a name a pattern binds and the value it binds.
type patternBind struct {
	name  string
	value pysyntax.Expr
	pos   pysyntax.Pos
}

// desugarMatches replaces the match statements of body, and of the
// blocks in it, with their if statements.
func (l *lowerer) desugarMatches(body []pysyntax.Stmt) []pysyntax.Stmt {
	var out []pysyntax.Stmt
	for i, s := range body {
		switch s := s.(type) {
		case *pysyntax.Match:
			if out == nil {
				out = append([]pysyntax.Stmt(nil), body[:i]...)
			}
			for _, c := range s.Cases {
				c.Body = l.desugarMatches(c.Body)
			}
			out = append(out, l.matchStmt(s)...)
			continue
		case *pysyntax.If:
			s.Body, s.Orelse = l.desugarMatches(s.Body), l.desugarMatches(s.Orelse)
		case *pysyntax.For:
			s.Body, s.Orelse = l.desugarMatches(s.Body), l.desugarMatches(s.Orelse)
		case *pysyntax.While:
			s.Body, s.Orelse = l.desugarMatches(s.Body), l.desugarMatches(s.Orelse)
		case *pysyntax.With:
			s.Body = l.desugarMatches(s.Body)
		case *pysyntax.Try:
			s.Body, s.Orelse, s.Finalbody = l.desugarMatches(s.Body), l.desugarMatches(s.Orelse), l.desugarMatches(s.Finalbody)
			for _, h := range s.Handlers {
				h.Body = l.desugarMatches(h.Body)
			}
		case *pysyntax.FunctionDef:
			s.Body = l.desugarMatches(s.Body)
		case *pysyntax.ClassDef:
			s.Body = l.desugarMatches(s.Body)
		}
		if out != nil {
			out = append(out, s)
		}
	}
	if out == nil {
		return body
	}
	return out
}

// matchStmt is the Python expansion of a match statement.
func (l *lowerer) matchStmt(s *pysyntax.Match) []pysyntax.Stmt {
	for _, c := range s.Cases[:len(s.Cases)-1] {
		if msg := irrefutable(c.Pattern); msg != "" && c.Guard == nil {
			l.fail(l.start(c.Pattern), "%s makes remaining patterns unreachable", msg)
		}
	}
	for _, c := range s.Cases {
		l.checkPattern(c.Pattern, map[string]bool{})
	}
	at := zeroWidth(s.Span())
	subject := l.matchTemp()
	out := []pysyntax.Stmt{assignName(subject, s.Subject, at)}
	return append(out, l.cases(pyName(subject, at), s.Cases)...)
}

// cases are the statements that try cases in order on subject.
func (l *lowerer) cases(subject pysyntax.Expr, cases []*pysyntax.MatchCase) []pysyntax.Stmt {
	if len(cases) == 0 {
		return nil
	}
	c := cases[0]
	at := zeroWidth(c.Pattern.Span())
	if test, ok := l.valueTest(c.Pattern, subject); ok {
		if c.Guard != nil {
			test = &pysyntax.BoolOp{Pos: at, Op: pysyntax.And, Values: []pysyntax.Expr{test, c.Guard}}
		}
		return []pysyntax.Stmt{&pysyntax.If{Pos: at, Test: test, Body: c.Body, Orelse: l.cases(subject, cases[1:])}}
	}
	if a, ok := c.Pattern.(*pysyntax.MatchAs); ok && a.Pattern == nil && c.Guard == nil {
		body := c.Body // an irrefutable pattern, the last one
		if a.Name != "" {
			body = append([]pysyntax.Stmt{assignName(a.Name, subject, at)}, body...)
		}
		return body
	}
	matched := l.matchTemp()
	out := []pysyntax.Stmt{assignName(matched, pyConst(false, at), at)}
	out = append(out, l.pattern(c.Pattern, subject, nil, func(binds []patternBind) []pysyntax.Stmt {
		var set []pysyntax.Stmt
		for _, b := range binds {
			set = append(set, assignName(b.name, b.value, b.pos))
		}
		return append(set, assignName(matched, pyConst(true, at), at))
	})...)
	var test pysyntax.Expr = pyName(matched, at)
	if c.Guard != nil {
		test = &pysyntax.BoolOp{Pos: at, Op: pysyntax.And, Values: []pysyntax.Expr{test, c.Guard}}
	}
	return append(out, &pysyntax.If{Pos: at, Test: test, Body: c.Body, Orelse: l.cases(subject, cases[1:])})
}

// valueTest is the condition of a pattern that only compares the subject
// with values and binds nothing.
func (l *lowerer) valueTest(p pysyntax.Pattern, subject pysyntax.Expr) (pysyntax.Expr, bool) {
	at := zeroWidth(p.Span())
	switch p := p.(type) {
	case *pysyntax.MatchValue:
		return &pysyntax.Compare{Pos: at, Left: subject, Ops: []pysyntax.CmpOperator{pysyntax.Eq}, Comparators: []pysyntax.Expr{p.Value}}, true
	case *pysyntax.MatchSingleton:
		return &pysyntax.Compare{Pos: at, Left: subject, Ops: []pysyntax.CmpOperator{pysyntax.Is}, Comparators: []pysyntax.Expr{pyConst(p.Value, p.Pos)}}, true
	case *pysyntax.MatchOr:
		or := &pysyntax.BoolOp{Pos: at, Op: pysyntax.Or}
		for _, alt := range p.Patterns {
			test, ok := l.valueTest(alt, subject)
			if !ok {
				return nil, false
			}
			or.Values = append(or.Values, test)
		}
		return or, true
	}
	return nil, false
}

// pattern is the statements that run then(binds and those of p) when p
// matches subject.
func (l *lowerer) pattern(p pysyntax.Pattern, subject pysyntax.Expr, binds []patternBind, then func([]patternBind) []pysyntax.Stmt) []pysyntax.Stmt {
	at := zeroWidth(p.Span())
	if test, ok := l.valueTest(p, subject); ok {
		return []pysyntax.Stmt{&pysyntax.If{Pos: at, Test: test, Body: then(binds)}}
	}
	isNotNone := func(x pysyntax.Expr) pysyntax.Expr {
		return &pysyntax.Compare{Pos: at, Left: x, Ops: []pysyntax.CmpOperator{pysyntax.IsNot}, Comparators: []pysyntax.Expr{pyConst(nil, at)}}
	}
	// parts matches the sub-patterns subs with the items of the helper's
	// result, in order.
	parts := func(call *pysyntax.Call, subs []pysyntax.Pattern, extra func(t pysyntax.Expr, binds []patternBind) []patternBind) []pysyntax.Stmt {
		t := l.matchTemp()
		item := func(i int) pysyntax.Expr {
			return &pysyntax.Subscript{Pos: at, Value: pyName(t, at), Slice: pyConst(int64(i), at)}
		}
		var chain func(i int, binds []patternBind) []pysyntax.Stmt
		chain = func(i int, binds []patternBind) []pysyntax.Stmt {
			if i == len(subs) {
				if extra != nil {
					binds = extra(item(i), binds)
				}
				return then(binds)
			}
			return l.pattern(subs[i], item(i), binds, func(b []patternBind) []pysyntax.Stmt { return chain(i+1, b) })
		}
		return []pysyntax.Stmt{assignName(t, call, at), &pysyntax.If{Pos: at, Test: isNotNone(pyName(t, at)), Body: chain(0, binds)}}
	}
	helper := func(fn string, args ...pysyntax.Expr) *pysyntax.Call {
		return &pysyntax.Call{Pos: *p.Span(), Func: pyName(fn, at), Args: args}
	}
	switch p := p.(type) {
	case *pysyntax.MatchAs:
		bind := func(b []patternBind) []patternBind {
			if p.Name == "" {
				return b
			}
			return append(slices.Clip(b), patternBind{p.Name, subject, at})
		}
		if p.Pattern == nil {
			return then(bind(binds))
		}
		return l.pattern(p.Pattern, subject, binds, func(b []patternBind) []pysyntax.Stmt { return then(bind(b)) })
	case *pysyntax.MatchSequence:
		star := -1
		subs := make([]pysyntax.Pattern, len(p.Patterns))
		for i, sub := range p.Patterns {
			subs[i] = sub
			if s, ok := sub.(*pysyntax.MatchStar); ok {
				star = i
				subs[i] = &pysyntax.MatchAs{Pos: s.Pos, Name: s.Name}
			}
		}
		return parts(helper(MatchSeqFunc, subject, pyConst(int64(len(subs)), at), pyConst(int64(star), at)), subs, nil)
	case *pysyntax.MatchMapping:
		keys := &pysyntax.List{Pos: at, Elts: p.Keys}
		var rest func(pysyntax.Expr, []patternBind) []patternBind
		if p.Rest != "" {
			rest = func(x pysyntax.Expr, b []patternBind) []patternBind {
				return append(slices.Clip(b), patternBind{p.Rest, x, at})
			}
		}
		return parts(helper(MatchMapFunc, subject, keys, pyConst(p.Rest != "", at)), p.Patterns, rest)
	case *pysyntax.MatchClass:
		kwnames := &pysyntax.List{Pos: at}
		for _, k := range p.KwdAttrs {
			kwnames.Elts = append(kwnames.Elts, pyConst(k, at))
		}
		subs := append(slices.Clip(p.Patterns), p.KwdPatterns...)
		return parts(helper(MatchClassFunc, subject, p.Cls, pyConst(int64(len(p.Patterns)), at), kwnames), subs, nil)
	case *pysyntax.MatchOr:
		// Each alternative that matches copies what it binds to
		// temporaries, which the names get when one has matched.
		matched := l.matchTemp()
		names := boundByPattern(p.Patterns[0], nil)
		temps := make([]string, len(names))
		for i := range names {
			temps[i] = l.matchTemp()
		}
		out := []pysyntax.Stmt{assignName(matched, pyConst(false, at), at)}
		for i, alt := range p.Patterns {
			try := l.pattern(alt, subject, nil, func(b []patternBind) []pysyntax.Stmt {
				var set []pysyntax.Stmt
				for _, x := range b {
					set = append(set, assignName(temps[slices.Index(names, x.name)], x.value, x.pos))
				}
				return append(set, assignName(matched, pyConst(true, at), at))
			})
			if i > 0 {
				try = []pysyntax.Stmt{&pysyntax.If{Pos: at, Test: &pysyntax.UnaryOp{Pos: at, Op: pysyntax.Not, Operand: pyName(matched, at)}, Body: try}}
			}
			out = append(out, try...)
		}
		b := slices.Clip(binds)
		for i, n := range names {
			b = append(b, patternBind{n, pyName(temps[i], at), at})
		}
		return append(out, &pysyntax.If{Pos: at, Test: pyName(matched, at), Body: then(b)})
	}
	l.fail(l.start(p), "kstar does not support this pattern")
	return nil
}

// irrefutable describes what makes pattern p match every subject ("name
// capture 'x'", "wildcard"), or is "".
func irrefutable(p pysyntax.Pattern) string {
	switch p := p.(type) {
	case *pysyntax.MatchAs:
		if p.Pattern != nil {
			return irrefutable(p.Pattern)
		}
		if p.Name == "" {
			return "wildcard"
		}
		return fmt.Sprintf("name capture '%s'", p.Name)
	case *pysyntax.MatchOr:
		for _, alt := range p.Patterns {
			if msg := irrefutable(alt); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// checkPattern reports CPython's compile-time errors of pattern p: an
// irrefutable alternative that is not the last, alternatives that bind
// different names, a name bound twice, a literal key or a keyword
// attribute repeated. seen holds the names bound so far.
func (l *lowerer) checkPattern(p pysyntax.Pattern, seen map[string]bool) {
	bind := func(n string, at pysyntax.Located) {
		if n == "" {
			return
		}
		if seen[n] {
			l.fail(l.start(at), "multiple assignments to name '%s' in pattern", n)
		}
		seen[n] = true
	}
	switch p := p.(type) {
	case *pysyntax.MatchAs:
		if p.Pattern != nil {
			l.checkPattern(p.Pattern, seen)
		}
		bind(p.Name, p)
	case *pysyntax.MatchStar:
		bind(p.Name, p)
	case *pysyntax.MatchSequence:
		stars := 0
		for _, sub := range p.Patterns {
			if _, ok := sub.(*pysyntax.MatchStar); ok {
				if stars++; stars > 1 {
					l.fail(l.start(p), "multiple starred names in sequence pattern")
				}
			}
		}
		for _, sub := range p.Patterns {
			l.checkPattern(sub, seen)
		}
	case *pysyntax.MatchMapping:
		keys := map[any]bool{}
		for _, k := range p.Keys {
			if c, ok := k.(*pysyntax.Constant); ok {
				if keys[c.Value] {
					l.fail(l.start(p), "mapping pattern checks duplicate key (%s)", pysyntax.ConstantRepr(c.Value))
				}
				keys[c.Value] = true
			}
		}
		for _, sub := range p.Patterns {
			l.checkPattern(sub, seen)
		}
		bind(p.Rest, p)
	case *pysyntax.MatchClass:
		for i, k := range p.KwdAttrs {
			if slices.Contains(p.KwdAttrs[:i], k) {
				l.fail(l.start(p.KwdPatterns[i]), "attribute name repeated in class pattern: %s", k)
			}
		}
		for _, sub := range append(slices.Clip(p.Patterns), p.KwdPatterns...) {
			l.checkPattern(sub, seen)
		}
	case *pysyntax.MatchOr:
		var first []string
		for i, alt := range p.Patterns {
			if msg := irrefutable(alt); msg != "" && i < len(p.Patterns)-1 {
				l.fail(l.start(alt), "%s makes remaining patterns unreachable", msg)
			}
			own := map[string]bool{}
			l.checkPattern(alt, own)
			names := boundByPattern(alt, nil)
			slices.Sort(names)
			if i == 0 {
				first = names
			} else if !slices.Equal(first, names) {
				// CPython reports the first name the first alternative
				// lacks, else the alternative that lacks a name.
				at := pysyntax.Located(alt)
				inspect(alt, func(n pysyntax.Node) bool {
					var bound string
					switch n := n.(type) {
					case *pysyntax.MatchAs:
						bound = n.Name
					case *pysyntax.MatchStar:
						bound = n.Name
					}
					if bound != "" && !slices.Contains(first, bound) && at == alt {
						at = n.(pysyntax.Located)
					}
					return true
				})
				l.fail(l.start(at), "alternative patterns bind different names")
			}
		}
		for _, n := range first {
			bind(n, p)
		}
	}
}

// boundByPattern appends to names the names pattern p binds, in order.
func boundByPattern(p pysyntax.Pattern, names []string) []string {
	add := func(n string) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	switch p := p.(type) {
	case *pysyntax.MatchAs:
		if p.Pattern != nil {
			names = boundByPattern(p.Pattern, names)
		}
		add(p.Name)
	case *pysyntax.MatchStar:
		add(p.Name)
	case *pysyntax.MatchSequence:
		for _, sub := range p.Patterns {
			names = boundByPattern(sub, names)
		}
	case *pysyntax.MatchMapping:
		for _, sub := range p.Patterns {
			names = boundByPattern(sub, names)
		}
		add(p.Rest)
	case *pysyntax.MatchClass:
		for _, sub := range append(slices.Clip(p.Patterns), p.KwdPatterns...) {
			names = boundByPattern(sub, names)
		}
	case *pysyntax.MatchOr:
		names = boundByPattern(p.Patterns[0], names)
	}
	return names
}

func pyName(id string, at pysyntax.Pos) *pysyntax.Name { return &pysyntax.Name{Pos: at, ID: id} }

func pyConst(v any, at pysyntax.Pos) *pysyntax.Constant { return &pysyntax.Constant{Pos: at, Value: v} }

func assignName(id string, value pysyntax.Expr, at pysyntax.Pos) *pysyntax.Assign {
	return &pysyntax.Assign{Pos: at, Targets: []pysyntax.Expr{&pysyntax.Name{Pos: at, ID: id, Ctx: pysyntax.Store}}, Value: value}
}
