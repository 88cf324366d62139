package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/testbroker"
)

// TestPipeIdleExitWaitsForTheWholeGroup runs `kstar pipe --idle-exit`
// beside a member of the same group that holds some partitions and
// never commits (as a crashed member does until its session ends). The
// pipe catches up on its own partitions but must not exit while the
// group lags; once the stalled member leaves, the pipe takes its
// partitions, processes them and exits with every record out.
func TestPipeIdleExitWaitsForTheWholeGroup(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	in, out, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	seeds := kgo.SeedBrokers(strings.Split(boot, ",")...)
	cl, err := kgo.NewClient(seeds, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := kadm.NewClient(cl).CreateTopic(ctx, 4, -1, nil, in); err != nil {
		t.Fatal(err)
	}
	const n = 400
	var recs []*kgo.Record
	for i := range n {
		recs = append(recs, &kgo.Record{Topic: in, Partition: int32(i % 4), Value: []byte(strconv.Itoa(i))})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	assigned := make(chan struct{}, 1)
	stalled, err := kgo.NewClient(seeds, kgo.ConsumerGroup(group), kgo.ConsumeTopics(in), kgo.DisableAutoCommit(),
		kgo.OnPartitionsAssigned(func(context.Context, *kgo.Client, map[string][]int32) {
			select {
			case assigned <- struct{}{}:
			default:
			}
		}))
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	go stalled.PollFetches(ctx) // joins the group; its records are never processed
	select {
	case <-assigned:
	case <-ctx.Done():
		t.Fatal("the stalled member never joined")
	}

	script := filepath.Join(t.TempDir(), "copy.star")
	writeFile(t, script, "def process(record):\n    return record\n")
	type result struct {
		stderr string
		code   int
	}
	done := make(chan result, 1)
	go func() {
		_, stderr, code := pipe("--bootstrap-servers", boot, "--from", in, "--to", out, "--group", group, "--idle-exit", "300ms", script)
		done <- result{stderr, code}
	}()
	// The pipe gets its share once the group rebalances, and copies it.
	readTopic(t, boot, out, 1)
	select {
	case r := <-done:
		t.Fatalf("the pipe exited (%d) while the stalled member's partitions lag:\n%s", r.code, r.stderr)
	case <-time.After(3 * time.Second): // ten times --idle-exit
	}
	stalled.LeaveGroup()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
	case <-ctx.Done():
		t.Fatal("the pipe did not exit once the group caught up")
	}
	if got := readTopic(t, boot, out, n); len(got) != n {
		t.Errorf("%d records out, want %d", len(got), n)
	}
}

// TestPipeRestartTakesItsPartitionsBack SIGKILLs a pipe and starts it
// again: its default --instance-id (a static membership) is the same, so
// the new process takes the partitions at once, where a new dynamic
// member would wait for the dead one's session (45 s) to end.
func TestPipeRestartTakesItsPartitionsBack(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	in := onePartitionTopic(t, boot, "0", "1", "block")
	out, group := testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	// Two scripts of the same name (so the same default instance id): the
	// first blocks at "block", the second does not.
	first, second := filepath.Join(t.TempDir(), "step.star"), filepath.Join(t.TempDir(), "step.star")
	writeFile(t, first, `
import time
def process(record):
    print("first at", record.offset, flush=True)
    if record.value == b"block":
        time.sleep(600)
    return record
`)
	writeFile(t, second, "def process(record):\n    print('second at', record.offset, flush=True)\n    return record\n")
	args := []string{"pipe", "--bootstrap-servers", boot, "--from", in, "--to", out, "--group", group, "--max-poll-records", "1"}
	cmd, stdout, _ := startKstar(t, append(args, first)...)
	waitForOutput(t, stdout, "first at 2\n")
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitExit(t, cmd)
	start := time.Now()
	_, stdout, stderr := startKstar(t, append(args, second)...)
	// waitForOutput gives up after 30 s, before the dead member's session
	// would have ended.
	waitForOutput(t, stdout, "second at 2\n")
	t.Logf("restart gap: %v (stderr %q)", time.Since(start).Round(10*time.Millisecond), stderr.String())
	// The new member goes on to commit all three records.
	for deadline := time.Now().Add(30 * time.Second); committedOffset(t, boot, group, in) < 3; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("committed offset %d after 30 s, want 3", committedOffset(t, boot, group, in))
		}
	}
}
