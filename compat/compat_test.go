package compat

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/internal/golden"
)

// selfCheck makes TestCompat compare two kafka-python runs of each script
// with each other instead of kafka-python with kstar: a script whose
// output is not deterministic under the reference itself cannot prove
// anything about kstar. Use it when adding scripts to the corpus.
var selfCheck = flag.Bool("compat.self", false, "compare two kafka-python runs of each corpus script (checks the corpus is deterministic)")

// pythonModules are what the corpus needs on the CPython side.
var pythonModules = []string{"kafka", "snappy", "lz4", "zstandard", "msgpack"}

// scriptTimeout bounds one run of one corpus script.
const scriptTimeout = 90 * time.Second

// TestCompat is the differential harness. Every testdata/compat/*.py runs
// with CPython + kafka-python 2.0.2 and with kstar, against the same
// broker (the standalone `kstar broker`, or the real cluster of
// KSTAR_TEST_BROKERS when it is set), each run on its own fresh topics; their
// normalised standard outputs must be identical and both must exit 0.
//
// A script learns the broker from sys.argv[1] and the prefix of its
// topics and group ids from sys.argv[2] (the two runs get different
// prefixes, which the normaliser maps back to "T"). Lines of the form
//
//	# topic: NAME PARTITIONS [CONFIG=VALUE ...]
//
// make the harness create the topic PREFIX-NAME, with those topic configs,
// before the runs (kafka-python 2.0.2 only auto-creates topics on brokers
// that allow it over Metadata v1). A script that ends with an uncaught
// exception says so with
//
//	# exit: STATUS
//
// and then both runs must exit with STATUS and print the same last line
// of stderr, the traceback's "kafka.errors.Name: message". With
//
//	# stderr: whole
//
// their whole stderr must be the same (chained tracebacks), but for the
// lines of carets CPython prints under parts of a line.
//
// Run one script with `go test ./compat -run TestCompat/NAME`.
func TestCompat(t *testing.T) {
	python := python(t)
	scripts, err := filepath.Glob("../testdata/compat/*.py")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no corpus scripts in testdata/compat: %v", err)
	}
	var passed, failed atomic.Int32
	t.Cleanup(func() {
		// The plain closing line CI reads, whatever the verbosity.
		fmt.Printf("compat: %d passed, %d failed\n", passed.Load(), failed.Load())
	})
	for _, script := range scripts {
		name := strings.TrimSuffix(filepath.Base(script), ".py")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bootstrap := cluster(t)
			defer func() {
				if t.Failed() {
					failed.Add(1)
				} else if !t.Skipped() {
					passed.Add(1)
				}
			}()
			d, err := readDirectives(script)
			if err != nil {
				t.Fatal(err)
			}
			ref, got := runBoth(t, python, bootstrap, name, script, d)
			for _, s := range []*side{ref, got} {
				if s.res.exit != d.exit || s.res.err != nil {
					t.Errorf("want exit %d; %s\n%s stdout:\n%s", d.exit, s.res.describe(s.who), s.who, indent(s.res.stdout))
				}
			}
			if d.wholeStderr {
				// CPython names the script by its absolute path.
				cwd, _ := os.Getwd()
				want := normalise(withoutCarets(strings.ReplaceAll(ref.res.stderr, cwd+string(filepath.Separator), "")), ref.prefix)
				have := normalise(withoutCarets(got.res.stderr), got.prefix)
				if want != have {
					t.Errorf("%s's stderr differs from %s's:\n%s", got.who, ref.who, golden.Diff(want, have))
				}
			} else if d.exit != 0 {
				want := normalise(lastLine(ref.res.stderr), ref.prefix)
				have := normalise(lastLine(got.res.stderr), got.prefix)
				if want != have {
					t.Errorf("the last line of %s's stderr differs from %s's:\n%s", got.who, ref.who, golden.Diff(want, have))
				}
			}
			want := normalise(ref.res.stdout, ref.prefix)
			have := normalise(got.res.stdout, got.prefix)
			if want != have {
				t.Errorf("%s's output differs from %s's:\n%s", got.who, ref.who, golden.Diff(want, have))
			}
			if want == "" && !t.Failed() {
				t.Errorf("the script printed nothing: it proves nothing")
			}
			t.Logf("%s %v, %s %v", ref.who, ref.res.elapsed.Round(time.Millisecond), got.who, got.res.elapsed.Round(time.Millisecond))
		})
	}
}

// side is one run of a script: by whom, with which topic prefix, the
// command, and what it printed.
type side struct {
	who, prefix string
	cmd         []string
	res         result
}

// runBoth creates the topics a script's directives name, for each run,
// and runs the script at once under kafka-python and kstar (or kafka-python
// twice, with -compat.self) against bootstrap. It returns the reference
// run and the one compared with it.
func runBoth(t *testing.T, python, bootstrap, name, script string, d directives) (ref, got *side) {
	t.Helper()
	sides := []*side{
		{who: "kafka-python", prefix: runPrefix + name + "-py", cmd: []string{python, "-u", script}},
		{who: "kstar", prefix: runPrefix + name + "-ks", cmd: []string{kstarBin, script}},
	}
	if *selfCheck {
		sides[1] = &side{who: "kafka-python (2nd run)", prefix: runPrefix + name + "-py2", cmd: []string{python, "-u", script}}
	}
	create := map[string]int32{}
	configs := map[string]map[string]string{}
	for _, s := range sides {
		for topic, parts := range d.topics {
			create[s.prefix+"-"+topic] = parts
			configs[s.prefix+"-"+topic] = d.configs[topic]
		}
	}
	createTopicsWithConfigs(t, bootstrap, create, configs)
	var wg sync.WaitGroup
	for _, s := range sides {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := append(s.cmd[1:len(s.cmd):len(s.cmd)], d.args(bootstrap, s.prefix)...)
			s.res = runStdin(scriptTimeout, []string{"KSTAR_BOOTSTRAP_SERVERS=", "PYTHONDONTWRITEBYTECODE=1"}, d.stdin, s.cmd[0], args...)
		}()
	}
	wg.Wait()
	return sides[0], sides[1]
}

// normalise maps a run's output to what both runs must agree on: the
// run's topic prefix becomes T, and timestamps, addresses and ports their
// placeholders.
func normalise(out, prefix string) string {
	return golden.Normalise(strings.ReplaceAll(out, prefix, "T"))
}

// caretLine is a line of a CPython traceback that marks part of the line
// above with ^ and ~.
var caretLine = regexp.MustCompile(`(?m)^ *[~^]+ *\n`)

// withoutCarets is a traceback without its lines of carets.
func withoutCarets(stderr string) string { return caretLine.ReplaceAllString(stderr, "") }

// lastLine is the last line of a program's output.
func lastLine(out string) string {
	out = strings.TrimSuffix(out, "\n")
	return out[strings.LastIndex(out, "\n")+1:]
}

// directives are what a corpus script's comment lines ask of the harness.
type directives struct {
	topics  map[string]int32             // topic name -> partitions
	configs map[string]map[string]string // topic name -> its configs
	exit    int                          // the exit status both runs must have
	// wholeStderr: both runs must print the same stderr, not only the
	// same last line
	wholeStderr bool
	argv        []string // the script's arguments, when not BOOTSTRAP PREFIX
	stdin       string   // the script's standard input
}

// args are the arguments a script runs with: its "# argv:" line with
// {BOOT} and {T} replaced by the bootstrap servers and the run's topic
// prefix, or else those two.
func (d directives) args(bootstrap, prefix string) []string {
	if d.argv == nil {
		return []string{bootstrap, prefix}
	}
	r := strings.NewReplacer("{BOOT}", bootstrap, "{T}", prefix)
	args := make([]string, len(d.argv))
	for i, a := range d.argv {
		args[i] = r.Replace(a)
	}
	return args
}

// readDirectives reads the "# topic: NAME PARTITIONS [CONFIG=VALUE ...]",
// "# exit: STATUS", "# stderr: whole", "# argv: ARG..." and "# stdin: LINE" lines of a
// script (each stdin line is one line of its standard input).
func readDirectives(script string) (directives, error) {
	d := directives{topics: map[string]int32{}, configs: map[string]map[string]string{}}
	f, err := os.Open(script)
	if err != nil {
		return d, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(text, "# exit:"); ok {
			if d.exit, err = strconv.Atoi(strings.TrimSpace(rest)); err != nil || d.exit <= 0 {
				return d, fmt.Errorf("%s:%d: want \"# exit: STATUS\" with a status above 0", script, line)
			}
			continue
		}
		if text == "# stderr: whole" {
			d.wholeStderr = true
			continue
		}
		if rest, ok := strings.CutPrefix(text, "# stdin: "); ok {
			d.stdin += rest + "\n"
			continue
		}
		if rest, ok := strings.CutPrefix(text, "# argv:"); ok {
			d.argv = strings.Fields(rest)
			continue
		}
		rest, ok := strings.CutPrefix(text, "# topic:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) < 2 {
			return d, fmt.Errorf("%s:%d: want \"# topic: NAME PARTITIONS [CONFIG=VALUE ...]\"", script, line)
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil || n < 1 {
			return d, fmt.Errorf("%s:%d: bad partition count %q", script, line, fields[1])
		}
		d.topics[fields[0]] = int32(n)
		for _, kv := range fields[2:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return d, fmt.Errorf("%s:%d: bad topic config %q: want CONFIG=VALUE", script, line, kv)
			}
			if d.configs[fields[0]] == nil {
				d.configs[fields[0]] = map[string]string{}
			}
			d.configs[fields[0]][k] = v
		}
	}
	return d, sc.Err()
}
