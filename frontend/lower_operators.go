package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// Binary operators and comparisons. Most are Starlark's own; x % y
// becomes __mod__(x, y) (Python's %-formatting) and x ** y __pow__(x, y)
// (Starlark has no **); x is y and x is not y compare with == and !=.

var binaryTokens = map[pysyntax.Operator]syntax.Token{
	pysyntax.Add: syntax.PLUS, pysyntax.Sub: syntax.MINUS, pysyntax.Mult: syntax.STAR,
	pysyntax.Div: syntax.SLASH, pysyntax.FloorDiv: syntax.SLASHSLASH,
	pysyntax.BitAnd: syntax.AMP, pysyntax.BitOr: syntax.PIPE, pysyntax.BitXor: syntax.CIRCUMFLEX,
	pysyntax.LShift: syntax.LTLT, pysyntax.RShift: syntax.GTGT,
}

func (l *lowerer) binOp(e *pysyntax.BinOp) syntax.Expr {
	x := l.expr(e.Left)
	opPos := l.token(e.Left, false)
	y := l.expr(e.Right)
	switch e.Op {
	case pysyntax.Mod:
		return l.call(modFunc, opPos, syntax.End(y), x, y)
	case pysyntax.Pow:
		return l.call(powFunc, opPos, syntax.End(y), x, y)
	case pysyntax.MatMult:
		l.refuse(opPos, "matmul")
	}
	return &syntax.BinaryExpr{X: x, OpPos: opPos, Op: binaryTokens[e.Op], Y: y}
}

var compareTokens = map[pysyntax.CmpOperator]syntax.Token{
	pysyntax.Eq: syntax.EQL, pysyntax.NotEq: syntax.NEQ, pysyntax.Lt: syntax.LT, pysyntax.LtE: syntax.LE,
	pysyntax.Gt: syntax.GT, pysyntax.GtE: syntax.GE, pysyntax.Is: syntax.EQL, pysyntax.IsNot: syntax.NEQ,
	pysyntax.In: syntax.IN, pysyntax.NotIn: syntax.NOT_IN,
}

// compare lowers a comparison; a chain a < b < c evaluates b once, as
// "a < b and b < c" when b is a name or a literal and otherwise as
// (lambda __l, __r: __l < __r and __r < c)(a, b).
func (l *lowerer) compare(e *pysyntax.Compare) syntax.Expr {
	return l.chain(l.expr(e.Left), e.Left, e.Ops, e.Comparators)
}

func (l *lowerer) chain(x syntax.Expr, left pysyntax.Expr, ops []pysyntax.CmpOperator, rest []pysyntax.Expr) syntax.Expr {
	opPos := l.token(left, false)
	if ops[0] == pysyntax.NotIn { // Starlark's position of "not in" is the "in"'s
		p := left.Span()
		i := l.blankAfter(l.offset(p.EndLineno, p.EndColOffset))
		for i < len(l.src) && l.src[i] == ')' {
			i = l.blankAfter(i + 1)
		}
		opPos = l.posOf(l.blankAfter(i + len("not")))
	}
	next := rest[0]
	if len(ops) == 1 {
		return l.comparison(x, left, opPos, ops[0], l.expr(next), next)
	}
	switch next.(type) {
	case *pysyntax.Name, *pysyntax.Constant:
		first := l.comparison(x, left, opPos, ops[0], l.expr(next), next)
		return &syntax.BinaryExpr{X: first, OpPos: opPos, Op: syntax.AND, Y: l.chain(l.expr(next), next, ops[1:], rest[1:])}
	}
	pos := l.start(next)
	lp, rp := l.ident("__l", pos), l.ident("__r", pos)
	first := l.comparison(l.ident("__l", pos), left, opPos, ops[0], l.ident("__r", pos), next)
	body := &syntax.BinaryExpr{X: first, OpPos: opPos, Op: syntax.AND, Y: l.chain(l.ident("__r", pos), next, ops[1:], rest[1:])}
	fn := &syntax.ParenExpr{Lparen: pos, X: &syntax.LambdaExpr{Lambda: pos, Params: []syntax.Expr{lp, rp}, Body: body}, Rparen: pos}
	return &syntax.CallExpr{Fn: fn, Lparen: pos, Args: []syntax.Expr{x, l.expr(next)}, Rparen: pos}
}

// comparison is x OP y; "is" and "is not" compare with == and != when
// one side is None, True or False (the same thing there, and no call on
// the common "x is not None"), and call __is__ otherwise.
func (l *lowerer) comparison(x syntax.Expr, xNode pysyntax.Expr, opPos syntax.Position, op pysyntax.CmpOperator, y syntax.Expr, yNode pysyntax.Expr) syntax.Expr {
	if (op == pysyntax.Is || op == pysyntax.IsNot) && !isSingleton(xNode) && !isSingleton(yNode) {
		var out syntax.Expr = l.call(IsFunc, opPos, syntax.End(y), x, y)
		if op == pysyntax.IsNot {
			out = &syntax.UnaryExpr{OpPos: opPos, Op: syntax.NOT, X: out}
		}
		return out
	}
	if (op == pysyntax.Eq || op == pysyntax.NotEq) && (isTupleDisplay(xNode) || isTupleDisplay(yNode)) {
		var out syntax.Expr = l.call(TupleEqFunc, opPos, syntax.End(y), x, y)
		if op == pysyntax.NotEq {
			out = &syntax.UnaryExpr{OpPos: opPos, Op: syntax.NOT, X: out}
		}
		return out
	}
	if (op == pysyntax.Eq || op == pysyntax.NotEq) && (isSetDisplay(xNode) || isSetDisplay(yNode)) {
		var out syntax.Expr = l.call(setEqFunc, opPos, syntax.End(y), x, y)
		if op == pysyntax.NotEq {
			out = &syntax.UnaryExpr{OpPos: opPos, Op: syntax.NOT, X: out}
		}
		return out
	}
	return &syntax.BinaryExpr{X: x, OpPos: opPos, Op: compareTokens[op], Y: y}
}

// isSetDisplay reports whether e is a set written out, {a, b} or a set
// comprehension: the comparisons that may meet a dict view or a
// frozenset on the other side.
func isSetDisplay(e pysyntax.Expr) bool {
	switch e.(type) {
	case *pysyntax.Set, *pysyntax.SetComp:
		return true
	}
	return false
}

// isTupleDisplay reports whether e is a tuple written out, (a, b): the
// comparisons that may meet a namedtuple on the other side.
func isTupleDisplay(e pysyntax.Expr) bool {
	_, ok := e.(*pysyntax.Tuple)
	return ok
}

// isSingleton reports whether e is the literal None, True or False.
func isSingleton(e pysyntax.Expr) bool {
	c, ok := e.(*pysyntax.Constant)
	if !ok {
		return false
	}
	switch c.Value.(type) {
	case nil, bool:
		return true
	}
	return false
}
