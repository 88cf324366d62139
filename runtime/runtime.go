// Package runtime is kstar's embeddable engine: it runs Python-looking
// Starlark scripts whose KafkaProducer and KafkaConsumer behave like
// kafka-python's, on franz-go.
//
// A Runtime is built once with options (default bootstrap servers, output
// writers, step limit, extra modules) and runs files, strings or REPL
// chunks. Source passes through a Python front end first (imports,
// f-strings, %-formatting, str.encode/bytes.decode, "is"), so scripts
// written for kafka-python run unchanged. Every execution carries a
// context.Context: cancelling it stops loops and blocking Kafka calls.
//
// To embed kstar as a plugin layer, a host loads a script once (Load) and
// calls its functions many times from any goroutines: Script.Process
// hands a franz-go record to `def process(record):` and returns the
// records to produce. WithHostAccess, WithLoadDir, WithAllowedTopics and
// WithClient decide what scripts may reach; every execution is bounded in
// time, steps and memory by default (DefaultCallTimeout, DefaultMaxSteps,
// DefaultMaxMemory; WithoutLimits lifts them). The pipeline package runs
// such a script between topics, at least once. See docs/embedding.md.
package runtime

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/kafka"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// ShutdownTimeout bounds how long the end of a script waits for its
// producers to flush and its consumers to close.
const ShutdownTimeout = 30 * time.Second

// Option configures a Runtime.
type Option func(*Runtime)

// WithBootstrapServers sets the brokers that clients use when the script
// passes no bootstrap_servers, and grants scripts access to them.
// Default: "localhost:9092", kafka-python's (reachable only with
// WithHostAccess).
func WithBootstrapServers(servers string) Option {
	return func(r *Runtime) { r.bootstrap, r.bootstrapSet = servers, true }
}

// WithStdout sets where print writes. Default: os.Stdout.
func WithStdout(w io.Writer) Option { return func(r *Runtime) { r.stdout = w } }

// WithStderr sets where sys.stderr and tracebacks go. Default: os.Stderr.
func WithStderr(w io.Writer) Option { return func(r *Runtime) { r.stderr = w } }

// WithModule adds a module scripts can import by name (import NAME, from
// NAME import x). The builtins among a *starlarkstruct.Module's members
// are made panic-safe: a panic becomes a RuntimeError with the script's
// traceback. Default: only kstar's own modules.
func WithModule(name string, module starlark.Value) Option {
	return func(r *Runtime) { r.extraModules[name] = guardValue(module) }
}

// WithPredeclared adds a global every script sees without importing it
// (a host's lookup function, a constant). A *starlark.Builtin is made
// panic-safe, as WithModule's members are. Values are shared by every
// execution, so they should be frozen or safe for concurrent use.
// Default: none beyond kstar's builtins.
func WithPredeclared(name string, v starlark.Value) Option {
	return func(r *Runtime) { r.extraGlobals[name] = guardValue(v) }
}

// WithClient makes scripts use a franz-go client the host owns instead of
// connecting on their own: a KafkaProducer or KafkaAdminClient sends
// through cl (the producer's batching settings, acks and compression are
// then cl's; close() flushes cl but never closes it; transactions are
// refused), and a KafkaConsumer opens a client of its own with cl's
// brokers, dialer, TLS and SASL, since group membership cannot be shared.
// Unless WithBootstrapServers is also given, cl's seed brokers become the
// default bootstrap servers, and an allow-list of brokers includes them.
// The host closes cl after the scripts are done. Default: nil.
func WithClient(cl *kgo.Client) Option { return func(r *Runtime) { r.client = cl } }

// WithClientOptions adds franz-go options to every client a script opens,
// after those its config produced, so the host's win: SASL credentials,
// TLS (kgo.DialTLSConfig), a dialer, seed brokers, hooks. Default: none.
func WithClientOptions(opts ...kgo.Opt) Option {
	return func(r *Runtime) { r.clientOpts = append(r.clientOpts, opts...) }
}

// WithEnviron lets scripts read environment variables through os.getenv
// and os.environ. Default: scripts see an empty environment.
func WithEnviron(environ func() map[string]string) Option {
	return func(r *Runtime) { r.environ = environ }
}

// WithOSEnviron lets scripts read the process environment (the kstar
// command uses it). Default: off.
func WithOSEnviron() Option { return WithEnviron(osEnviron) }

// WithAllowedBrokers grants scripts' clients these brokers (besides those
// of WithBootstrapServers and WithClient); any other fails at construction
// with a PermissionError. With WithHostAccess it restricts an otherwise
// open access to these. Default: none without WithHostAccess, any with it.
func WithAllowedBrokers(brokers ...string) Option {
	return func(r *Runtime) { r.allowedBrokers = brokers }
}

// WithAllowedTopics restricts the topics scripts may touch: produce to,
// consume from, see in metadata and listings, and read or change the
// configs, group offsets, records and partitions of. Any other topic is
// refused with TopicAuthorizationFailedError, as a broker's ACL would.
// Default: any.
func WithAllowedTopics(topics ...string) Option {
	return func(r *Runtime) { r.allowedTopics = topics }
}

// WithAllowedGroups restricts the consumer groups scripts may join
// (KafkaConsumer's group_id), commit for, see in listings, describe and
// administer (offsets, deletion). Any other group is refused with
// GroupAuthorizationFailedError. Default: any.
func WithAllowedGroups(groups ...string) Option {
	return func(r *Runtime) { r.allowedGroups = groups }
}

// Runtime runs kstar scripts. It is safe to run several executions at
// once; each gets its own thread and globals.
type Runtime struct {
	bootstrap      string
	bootstrapSet   bool
	stdout, stderr io.Writer
	maxSteps       uint64
	maxMemory      int64
	environ        func() map[string]string
	allowedBrokers []string
	allowedTopics  []string
	allowedGroups  []string
	extraModules   map[string]starlark.Value
	extraGlobals   starlark.StringDict
	client         *kgo.Client
	clientOpts     []kgo.Opt
	callTimeout    time.Duration
	parallelCalls  bool // WithParallelCalls
	hostAccess     bool
	readFile       func(name string) ([]byte, error)
	files          py.HostFiles
	stdin          io.Reader
	loadFS         fs.FS
	signals        *Signals
}

// New returns a Runtime configured by opts.
func New(opts ...Option) *Runtime {
	r := &Runtime{
		bootstrap:    kafka.DefaultBootstrapServers,
		stdout:       os.Stdout,
		stderr:       os.Stderr,
		extraModules: map[string]starlark.Value{},
		extraGlobals: starlark.StringDict{},
		callTimeout:  DefaultCallTimeout,
		maxSteps:     DefaultMaxSteps,
		maxMemory:    DefaultMaxMemory,
	}
	for _, o := range opts {
		o(r)
	}
	if !r.hostAccess {
		// Sandboxed: the host's default brokers (if it named them) and
		// its allow-list are all a script may reach.
		if r.allowedBrokers == nil {
			r.allowedBrokers = []string{}
		}
		if r.bootstrapSet {
			r.allowedBrokers = append(slices.Clip(r.allowedBrokers), strings.Split(r.bootstrap, ",")...)
		}
		if r.readFile == nil {
			r.readFile = refuseFiles
		}
	} else if r.files == nil {
		r.files = osFiles{}
	}
	if r.client != nil {
		seeds := kafka.BrokerSeeds(r.client)
		if !r.bootstrapSet && seeds != "" {
			r.bootstrap = seeds
		}
		if r.allowedBrokers != nil && seeds != "" {
			r.allowedBrokers = append(slices.Clip(r.allowedBrokers), strings.Split(seeds, ",")...)
		}
	}
	return r
}

// withCallTimeout bounds ctx by the runtime's call timeout, if any.
func (r *Runtime) withCallTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if r.callTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, r.callTimeout, r.timeoutError())
}

// timeoutError is the exception of an execution past the call timeout.
func (r *Runtime) timeoutError() *py.Exception {
	return py.Errorf(py.TimeoutError, "the call took longer than its limit of %s", r.callTimeout)
}

// newInterp returns an interpreter whose threads' errors become the
// exceptions an except clause sees.
func newInterp() *py.Interp {
	in := py.NewInterp()
	in.ExceptionOf = threadException
	return in
}

// threadException is the exception a thread's call ended with, caught
// where the call began: raised again by the thread that waits for it
// (Future.result()), its traceback shows that thread's frames, then the
// call's, as CPython's.
func threadException(err error) *py.Exception {
	exc := pyException(err)
	exc.Traceback = &caughtAt{err: err}
	if _, ok := exc.Cause.(*starlark.EvalError); ok {
		// Raised again, the exception takes the raising thread's stack,
		// which the call's must not stand in for.
		exc.Cause = nil
	}
	return exc
}

// newEnv returns the host side of one execution.
func (r *Runtime) newEnv(argv []string) execEnv {
	env := execEnv{py.NewEnv(), kafka.NewKafkaEnv(), newInterp()}
	env.Stdout, env.Stderr = r.stdout, r.stderr
	env.Argv = argv
	env.Getenv = r.environ
	env.kafka.BootstrapServers = r.bootstrap
	env.kafka.AllowedBrokers = r.allowedBrokers
	env.kafka.AllowedTopics = r.allowedTopics
	env.kafka.AllowedGroups = r.allowedGroups
	env.kafka.ClientOptions = r.clientOpts
	env.kafka.HostClient = r.client
	env.kafka.ReadFile = r.readFile
	env.Files = r.files
	env.Stdin = r.stdin
	env.UnhandledSignal = r.unhandledSignal
	if r.hostAccess {
		env.Hostname = os.Hostname
	}
	return env
}

// predeclared returns the globals every script starts with: Python's
// builtins as kstar renders them, the front end's helpers, and the host's.
func (r *Runtime) predeclared(env execEnv) starlark.StringDict {
	return r.predeclaredWith(env, r.newLoader(false))
}

// predeclaredWith is predeclared with the loader of the execution (nil
// without WithLoadDir): modules it loads see the same loader.
func (r *Runtime) predeclaredWith(env execEnv, loader *moduleLoader) starlark.StringDict {
	modules := documentedModules(env.Env)
	addStandardModules(modules, env.Env)
	for name, m := range r.extraModules {
		modules[name] = m
	}
	find := func(thread *starlark.Thread, name string) (starlark.Value, error) {
		if m, ok := modules[name]; ok {
			return m, nil
		}
		if loader != nil {
			return loader.importModule(thread, name)
		}
		return nil, nil
	}
	g := globals()
	for name, fn := range tryHelpers {
		g[name] = fn
	}
	for name, fn := range loweredHelpers {
		g[name] = fn
	}
	for name, fn := range withHelpers {
		g[name] = fn
	}
	for name, fn := range growthHelpers {
		g[name] = fn
	}
	g["__import__"] = py.Func("__import__", importModuleWith(find))
	g["__import_from__"] = py.Func("__import_from__", importFromWith(find))
	if loader != nil {
		g["load"] = py.Func("load", loader.loadBuiltin)
	}
	for name, v := range r.extraGlobals {
		g[name] = v
	}
	return g
}

// newThread returns a thread for executions with env attached, and its
// governor.
func (r *Runtime) newThread(name string, env execEnv) *starlark.Thread {
	thread := newThread(name, env)
	r.newGovernor(thread)
	return thread
}

// newThread returns a thread for one execution with env attached.
func newThread(name string, env execEnv) *starlark.Thread {
	thread := &starlark.Thread{
		Name: name,
		Print: func(_ *starlark.Thread, msg string) {
			fmt.Fprintln(env.Stdout, msg)
		},
	}
	env.attach(thread)
	thread.SetLocal(stoppedKey, new(stopped))
	return thread
}

// Check parses and resolves src without running it: syntax errors and
// undefined names are reported as a Python-style error, which FormatError
// renders as for ExecFile (with the source line, and a caret under a
// syntax error).
func (r *Runtime) Check(filename string, src []byte) error {
	f, err := r.parse(filename, src)
	if err != nil {
		return withSource(err, filename, src)
	}
	predeclared := r.predeclared(r.newEnv(nil))
	_, err = starlark.FileProgram(f, predeclared.Has)
	return withSource(err, filename, src)
}

// ExecFile runs a whole script: argv becomes sys.argv. When the script
// ends (normally or not) its Kafka clients are flushed and closed. The
// returned error, if any, formats as a Python traceback with FormatError.
func (r *Runtime) ExecFile(ctx context.Context, filename string, src []byte, argv []string) error {
	env := r.newEnv(argv)
	thread := r.newThread(filename, env)
	f, err := r.parse(filename, src)
	if err != nil {
		return withSource(err, filename, src)
	}
	predeclared := r.predeclared(env)
	prog, hints, err := compileScript(f, predeclared, func() (*syntax.File, error) { return frontend.Parse(filename, src) })
	if err != nil {
		return withSource(err, filename, src)
	}
	env.interp.Traceback = func(err error) string { return formatIgnored(withSource(err, filename, src)) }
	format := func(err error) string { return FormatError(withSource(err, filename, src)) }
	env.interp.MainFile = filename
	lines := strings.Split(string(src), "\n")
	env.interp.SourceLine = func(file string, n int) string {
		if file != filename || n < 1 || n > len(lines) {
			return ""
		}
		return lines[n-1]
	}
	err = r.run(ctx, thread, env, func() error {
		globals, err := prog.Init(thread, predeclared)
		// As CPython's, the main thread waits for the threading threads
		// that are not daemon; daemon threads are stopped.
		if finishErr := env.interp.Finish(thread, py.Forever); err == nil {
			err = finishErr
		}
		err = hints.hint(err)
		if !isStopped(thread) && env.Context().Err() == nil {
			err = atExit(thread, env, err, format)
		}
		closeGenerators(thread, env, globals)
		return err
	})
	if env.interp.ExitFuncs() > 0 && isKeyboardInterrupt(err) {
		// Ctrl-C stopped the script: the atexit functions run still, as
		// in CPython, in an execution of their own.
		_ = r.run(ctx, thread, env, func() error {
			err = atExit(thread, env, err, format)
			return nil
		})
	}
	// Records sent without flush are still delivered, as the issue of
	// exit-without-flush in kafka-python taught its users to expect.
	env.interp.AbandonGenerators()
	shutdownErr := run(context.WithoutCancel(ctx), thread, env, unlimited, func() error {
		return env.shutdown(thread, ShutdownTimeout)
	})
	// Records that could not be delivered fail a script that would
	// otherwise succeed (sys.exit(0) included).
	if shutdownErr != nil && ExitCode(err) == 0 {
		err = shutdownErr
	}
	return withSource(err, filename, src)
}

// atExit runs the atexit functions of an execution whose script ended
// with err, as CPython's Py_FinalizeEx does, once the traceback of err
// (by format) is printed: the error returned then formats as nothing.
func atExit(thread *starlark.Thread, env execEnv, err error, format func(error) string) error {
	if env.interp.ExitFuncs() == 0 {
		return err
	}
	if err != nil {
		if text := format(err); text != "" {
			fmt.Fprint(env.Stderr, text)
			err = &reportedError{err}
		}
	}
	env.interp.RunExitFuncs(thread)
	return err
}

// isKeyboardInterrupt reports whether err is a KeyboardInterrupt.
func isKeyboardInterrupt(err error) bool {
	e := exceptionOf(err)
	return e != nil && e.Class == py.KeyboardInterrupt
}

// reportedError is an execution error whose traceback the runtime
// printed already, before the atexit functions ran, as CPython prints
// it: FormatError renders it as nothing.
type reportedError struct{ err error }

func (e *reportedError) Error() string { return e.err.Error() }
func (e *reportedError) Unwrap() error { return e.err }

// closeGenerators closes the generators an execution left suspended,
// as CPython does when its script ends (py.Interp.CloseGenerators), unless
// the execution is being stopped (Ctrl-C, its timeout or a limit), which
// ends them without running more of the script.
func closeGenerators(thread *starlark.Thread, env execEnv, globals starlark.StringDict) {
	if env.Context().Err() != nil || isStopped(thread) {
		return
	}
	names := make([]string, 0, len(globals))
	for name := range globals {
		names = append(names, name)
	}
	sort.Strings(names)
	values := make([]starlark.Value, 0, len(names))
	for _, name := range names {
		v := globals[name]
		if c, ok := v.(*cell); ok {
			v = c.v
		}
		if v != nil {
			values = append(values, v)
		}
	}
	env.interp.CloseGenerators(thread, values)
}

// limits are the step and memory limits of one execution (0: none).
type limits struct {
	steps  uint64
	memory int64
}

// unlimited is for the shutdown of clients after an execution: their
// callbacks may run, bounded by ShutdownTimeout only.
var unlimited = limits{}

// limits are the runtime's limits of each execution.
func (r *Runtime) limits() limits { return limits{steps: r.maxSteps, memory: r.maxMemory} }

// run executes fn on thread under ctx (bounded by the call timeout) with
// the runtime's limits.
func (r *Runtime) run(ctx context.Context, thread *starlark.Thread, env execEnv, fn func() error) error {
	ctx, cancel := r.withCallTimeout(ctx)
	defer cancel()
	if r.signals != nil {
		var stop context.CancelCauseFunc
		ctx, stop = context.WithCancelCause(ctx)
		defer stop(nil)
		defer r.signals.receive(env.Env, stop)()
	}
	return run(ctx, thread, env, r.limits(), fn)
}

// run executes fn on thread with ctx as its execution context: cancelling
// ctx cancels the thread (stopping Starlark loops) and blocking builtins.
// A panic in a builtin becomes an error; cancellation becomes the
// context's cause (KeyboardInterrupt for Ctrl-C); a limit reached
// becomes its exception (MemoryError, ...).
func run(ctx context.Context, thread *starlark.Thread, env execEnv, lim limits, fn func() error) (err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	env.SetContext(ctx)
	// The limits are set under the interpreter's lock: the threads and
	// generator closers the script left read them when they hold it.
	env.interp.Acquire(thread)
	defer env.interp.Release(thread)
	g := governorOf(thread)
	g.begin(ctx, &canceler{cancel}, limitsFor(ctx, lim))
	defer g.end()
	flag := stoppedOf(thread)
	stopThread := context.AfterFunc(ctx, func() { flag.stop(thread, cancelReason(ctx)) })
	defer stopThread()
	defer func() {
		if p := recover(); p != nil {
			err = py.Errorf(py.RuntimeError, "internal error: %v", p)
		}
		// A builtin that could not return its error (an iterator's Next)
		// stopped the thread with py.Fail: report that error.
		if failure := py.TakeFailure(thread); failure != nil {
			err = failure
		}
		switch {
		case g.stopped.Load() != nil:
			err = g.result(err)
		case err != nil && ctx.Err() != nil:
			err = cancellationError(ctx, err)
		}
	}()
	return fn()
}

func cancelReason(ctx context.Context) string {
	return py.Cancellation(ctx).Error()
}

// cancellationError replaces the error of a cancelled execution with the
// cancellation's exception, keeping the call stack of the interruption.
func cancellationError(ctx context.Context, err error) error {
	if py.AsException(err) != nil && py.AsException(err).Class != py.RuntimeError {
		return err
	}
	return &interrupted{exc: py.Cancellation(ctx), cause: err}
}

// interrupted is an execution error caused by cancellation.
type interrupted struct {
	exc   *py.Exception
	cause error
}

func (e *interrupted) Error() string { return e.exc.Error() }
func (e *interrupted) Unwrap() error { return e.cause }

func osEnviron() map[string]string {
	m := map[string]string{}
	for _, kv := range os.Environ() {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				m[kv[:i]] = kv[i+1:]
				break
			}
		}
	}
	return m
}

// moduleFinder returns the module imported as name: a built-in or host
// module, or one of the load directory's; nil when there is none.
type moduleFinder func(thread *starlark.Thread, name string) (starlark.Value, error)

// mapFinder finds modules in a map.
func mapFinder(modules map[string]starlark.Value) moduleFinder {
	return func(_ *starlark.Thread, name string) (starlark.Value, error) { return modules[name], nil }
}

// importModule implements `import NAME` (the front end rewrites it to
// NAME = __import__("NAME")) for the modules of a map.
func importModule(modules map[string]starlark.Value) py.BuiltinFunc {
	return importModuleWith(mapFinder(modules))
}

// importFrom implements `from MODULE import a, b` for the modules of a map.
func importFrom(modules map[string]starlark.Value) py.BuiltinFunc {
	return importFromWith(mapFinder(modules))
}

// importModuleWith implements `import NAME` with the modules find finds.
func importModuleWith(find moduleFinder) func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var name string
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &name); err != nil {
			return nil, err
		}
		m, err := find(thread, name)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, py.Errorf(py.ModuleNotFoundError, "No module named '%s'", name)
		}
		return m, nil
	}
}

// importFromWith implements `from MODULE import a, b` (rewritten to
// a, b = __import_from__("MODULE", "a", "b")): one value for one name,
// a tuple for several.
func importFromWith(find moduleFinder) func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) < 2 || len(kwargs) > 0 {
			return nil, fmt.Errorf("%s: want a module name and at least one member name", b.Name())
		}
		modName, _ := starlark.AsString(args[0])
		m, err := find(thread, modName)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, py.Errorf(py.ModuleNotFoundError, "No module named '%s'", modName)
		}
		values := make(starlark.Tuple, 0, len(args)-1)
		for _, a := range args[1:] {
			name, _ := starlark.AsString(a)
			v, err := memberOf(m, name)
			if err != nil || v == nil {
				// A submodule imported as a member: from kafka import errors.
				if sub, _ := find(thread, modName+"."+name); sub != nil {
					v = sub
				} else {
					return nil, py.Errorf(py.ImportError, "cannot import name '%s' from '%s'", name, modName)
				}
			}
			values = append(values, v)
		}
		if len(values) == 1 {
			return values[0], nil
		}
		return values, nil
	}
}

func memberOf(m starlark.Value, name string) (starlark.Value, error) {
	if ha, ok := m.(starlark.HasAttrs); ok {
		return ha.Attr(name)
	}
	return nil, nil
}

// ModuleNames lists the modules scripts can import, sorted.
func (r *Runtime) ModuleNames() []string {
	modules := documentedModules(r.newEnv(nil).Env)
	for name := range standardModules {
		modules[name] = nil
	}
	for name := range r.extraModules {
		modules[name] = nil
	}
	names := make([]string, 0, len(modules))
	for n := range modules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
