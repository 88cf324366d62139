package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// del statements, which Starlark lacks. Each target becomes a call of a
// predeclared helper, left to right:
//
//	del d[k]       →  __delitem__(d, k)
//	del xs[1:3]    →  __delslice__(xs, 1, 3, None)
//	del obj.attr   →  __delattr__(obj, "attr")
//	del x          →  __delcell__(__global_x)   (x lives in a cell, lower_scopes.go;
//	                                             in a class body, __cls_x: lower_class.go)
//	del a, (b, c)  →  one call for each of a, b and c
//
// A name that del unbinds lives in a cell of its function (or of the
// module), so that reading it afterwards is Python's NameError (in a
// function, UnboundLocalError).

// DelSliceFunc is the predeclared function that del x[lo:hi:step] calls:
// __delslice__(x, lo, hi, step), None for a bound left out.
const DelSliceFunc = "__delslice__"

// del appends the lowering of del t to out.
func (l *lowerer) del(out []syntax.Stmt, t pysyntax.Expr) []syntax.Stmt {
	pos := l.start(t)
	switch t := t.(type) {
	case *pysyntax.Attribute:
		return append(out, &syntax.ExprStmt{X: l.call(DelAttrFunc, l.token(t.Value, false), l.last(t), l.expr(t.Value), strLiteral(t.Attr, pos))})
	case *pysyntax.Subscript:
		x := l.expr(t.Value)
		lbrack := l.token(t.Value, false)
		if s, ok := t.Slice.(*pysyntax.Slice); ok {
			bound := func(e pysyntax.Expr) syntax.Expr {
				if e == nil {
					return l.ident("None", lbrack)
				}
				return l.expr(e)
			}
			return append(out, &syntax.ExprStmt{X: l.call(DelSliceFunc, lbrack, l.last(t), x, bound(s.Lower), bound(s.Upper), bound(s.Step))})
		}
		return append(out, &syntax.ExprStmt{X: l.call(DelItemFunc, lbrack, l.last(t), x, l.expr(t.Slice))})
	case *pysyntax.Tuple:
		for _, x := range t.Elts {
			out = l.del(out, x)
		}
		return out
	case *pysyntax.List:
		for _, x := range t.Elts {
			out = l.del(out, x)
		}
		return out
	case *pysyntax.Name:
		cell := l.cellOf(t.ID)
		if cell == "" { // every name del unbinds lives in a cell (cellBound)
			l.fail(pos, "kstar cannot delete %s here", t.ID)
		}
		return append(out, &syntax.ExprStmt{X: l.call(DelCellFunc, pos, l.last(t), l.ident(cell, pos))})
	}
	l.fail(pos, "kstar cannot delete this")
	return nil
}
