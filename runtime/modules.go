package runtime

import (
	"sort"
	"sync"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/kafka"
	libjson "github.com/kstar-dev/kstar/builtins/lib/json"
	"github.com/kstar-dev/kstar/builtins/lib/logging"
	"github.com/kstar-dev/kstar/builtins/lib/msgpack"
	pyos "github.com/kstar-dev/kstar/builtins/lib/os"
	libsys "github.com/kstar-dev/kstar/builtins/lib/sys"
	libtime "github.com/kstar-dev/kstar/builtins/lib/time"
	"github.com/kstar-dev/kstar/builtins/py"
)

// What a script sees, assembled from every layer: the modules, the
// globals, and the help index over both.

// documentedModules returns the modules help() documents (helpTables
// has their entries), by import name ("json", "kafka", "kafka.errors",
// ...); standardModules are the others. Some depend on the Env (sys:
// argv) or keep state for one execution (logging), so each execution
// gets its own; the kafka modules are shared.
func documentedModules(env *py.Env) map[string]starlark.Value {
	m := map[string]starlark.Value{
		"json":    libjson.New(env),
		"logging": logging.New(env),
		"msgpack": msgpack.New(env),
		"os":      pyos.New(env),
		"os.path": pyos.NewPath(env),
		"sys":     libsys.New(env),
		"time":    libtime.New(env),
	}
	for name, module := range kafka.Modules() {
		m[name] = module
	}
	return m
}

// kstarGlobals are the Python core's globals with a help that documents
// every layer.
var kstarGlobals = py.Globals()

// Set here, not by kstarGlobals' initialiser: help's index refers back to
// the globals (an initialisation cycle otherwise).
func init() {
	kstarGlobals["help"] = py.Func("help", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return kstarHelp().Help(thread, b, args, kwargs)
	})
}

// globals returns a fresh copy of the predeclared globals: Python's
// builtins as kstar provides them, overriding Starlark's where they differ.
func globals() starlark.StringDict {
	g := make(starlark.StringDict, len(kstarGlobals))
	for k, v := range kstarGlobals {
		g[k] = v
	}
	return g
}

// helpTables are the help tables of every layer.
var helpTables = []py.HelpTable{py.Help, libjson.Help, msgpack.Help, libtime.Help, libsys.Help, pyos.Help, logging.Help, kafka.Help}

// kstarHelp is the index of kstar's globals and modules, built when help
// is first used.
var kstarHelp = sync.OnceValue(func() *py.HelpIndex {
	modules := documentedModules(py.NewEnv())
	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	sort.Strings(names)
	return &py.HelpIndex{Globals: kstarGlobals, Modules: names, Tables: helpTables}
})

// helpText returns what help(obj) prints (help() for a nil obj).
func helpText(obj starlark.Value) string { return kstarHelp().Text(obj) }
