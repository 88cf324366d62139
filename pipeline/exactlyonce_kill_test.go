package pipeline_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/internal/testbroker"
)

// killTestRecords is the length of TestExactlyOnceKillAndRestart's stream.
const killTestRecords = 100000

// TestExactlyOnceKillAndRestart runs `kstar pipe --exactly-once` as a group
// of two member processes over a stream of 100,000 numbered records,
// SIGKILLs a member and restarts it at three random points of the stream
// (each member at least once), and checks that a read_committed consumer
// of the output sees every input exactly once. The same run at least once
// (without --exactly-once) reports how many duplicates it produced.
func TestExactlyOnceKillAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "kstar")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/kstar-dev/kstar/cmd/kstar").CombinedOutput(); err != nil {
		t.Fatalf("building kstar: %v\n%s", err, out)
	}
	script := filepath.Join(dir, "src.star")
	// The pause every 20 records holds the stream to about 10,000
	// records a second per member: unthrottled, a member at least once
	// on Apache Kafka got through all 100,000 before the reader saw the
	// first kill point.
	if err := os.WriteFile(script, []byte(`
import time

def process(record):
    if record.offset % 20 == 0:
        time.sleep(0.002)
    return record._replace(headers=[("src", "%d/%d" % (record.partition, record.offset))])
`), 0o644); err != nil {
		t.Fatal(err)
	}
	boot := testbroker.Bootstrap(t)
	brokers := strings.Split(boot, ",")
	src := testbroker.UniqueName(t, "in")
	fill(t, brokers, src, killTestRecords)

	for _, exactlyOnce := range []bool{true, false} {
		t.Run(map[bool]string{true: "exactly once", false: "at least once"}[exactlyOnce], func(t *testing.T) {
			dst, group := testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
			out := readOutput(t, brokers, dst)
			args := []string{"pipe", "--bootstrap-servers", boot, "--from", src, "--to", dst, "--group", group, "--max-poll-records", "1000", "--progress", "never"}
			if exactlyOnce {
				args = append(args, "--exactly-once")
			}
			members := make([]*process, 2)
			start := func(i int) {
				members[i] = startProcess(t, nil, bin, append(args, "--instance-id", fmt.Sprint("member-", i), script)...)
			}
			start(0)
			start(1)
			// Three points of the stream, each an amount of output
			// seen plus up to 50 ms (a round of 1,000 records takes
			// about that long): a kill falls anywhere in a round.
			var points []int
			for range 3 {
				points = append(points, killTestRecords/10+rand.IntN(killTestRecords*6/10))
			}
			slices.Sort(points)
			for k, victim := range []int{0, 1, rand.IntN(2)} {
				out.waitFor(t, fmt.Sprintf("%d records out", points[k]), 60*time.Second, func(_, distinct int) bool { return distinct >= points[k] })
				time.Sleep(time.Duration(rand.IntN(50)) * time.Millisecond)
				members[victim].kill()
				total, distinct := out.counts()
				if distinct == killTestRecords {
					t.Fatalf("the stream was through before kill %d", k+1)
				}
				t.Logf("%v killed member %d after %d records out (%d distinct)", time.Now().Format("15:04:05.000"), victim, total, distinct)
				start(victim)
			}
			out.waitFor(t, "every record", 120*time.Second, func(_, distinct int) bool { return distinct == killTestRecords })
			t.Logf("%v every record", time.Now().Format("15:04:05.000"))
			// SIGTERM ends any transaction under way, so that nothing
			// but what the reader saw can still be committed.
			for _, m := range members {
				m.stop(t, 30*time.Second)
			}
			t.Logf("%v stopped", time.Now().Format("15:04:05.000"))
			out.caughtUp(t, brokers, dst)

			out.mu.Lock()
			defer out.mu.Unlock()
			lost, dups := 0, 0
			for i := range killTestRecords {
				copies := out.copies[strconv.Itoa(i)]
				if len(copies) == 0 {
					lost++
				}
				if len(copies) > 1 {
					dups += len(copies) - 1
					if exactlyOnce && dups <= 10 {
						t.Errorf("record %d came out %d times, from %v", i, len(copies), copies)
					}
				}
			}
			if lost > 0 || len(out.copies) != killTestRecords {
				t.Errorf("%d records lost, %d distinct values out", lost, len(out.copies))
			}
			if exactlyOnce && dups > 0 {
				t.Errorf("%d duplicates", dups)
			}
			t.Logf("%d records out: %d lost, %d duplicates", out.total, lost, dups)
		})
	}
}
