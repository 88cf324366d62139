package frontend

import (
	"fmt"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// with statements become the try statement of Python's own expansion
// (the language reference, "The with statement"), built in the Python
// tree and lowered as any try (lower_try.go):
//
//	with EXPR as TARGET:        __v1 = __with__(EXPR)
//	    BODY                    try:
//	                     →          TARGET = __v1.value
//	                                BODY
//	                            except __BaseException__ as __v2:
//	                                if not __with_exit__(__v1, __v2):
//	                                    raise
//	                            finally:
//	                                __with_exit__(__v1)
//
// __with__ looks up the manager's __enter__ and __exit__, calls
// __enter__ and returns the with's state; __with_exit__(state, exc) calls
// __exit__(type(exc), exc, traceback) and tells whether it suppresses the
// exception; __with_exit__(state) calls __exit__(None, None, None) unless
// the handler has called __exit__ already, so that leaving BODY by its
// end, return, break or continue exits the manager once. A BODY that
// return, break and continue cannot leave (the common case) needs no
// finally: __with_exit__(__v1) follows the try statement, which is as
// correct and cheaper. Several items nest: "with A as a, B as b:" is
// "with A as a:" around "with B as b:".

// The predeclared helpers of lowered with statements, which the runtime
// provides.
const (
	// WithFunc: __with__(manager) enters the manager and returns the
	// with's state, whose attribute WithValue is what __enter__ returned.
	WithFunc = "__with__"
	// WithExitFunc: __with_exit__(state, exc) exits with an exception and
	// returns whether __exit__ suppresses it; __with_exit__(state) exits
	// without one, once.
	WithExitFunc = "__with_exit__"
	// WithCatches is BaseException, which the handler of a lowered with
	// statement catches, under a name scripts do not rebind.
	WithCatches = "__BaseException__"
	// WithValue is the attribute of a with's state that holds what
	// __enter__ returned.
	WithValue = "value"
)

// with lowers a with statement.
func (l *lowerer) with(s *pysyntax.With) []syntax.Stmt {
	return l.stmts(l.withItems(s, s.Items))
}

// withItems is the Python expansion of a with statement over items (the
// first one entered first, around the rest).
func (l *lowerer) withItems(s *pysyntax.With, items []*pysyntax.WithItem) []pysyntax.Stmt {
	item := items[0]
	at := zeroWidth(s.Span())
	state, exc := l.withTemp(), l.withTemp()
	name := func(id string, p pysyntax.Pos) *pysyntax.Name { return &pysyntax.Name{Pos: p, ID: id} }
	call := func(fn string, p pysyntax.Pos, args ...pysyntax.Expr) *pysyntax.Call {
		return &pysyntax.Call{Pos: p, Func: name(fn, p), Args: args}
	}
	// As in CPython, an error entering the manager is reported at the
	// with statement; one evaluating the item, where it is.
	enter := &pysyntax.Assign{Pos: at, Targets: []pysyntax.Expr{name(state, at)}, Value: call(WithFunc, at, item.ContextExpr)}
	var body []pysyntax.Stmt
	if item.OptionalVars != nil {
		t := zeroWidth(item.OptionalVars.Span())
		// The attribute's name is placed where the target starts.
		value := &pysyntax.Attribute{Pos: pysyntax.Pos{Lineno: t.Lineno, ColOffset: t.ColOffset, EndLineno: t.Lineno, EndColOffset: t.ColOffset + len(WithValue)},
			Value: name(state, t), Attr: WithValue}
		body = append(body, &pysyntax.Assign{Pos: t, Targets: []pysyntax.Expr{item.OptionalVars}, Value: value})
	}
	if len(items) > 1 {
		body = append(body, l.withItems(s, items[1:])...)
	} else {
		body = append(body, s.Body...)
	}
	handler := &pysyntax.ExceptHandler{Pos: at, Type: name(WithCatches, at), Name: exc, Body: []pysyntax.Stmt{
		&pysyntax.If{Pos: at, Test: &pysyntax.UnaryOp{Pos: at, Op: pysyntax.Not, Operand: call(WithExitFunc, at, name(state, at), name(exc, at))},
			Body: []pysyntax.Stmt{&pysyntax.Raise{Pos: at}}},
	}}
	try := &pysyntax.Try{Pos: at, Body: body, Handlers: []*pysyntax.ExceptHandler{handler}}
	exit := &pysyntax.ExprStmt{Pos: at, Value: call(WithExitFunc, at, name(state, at))}
	if jumpsOut(s.Body, false) {
		try.Finalbody = []pysyntax.Stmt{exit}
		return []pysyntax.Stmt{enter, try}
	}
	return []pysyntax.Stmt{enter, try, exit}
}

// jumpsOut reports whether return, or break or continue outside a loop of
// body's own (inLoop: body is a loop's), can leave body.
func jumpsOut(body []pysyntax.Stmt, inLoop bool) bool {
	for _, s := range body {
		switch s := s.(type) {
		case *pysyntax.Return:
			return true
		case *pysyntax.Break, *pysyntax.Continue:
			if !inLoop {
				return true
			}
		case *pysyntax.If:
			if jumpsOut(s.Body, inLoop) || jumpsOut(s.Orelse, inLoop) {
				return true
			}
		case *pysyntax.For:
			if jumpsOut(s.Body, true) || jumpsOut(s.Orelse, inLoop) {
				return true
			}
		case *pysyntax.While:
			if jumpsOut(s.Body, true) || jumpsOut(s.Orelse, inLoop) {
				return true
			}
		case *pysyntax.With:
			if jumpsOut(s.Body, inLoop) {
				return true
			}
		case *pysyntax.Try:
			if jumpsOut(s.Body, inLoop) || jumpsOut(s.Orelse, inLoop) || jumpsOut(s.Finalbody, inLoop) {
				return true
			}
			for _, h := range s.Handlers {
				if jumpsOut(h.Body, inLoop) {
					return true
				}
			}
		}
	}
	return false
}

// withTemp names a variable of a lowered with statement.
func (l *lowerer) withTemp() string {
	l.temps++
	return fmt.Sprintf("__v%d", l.temps)
}

// zeroWidth is the empty span where p starts: the position of the nodes
// a lowering makes up, which the source does not have.
func zeroWidth(p *pysyntax.Pos) pysyntax.Pos {
	return pysyntax.Pos{Lineno: p.Lineno, ColOffset: p.ColOffset, EndLineno: p.Lineno, EndColOffset: p.ColOffset}
}
