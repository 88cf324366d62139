package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// The ** operator, which Starlark's grammar lacks. The scanner writes "//"
// in its place (as many characters, so positions stay right) and records
// where; Starlark then parses it as a floor division, at the precedence of
// * / // %, left-associative. Here each chain of those operators is taken
// apart and rebuilt with Python's rules for **: it binds tighter than the
// others and than a unary operator on its left (-x ** 2 is -(x ** 2)), and
// it groups to the right (a ** b ** c is a ** (b ** c)). x ** y becomes
// __pow__(x, y), Python's pow(); x **= y becomes x = __pow__(x, y).

// isMultiplicative reports whether op has the precedence of *.
func isMultiplicative(op syntax.Token) bool {
	return op == syntax.STAR || op == syntax.SLASH || op == syntax.SLASHSLASH || op == syntax.PERCENT
}

// isPow reports whether e is a ** the scanner turned into //.
func (fe *frontend) isPow(e *syntax.BinaryExpr) bool {
	return e.Op == syntax.SLASHSLASH && fe.pows[keyOf(e.OpPos)]
}

// powChain rebuilds the chain of multiplicative operators topped by e if
// it holds a **, and reports whether it did.
func (fe *frontend) powChain(e *syntax.BinaryExpr) (syntax.Expr, bool) {
	var operands []syntax.Expr
	var ops []*syntax.BinaryExpr
	hasPow := false
	var flatten func(x syntax.Expr)
	flatten = func(x syntax.Expr) {
		b, ok := x.(*syntax.BinaryExpr)
		if !ok || !isMultiplicative(b.Op) {
			operands = append(operands, x)
			return
		}
		flatten(b.X)
		ops = append(ops, b)
		operands = append(operands, b.Y)
		hasPow = hasPow || fe.isPow(b)
	}
	flatten(e)
	if !hasPow {
		return e, false
	}
	// ** first, from the right.
	for i := len(ops) - 1; i >= 0; i-- {
		if !fe.isPow(ops[i]) {
			continue
		}
		operands[i] = fe.pow(operands[i], operands[i+1], ops[i].OpPos)
		operands = append(operands[:i+1], operands[i+2:]...)
		ops = append(ops[:i], ops[i+1:]...)
	}
	// Then the rest, from the left.
	result := operands[0]
	for i, op := range ops {
		op.X, op.Y = result, operands[i+1]
		result = op
	}
	return result, true
}

// pow is base ** exp; a unary operator on base applies to the power.
func (fe *frontend) pow(base, exp syntax.Expr, opPos syntax.Position) syntax.Expr {
	if u, ok := base.(*syntax.UnaryExpr); ok && (u.Op == syntax.MINUS || u.Op == syntax.PLUS || u.Op == syntax.TILDE) {
		u.X = fe.pow(u.X, exp, opPos)
		return u
	}
	return fe.call(py.PowFunc, opPos, syntax.End(exp), base, exp)
}
