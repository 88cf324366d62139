package compat

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/golden"
	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/runtime"
)

var update = flag.Bool("update", false, "rewrite testdata/tutorial/*.golden from the scripts' output")

// TestTutorialScripts runs every scripts/*.star, the founding tutorial as
// runnable scripts, and compares what it prints (stdout, then any
// traceback) with testdata/tutorial/NAME.golden; timestamps, addresses and
// ports are normalised. `go test ./compat -run TestTutorialScripts -update`
// rewrites the golden files (read the diff before accepting it).
//
// The scripts name localhost:9092, where `kstar --embedded` puts its
// broker; here each runs against a fresh embedded broker of its own, and
// the address in the script is replaced by that broker's (or by the real
// cluster of KSTAR_TEST_BROKERS, emptied before each script). Topics get
// one partition, Kafka's own default, which the tutorial also assumes, so
// that records with no key arrive in a fixed order.
func TestTutorialScripts(t *testing.T) {
	scripts, err := filepath.Glob("../scripts/*.star")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts in ../scripts: %v", err)
	}
	for _, script := range scripts {
		name := strings.TrimSuffix(filepath.Base(script), ".star")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := runTutorialScript(t, script)
			golden.Check(t, filepath.Join("../testdata/tutorial", name+".golden"), got, *update)
		})
	}
}

// tutorialTopics are the topics the tutorial scripts use without creating
// them (they rely on auto-creation, with one partition).
var tutorialTopics = []string{"test", "my_topic", "topic_1", "my_other_topic", "json_topic", "msgpack_topic", "gzip_topic"}

// runTutorialScript runs one script as `kstar --embedded scripts/NAME.star`
// would, on its own one-partition broker, and returns its normalised output.
//
// With KSTAR_TEST_BROKERS set it runs on the real cluster instead, emptied
// first (testbroker.Isolated: the scripts use fixed topic and group names),
// after creating with one partition each tutorial topic the script names:
// a real broker would auto-create them with its num.partitions.
func runTutorialScript(t *testing.T, script string) string {
	t.Helper()
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	var bootstrap string
	if testbroker.Real() {
		bootstrap = testbroker.Isolated(t)
		topics := map[string]int32{}
		for _, topic := range tutorialTopics {
			if bytes.Contains(src, []byte("'"+topic+"'")) {
				topics[topic] = 1
			}
		}
		createTopics(t, bootstrap, topics)
	} else {
		bootstrap = testbroker.Embedded(t, broker.Config{Partitions: 1}).Bootstrap()
	}
	src = bytes.ReplaceAll(src, []byte("localhost:9092"), []byte(bootstrap))
	var out bytes.Buffer
	rt := runtime.New(
		runtime.WithBootstrapServers(bootstrap),
		runtime.WithStdout(&out),
		runtime.WithStderr(&out),
		runtime.WithoutLimits(), // as the kstar command runs scripts
	)
	filename := "scripts/" + filepath.Base(script)
	if err := rt.ExecFile(context.Background(), filename, src, []string{filename}); err != nil {
		out.WriteString(runtime.FormatError(err))
	}
	return golden.Normalise(out.String())
}
