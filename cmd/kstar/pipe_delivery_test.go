package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/testbroker"
)

// readCommitted returns the first n committed records of topic.
func readCommitted(t *testing.T, boot, topic string, n int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for len(recs) < n && ctx.Err() == nil {
		recs = append(recs, cl.PollFetches(ctx).Records()...)
	}
	return recs
}

// TestPipeExactlyOnce runs `kstar pipe --exactly-once` with a script that
// fails on one record, which a retry does not cure and which goes to the
// dead-letter topic: every result is transactional, and the transactional
// id is derived from the group, the script and the instance id.
func TestPipeExactlyOnce(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	in, out := pipeTopics(t, boot, 20)
	dlq, group := testbroker.UniqueName(t, "dlq"), testbroker.UniqueName(t, "g")
	script := filepath.Join(t.TempDir(), "seven.star")
	writeFile(t, script, "def process(record):\n    if record.value == b'7':\n        fail('cannot handle 7')\n    return record\n")
	_, stderr, code := pipe("--bootstrap-servers", boot, "--from", in, "--to", out, "--group", group, "--exactly-once", "--instance-id", "m1",
		"--dead-letter", dlq, "--retries", "1", "--idle-exit", "400ms", script)
	if code != 0 || stderr != "kstar pipe: 20 in, 20 out, 0 dropped, 20 committed, lag 0\n" {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	results := readCommitted(t, boot, out, 19)
	dead := readCommitted(t, boot, dlq, 1)
	for _, r := range append(results, dead...) {
		if !r.Attrs.IsTransactional() {
			t.Errorf("%s/%s is not transactional", r.Topic, r.Value)
		}
	}
	if len(results) != 19 || len(dead) != 1 || string(dead[0].Value) != "7" || string(dead[0].Headers[0].Value) != script+":3: Exception: cannot handle 7" {
		t.Errorf("%d results, dead letters %v", len(results), dead)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	txns, err := kadm.NewClient(cl).ListTransactions(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := group + ".seven.m1"; !slices.Contains(txns.TransactionalIDs(), want) {
		t.Errorf("no transactional id %s among %v", want, txns.TransactionalIDs())
	}
}

// TestPipeDeliveryUsage checks the delivery flags' usage errors.
func TestPipeDeliveryUsage(t *testing.T) {
	script := filepath.Join(t.TempDir(), "good.star")
	writeFile(t, script, "def process(record):\n    return record\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--retries", "-2"}, "kstar pipe: --retries must be -1 (until it succeeds), 0 or more, not -2\n"},
		{[]string{"--transactional-id", "t1"}, "kstar pipe: --transactional-id needs --exactly-once\n"},
		{[]string{"--dead-letter", "a"}, "kstar pipeline: Config.DeadLetter \"a\" is also consumed (From)\n"},
	} {
		_, stderr, code := pipe(append(append([]string{"--from", "a", "--to", "b"}, tc.args...), script)...)
		if code != 2 || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%v: exit %d\n%s\nwant exit 2 and\n%s", tc.args, code, stderr, tc.want)
		}
	}
}
