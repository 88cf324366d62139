package runtime

import (
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins"
	"github.com/kstar-dev/kstar/builtins/lib/collections"
	"github.com/kstar-dev/kstar/builtins/lib/functools"
	"github.com/kstar-dev/kstar/builtins/lib/itertools"
	pymath "github.com/kstar-dev/kstar/builtins/lib/math"
	"github.com/kstar-dev/kstar/builtins/lib/operator"
	"github.com/kstar-dev/kstar/builtins/lib/pprint"
	"github.com/kstar-dev/kstar/builtins/lib/statistics"
	pystring "github.com/kstar-dev/kstar/builtins/lib/string"
	"github.com/kstar-dev/kstar/builtins/lib/textwrap"
)

// standardModules are the standard library modules of builtins/lib, by
// import name. Each is made anew for every execution, so that module
// state (random's generator, a logger) belongs to one execution and is
// never shared between goroutines.
var standardModules = map[string]func(env *builtins.Env) starlark.Value{
	"collections": collections.New,
	"functools":   functools.New,
	"itertools":   itertools.New,
	"math":        pymath.New,
	"operator":    operator.New,
	"pprint":      pprint.New,
	"statistics":  statistics.New,
	"string":      pystring.New,
	"textwrap":    textwrap.New,
}

// addStandardModules adds the modules of standardModules to modules.
func addStandardModules(modules map[string]starlark.Value, env *builtins.Env) {
	for name, make := range standardModules {
		modules[name] = make(env)
	}
}
