package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// Assignment expressions (NAME := value), which Starlark lacks, where a
// condition of an if, elif or while starts with one: the condition is
// the assignment itself, (NAME := value) OP y, or not (NAME := value).
// The assignment is hoisted into a statement before the test:
//
//	if (m := f()) > 0: ...      →  m = f(); if m > 0: ...
//	while (line := read()): ... →  while True: line = read(); if not line: break; ...
//
// Elsewhere an assignment expression is a syntax error that says so.

// hoistWalrus splits cond into the assignment it starts with and the
// condition reading the assigned name; ok is false when it has none there.
func hoistWalrus(cond pysyntax.Expr) (assign *pysyntax.Assign, rest pysyntax.Expr, ok bool) {
	split := func(n *pysyntax.NamedExpr) (*pysyntax.Assign, pysyntax.Expr) {
		name := n.Target.(*pysyntax.Name)
		read := &pysyntax.Name{Pos: name.Pos, ID: name.ID, Ctx: pysyntax.Load}
		return &pysyntax.Assign{Pos: n.Pos, Targets: []pysyntax.Expr{n.Target}, Value: n.Value}, read
	}
	switch c := cond.(type) {
	case *pysyntax.NamedExpr:
		a, read := split(c)
		return a, read, true
	case *pysyntax.Compare:
		if n, ok := c.Left.(*pysyntax.NamedExpr); ok {
			a, read := split(n)
			cmp := *c
			cmp.Left = read
			return a, &cmp, true
		}
	case *pysyntax.UnaryOp:
		if n, ok := c.Operand.(*pysyntax.NamedExpr); ok && c.Op == pysyntax.Not {
			a, read := split(n)
			not := *c
			not.Operand = read
			return a, &not, true
		}
	}
	return nil, cond, false
}

// whileWalrus lowers a while loop whose condition assigns.
func (l *lowerer) whileWalrus(s *pysyntax.While, assign *pysyntax.Assign, cond pysyntax.Expr) syntax.Stmt {
	pos := l.start(s)
	body := l.assign(nil, assign)
	test := l.expr(cond)
	stop := &syntax.IfStmt{If: l.start(cond), Cond: &syntax.UnaryExpr{OpPos: l.start(cond), Op: syntax.NOT, X: &syntax.ParenExpr{Lparen: l.start(cond), X: test, Rparen: syntax.End(test)}},
		True: []syntax.Stmt{&syntax.BranchStmt{Token: syntax.BREAK, TokenPos: l.start(cond)}}}
	body = append(body, stop)
	body = append(body, l.loop(s.Body)...)
	return &syntax.WhileStmt{While: pos, Cond: l.ident("True", pos), Body: body}
}
