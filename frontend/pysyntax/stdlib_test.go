package pysyntax

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The proof of the parser: for the .py files of the standard library of
// the CPython on this machine, Dump of our tree equals ast.dump of
// CPython's, and (with positions) so do the positions.
//
// By default a deterministic eighth of the files is compared (about 225
// files, a few seconds); KSTAR_STDLIB_AST=all compares every file (about
// 1,800 files, 31 MB: CPython alone needs ~15 s of CPU to dump them). The
// sample keeps `go test ./...` within its time budget on a shared 2-core
// machine; the full run is for changes to the parser.
// KSTAR_AST_CORPUS=DIR compares every .py file under DIR instead (such as
// site-packages: more code written by others).

// dumpScript reads file names from stdin and writes, per file, a header
// line "<status> <length>" and the dump: status 0 is ast.dump, 1 is
// ast.dump with positions, 2 is CPython's SyntaxError (then the file is
// excluded, as CPython itself cannot parse it).
const dumpScript = `
import ast, sys
positions = sys.argv[1] == "1"
out = sys.stdout.buffer
for line in sys.stdin:
    name = line.rstrip("\n")
    try:
        with open(name, "rb") as f:
            tree = ast.parse(f.read())
        status, text = 0, ast.dump(tree)
        if positions:
            status, text = 1, ast.dump(tree, include_attributes=True)
    except (SyntaxError, ValueError) as e:
        status, text = 2, "%s: %s" % (type(e).__name__, e)
    data = text.encode("utf-8", "surrogatepass")
    out.write(b"%d %d\n" % (status, len(data)))
    out.write(data)
    out.flush()
`

func python3(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err == nil {
		var out []byte
		out, err = exec.Command(path, "-c", "import sys; print(sys.version_info[:2] == (3, 11))").Output()
		if err == nil && strings.TrimSpace(string(out)) != "True" {
			err = fmt.Errorf("python3 is not CPython 3.11")
		}
	}
	if err != nil {
		if os.Getenv("KSTAR_REQUIRE_PYTHON") == "1" {
			t.Fatalf("KSTAR_REQUIRE_PYTHON=1 but: %v", err)
		}
		t.Skipf("no CPython 3.11 to compare with: %v", err)
	}
	return path
}

// stdlibFiles lists the .py files of CPython's standard library (not
// site-packages), or of KSTAR_AST_CORPUS, sorted.
func stdlibFiles(t *testing.T, py string) []string {
	out, err := exec.Command(py, "-c", `import sysconfig; print(sysconfig.get_paths()["stdlib"])`).Output()
	if err != nil {
		t.Fatal(err)
	}
	root := strings.TrimSpace(string(out))
	corpus := os.Getenv("KSTAR_AST_CORPUS")
	if corpus != "" {
		root = corpus
	}
	var files []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "site-packages" && corpus == "" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".py") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// sampled picks a deterministic eighth of the files, by a hash of their
// path below the library root, so the sample does not drift with the
// machine's install location.
func sampled(files []string) []string {
	if os.Getenv("KSTAR_STDLIB_AST") == "all" || os.Getenv("KSTAR_AST_CORPUS") != "" {
		return files
	}
	var out []string
	for _, f := range files {
		rel := f[strings.Index(f, "python3"):]
		if crc32.ChecksumIEEE([]byte(rel))%8 == 0 {
			out = append(out, f)
		}
	}
	return out
}

type cpythonDump struct {
	status int
	text   string
}

// cpythonDumps runs one python3 process for all files and calls f with
// each file's result as it arrives.
func cpythonDumps(t *testing.T, py string, files []string, positions bool, f func(name string, d cpythonDump)) {
	flag := "0"
	if positions {
		flag = "1"
	}
	cmd := exec.Command(py, "-c", dumpScript, flag)
	cmd.Stdin = strings.NewReader(strings.Join(files, "\n") + "\n")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReaderSize(stdout, 1<<20)
	for _, name := range files {
		header, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading CPython's dump of %s: %v", name, err)
		}
		var status, n int
		if _, err := fmt.Sscanf(header, "%d %d", &status, &n); err != nil {
			t.Fatalf("bad header %q", header)
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			t.Fatal(err)
		}
		f(name, cpythonDump{status, string(buf)})
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
}

func TestStdlibDumpsEqualCPython(t *testing.T) {
	py := python3(t)
	files := sampled(stdlibFiles(t, py))
	positions := os.Getenv("KSTAR_STDLIB_AST_POSITIONS") != "0"
	equal, excluded := 0, 0
	cpythonDumps(t, py, files, positions, func(name string, want cpythonDump) {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		mod, err := Parse(name, src)
		if want.status == 2 {
			excluded++
			t.Logf("excluded, CPython cannot parse it: %s: %s", name, want.text)
			if err == nil {
				t.Errorf("%s: CPython fails (%s) but Parse succeeds", name, want.text)
			}
			return
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		got := ""
		if want.status == 1 {
			got = DumpWithPositions(mod)
		} else {
			got = Dump(mod)
		}
		if got != want.text {
			i := 0
			for i < len(got) && i < len(want.text) && got[i] == want.text[i] {
				i++
			}
			from := max(0, i-200)
			t.Errorf("%s: dumps differ at byte %d:\n ours: %s\nCPython: %s", name, i,
				got[from:min(len(got), i+200)], want.text[from:min(len(want.text), i+200)])
			return
		}
		equal++
	})
	t.Logf("%d of %d files parsed with dumps equal to CPython's (positions: %v); %d excluded as CPython fails on them",
		equal, len(files), positions, excluded)
}
