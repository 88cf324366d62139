package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/kstar-dev/kstar/internal/testbroker"
)

// replTerm drives kstar's REPL through a real pseudo-terminal, typing as a
// person would and reading the screen output.
type replTerm struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	out  syncBuffer
	seen int // output consumed by expect so far
}

func startREPL(t *testing.T, env ...string) *replTerm {
	t.Helper()
	cmd := exec.Command(kstarBin)
	cmd.Env = append(os.Environ(), env...)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 200})
	if err != nil {
		t.Fatal(err)
	}
	r := &replTerm{t: t, cmd: cmd, tty: tty}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			r.out.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); tty.Close() })
	r.expect(">>> ")
	return r
}

// send types s (use "\r" for Enter, "\x03" for Ctrl-C, "\x04" for Ctrl-D).
func (r *replTerm) send(s string) {
	r.t.Helper()
	if _, err := r.tty.Write([]byte(s)); err != nil {
		r.t.Fatal(err)
	}
}

// line types one line and presses Enter.
func (r *replTerm) line(s string) { r.t.Helper(); r.send(s + "\r") }

// expect waits until want appears in output not yet consumed.
func (r *replTerm) expect(want string) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		out := screenText(r.out.String())
		if i := strings.Index(out[r.seen:], want); i >= 0 {
			r.seen += i + len(want)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatalf("timed out waiting for %q; output since last match:\n%s", want, screenText(r.out.String())[r.seen:])
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// screenText drops terminal control sequences and carriage returns, leaving
// the text a person reads.
func screenText(s string) string {
	return strings.ReplaceAll(ansiEscape.ReplaceAllString(s, ""), "\r", "")
}

func TestREPLBasics(t *testing.T) {
	home := t.TempDir()
	r := startREPL(t, "HOME="+home, "KSTAR_BOOTSTRAP_SERVERS="+testbroker.Bootstrap(t))
	r.line("1 + 1")
	r.expect("2\n>>> ")
	r.line("'a'")
	r.expect("'a'\n>>> ")
	r.line("_")
	r.expect("'a'\n>>> ")
	r.line("x = {'k': [1, None]}")
	r.line("x")
	r.expect("{'k': [1, None]}\n>>> ")
	r.line("print(None)")
	r.expect("None\n>>> ")
	r.line("None") // echoes nothing
	r.expect(">>> ")

	// A compound statement continues until a blank line; every expression
	// statement in it echoes, as in Python.
	r.line("for i in range(3):")
	r.expect("... ")
	r.line("    i * 10")
	r.expect("... ")
	r.line("")
	r.expect("0\n10\n20\n>>> ")

	// An error prints a traceback and the session goes on.
	r.line("x['missing']")
	r.expect("Traceback (most recent call last):")
	r.expect("KeyError")
	r.line("x['k']")
	r.expect("[1, None]\n>>> ")

	// Ctrl-C at the prompt discards the line.
	r.send("garbage(")
	r.send("\x03")
	r.expect("KeyboardInterrupt")
	r.line("2")
	r.expect("2\n>>> ")

	// Ctrl-C interrupts a running loop; globals survive.
	r.line("n = 0")
	r.line("while True:")
	r.line("    n += 1")
	r.line("")
	time.Sleep(300 * time.Millisecond)
	r.send("\x03")
	r.expect("KeyboardInterrupt")
	r.expect(">>> ")
	r.line("n > 0")
	r.expect("True\n>>> ")

	// Completion of a global name.
	r.line("producer_count = 7")
	r.send("producer_c\t")
	r.send("\r")
	r.expect("7\n>>> ")

	// Ctrl-D exits with status 0.
	r.send("\x04")
	if status := waitExit(t, r.cmd); status != 0 {
		t.Errorf("exit status %d after Ctrl-D, want 0", status)
	}

	// History is written and recalled by the next session.
	data, err := os.ReadFile(filepath.Join(home, ".kstar_history"))
	if err != nil || !strings.Contains(string(data), "producer_count = 7") {
		t.Fatalf("history file: %q, %v", data, err)
	}
	r2 := startREPL(t, "HOME="+home)
	r2.send("\x1b[A\x1b[A") // up twice: "producer_count = 7"
	r2.send("\r")
	r2.line("producer_count")
	r2.expect("7\n>>> ")
}

func TestREPLHistoryDisabled(t *testing.T) {
	home := t.TempDir()
	r := startREPL(t, "HOME="+home, "KSTAR_HISTORY=off")
	r.line("1")
	r.expect("1\n>>> ")
	r.send("\x04")
	waitExit(t, r.cmd)
	if _, err := os.Stat(filepath.Join(home, ".kstar_history")); !os.IsNotExist(err) {
		t.Errorf("history file written although KSTAR_HISTORY=off: %v", err)
	}
}

// TestREPLTutorial types the seed tutorial's producer and consumer
// snippets at the prompts, as they are written (print as a function; the
// broker address is the test's own instead of localhost:9092, which may be
// taken on a test machine).
func TestREPLTutorial(t *testing.T) {
	addr := testbroker.Bootstrap(t)
	r := startREPL(t, "HOME="+t.TempDir(), "KSTAR_BOOTSTRAP_SERVERS="+addr)
	tutorial := func(line string) { r.t.Helper(); r.line(strings.ReplaceAll(line, "localhost:9092", addr)) }
	r.line("from kafka import KafkaProducer")
	r.expect(">>> ")
	tutorial("producer=KafkaProducer(bootstrap_servers='localhost:9092')")
	r.expect(">>> ")
	r.line("for i in range(3):")
	r.line(" producer.send('test', 'message%s'%i)")
	r.line("")
	for i := 0; i < 3; i++ {
		r.expect("<kafka.producer.future.FutureRecordMetadata object at 0x")
	}
	r.expect(">>> ")
	r.line("future=producer.send('test', 'message9')")
	r.line("result=future.get(timeout=10)")
	r.line("print(result)")
	r.expect("RecordMetadata(topic='test', partition=")
	r.expect("serialized_value_size=8, serialized_header_size=-1)\n>>> ")
	r.line("future.get(timeout=10)") // echoes the same repr
	r.expect("RecordMetadata(topic='test'")

	// Completion after a dot.
	r.send("producer.partitions_f\t")
	r.send("('test')\r")
	r.expect("{0, 1, 2}\n>>> ")
	r.line("import json")
	r.send("json.dumps({'a': json.loa\t")
	r.send("('[1]')})\r")
	r.expect(`'{"a": [1]}'` + "\n>>> ")

	r.line("from kafka import KafkaConsumer")
	tutorial("consumer=KafkaConsumer('test', bootstrap_servers='localhost:9092', auto_offset_reset='earliest')")
	r.expect(">>> ")
	// No consumer_timeout_ms: the loop never ends on its own; Ctrl-C does.
	r.line("for msg in consumer:")
	r.line("  print(msg)")
	r.line("")
	r.expect("ConsumerRecord(topic='test'")
	r.expect("ConsumerRecord(topic='test'")
	r.expect("ConsumerRecord(topic='test'")
	r.expect("ConsumerRecord(topic='test'")
	time.Sleep(300 * time.Millisecond)
	r.send("\x03")
	r.expect("KeyboardInterrupt")
	r.expect(">>> ")
	// Globals and clients are still usable.
	r.line("producer.send('test', b'after').get(timeout=10).topic")
	r.expect("'test'\n>>> ")
	r.line("msg.value")
	r.expect("b'message")
	r.send("\x04")
	if status := waitExit(t, r.cmd); status != 0 {
		t.Errorf("exit status %d after Ctrl-D, want 0", status)
	}
}

// TestREPLConfigKeyCompletion completes a config key inside KafkaProducer(.
func TestREPLConfigKeyCompletion(t *testing.T) {
	r := startREPL(t, "HOME="+t.TempDir(), "KSTAR_BOOTSTRAP_SERVERS="+testbroker.Bootstrap(t))
	r.line("from kafka import KafkaProducer")
	r.send("p = KafkaProducer(linger_\t")
	r.send("5)\r")
	r.line("p.config['linger_ms']")
	r.expect("5\n>>> ")
}
