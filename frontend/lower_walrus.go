package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// Assignment expressions (NAME := value), which Starlark lacks. Where a
// condition of an if, elif or while starts with one (the condition is
// the assignment itself, (NAME := value) OP y, or not (NAME := value)),
// the assignment is hoisted into a statement before the test (for a
// while loop without else), and the name stays a plain variable:
//
//	if (m := f()) > 0: ...      →  m = f(); if m > 0: ...
//	while (line := read()): ... →  while True: line = read(); if not line: break; ...
//
// Anywhere else (a call's argument, inside an expression, a
// comprehension's condition) the name lives in a cell of the function
// or module around (lower_scopes.go; in a comprehension too, as Python
// binds it there), and the expression is a call that assigns the cell
// and returns the value, in Python's order of evaluation:
//
//	print(y := 5)     →  print(__setcell__(__global_y, 5))
//
// In a lambda or a class body (whose names are not cells) it is a
// syntax error that says so.

// walrusTargets are the names that the assignment expressions of node n
// bind, outside the statements nested in n and lambdas; with hoisted
// false, not the one that starts an if or while condition.
func walrusTargets(n pysyntax.Node, hoisted bool) []string {
	var skip pysyntax.Expr // the hoisted assignment's target
	if !hoisted {
		switch s := n.(type) {
		case *pysyntax.If:
			if a, _, ok := hoistWalrus(s.Test); ok {
				skip = a.Targets[0]
			}
		case *pysyntax.While:
			if a, _, ok := hoistWalrus(s.Test); ok && len(s.Orelse) == 0 {
				skip = a.Targets[0]
			}
		}
	}
	var names []string
	var visit func(c pysyntax.Node) bool
	visit = func(c pysyntax.Node) bool {
		switch c := c.(type) {
		case *pysyntax.Lambda: // its defaults are evaluated here, its body is its own
			inspect(c.Args, visit)
			return false
		case pysyntax.Stmt:
			return c == n
		case *pysyntax.NamedExpr:
			if name, ok := c.Target.(*pysyntax.Name); ok && c.Target != skip {
				names = append(names, name.ID)
			}
		}
		return true
	}
	inspect(n, visit)
	return names
}

// namedExpr lowers NAME := value other than at the start of a condition.
func (l *lowerer) namedExpr(e *pysyntax.NamedExpr) syntax.Expr {
	name := e.Target.(*pysyntax.Name)
	pos := l.token(e.Target, false)
	switch { // CPython's errors of its symbol table
	case l.comprehensionVars[name.ID] > 0:
		l.fail(l.start(e), "assignment expression cannot rebind comprehension iteration variable '%s'", name.ID)
	case l.comprehensionIter > 0:
		l.fail(l.start(e), "assignment expression cannot be used in a comprehension iterable expression")
	case l.class != nil && l.comprehensions > 0 && l.lambdas == 0:
		l.fail(l.start(e), "assignment expression within a comprehension cannot be used in a class body")
	}
	cell := ""
	if l.class == nil && l.lambdas == 0 {
		cell = l.cellOf(name.ID)
	}
	if cell == "" {
		l.refuse(pos, "walrus")
	}
	value := l.expr(e.Value)
	return l.call(SetCellFunc, pos, l.last(e), l.ident(cell, l.start(name)), value)
}

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
