package kafka

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	kbroker "github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// groupMemberScript is a kstar process consuming in a group; it prints
// "assigned P P ..." on each assignment and "got P OFFSET VALUE" per
// record (committing after each).
const groupMemberScript = `
import sys
from kafka import KafkaConsumer, ConsumerRebalanceListener

def assigned(tps):
    print('assigned', ' '.join(sorted(['%d' % tp.partition for tp in tps])))

consumer = KafkaConsumer(bootstrap_servers=sys.argv[1], group_id='members', auto_offset_reset='earliest',
                         enable_auto_commit=False, session_timeout_ms=1000, heartbeat_interval_ms=100,
                         metadata_max_age_ms=1000, consumer_timeout_ms=60000)
consumer.subscribe(['work'], listener=ConsumerRebalanceListener(on_partitions_assigned=assigned))
for msg in consumer:
    print('got', msg.partition, msg.offset, msg.value.decode())
    consumer.commit()
`

// groupMember is one running member process and what it printed.
type groupMember struct {
	name   string
	cmd    *exec.Cmd
	mu     sync.Mutex
	assn   []string // latest assignment
	got    []string // "partition value"
	done   chan error
	stderr bytes.Buffer
}

func (m *groupMember) assignment() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.assn
}

// buildKstarBinary builds the kstar command for process tests.
func buildKstarBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kstar")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/kstar-dev/kstar/cmd/kstar").CombinedOutput()
	if err != nil {
		t.Fatalf("building kstar: %v\n%s", err, out)
	}
	return bin
}

func startGroupMember(t *testing.T, bin, script, boot, name string) *groupMember {
	t.Helper()
	m := &groupMember{name: name, done: make(chan error, 1)}
	m.cmd = exec.Command(bin, script, boot)
	m.cmd.Stderr = &m.stderr
	out, err := m.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			m.mu.Lock()
			switch {
			case len(f) > 0 && f[0] == "assigned":
				m.assn = f[1:]
			case len(f) == 4 && f[0] == "got":
				m.got = append(m.got, f[1]+" "+f[3])
			}
			m.mu.Unlock()
		}
		m.done <- m.cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = m.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("member %s stderr:\n%s", m.name, m.stderr.String())
		}
	})
	return m
}

// waitFor polls cond until it holds or the deadline passes.
func waitUntil(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sharing reports whether the members' latest assignments split all
// partitions between them, each getting some.
func shareAll(members []*groupMember, partitions int) bool {
	seen := map[string]bool{}
	for _, m := range members {
		a := m.assignment()
		if len(a) == 0 {
			return false
		}
		for _, p := range a {
			if seen[p] {
				return false
			}
			seen[p] = true
		}
	}
	return len(seen) == partitions
}

// Three kstar processes in one group share a topic's partitions; when one
// exits (Ctrl-C, leaving the group) or is killed (no goodbye: its session
// times out), the others take its partitions over; with a commit after
// each record nothing is lost or read twice.
func TestConsumerGroupProcesses(t *testing.T) {
	t.Parallel()
	bin := buildKstarBinary(t)
	boot := testbroker.Embedded(t, kbroker.Config{Partitions: 6}).Bootstrap()
	script := filepath.Join(t.TempDir(), "member.py")
	if err := os.WriteFile(script, []byte(groupMemberScript), 0o644); err != nil {
		t.Fatal(err)
	}
	produceValues(t, boot, "work", -1, 6, "warm-") // creates the topic
	members := []*groupMember{
		startGroupMember(t, bin, script, boot, "a"),
		startGroupMember(t, bin, script, boot, "b"),
		startGroupMember(t, bin, script, boot, "c"),
	}
	waitUntil(t, "three members sharing 6 partitions", 20*time.Second, func() bool { return shareAll(members, 6) })
	for _, m := range members {
		if n := len(m.assignment()); n != 2 {
			t.Errorf("member %s has %d partitions, want 2", m.name, n)
		}
	}
	total := func(ms []*groupMember) int {
		n := 0
		for _, m := range ms {
			m.mu.Lock()
			n += len(m.got)
			m.mu.Unlock()
		}
		return n
	}
	produceValues(t, boot, "work", -1, 60, "one-")
	waitUntil(t, "66 records", 20*time.Second, func() bool { return total(members) >= 66 })
	// Each member only saw records of its own partitions.
	for _, m := range members {
		own := map[string]bool{}
		for _, p := range m.assignment() {
			own[p] = true
		}
		m.mu.Lock()
		for _, g := range m.got {
			if p := strings.Fields(g)[0]; !own[p] && !strings.Contains(g, "warm-") {
				t.Errorf("member %s (partitions %v) got %q", m.name, m.assignment(), g)
			}
		}
		m.mu.Unlock()
	}

	// a exits as on Ctrl-C: it leaves the group at once.
	time.Sleep(200 * time.Millisecond) // let the last commits land
	if err := members[0].cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := <-members[0].done; err == nil || !strings.Contains(err.Error(), "130") {
		t.Errorf("a exited with %v, want status 130 (KeyboardInterrupt)", err)
	}
	rest := members[1:]
	waitUntil(t, "b and c taking a's partitions", 20*time.Second, func() bool { return shareAll(rest, 6) })
	produceValues(t, boot, "work", -1, 60, "two-")
	waitUntil(t, "126 records", 20*time.Second, func() bool { return total(members) >= 126 })

	// b is killed: no goodbye; c takes over after b's session times out.
	time.Sleep(200 * time.Millisecond)
	_ = members[1].cmd.Process.Kill()
	<-members[1].done
	waitUntil(t, "c owning all partitions", 20*time.Second, func() bool { return shareAll(rest[1:], 6) })
	produceValues(t, boot, "work", -1, 60, "three-")
	waitUntil(t, "186 records", 20*time.Second, func() bool { return total(members) >= 186 })
	time.Sleep(300 * time.Millisecond)

	seen := map[string]int{}
	for _, m := range members {
		m.mu.Lock()
		for _, g := range m.got {
			seen[strings.Fields(g)[1]]++
		}
		m.mu.Unlock()
	}
	var dup []string
	for v, n := range seen {
		if n != 1 {
			dup = append(dup, fmt.Sprintf("%s×%d", v, n))
		}
	}
	sort.Strings(dup)
	if len(seen) != 186 || len(dup) > 0 {
		t.Errorf("read %d distinct records (want 186); read more than once: %v", len(seen), dup)
	}
}
