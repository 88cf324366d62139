package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// assertionErrorName is the exception class an assert statement raises.
const assertionErrorName = "AssertionError"

// assert lowers "assert test, msg" to
//
//	if not test:
//	    __raise__(AssertionError(msg))
//
// (AssertionError without arguments when there is no message), so that msg
// is evaluated only when the assertion fails, as in Python.
func (l *lowerer) assert(s *pysyntax.Assert) syntax.Stmt {
	pos := l.start(s)
	exc := l.ident(assertionErrorName, pos)
	var args []syntax.Expr
	if s.Msg != nil {
		args = append(args, l.expr(s.Msg))
	}
	raise := l.call(RaiseFunc, pos, l.last(s), &syntax.CallExpr{Fn: exc, Lparen: pos, Args: args, Rparen: l.last(s)})
	test := l.expr(s.Test)
	return &syntax.IfStmt{If: pos, Cond: &syntax.UnaryExpr{OpPos: pos, Op: syntax.NOT, X: &syntax.ParenExpr{Lparen: pos, X: test, Rparen: syntax.End(test)}}, True: []syntax.Stmt{&syntax.ExprStmt{X: raise}}}
}
