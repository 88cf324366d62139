package runtime

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// echoFunc is the helper the REPL wraps expression statements in, so that
// they echo their value as Python's interactive mode does.
const echoFunc = "__echo__"

// Session is an interactive session: a sequence of chunks (REPL inputs)
// sharing one thread and one set of globals. Expression statements echo
// their value's repr unless it is None, and _ holds the last echoed value.
// A Session is used from one goroutine at a time.
type Session struct {
	rt       *Runtime
	env      execEnv
	thread   *starlark.Thread
	globals  starlark.StringDict
	builtin  map[string]bool // names the session predeclares (hidden from Globals)
	lastEcho starlark.Value
	echoed   bool
	chunk    int
}

// NewSession starts an interactive session with sys.argv = argv.
func (r *Runtime) NewSession(argv []string) *Session {
	env := r.newEnv(argv)
	s := &Session{rt: r, env: env, thread: r.newThread("repl", env), builtin: map[string]bool{}}
	s.globals = r.predeclared(env)
	s.globals[echoFunc] = py.Func(echoFunc, s.echo)
	for name := range s.globals {
		s.builtin[name] = true
	}
	s.globals["_"] = starlark.None
	return s
}

// echo prints a value's repr on stdout (unless None) and remembers it as _.
func (s *Session) echo(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return starlark.None, nil
	}
	v := args[0]
	if v != starlark.None {
		s.env.Stdout.Write([]byte(py.Repr(v) + "\n"))
		s.lastEcho, s.echoed = v, true
	}
	return starlark.None, nil
}

// Exec runs one chunk of input (one or more complete statements). Errors
// format with FormatError as CPython's REPL prints them: a SyntaxError
// quotes the line, a traceback does not (CPython keeps no copy of stdin);
// a name used before it is defined is a NameError traceback. After an
// error, or a cancellation of ctx, the session and its globals stay
// usable.
func (s *Session) Exec(ctx context.Context, src string) error {
	s.chunk++
	filename := "<stdin>"
	f, err := s.rt.parse(filename, []byte(src))
	if err != nil {
		return withSource(err, filename, []byte(src))
	}
	wrapExprStmts(f.Stmts)
	s.echoed = false
	err = s.rt.run(ctx, s.thread, s.env, func() error {
		s.thread.SetLocal(sessionGlobalsKey, s.globals)
		defer exportCells(s.globals)
		return starlark.ExecREPLChunk(f, s.thread, s.globals)
	})
	if s.echoed {
		s.globals["_"] = s.lastEcho
	}
	return undefinedNameRaised(err)
}

// undefinedNameRaised turns the undefined names the resolver found in a
// chunk (before running it) into the NameError CPython raises when the
// first of them is used. Other resolve errors are SyntaxErrors in CPython
// too, and stay as they are.
func undefinedNameRaised(err error) error {
	var errs resolve.ErrorList
	if !errors.As(err, &errs) {
		return err
	}
	for _, e := range errs {
		if _, ok := nameErrorMessage(e.Msg); !ok {
			return err
		}
	}
	msg, _ := nameErrorMessage(errs[0].Msg)
	return &raisedAt{exc: py.NewException(py.NameError, msg), pos: errs[0].Pos}
}

// wrapExprStmts rewrites each expression statement outside function bodies
// into __echo__(expr), as Python's interactive compile mode does (so a for
// loop typed at the prompt echoes each iteration's value).
func wrapExprStmts(stmts []syntax.Stmt) {
	for _, st := range stmts {
		switch st := st.(type) {
		case *syntax.ExprStmt:
			pos, _ := st.X.Span()
			st.X = &syntax.CallExpr{
				Fn:     &syntax.Ident{NamePos: pos, Name: echoFunc},
				Lparen: pos,
				Args:   []syntax.Expr{st.X},
				Rparen: pos,
			}
		case *syntax.ForStmt:
			wrapExprStmts(st.Body)
		case *syntax.WhileStmt:
			wrapExprStmts(st.Body)
		case *syntax.IfStmt:
			wrapExprStmts(st.True)
			wrapExprStmts(st.False)
		}
	}
}

// Globals returns the names the user has defined, sorted.
func (s *Session) Globals() []string {
	var names []string
	for name := range s.globals {
		if !s.builtin[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Builtins returns the predeclared names (Python builtins, not helpers).
func (s *Session) Builtins() []string {
	var names []string
	for name := range s.builtin {
		if !strings.HasPrefix(name, "__") {
			names = append(names, name)
		}
	}
	for _, name := range starlark.Universe.Keys() {
		if !s.builtin[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Lookup returns the value of a global or builtin name, or nil.
func (s *Session) Lookup(name string) starlark.Value {
	if v, ok := s.globals[name]; ok {
		return v
	}
	return starlark.Universe[name]
}

// Modules returns the names scripts can import.
func (s *Session) Modules() []string { return s.rt.ModuleNames() }

// Close flushes and closes the Kafka clients the session opened, waiting
// at most timeout, and the files it left open. Before, as CPython's REPL
// at exit, it waits (at most timeout) for the threading threads that are
// not daemon (the rest are stopped) and runs the atexit functions.
func (s *Session) Close(timeout time.Duration) error {
	defer s.env.interp.AbandonGenerators()
	return run(context.Background(), s.thread, s.env, unlimited, func() error {
		err := s.env.interp.Finish(s.thread, timeout)
		s.env.interp.RunExitFuncs(s.thread)
		closeGenerators(s.thread, s.env, s.globals)
		if shutdownErr := s.env.shutdown(s.thread, timeout); err == nil {
			err = shutdownErr
		}
		return err
	})
}
