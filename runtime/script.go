package runtime

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// Script is a script whose top level ran once (Runtime.Load) and whose
// functions a host then calls many times: to filter, transform, route or
// enrich records (Process), or for anything else (Call).
//
// Calls are safe from any number of goroutines at once. Each call runs on
// a Starlark thread of its own (threads are pooled and reused); the
// script's globals were frozen when it was loaded and are shared, so a
// call cannot change them (appending to a global list fails with "cannot
// append to frozen list"). Each call honours its context.Context:
// cancelling it stops loops and blocking calls (future.get, time.sleep,
// consumer polls) and the call returns a ScriptError for which
// errors.Is(err, context.Canceled) holds. WithCallTimeout and
// WithMaxSteps bound each call, not the script's whole life.
//
// Kafka clients a call opens are flushed and closed when it returns.
// Clients the top level opened live until Close, and since kstar's
// clients are not safe for concurrent use, a script whose top level opened
// one has its calls run one at a time.
type Script struct {
	rt       *Runtime
	filename string
	src      []byte
	globals  starlark.StringDict
	hints    nameHints // "Did you mean" of names undefined at compile time
	env      execEnv   // the top level's: clients it opened
	interp   *py.Interp
	thread   *starlark.Thread
	stdout   io.Writer
	stderr   io.Writer

	timeout *py.Exception // a call's past WithCallTimeout
	serial  *sync.Mutex   // set when the top level opened Kafka clients
	life    sync.RWMutex  // calls hold it shared, Close exclusively
	closed  bool
	calls   sync.Pool // of *callState
}

// callState is a thread and its Env, reused by one call at a time. Its
// governor polls the call's context (see pollSteps).
type callState struct {
	thread *starlark.Thread
	env    execEnv
	gov    *governor
	ctx    callContext // the call's
}

// newCallState makes a thread for calls.
func (s *Script) newCallState() *callState {
	c := &callState{env: s.newEnv()}
	c.thread = s.rt.newThread(s.filename, c.env)
	c.gov = governorOf(c.thread)
	return c
}

// begin prepares the thread for a call under ctx.
func (c *callState) begin(ctx context.Context, s *Script) {
	c.ctx.begin(ctx, s.rt.callTimeout, s.timeout)
	c.env.SetContext(&c.ctx)
	c.gov.begin(&c.ctx, nil, limitsFor(ctx, s.rt.limits()))
}

// exec runs fn on the thread, as run does for other executions: a panic
// becomes a RuntimeError, a failure recorded with py.Fail is
// reported, the error of a call stopped by a limit is the limit's, and
// that of a cancelled call the cancellation's.
func (c *callState) exec(fn func() error) (err error) {
	defer func() {
		c.gov.end()
		if p := recover(); p != nil {
			err = py.Errorf(py.RuntimeError, "internal error: %v", p)
		}
		if failure := py.TakeFailure(c.thread); failure != nil {
			err = failure
		}
		switch {
		case c.gov.stopped.Load() != nil:
			err = c.gov.result(err)
		case err != nil && c.ctx.Err() != nil:
			err = cancellationError(&c.ctx, err)
		}
	}()
	return fn()
}

// Load runs a script's top level once and returns it for calls: its
// imports, constants, functions, and clients it opens at the top level.
// __name__ is the file's base name without extension, not "__main__",
// so an `if __name__ == "__main__":` block does not run. Errors are
// *ScriptError values.
func (r *Runtime) Load(ctx context.Context, filename string, src []byte) (*Script, error) {
	ctx, cancel := r.withCallTimeout(ctx)
	defer cancel()
	s := &Script{
		rt:       r,
		filename: filename,
		src:      src,
		stdout:   &lockedWriter{w: r.stdout},
		stderr:   &lockedWriter{w: r.stderr},
		interp:   py.NewInterp(),
	}
	s.env = s.newEnv()
	s.thread = r.newThread(filename, s.env)
	s.timeout = r.timeoutError()
	f, err := r.parse(filename, src)
	if err != nil {
		return nil, newScriptError(ctx, withSource(err, filename, src))
	}
	setModuleName(f, moduleName(filename))
	predeclared := r.predeclared(s.env)
	prog, hints, err := compileScript(f, predeclared, func() (*syntax.File, error) {
		f, err := frontend.Parse(filename, src)
		if err == nil {
			setModuleName(f, moduleName(filename))
		}
		return f, err
	})
	if err != nil {
		return nil, newScriptError(ctx, withSource(err, filename, src))
	}
	s.hints = hints
	err = run(ctx, s.thread, s.env, r.limits(), func() error {
		var err error
		s.globals, err = prog.Init(s.thread, predeclared)
		return hints.hint(err)
	})
	if err != nil {
		_ = s.shutdown(ctx, s.thread, s.env)
		return nil, newScriptError(ctx, withSource(err, filename, src))
	}
	exportCells(s.globals)
	s.globals.Freeze()
	if s.env.hasOpen() {
		s.serial = &sync.Mutex{}
	}
	return s, nil
}

// LoadFile reads the script at path (a path of the host's, not subject to
// the sandbox) and loads it as Load does.
func (r *Runtime) LoadFile(ctx context.Context, path string) (*Script, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return r.Load(ctx, path, src)
}

// moduleName is a file's module name: its base name without extension.
func moduleName(filename string) string {
	base := filepath.Base(filename)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// setModuleName makes __name__ name instead of "__main__" (the front end
// turns __name__ into a "__main__" literal whose Raw text is __name__).
func setModuleName(f *syntax.File, name string) {
	syntax.Walk(f, func(n syntax.Node) bool {
		if lit, ok := n.(*syntax.Literal); ok && lit.Raw == "__name__" && lit.Value == "__main__" {
			lit.Value = name
		}
		return true
	})
}

// newEnv is the Env of the script's top level or of one call: the
// runtime's, with output writers safe for concurrent calls.
func (s *Script) newEnv() execEnv {
	env := s.rt.newEnv([]string{s.filename})
	env.Stdout, env.Stderr = s.stdout, s.stderr
	env.interp = s.interp
	return env
}

// Name is the file name the script was loaded as.
func (s *Script) Name() string { return s.filename }

// Globals lists the script's global names (functions, constants,
// imported modules), sorted.
func (s *Script) Globals() []string {
	names := make([]string, 0, len(s.globals))
	for name := range s.globals {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Global returns the value of a global (frozen), or nil.
func (s *Script) Global(name string) starlark.Value { return s.globals[name] }

// HasFunction reports whether the script defines a callable global name.
func (s *Script) HasFunction(name string) bool {
	_, ok := s.globals[name].(starlark.Callable)
	return ok
}

// Call calls the script's global function name with positional arguments
// and returns its result. Errors are *ScriptError values.
func (s *Script) Call(ctx context.Context, name string, args ...starlark.Value) (starlark.Value, error) {
	return s.CallKwargs(ctx, name, args, nil)
}

// CallKwargs is Call with keyword arguments too (pairs of name, value).
func (s *Script) CallKwargs(ctx context.Context, name string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	fn, err := s.function(name)
	if err != nil {
		return nil, err
	}
	return s.call(ctx, fn, args, kwargs)
}

// function returns the callable global name.
func (s *Script) function(name string) (starlark.Callable, error) {
	v, ok := s.globals[name]
	if !ok {
		return nil, errorAt(syntax.Position{}, py.NameError, "name '%s' is not defined in %s", name, s.filename)
	}
	fn, ok := v.(starlark.Callable)
	if !ok {
		return nil, errorAt(syntax.Position{}, py.TypeError, "'%s' object is not callable (%s in %s)", py.TypeName(v), name, s.filename)
	}
	return fn, nil
}

// call runs fn(*args, **kwargs) on a pooled thread under ctx.
func (s *Script) call(ctx context.Context, fn starlark.Callable, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return nil, errorAt(syntax.Position{}, py.RuntimeError, "%s is closed", s.filename)
	}
	if s.serial != nil {
		s.serial.Lock()
		defer s.serial.Unlock()
	}
	c, _ := s.calls.Get().(*callState)
	if c == nil {
		c = s.newCallState()
	}
	c.begin(ctx, s)
	var result starlark.Value
	err := c.exec(func() error {
		var err error
		result, err = starlark.Call(c.thread, fn, args, kwargs)
		return s.hints.hint(err)
	})
	if c.env.hasOpen() {
		if shutdownErr := s.shutdown(ctx, c.thread, c.env); err == nil {
			err = shutdownErr
		}
	}
	c.ctx.end()
	if err != nil {
		// The thread may hold the state of the failure: drop it.
		return nil, newScriptError(&c.ctx, withSource(err, s.filename, s.src))
	}
	s.calls.Put(c)
	return result, nil
}

// shutdown flushes and closes the clients and files env tracks.
func (s *Script) shutdown(ctx context.Context, thread *starlark.Thread, env execEnv) error {
	return run(context.WithoutCancel(ctx), thread, env, unlimited, func() error {
		return env.shutdown(thread, ShutdownTimeout)
	})
}

// Close waits for the calls under way, then flushes and closes the Kafka
// clients the script's top level opened. Later calls fail. It returns the
// first error of a client's shutdown.
func (s *Script) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return newScriptError(context.Background(), s.shutdown(context.Background(), s.thread, s.env))
}

// lockedWriter serialises writes of concurrent calls to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}
