package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/runtime"
)

// execOut runs src as "main.star" with opts and returns what it printed
// followed by the last line of its traceback, if any. Its consumers may
// wait longer than the default call timeout.
func execOut(t *testing.T, src string, opts ...runtime.Option) string {
	t.Helper()
	var out bytes.Buffer
	opts = append([]runtime.Option{runtime.WithStdout(&out), runtime.WithStderr(&out), runtime.WithCallTimeout(0)}, opts...)
	err := runtime.New(opts...).ExecFile(context.Background(), "main.star", []byte(src), []string{"main.star"})
	if err != nil {
		tb := strings.TrimRight(runtime.FormatError(err), "\n")
		out.WriteString("ERROR " + tb[strings.LastIndex(tb, "\n")+1:] + "\n")
	}
	return out.String()
}

// writeFiles creates files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadDir checks imports and load() from the host's directory, and
// everything they may not reach.
func TestLoadDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "scripts")
	writeFiles(t, root, map[string]string{
		"secret.star": "TOKEN = 'hunter2'\n",
		"scripts/helpers.star": `
print("helpers loaded as", __name__)
PREFIX = "ev-"
_private = 1
def tag(s):
    return PREFIX + s
`,
		"scripts/lib/util.py": "def double(x):\n    return 2 * x\n",
		"scripts/a.star":      "import b\nA = 1\n",
		"scripts/b.star":      "import a\nB = 1\n",
		"scripts/broken.star": "X = 1 // 0\n",
	})
	if err := os.Symlink(filepath.Join(root, "secret.star"), filepath.Join(dir, "escape.star")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, src, want string }{
		{"import", "import helpers\nimport helpers as h2\nprint(helpers.tag('x'), h2 == helpers)\n",
			"helpers loaded as helpers\nev-x True\n"},
		{"from import", "from helpers import tag, PREFIX\nfrom lib.util import double\nprint(tag('y'), PREFIX, double(21))\n",
			"helpers loaded as helpers\nev-y ev- 42\n"},
		{"import inside a function", "def f():\n    from lib.util import double\n    return double(2)\nprint(f(), f())\n", "4 4\n"},
		{"load", "double = load('lib/util.py', 'double')\nutil = load('./lib/util.py')\ntag, prefix = load('helpers.star', 'tag', 'PREFIX')\nprint(double(4), util.double(5), tag('z'), prefix)\n",
			"helpers loaded as helpers\n8 10 ev-z ev-\n"},
		{"private names stay private", "from helpers import _private\n",
			"helpers loaded as helpers\nERROR ImportError: cannot import name '_private' from 'helpers'\n"},
		{"parent directory", "load('../secret.star')\n",
			"ERROR PermissionError: load(): '../secret.star' is outside the load directory\n"},
		{"absolute path", "load('/etc/passwd')\n",
			"ERROR PermissionError: load(): '/etc/passwd' is outside the load directory\n"},
		{"symbolic link out", "import escape\n",
			"ERROR PermissionError: load(): 'escape.star' is outside the load directory\n"},
		{"missing", "load('nothere.star')\n", "ERROR ModuleNotFoundError: No module named 'nothere.star'\n"},
		{"missing import", "import nothere\n", "ERROR ModuleNotFoundError: No module named 'nothere'\n"},
		{"circular", "import a\n", "ERROR ImportError: cannot import 'a': circular import (a.star -> b.star -> a.star)\n"},
		{"module error", "import broken\n", "ERROR ZeroDivisionError: integer division or modulo by zero\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := execOut(t, tc.src, runtime.WithLoadDir(dir)); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	t.Run("no load dir", func(t *testing.T) {
		if got, want := execOut(t, "load('helpers.star')\n"), "ERROR NameError: name 'load' is not defined\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if got, want := execOut(t, "import helpers\n"), "ERROR ModuleNotFoundError: No module named 'helpers'\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

// TestScriptLoadDir checks that a Script's modules load once and serve
// every call, also imports made inside functions at call time.
func TestScriptLoadDir(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"enrich.star": "print('enrich loaded')\ndef region(k):\n    return 'eu' if k < 'm' else 'us'\n"})
	var out bytes.Buffer
	s := load(t, `
def process(record):
    from enrich import region
    return record._replace(headers=[("region", region(record.key.decode()))])
`, runtime.WithLoadDir(dir), runtime.WithStdout(&out))
	for _, k := range []string{"alice", "zed", "bob"} {
		recs, err := s.Process(context.Background(), "process", in("t", 0, 0, k, "v"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"alice": "eu", "zed": "us", "bob": "eu"}[k]
		if got := string(recs[0].Headers[0].Value); got != want {
			t.Errorf("%s: region %s, want %s", k, got, want)
		}
	}
	if out.String() != "enrich loaded\n" {
		t.Errorf("module ran %q, want once", out.String())
	}
}

// TestSandbox checks what a sandboxed script is refused, and what each
// grant gives back.
func TestSandbox(t *testing.T) {
	filesDir := t.TempDir()
	writeFiles(t, filesDir, map[string]string{"ca.pem": "not a certificate\n"})
	outside := filepath.Join(t.TempDir(), "ca.pem")
	writeFiles(t, filepath.Dir(outside), map[string]string{"ca.pem": "x"})
	t.Setenv("KSTAR_SANDBOX_TEST", "visible")
	ssl := func(file string) string {
		return "from kafka import KafkaProducer\nKafkaProducer(bootstrap_servers='127.0.0.1:1', security_protocol='SSL', ssl_cafile='" + file + "')\n"
	}
	for _, tc := range []struct {
		name string
		opts []runtime.Option
		src  string
		want string
	}{
		{"no broker", nil,
			"from kafka import KafkaProducer\nKafkaProducer(bootstrap_servers='127.0.0.1:1')\n",
			"ERROR kafka.errors.KafkaConfigurationError: KafkaConfigurationError: bootstrap_servers: broker 127.0.0.1:1 is not allowed here (the host allows none)\n"},
		{"default broker is granted, no other", []runtime.Option{runtime.WithBootstrapServers("kafka:9092")},
			"from kafka import KafkaConsumer\nKafkaConsumer(bootstrap_servers='other:9092')\n",
			"ERROR kafka.errors.KafkaConfigurationError: KafkaConfigurationError: bootstrap_servers: broker other:9092 is not allowed here (allowed: kafka:9092)\n"},
		{"host access: any file", []runtime.Option{runtime.WithHostAccess()},
			ssl(outside),
			"ERROR kafka.errors.KafkaConfigurationError: KafkaConfigurationError: ssl_cafile: no PEM certificate found in '" + outside + "'\n"},
		{"admin too", nil,
			"from kafka.admin import KafkaAdminClient\nKafkaAdminClient(bootstrap_servers='localhost')\n",
			"ERROR kafka.errors.KafkaConfigurationError: KafkaConfigurationError: bootstrap_servers: broker localhost:9092 is not allowed here (the host allows none)\n"},
		{"another broker", []runtime.Option{runtime.WithAllowedBrokers("127.0.0.1:1")},
			"from kafka import KafkaProducer\nKafkaProducer(bootstrap_servers='10.1.1.1:9092')\n",
			"ERROR kafka.errors.KafkaConfigurationError: KafkaConfigurationError: bootstrap_servers: broker 10.1.1.1:9092 is not allowed here (allowed: 127.0.0.1:1)\n"},
		{"no files", []runtime.Option{runtime.WithAllowedBrokers("127.0.0.1:1")},
			ssl("/etc/ssl/certs/ca-certificates.crt"),
			"ERROR PermissionError: [Errno 13] Permission denied: '/etc/ssl/certs/ca-certificates.crt'\n"},
		{"files granted", []runtime.Option{runtime.WithAllowedBrokers("127.0.0.1:1"), runtime.WithFiles(filesDir)},
			ssl("ca.pem"),
			"ERROR kafka.errors.KafkaConfigurationError: KafkaConfigurationError: ssl_cafile: no PEM certificate found in 'ca.pem'\n"},
		{"files granted, absolute name inside", []runtime.Option{runtime.WithAllowedBrokers("127.0.0.1:1"), runtime.WithFiles(filesDir)},
			ssl(filepath.Join(filesDir, "ca.pem")),
			"ERROR kafka.errors.KafkaConfigurationError: KafkaConfigurationError: ssl_cafile: no PEM certificate found in '" + filepath.Join(filesDir, "ca.pem") + "'\n"},
		{"files granted, outside", []runtime.Option{runtime.WithAllowedBrokers("127.0.0.1:1"), runtime.WithFiles(filesDir)},
			ssl(outside),
			"ERROR PermissionError: [Errno 13] Permission denied: '" + outside + "'\n"},
		{"files granted, parent", []runtime.Option{runtime.WithAllowedBrokers("127.0.0.1:1"), runtime.WithFiles(filesDir)},
			ssl("../x.pem"),
			"ERROR PermissionError: [Errno 13] Permission denied: '../x.pem'\n"},
		{"no environment", nil,
			"import os\nprint(os.getenv('KSTAR_SANDBOX_TEST'), len(os.environ))\n",
			"None 0\n"},
		{"environment granted", []runtime.Option{runtime.WithOSEnviron()},
			"import os\nprint(os.getenv('KSTAR_SANDBOX_TEST'))\n",
			"visible\n"},
		{"no load dir", nil,
			"import helpers\n",
			"ERROR ModuleNotFoundError: No module named 'helpers'\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := execOut(t, tc.src, tc.opts...); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestAllowedBrokersAndTopics runs a sandboxed script against a broker it
// is granted, and checks topics outside the allow-list are refused: by
// the script's own clients and in what process returns.
func TestAllowedBrokersAndTopics(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	ok := testbroker.UniqueName(t, "ok")
	src := `
from kafka import KafkaProducer, KafkaConsumer
producer = KafkaProducer()
print(producer.send(OK, b"x").get(timeout=10).topic == OK)
try_other = producer.send("other", b"x")
`
	got := execOut(t, "OK = '"+ok+"'\n"+src, runtime.WithBootstrapServers(boot),
		runtime.WithAllowedBrokers(strings.Split(boot, ",")...), runtime.WithAllowedTopics(ok))
	if want := "True\nERROR kafka.errors.TopicAuthorizationFailedError: [Error 29] TopicAuthorizationFailedError: topic 'other' is not allowed here (allowed: " + ok + ")\n"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	got = execOut(t, "from kafka import KafkaConsumer\nKafkaConsumer('other')\n", runtime.WithBootstrapServers(boot),
		runtime.WithAllowedBrokers(strings.Split(boot, ",")...), runtime.WithAllowedTopics(ok))
	if want := "ERROR kafka.errors.TopicAuthorizationFailedError: [Error 29] TopicAuthorizationFailedError: topic 'other' is not allowed here (allowed: " + ok + ")\n"; got != want {
		t.Errorf("consumer: got %q, want %q", got, want)
	}

	s := load(t, "def process(record):\n    return [record, record._replace(topic=record.value.decode())]\n",
		runtime.WithAllowedTopics("audit"))
	if out, err := s.Process(context.Background(), "process", in("in", 0, 0, "", "audit")); err != nil || len(out) != 2 {
		t.Errorf("allowed: %s %v", show(out), err)
	}
	_, err := s.Process(context.Background(), "process", in("in", 0, 0, "", "secret"))
	var se *runtime.ScriptError
	if !errors.As(err, &se) || se.Name() != "TopicAuthorizationFailedError" ||
		se.Message() != "process() returned a record for topic 'secret', which is not allowed here (allowed: audit)" {
		t.Errorf("got %v", err)
	}
}

// countHook counts the records a client buffers for producing.
type countHook struct{ n atomic.Int64 }

func (h *countHook) OnProduceRecordBuffered(*kgo.Record) { h.n.Add(1) }

// TestWithClient checks that scripts' producers send through the host's
// client (and leave it open), that their consumers connect with its
// settings, and that transactions on it are refused.
func TestWithClient(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	topic := testbroker.UniqueName(t, "host")
	hook := &countHook{}
	host, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.WithHooks(hook), kgo.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	src := `
from kafka import KafkaProducer, KafkaConsumer
producer = KafkaProducer(acks=1)
for i in range(3):
    producer.send(TOPIC, key=b"k", value=b"v%d" % i)
producer.flush()
print(producer.bootstrap_connected())
producer.close()
consumer = KafkaConsumer(TOPIC, auto_offset_reset="earliest", consumer_timeout_ms=3000)
print(sorted([m.value for m in consumer]))
consumer.close()
`
	// No bootstrap servers given: the host client's seeds are the default;
	// the sandbox's broker allow-list includes them.
	got := execOut(t, "TOPIC = '"+topic+"'\n"+src, runtime.WithClient(host))
	if want := "True\n[b'v0', b'v1', b'v2']\n"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if n := hook.n.Load(); n != 3 {
		t.Errorf("the host client buffered %d records, want 3", n)
	}
	// The script closed its producer: the host's client is still open.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := host.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: []byte("host")}).FirstErr(); err != nil {
		t.Errorf("the host client after the script: %v", err)
	}
	got = execOut(t, "from kafka import KafkaProducer\nKafkaProducer(transactional_id='t')\n", runtime.WithClient(host))
	if want := "ERROR kafka.errors.KafkaConfigurationError: KafkaConfigurationError: transactional_id: scripts cannot run transactions on the host's client\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestWithClientOptions checks that the host's client options apply to
// the clients scripts open, after their own: a hook sees the records and
// the host's seed brokers replace the script's.
func TestWithClientOptions(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	topic := testbroker.UniqueName(t, "opts")
	hook := &countHook{}
	src := "from kafka import KafkaProducer\np = KafkaProducer(bootstrap_servers='127.0.0.1:1')\np.send('" + topic + "', b'x').get(timeout=10)\np.send('" + topic + "', b'y').get(timeout=10)\nprint('sent')\n"
	got := execOut(t, src, runtime.WithHostAccess(), runtime.WithClientOptions(kgo.WithHooks(hook), kgo.SeedBrokers(strings.Split(boot, ",")...)))
	if got != "sent\n" || hook.n.Load() != 2 {
		t.Errorf("got %q and %d records seen by the hook, want sent and 2", got, hook.n.Load())
	}
}
