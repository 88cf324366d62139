package frontend

import (
	"fmt"

	"go.starlark.net/syntax"
)

// try / except / else / finally and raise, which Starlark lacks.
//
// Starlark has no way to catch an error, and a nested function cannot
// rebind its caller's variables, so a try statement cannot become a
// function call. Instead its body runs inline, one statement at a time,
// each guarded: "x = f()" becomes
//
//	if __try1.ok:
//	    __v1 = __try1.run(lambda: f())
//	    if __try1.ok:
//	        x = __v1
//
// The first error is kept in the try's state (a tryState), later
// statements are skipped, loops stop, and then the handlers are an if/elif
// chain on __try1.caught(E). The finally block follows, and __try1.end()
// raises whatever is still pending (the original error, so its traceback
// is the original one).
//
// The scanner makes the statement parseable Starlark first: try: becomes
// "if __try__:", except E as e: becomes "elif __except__(E , e):", else and
// finally become "elif __else__:" and "elif __finally__:", and raise X
// becomes "__raise__(X)". lowerTries then rewrites that if/elif chain.
//
// What Python does that this does not: KeyboardInterrupt (Ctrl-C, or the
// host's cancellation) and SystemExit are never caught, and finally does
// not run for them; return, break and continue are not allowed in a try
// that has a finally; x += y in a try body rebinds x (x = x + y) instead
// of extending a list in place.

// tryClause is a try statement the scanner is inside of.
type tryClause struct {
	col       int32
	sawExcept bool
}

// tryEdits rewrites the clause keyword toks[k] (try, except, else,
// finally, raise) at the start of a statement; stack holds the try
// statements around it. It returns ok=false for an "else" that belongs to
// something else.
func (fe *frontend) tryEdits(toks []token, k int, stack *[]tryClause) (edits []edit, ok bool, err error) {
	t := toks[k]
	insert := func(at int, line, col int32, text string) {
		edits = append(edits, edit{at, at, text})
		fe.inserts = append(fe.inserts, insertion{line, col, int32(len(text))})
	}
	wrap := func(prefix string) { // "else" -> "elif __else__"
		insert(t.start, t.line, t.col, prefix+"__")
		insert(t.end, t.line, t.col+int32(len(t.text)), "__")
	}
	top := func() *tryClause {
		if n := len(*stack); n > 0 && (*stack)[n-1].col == t.col {
			return &(*stack)[n-1]
		}
		return nil
	}
	switch t.text {
	case "try":
		if toks[k+1].text != ":" {
			return nil, false, fe.errorf(t.line, t.col, "invalid syntax: want ':' after try")
		}
		*stack = append(*stack, tryClause{col: t.col})
		wrap("if ")
	case "except", "finally":
		tc := top()
		if tc == nil {
			return nil, false, fe.errorf(t.line, t.col, "invalid syntax: '%s' without a 'try' at the same indentation", t.text)
		}
		if t.text == "finally" {
			wrap("elif ")
			return edits, true, nil
		}
		tc.sawExcept = true
		insert(t.start, t.line, t.col, "elif __")
		insert(t.end, t.line, t.col+int32(len(t.text)), "__(")
		for j := k + 1; ; j++ {
			u := toks[j]
			if u.kind == tEOF || isStmtEnd(u) {
				return nil, false, fe.errorf(t.line, t.col, "invalid syntax: want ':' after except")
			}
			if u.depth != t.depth {
				continue
			}
			if u.kind == tName && u.text == "as" {
				edits = append(edits, edit{u.start, u.end, ", "})
				fe.exceptAs[posKey{t.line, t.col}] = true
			}
			if u.kind == tOp && u.text == ":" {
				insert(u.start, u.line, u.col, ")")
				break
			}
		}
	case "else":
		tc := top()
		if tc == nil || !tc.sawExcept {
			return nil, false, nil
		}
		wrap("elif ")
	case "raise":
		insert(t.start, t.line, t.col, "__")
		insert(t.end, t.line, t.col+int32(len(t.text)), "__(")
		j := k + 1
		for ; !isStmtEnd(toks[j]); j++ {
			if u := toks[j]; u.kind == tName && u.text == "from" && u.depth == t.depth {
				edits = append(edits, edit{u.start, u.end, ",   "})
			}
		}
		last := toks[j-1]
		endLine, endCol := last.line, last.col+int32(len([]rune(last.text)))
		if last.kind == tString {
			endLine, endCol = last.endLine, last.endCol+1
		}
		insert(last.end, endLine, endCol, ")")
	}
	return edits, true, nil
}

// The names that lowered try and raise statements use: the interface
// between this rewrite and the helpers the runtime predeclares.
const (
	// TryFunc is the predeclared function that returns the state of one
	// execution of a try statement; the methods of that state are
	// TryStateMethods.
	TryFunc = "__try__"
	// RaiseFunc is the predeclared function a raise statement calls:
	// __raise__(exc=None, cause=None) for raise, raise X, raise X from Y.
	RaiseFunc = "__raise__"
	// TryRun and TryRunAfter are the state's methods that call a guarded
	// statement's lambda: TryRun in the try body, TryRunAfter in handlers
	// and else when a finally follows. Tracebacks hide the lambdas they call.
	TryRun      = "run"
	TryRunAfter = "run_after"
)

// TryStateMethods are the methods of the state TryFunc returns, sorted.
var TryStateMethods = []string{"after_ok", "caught", "each", "end", "exception", "ok", "reraise", TryRun, TryRunAfter}

// The markers the scanner writes; tryMarker and raiseMarker are also the
// helpers the lowered statements call.
const (
	tryMarker     = TryFunc
	exceptMarker  = "__except__"
	elseMarker    = "__else__"
	finallyMarker = "__finally__"
	raiseMarker   = RaiseFunc
)

func isMarker(e syntax.Expr, name string) bool {
	switch e := e.(type) {
	case *syntax.Ident:
		return e.Name == name
	case *syntax.CallExpr:
		return isMarker(e.Fn, name)
	}
	return false
}

// lowerTries rewrites the try statements in stmts (and in the blocks
// inside them) into guarded Starlark.
func (fe *frontend) lowerTries(stmts []syntax.Stmt) ([]syntax.Stmt, error) {
	var out []syntax.Stmt
	for _, s := range stmts {
		var err error
		switch s := s.(type) {
		case *syntax.DefStmt:
			s.Body, err = fe.lowerTries(s.Body)
		case *syntax.ForStmt:
			s.Body, err = fe.lowerTries(s.Body)
		case *syntax.WhileStmt:
			s.Body, err = fe.lowerTries(s.Body)
		case *syntax.IfStmt:
			if isMarker(s.Cond, tryMarker) {
				lowered, err := fe.lowerTry(s)
				if err != nil {
					return nil, err
				}
				out = append(out, lowered...)
				continue
			}
			if s.True, err = fe.lowerTries(s.True); err == nil {
				s.False, err = fe.lowerTries(s.False)
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// tryStmt is a try statement as the parser saw it.
type tryStmt struct {
	pos                 syntax.Position
	body                []syntax.Stmt
	handlers            []*syntax.IfStmt // Cond: __except__(classes , name)
	orElse, finally     []syntax.Stmt
	hasElse, hasFinally bool
}

func (fe *frontend) lowerTry(s *syntax.IfStmt) ([]syntax.Stmt, error) {
	ts := tryStmt{pos: s.If, body: s.True}
	for rest := s.False; len(rest) > 0; {
		clause, ok := rest[0].(*syntax.IfStmt)
		if !ok || len(rest) != 1 {
			return nil, fe.errorAt(s.If, "invalid syntax: a try statement's clauses must follow its body")
		}
		switch {
		case isMarker(clause.Cond, exceptMarker):
			if ts.hasElse || ts.hasFinally {
				return nil, fe.errorAt(clause.If, "invalid syntax: except after else or finally")
			}
			ts.handlers = append(ts.handlers, clause)
		case isMarker(clause.Cond, elseMarker):
			if ts.hasElse || ts.hasFinally {
				return nil, fe.errorAt(clause.If, "invalid syntax: else after else or finally")
			}
			ts.hasElse, ts.orElse = true, clause.True
		case isMarker(clause.Cond, finallyMarker):
			if ts.hasFinally {
				return nil, fe.errorAt(clause.If, "invalid syntax: a second finally")
			}
			ts.hasFinally, ts.finally = true, clause.True
		default:
			return nil, fe.errorAt(clause.If, "invalid syntax: elif in a try statement")
		}
		rest = clause.False
	}
	if len(ts.handlers) == 0 && !ts.hasFinally {
		return nil, fe.errorAt(s.If, "expected 'except' or 'finally' block")
	}
	var err error
	if ts.body, err = fe.lowerTries(ts.body); err != nil {
		return nil, err
	}
	for _, h := range ts.handlers {
		if h.True, err = fe.lowerTries(h.True); err != nil {
			return nil, err
		}
	}
	if ts.orElse, err = fe.lowerTries(ts.orElse); err != nil {
		return nil, err
	}
	if ts.finally, err = fe.lowerTries(ts.finally); err != nil {
		return nil, err
	}
	return fe.guardedTry(&ts)
}

func (fe *frontend) errorAt(pos syntax.Position, msg string) error {
	return syntax.Error{Pos: pos, Msg: msg}
}

// gen builds the guarded statements of one try.
type gen struct {
	fe      *frontend
	state   string // the try's state variable
	pos     syntax.Position
	noJumps bool // a finally follows: return, break, continue are refused
}

func (g *gen) id(name string) *syntax.Ident { return &syntax.Ident{NamePos: g.pos, Name: name} }
func (g *gen) attr(name string) syntax.Expr {
	return &syntax.DotExpr{X: g.id(g.state), Dot: g.pos, Name: g.id(name)}
}
func (g *gen) call(fn syntax.Expr, args ...syntax.Expr) *syntax.CallExpr {
	return &syntax.CallExpr{Fn: fn, Lparen: g.pos, Args: args, Rparen: g.pos}
}
func (g *gen) assign(lhs, rhs syntax.Expr) *syntax.AssignStmt {
	return &syntax.AssignStmt{OpPos: g.pos, Op: syntax.EQ, LHS: lhs, RHS: rhs}
}
func (g *gen) ifThen(cond syntax.Expr, then []syntax.Stmt) *syntax.IfStmt {
	return &syntax.IfStmt{If: g.pos, Cond: cond, True: then}
}
func (g *gen) temp() string {
	g.fe.temps++
	return fmt.Sprintf("__v%d", g.fe.temps)
}

// run is STATE.run(lambda: x) (or run_after, for handlers and else).
func (g *gen) run(method string, x syntax.Expr) syntax.Expr {
	pos, _ := x.Span()
	return g.call(g.attr(method), &syntax.LambdaExpr{Lambda: pos, Body: x})
}

var augmentedOps = map[syntax.Token]syntax.Token{
	syntax.PLUS_EQ: syntax.PLUS, syntax.MINUS_EQ: syntax.MINUS, syntax.STAR_EQ: syntax.STAR,
	syntax.SLASH_EQ: syntax.SLASH, syntax.SLASHSLASH_EQ: syntax.SLASHSLASH, syntax.PERCENT_EQ: syntax.PERCENT,
	syntax.AMP_EQ: syntax.AMP, syntax.PIPE_EQ: syntax.PIPE, syntax.CIRCUMFLEX_EQ: syntax.CIRCUMFLEX,
	syntax.LTLT_EQ: syntax.LTLT, syntax.GTGT_EQ: syntax.GTGT,
}

// guard returns stmts rewritten so that each runs only while okAttr holds
// and an error in one is recorded by the runner method instead of raised.
func (g *gen) guard(stmts []syntax.Stmt, runner, okAttr string) ([]syntax.Stmt, error) {
	var out []syntax.Stmt
	ok := func() syntax.Expr { return g.attr(okAttr) }
	// value runs x guarded, then use(the temp holding its value) if it
	// did not fail.
	value := func(x syntax.Expr, use func(v syntax.Expr) []syntax.Stmt) syntax.Stmt {
		v := g.temp()
		return g.ifThen(ok(), []syntax.Stmt{
			g.assign(g.id(v), g.run(runner, x)),
			g.ifThen(ok(), use(g.id(v))),
		})
	}
	for _, s := range stmts {
		g.pos, _ = s.Span()
		switch s := s.(type) {
		case *syntax.ExprStmt:
			out = append(out, g.ifThen(ok(), []syntax.Stmt{&syntax.ExprStmt{X: g.run(runner, s.X)}}))
		case *syntax.AssignStmt:
			rhs := s.RHS
			if op, aug := augmentedOps[s.Op]; aug {
				rhs = &syntax.BinaryExpr{X: cloneTarget(s.LHS), OpPos: s.OpPos, Op: op, Y: s.RHS}
				s.Op = syntax.EQ
			}
			out = append(out, value(rhs, func(v syntax.Expr) []syntax.Stmt {
				s.RHS = v
				return []syntax.Stmt{s}
			}))
		case *syntax.ReturnStmt:
			if g.noJumps {
				return nil, g.fe.errorAt(s.Return, "kstar does not support return inside a try that has a finally block")
			}
			if s.Result == nil {
				out = append(out, g.ifThen(ok(), []syntax.Stmt{s}))
				continue
			}
			out = append(out, value(s.Result, func(v syntax.Expr) []syntax.Stmt {
				s.Result = v
				return []syntax.Stmt{s}
			}))
		case *syntax.BranchStmt:
			if g.noJumps && s.Token != syntax.PASS {
				return nil, g.fe.errorAt(s.TokenPos, fmt.Sprintf("kstar does not support %s inside a try that has a finally block", s.Token))
			}
			out = append(out, g.ifThen(ok(), []syntax.Stmt{s}))
		case *syntax.IfStmt:
			then, err := g.guard(s.True, runner, okAttr)
			if err != nil {
				return nil, err
			}
			otherwise, err := g.guard(s.False, runner, okAttr)
			if err != nil {
				return nil, err
			}
			g.pos = s.If
			out = append(out, value(s.Cond, func(v syntax.Expr) []syntax.Stmt {
				s.Cond, s.True, s.False = v, then, otherwise
				return []syntax.Stmt{s}
			}))
		case *syntax.ForStmt:
			body, err := g.guard(s.Body, runner, okAttr)
			if err != nil {
				return nil, err
			}
			g.pos = s.For
			out = append(out, value(s.X, func(v syntax.Expr) []syntax.Stmt {
				s.X, s.Body = g.call(g.attr("each"), v, strLiteral(okAttr, g.pos)), body
				return []syntax.Stmt{s}
			}))
		case *syntax.WhileStmt:
			body, err := g.guard(s.Body, runner, okAttr)
			if err != nil {
				return nil, err
			}
			g.pos = s.While
			s.Cond = &syntax.BinaryExpr{X: ok(), OpPos: s.While, Op: syntax.AND, Y: g.run(runner, s.Cond)}
			s.Body = body
			out = append(out, s)
		default: // def: defining a function runs nothing that can fail
			out = append(out, s)
		}
	}
	return out, nil
}

// guardedTry is the whole rewritten try statement.
func (fe *frontend) guardedTry(ts *tryStmt) ([]syntax.Stmt, error) {
	fe.tries++
	g := &gen{fe: fe, state: fmt.Sprintf("__try%d", fe.tries), pos: ts.pos, noJumps: ts.hasFinally}
	out := []syntax.Stmt{g.assign(g.id(g.state), g.call(g.id(tryMarker)))}
	body, err := g.guard(ts.body, TryRun, "ok")
	if err != nil {
		return nil, err
	}
	out = append(out, body...)

	// Handlers and else: guarded only when a finally must run after them.
	after := func(stmts []syntax.Stmt) ([]syntax.Stmt, error) {
		g.reraises(stmts)
		if !ts.hasFinally {
			return stmts, nil
		}
		return g.guard(stmts, TryRunAfter, "after_ok")
	}
	var chain []*syntax.IfStmt
	for _, h := range ts.handlers {
		g.pos = h.If
		marker := h.Cond.(*syntax.CallExpr)
		var classes []syntax.Expr // none: a bare except
		var then []syntax.Stmt
		switch n := len(marker.Args); {
		case n == 0:
		case n == 1 || n == 2 && fe.exceptAs[keyOf(h.If)]:
			classes = marker.Args[:1]
			if len(marker.Args) == 2 {
				name, ok := marker.Args[1].(*syntax.Ident)
				if !ok {
					return nil, fe.errorAt(h.If, "invalid syntax: want a name after 'as'")
				}
				then = append(then, g.assign(name, g.attr("exception")))
			}
		default:
			return nil, fe.errorAt(h.If, "invalid syntax: several exception classes must be a tuple: except (A, B):")
		}
		handler, err := after(h.True)
		if err != nil {
			return nil, err
		}
		chain = append(chain, g.ifThen(g.call(g.attr("caught"), classes...), append(then, handler...)))
	}
	if ts.hasElse {
		orElse, err := after(ts.orElse)
		if err != nil {
			return nil, err
		}
		g.pos = ts.pos
		chain = append(chain, g.ifThen(g.attr("ok"), orElse))
	}
	for i := len(chain) - 1; i > 0; i-- {
		chain[i-1].False = []syntax.Stmt{chain[i]}
	}
	if len(chain) > 0 {
		out = append(out, chain[0])
	}
	out = append(out, ts.finally...)
	g.pos = ts.pos
	return append(out, &syntax.ExprStmt{X: g.call(g.attr("end"))}), nil
}

// reraises turns each bare "raise" in a handler (not in nested functions)
// into a re-raise of this try's exception.
func (g *gen) reraises(stmts []syntax.Stmt) {
	for _, s := range stmts {
		switch s := s.(type) {
		case *syntax.ExprStmt:
			if c, ok := s.X.(*syntax.CallExpr); ok && isMarker(c, raiseMarker) && len(c.Args) == 0 {
				c.Fn = &syntax.DotExpr{X: &syntax.Ident{NamePos: c.Lparen, Name: g.state}, Dot: c.Lparen, Name: &syntax.Ident{NamePos: c.Lparen, Name: "reraise"}}
			}
		case *syntax.IfStmt:
			g.reraises(s.True)
			g.reraises(s.False)
		case *syntax.ForStmt:
			g.reraises(s.Body)
		case *syntax.WhileStmt:
			g.reraises(s.Body)
		}
	}
}
