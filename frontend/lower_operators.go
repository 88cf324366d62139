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

func (l *lowerer) compare(e *pysyntax.Compare) syntax.Expr {
	if len(e.Ops) > 1 {
		l.refuse(l.token(e.Comparators[0], false), "chain")
	}
	x := l.expr(e.Left)
	opPos := l.token(e.Left, false)
	return &syntax.BinaryExpr{X: x, OpPos: opPos, Op: compareTokens[e.Ops[0]], Y: l.expr(e.Comparators[0])}
}
