package compat

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/internal/golden"
)

// offsetField is a ConsumerRecord's offset, which depends on how many
// records the run's producer thread had sent.
var offsetField = regexp.MustCompile(`offset=\d+`)

// TestKafkaPythonExampleUnchanged runs kafka-python's own example.py
// (testdata/kafka-python/example.py, as released in 2.0.2: a
// threading.Thread subclass producing every second beside one consuming,
// stopped with Events after 10 s) under CPython + kafka-python and under
// kstar, with only its bootstrap address replaced. How many records each
// run prints depends on timing, so the runs must print the same distinct
// records (offsets and timestamps aside), each at least twice, and both
// exit 0 with nothing on stderr.
func TestKafkaPythonExampleUnchanged(t *testing.T) {
	python := python(t)
	src, err := os.ReadFile("../testdata/kafka-python/example.py")
	if err != nil {
		t.Fatal(err)
	}
	bootstrap := cluster(t)
	script := filepath.Join(t.TempDir(), "example.py")
	if err := os.WriteFile(script, []byte(strings.ReplaceAll(string(src), "localhost:9092", bootstrap)), 0o644); err != nil {
		t.Fatal(err)
	}
	sides := []*side{
		{who: "kafka-python", cmd: []string{python, "-u", script}},
		{who: "kstar", cmd: []string{kstarBin, script}},
	}
	var wg sync.WaitGroup
	for _, s := range sides {
		wg.Go(func() {
			s.res = runStdin(time.Minute, []string{"KSTAR_BOOTSTRAP_SERVERS=", "PYTHONDONTWRITEBYTECODE=1"}, "", s.cmd[0], s.cmd[1:]...)
		})
	}
	wg.Wait()
	var distinct [2][]string
	for i, s := range sides {
		if s.res.exit != 0 || s.res.err != nil || s.res.stderr != "" {
			t.Fatalf("%s", s.res.describe(s.who))
		}
		lines := strings.Split(strings.TrimSpace(offsetField.ReplaceAllString(golden.Normalise(s.res.stdout), "offset=N")), "\n")
		slices.Sort(lines)
		distinct[i] = slices.Compact(slices.Clone(lines))
		if len(lines) < 2*len(distinct[i]) {
			t.Errorf("%s printed %d records, want each of its %d kinds at least twice:\n%s", s.who, len(lines), len(distinct[i]), s.res.stdout)
		}
	}
	if !slices.Equal(distinct[0], distinct[1]) {
		t.Errorf("kafka-python printed:\n%s\nkstar printed:\n%s", strings.Join(distinct[0], "\n"), strings.Join(distinct[1], "\n"))
	}
	t.Logf("%d kinds of record; kafka-python printed %d lines, kstar %d", len(distinct[0]),
		strings.Count(sides[0].res.stdout, "\n"), strings.Count(sides[1].res.stdout, "\n"))
}
