package frontend

import (
	"fmt"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
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
// is the original one). raise X from Y is __raise__(X, Y); a bare raise
// in a handler re-raises the try's exception.
//
// What Python does that this does not: KeyboardInterrupt (Ctrl-C, or the
// host's cancellation) and SystemExit are never caught, and finally does
// not run for them; return, break and continue are not allowed in a try
// that has a finally; x += y in a try body rebinds x (x = x + y) instead
// of extending a list in place.

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

// try lowers a try statement into guarded Starlark.
func (l *lowerer) try(s *pysyntax.Try) []syntax.Stmt {
	pos := l.start(s)
	if s.Star {
		l.refuse(pos, "except*")
	}
	ts := tryStmt{pos: pos, body: l.stmts(s.Body), hasElse: len(s.Orelse) > 0, hasFinally: len(s.Finalbody) > 0}
	for _, h := range s.Handlers {
		hs := handler{pos: l.start(h), name: h.Name, body: l.stmts(h.Body)}
		if h.Type != nil {
			hs.class = l.expr(h.Type)
		}
		if h.Name != "" {
			hs.namePos = l.handlerNamePos(h)
		}
		ts.handlers = append(ts.handlers, hs)
	}
	ts.orElse = l.stmts(s.Orelse)
	ts.finally = l.stmts(s.Finalbody)
	out, err := l.guardedTry(&ts)
	if err != nil {
		panic(&lowerError{err.(syntax.Error)})
	}
	return out
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

// raise lowers raise, raise X and raise X from Y into __raise__ calls.
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

// tryStmt is a try statement with its blocks lowered.
type tryStmt struct {
	pos                 syntax.Position
	body                []syntax.Stmt
	handlers            []handler
	orElse, finally     []syntax.Stmt
	hasElse, hasFinally bool
}

// handler is one except clause; class is nil for a bare except.
type handler struct {
	pos     syntax.Position
	class   syntax.Expr
	name    string
	namePos syntax.Position
	body    []syntax.Stmt
}

func (l *lowerer) errorAt(pos syntax.Position, msg string) error {
	return syntax.Error{Pos: pos, Msg: msg}
}

// gen builds the guarded statements of one try.
type gen struct {
	fe      *lowerer
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
func (l *lowerer) guardedTry(ts *tryStmt) ([]syntax.Stmt, error) {
	l.tries++
	g := &gen{fe: l, state: fmt.Sprintf("__try%d", l.tries), pos: ts.pos, noJumps: ts.hasFinally}
	out := []syntax.Stmt{g.assign(g.id(g.state), g.call(g.id(TryFunc)))}
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
		g.pos = h.pos
		var classes []syntax.Expr // none: a bare except
		var then []syntax.Stmt
		if h.class != nil {
			classes = []syntax.Expr{h.class}
		}
		if h.name != "" {
			then = append(then, g.assign(&syntax.Ident{NamePos: h.namePos, Name: h.name}, g.attr("exception")))
		}
		handler, err := after(h.body)
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
			if c, ok := s.X.(*syntax.CallExpr); ok && isIdent(c.Fn, RaiseFunc) && len(c.Args) == 0 {
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

func isIdent(e syntax.Expr, name string) bool {
	id, ok := e.(*syntax.Ident)
	return ok && id.Name == name
}
