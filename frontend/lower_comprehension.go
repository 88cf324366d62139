package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// List and dict comprehensions are Starlark's own; a set comprehension is
// set([...]) of a list comprehension. A generator expression
// becomes __genexp__([...]), an iterator over the list comprehension: it
// is evaluated eagerly, when it is created, but otherwise behaves like
// Python's (next() takes from it, one pass exhausts it). The iterable of
// every for (loop or clause) is wrapped in __iterable__ so that str and
// bytes iterate as in Python; displays need no wrapping.

func (l *lowerer) comprehension(e pysyntax.Expr) syntax.Expr {
	savedGen := l.inGenerator
	l.inGenerator = false // Python refuses yield in a comprehension
	defer func() { l.inGenerator = savedGen }()
	c := &syntax.Comprehension{Lbrack: l.start(e), Rbrack: l.last(e)}
	switch e := e.(type) {
	case *pysyntax.ListComp:
		c.Clauses = l.clauses(e.Generators)
		c.Body = l.expr(e.Elt)
	case *pysyntax.SetComp:
		c.Clauses = l.clauses(e.Generators)
		c.Body = l.expr(e.Elt)
		return l.call("set", c.Lbrack, c.Rbrack, c)
	case *pysyntax.DictComp:
		c.Curly = true
		c.Clauses = l.clauses(e.Generators)
		key := l.expr(e.Key)
		c.Body = &syntax.DictEntry{Key: key, Colon: l.token(e.Key, false), Value: l.expr(e.Value)}
	case *pysyntax.GeneratorExp:
		c.Lbrack = l.at(e.Lineno, e.ColOffset+1)
		c.Clauses = l.clauses(e.Generators)
		c.Body = l.expr(e.Elt)
		return l.call(genExpFunc, c.Lbrack, c.Rbrack, c)
	}
	return c
}

func (l *lowerer) clauses(gens []*pysyntax.Comprehension) []syntax.Node {
	var out []syntax.Node
	for _, g := range gens {
		if g.IsAsync != 0 {
			l.refuse(l.start(g.Target), "async")
		}
		forPos := l.forKeyword(g.Target)
		out = append(out, &syntax.ForClause{For: forPos, Vars: l.target(g.Target), In: l.token(g.Target, false), X: l.iterable(g.Iter)})
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
