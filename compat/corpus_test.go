package compat

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// corpusStatus is the file that says, for each script of the corpus,
// whether kstar prints what kafka-python prints ("same") or not and why
// ("differs: REASON").
const corpusStatus = "../testdata/corpus/STATUS"

// TestCorpus runs the corpus of kafka-python scripts written by others
// (testdata/corpus/*.py: READMEs, tutorials, answers, GitHub projects, each
// with its source and the edits that make it end against a test broker)
// under CPython + kafka-python 2.0.2 and under kstar, as TestCompat does,
// and prints "corpus: N of M print the same" with the first differing line
// of each script that does not. A run is the same when the normalised
// standard output, the exit status and, for a failing run, the last line
// of stderr are.
//
// Scripts may differ for want of features kstar does not have yet; the
// test fails only when a script's outcome is not the one testdata/corpus/STATUS
// records, so that the list stays current: update STATUS when a change
// makes a script print the same. With -compat.self it compares two
// kafka-python runs instead and fails on any difference.
func TestCorpus(t *testing.T) {
	python := python(t)
	scripts, err := filepath.Glob("../testdata/corpus/*.py")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts in testdata/corpus: %v", err)
	}
	expected, err := readCorpusStatus(corpusStatus)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	differing := map[string]string{} // script -> first differing line
	ran := 0
	t.Cleanup(func() {
		names := make([]string, 0, len(differing))
		for name := range differing {
			names = append(names, name)
		}
		slices.Sort(names)
		var b strings.Builder
		fmt.Fprintf(&b, "corpus: %d of %d print the same\n", ran-len(differing), ran)
		for _, name := range names {
			fmt.Fprintf(&b, "  %s: %s\n", name, differing[name])
		}
		fmt.Print(b.String())
	})
	for _, script := range scripts {
		name := strings.TrimSuffix(filepath.Base(script), ".py")
		want, listed := expected[name]
		if !listed {
			t.Errorf("%s: no line in %s (want \"%s same\" or \"%s differs: REASON\")", name, corpusStatus, name, name)
			continue
		}
		delete(expected, name)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bootstrap := cluster(t)
			d, err := readDirectives(script)
			if err != nil {
				t.Fatal(err)
			}
			ref, got := runBoth(t, python, bootstrap, name, script, d)
			if ref.res.exit != d.exit || ref.res.err != nil {
				t.Fatalf("the reference run failed: want exit %d; %s\nstdout:\n%s", d.exit, ref.res.describe(ref.who), indent(ref.res.stdout))
			}
			diff := firstDifference(ref, got)
			mu.Lock()
			ran++
			if diff != "" {
				differing[name] = diff
			}
			mu.Unlock()
			switch {
			case *selfCheck:
				if diff != "" {
					t.Errorf("two kafka-python runs differ (the script is not deterministic): %s", diff)
				}
			case diff != "" && want == "same":
				t.Errorf("%s listed as the same in STATUS, but differs: %s\n%s", got.who, diff, got.res.describe(got.who))
			case diff == "" && want != "same":
				t.Errorf("listed in STATUS as %q, but prints the same now: update STATUS", want)
			}
		})
	}
	for name := range expected {
		t.Errorf("%s names %s, which is not in testdata/corpus", corpusStatus, name)
	}
}

// firstDifference says where got's run first departs from ref's: the exit
// status, the first differing line of standard output, or the last line of
// stderr of a failing run; "" when they agree.
func firstDifference(ref, got *side) string {
	if got.res.err != nil {
		return got.res.err.Error()
	}
	want := strings.Split(normalise(ref.res.stdout, ref.prefix), "\n")
	have := strings.Split(normalise(got.res.stdout, got.prefix), "\n")
	for i := range max(len(want), len(have)) {
		w, h := "(end of output)", "(end of output)"
		if i < len(want) {
			w = want[i]
		}
		if i < len(have) {
			h = have[i]
		}
		if w != h {
			if got.res.exit != ref.res.exit {
				return fmt.Sprintf("exit %d, not %d: %s", got.res.exit, ref.res.exit, lastLine(got.res.stderr))
			}
			return fmt.Sprintf("line %d: %q, not %q", i+1, h, w)
		}
	}
	if got.res.exit != ref.res.exit {
		return fmt.Sprintf("exit %d, not %d: %s", got.res.exit, ref.res.exit, lastLine(got.res.stderr))
	}
	if ref.res.exit != 0 {
		w, h := normalise(lastLine(ref.res.stderr), ref.prefix), normalise(lastLine(got.res.stderr), got.prefix)
		if w != h {
			return fmt.Sprintf("stderr %q, not %q", h, w)
		}
	}
	return ""
}

// readCorpusStatus reads the STATUS file: one "NAME same" or
// "NAME differs: REASON" line per script; blank lines and lines starting
// with # are comments.
func readCorpusStatus(file string) (map[string]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	status := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, st, _ := strings.Cut(text, " ")
		st = strings.TrimSpace(st)
		if st != "same" && !strings.HasPrefix(st, "differs: ") {
			return nil, fmt.Errorf("%s:%d: want \"NAME same\" or \"NAME differs: REASON\"", file, line)
		}
		if _, dup := status[name]; dup {
			return nil, fmt.Errorf("%s:%d: %s listed twice", file, line, name)
		}
		status[name] = st
	}
	return status, sc.Err()
}
