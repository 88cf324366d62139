package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/twmb/franz-go/pkg/kgo"

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
	return startREPLArgs(t, nil, env...)
}

// startREPLArgs starts the REPL with command-line flags (--embedded, ...).
func startREPLArgs(t *testing.T, args []string, env ...string) *replTerm {
	t.Helper()
	cmd := exec.Command(kstarBin, args...)
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
	r.line("match {'k': [1, None]}:")
	r.expect("... ")
	r.line("    case {'k': [n, None]}:")
	r.expect("... ")
	r.line("        n + 1")
	r.line("")
	r.expect("2\n>>> ")

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
	// json.lo completes to json.load, what json.load and json.loads share.
	r.send("json.dumps({'a': json.lo\t")
	r.send("s('[1]')})\r")
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

// TestREPLInterruptSleep stops a blocking builtin with Ctrl-C: the
// statement ends with KeyboardInterrupt at once (not after 100 s) and the
// session, with its globals, goes on.
func TestREPLInterruptSleep(t *testing.T) {
	r := startREPL(t, "HOME="+t.TempDir())
	r.line("import time")
	r.line("kept = 41")
	r.line("print('sleep' + 'ing'); time.sleep(100)")
	r.expect("sleeping\n")
	start := time.Now()
	r.send("\x03")
	r.expect("KeyboardInterrupt")
	r.expect(">>> ")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("prompt came back %v after Ctrl-C", d)
	}
	r.line("kept + 1")
	r.expect("42\n>>> ")
}

// TestREPLBanner checks the first lines a person sees: the version, where
// clients connect by default, whether an embedded broker runs, and how to
// get help.
func TestREPLBanner(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  string
		want string // regexp for the banner's second line
	}{
		{"default", nil, "", `^bootstrap servers: localhost:9092\n`},
		{"env", nil, "broker1:9093,broker2:9093", `^bootstrap servers: broker1:9093,broker2:9093\n`},
		{"flag", []string{"--bootstrap-servers", "flaghost:9092"}, "envhost:9092", `^bootstrap servers: flaghost:9092\n`},
		{"embedded", []string{"--embedded", "--embedded-port", "0"}, "", `^bootstrap servers: 127\.0\.0\.1:\d+, embedded broker running\n`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startREPLArgs(t, tc.args, "HOME="+t.TempDir(), "KSTAR_BOOTSTRAP_SERVERS="+tc.env)
			banner, _, _ := strings.Cut(screenText(r.out.String()), ">>> ")
			first, rest, _ := strings.Cut(banner, "\n")
			if want := "kstar " + Version + ":"; !strings.HasPrefix(first, want) {
				t.Errorf("first banner line %q, want it to start with %q", first, want)
			}
			if !regexp.MustCompile(tc.want).MatchString(rest) {
				t.Errorf("banner after the first line:\n%s\nwant match %q", rest, tc.want)
			}
			if !strings.Contains(rest, "help()") || !strings.Contains(rest, "Ctrl-D") {
				t.Errorf("banner %q does not say how to get help and exit", banner)
			}
		})
	}
}

// TestREPLHelpAndDir types help() and dir(...) at the prompt, as a person
// exploring the API would.
func TestREPLHelpAndDir(t *testing.T) {
	r := startREPL(t, "HOME="+t.TempDir())
	r.line("help()")
	r.expect("from kafka import KafkaProducer")
	r.expect("Modules: kafka")
	r.expect("help(obj)")
	r.expect(">>> ")
	r.line("'encode' in dir('')")
	r.expect("True\n>>> ")
	r.line("dir('')")
	r.expect("'encode'")
	r.expect(">>> ")
	r.line("import json")
	r.line("dir(json)")
	r.expect("'dumps'")
	r.expect(">>> ")
	r.line("help(json)")
	r.expect("json")
	r.expect("dumps")
	r.expect("loads")
	r.expect(">>> ")
}

// TestREPLHistoryFile keeps history in $KSTAR_HISTORY instead of
// ~/.kstar_history, and the next session recalls it with the up arrow.
func TestREPLHistoryFile(t *testing.T) {
	home := t.TempDir()
	history := filepath.Join(t.TempDir(), "kstar-history")
	r := startREPL(t, "HOME="+home, "KSTAR_HISTORY="+history)
	r.line("remembered = 'from ' + 'history'")
	r.expect(">>> ")
	r.line("1 + 2")
	r.expect("3\n>>> ")
	r.send("\x04")
	if status := waitExit(t, r.cmd); status != 0 {
		t.Errorf("exit status %d after Ctrl-D, want 0", status)
	}
	data, err := os.ReadFile(history)
	if err != nil || !strings.Contains(string(data), "remembered = 'from ' + 'history'") {
		t.Fatalf("history file %s: %q, %v", history, data, err)
	}
	if _, err := os.Stat(filepath.Join(home, ".kstar_history")); !os.IsNotExist(err) {
		t.Errorf("~/.kstar_history written although KSTAR_HISTORY is set: %v", err)
	}

	r2 := startREPL(t, "HOME="+home, "KSTAR_HISTORY="+history)
	r2.send("\x1b[A\x1b[A") // up twice: the assignment
	r2.send("\r")
	r2.expect(">>> ")
	r2.line("remembered")
	r2.expect("'from history'\n>>> ")
}

// TestREPLConsumerConfigKeyCompletion completes a config key inside
// KafkaConsumer(, as for KafkaProducer(.
func TestREPLConsumerConfigKeyCompletion(t *testing.T) {
	r := startREPL(t, "HOME="+t.TempDir(), "KSTAR_BOOTSTRAP_SERVERS="+testbroker.Bootstrap(t))
	r.line("from kafka import KafkaConsumer")
	r.send("c = KafkaConsumer(auto_offset_r\t")
	r.send("'earliest')\r")
	r.expect(">>> ")
	r.line("c.config['auto_offset_reset']")
	r.expect("'earliest'\n>>> ")
}

// TestREPLExitFlushesProducer: Ctrl-D closes the session's producers, so a
// record still lingering (linger_ms=60000) reaches the broker, promptly,
// before kstar exits. The broker is the test's own, not --embedded: an
// embedded broker would stop with the REPL before the test could read it.
func TestREPLExitFlushesProducer(t *testing.T) {
	addr := testbroker.Bootstrap(t)
	topic := testbroker.UniqueName(t, "repl-flush")
	r := startREPLArgs(t, []string{"--bootstrap-servers", addr}, "HOME="+t.TempDir(), "KSTAR_BOOTSTRAP_SERVERS=")
	r.line("from kafka import KafkaProducer")
	r.line("p = KafkaProducer(linger_ms=60000)")
	r.expect(">>> ")
	r.line("f = p.send('" + topic + "', b'x')")
	r.expect(">>> ")
	r.line("f.is_done")
	r.expect("False\n>>> ")
	start := time.Now()
	r.send("\x04")
	if status := waitExit(t, r.cmd); status != 0 {
		t.Errorf("exit status %d after Ctrl-D, want 0", status)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Ctrl-D took %v to flush and exit", d)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(addr, ",")...), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fetches := cl.PollRecords(ctx, 10)
	if fetches.NumRecords() == 0 && ctx.Err() != nil {
		t.Fatalf("no record in %s 10s after Ctrl-D: the lingering send was lost", topic)
	}
	if errs := fetches.Errors(); len(errs) > 0 {
		t.Fatalf("reading %s: %v", topic, errs)
	}
	if recs := fetches.Records(); len(recs) != 1 || string(recs[0].Value) != "x" {
		t.Fatalf("records in %s after Ctrl-D: %v, want one with value x", topic, recs)
	}
}

// TestREPLTracebacksAndExit: an undefined name and a runtime error print
// CPython's REPL traceback (no source line: CPython keeps none of stdin),
// exit and quit named alone say how to leave, and exit(3) ends the REPL
// with status 3.
func TestREPLTracebacksAndExit(t *testing.T) {
	r := startREPL(t, "HOME="+t.TempDir())
	r.line("x")
	r.expect("x\nTraceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nNameError: name 'x' is not defined\n>>> ")
	r.line("d = {}")
	r.line("d['k']")
	r.expect("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nKeyError: 'k'\n>>> ")
	r.line("exit")
	r.expect("Use exit() or Ctrl-D (i.e. EOF) to exit\n>>> ")
	r.line("quit")
	r.expect("Use quit() or Ctrl-D (i.e. EOF) to exit\n>>> ")
	r.line("exit(3)")
	if status := waitExit(t, r.cmd); status != 3 {
		t.Errorf("exit status %d after exit(3), want 3", status)
	}
}

// TestNeedsMoreInput checks when the REPL asks for another line ("... "),
// as CPython's interactive prompt does.
func TestNeedsMoreInput(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		more  bool
	}{
		{[]string{"x = 1"}, false},
		{[]string{""}, false},
		{[]string{"x = (1,"}, true},
		{[]string{"x = [", "", "1,"}, true},
		{[]string{"x = [", "1]"}, false},
		{[]string{"s = '''abc"}, true},
		{[]string{"s = '''abc", "def'''"}, false},
		{[]string{"x = 1 + \\"}, true},
		{[]string{"if x:"}, true},
		{[]string{"if x:", "    pass"}, true},
		{[]string{"if x:", "    pass", "else:"}, true},
		{[]string{"if x:", "    pass", ""}, false},
		{[]string{"if x:", ""}, false}, // reported: expected an indented block
		{[]string{"try:", "    pass"}, true},
		{[]string{"@decorator"}, true},
		{[]string{"def f():", "    x = )"}, false}, // reported at once, as CPython does
		{[]string{"x = 1 +"}, false},
		{[]string{"s = 'abc"}, false},
		{[]string{"print(\"if x:\")  # a colon at the end:"}, false},
		{[]string{"d = {'a': '('}"}, false},
	} {
		if got := needsMoreInput(tc.lines); got != tc.more {
			t.Errorf("%q: needs more %v, want %v", tc.lines, got, tc.more)
		}
	}
}
