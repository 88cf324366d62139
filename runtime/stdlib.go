package runtime

import (
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/argparse"
	"github.com/kstar-dev/kstar/builtins/lib/re"
	"github.com/kstar-dev/kstar/builtins/py"
)

// standardModules are the standard library modules of builtins/lib, by
// import name. Each is made anew for every execution, so that module
// state (random's generator, a logger) belongs to one execution and is
// never shared between goroutines.
var standardModules = map[string]func(env *py.Env) starlark.Value{
	"argparse": argparse.New,
	"re":       re.New,
}

// addStandardModules adds the modules of standardModules to modules.
func addStandardModules(modules map[string]starlark.Value, env *py.Env) {
	for name, make := range standardModules {
		modules[name] = make(env)
	}
}
