package runtime_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/internal/golden"
	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/runtime"
)

var update = flag.Bool("update", false, "rewrite the .golden files of the golden tests")

// TestGolden runs every testdata/*/*.star script against a Kafka broker and
// compares what it prints (stdout, then any traceback) with NAME.golden.
// Timestamps, object addresses and broker ports are normalised.
// Each script gets a fresh kfake broker, or, when KSTAR_TEST_BROKERS names a
// real cluster, the whole cluster emptied of topics and groups and no other
// test running meanwhile (testbroker.Isolated), so that the scripts' fixed
// topic names ('test', 'my_topic') never see another script's records.
// Run `go test ./runtime -run TestGolden -update` to accept new output.
func TestGolden(t *testing.T) {
	scripts, _ := filepath.Glob("../testdata/*/*.star")
	if len(scripts) == 0 {
		t.Fatal("no golden scripts found")
	}
	for _, script := range scripts {
		name := strings.TrimSuffix(strings.TrimPrefix(script, "../testdata/"), ".star")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := RunGolden(t, script)
			goldenFile := strings.TrimSuffix(script, ".star") + ".golden"
			if *update {
				if err := os.WriteFile(goldenFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenFile)
			if err != nil {
				t.Fatalf("missing golden file (run with -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s\n--- got ---\n%s\n--- want ---\n%s", goldenFile, got, want)
			}
		})
	}
}

// Normalise replaces what changes from run to run (timestamps, addresses,
// ports) with fixed placeholders; see internal/golden.
func Normalise(s string) string { return golden.Normalise(s) }

// RunGolden runs one script with sys.argv = [basename] and returns its
// normalised output: stdout followed by the traceback, if any.
func RunGolden(t *testing.T, script string) string {
	t.Helper()
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rt := runtime.New(
		runtime.WithBootstrapServers(testbroker.Isolated(t)),
		runtime.WithStdout(&out),
		runtime.WithStderr(&out),
		runtime.WithoutLimits(), // as the kstar command runs scripts
	)
	base := filepath.Base(script)
	if err := rt.ExecFile(context.Background(), base, src, []string{base}); err != nil {
		out.WriteString(runtime.FormatError(err))
	}
	return Normalise(out.String())
}
