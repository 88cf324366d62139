package frontend

import (
	"math/big"
	"strconv"
	"strings"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// Annotations of a class body: as in CPython, a class whose body
// annotates a name (x: int, y: str = 'a') gets __annotations__, a dict
// of the annotations in the order they run. The body binds it first:
//
//	class P:                  def P(__classcell):
//	    x: int = 3                __cls___annotations__ = {}
//	    y: str                    __cls_x = 3
//	                              __cls___annotations__["x"] = int
//	                              __cls___annotations__["y"] = str
//	                              return {"__annotations__": ..., "x": __cls_x}
//
// A class without annotations is lowered as before, and annotations
// elsewhere (functions, the module) are still read and ignored. Under
// from __future__ import annotations, an annotation is its source as a
// string, as CPython's ast.unparse writes it, not evaluated.

// annotationsName is the class attribute holding a class's annotations.
const annotationsName = "__annotations__"

// classAnnotates reports whether a class body annotates a name (x: int),
// also in its if, for, while, with and try blocks.
func classAnnotates(body []pysyntax.Stmt) bool {
	found := false
	walkBody(body, func(n pysyntax.Node) {
		if a, ok := n.(*pysyntax.AnnAssign); ok && a.Simple == 1 {
			found = true
		}
	})
	return found
}

// futureAnnotations reports whether a module starts with from __future__
// import annotations.
func futureAnnotations(mod *pysyntax.Module) bool {
	for _, s := range mod.Body {
		f, ok := s.(*pysyntax.ImportFrom)
		if !ok || f.Module != "__future__" {
			if _, doc := docstring([]pysyntax.Stmt{s}); doc {
				continue
			}
			return false
		}
		for _, n := range f.Names {
			if n.Name == "annotations" {
				return true
			}
		}
	}
	return false
}

// classAnnotation lowers the recording of annotated name target in a
// class body: __annotations__["name"] = annotation.
func (l *lowerer) classAnnotation(target *pysyntax.Name, annotation pysyntax.Expr) syntax.Stmt {
	pos := l.start(annotation)
	var value syntax.Expr
	if l.futureAnnotations {
		value = strLiteral(l.unparse(annotation), pos)
	} else {
		value = l.expr(annotation)
	}
	dict := l.name(annotationsName, pos)
	return &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ,
		LHS: &syntax.IndexExpr{X: dict, Lbrack: pos, Y: strLiteral(target.ID, pos), Rbrack: pos}, RHS: value}
}

// unparse is an annotation's source as CPython's ast.unparse writes it,
// for the expressions annotations are made of (names, dotted names,
// subscripts, constants, tuples, lists, |); others keep their source
// text.
func (l *lowerer) unparse(e pysyntax.Expr) string {
	var b strings.Builder
	if !unparseTo(&b, e) {
		p := e.Span()
		return string(l.src[l.offset(p.Lineno, p.ColOffset):l.offset(p.EndLineno, p.EndColOffset)])
	}
	return b.String()
}

func unparseTo(b *strings.Builder, e pysyntax.Expr) bool {
	switch e := e.(type) {
	case *pysyntax.Name:
		b.WriteString(e.ID)
	case *pysyntax.Attribute:
		if !unparseTo(b, e.Value) {
			return false
		}
		b.WriteString("." + e.Attr)
	case *pysyntax.Subscript:
		if !unparseTo(b, e.Value) {
			return false
		}
		b.WriteByte('[')
		if t, ok := e.Slice.(*pysyntax.Tuple); ok && len(t.Elts) > 0 {
			if !unparseList(b, t.Elts) {
				return false
			}
		} else if !unparseTo(b, e.Slice) {
			return false
		}
		b.WriteByte(']')
	case *pysyntax.Tuple:
		b.WriteByte('(')
		if !unparseList(b, e.Elts) {
			return false
		}
		if len(e.Elts) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *pysyntax.List:
		b.WriteByte('[')
		if !unparseList(b, e.Elts) {
			return false
		}
		b.WriteByte(']')
	case *pysyntax.BinOp:
		if e.Op != pysyntax.BitOr || !unparseTo(b, e.Left) {
			return false
		}
		b.WriteString(" | ")
		return unparseTo(b, e.Right)
	case *pysyntax.Constant:
		switch v := e.Value.(type) {
		case nil:
			b.WriteString("None")
		case bool:
			b.WriteString(map[bool]string{true: "True", false: "False"}[v])
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		case *big.Int:
			b.WriteString(v.String())
		case string:
			b.WriteString(py.QuoteString(v))
		case pysyntax.EllipsisType:
			b.WriteString("...")
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func unparseList(b *strings.Builder, list []pysyntax.Expr) bool {
	for i, x := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		if !unparseTo(b, x) {
			return false
		}
	}
	return true
}
