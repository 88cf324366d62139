package frontend

import (
	"fmt"

	"go.starlark.net/syntax"
)

// Loops with an else clause, which Starlark lacks: the else block runs
// when the loop ends without a break. A flag remembers the break:
//
//	for x in xs:            __broke1 = False
//	    if p(x):            for x in xs:
//	        break               if p(x):
//	else:                           __broke1 = True
//	    miss()                      break
//	                        if not __broke1:
//	                            miss()
//
// Only the loop's own breaks set it: not those of loops or functions
// nested in its body.

// loopElse returns the statements of loop (a lowered for or while
// statement, whose body is body) with orElse as its else clause.
func (l *lowerer) loopElse(loop syntax.Stmt, body *[]syntax.Stmt, orElse []syntax.Stmt, pos syntax.Position) []syntax.Stmt {
	l.temps++
	flag := fmt.Sprintf("__broke%d", l.temps)
	*body = l.flagBreaks(*body, flag)
	return []syntax.Stmt{
		&syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.ident(flag, pos), RHS: l.ident("False", pos)},
		loop,
		&syntax.IfStmt{If: pos, Cond: &syntax.UnaryExpr{OpPos: pos, Op: syntax.NOT, X: l.ident(flag, pos)}, True: orElse},
	}
}

// flagBreaks returns stmts with each break of the loop they are the body
// of preceded by flag = True.
func (l *lowerer) flagBreaks(stmts []syntax.Stmt, flag string) []syntax.Stmt {
	out := make([]syntax.Stmt, 0, len(stmts))
	for _, s := range stmts {
		switch s := s.(type) {
		case *syntax.BranchStmt:
			if s.Token == syntax.BREAK {
				out = append(out, &syntax.AssignStmt{OpPos: s.TokenPos, Op: syntax.EQ, LHS: l.ident(flag, s.TokenPos), RHS: l.ident("True", s.TokenPos)})
			}
		case *syntax.IfStmt:
			s.True = l.flagBreaks(s.True, flag)
			s.False = l.flagBreaks(s.False, flag)
		}
		out = append(out, s)
	}
	return out
}
