package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// kstarBin is the kstar binary built once for these tests, so exit codes,
// signals and stdin handling are tested as a user meets them.
var kstarBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kstar-cmd-test")
	if err != nil {
		panic(err)
	}
	kstarBin = filepath.Join(dir, "kstar")
	if out, err := exec.Command("go", "build", "-o", kstarBin, ".").CombinedOutput(); err != nil {
		panic("building kstar: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runKstar runs the binary with stdin and returns stdout, stderr and the
// exit status.
func runKstar(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, kstarBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "KSTAR_BOOTSTRAP_SERVERS=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running kstar: %v", err)
	}
	return stdout.String(), stderr.String(), code
}

func TestExitCodesAndModes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.star")
	bad := filepath.Join(dir, "bad.star")
	os.WriteFile(good, []byte("print('hello', [1, 'a'], {'k': None})\n"), 0o644)
	os.WriteFile(bad, []byte("x = 1\nprint(x)\nprint(undefined_name)\n"), 0o644)
	syntaxErr := filepath.Join(dir, "syntax.py")
	os.WriteFile(syntaxErr, []byte("def f(:\n"), 0o644)
	argv := filepath.Join(dir, "argv.star")
	os.WriteFile(argv, []byte("import sys\nprint(sys.argv[1:])\nsys.exit(int(sys.argv[1]))\n"), 0o644)
	for _, tc := range []struct {
		name       string
		stdin      string
		args       []string
		wantOut    string
		wantErr    string // regexp
		wantStatus int
	}{
		{"-c", "", []string{"-c", "print(1)"}, "1\n", "^$", 0},
		{"file", "", []string{good}, "hello [1, 'a'] {'k': None}\n", "^$", 0},
		{"stdin not a terminal runs it", "print(2)\n", nil, "2\n", "^$", 0},
		{"dash reads stdin", "print(3)\n", []string{"-"}, "3\n", "^$", 0},
		{"undefined name, when its line runs", "", []string{bad}, "1\n", `File ".*bad.star", line 3, in <module>\n    print\(undefined_name\)\nNameError: name 'undefined_name' is not defined`, 1},
		{"runtime error", "", []string{"-c", "x = {}\nx['k']"}, "", `(?s)Traceback \(most recent call last\):\n  File "<string>", line 2, in <module>\n.*KeyError`, 1},
		{"syntax error", "", []string{"-c", "def f(:\n"}, "", `SyntaxError`, 1},
		{"unknown flag", "", []string{"--nope"}, "", `flag provided but not defined`, 2},
		{"missing file", "", []string{filepath.Join(dir, "missing.star")}, "", `can't open file .*missing.star`, 2},
		{"argv and sys.exit", "", []string{argv, "3", "b"}, "['3', 'b']\n", "^$", 3},
		{"sys.exit(0)", "", []string{argv, "0"}, "['0']\n", "^$", 0},
		{"-c argv", "", []string{"-c", "import sys; print(sys.argv)", "x"}, "['-c', 'x']\n", "^$", 0},
		{"unknown module", "", []string{"-c", "import foo"}, "", `line 1, in <module>\n    import foo\nModuleNotFoundError: No module named 'foo'`, 1},
		{"version", "", []string{"version"}, "kstar ", "^$", 0},
		{"check ok", "", []string{"check", good}, "", "^$", 0},
		{"check bad", "", []string{"check", bad}, "", `NameError: name 'undefined_name' is not defined`, 1},
		{"check --ast", "", []string{"check", "--ast", good}, "Module(body=[Expr(value=Call(func=Name(id='print', ctx=Load()), args=[Constant(value='hello'), List(elts=[Constant(value=1), Constant(value='a')], ctx=Load()), Dict(keys=[Constant(value='k')], values=[Constant(value=None)])], keywords=[]))], type_ignores=[])\n", "^$", 0},
		{"check --ast syntax error", "", []string{"check", "--ast", syntaxErr}, "", `syntax.py:1:7: SyntaxError: invalid syntax`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, status := runKstar(t, tc.stdin, tc.args...)
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d (stderr %q)", status, tc.wantStatus, errOut)
			}
			if !strings.HasPrefix(out, tc.wantOut) || (tc.wantOut == "" && out != "") {
				t.Errorf("stdout = %q, want %q", out, tc.wantOut)
			}
			if !regexp.MustCompile(tc.wantErr).MatchString(errOut) {
				t.Errorf("stderr = %q, want match %q", errOut, tc.wantErr)
			}
		})
	}
}

// freePort returns a loopback port nobody listens on right now.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// produceAndConsume checks that a native franz-go client can use the broker.
func produceAndConsume(t *testing.T, addr string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.AllowAutoTopicCreation(), kgo.ConsumeTopics("probe"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "probe", Value: []byte("v")}).FirstErr(); err != nil {
		t.Fatalf("produce to %s: %v", addr, err)
	}
	fetches := cl.PollRecords(ctx, 1)
	if errs := fetches.Errors(); len(errs) > 0 || fetches.NumRecords() != 1 {
		t.Fatalf("consume from %s: %d records, errors %v", addr, fetches.NumRecords(), errs)
	}
}

// startKstar starts the binary in the background and returns it with its
// stdout and stderr collected.
func startKstar(t *testing.T, args ...string) (*exec.Cmd, *syncBuffer, *syncBuffer) {
	cmd := exec.Command(kstarBin, args...)
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, &stdout, &stderr
}

func waitForPort(t *testing.T, port int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing listening on port %d", port)
}

func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		return 0
	case <-time.After(20 * time.Second):
		t.Fatal("kstar did not exit")
		return -1
	}
}

func TestEmbeddedBrokerAndInterrupt(t *testing.T) {
	port := freePort(t)
	cmd, _, stderr := startKstar(t, "--embedded", "--embedded-port", strconv.Itoa(port), "-c", "while True:\n    pass\n")
	waitForPort(t, port)
	produceAndConsume(t, "127.0.0.1:"+strconv.Itoa(port))
	cmd.Process.Signal(syscall.SIGINT)
	if status := waitExit(t, cmd); status != 130 {
		t.Errorf("status after SIGINT = %d, want 130", status)
	}
	if !strings.Contains(stderr.String(), "KeyboardInterrupt") {
		t.Errorf("stderr = %q, want KeyboardInterrupt", stderr.String())
	}
}

func TestEmbeddedPortTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	_, errOut, status := runKstar(t, "", "--embedded", "--embedded-port", strconv.Itoa(port), "-c", "print(1)")
	if status != 2 || !strings.Contains(errOut, strconv.Itoa(port)) {
		t.Errorf("status %d, stderr %q: want 2 and a message naming port %d", status, errOut, port)
	}
}

// kstar broker serves clients on every broker it prints, and stops cleanly
// (exit 0) on SIGTERM and on Ctrl-C alike.
func TestBrokerCommand(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) { testBrokerCommand(t, sig) })
	}
}

func testBrokerCommand(t *testing.T, stop syscall.Signal) {
	// --port 0 lets the broker pick free ports itself (picking them here and
	// passing them on races with other processes); it prints them.
	cmd, stdout, _ := startKstar(t, "broker", "--port", "0", "--brokers", "2")
	listening := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+),(127\.0\.0\.1:\d+)`)
	var addrs []string
	for deadline := time.Now().Add(20 * time.Second); addrs == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			addrs = m[1:]
		}
	}
	if addrs == nil {
		t.Fatalf("kstar broker printed no addresses: %q", stdout.String())
	}
	produceAndConsume(t, addrs[0])
	produceAndConsume(t, addrs[1])
	cmd.Process.Signal(stop)
	if status := waitExit(t, cmd); status != 0 {
		t.Errorf("status after %v = %d, want 0", stop, status)
	}
}

// BenchmarkStartup measures `kstar -c 'print(1)'` end to end, process
// start included (the target is well under 50 ms).
func BenchmarkStartup(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if out, err := exec.Command(kstarBin, "-c", "print(1)").Output(); err != nil || string(out) != "1\n" {
			b.Fatalf("kstar -c: %q %v", out, err)
		}
	}
}

// TestInterruptSleep checks that Ctrl-C stops a blocking builtin promptly.
func TestInterruptSleep(t *testing.T) {
	cmd, _, stderr := startKstar(t, "-c", "import time\nprint('sleeping')\ntime.sleep(100)\n")
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	if status := waitExit(t, cmd); status != 130 {
		t.Errorf("status = %d, want 130", status)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop after SIGINT", d)
	}
	if !strings.Contains(stderr.String(), "line 3, in <module>") || !strings.Contains(stderr.String(), "KeyboardInterrupt") {
		t.Errorf("stderr = %q, want a traceback at line 3 ending in KeyboardInterrupt", stderr.String())
	}
}
