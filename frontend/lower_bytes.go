package frontend

import (
	"fmt"
	"strconv"
	"strings"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// bytesFunc makes the py.Bytes of a literal.
const bytesFunc = py.BytesFunc

// bytesLiterals are the module constants that hold a module's bytes
// literals. Python's bytes are kstar's py.Bytes (an item is an int), not
// Starlark's, which a Starlark literal would make; so each distinct
// b'...' becomes a global __bN = __bytes_lit__("...") assigned once, at the
// start of the module, and the code reads __bN where the literal was: a
// global read, as cheap as the constant it replaces (a call per
// evaluation would cost a builtin call each time).
type bytesLiterals struct {
	names   map[string]string // content → constant name
	assigns []syntax.Stmt     // the __bN = __bytes_lit__("...") statements
}

// IsBytesLiteral reports whether a name is the module constant holding a
// bytes literal: what it adds to a value is a constant, as a literal's.
func IsBytesLiteral(name string) bool {
	digits, ok := strings.CutPrefix(name, "__b")
	if !ok || digits == "" {
		return false
	}
	_, err := strconv.ParseUint(digits, 10, 32)
	return err == nil
}

// bytesLiteral lowers the literal b'...' holding v, at pos.
func (l *lowerer) bytesLiteral(v pysyntax.Bytes, pos syntax.Position) syntax.Expr {
	lits := &l.bytesLits
	name, ok := lits.names[string(v)]
	if !ok {
		if lits.names == nil {
			lits.names = map[string]string{}
		}
		name = fmt.Sprintf("__b%d", len(lits.assigns)+1)
		lits.names[string(v)] = name
		content := &syntax.Literal{Token: syntax.STRING, TokenPos: pos, Raw: strconv.Quote(string(v)), Value: string(v)}
		lits.assigns = append(lits.assigns, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.ident(name, pos),
			RHS: &syntax.CallExpr{Fn: l.ident(bytesFunc, pos), Lparen: pos, Args: []syntax.Expr{content}, Rparen: pos}})
	}
	return l.ident(name, pos)
}
