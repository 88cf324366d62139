package frontend

import (
	"maps"
	"slices"

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
// In a class body, the name is a cell of the body function (__cls_y,
// lower_class.go). A lambda whose body assigns names gets their cells
// as the parameters of a lambda it calls at once (lambdaScope).

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
	case l.class != nil && l.comprehensions > 0:
		l.fail(l.start(e), "assignment expression within a comprehension cannot be used in a class body")
	}
	cell := l.cellOf(name.ID)
	if cell == "" { // every name := binds lives in a cell (cellBound, lambdaScope)
		l.fail(pos, "kstar cannot assign %s here", name.ID)
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

// lambda lowers a lambda, whose body does not see the names of a class
// body around it. Where names live in cells (l.scopes), its parameters
// hide the cells of the same names around it, and the names its body
// assigns with := are its own, in cells made at each call, the
// parameters of a lambda it calls at once (a parameter's cell starts
// with the argument):
//
//	lambda x: (y := x + 1, y)  →  lambda x: (lambda __nonlocal_y: (__setcell__(__nonlocal_y, x + 1), __nonlocal_y.v))(__cell__("y"))
func (l *lowerer) lambda(e *pysyntax.Lambda) syntax.Expr {
	pos := l.start(e)
	l.registerKwonly("lambda", e.Args)
	params := l.params(e.Args) // its defaults are evaluated around it
	savedGen, savedClass, savedScope, savedVars, savedIter := l.inGenerator, l.class, l.scope, l.comprehensionVars, l.comprehensionIter
	l.inGenerator, l.class = false, nil
	l.funcDepth++
	l.lambdas++
	defer func() {
		l.inGenerator, l.class, l.scope, l.comprehensionVars, l.comprehensionIter = savedGen, savedClass, savedScope, savedVars, savedIter
		l.funcDepth--
		l.lambdas--
	}()
	var s *scope
	if l.scopes != nil {
		s = l.lambdaScope(e)
		l.scope = s
		l.comprehensionIter = 0
		if len(l.comprehensionVars) > 0 { // a comprehension's variable of the same name is not the lambda's
			l.comprehensionVars = maps.Clone(l.comprehensionVars)
			for name := range s.locals {
				delete(l.comprehensionVars, name)
			}
		}
	}
	body := l.expr(e.Body)
	if s == nil || len(s.cellNames) == 0 {
		return &syntax.LambdaExpr{Lambda: pos, Params: params, Body: body}
	}
	inner := &syntax.LambdaExpr{Lambda: pos}
	var cells, start []syntax.Expr
	for _, name := range s.cellNames {
		cell := s.cellPrefix() + name
		inner.Params = append(inner.Params, l.ident(cell, pos))
		cells = append(cells, l.call(CellFunc, pos, pos, strLiteral(name, pos)))
		if p := s.params[name]; p != nil {
			start = append(start, l.call(SetCellFunc, pos, pos, l.ident(cell, pos), l.ident(name, l.start(p))))
		}
	}
	inner.Body = body
	if len(start) > 0 { // (__setcell__(__nonlocal_x, x), body)[1]
		all := &syntax.ParenExpr{Lparen: pos, X: &syntax.TupleExpr{List: append(start, body)}, Rparen: pos}
		inner.Body = &syntax.IndexExpr{X: all, Lbrack: pos, Y: intLiteral(len(start), pos), Rbrack: pos}
	}
	call := &syntax.CallExpr{Fn: &syntax.ParenExpr{Lparen: pos, X: inner, Rparen: pos}, Lparen: pos, Args: cells, Rparen: pos}
	return &syntax.LambdaExpr{Lambda: pos, Params: params, Body: call}
}

// lambdaScope is the scope of lambda e: its parameters, and the names
// its body assigns with :=, which live in cells.
func (l *lowerer) lambdaScope(e *pysyntax.Lambda) *scope {
	s := &scope{parent: l.scope, locals: map[string]bool{}, params: map[string]*pysyntax.Arg{}, cells: map[string]bool{}}
	a := e.Args
	for _, list := range [][]*pysyntax.Arg{a.PosOnlyArgs, a.Args, a.KwOnlyArgs, {a.Vararg, a.Kwarg}} {
		for _, p := range list {
			if p != nil {
				s.locals[p.Arg] = true
				s.params[p.Arg] = p
			}
		}
	}
	for _, name := range walrusTargets(e.Body, true) {
		if !s.cells[name] {
			s.cells[name] = true
			s.locals[name] = true
			s.cellNames = append(s.cellNames, name)
			l.cellNames[name] = true
		}
	}
	slices.Sort(s.cellNames)
	return s
}
