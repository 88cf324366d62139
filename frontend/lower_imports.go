package frontend

import (
	"strings"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// Imports become calls of the runtime's import helpers:
//
//	import a.b      →  __import__("a.b"); a = __import__("a")
//	import a.b as c →  c = __import__("a.b")
//	from m import x, y as z  →  x, z = __import_from__("m", "x", "y")
//
// from __future__ imports are dropped.

func (l *lowerer) importStmt(s *pysyntax.Import) []syntax.Stmt {
	var out []syntax.Stmt
	for _, n := range s.Names {
		pos := l.start(n)
		module := l.call(importFunc, pos, pos, strLiteral(n.Name, pos))
		switch top, _, dotted := strings.Cut(n.Name, "."); {
		case n.Asname != "":
			out = append(out, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.name(n.Asname, l.asnamePos(n)), RHS: module})
		case dotted:
			out = append(out,
				&syntax.ExprStmt{X: module},
				&syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.name(top, pos), RHS: l.call(importFunc, pos, pos, strLiteral(top, pos))})
		default:
			out = append(out, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.name(n.Name, pos), RHS: module})
		}
	}
	return out
}

// asnamePos is the position of the name after "as".
func (l *lowerer) asnamePos(n *pysyntax.Alias) syntax.Position {
	return l.at(n.EndLineno, n.EndColOffset-len(n.Asname))
}

func (l *lowerer) importFrom(s *pysyntax.ImportFrom) []syntax.Stmt {
	if s.Level > 0 {
		l.fail(l.moduleNamePos(s), "kstar does not support relative imports")
	}
	if s.Module == "__future__" {
		return nil
	}
	modPos := l.moduleNamePos(s)
	if len(s.Names) == 1 && s.Names[0].Name == "*" {
		l.fail(l.start(s.Names[0]), "kstar does not support 'from %s import *': import the names you use, e.g. from %s import NAME", s.Module, s.Module)
	}
	args := []syntax.Expr{strLiteral(s.Module, modPos)}
	var targets []syntax.Expr
	for _, n := range s.Names {
		npos := l.start(n)
		args = append(args, strLiteral(n.Name, npos))
		if n.Asname != "" {
			targets = append(targets, l.name(n.Asname, l.asnamePos(n)))
		} else {
			targets = append(targets, l.name(n.Name, npos))
		}
	}
	var lhs syntax.Expr = targets[0]
	if len(targets) > 1 {
		lhs = &syntax.TupleExpr{List: targets}
	}
	return []syntax.Stmt{&syntax.AssignStmt{OpPos: modPos, Op: syntax.EQ, LHS: lhs, RHS: l.call(importFromFunc, modPos, modPos, args...)}}
}

// moduleNamePos is the position of the module name (or first dot) after
// "from".
func (l *lowerer) moduleNamePos(s *pysyntax.ImportFrom) syntax.Position {
	i := l.offset(s.Lineno, s.ColOffset) + len("from")
	for i < len(l.src) && (l.src[i] == ' ' || l.src[i] == '\t' || l.src[i] == '\\' || l.src[i] == '\n') {
		i++
	}
	return l.posOf(i)
}
