package builtins

import (
	"sort"
	"sync"

	"go.starlark.net/starlark"

	libjson "github.com/kstar-dev/kstar/builtins/lib/json"
	"github.com/kstar-dev/kstar/builtins/lib/msgpack"
	pyos "github.com/kstar-dev/kstar/builtins/lib/os"
	"github.com/kstar-dev/kstar/builtins/py"
)

// What a script sees, assembled from every layer: the modules, the
// globals, and the help index over both.

// Modules returns the importable modules for one execution, by import
// name ("json", "kafka", "kafka.errors", ...). Some depend on the Env (sys:
// argv) or keep state for one execution (logging), so each execution
// gets its own; the kafka modules are shared.
func Modules(env *py.Env) map[string]starlark.Value {
	m := map[string]starlark.Value{
		"json":    libjson.New(env),
		"logging": newLoggingModule(env),
		"msgpack": msgpack.New(env),
		"os":      pyos.New(env),
		"os.path": pyos.NewPath(env),
		"sys":     newSysModule(env),
		"time":    newTimeModule(env),
	}
	for name, module := range kafkaModules() {
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

// Globals returns a fresh copy of the predeclared globals: Python's
// builtins as kstar provides them, overriding Starlark's where they differ.
func Globals() starlark.StringDict {
	g := make(starlark.StringDict, len(kstarGlobals))
	for k, v := range kstarGlobals {
		g[k] = v
	}
	return g
}

// helpTables are the help tables of every layer.
var helpTables = []py.HelpTable{py.Help, libjson.Help, msgpack.Help, timeHelp, sysHelp, pyos.Help, loggingHelp, kafkaHelp}

// kstarHelp is the index of kstar's globals and modules, built when help
// is first used.
var kstarHelp = sync.OnceValue(func() *py.HelpIndex {
	modules := Modules(py.NewEnv())
	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	sort.Strings(names)
	return &py.HelpIndex{Globals: kstarGlobals, Modules: names, Tables: helpTables}
})

// HelpText returns what help(obj) prints (help() for a nil obj).
func HelpText(obj starlark.Value) string { return kstarHelp().Text(obj) }
