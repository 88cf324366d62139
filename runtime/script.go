package runtime

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
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
// Calls are safe from any number of goroutines at once. By default they
// share the script's module state as Python threads would: its globals
// stay mutable, so a call may count in a global (global n; n += 1) or
// remember keys in a global dict for the next calls, and the calls run
// one at a time, each holding the script's interpreter lock (a call
// blocked in a Kafka wait or time.sleep lets another run meanwhile); a
// host function a call runs must therefore not call the same Script, which
// would wait for the call that is waiting for it.
//
// With WithParallelCalls, for scripts that keep no state, the globals
// are frozen when the script is loaded and calls run at once, each on an
// interpreter of its own; a call that changes a global then fails
// ("cannot insert into frozen hash table", with the line).
//
// Each call runs on a Starlark thread of its own (threads are pooled and
// reused). Each call honours its context.Context: cancelling it stops
// loops and blocking calls (future.get, time.sleep, consumer polls) and
// the call returns a ScriptError for which errors.Is(err,
// context.Canceled) holds. WithCallTimeout and WithMaxSteps bound each
// call (not the time it waits for the calls before it), not the script's
// whole life.
//
// Kafka clients a call opens are flushed and closed when it returns.
// Clients the top level opened live until Close; a script whose top level
// opened one has its calls run one at a time even WithParallelCalls.
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
	// parallel is set when each call runs on an interpreter of its own
	// (WithParallelCalls, and the top level opened no Kafka client);
	// otherwise calls take turns holding interp.
	parallel bool
	life     sync.RWMutex // calls hold it shared, Close exclusively
	closed   bool
	calls    sync.Pool // of *callState
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
	if s.parallel {
		// An interpreter of the call's own: its thread is Current for
		// the Go code it runs, and no other call waits for it.
		c.env.interp = newInterp()
	}
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
// The globals it leaves are the state the calls share (frozen
// WithParallelCalls).
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
		interp:   newInterp(),
	}
	s.env = s.newEnv()
	s.thread = r.newThread(filename, s.env)
	s.timeout = r.timeoutError()
	f, err := r.parse(filename, src)
	if err != nil {
		return nil, newScriptError(ctx, withSource(err, filename, src))
	}
	setModuleName(f, moduleName(filename))
	predeclared := r.predeclaredWith(s.env, r.newLoader(r.parallelCalls))
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
		s.env.interp.AbandonGenerators()
		_ = s.shutdown(ctx, s.thread, s.env)
		return nil, newScriptError(ctx, withSource(err, filename, src))
	}
	// Names bound in a try or rebound with global live in cells, which
	// the script's functions keep using: Global looks them up by name.
	if r.parallelCalls {
		s.globals.Freeze()
		// Calls sharing the top level's clients take turns.
		s.parallel = !s.env.hasOpen()
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
	for name, v := range s.globals {
		if c, ok := v.(*cell); ok && c.global {
			name = c.name
		} else if frontend.IsGenerated(name) {
			continue // the lowering's own (a try's blocks and state)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Global returns the value of a global, or nil. Unless the script was
// loaded WithParallelCalls (which freezes it), the value is the script's
// own and calls may change it: read it while no call runs.
func (s *Script) Global(name string) starlark.Value {
	if v, ok := s.globals[name]; ok {
		return v
	}
	// A global that functions rebind (global name) lives in a cell.
	for _, v := range s.globals {
		if c, ok := v.(*cell); ok && c.name == name {
			return c.v
		}
	}
	return nil
}

// HasFunction reports whether the script defines a callable global name.
func (s *Script) HasFunction(name string) bool {
	_, ok := s.Global(name).(starlark.Callable)
	return ok
}

// Call calls the script's global function name with positional arguments
// and returns its result. Errors are *ScriptError values. The result may
// be one of the script's values (a global list), which later calls may
// change unless the script was loaded WithParallelCalls.
func (s *Script) Call(ctx context.Context, name string, args ...starlark.Value) (starlark.Value, error) {
	return s.CallKwargs(ctx, name, args, nil)
}

// CallKwargs is Call with keyword arguments too (pairs of name, value).
func (s *Script) CallKwargs(ctx context.Context, name string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	args, kwargs = pythonBytesArgs(args, kwargs)
	var result starlark.Value
	err := s.call(ctx, name, args, kwargs, func(_ starlark.Callable, v starlark.Value) error {
		result = v
		return nil
	})
	return result, err
}

// pythonBytesArgs returns args and kwargs with each Starlark bytes
// argument a Go host passes made Python's bytes (py.Bytes), which the
// script indexes, iterates and compares as Python's; the slices are
// copied only when one is changed.
func pythonBytesArgs(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Tuple, []starlark.Tuple) {
	copiedArgs, copiedKwargs := false, false
	for i, a := range args {
		if b, ok := a.(starlark.Bytes); ok {
			if !copiedArgs {
				args, copiedArgs = slices.Clone(args), true
			}
			args[i] = py.Bytes(b)
		}
	}
	for i, kv := range kwargs {
		if b, ok := kv[1].(starlark.Bytes); ok {
			if !copiedKwargs {
				kwargs, copiedKwargs = slices.Clone(kwargs), true
			}
			kwargs[i] = starlark.Tuple{kv[0], py.Bytes(b)}
		}
	}
	return args, kwargs
}

// function returns the callable global name. A global that calls rebind
// (global name) lives in a cell, which only the holder of the
// interpreter's lock may read.
func (s *Script) function(name string) (starlark.Callable, error) {
	v := s.Global(name)
	if v == nil {
		return nil, errorAt(syntax.Position{}, py.NameError, "name '%s' is not defined in %s", name, s.filename)
	}
	fn, ok := v.(starlark.Callable)
	if !ok {
		return nil, errorAt(syntax.Position{}, py.TypeError, "'%s' object is not callable (%s in %s)", py.TypeName(v), name, s.filename)
	}
	return fn, nil
}

// call runs the function name with (*args, **kwargs) on a pooled thread
// under ctx, holding its interpreter's lock, and hands the function and
// its result to use before it releases the lock: the result may be (or
// hold) values the next call changes.
func (s *Script) call(ctx context.Context, name string, args starlark.Tuple, kwargs []starlark.Tuple, use func(fn starlark.Callable, result starlark.Value) error) error {
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return errorAt(syntax.Position{}, py.RuntimeError, "%s is closed", s.filename)
	}
	c, _ := s.calls.Get().(*callState)
	if c == nil {
		c = s.newCallState()
	}
	c.env.interp.Acquire(c.thread)
	fn, err := s.function(name)
	if err != nil {
		c.env.interp.Release(c.thread)
		s.calls.Put(c)
		return err
	}
	c.begin(ctx, s)
	var result starlark.Value
	err = c.exec(func() error {
		var err error
		result, err = starlark.Call(c.thread, fn, args, kwargs)
		return s.frozenHint(s.hints.hint(err))
	})
	var useErr error // a *ScriptError about the result
	if err == nil {
		useErr = use(fn, result)
	}
	c.env.interp.Release(c.thread)
	if c.env.hasOpen() {
		if shutdownErr := s.shutdown(ctx, c.thread, c.env); err == nil {
			err = shutdownErr
		}
	}
	c.ctx.end()
	if err != nil {
		// The thread may hold the state of the failure: drop it.
		return newScriptError(&c.ctx, withSource(err, s.filename, s.src))
	}
	s.calls.Put(c)
	return useErr
}

// frozenHint adds to the error of a parallel call that changed a frozen
// global why it is frozen, and how calls may keep state.
func (s *Script) frozenHint(err error) error {
	if err == nil || !s.rt.parallelCalls {
		return err
	}
	line := starlarkErrorLine(err)
	if !strings.Contains(line, "frozen") {
		return err
	}
	return &hintedError{error: err, line: line + " (the script's calls run in parallel, so its globals are frozen: with kstar pipe --parallelism 1, or without runtime.WithParallelCalls, calls may keep state in globals)"}
}

// shutdown flushes and closes the clients and files env tracks.
func (s *Script) shutdown(ctx context.Context, thread *starlark.Thread, env execEnv) error {
	return run(context.WithoutCancel(ctx), thread, env, unlimited, func() error {
		return env.shutdown(thread, ShutdownTimeout)
	})
}

// Close waits for the calls under way, runs the atexit functions the
// script registered, then flushes and closes the Kafka clients the
// script's top level opened. Later calls fail. It returns the
// first error of a client's shutdown.
func (s *Script) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	// Threads the top level or calls started end with the script: a
	// thread that never ends would otherwise outlive it in the host.
	_ = run(context.Background(), s.thread, s.env, unlimited, func() error {
		err := s.env.interp.Finish(s.thread, 0)
		s.env.interp.RunExitFuncs(s.thread)
		closeGenerators(s.thread, s.env, s.globals)
		return err
	})
	s.env.interp.AbandonGenerators()
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

// WithParallelCalls makes the Scripts the runtime loads run their calls at
// once, on all cores, for scripts that keep no state between calls: the
// globals the top level leaves (and those of the modules it imports) are
// frozen, so a call that changes one fails ("cannot insert into frozen
// hash table", "cannot assign to global n", with the line), and each
// call runs on an interpreter of its own. Default: calls share mutable
// globals and run one at a time (see Script).
func WithParallelCalls() Option { return func(r *Runtime) { r.parallelCalls = true } }
