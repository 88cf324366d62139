package sys

import (
	"bytes"
	"errors"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
)

func TestSysModule(t *testing.T) {
	env := py.NewEnv()
	env.Argv = []string{"script.star", "-v", "x"}
	pytest.RunCases(t, env, modules(env), []pytest.Case{
		{`sys.argv`, `['script.star', '-v', 'x']`},
		{`sys.stdout`, `<_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>`},
		{`sys.stderr.name`, `'<stderr>'`},
		{`sys.maxsize`, `9223372036854775807`},
		{`sys.version_info`, `sys.version_info(major=3, minor=11, micro=0, releaselevel='final', serial=0)`},
		{`'kstar' in sys.version`, `True`},
		{`sys.stdout.write(1)`, `TypeError: write() argument must be str, not int`},
		{`sys.exit(code=1)`, `TypeError: sys.exit() takes no keyword arguments`},
	})
}

func TestSysStreams(t *testing.T) {
	var out, errOut bytes.Buffer
	env := py.NewEnv()
	env.Stdout, env.Stderr = &out, &errOut
	pytest.RunCases(t, env, modules(env), []pytest.Case{
		{`sys.stdout.write('héllo\n')`, `6`},
		{`sys.stderr.write('oops')`, `4`},
		{`sys.stdout.flush()`, `None`},
	})
	if out.String() != "héllo\n" || errOut.String() != "oops" {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
}

func TestSysExit(t *testing.T) {
	for _, c := range []struct {
		expr   string
		code   int
		status string // the SystemExit's code, as str() prints it
	}{
		{`sys.exit()`, 0, "None"},
		{`sys.exit(None)`, 0, "None"},
		{`sys.exit(3)`, 3, "3"},
		{`sys.exit(True)`, 1, "True"},
		{`sys.exit('bad input')`, 1, "bad input"},
		{`sys.exit(['x', 1])`, 1, "['x', 1]"},
	} {
		var errOut bytes.Buffer
		env := py.NewEnv()
		env.Stderr = &errOut
		_, err := pytest.Eval(env, modules(env), c.expr)
		var exit *py.SystemExit
		if !errors.As(err, &exit) || exit.Code != c.code || py.Str(exit.Status) != c.status || errOut.Len() > 0 {
			t.Errorf("%s: error %v, stderr %q; want exit %d with status %s, nothing on stderr (printed if uncaught)", c.expr, err, errOut.String(), c.code, c.status)
		}
	}
}

// modules are the modules the tests' expressions use.
func modules(env *py.Env) map[string]starlark.Value {
	return map[string]starlark.Value{"sys": New(env)}
}
