package runtime_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/runtime"
)

// TestWithLoadFS checks that imports and load() read modules from the
// host's fs.FS, and only from it: not from the working directory, the
// parent of the load root or an absolute path, even when the file exists.
func TestWithLoadFS(t *testing.T) {
	// A file the script must not reach, in the working directory and next
	// to it, so that the refusals are not merely "no such file".
	cwd := t.TempDir()
	writeFiles(t, cwd, map[string]string{
		"local.star":    "TOKEN = 'from the working directory'\n",
		"cwd/dummy.txt": "",
	})
	t.Chdir(filepath.Join(cwd, "cwd"))
	secret := filepath.Join(cwd, "local.star")
	fsys := fstest.MapFS{
		"helpers.star":    {Data: []byte("print('helpers loaded as', __name__)\nPREFIX = 'ev-'\ndef tag(s):\n    return PREFIX + s\n")},
		"lib/util.py":     {Data: []byte("def double(x):\n    return 2 * x\n")},
		"lib/sneaky.star": {Data: []byte("load('../local.star')\n")},
		"broken.star":     {Data: []byte("def f(:\n")},
	}
	for _, tc := range []struct{ name, src, want string }{
		{"import", "import helpers\nprint(helpers.tag('x'))\n",
			"helpers loaded as helpers\nev-x\n"},
		{"from import of a dotted module", "from lib.util import double\nprint(double(21))\n", "42\n"},
		{"load with names", "tag, prefix = load('helpers.star', 'tag', 'PREFIX')\nutil = load('./lib/util.py')\nprint(tag('z'), prefix, util.double(4))\n",
			"helpers loaded as helpers\nev-z ev- 8\n"},
		{"a module runs once per execution", "import helpers\nh = load('helpers.star')\nprint(h == helpers)\n",
			"helpers loaded as helpers\nTrue\n"},
		{"missing file", "load('nothere.star')\n",
			"ERROR ModuleNotFoundError: No module named 'nothere.star'\n"},
		{"missing module", "import nothere\n",
			"ERROR ModuleNotFoundError: No module named 'nothere'\n"},
		{"missing name", "load('helpers.star', 'nope')\n",
			"helpers loaded as helpers\nERROR ImportError: cannot import name 'nope' from 'helpers.star'\n"},
		{"syntax error in a module", "import broken\n",
			"ERROR SyntaxError: invalid syntax\n"},
		{"working directory is not searched", "import local\n",
			"ERROR ModuleNotFoundError: No module named 'local'\n"},
		{"parent of the root", "load('../local.star')\n",
			"ERROR PermissionError: load(): '../local.star' is outside the load directory\n"},
		{"absolute path to an existing file", "load('" + secret + "')\n",
			"ERROR PermissionError: load(): '" + secret + "' is outside the load directory\n"},
		{"a module cannot escape either", "import lib.sneaky\n",
			"ERROR PermissionError: load(): '../local.star' is outside the load directory\n"},
		{"the root itself", "load('.')\n",
			"ERROR PermissionError: load(): '.' is outside the load directory\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := execOut(t, tc.src, runtime.WithLoadFS(fsys))
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	t.Run("script loads modules once for all its calls", func(t *testing.T) {
		var out strings.Builder
		s := load(t, "def process(record):\n    from helpers import tag\n    return record._replace(value=tag(record.value.decode()))\n",
			runtime.WithLoadFS(fsys), runtime.WithStdout(&out))
		for _, v := range []string{"a", "b"} {
			recs, err := s.Process(context.Background(), "process", in("t", 0, 0, "", v))
			if err != nil {
				t.Fatalf("Process: %v\n%s", err, traceback(err))
			}
			if got, want := string(recs[0].Value), "ev-"+v; got != want {
				t.Errorf("value %q, want %q", got, want)
			}
		}
		if got, want := out.String(), "helpers loaded as helpers\n"; got != want {
			t.Errorf("printed %q, want %q (the module once)", got, want)
		}
	})
}

// TestWithEnviron checks that os.getenv and os.environ see exactly the
// host's variables, none of the process environment, and a snapshot
// taken when each execution starts.
func TestWithEnviron(t *testing.T) {
	t.Setenv("KSTAR_OPTIONS_TEST_LEAK", "process value")
	vars := map[string]string{"APP_MODE": "prod", "EMPTY": "", "PATH": "/host/bin"}
	environ := runtime.WithEnviron(func() map[string]string { return vars })
	for _, tc := range []struct{ name, src, want string }{
		{"getenv", "print(os.getenv('APP_MODE'), os.getenv(key='PATH'))\n", "prod /host/bin\n"},
		{"empty value is set", "print(repr(os.getenv('EMPTY', 'default')), 'EMPTY' in os.environ)\n", "'' True\n"},
		{"missing variable", "print(os.getenv('MISSING'))\n", "None\n"},
		{"missing variable's default", "print(os.getenv('MISSING', 'fallback'), os.environ.get('MISSING', 'd2'))\n", "fallback d2\n"},
		{"process environment is hidden", "print(os.getenv('KSTAR_OPTIONS_TEST_LEAK'), 'HOME' in os.environ)\n", "None False\n"},
		{"exactly the host's variables", "print(len(os.environ), list(os.environ), sorted(os.environ.keys()))\n",
			"3 ['APP_MODE', 'EMPTY', 'PATH'] ['APP_MODE', 'EMPTY', 'PATH']\n"},
		{"items", "print(os.environ.items())\n", "[('APP_MODE', 'prod'), ('EMPTY', ''), ('PATH', '/host/bin')]\n"},
		{"subscript", "print(os.environ['APP_MODE'])\n", "prod\n"},
		{"subscript of a missing variable", "os.environ['KSTAR_OPTIONS_TEST_LEAK']\n",
			"ERROR KeyError: 'KSTAR_OPTIONS_TEST_LEAK'\n"},
		{"getenv wants str", "os.getenv(1)\n", "ERROR TypeError: str expected, not int\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := execOut(t, "import os\n"+tc.src, environ); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	t.Run("an empty map is an empty environment", func(t *testing.T) {
		got := execOut(t, "import os\nprint(len(os.environ), os.getenv('PATH', 'none'))\n",
			runtime.WithEnviron(func() map[string]string { return nil }))
		if want := "0 none\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("each execution sees the environment of its start", func(t *testing.T) {
		var out strings.Builder
		release := "v1"
		rt := runtime.New(runtime.WithStdout(&out), runtime.WithEnviron(func() map[string]string {
			return map[string]string{"RELEASE": release}
		}))
		src := []byte("import os\nprint(os.environ['RELEASE'])\n")
		for _, r := range []string{"v1", "v2"} {
			release = r
			if err := rt.ExecFile(context.Background(), "env.star", src, nil); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := out.String(), "v1\nv2\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

// TestAllowedTopicsPattern subscribes a sandboxed consumer to a pattern
// that matches an allowed and a disallowed topic: the pattern stands for
// the allowed topics it matches, so the disallowed one is neither
// consumed nor listed, without an error. Naming the disallowed topic
// instead is refused with an error naming it.
func TestAllowedTopicsPattern(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	allowed := testbroker.UniqueName(t, "ok")
	denied := testbroker.UniqueName(t, "ok")
	unmatched := testbroker.UniqueName(t, "other") // allowed, but not matched by the pattern
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx,
		&kgo.Record{Topic: allowed, Value: []byte("a0")},
		&kgo.Record{Topic: allowed, Value: []byte("a1")},
		&kgo.Record{Topic: denied, Value: []byte("d0")},
		&kgo.Record{Topic: unmatched, Value: []byte("u0")},
	).FirstErr(); err != nil {
		t.Fatal(err)
	}
	// The script is granted the broker; ALLOWED, DENIED and GROUP name
	// this test's topics and group.
	base := []runtime.Option{
		runtime.WithBootstrapServers(boot),
		runtime.WithPredeclared("ALLOWED", starlark.String(allowed)),
		runtime.WithPredeclared("DENIED", starlark.String(denied)),
		runtime.WithPredeclared("GROUP", starlark.String(testbroker.UniqueName(t, "g"))),
	}
	sandbox := func(topics ...string) []runtime.Option {
		return append(slices.Clip(base), runtime.WithAllowedTopics(topics...))
	}
	consume := func(group string) string {
		return `
from kafka import KafkaConsumer
c = KafkaConsumer(group_id=` + group + `, auto_offset_reset='earliest', consumer_timeout_ms=3000)
c.subscribe(pattern='^ok-.*')
print(sorted([m.value for m in c]))
print(c.subscription() == set([ALLOWED]), DENIED in c.topics())
c.close()
`
	}
	for _, tc := range []struct {
		name, src string
		opts      []runtime.Option
		want      string
	}{
		{"without a group", consume("None"), sandbox(allowed, unmatched), "[b'a0', b'a1']\nTrue False\n"},
		{"in a group", consume("GROUP"), sandbox(allowed, unmatched), "[b'a0', b'a1']\nTrue False\n"},
		{"no allowed topic matches, without a group", `
from kafka import KafkaConsumer
c = KafkaConsumer(auto_offset_reset='earliest', consumer_timeout_ms=1000)
c.subscribe(pattern='^ok-.*')
print(sorted([m.value for m in c]), c.subscription())
`, sandbox(unmatched), "[] set()\n"},
		{"no allowed topic matches, in a group", `
from kafka import KafkaConsumer
c = KafkaConsumer(group_id=GROUP, auto_offset_reset='earliest', consumer_timeout_ms=1000)
c.subscribe(pattern='^ok-.*')
print(sorted([m.value for m in c]), c.subscription())
`, sandbox(unmatched), "[] set()\n"},
		{"naming the disallowed topic", `
from kafka import KafkaConsumer
KafkaConsumer(auto_offset_reset='earliest').subscribe([ALLOWED, DENIED])
`, sandbox(allowed, unmatched), "ERROR kafka.errors.TopicAuthorizationFailedError: [Error 29] TopicAuthorizationFailedError: topic '" + denied + "' is not allowed here (allowed: " + allowed + ", " + unmatched + ")\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := execOut(t, tc.src, tc.opts...); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	// Without an allow-list the same pattern reaches both topics, so the
	// sandboxed run above really was filtering.
	got := execOut(t, `
from kafka import KafkaConsumer
c = KafkaConsumer(auto_offset_reset='earliest', consumer_timeout_ms=3000)
c.subscribe(pattern='^ok-.*')
print(sorted([m.value for m in c if m.topic in (ALLOWED, DENIED)]))
`, base...)
	if want := "[b'a0', b'a1', b'd0']\n"; got != want {
		t.Errorf("without WithAllowedTopics: got %q, want %q", got, want)
	}
}
