package os

import (
	"go.starlark.net/starlark"

	"testing"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
)

func TestOSEnviron(t *testing.T) {
	env := py.NewEnv()
	env.Getenv = func() map[string]string { return map[string]string{"HOME": "/home/k", "BROKER": "b:9092"} }
	pytest.RunCases(t, env, modules(env), []pytest.Case{
		{`os.getenv('HOME')`, `'/home/k'`},
		{`os.getenv('NOPE')`, `None`},
		{`os.getenv('NOPE', 'dflt')`, `'dflt'`},
		{`os.getenv(key='BROKER')`, `'b:9092'`},
		{`os.environ['BROKER']`, `'b:9092'`},
		{`os.environ.get('NOPE', 1)`, `1`},
		{`os.environ.get('HOME')`, `'/home/k'`},
		{`('HOME' in os.environ, 'NOPE' in os.environ)`, `(True, False)`},
		{`[k for k in os.environ]`, `['BROKER', 'HOME']`},
		{`len(os.environ)`, `2`},
		{`os.environ.items()`, `[('BROKER', 'b:9092'), ('HOME', '/home/k')]`},
		{`dict(os.environ)`, `{'BROKER': 'b:9092', 'HOME': '/home/k'}`},
		{`os.environ`, `environ({'BROKER': 'b:9092', 'HOME': '/home/k'})`},
		// Errors, as CPython reports them.
		{`os.environ['NOPE']`, `KeyError: 'NOPE'`},
		{`os.environ[1]`, `TypeError: str expected, not int`},
		{`os.getenv(1)`, `TypeError: str expected, not int`},
	})
}

func TestOSEnvironEmptyByDefault(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), modules(py.NewEnv()), []pytest.Case{
		{`os.environ`, `environ({})`},
		{`os.getenv('PATH')`, `None`},
		{`bool(os.environ)`, `False`},
	})
}

// A missing attribute names its module, as CPython's AttributeError does.
func TestOSMissingAttribute(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), modules(py.NewEnv()), []pytest.Case{
		{`os.nope`, `AttributeError: module 'os' has no attribute 'nope'`},
		{`os.path.nope`, `AttributeError: module 'posixpath' has no attribute 'nope'`},
		{`getattr(os, 'nope', 1)`, `1`},
		{`hasattr(os, 'remove'), hasattr(os, 'nope')`, `(True, False)`},
		{`(os, os.path)`, `(<module 'os' (frozen)>, <module 'posixpath' (frozen)>)`},
		{`vars(os)['devnull']`, `'/dev/null'`},
		{`os.remove('x')`, `PermissionError: os.remove('x'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)`},
		{`os.rename(1, 'b')`, `TypeError: rename: src should be string, bytes or os.PathLike, not int`},
		{`os.remove(1)`, `TypeError: remove: path should be string, bytes or os.PathLike, not int`},
	})
}

// modules are what the tests' expressions import: os and os.path.
func modules(env *py.Env) map[string]starlark.Value {
	return map[string]starlark.Value{"os": New(env), "os.path": NewPath(env)}
}
