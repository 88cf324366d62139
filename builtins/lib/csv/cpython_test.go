package csv_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/internal/testenv"
	"github.com/kstar-dev/kstar/runtime"
)

// TestParsingMatchesCPython reads 600 generated inputs with reader and
// DictReader, made of the characters that matter to the parser
// (delimiters, quotes, escapes, \r, \n, spaces, NUL, a non-ASCII
// letter) under generated dialects, and writes generated rows, with
// kstar and with CPython, and requires the same records, line numbers,
// lines written and errors.
func TestParsingMatchesCPython(t *testing.T) {
	python := testenv.Python(t)
	src := differentialScript(rand.New(rand.NewSource(18)), 600)
	cmd := exec.Command(python, "-")
	cmd.Stdin = strings.NewReader(src)
	var want, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &want, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	var got bytes.Buffer
	rt := runtime.New(runtime.WithStdout(&got))
	if err := rt.ExecFile(context.Background(), "differential.py", []byte(src), nil); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	wantLines, gotLines := strings.Split(want.String(), "\n"), strings.Split(got.String(), "\n")
	for i := range wantLines {
		if i >= len(gotLines) {
			t.Fatalf("kstar stops after %d lines; CPython goes on with %q", len(gotLines), wantLines[i])
		}
		if wantLines[i] != gotLines[i] {
			t.Fatalf("line %d: CPython prints\n%s\nkstar prints\n%s", i+1, wantLines[i], gotLines[i])
		}
	}
	if len(gotLines) != len(wantLines) {
		t.Fatalf("kstar prints %d lines, CPython %d", len(gotLines), len(wantLines))
	}
}

// differentialScript is a Python script that runs n generated cases.
func differentialScript(rnd *rand.Rand, n int) string {
	alphabet := []string{"a", "b", ",", ";", "\"", "'", "\\", " ", "\r", "\n", "\r\n", "\x00", "é", "1", ".", "-"}
	pick := func(options ...string) string { return options[rnd.Intn(len(options))] }
	var b strings.Builder
	b.WriteString(`import csv, sys
def run(lines, params):
    r = None
    try:
        r = csv.reader(lines, **params)
        out = []
        for row in r:
            out.append((row, r.line_num))
        print('ok', repr(out))
    except csv.Error as e:
        print('csv.Error', str(e), r.line_num if r != None else '-')
    except Exception as e:
        print(type(e).__name__, str(e))
    r = None
    try:
        r = csv.DictReader(lines, restkey='+', restval='-', **params)
        out = []
        for row in r:
            out.append((row, r.line_num))
        print('ok', r.fieldnames, repr(out))
    except csv.Error as e:
        print('csv.Error', str(e), r.line_num if r != None else '-')
    except Exception as e:
        print(type(e).__name__, str(e))
def write(rows, params):
    try:
        w = csv.writer(sys.stdout, **params)
        for row in rows:
            print(repr(w.writerow(row)))
    except csv.Error as e:
        print('csv.Error', str(e))
    except Exception as e:
        print(type(e).__name__, str(e))
`)
	for i := 0; i < n; i++ {
		params := []string{}
		if rnd.Intn(2) == 0 {
			params = append(params, "'delimiter': "+pick("','", "';'", "' '", "'é'"))
		}
		if rnd.Intn(3) == 0 {
			params = append(params, "'quotechar': "+pick("'\"'", "\"'\"", "None", "','"))
		}
		if rnd.Intn(2) == 0 {
			params = append(params, "'escapechar': "+pick("'\\\\'", "None", "'\"'"))
		}
		if rnd.Intn(3) == 0 {
			params = append(params, "'doublequote': False")
		}
		if rnd.Intn(3) == 0 {
			params = append(params, "'skipinitialspace': True")
		}
		if rnd.Intn(3) == 0 {
			params = append(params, "'strict': True")
		}
		if rnd.Intn(2) == 0 {
			params = append(params, "'quoting': "+pick("csv.QUOTE_MINIMAL", "csv.QUOTE_ALL", "csv.QUOTE_NONNUMERIC", "csv.QUOTE_NONE"))
		}
		if rnd.Intn(3) == 0 {
			params = append(params, "'lineterminator': "+pick("'\\n'", "'\\r\\n'", "'|'", "''"))
		}
		if rnd.Intn(5) == 0 {
			params = append(params, "'dialect': "+pick("'excel'", "'excel-tab'", "'unix'"))
		}
		dict := "{" + strings.Join(params, ", ") + "}"
		var lines []string
		for range rnd.Intn(4) + 1 {
			var line strings.Builder
			for range rnd.Intn(12) {
				line.WriteString(alphabet[rnd.Intn(len(alphabet))])
			}
			lines = append(lines, fmt.Sprintf("%q", line.String()))
		}
		fmt.Fprintf(&b, "run([%s], %s)\n", strings.Join(lines, ", "), dict)
		var rows []string
		for range rnd.Intn(3) + 1 {
			var fields []string
			for range rnd.Intn(4) {
				switch rnd.Intn(6) {
				case 0:
					fields = append(fields, pick("None", "1", "2.5", "True", "-3"))
				default:
					var field strings.Builder
					for range rnd.Intn(5) {
						field.WriteString(alphabet[rnd.Intn(len(alphabet))])
					}
					fields = append(fields, fmt.Sprintf("%q", field.String()))
				}
			}
			rows = append(rows, "["+strings.Join(fields, ", ")+"]")
		}
		fmt.Fprintf(&b, "write([%s], %s)\n", strings.Join(rows, ", "), dict)
	}
	return b.String()
}

// TestFilesMatchCPython runs a script that writes a file with csv.writer
// and DictWriter, reads files with reader and DictReader (newline="" and
// universal newlines, a quoted field over two lines), and reads
// sys.stdin, under CPython and under kstar with the same files and input.
func TestFilesMatchCPython(t *testing.T) {
	python := testenv.Python(t)
	const src = `import csv, sys
out = open('out.csv', 'w', newline='')
w = csv.writer(out)
print(w.writerow(['id', 'note']), w.writerow([1, 'two\nlines']))
w.writerows([[2, 'say "hi"'], [3, '']])
dw = csv.DictWriter(out, ['id', 'note'], restval='none')
dw.writerow({'id': 4})
out.close()
print(repr(open('out.csv', newline='').read()))
f = open('out.csv', newline='')
for row in csv.DictReader(f):
    print(row)
f.close()
r = csv.reader(open('in.csv'))
print([(row, r.line_num) for row in r])
r = csv.reader(open('in.csv', newline=''), delimiter=';')
print(list(r))
print(list(csv.reader(sys.stdin)))
f = open('in.csv', newline='')
print(repr(next(f)), iter(f) is f, list(csv.reader(f)), next(f, 'end'))
`
	files := map[string]string{"in.csv": "a,\"b\r\nc\",d\r\n\"e;f\";g\r\n"}
	stdin := "x,y\n\"z\n\",w\n"
	run := func(kstar bool) string {
		dir := t.TempDir()
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var out bytes.Buffer
		if kstar {
			rt := runtime.New(runtime.WithStdout(&out), runtime.WithFiles(dir), runtime.WithStdin(strings.NewReader(stdin)))
			if err := rt.ExecFile(context.Background(), "files.py", []byte(src), nil); err != nil {
				t.Fatal(runtime.FormatError(err))
			}
			return out.String()
		}
		cmd := exec.Command(python, "-c", src)
		cmd.Dir, cmd.Stdin, cmd.Stdout, cmd.Stderr = dir, strings.NewReader(stdin), &out, os.Stderr
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	want, got := run(false), run(true)
	if got != want {
		t.Errorf("CPython prints\n%s\nkstar prints\n%s", want, got)
	}
}

// TestReaderTakesLinesAsNeeded: a reader over sys.stdin takes a line only
// when a record needs it, so a script handles each record as it arrives
// (here, the input checks that the record before was printed before it
// serves the next line).
func TestReaderTakesLinesAsNeeded(t *testing.T) {
	var out bytes.Buffer
	stdin := &pacedInput{t: t, out: &out, lines: []string{"a,b\n", "\"c\n", "d\",e\n", "f\n"},
		printedBefore: []string{"", "['a', 'b']", "", "['c\\nd', 'e']"}}
	rt := runtime.New(runtime.WithStdout(&out), runtime.WithStdin(stdin))
	src := "import csv, sys\nfor row in csv.reader(sys.stdin):\n    print(row)\n"
	if err := rt.ExecFile(context.Background(), "paced.py", []byte(src), nil); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	if want := "['a', 'b']\n['c\\nd', 'e']\n['f']\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

// pacedInput serves one line per Read, after checking that the script
// has printed printedBefore[i] before line i.
type pacedInput struct {
	t             *testing.T
	out           *bytes.Buffer
	lines         []string
	printedBefore []string
	served        int
}

func (in *pacedInput) Read(p []byte) (int, error) {
	if in.served == len(in.lines) {
		return 0, io.EOF
	}
	if want := in.printedBefore[in.served]; !strings.Contains(in.out.String(), want) {
		in.t.Errorf("line %d read before %s was printed (printed: %q)", in.served+1, want, in.out.String())
	}
	n := copy(p, in.lines[in.served])
	in.served++
	return n, nil
}
