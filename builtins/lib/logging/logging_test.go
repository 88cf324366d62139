package logging

import (
	"bytes"
	"testing"

	"go.starlark.net/starlark"

	libsys "github.com/kstar-dev/kstar/builtins/lib/sys"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
)

func TestLoggingErrors(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), modules(py.NewEnv()), []pytest.Case{
		{`logging.getLogger(5)`, `TypeError: A logger name must be a string`},
		{`logging.getLogger('x').setLevel('LOUD')`, `ValueError: Unknown level: 'LOUD'`},
		{`logging.getLogger('x').setLevel(1.5)`, `TypeError: Level not an integer or a valid string: 1.5`},
		{`logging.basicConfig(filename='app.log')`, `PermissionError: open('app.log'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)`},
		{`logging.FileHandler('app.log')`, `PermissionError: open('app.log'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)`},
		{`logging.basicConfig(style='x')`, `ValueError: Style must be one of: %,{,$`},
		{`logging.basicConfig(stream=sys.stdout, filename='app.log')`, `ValueError: 'stream' and 'filename' should not be specified together`},
		{`logging.basicConfig(handlers=[], stream=sys.stdout)`, `ValueError: 'stream' or 'filename' should not be specified together with 'handlers'`},
		{`logging.basicConfig(format='no fields')`, `ValueError: Invalid format 'no fields' for '%' style`},
		{`logging.basicConfig(handlers=[], bogus=1, other=2)`, `ValueError: Unrecognised argument(s): bogus, other`},
		{`logging.Formatter('{x}', style='$')`, `ValueError: invalid format: no fields`},
		{`logging.Handler().emit(None)`, `NotImplementedError: emit must be implemented by Handler subclasses`},
		{`logging.Formatter().format(1)`, `AttributeError: 'int' object has no attribute 'getMessage'`},
		{`logging.getLogger('x').info()`, `TypeError: info() missing 1 required positional argument: 'msg'`},
		{`logging.getLogger('x').warning('%d', 'a')`, `TypeError: %d format: a real number is required, not str`},
		{`logging.getLogger('x').warning('m', bad=1)`, `TypeError: _log() got an unexpected keyword argument 'bad'`},
		{`logging.getLogger('kafka')`, `<Logger kafka (WARNING)>`},
		{`logging.getLogger()`, `<RootLogger root (WARNING)>`},
	})
}

// Records go to the thread's Env: stderr by default, bare before
// basicConfig (Python's last-resort handler), formatted after.
func TestLoggingStreams(t *testing.T) {
	var out, errOut bytes.Buffer
	env := py.NewEnv()
	env.Stdout, env.Stderr = &out, &errOut
	// One expression, so that one logging module sees every step.
	pytest.RunCases(t, env, modules(env), []pytest.Case{{`[
		logging.getLogger('a').warning('early %s', 1),
		logging.getLogger('a').info('dropped'),
		logging.basicConfig(format='%(levelname)s|%(name)s|%(levelno)d|%(message)s'),
		logging.getLogger('a').error('late'),
		logging.basicConfig(format='ignored: configured already'),
		logging.getLogger('a').info('below WARNING'),
		logging.basicConfig(stream=sys.stdout, force=True),
		logging.warning('to stdout'),
	]`, `[None, None, None, None, None, None, None, None]`}})
	if got, want := errOut.String(), "early 1\nERROR|a|40|late\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if got, want := out.String(), "WARNING:root:to stdout\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
}

// Records no handler takes go to logging.lastResort: WARNING and above,
// the message alone (and the traceback), on sys.stderr; a NullHandler
// takes them and writes nothing.
func TestLoggingLastResort(t *testing.T) {
	var out, errOut bytes.Buffer
	env := py.NewEnv()
	env.Stdout, env.Stderr = &out, &errOut
	pytest.RunCases(t, env, modules(env), []pytest.Case{{`[
		logging.getLogger('a').info('below WARNING'),
		logging.getLogger('a').warning('bare %s', 'message'),
		logging.getLogger('a').error('with', exc_info=True),
		logging.getLogger('q').addHandler(logging.NullHandler()),
		logging.getLogger('q').error('taken by the NullHandler'),
		logging.getLogger('q').setLevel(logging.DEBUG),
		logging.getLogger('q').handlers.clear(),
		logging.getLogger('q').propagate,
		logging.getLogger('q').info('below lastResort'),
		logging.getLogger('q').critical('no handler'),
		logging.root.handlers,
		logging.lastResort,
	]`, `[None, None, None, None, None, None, None, True, None, None, [], <_StderrHandler <stderr> (WARNING)>]`}})
	if got, want := errOut.String(), "bare message\nwith\nNoneType: None\nno handler\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if out.Len() > 0 {
		t.Errorf("stdout %q, want nothing", out.String())
	}
}

// TestLoggerMethodHelps checks that every method of a Logger has a help
// entry and every Logger entry is a method.
func TestLoggerMethodHelps(t *testing.T) {
	// A Logger's methods are not bound to it (their builtins have no
	// receiver), so they are checked by name: bound to a Logger, each has
	// its entry.
	loggerMethodBuiltins := map[string]*starlark.Builtin{}
	for name := range loggerMethods {
		loggerMethodBuiltins[name] = py.Func(name, nil).BindReceiver(&Logger{})
	}
	pytest.CheckMethodHelps(t, &py.HelpIndex{Tables: []py.HelpTable{Help}}, "Logger", loggerMethodBuiltins)
}

// modules are the modules the tests' expressions use.
func modules(env *py.Env) map[string]starlark.Value {
	return map[string]starlark.Value{"logging": New(env), "sys": libsys.New(env)}
}
