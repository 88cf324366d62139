package pipeline_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/pipeline"
	"github.com/kstar-dev/kstar/runtime"
)

// The environment of the child process TestKillAndRestart starts.
const (
	childEnv   = "KSTAR_PIPELINE_CHILD" // "brokers|from|to|group"
	childDelay = 0.002                  // seconds the child's script spends per record
)

// TestPipelineChild is the pipeline process TestKillAndRestart kills and
// restarts; it runs only as that child.
func TestPipelineChild(t *testing.T) {
	spec := os.Getenv(childEnv)
	if spec == "" {
		t.Skip("the child process of TestKillAndRestart")
	}
	parts := strings.Split(spec, "|")
	s, err := runtime.New().Load(context.Background(), "slow.star", []byte(fmt.Sprintf(`
import time
def process(record):
    time.sleep(%v)
    return record._replace(headers=[("src", "%%d/%%d" %% (record.partition, record.offset))])
`, childDelay)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Config{
		Brokers: strings.Split(parts[0], ","), From: []string{parts[1]}, To: parts[2], Group: parts[3],
		Transform:      pipeline.Script(s, "process"),
		MaxPollRecords: 50,
		// A killed member leaves the group quickly.
		ClientOptions: []kgo.Opt{kgo.SessionTimeout(1500 * time.Millisecond), kgo.HeartbeatInterval(300 * time.Millisecond)},
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("child running")
	t.Fatal(p.Run(context.Background())) // runs until killed
}

// output collects what the pipeline writes: for each value, the source
// partition/offset of every copy.
type output struct {
	mu     sync.Mutex
	copies map[string][]string
	total  int
}

func (o *output) add(r *kgo.Record) {
	o.mu.Lock()
	defer o.mu.Unlock()
	src := ""
	for _, h := range r.Headers {
		if h.Key == "src" {
			src = string(h.Value)
		}
	}
	o.copies[string(r.Value)] = append(o.copies[string(r.Value)], src)
	o.total++
}

func (o *output) counts() (total, distinct int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.total, len(o.copies)
}

// TestKillAndRestart kills a pipeline process with SIGKILL in the middle
// of a stream, restarts it, and checks that no record is lost and that
// only records whose offsets were not committed at the kill were
// produced twice.
func TestKillAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	boot := testbroker.Bootstrap(t)
	brokers := strings.Split(boot, ",")
	src, dst, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
	const n = 1500
	fill(t, brokers, src, n)

	out := &output{copies: map[string][]string{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reader, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(dst), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	go func() {
		for ctx.Err() == nil {
			reader.PollFetches(ctx).EachRecord(out.add)
		}
	}()
	waitFor := func(what string, timeout time.Duration, cond func(total, distinct int) bool) {
		t.Helper()
		deadline := time.Now().Add(timeout)
		for !cond(out.counts()) {
			if time.Now().After(deadline) {
				total, distinct := out.counts()
				t.Fatalf("waiting for %s: %d records out, %d distinct", what, total, distinct)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPipelineChild$")
		cmd.Env = append(os.Environ(), childEnv+"="+strings.Join([]string{boot, src, dst, group}, "|"))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	kill := func(cmd *exec.Cmd) {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}

	first := start()
	waitFor("a third of the stream", 60*time.Second, func(total, _ int) bool { return total >= n/3 })
	// Kill at any point of a round (one takes about 50 × childDelay):
	// transforming, producing, or between acknowledgement and commit.
	time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond)
	kill(first)
	atKill := committed(t, brokers, group, src)
	totalAtKill, _ := out.counts()
	t.Logf("killed after %d records out; committed offsets %v", totalAtKill, atKill)
	if totalAtKill >= n {
		t.Fatalf("the first process finished the stream before it was killed")
	}

	second := start()
	waitFor("every record", 120*time.Second, func(_, distinct int) bool { return distinct == n })
	kill(second)
	time.Sleep(200 * time.Millisecond) // let the reader see any straggler

	out.mu.Lock()
	defer out.mu.Unlock()
	dups := 0
	for i := 0; i < n; i++ {
		v := strconv.Itoa(i)
		copies := out.copies[v]
		if len(copies) == 0 {
			t.Errorf("record %s was lost", v)
			continue
		}
		if len(copies) == 1 {
			continue
		}
		dups += len(copies) - 1
		var part int32
		var off int64
		fmt.Sscanf(copies[0], "%d/%d", &part, &off)
		if c, ok := atKill[part]; ok && off < c {
			t.Errorf("record %s (partition %d offset %d) was committed (at %d) before the kill, yet produced %d times", v, part, off, c, len(copies))
		}
	}
	t.Logf("%d records out, %d duplicates (all of work not committed at the kill)", out.total, dups)
}
