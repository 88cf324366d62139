package runtime

import (
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins"
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

// tryNames are the markers the scanner writes.
const (
	tryMarker     = "__try__"
	exceptMarker  = "__except__"
	elseMarker    = "__else__"
	finallyMarker = "__finally__"
	raiseMarker   = "__raise__"
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
	body, err := g.guard(ts.body, "run", "ok")
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
		return g.guard(stmts, "run_after", "after_ok")
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

// ---------------------------------------------------------------------
// The helpers the rewritten code calls.

// tryState is what __try__() returns: one execution of one try statement.
type tryState struct {
	exc      *builtins.Exception // the body's exception, as Python sees it
	excErr   error               // and the error itself, re-raised as is
	handled  bool
	afterErr error // an error in a handler or else, raised after finally
}

var _ starlark.HasAttrs = (*tryState)(nil)

func (s *tryState) String() string        { return "<try>" }
func (s *tryState) Type() string          { return "try" }
func (s *tryState) Freeze()               {}
func (s *tryState) Truth() starlark.Bool  { return true }
func (s *tryState) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'try'") }
func (s *tryState) AttrNames() []string {
	return []string{"after_ok", "caught", "each", "end", "exception", "ok", "reraise", "run", "run_after"}
}

func (s *tryState) Attr(name string) (starlark.Value, error) {
	method := func(fn builtins.BuiltinFunc) (starlark.Value, error) {
		return builtins.Func(name, fn), nil
	}
	switch name {
	case "ok":
		return starlark.Bool(s.excErr == nil), nil
	case "after_ok":
		return starlark.Bool(s.afterErr == nil), nil
	case "exception":
		if s.exc == nil {
			return starlark.None, nil
		}
		return s.exc, nil
	case "run", "run_after":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			v, err := starlark.Call(thread, args[0], nil, nil)
			if err == nil {
				return v, nil
			}
			err, ok := catchable(thread, err)
			if !ok {
				return nil, err
			}
			if name == "run" {
				s.excErr, s.exc = err, pyException(err)
			} else {
				s.afterErr = err
			}
			return starlark.None, nil
		})
	case "each":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			x := args[0]
			switch x.(type) {
			case starlark.String, starlark.Bytes:
				var err error
				if x, err = starlark.Call(thread, builtins.Globals()[builtins.IterableFunc], starlark.Tuple{x}, nil); err != nil {
					return nil, err
				}
			}
			after := args[1] == starlark.String("after_ok")
			return &tryIterable{state: s, thread: thread, x: x, after: after}, nil
		})
	case "caught":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if s.exc == nil || s.handled {
				return starlark.False, nil
			}
			var classes starlark.Value = starlark.None
			if len(args) > 0 {
				classes = args[0]
			}
			match, err := exceptionMatches(s.exc, classes)
			if err != nil {
				return nil, err
			}
			s.handled = match
			return starlark.Bool(match), nil
		})
	case "reraise":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return nil, s.excErr
		})
	case "end":
		return method(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			switch {
			case s.afterErr != nil:
				return nil, s.afterErr
			case s.excErr != nil && !s.handled:
				return nil, s.excErr
			}
			return starlark.None, nil
		})
	}
	return nil, nil
}

// isGuardFrame reports whether frame i of a traceback is a lambda the try
// rewrite made (called by a try state's run method), which Python's
// traceback would not show.
func isGuardFrame(stack starlark.CallStack, i int) bool {
	if i == 0 || stack[i].Name != "lambda" {
		return false
	}
	caller := stack[i-1]
	return caller.Pos.Filename() == "<builtin>" && (caller.Name == "run" || caller.Name == "run_after")
}

// catchable returns the error an except clause may catch in place of
// err, and true; or err and false when err ends the script whatever the
// try says: sys.exit(), the step limit, and any error once the
// execution's context is done (Ctrl-C, the host's cancellation), however
// it surfaced: a builtin's KeyboardInterrupt, an iterator's Fail, or the
// thread's cancellation, which can arrive in any order. An iterator's
// error ended by builtins.Fail (which cancels the thread) is turned back
// into that error, and the thread uncancelled, only when catchable.
func catchable(thread *starlark.Thread, err error) (error, bool) {
	if builtins.ContextOf(thread).Err() != nil {
		return err, false
	}
	if failure := builtins.TakeFailure(thread); failure != nil {
		thread.Uncancel()
		err = failure
	}
	var exit *builtins.SystemExit
	if errors.As(err, &exit) || strings.Contains(err.Error(), "Starlark computation cancelled") {
		return err, false
	}
	return err, true
}

// pyException is the Python exception an error stands for.
func pyException(err error) *builtins.Exception {
	var exc *builtins.Exception
	if errors.As(err, &exc) {
		return exc
	}
	name, msg, _ := describe(err)
	class := builtins.LookupExceptionClass(name)
	if class == nil {
		class = builtins.RuntimeError
	}
	e := builtins.NewException(class, msg)
	e.Cause = err
	if class == builtins.KeyError {
		// The message is the key's repr; Python's exception holds the key.
		if key, err := starlark.Eval(&starlark.Thread{}, "", msg, nil); err == nil {
			e.Args = starlark.Tuple{key}
		}
	}
	return e
}

// exceptionMatches is Python's matching of except CLASSES: None (a bare
// except) matches anything, else a class or a tuple of classes.
func exceptionMatches(exc *builtins.Exception, classes starlark.Value) (bool, error) {
	switch c := classes.(type) {
	case starlark.NoneType:
		return true, nil
	case *builtins.ExceptionClass:
		return exc.Class.IsSubclass(c), nil
	case starlark.Tuple:
		for _, x := range c {
			if m, err := exceptionMatches(exc, x); m || err != nil {
				return m, err
			}
		}
		return false, nil
	}
	return false, builtins.Errorf(builtins.TypeError, "catching classes that do not inherit from BaseException is not allowed")
}

// tryIterable is the iterable of a for loop in a try body: it stops when
// the try has failed, and an error taking the next element is recorded
// in the try instead of raised.
type tryIterable struct {
	state  *tryState
	thread *starlark.Thread
	x      starlark.Value
	after  bool
}

func (it *tryIterable) String() string        { return "<try iterator>" }
func (it *tryIterable) Type() string          { return "iterator" }
func (it *tryIterable) Freeze()               {}
func (it *tryIterable) Truth() starlark.Bool  { return true }
func (it *tryIterable) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'iterator'") }

func (it *tryIterable) Iterate() starlark.Iterator {
	t := &tryIterator{it: it}
	if n, ok := it.x.(builtins.Nexter); ok {
		t.next = n
	} else if x, ok := it.x.(starlark.Iterable); ok {
		t.inner = x.Iterate()
	} else {
		it.record(builtins.Errorf(builtins.TypeError, "'%s' object is not iterable", builtins.PyTypeName(it.x)))
	}
	return t
}

func (it *tryIterable) ok() bool {
	if it.after {
		return it.state.afterErr == nil
	}
	return it.state.excErr == nil
}

func (it *tryIterable) record(err error) {
	if it.after {
		it.state.afterErr = err
	} else {
		it.state.excErr, it.state.exc = err, pyException(err)
	}
}

type tryIterator struct {
	it    *tryIterable
	next  builtins.Nexter
	inner starlark.Iterator
}

func (t *tryIterator) Next(p *starlark.Value) bool {
	if !t.it.ok() {
		return false
	}
	if t.inner != nil {
		return t.inner.Next(p)
	}
	if t.next == nil {
		return false
	}
	v, ok, err := t.next.Next(t.it.thread)
	if err != nil {
		if err, ok := catchable(t.it.thread, err); ok {
			t.it.record(err)
		} else {
			builtins.Fail(t.it.thread, err)
		}
		return false
	}
	if ok {
		*p = v
	}
	return ok
}

func (t *tryIterator) Done() {
	if t.inner != nil {
		t.inner.Done()
	}
}

// tryHelpers are the predeclared functions rewritten try and raise
// statements call.
var tryHelpers = starlark.StringDict{
	tryMarker: builtins.Func(tryMarker, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return &tryState{}, nil
	}),
	raiseMarker: builtins.Func("raise", raise),
}

// raise is __raise__(exc=None, cause=None): raise X, raise X from Y. A
// bare raise outside a handler has nothing to re-raise.
func raise(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var exc, cause starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackPositionalArgs("raise", args, kwargs, 0, &exc, &cause); err != nil {
		return nil, err
	}
	switch e := exc.(type) {
	case starlark.NoneType:
		return nil, builtins.Errorf(builtins.RuntimeError, "No active exception to reraise")
	case *builtins.Exception:
		return nil, e
	case *builtins.ExceptionClass:
		v, err := starlark.Call(thread, e, nil, nil)
		if err != nil {
			return nil, err
		}
		return nil, v.(*builtins.Exception)
	}
	return nil, builtins.Errorf(builtins.TypeError, "exceptions must derive from BaseException")
}
