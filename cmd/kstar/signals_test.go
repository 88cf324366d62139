package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
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

// Ctrl-C and SIGTERM stop `kstar pipe` as docs/embedding.md says: exit 0,
// the summary line and nothing else on stderr, and the offsets of the
// records processed so far committed. One record per round; the signal
// comes while process() blocks on the sixth, so exactly five are done.
func TestPipeStopsOnSignal(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	script := filepath.Join(t.TempDir(), "block.star")
	writeFile(t, script, `
import time
def process(record):
    if record.value == b"block":
        print("blocked at offset", record.offset, flush=True)
        time.sleep(600)
    return record
`)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			in := onePartitionTopic(t, boot, "0", "1", "2", "3", "4", "block")
			out, group := testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
			cmd, stdout, stderr := startKstar(t, "pipe", "--bootstrap-servers", boot, "--from", in, "--to", out,
				"--group", group, "--max-poll-records", "1", script)
			waitForOutput(t, stdout, "blocked at offset 5\n")
			cmd.Process.Signal(sig)
			if code := waitExit(t, cmd); code != 0 {
				t.Errorf("exit %d after %v, want 0; stderr:\n%s", code, sig, stderr)
			}
			if got, want := stderr.String(), "kstar pipe: 5 in, 5 out, 0 dropped, 5 committed, lag 0\n"; got != want {
				t.Errorf("stderr %q, want %q", got, want)
			}
			if got := committedOffset(t, boot, group, in); got != 5 {
				t.Errorf("committed offset %d, want 5 (the records before the blocked one)", got)
			}
			if got := readTopic(t, boot, out, 5); strings.Join(got, " ") != "0 1 2 3 4" {
				t.Errorf("output %v, want 0..4", got)
			}
		})
	}
}

// onePartitionTopic creates a topic of one partition holding values, in
// order, and returns its name.
func onePartitionTopic(t *testing.T, boot string, values ...string) string {
	t.Helper()
	name := testbroker.UniqueName(t, "in")
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.DefaultProduceTopic(name))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := kadm.NewClient(cl).CreateTopic(ctx, 1, -1, nil, name); err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	var recs []*kgo.Record
	for _, v := range values {
		recs = append(recs, kgo.StringRecord(v))
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	return name
}

// committedOffset is group's committed offset of topic's partition 0 (-1
// when none).
func committedOffset(t *testing.T, boot, group, topic string) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offsets, err := kadm.NewClient(cl).FetchOffsets(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := offsets.Lookup(topic, 0); ok {
		return o.At
	}
	return -1
}

// waitForOutput waits until a child process has written want to out.
func waitForOutput(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(out.String(), want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %q; output so far: %q", want, out.String())
		}
	}
}

// Ctrl-C raises KeyboardInterrupt in the script wherever it waits or
// loops, as in Python: `except KeyboardInterrupt` catches it and finally
// runs (and closes the consumer), whenever it comes. Each way of waiting
// is interrupted ten times, at different moments after the script says
// it is ready (inside the try).
func TestInterruptIsCaught(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	topic := onePartitionTopic(t, boot, "a", "b")
	script := filepath.Join(t.TempDir(), "interrupted.star")
	writeFile(t, script, `
import sys, time
from kafka import KafkaConsumer
consumer = KafkaConsumer(sys.argv[2], bootstrap_servers=sys.argv[3], auto_offset_reset='earliest')
def consume():
    for msg in consumer:
        pass
how = sys.argv[1]
try:
    print('ready', flush=True)
    if how == 'iterate':
        for msg in consumer:
            pass
    elif how == 'function':
        consume()
    elif how == 'map':
        for v in map(lambda m: m.value, consumer):
            pass
    elif how == 'poll':
        while True:
            consumer.poll(timeout_ms=50)
    elif how == 'busy':
        n = 0
        while True:
            n += 1
    else:
        time.sleep(100)
except KeyboardInterrupt:
    print('caught')
finally:
    print('finally')
    consumer.close()
print('end')
`)
	for _, how := range []string{"iterate", "function", "map", "poll", "busy", "sleep"} {
		for i := range 10 {
			cmd, stdout, stderr := startKstar(t, script, how, topic, boot)
			waitForOutput(t, stdout, "ready\n")
			time.Sleep(time.Duration(i) * 3 * time.Millisecond) // not a synchronisation: the outcome must not depend on it
			cmd.Process.Signal(syscall.SIGINT)
			code := waitExit(t, cmd)
			if code != 0 || stdout.String() != "ready\ncaught\nfinally\nend\n" || stderr.String() != "" {
				t.Fatalf("%s, run %d: exit %d, stdout %q, stderr %q; want 0, ready caught finally end, nothing on stderr",
					how, i, code, stdout, stderr)
			}
		}
	}
}

// Uncaught, the KeyboardInterrupt of Ctrl-C ends the script as in Python:
// finally blocks run, the traceback names the line it waited at and ends
// in KeyboardInterrupt, and the exit status is 130.
func TestInterruptUncaught(t *testing.T) {
	cmd, stdout, stderr := startKstar(t, "-c", "import time\ntry:\n    print('ready', flush=True)\n    time.sleep(100)\nfinally:\n    print('finally')\n")
	waitForOutput(t, stdout, "ready\n")
	cmd.Process.Signal(syscall.SIGINT)
	if code := waitExit(t, cmd); code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	if stdout.String() != "ready\nfinally\n" {
		t.Errorf("stdout %q, want ready and finally", stdout)
	}
	want := "  File \"<string>\", line 4, in <module>\n    time.sleep(100)\nKeyboardInterrupt\n"
	if !strings.HasSuffix(stderr.String(), want) {
		t.Errorf("stderr %q, want a traceback ending in\n%s", stderr, want)
	}
}

// The shutdown idiom of kafka-python scripts, sent Ctrl-C once it has
// printed its first record: the handler and finally run every time, and
// the offset finally commits is where the next consumer of the group
// starts. Each run gets one new record, so run k must print offset k:
// the previous run's commit is visible to it. A hundred runs (four
// seconds on kfake); KSTAR_INTERRUPT_RUNS=N runs N.
func TestShutdownIdiomCommitsOnInterrupt(t *testing.T) {
	runs := 100
	if n, err := strconv.Atoi(os.Getenv("KSTAR_INTERRUPT_RUNS")); err == nil && n > 0 {
		runs = n
	}
	boot := testbroker.Bootstrap(t)
	topic := onePartitionTopic(t, boot)
	group := testbroker.UniqueName(t, "g")
	script := filepath.Join(t.TempDir(), "idiom.py")
	writeFile(t, script, `
import sys
from kafka import KafkaConsumer
topic, group, boot = sys.argv[1:]
consumer = KafkaConsumer(topic, group_id=group, bootstrap_servers=boot,
                         auto_offset_reset='earliest', enable_auto_commit=False)
try:
    for msg in consumer:
        print('record', msg.offset, msg.value.decode(), flush=True)
except KeyboardInterrupt:
    print('interrupted')
finally:
    consumer.commit()
    consumer.close()
    print('closed')
`)
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...), kgo.DefaultProduceTopic(topic))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for k := range runs {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := cl.ProduceSync(ctx, kgo.StringRecord(strconv.Itoa(k))).FirstErr()
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		cmd, stdout, stderr := startKstar(t, script, topic, group, boot)
		first := fmt.Sprintf("record %d %d\n", k, k)
		waitForOutput(t, stdout, "record ")
		cmd.Process.Signal(syscall.SIGINT)
		code := waitExit(t, cmd)
		if want := first + "interrupted\nclosed\n"; code != 0 || stdout.String() != want || stderr.String() != "" {
			t.Fatalf("run %d of %d: exit %d, stdout %q, stderr %q; want exit 0 and %q", k+1, runs, code, stdout, stderr, want)
		}
		if got := committedOffset(t, boot, group, topic); got != int64(k+1) {
			t.Fatalf("run %d of %d: committed offset %d, want %d", k+1, runs, got, k+1)
		}
	}
}

// SIGTERM ends kstar as it ends CPython: without a handler the process
// is killed by the signal at once (a shell's status 143; finally does not
// run); a handler installed with signal.signal runs at the next safe
// point (here: the consumer's wait), and what it raises is raised there,
// so a KeyboardInterrupt it raises is caught and finally runs, and its
// sys.exit(3) ends the script with status 3.
func TestSigtermMatchesPython(t *testing.T) {
	boot := testbroker.Bootstrap(t)
	topic := onePartitionTopic(t, boot, "a")
	script := filepath.Join(t.TempDir(), "term.py")
	writeFile(t, script, `
import signal, sys
from kafka import KafkaConsumer
consumer = KafkaConsumer(sys.argv[2], bootstrap_servers=sys.argv[3], auto_offset_reset='earliest')
def interrupt(signum, frame):
    print('handler', signum, frame)
    raise KeyboardInterrupt
def leave(signum, frame):
    print('handler', signum, frame)
    sys.exit(3)
if sys.argv[1] == 'interrupt':
    signal.signal(signal.SIGTERM, interrupt)
elif sys.argv[1] == 'exit':
    signal.signal(signal.SIGTERM, leave)
try:
    for msg in consumer:
        print('record', msg.value.decode(), flush=True)
except KeyboardInterrupt:
    print('caught')
finally:
    print('finally')
`)
	for _, tc := range []struct {
		handler string
		stdout  string
		exit    int // -1: killed by SIGTERM
	}{
		{"none", "record a\n", -1},
		{"interrupt", "record a\nhandler 15 None\ncaught\nfinally\n", 0},
		{"exit", "record a\nhandler 15 None\nfinally\n", 3}, // SystemExit runs finally
	} {
		cmd, stdout, stderr := startKstar(t, script, tc.handler, topic, boot)
		waitForOutput(t, stdout, "record a\n")
		cmd.Process.Signal(syscall.SIGTERM)
		code := waitExit(t, cmd)
		if tc.exit == -1 {
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
				t.Errorf("%s: %v, want killed by SIGTERM", tc.handler, cmd.ProcessState)
			}
		} else if code != tc.exit {
			t.Errorf("%s: exit %d, want %d", tc.handler, code, tc.exit)
		}
		if stdout.String() != tc.stdout || stderr.String() != "" {
			t.Errorf("%s: stdout %q, stderr %q; want %q and nothing on stderr", tc.handler, stdout, stderr, tc.stdout)
		}
	}
}

// input() waits for a line as a consumer waits for a record: Ctrl-C
// raises KeyboardInterrupt in it at once, and when a SIGINT handler
// returns, it goes on waiting; no line is lost to the interrupted read.
func TestInterruptInput(t *testing.T) {
	cmd := exec.Command(kstarBin, "-c", `
import signal
try:
    print('ready', flush=True)
    input()
except KeyboardInterrupt:
    print('caught', flush=True)
signal.signal(signal.SIGINT, lambda signum, frame: print('handler', signum, flush=True))
print('read', input('again\n'))
`)
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitForOutput(t, &stdout, "ready\n")
	cmd.Process.Signal(syscall.SIGINT)
	waitForOutput(t, &stdout, "caught\nagain\n")
	cmd.Process.Signal(syscall.SIGINT)
	waitForOutput(t, &stdout, "handler 2\n")
	io.WriteString(stdin, "hello\n")
	if code := waitExit(t, cmd); code != 0 || stdout.String() != "ready\ncaught\nagain\nhandler 2\nread hello\n" || stderr.String() != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0, the line read after the handler, nothing on stderr", code, stdout.String(), stderr.String())
	}
}
