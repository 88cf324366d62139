package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/testbroker"
)

// commitOnRevoke is a consumer whose ConsumerRebalanceListener subclass
// commits what it consumed when partitions are taken from it, and which
// commits and closes in finally when Ctrl-C stops it: the idiom that
// hands partitions over without a record read twice.
const commitOnRevoke = `
import sys, time
from kafka import KafkaConsumer, ConsumerRebalanceListener

boot, topic, group = sys.argv[1:4]
consumer = KafkaConsumer(bootstrap_servers=boot, group_id=group, enable_auto_commit=False,
                         auto_offset_reset='earliest', consumer_timeout_ms=int(sys.argv[4]))

class CommitOnRevoke(ConsumerRebalanceListener):
    def on_partitions_revoked(self, revoked):
        if revoked:
            consumer.commit()
            print("revoked", len(revoked), flush=True)

    def on_partitions_assigned(self, assigned):
        print("assigned", len(assigned), flush=True)

consumer.subscribe([topic], listener=CommitOnRevoke())
try:
    for msg in consumer:
        print("got", msg.value.decode(), flush=True)
        time.sleep(0.005)
except KeyboardInterrupt:
    print("interrupted", flush=True)
finally:
    consumer.commit()
    consumer.close()
`

// TestRebalanceListenerHandsOverInAGroupOfTwo runs two kstar processes in
// one group over a topic of 4 partitions: the first starts alone, the
// second joins (the first's listener commits what it read of the
// partitions it gives up) and both read the records produced next, then
// the first is stopped with Ctrl-C (it commits in finally and leaves). The second ends up with every
// partition; between them they read every record exactly once.
func TestRebalanceListenerHandsOverInAGroupOfTwo(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	topic, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "g")
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := kadm.NewClient(cl).CreateTopic(ctx, 4, -1, nil, topic); err != nil {
		t.Fatal(err)
	}
	const n = 600
	produce := func(from, to int) {
		var recs []*kgo.Record
		for i := from; i < to; i++ {
			recs = append(recs, &kgo.Record{Topic: topic, Partition: int32(i % 4), Value: fmt.Appendf(nil, "%d", i)})
		}
		if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	produce(0, n/2)
	script := filepath.Join(t.TempDir(), "listener.py")
	writeFile(t, script, commitOnRevoke)

	var secondErr *syncBuffer
	first, firstOut, firstErr := startKstar(t, script, boot, topic, group, "60000")
	defer func() {
		if t.Failed() {
			t.Logf("first:\n%s%s\nsecond stderr:\n%s", firstOut, firstErr, secondErr)
		}
	}()
	waitForOutput(t, firstOut, "got ")
	second, secondOut, secondErr2 := startKstar(t, script, boot, topic, group, "6000")
	secondErr = secondErr2
	waitForOutput(t, firstOut, "revoked 4")
	waitForOutput(t, secondOut, "assigned 2")
	produce(n/2, n) // for both members
	waitForOutput(t, secondOut, "got ")
	if err := first.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, first); code != 0 {
		t.Fatalf("first consumer: exit %d\n%s", code, firstErr)
	}
	deadline := time.After(60 * time.Second)
	done := make(chan int, 1)
	go func() { done <- waitExit(t, second) }()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("second consumer: exit %d\n%s", code, secondErr)
		}
	case <-deadline:
		t.Fatalf("the second consumer did not finish; it printed:\n%s", secondOut)
	}

	seen := map[string]int{}
	for _, out := range []string{firstOut.String(), secondOut.String()} {
		for line := range strings.Lines(out) {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "got "); ok {
				seen[v]++
			}
		}
	}
	var missing, twice []string
	for i := range n {
		switch v := fmt.Sprint(i); seen[v] {
		case 0:
			missing = append(missing, v)
		case 1:
		default:
			twice = append(twice, v)
		}
	}
	if len(missing) > 0 || len(twice) > 0 {
		t.Errorf("records never read: %v; read more than once: %v\nfirst:\n%s\nsecond:\n%s", missing, twice, firstOut, secondOut)
	}
	if !strings.Contains(firstOut.String(), "interrupted\n") || !strings.Contains(secondOut.String(), "assigned 4\n") {
		t.Errorf("want the first interrupted and the second assigned all 4 partitions\nfirst:\n%s\nsecond:\n%s", firstOut, secondOut)
	}
	t.Logf("first read %d, second %d", strings.Count(firstOut.String(), "got "), strings.Count(secondOut.String(), "got "))
}
