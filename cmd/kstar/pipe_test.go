package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/pipeline"
)

// pipeTopics fills a new input topic with n records "0".."n-1" and
// returns its name and a new output topic's.
func pipeTopics(t *testing.T, boot string, n int) (in, out string) {
	t.Helper()
	in, out = testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out")
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.AllowAutoTopicCreation(),
		// Kafka creates a topic only after a metadata request or two has
		// answered UNKNOWN_TOPIC_OR_PARTITION; franz-go may wait
		// MetadataMinAge (5 s) before asking again.
		kgo.MetadataMinAge(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for i := 0; i < n; i++ {
		recs = append(recs, &kgo.Record{Topic: in, Value: []byte(strconv.Itoa(i))})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	return in, out
}

// readTopic returns the values of the first n records of topic, sorted.
func readTopic(t *testing.T, boot, topic string, n int) []string {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var vals []string
	for len(vals) < n && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			v := string(r.Value)
			for _, h := range r.Headers {
				v += "," + h.Key + "=" + string(h.Value)
			}
			vals = append(vals, v)
		})
	}
	sort.Strings(vals)
	return vals
}

func pipe(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = Main(append([]string{"pipe"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

// TestPipe runs `kstar pipe` over a topic, with a helper module next to
// the script and the progress line forced on, then runs it again: the
// group's committed offsets make the second run find nothing new.
func TestPipe(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	in, out := pipeTopics(t, boot, 200)
	dir := t.TempDir()
	script := filepath.Join(dir, "evens.star")
	writeFile(t, filepath.Join(dir, "tags.star"), "def tag(n):\n    return 'big' if n >= 100 else 'small'\n")
	writeFile(t, script, `
from tags import tag
print("loaded")
def process(record):
    n = int(record.value)
    if n % 2:
        return None
    return record._replace(headers=[("size", tag(n).encode())])
`)
	group := testbroker.UniqueName(t, "g")
	args := []string{"--bootstrap-servers", boot, "--from", in, "--to", out, "--group", group, "--parallelism", "2", "--idle-exit", "400ms", "--progress", "always", script}
	stdout, stderr, code := pipe(args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if stdout != "loaded\n" {
		t.Errorf("stdout %q", stdout)
	}
	progress := regexp.MustCompile(`\r\x1b\[Kkstar pipe: [\d,]+ in, [\d,]+ out, [\d,]+ rec/s, lag [\d,?]+`)
	if !progress.MatchString(stderr) {
		t.Errorf("no progress line in %q", stderr)
	}
	if !strings.HasSuffix(stderr, "\r\x1b[Kkstar pipe: 200 in, 100 out, 100 dropped, 200 committed, lag 0\n") {
		t.Errorf("summary: %q", stderr)
	}
	got := readTopic(t, boot, out, 100)
	if len(got) != 100 || got[0] != "0,size=small" || got[99] != "98,size=small" || !contains(got, "150,size=big") {
		t.Errorf("output: %v", got)
	}

	// Again, with the default progress (stderr is no terminal here): the
	// group's committed offsets leave nothing to do.
	_, stderr, code = pipe(append(args[:len(args)-3:len(args)-3], script)...)
	if code != 0 || stderr != "kstar pipe: 0 in, 0 out, 0 dropped, 0 committed\n" {
		t.Errorf("second run: exit %d\n%q", code, stderr)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPipeErrors checks usage errors and a script failing mid-stream.
func TestPipeErrors(t *testing.T) {
	dir := t.TempDir()
	noProcess := filepath.Join(dir, "noprocess.star")
	writeFile(t, noProcess, "def transform(record):\n    return record\n")
	good := filepath.Join(dir, "good.star")
	writeFile(t, good, "def process(record):\n    return record\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--to", "b", noProcess}, "kstar pipe: --from is required\n"},
		{[]string{"--from", "a", noProcess}, "kstar pipe: --to is required\n"},
		{[]string{"--from", "a", "--to", "b"}, "kstar pipe: want one SCRIPT, got 0 arguments\n"},
		{[]string{"--from", "a", "--to", "b", "--progress", "sometimes", noProcess}, "kstar pipe: --progress must be auto, always or never, not \"sometimes\"\n"},
		{[]string{"--from", "a", "--to", "a", good}, "kstar pipeline: Config.To \"a\" is also consumed (From)\n"},
		{[]string{"--from", "a", "--to", "b", noProcess + "x"}, "kstar: can't open file '" + noProcess + "x': no such file or directory\n"},
		{[]string{"--from", "a", "--to", "b", noProcess}, "kstar pipe: " + noProcess + " defines no function process()\n"},
	} {
		_, stderr, code := pipe(tc.args...)
		if code != 2 || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%v: exit %d\n%s\nwant exit 2 and\n%s", tc.args, code, stderr, tc.want)
		}
	}

	boot := testbroker.Bootstrap(t)
	in, out := pipeTopics(t, boot, 20)
	bad := filepath.Join(dir, "bad.star")
	writeFile(t, bad, "def process(record):\n    if record.value == b'7':\n        fail('cannot handle 7')\n    return record\n")
	_, stderr, code := pipe("--bootstrap-servers", boot, "--from", in, "--to", out, "--group", testbroker.UniqueName(t, "g"), bad)
	want := "Traceback (most recent call last):\n  File \"" + bad + "\", line 3, in process\n    fail('cannot handle 7')\nException: cannot handle 7\n"
	if code != 1 || !strings.HasSuffix(stderr, want) {
		t.Errorf("exit %d\n%s\nwant exit 1 and a traceback ending\n%s", code, stderr, want)
	}
}

// TestProgressLine checks the progress and summary lines' format.
func TestProgressLine(t *testing.T) {
	st := pipeline.Stats{Consumed: 1234567, Produced: 1000, Dropped: 5, Committed: 1234000, Lag: 42}
	if got, want := progressLine(st, 98765.4), "kstar pipe: 1,234,567 in, 1,000 out, 98,765 rec/s, lag 42"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	st.Lag = -1
	if got, want := progressLine(st, 0), "kstar pipe: 1,234,567 in, 1,000 out, 0 rec/s, lag ?"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := summary(st), "1,234,567 in, 1,000 out, 5 dropped, 1,234,000 committed"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPipeKeepsState runs `kstar pipe` with a process function that
// keeps a set of the keys it has seen in a global, across records: the
// output has each key once. With --parallelism 2 the globals are frozen,
// and the first change of one stops the pipe naming its line.
func TestPipeKeepsState(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	in, out := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out")
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.AllowAutoTopicCreation(), kgo.MetadataMinAge(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for i := range 120 {
		recs = append(recs, &kgo.Record{Topic: in, Key: []byte("k" + strconv.Itoa(i%12)), Value: []byte(strconv.Itoa(i))})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "dedupe.star")
	writeFile(t, script, `
seen = set()
calls = 0

def process(record):
    global calls
    calls += 1
    if record.key in seen:
        return None
    seen.add(record.key)
    return record._replace(value=record.key)
`)
	args := []string{"--bootstrap-servers", boot, "--from", in, "--to", out, "--idle-exit", "400ms", script}
	_, stderr, code := pipe(append([]string{"--group", testbroker.UniqueName(t, "g")}, args...)...)
	if code != 0 || !strings.HasPrefix(stderr, "kstar pipe: 120 in, 12 out, 108 dropped, 120 committed") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got := readTopic(t, boot, out, 12)
	want := []string{"k0", "k1", "k10", "k11", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("output %v, want each key once: %v", got, want)
	}

	_, stderr, code = pipe(append([]string{"--group", testbroker.UniqueName(t, "g"), "--parallelism", "2"}, args...)...)
	wantTB := "  File \"" + script + "\", line 7, in process\n    calls += 1\nTypeError: cannot assign to global calls: globals are frozen once the script is loaded (the script's calls run in parallel, so its globals are frozen: with kstar pipe --parallelism 1, or without runtime.WithParallelCalls, calls may keep state in globals)\n"
	if code != 1 || !strings.HasSuffix(stderr, wantTB) {
		t.Errorf("--parallelism 2: exit %d\n%s\nwant exit 1 and a traceback ending\n%s", code, stderr, wantTB)
	}
}
