package frontend

import (
	"fmt"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// List and dict comprehensions are Starlark's own; a set comprehension is
// set([...]) of a list comprehension. A generator expression is lazy:
// __genexp__(spec, first iterable, lambdas...) (builtins/py/genexp.go),
// unless a target is one its lambdas cannot bind (a nested tuple, a name
// bound twice): then it is __genexp__([...]), an iterator over the list
// comprehension, evaluated when it is created. The iterable of
// every for (loop or clause) is wrapped in __iterable__ so that str and
// bytes iterate as in Python; displays need no wrapping.

func (l *lowerer) comprehension(e pysyntax.Expr) syntax.Expr {
	savedGen := l.inGenerator
	l.inGenerator = false // Python refuses yield in a comprehension
	var bound []string    // the comprehension's variables that are cells around it, once its first iterable is lowered
	l.comprehensions++
	defer func() {
		l.comprehensions--
		l.inGenerator = savedGen
		for _, name := range bound {
			l.comprehensionVars[name]--
		}
	}()

	c := &syntax.Comprehension{Lbrack: l.start(e), Rbrack: l.last(e)}
	switch e := e.(type) {
	case *pysyntax.ListComp:
		c.Clauses = l.clauses(e.Generators, &bound)
		c.Body = l.expr(e.Elt)
	case *pysyntax.SetComp:
		c.Clauses = l.clauses(e.Generators, &bound)
		c.Body = l.expr(e.Elt)
		return l.call("set", c.Lbrack, c.Rbrack, c)
	case *pysyntax.DictComp:
		c.Curly = true
		c.Clauses = l.clauses(e.Generators, &bound)
		key := l.expr(e.Key)
		c.Body = &syntax.DictEntry{Key: key, Colon: l.token(e.Key, false), Value: l.expr(e.Value)}
	case *pysyntax.GeneratorExp:
		if lazy := l.lazyGenexp(e, &bound); lazy != nil {
			return lazy
		}
		for _, name := range bound { // lowered again, as a list comprehension
			l.comprehensionVars[name]--
		}
		bound = nil
		c.Lbrack = l.at(e.Lineno, e.ColOffset+1)
		c.Clauses = l.clauses(e.Generators, &bound)
		c.Body = l.expr(e.Elt)
		return l.call(genExpFunc, c.Lbrack, c.Rbrack, c)
	}
	return c
}

func (l *lowerer) clauses(gens []*pysyntax.Comprehension, bound *[]string) []syntax.Node {
	var out []syntax.Node
	for i, g := range gens {
		if g.IsAsync != 0 {
			l.refuse(l.start(g.Target), "async")
		}
		forPos := l.forKeyword(g.Target)
		l.comprehensionIter++
		x := l.iterable(g.Iter)
		l.comprehensionIter--
		if i == 0 {
			l.shadowComprehensionVars(gens, bound)
		}
		if hasStarred(g.Target) {
			out = append(out, l.starredClauses(g.Target, x, forPos)...)
		} else {
			out = append(out, &syntax.ForClause{For: forPos, Vars: l.target(g.Target), In: l.token(g.Target, false), X: x})
		}
		for _, cond := range g.Ifs {
			out = append(out, &syntax.IfClause{If: l.ifKeyword(cond), Cond: l.expr(cond)})
		}
	}
	return out
}

// forKeyword and ifKeyword find the keyword before a clause's target or
// condition.
func (l *lowerer) forKeyword(target pysyntax.Expr) syntax.Position {
	return l.keywordBefore(target, "for")
}

func (l *lowerer) ifKeyword(cond pysyntax.Expr) syntax.Position {
	return l.keywordBefore(cond, "if")
}

func (l *lowerer) keywordBefore(e pysyntax.Expr, kw string) syntax.Position {
	p := e.Span()
	i := l.offset(p.Lineno, p.ColOffset)
	for j := i - len(kw); j >= 0 && j >= i-200; j-- {
		if string(l.src[j:j+len(kw)]) == kw {
			return l.posOf(j)
		}
	}
	return l.start(e)
}

// iterable is the X of "for ... in X", wrapped in __iterable__(X) unless
// it is a display or comprehension.
func (l *lowerer) iterable(e pysyntax.Expr) syntax.Expr {
	x := l.expr(e)
	switch x.(type) {
	case *syntax.ListExpr, *syntax.TupleExpr, *syntax.DictExpr, *syntax.Comprehension:
		return x
	case *syntax.ParenExpr:
		if _, ok := x.(*syntax.ParenExpr).X.(*syntax.TupleExpr); ok {
			return x
		}
	}
	start, end := x.Span()
	return l.call(iterableFunc, start, end, x)
}

// loopIterable is the X of a for statement's "for ... in X", or the
// iterable of a generator expression's for clause: when X is a call or a
// generator expression, __owned_iterable__(X) at the position of X's
// call, which lets the loop close the generator X makes when it ends
// (builtins/py/generator_loops.go); else what iterable makes of it, or
// for a generator expression's clause, X itself.
func (l *lowerer) loopIterable(e pysyntax.Expr, clause bool) syntax.Expr {
	switch e.(type) {
	case *pysyntax.Call, *pysyntax.GeneratorExp:
		x := l.expr(e)
		if c, ok := x.(*syntax.CallExpr); ok {
			return l.call(ownedIterFunc, c.Lparen, c.Rparen, c)
		}
		if clause {
			return x
		}
		start, end := x.Span()
		return l.call(iterableFunc, start, end, x)
	}
	if clause {
		return l.expr(e)
	}
	return l.iterable(e)
}

// starredClauses are the for clauses of a comprehension whose target
// has a starred name: one over x binding a temporary, then, for each
// assignment that unpacks it (assignTo), one over a list of its value:
//
//	[a for a, *b in rows]  →  [a for __v1 in rows for a, b in [__unpack__(__v1, 1, 0)]]
func (l *lowerer) starredClauses(target pysyntax.Expr, x syntax.Expr, forPos syntax.Position) []syntax.Node {
	l.temps++
	at := *target.Span()
	tmp := fmt.Sprintf("__v%d", l.temps)
	out := []syntax.Node{&syntax.ForClause{For: forPos, Vars: l.ident(tmp, l.start(target)), In: l.token(target, false), X: x}}
	for _, s := range l.assignTo(nil, target, l.expr(&pysyntax.Name{Pos: at, ID: tmp, Ctx: pysyntax.Load}), l.start(target)) {
		a := s.(*syntax.AssignStmt)
		start, end := a.RHS.Span()
		out = append(out, &syntax.ForClause{For: forPos, Vars: a.LHS, In: a.OpPos, X: &syntax.ListExpr{Lbrack: start, List: []syntax.Expr{a.RHS}, Rbrack: end}})
	}
	return out
}

// shadowComprehensionVars makes the names that the targets of gens bind
// the comprehension's own variables (not cells) until the comprehension
// being lowered ends, recording them in bound; its first iterable,
// outside it in Python, is lowered before.
func (l *lowerer) shadowComprehensionVars(gens []*pysyntax.Comprehension, bound *[]string) {
	if len(l.cellNames) == 0 {
		return
	}
	for _, g := range gens {
		for _, name := range targetNames(g.Target, nil) {
			if l.cellNames[name] { // other names are plain anyway
				if l.comprehensionVars == nil {
					l.comprehensionVars = map[string]int{}
				}
				l.comprehensionVars[name]++
				*bound = append(*bound, name)
			}
		}
	}
}

// lazyGenexp lowers a generator expression to its lazy form, or returns
// nil when a target is not a name or a flat tuple of 2 to 9 distinct
// names.
func (l *lowerer) lazyGenexp(e *pysyntax.GeneratorExp, bound *[]string) syntax.Expr {
	pos, end := l.at(e.Lineno, e.ColOffset+1), l.last(e)
	var spec []byte
	var names []syntax.Expr // the loop variables bound so far: each lambda's parameters
	seen := map[string]bool{}
	var args []syntax.Expr
	lambda := func(body pysyntax.Expr, at syntax.Position) syntax.Expr {
		return &syntax.LambdaExpr{Lambda: at, Params: append([]syntax.Expr(nil), names...), Body: l.expr(body)}
	}
	var conds []pysyntax.Expr // the if clauses after the last for, folded into the element's lambda
	for i, g := range e.Generators {
		if g.IsAsync != 0 {
			l.refuse(l.start(g.Target), "async")
		}
		l.comprehensionIter++
		if i == 0 {
			args = append(args, l.loopIterable(g.Iter, true)) // evaluated here; the generator iterates str and bytes as Python does
			l.shadowComprehensionVars(e.Generators, bound)
		} else {
			args = append(args, &syntax.LambdaExpr{Lambda: l.start(g.Iter), Params: append([]syntax.Expr(nil), names...), Body: l.loopIterable(g.Iter, true)})
		}
		l.comprehensionIter--
		var targets []pysyntax.Expr
		switch t := g.Target.(type) {
		case *pysyntax.Name:
			targets = []pysyntax.Expr{t}
			spec = append(spec, '1')
		case *pysyntax.Tuple:
			if len(t.Elts) < 2 || len(t.Elts) > 9 {
				return nil
			}
			targets = t.Elts
			spec = append(spec, byte('0'+len(t.Elts)))
		default:
			return nil
		}
		for _, t := range targets {
			n, ok := t.(*pysyntax.Name)
			if !ok || seen[n.ID] {
				return nil
			}
			id, ok := l.target(n).(*syntax.Ident)
			if !ok { // a name that lives in a cell
				return nil
			}
			seen[n.ID] = true
			names = append(names, id)
		}
		if i == len(e.Generators)-1 {
			conds = g.Ifs
			break
		}
		for _, cond := range g.Ifs {
			spec = append(spec, 'i')
			args = append(args, lambda(cond, l.ifKeyword(cond)))
		}
	}
	elt := &syntax.LambdaExpr{Lambda: l.start(e.Elt), Params: names, Body: l.expr(e.Elt)}
	if len(conds) > 0 {
		cond := l.expr(conds[0])
		for _, c := range conds[1:] {
			cond = &syntax.BinaryExpr{X: cond, OpPos: l.ifKeyword(c), Op: syntax.AND, Y: l.expr(c)}
		}
		elt.Body = &syntax.CondExpr{If: l.ifKeyword(conds[0]), Cond: cond, True: elt.Body, ElsePos: l.ifKeyword(conds[0]), False: l.ident(genExpSkip, l.ifKeyword(conds[0]))}
	}
	args = append(args, elt)
	return l.call(genExpFunc, pos, end, append([]syntax.Expr{strLiteral(string(spec), pos)}, args...)...)
}
