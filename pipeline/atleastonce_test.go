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
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
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

// output collects what a pipeline writes: for each value, the source
// partition/offset of every copy.
type output struct {
	mu     sync.Mutex
	copies map[string][]string
	total  int
	last   map[int32]int64 // per partition, the offset of the last record read (control records included)
}

func (o *output) add(r *kgo.Record) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.last[r.Partition] = r.Offset
	if r.Attrs.IsControl() {
		return
	}
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

// readOutput reads topic's committed records (read_committed) into an
// output until the test ends.
func readOutput(t *testing.T, brokers []string, topic string) *output {
	t.Helper()
	out := &output{copies: map[string][]string{}, last: map[int32]int64{}}
	reader, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.AllowAutoTopicCreation(), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Transaction markers too, so that caughtUp knows where the
		// reader is.
		kgo.KeepControlRecords())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			reader.PollFetches(ctx).EachRecord(out.add)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		reader.Close()
	})
	return out
}

// waitFor waits until cond holds for the output's counts, failing the
// test after timeout or once it failed (from another goroutine).
func (o *output) waitFor(t *testing.T, what string, timeout time.Duration, cond func(total, distinct int) bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond(o.counts()) {
		if t.Failed() {
			t.FailNow()
		}
		if time.Now().After(deadline) {
			total, distinct := o.counts()
			t.Fatalf("waiting for %s: %d records out, %d distinct", what, total, distinct)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// caughtUp waits until the output has read topic to its end, as of now:
// once no process writes to it, nothing more will come.
func (o *output) caughtUp(t *testing.T, brokers []string, topic string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		t.Fatalf("end offsets of %s: %v", topic, err)
	}
	ends.Each(func(e kadm.ListedOffset) {
		if e.Offset == 0 {
			return
		}
		o.waitFor(t, fmt.Sprintf("the reader to reach the end of %s/%d (%d)", topic, e.Partition, e.Offset), 30*time.Second, func(int, int) bool {
			o.mu.Lock()
			defer o.mu.Unlock()
			last, ok := o.last[e.Partition]
			return ok && last >= e.Offset-1
		})
	})
}

// process is a child process of a test.
type process struct {
	cmd    *exec.Cmd
	killed atomic.Bool
	done   chan struct{} // closed when it has exited
}

// startProcess starts name with args (and env added to the test's), its
// stderr going to the test's. If it exits before kill or stop, the test
// fails.
func startProcess(t *testing.T, env []string, name string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(name, args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = os.Stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		err := p.cmd.Wait()
		if !p.killed.Load() {
			t.Errorf("%s %s exited by itself: %v", name, strings.Join(args, " "), err)
		}
	}()
	t.Cleanup(p.kill)
	return p
}

// kill kills p with SIGKILL and waits for it to exit.
func (p *process) kill() {
	p.killed.Store(true)
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop asks p to stop with SIGTERM and waits for it to exit (killing it
// after timeout).
func (p *process) stop(t *testing.T, timeout time.Duration) {
	t.Helper()
	p.killed.Store(true)
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.kill()
		t.Errorf("%s did not stop within %v of SIGTERM", p.cmd.Path, timeout)
	}
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

	out := readOutput(t, brokers, dst)
	start := func() *process {
		return startProcess(t, []string{childEnv + "=" + strings.Join([]string{boot, src, dst, group}, "|")}, os.Args[0], "-test.run=^TestPipelineChild$")
	}

	first := start()
	out.waitFor(t, "a third of the stream", 60*time.Second, func(total, _ int) bool { return total >= n/3 })
	// Kill at any point of a round (one takes about 50 × childDelay):
	// transforming, producing, or between acknowledgement and commit.
	time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond)
	first.kill()
	atKill := committed(t, brokers, group, src)
	totalAtKill, _ := out.counts()
	t.Logf("killed after %d records out; committed offsets %v", totalAtKill, atKill)
	if totalAtKill >= n {
		t.Fatalf("the first process finished the stream before it was killed")
	}

	second := start()
	out.waitFor(t, "every record", 120*time.Second, func(_, distinct int) bool { return distinct == n })
	second.kill()
	out.caughtUp(t, brokers, dst)

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
