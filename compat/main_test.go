package compat

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/internal/testenv"
)

// kstarBin is the kstar command, built once for the package (or the one
// KSTAR_TEST_BIN names): scripts run through it exactly as a user runs
// them, and `kstar broker` is the standalone broker every reference client
// talks to.
var kstarBin string

func TestMain(m *testing.M) {
	flag.Parse()
	// Most of a compatibility run is waiting (for consumer timeouts, for
	// python to start): run more subtests at once than the core count,
	// unless the caller chose.
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		flag.Set("test.parallel", "8")
	}
	dir, err := os.MkdirTemp("", "kstar-compat")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	kstarBin = filepath.Join(dir, "kstar")
	if bin := os.Getenv("KSTAR_TEST_BIN"); bin != "" {
		// Test an installed or released kstar instead of this checkout's.
		kstarBin = bin
	} else if out, err := exec.Command("go", "build", "-o", kstarBin, "../cmd/kstar").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building kstar: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	stopBrokers()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	brokersMu sync.Mutex
	brokers   []*exec.Cmd
)

// listening matches the line `kstar broker` prints once it is up.
var listening = regexp.MustCompile(`^kstar broker listening on (\S+) `)

// startBroker runs `kstar broker --port 0` (3 partitions per auto-created
// topic) and returns its bootstrap address. It stops when the package's
// tests end.
func startBroker(t testing.TB) string {
	t.Helper()
	cmd := exec.Command(kstarBin, "broker", "--port", "0", "--partitions", "3")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting kstar broker: %v", err)
	}
	brokersMu.Lock()
	brokers = append(brokers, cmd)
	brokersMu.Unlock()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case a := <-addr:
		return a
	case <-time.After(20 * time.Second):
		t.Fatal("kstar broker did not print its address within 20s")
		return ""
	}
}

// sharedBroker returns the one standalone broker the package's
// differential and interop tests share (each test uses its own topics).
var sharedBroker = func() func(t testing.TB) string {
	var once sync.Once
	var addr string
	return func(t testing.TB) string {
		t.Helper()
		once.Do(func() { addr = startBroker(t) })
		if addr == "" {
			t.Fatal("the shared kstar broker failed to start")
		}
		return addr
	}
}()

// cluster returns the bootstrap servers the differential and interop tests
// use: the real cluster of KSTAR_TEST_BROKERS when it is set (with
// testbroker's shared lock, so Isolated tests of other packages do not
// wipe it meanwhile), otherwise the package's standalone `kstar broker`.
// Call it in the innermost parallel test, whose subtests are not
// parallel. Names of topics, groups and transactional ids must start with
// runPrefix, so that reruns on a shared cluster never see old records.
func cluster(t testing.TB) string {
	t.Helper()
	if testbroker.Real() {
		return testbroker.Bootstrap(t)
	}
	return sharedBroker(t)
}

// runPrefix starts every topic, group and transactional id name a test of
// this package chooses: empty against the package's own `kstar broker`,
// which starts empty, and unique to this run ("r" + 8 hex digits + "-")
// against a real cluster that earlier runs used too.
var runPrefix = func() string {
	if !testbroker.Real() {
		return ""
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "r" + hex.EncodeToString(b[:]) + "-"
}()

// stopBrokers stops every broker started by startBroker with SIGTERM, as
// Ctrl-C would, and waits for it to exit.
func stopBrokers() {
	brokersMu.Lock()
	defer brokersMu.Unlock()
	for _, cmd := range brokers {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	brokers = nil
}

// createTopics creates topics (name -> partition count) with a CreateTopics
// request, as kafka-python 2.0.2 scripts need: its Metadata v1 requests
// rely on broker-side auto-creation, which only some brokers give it.
func createTopics(t testing.TB, bootstrap string, topics map[string]int32) {
	t.Helper()
	createTopicsWithConfigs(t, bootstrap, topics, nil)
}

// createTopicsWithConfigs is createTopics with topic configs (topic ->
// config -> value) for some of the topics.
func createTopicsWithConfigs(t testing.TB, bootstrap string, topics map[string]int32, configs map[string]map[string]string) {
	t.Helper()
	if len(topics) == 0 {
		return
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(bootstrap, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = 10000
	for name, parts := range topics {
		rt := kmsg.NewCreateTopicsRequestTopic()
		rt.Topic = name
		rt.NumPartitions = parts
		rt.ReplicationFactor = 1
		for k, v := range configs[name] {
			c := kmsg.NewCreateTopicsRequestTopicConfig()
			c.Name, c.Value = k, kmsg.StringPtr(v)
			rt.Configs = append(rt.Configs, c)
		}
		req.Topics = append(req.Topics, rt)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatalf("creating topics: %v", err)
	}
	for _, rt := range resp.Topics {
		if rt.ErrorCode != 0 {
			t.Fatalf("creating topic %s: error code %d %v", rt.Topic, rt.ErrorCode, rt.ErrorMessage)
		}
	}
	if err := topicsReady(ctx, cl, topics); err != nil {
		t.Fatalf("created topics never became ready: %v", err)
	}
}

// topicsReady waits until every partition of the topics answers a
// ListOffsets request. A real KRaft broker answers CreateTopics before it
// has created the partitions' logs; kafka-python 2.0.2 (retries=0) then
// fails its first send with NotLeaderForPartitionError, which kstar would
// retry, so without this wait the two runs differ by timing alone.
func topicsReady(ctx context.Context, cl *kgo.Client, topics map[string]int32) error {
	names := make([]string, 0, len(topics))
	for name := range topics {
		names = append(names, name)
	}
	adm := kadm.NewClient(cl)
	for {
		listed, err := adm.ListEndOffsets(ctx, names...)
		if err == nil {
			err = listed.Error()
		}
		if err == nil {
			for name, parts := range topics {
				if n := int32(len(listed[name])); n != parts {
					err = fmt.Errorf("topic %s: %d of %d partitions listed", name, n, parts)
					break
				}
			}
		}
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// result is what one run of a program printed.
type result struct {
	stdout, stderr string
	exit           int
	err            error // failing to start, or a timeout
	elapsed        time.Duration
}

// runStdin runs a program with a deadline and stdin as its standard
// input, and returns what it printed.
func runStdin(timeout time.Duration, env []string, stdin, name string, args ...string) result {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok && ctx.Err() == nil {
		r.exit = ee.ExitCode()
	} else if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("timed out after %v", timeout)
		}
		r.err, r.exit = err, -1
	}
	return r
}

// describe renders a run for a failure message.
func (r result) describe(who string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: exit %d after %v", who, r.exit, r.elapsed.Round(time.Millisecond))
	if r.err != nil {
		fmt.Fprintf(&b, " (%v)", r.err)
	}
	if r.stderr != "" {
		fmt.Fprintf(&b, "\n%s stderr:\n%s", who, indent(r.stderr))
	}
	return b.String()
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// python returns python3 when it can import every module the compat tests
// need; the check runs once per package. Otherwise testenv skips the test
// (or fails it in CI) with a message naming what is missing.
func python(t testing.TB) string {
	t.Helper()
	pythonOnce.Do(func() {
		path, err := exec.LookPath("python3")
		if err == nil && exec.Command(path, "-c", "import "+strings.Join(pythonModules, ", ")).Run() == nil {
			pythonPath = path
		}
	})
	if pythonPath == "" {
		return testenv.Python(t, pythonModules...)
	}
	return pythonPath
}

var (
	pythonOnce sync.Once
	pythonPath string
)
