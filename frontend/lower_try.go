package frontend

import (
	"fmt"
	"regexp"
	"strconv"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// try / except / else / finally and raise, which Starlark lacks.
//
// Starlark cannot catch an error, but a builtin can: each block of a try
// statement becomes a nested function, and the runner that the
// runtime's __try__ makes of them calls them as Python runs the blocks:
//
//	try:                          def __try1():
//	    x = f()                       x.v = f()           (x lives in a cell)
//	except ValueError as e:   →   def __except1(__e1):
//	    return 0                      if __caught__(__e1, ValueError, e):   (binds e)
//	finally:                              return (0,)
//	    done()                            __unbind__(e)       (e is unbound after the clause;
//	                                                           a jump returns __unbind__(e, jump),
//	                                                           an exception leaving it the runtime)
//	                                  else:
//	                                      return __e1     (not handled)
//	                              def __finally1():
//	                                  done()
//	                              __run1 = __try__(__try1, __except1, 0, __finally1)
//	                              ...
//	                              __c1 = __run1()
//	                              if __c1:
//	                                  return __c1[0]
//
// A block's statements run as they are, unguarded. The names the blocks
// bind live in cells (lower_scopes.go), so the nested functions rebind
// the variables of the function or module that holds the try. The
// functions and the runner are made once, at the start of that function
// (or module), so a try costs a call of the runner and of its body. A block
// ends by falling off its end (None), or with a jump that the code after
// the __try__ call carries out: return v is "return (v,)", break and
// continue (of a loop around the try) are "return 1" and "return 2".
// __try__ returns the jump that wins as Python decides it (a finally's
// jump overrides the others and a pending exception), or raises the
// exception left.
//
// Tracebacks show a block's frames under the name of the function that
// holds the try and hide the frame of the try statement itself
// (py.PythonFrames).

// The names that lowered try and raise statements use: the interface
// between this rewrite and the helpers the runtime predeclares.
const (
	// TryFunc is the predeclared function that makes the runner of a try
	// statement, __try__(body, handlers, orelse, finally), each a function
	// or 0 for a block the statement lacks: calling the runner runs the
	// statement. The runner is named TryFunc too.
	// handlers(exc) returns exc when no clause matches it.
	TryFunc = py.TryFunc
	// CaughtFunc is __caught__(exc, classes): whether an except clause
	// naming classes (None for a bare except) matches exc;
	// __caught__(exc, classes, cell), for "except E as name:", binds
	// name's cell to exc when it does, and the runtime unbinds it when
	// an exception leaves the clause.
	CaughtFunc = "__caught__"
	// RaiseFunc is the predeclared function a raise statement calls:
	// __raise__() re-raises the exception being handled,
	// __raise__(exc) raises exc, __raise__(exc, cause) is raise exc from
	// cause.
	RaiseFunc = "__raise__"
)

// The jumps out of a try block, as a block function returns them; a
// return is the 1-tuple of its value (jumpReturn only names it).
const (
	jumpReturn   = 0
	jumpBreak    = 1
	jumpContinue = 2
)

// generatedName matches the names of the variables and functions the
// lowering makes at module level.
var generatedName = regexp.MustCompile(`^__(try|except|else|finally|run|b|c|v)\d+$`)

// IsGenerated reports whether a global named name is one the lowering
// made (a try's block functions, temporaries), not one of the script's.
func IsGenerated(name string) bool { return generatedName.MatchString(name) }

// blockContext is what the lowering knows of the code it is in about
// jumps: whether it is a try block's function, and how many loops of
// that function (or of the real one) enclose it.
type blockContext struct {
	tryBlock bool // a try block's function: return, break, continue become jumps
	loops    int  // loops around the statement inside the current function
	jumps    map[int]bool
	// defs are the block functions of the tries of the current function
	// (or module), which are defined once at its start (hoist), not at
	// each execution of the try.
	defs *[]syntax.Stmt
	// unbind is the cell of the name of the except clause being lowered
	// ("except E as name"), which a jump out of the clause unbinds.
	unbind string
}

// hoist lowers a function's (or the module's) body with lower, and puts
// the block functions of its tries first.
func (l *lowerer) hoist(lower func() []syntax.Stmt) []syntax.Stmt {
	saved := l.block
	var defs []syntax.Stmt
	l.block = blockContext{defs: &defs}
	body := lower()
	l.block = saved
	return append(defs, body...)
}

// try lowers a try statement: its block functions and runner go to the
// start of the function that holds it, and the statement becomes a call
// of the runner, then the jump it returns. The with statement's lowering
// calls it with the try it makes.
func (l *lowerer) try(s *pysyntax.Try) []syntax.Stmt {
	pos := l.start(s)
	if s.Star {
		l.refuse(pos, "except*")
	}
	l.tries++
	n := l.tries
	id := func(name string) *syntax.Ident { return l.ident(name, pos) }
	none := func() syntax.Expr { return intLiteral(0, pos) } // a block the try lacks

	outer := l.block
	used := map[int]bool{} // the jumps the blocks make
	block := func(name string, params []syntax.Expr, stmts func() []syntax.Stmt) *syntax.DefStmt {
		var defs []syntax.Stmt
		l.block = blockContext{tryBlock: true, jumps: used, defs: &defs}
		body := stmts()
		l.block = outer
		if len(body) == 0 {
			body = []syntax.Stmt{&syntax.BranchStmt{Token: syntax.PASS, TokenPos: pos}}
		}
		return &syntax.DefStmt{Def: pos, Name: id(name), Lparen: pos, Params: params, Rparen: pos, Body: append(defs, body...)}
	}
	args := []syntax.Expr{none(), none(), none(), none()}
	add := func(i int, def *syntax.DefStmt) {
		*outer.defs = append(*outer.defs, def)
		args[i] = id(def.Name.Name)
	}
	add(0, block(fmt.Sprintf("__try%d", n), nil, func() []syntax.Stmt { return l.stmts(s.Body) }))
	if len(s.Handlers) > 0 {
		exc := fmt.Sprintf("__e%d", n)
		add(1, block(fmt.Sprintf("__except%d", n), []syntax.Expr{id(exc)}, func() []syntax.Stmt {
			return l.handlers(s.Handlers, exc)
		}))
	}
	if len(s.Orelse) > 0 {
		add(2, block(fmt.Sprintf("__else%d", n), nil, func() []syntax.Stmt { return l.stmts(s.Orelse) }))
	}
	if len(s.Finalbody) > 0 {
		add(3, block(fmt.Sprintf("__finally%d", n), nil, func() []syntax.Stmt { return l.stmts(s.Finalbody) }))
	}
	runner := id(fmt.Sprintf("__run%d", n))
	*outer.defs = append(*outer.defs, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: runner, RHS: l.call(TryFunc, pos, pos, args...)})
	run := &syntax.CallExpr{Fn: id(runner.Name), Lparen: pos, Rparen: pos}
	if len(used) == 0 {
		return []syntax.Stmt{&syntax.ExprStmt{X: run}}
	}
	code := id(fmt.Sprintf("__c%d", n))
	assign := &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: code, RHS: run}
	var then []syntax.Stmt
	for _, j := range []int{jumpBreak, jumpContinue} {
		if used[j] {
			tok := map[int]syntax.Token{jumpBreak: syntax.BREAK, jumpContinue: syntax.CONTINUE}[j]
			is := &syntax.BinaryExpr{X: id(code.Name), OpPos: pos, Op: syntax.EQL, Y: intLiteral(j, pos)}
			then = append(then, &syntax.IfStmt{If: pos, Cond: is, True: []syntax.Stmt{l.branch(tok, pos)}})
		}
	}
	if used[jumpReturn] {
		value := &syntax.IndexExpr{X: id(code.Name), Lbrack: pos, Y: intLiteral(0, pos), Rbrack: pos}
		then = append(then, l.ret(pos, value))
	}
	return []syntax.Stmt{assign, &syntax.IfStmt{If: pos, Cond: id(code.Name), True: then}}
}

// handlers is the body of a try's handler function: an if/elif chain of
// its except clauses on exc, then a bare except's body or "return exc"
// (not handled).
func (l *lowerer) handlers(hs []*pysyntax.ExceptHandler, exc string) []syntax.Stmt {
	var chain []*syntax.IfStmt
	var bare []syntax.Stmt // the body of a bare except, which comes last
	for _, h := range hs {
		pos := l.start(h)
		var body []syntax.Stmt
		// As Python, which deletes the name when the clause ends, so that
		// the traceback it holds dies with it: at the end of the clause,
		// in the jumps out of it (branch, ret), and when an exception
		// leaves it (the runtime, told the cell by __caught__, which
		// binds it).
		cell := ""
		if h.Name != "" {
			cell = l.cellOf(h.Name)
		}
		if h.Name != "" && cell == "" {
			namePos := l.handlerNamePos(h)
			body = append(body, &syntax.AssignStmt{OpPos: namePos, Op: syntax.EQ, LHS: l.name(h.Name, namePos), RHS: l.ident(exc, pos)})
		}
		l.block.unbind = cell
		body = append(body, l.stmts(h.Body)...)
		l.block.unbind = ""
		if cell != "" {
			body = append(body, &syntax.ExprStmt{X: l.call(UnbindFunc, pos, pos, l.ident(cell, pos))})
		}
		if h.Type == nil {
			bare = body
			if len(bare) == 0 {
				bare = []syntax.Stmt{&syntax.BranchStmt{Token: syntax.PASS, TokenPos: pos}}
			}
			break
		}
		caught := l.call(CaughtFunc, pos, pos, l.ident(exc, pos), l.expr(h.Type))
		if cell != "" {
			caught.Args = append(caught.Args, l.ident(cell, l.handlerNamePos(h)))
		}
		chain = append(chain, &syntax.IfStmt{If: pos, Cond: caught, True: body})
	}
	if len(chain) == 0 {
		return bare
	}
	last := chain[len(chain)-1]
	last.ElsePos = last.If
	last.False = bare
	if bare == nil {
		last.False = []syntax.Stmt{&syntax.ReturnStmt{Return: last.If, Result: l.ident(exc, last.If)}}
	}
	for i := len(chain) - 1; i > 0; i-- {
		chain[i-1].ElsePos = chain[i].If
		chain[i-1].False = []syntax.Stmt{chain[i]}
	}
	return []syntax.Stmt{chain[0]}
}

// branch lowers break or continue: a jump out of the try block's
// function when no loop of that function encloses it.
func (l *lowerer) branch(tok syntax.Token, pos syntax.Position) syntax.Stmt {
	if !l.block.tryBlock || l.block.loops > 0 {
		return &syntax.BranchStmt{Token: tok, TokenPos: pos}
	}
	j := jumpBreak
	if tok == syntax.CONTINUE {
		j = jumpContinue
	}
	l.block.jumps[j] = true
	return &syntax.ReturnStmt{Return: pos, Result: l.unbindThen(intLiteral(j, pos))}
}

// unbindThen is jump, the value a try block's function returns, in an
// except clause that binds a name: __unbind__(cell, jump), which unbinds
// the name and returns jump.
func (l *lowerer) unbindThen(jump syntax.Expr) syntax.Expr {
	if l.block.unbind == "" {
		return jump
	}
	start, end := jump.Span()
	return l.call(UnbindFunc, start, end, l.ident(l.block.unbind, start), jump)
}

// ret lowers return (value may be nil): in a try block's function, a
// jump holding the value.
func (l *lowerer) ret(pos syntax.Position, value syntax.Expr) syntax.Stmt {
	if !l.block.tryBlock {
		return &syntax.ReturnStmt{Return: pos, Result: value}
	}
	if value == nil {
		value = l.ident("None", pos)
	}
	l.block.jumps[jumpReturn] = true
	start, end := value.Span()
	return &syntax.ReturnStmt{Return: pos, Result: l.unbindThen(&syntax.TupleExpr{Lparen: start, List: []syntax.Expr{value}, Rparen: end})}
}

// loop lowers the body of a loop: break and continue in it are its own.
func (l *lowerer) loop(body []pysyntax.Stmt) []syntax.Stmt {
	l.block.loops++
	defer func() { l.block.loops-- }()
	return l.stmts(body)
}

func intLiteral(n int, pos syntax.Position) *syntax.Literal {
	return &syntax.Literal{Token: syntax.INT, TokenPos: pos, Raw: strconv.Itoa(n), Value: int64(n)}
}

// handlerNamePos is the position of NAME in "except E as NAME:".
func (l *lowerer) handlerNamePos(h *pysyntax.ExceptHandler) syntax.Position {
	p := h.Type.Span()
	i := l.offset(p.EndLineno, p.EndColOffset)
	for i < len(l.src) && l.src[i] != ':' {
		if l.src[i] == h.Name[0] && i+len(h.Name) <= len(l.src) && string(l.src[i:i+len(h.Name)]) == h.Name && l.src[i-1] != 'a' {
			return l.posOf(i)
		}
		i++
	}
	return l.start(h)
}

// raise lowers raise, raise X and raise X from Y into __raise__ calls;
// raise X from None passes None as the cause, which a plain raise X
// does not pass.
func (l *lowerer) raise(s *pysyntax.Raise) syntax.Stmt {
	pos := l.start(s)
	c := l.call(RaiseFunc, pos, l.last(s))
	if s.Exc != nil {
		c.Args = append(c.Args, l.expr(s.Exc))
	}
	if s.Cause != nil {
		c.Args = append(c.Args, l.expr(s.Cause))
	}
	return &syntax.ExprStmt{X: c}
}

// boundInTries adds to names the names that the try statements of body
// bind in its scope (not in nested functions): they live in cells, since
// the try's blocks are nested functions. The blocks of a with statement
// count too, as it is lowered through a try.
func (l *lowerer) boundInTries(body []pysyntax.Stmt, names map[string]bool) {
	walkBody(body, func(n pysyntax.Node) {
		var blocks [][]pysyntax.Stmt
		switch n := n.(type) {
		case *pysyntax.Try:
			blocks = append(blocks, n.Body, n.Orelse, n.Finalbody)
			for _, h := range n.Handlers {
				if h.Name != "" {
					names[h.Name] = true
				}
				blocks = append(blocks, h.Body)
			}
		case *pysyntax.With:
			blocks = append(blocks, n.Body)
			for _, item := range n.Items {
				if item.OptionalVars != nil {
					l.bindTarget(item.OptionalVars, names)
				}
			}
		}
		for _, b := range blocks {
			walkBody(b, func(n pysyntax.Node) {
				if f, ok := n.(*pysyntax.FunctionDef); ok {
					names[f.Name] = true
				}
				for _, name := range l.boundNames(n) {
					if !l.matchTemps[name] { // a lowered match's temporaries stay in its block
						names[name] = true
					}
				}
			})
		}
	})
}

// bindTarget adds the names an assignment target binds to names.
func (l *lowerer) bindTarget(t pysyntax.Expr, names map[string]bool) {
	for _, name := range l.boundNames(&pysyntax.Assign{Targets: []pysyntax.Expr{t}}) {
		names[name] = true
	}
}
