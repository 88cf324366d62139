package builtins

import (
	"context"
	"sort"
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	pyos "github.com/kstar-dev/kstar/builtins/lib/os"
	"github.com/kstar-dev/kstar/builtins/py"
)

// methodsOf returns obj's bound methods by name, as dir(obj) lists them.
func methodsOf(t *testing.T, obj starlark.HasAttrs) map[string]*starlark.Builtin {
	t.Helper()
	methods := map[string]*starlark.Builtin{}
	for _, name := range obj.AttrNames() {
		v, err := obj.Attr(name)
		if err != nil {
			t.Fatalf("%s.%s: %v", py.TypeName(obj), name, err)
		}
		if b, ok := v.(*starlark.Builtin); ok {
			methods[name] = b
		}
	}
	return methods
}

// checkMethodHelps fails for a method of typeName that help() does not
// document, and for a help entry of typeName that is no method.
func checkMethodHelps(t *testing.T, typeName string, methods map[string]*starlark.Builtin) {
	t.Helper()
	if len(methods) == 0 {
		t.Fatalf("%s: no methods found", typeName)
	}
	for name, b := range methods {
		if key := kstarHelp().Key(b); key != typeName+"."+name {
			t.Errorf("%s.%s: help key %q", typeName, name, key)
		} else if _, ok := kstarHelp().Entry(key); !ok {
			t.Errorf("%s.%s: no help entry", typeName, name)
		}
	}
	for _, key := range kstarHelp().Keys() {
		if name, ok := strings.CutPrefix(key, typeName+"."); ok && methods[name] == nil {
			t.Errorf("help entry %q: %s has no such method", key, typeName)
		}
	}
}

// TestBuiltinHelpClientMethods checks, on real clients, that every method
// the clients and the future list in dir() has a help entry, and that
// help() of one prints its kafka-python signature and doc.
func TestBuiltinHelpClientMethods(t *testing.T) {
	bound := map[string]map[string]*starlark.Builtin{}
	r := newScriptRun(testBootstrap(t))
	r.extra = starlark.StringDict{
		"record": py.Func("record", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var obj starlark.HasAttrs
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &obj); err != nil {
				return nil, err
			}
			bound[py.TypeName(obj)] = methodsOf(t, obj)
			return starlark.None, nil
		}),
	}
	err := r.exec(context.Background(), `
p = KafkaProducer(bootstrap_servers=BOOT)
f = p.send('help-docs', b'v')
f.get(timeout=10)
record(p)
record(f)
record(KafkaConsumer(bootstrap_servers=BOOT))
record(KafkaAdminClient(bootstrap_servers=BOOT))
help(p.send)
help(f.get)
`)
	if err != nil {
		t.Fatalf("script: %v\n%s", err, r.out.String())
	}
	for _, typeName := range []string{"KafkaProducer", "FutureRecordMetadata", "KafkaConsumer", "KafkaAdminClient"} {
		checkMethodHelps(t, typeName, bound[typeName])
	}

	wantPrinted := `send(topic, value=None, key=None, headers=None, partition=None, timestamp_ms=None) method of KafkaProducer instance
    Publish a message to a topic; returns a FutureRecordMetadata.
get(timeout=None) method of FutureRecordMetadata instance
    Wait at most timeout seconds for the send and return its RecordMetadata, or raise its error.
`
	if got := r.out.String(); got != wantPrinted {
		t.Errorf("help() printed:\n%s\nwant:\n%s", got, wantPrinted)
	}

	for _, c := range []struct{ typeName, method, want string }{
		{"KafkaProducer", "flush", "flush(timeout=None) method of KafkaProducer instance\n    Send all buffered records and wait until they complete, at most timeout seconds."},
		{"KafkaConsumer", "poll", "poll(timeout_ms=0, max_records=None, update_offsets=True) method of KafkaConsumer instance\n    Fetch records, waiting at most timeout_ms: {TopicPartition: [ConsumerRecord, ...]}."},
		{"KafkaConsumer", "seek_to_end", "seek_to_end(*partitions) method of KafkaConsumer instance\n    Seek to the end offset of the partitions (all assigned ones by default)."},
		{"KafkaAdminClient", "list_topics", "list_topics() method of KafkaAdminClient instance\n    Return the names of all topics, internal ones included, sorted."},
		{"KafkaAdminClient", "list_groups", "list_groups(broker_ids=None) method of KafkaAdminClient instance\n    kafka-python 3.0's name of list_consumer_groups."},
		{"FutureRecordMetadata", "add_errback", "add_errback(f, *args, **kwargs) method of FutureRecordMetadata instance\n    Call f(*args, exception, **kwargs) when the send fails; returns the future."},
	} {
		if got := HelpText(bound[c.typeName][c.method]); got != c.want {
			t.Errorf("help(%s.%s):\n%s\nwant:\n%s", c.typeName, c.method, got, c.want)
		}
	}
}

// TestBuiltinHelpOtherMethods checks the methods of the other types
// scripts get without a broker: commit_async's Future, sys.stdout,
// os.environ, the namedtuples' helpers and a Logger's methods.
func TestBuiltinHelpOtherMethods(t *testing.T) {
	fields := make(starlark.Tuple, len(consumerRecordFields))
	for i := range fields {
		fields[i] = starlark.None
	}
	record, err := ConsumerRecordClass.CallInternal(&starlark.Thread{}, fields, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, obj := range []starlark.HasAttrs{&KafkaFuture{}, SysStdout, pyos.NewEnviron(nil)} {
		checkMethodHelps(t, py.TypeName(obj), methodsOf(t, obj))
	}
	// Every namedtuple's methods, and its class's, are documented once.
	namedTupleMethods := methodsOf(t, record.(*ConsumerRecord))
	for name, m := range methodsOf(t, NewTopicPartition("t", 0)) {
		namedTupleMethods[name] = m
	}
	for name, m := range methodsOf(t, TopicPartitionType) {
		namedTupleMethods[name] = m
	}
	checkMethodHelps(t, "namedtuple", namedTupleMethods)
	// A Logger's methods are not bound to it (their builtins have no
	// receiver), so they are checked by name: bound to a Logger, each has
	// its entry.
	loggerMethodBuiltins := map[string]*starlark.Builtin{}
	for name := range loggerMethods {
		loggerMethodBuiltins[name] = py.Func(name, nil).BindReceiver(&Logger{})
	}
	checkMethodHelps(t, "Logger", loggerMethodBuiltins)
}

// TestBuiltinHelpModuleFunctions checks that every function of every
// module has a help entry keyed by that module, and that no module entry
// names a function the module lacks.
func TestBuiltinHelpModuleFunctions(t *testing.T) {
	funcs := map[string]bool{}
	modules := Modules(py.NewEnv())
	for modName, m := range modules {
		mod, ok := m.(*starlarkstruct.Module)
		if !ok {
			continue
		}
		for member, v := range mod.Members {
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
	g := Globals()
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

func TestBuiltinHelpText(t *testing.T) {
	modules := Modules(py.NewEnv())
	member := func(module, name string) starlark.Value {
		return modules[module].(*starlarkstruct.Module).Members[name]
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
		{"print", Globals()["print"],
			"print(*args, sep=' ', end='\\n', file=None, flush=False)\n    Print the values to sys.stdout, or to file, separated by sep and followed by end."},
		{"map", Globals()["map"],
			"map(function, *iterables)\n    Return an iterator of function applied to the items of the iterables in parallel."},
		{"len, Starlark's", starlark.Universe["len"],
			"len(obj)\n    Return the number of items in a container."},
		{"sys.stdout.write", methodsOf(t, SysStdout)["write"],
			"write(s) method of TextIOWrapper instance\n    Write the string s to the stream; returns the number of characters written."},
		{"a function kstar does not document", py.Func("frobnicate", nil),
			"frobnicate(...)\n    built-in function"},
		{"a host's print is not Python's", py.Func("print", nil),
			"print(...)\n    built-in function"},
		{"a method kstar does not document", py.Func("frobnicate", nil).BindReceiver(pyos.NewEnviron(nil)),
			"frobnicate(...) method of _Environ instance\n    built-in method"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := HelpText(c.obj); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// TestBuiltinHelpModuleListing checks that help(module) gives each
// function's one-line doc.
func TestBuiltinHelpModuleListing(t *testing.T) {
	got := HelpText(Modules(py.NewEnv())["time"])
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
