package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// Generators (builtins/py/generator.go runs them). A def whose body
// yields starts with a prologue that makes its calls return a generator:
//
//	def count(n, *rest, step=1):      def count(n, *rest, step=1):
//	    ...                    →          __gen = __generator__(n, step=step, *rest)
//	                                      if __gen:
//	                                          return __gen
//	                                      ...
//
// The generator calls the function again on its own thread, where
// __generator__ returns the body's yielder, a false value, and the body
// runs. `yield v` is __gen(v) (a local's call, cheaper than a predeclared
// function's), `yield from x` is __yield_from__(x), and `return v` ends
// the body as it does any function (v becomes StopIteration.value).

const (
	generatorFunc = py.GeneratorFunc
	yieldFromFunc = py.YieldFromFunc
	// generatorVar is the prologue's local variable: the generator, or in
	// the body's own call, the yielder.
	generatorVar = "__gen"
)

// isGenerator reports whether a def's body yields: a yield outside the
// functions, lambdas and classes it defines.
func isGenerator(s *pysyntax.FunctionDef) bool {
	found := false
	for _, st := range s.Body {
		inspect(st, func(n pysyntax.Node) bool {
			switch n.(type) {
			case *pysyntax.Yield, *pysyntax.YieldFrom:
				found = true
			case *pysyntax.FunctionDef, *pysyntax.Lambda, *pysyntax.ClassDef:
				return false
			}
			return !found
		})
	}
	return found
}

// generatorPrologue is the start of a generator function's body: it
// passes the function's parameters on to __generator__ and returns the
// generator it makes.
func (l *lowerer) generatorPrologue(s *pysyntax.FunctionDef) []syntax.Stmt {
	pos := l.start(s)
	a := s.Args
	var args []syntax.Expr
	for _, p := range a.Args {
		args = append(args, l.ident(p.Arg, pos))
	}
	for _, p := range a.KwOnlyArgs {
		args = append(args, &syntax.BinaryExpr{X: l.ident(p.Arg, pos), OpPos: pos, Op: syntax.EQ, Y: l.ident(p.Arg, pos)})
	}
	if a.Vararg != nil {
		args = append(args, &syntax.UnaryExpr{OpPos: pos, Op: syntax.STAR, X: l.ident(a.Vararg.Arg, pos)})
	}
	if a.Kwarg != nil {
		args = append(args, &syntax.UnaryExpr{OpPos: pos, Op: syntax.STARSTAR, X: l.ident(a.Kwarg.Arg, pos)})
	}
	return []syntax.Stmt{
		&syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.ident(generatorVar, pos), RHS: l.call(generatorFunc, pos, pos, args...)},
		&syntax.IfStmt{If: pos, Cond: l.ident(generatorVar, pos), True: []syntax.Stmt{
			&syntax.ReturnStmt{Return: pos, Result: l.ident(generatorVar, pos)},
		}},
	}
}

// yield lowers yield and yield from, which only a generator function's
// own body may contain.
func (l *lowerer) yield(e pysyntax.Expr) syntax.Expr {
	pos := l.start(e)
	if !l.inGenerator {
		if l.funcDepth == 0 {
			l.fail(pos, "'yield' outside function")
		}
		l.refuse(pos, "yield")
	}
	end := l.last(e)
	switch e := e.(type) {
	case *pysyntax.Yield:
		if e.Value == nil {
			return l.call(generatorVar, pos, end)
		}
		return l.call(generatorVar, pos, end, l.expr(e.Value))
	case *pysyntax.YieldFrom:
		return l.call(yieldFromFunc, pos, end, l.expr(e.Value))
	}
	return nil
}
