package runtime

import (
	"sort"
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	pyos "github.com/kstar-dev/kstar/builtins/lib/os"
	libsys "github.com/kstar-dev/kstar/builtins/lib/sys"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
)

// TestBuiltinHelpOtherMethods checks the methods of the types scripts
// get from the standard modules: sys.stdout and os.environ (kafka's and
// logging's types are checked in their packages).
func TestBuiltinHelpOtherMethods(t *testing.T) {
	for _, obj := range []starlark.HasAttrs{libsys.Stdout, pyos.NewEnviron(nil)} {
		pytest.CheckMethodHelps(t, kstarHelp(), py.TypeName(obj), pytest.MethodsOf(t, obj))
	}
}

// TestBuiltinHelpModuleFunctions checks that every function of every
// module has a help entry keyed by that module, and that no module entry
// names a function the module lacks.
func TestBuiltinHelpModuleFunctions(t *testing.T) {
	funcs := map[string]bool{}
	modules := documentedModules(py.NewEnv())
	for modName, m := range modules {
		members := moduleMembers(m)
		if members == nil {
			continue
		}
		for member, v := range members {
			b, ok := v.(*starlark.Builtin)
			if !ok {
				continue
			}
			want := modName + "." + b.Name() // msgpack.dumps is packb
			funcs[want] = true
			if key := kstarHelp().Key(b); key != want {
				t.Errorf("%s.%s: help key %q, want %q", modName, member, key, want)
			} else if _, ok := kstarHelp().Entry(key); !ok {
				t.Errorf("%s.%s: no help entry", modName, member)
			}
		}
	}
	// One function of each module help must cover: a module whose
	// functions stopped being found fails here.
	for _, key := range []string{"json.dumps", "msgpack.packb", "time.sleep", "sys.exit", "os.getenv", "logging.getLogger"} {
		if !funcs[key] {
			t.Errorf("%s: not found among the modules' functions", key)
		}
	}
	for _, key := range kstarHelp().Keys() {
		i := strings.LastIndexByte(key, '.')
		if _, isModule := modules[key[:max(i, 0)]]; i > 0 && isModule && !funcs[key] {
			t.Errorf("help entry %q: the module has no such function", key)
		}
	}
}

// TestBuiltinHelpGlobals checks that every Python builtin function a
// script sees (kstar's globals, Starlark's universe where kstar does not
// replace it) has a help entry under its bare name, and that every bare
// entry is one of them.
func TestBuiltinHelpGlobals(t *testing.T) {
	seen := map[string]bool{}
	check := func(name string, v starlark.Value) {
		b, ok := v.(*starlark.Builtin)
		if !ok || strings.HasPrefix(name, "__") {
			return // a type (int, str...) or a front-end helper
		}
		seen[name] = true
		if key := kstarHelp().Key(b); key != name {
			t.Errorf("%s: help key %q", name, key)
		} else if _, ok := kstarHelp().Entry(key); !ok {
			t.Errorf("%s: no help entry", name)
		}
	}
	g := globals()
	for name, v := range g {
		check(name, v)
	}
	for name, v := range starlark.Universe {
		if _, replaced := g[name]; !replaced {
			check(name, v)
		}
	}
	var stale []string
	for _, key := range kstarHelp().Keys() {
		if !strings.Contains(key, ".") && !seen[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("help entries that are no builtin function: %v", stale)
	}
}

// moduleMembers are the members of a module, nil if m is none.
func moduleMembers(m starlark.Value) starlark.StringDict {
	switch m := m.(type) {
	case *starlarkstruct.Module:
		return m.Members
	case *py.Module:
		return m.Members
	}
	return nil
}

func TestBuiltinhelpText(t *testing.T) {
	modules := documentedModules(py.NewEnv())
	member := func(module, name string) starlark.Value {
		return moduleMembers(modules[module])[name]
	}
	for _, c := range []struct {
		name string
		obj  starlark.Value
		want string
	}{
		{"json.dumps", member("json", "dumps"),
			"dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True, indent=None, separators=None, default=None, sort_keys=False)\n    Serialize obj to a JSON formatted str."},
		{"msgpack.dumps is packb", member("msgpack", "dumps"),
			"packb(o, *, default=None, use_single_float=False, use_bin_type=True)\n    Pack o into msgpack bytes (msgpack.dumps is the same function)."},
		{"time.sleep", member("time", "sleep"),
			"sleep(seconds)\n    Delay execution for a number of seconds (a float for subsecond precision)."},
		{"logging.getLogger", member("logging", "getLogger"),
			"getLogger(name=None)\n    Return the logger of a dotted name, or the root logger."},
		{"print", globals()["print"],
			"print(*args, sep=' ', end='\\n', file=None, flush=False)\n    Print the values to sys.stdout, or to file, separated by sep and followed by end."},
		{"map", globals()["map"],
			"map(function, *iterables)\n    Return an iterator of function applied to the items of the iterables in parallel."},
		{"len, Starlark's", starlark.Universe["len"],
			"len(obj)\n    Return the number of items in a container."},
		{"sys.stdout.write", pytest.MethodsOf(t, libsys.Stdout)["write"],
			"write(s) method of TextIOWrapper instance\n    Write the string s to the stream; returns the number of characters written."},
		{"a function kstar does not document", py.Func("frobnicate", nil),
			"frobnicate(...)\n    built-in function"},
		{"a host's print is not Python's", py.Func("print", nil),
			"print(...)\n    built-in function"},
		{"a method kstar does not document", py.Func("frobnicate", nil).BindReceiver(pyos.NewEnviron(nil)),
			"frobnicate(...) method of _Environ instance\n    built-in method"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := helpText(c.obj); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// TestBuiltinHelpModuleListing checks that help(module) gives each
// function's one-line doc.
func TestBuiltinHelpModuleListing(t *testing.T) {
	got := helpText(documentedModules(py.NewEnv())["time"])
	for _, want := range []string{
		"module time:\n",
		"\n  sleep: Delay execution for a number of seconds (a float for subsecond precision).\n",
		"\n  struct_time\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("help(time) lacks %q:\n%s", want, got)
		}
	}
}

// TestHelpTablesDisjoint: the index answers a key from the first table
// that has it, so no key may be in two tables.
func TestHelpTablesDisjoint(t *testing.T) {
	seen := map[string]bool{}
	for _, key := range kstarHelp().Keys() {
		if seen[key] {
			t.Errorf("%q is in two help tables", key)
		}
		seen[key] = true
	}
	if len(seen) < 150 {
		t.Errorf("the help tables have %d keys", len(seen))
	}
}
