package csv_test

import (
	"slices"
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/csv"
	"github.com/kstar-dev/kstar/builtins/py"
)

// fuzzDialects are the formatting parameters the fuzz test picks from;
// roundTrip marks those for which CPython's reader reads back whatever
// its writer wrote.
var fuzzDialects = []struct {
	params    map[string]starlark.Value
	roundTrip bool
}{
	{map[string]starlark.Value{}, true},
	{map[string]starlark.Value{"quoting": starlark.MakeInt(1)}, true},
	{map[string]starlark.Value{"quoting": starlark.MakeInt(2)}, true},
	{map[string]starlark.Value{"quoting": starlark.MakeInt(3), "escapechar": starlark.String("\\")}, true},
	{map[string]starlark.Value{"doublequote": starlark.False, "escapechar": starlark.String("\\")}, true},
	// CPython 3.11 quotes only the characters of lineterminator: a lone
	// \r in a field is written bare, and read as a line's end.
	{map[string]starlark.Value{"delimiter": starlark.String("\t"), "lineterminator": starlark.String("\n")}, false},
	{map[string]starlark.Value{"delimiter": starlark.String("é"), "quotechar": starlark.String("'")}, true},
	{map[string]starlark.Value{"skipinitialspace": starlark.True, "strict": starlark.True}, false},
	{map[string]starlark.Value{"quoting": starlark.MakeInt(2), "strict": starlark.True, "escapechar": starlark.String("\"")}, false},
	{map[string]starlark.Value{"quotechar": starlark.None, "escapechar": starlark.String("\\")}, false},
}

func kwargs(params map[string]starlark.Value) []starlark.Tuple {
	var kw []starlark.Tuple
	for k, v := range params {
		kw = append(kw, starlark.Tuple{starlark.String(k), v})
	}
	return kw
}

// splitLines splits text after each \n, as a file opened with
// newline="" gives its lines.
func splitLines(text string) starlark.Tuple {
	var lines starlark.Tuple
	for text != "" {
		i := strings.IndexByte(text, '\n') + 1
		if i == 0 {
			i = len(text)
		}
		lines = append(lines, starlark.String(text[:i]))
		text = text[i:]
	}
	return lines
}

// readAll returns the records of csv.reader(lines, **params), or the
// error that ends them.
func readAll(thread *starlark.Thread, module *starlarkstruct.Module, lines starlark.Tuple, params map[string]starlark.Value) ([][]string, error) {
	r, err := starlark.Call(thread, module.Members["reader"], starlark.Tuple{starlark.NewList(lines)}, kwargs(params))
	if err != nil {
		return nil, err
	}
	var records [][]string
	for {
		v, ok, err := r.(py.Nexter).Next(thread)
		if err != nil || !ok {
			return records, err
		}
		var record []string
		for x := range v.(*starlark.List).Elements() {
			if s, ok := x.(starlark.String); ok {
				record = append(record, string(s))
			} else {
				record = append(record, x.String())
			}
		}
		records = append(records, record)
	}
}

// FuzzReader feeds arbitrary text to the reader under each dialect (no
// panic, no hang), and writes arbitrary rows (records split at \x1e,
// fields at \x1f) with the writer and requires the reader to read them
// back for the dialects where CPython's does.
func FuzzReader(f *testing.F) {
	for _, seed := range []string{
		"a,b,c\r\nd,e,f\r\n", "\"a,b\",\"c\"\"d\"\n\"multi\nline\",x", "a\\,b,c\\\r\nd", "\"unterminated", "x\ry",
		"1,2.5,\"s\"", " a, \"b\"", "a\x1fb\x1e\x1e\x1f", "\x00,\xff\xfe", "é,'é''x'",
	} {
		f.Add(seed, uint8(0))
	}
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		dialect := fuzzDialects[int(which)%len(fuzzDialects)]
		module := csv.New(nil).(*starlarkstruct.Module)
		thread := &starlark.Thread{}
		_, _ = readAll(thread, module, splitLines(text), dialect.params)
		if !dialect.roundTrip {
			return
		}
		var written strings.Builder
		sink := &starlarkstruct.Module{Name: "sink", Members: starlark.StringDict{
			"write": starlark.NewBuiltin("write", func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
				written.WriteString(string(args[0].(starlark.String)))
				return starlark.None, nil
			}),
		}}
		w, err := starlark.Call(thread, module.Members["writer"], starlark.Tuple{sink}, kwargs(dialect.params))
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		for _, record := range strings.Split(text, "\x1e") {
			fields := strings.Split(record, "\x1f")
			if record == "" {
				fields = nil
			}
			writerow, _ := w.(starlark.HasAttrs).Attr("writerow")
			row := make([]starlark.Value, len(fields))
			for i, f := range fields {
				row[i] = starlark.String(f)
			}
			if _, err := starlark.Call(thread, writerow, starlark.Tuple{starlark.NewList(row)}, nil); err != nil {
				if strings.Contains(err.Error(), "single empty field record must be quoted") {
					return // QUOTE_NONE cannot write it
				}
				t.Fatalf("writerow(%q): %v", fields, err)
			}
			rows = append(rows, fields)
		}
		got, err := readAll(thread, module, splitLines(written.String()), dialect.params)
		if err != nil {
			t.Fatalf("reading back %q: %v", written.String(), err)
		}
		if !slices.EqualFunc(got, rows, slices.Equal) {
			t.Fatalf("wrote %q as %q, read back %q", rows, written.String(), got)
		}
	})
}

// BenchmarkReader reads 10,000 records of 5 fields, as
//
//	python3 -m timeit -s 'import csv; lines = ["alpha,%d,\"x, y\",3.25,last\r\n" % i for i in range(10000)]' 'for r in csv.reader(lines): pass'
//
// measures it for CPython.
func BenchmarkReader(b *testing.B) {
	src := `
lines = ['alpha,%d,"x, y",3.25,last\r\n' % i for i in range(10000)]
def f(n):
    for _ in range(n):
        for r in csv.reader(lines):
            pass
`
	thread := &starlark.Thread{}
	globals, err := starlark.ExecFileOptions(&syntax.FileOptions{}, thread, "bench.star", src, starlark.StringDict{"csv": csv.New(nil)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := starlark.Call(thread, globals["f"], starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkWriter writes 10,000 rows of 5 fields to an object whose
// write discards them, as
//
//	python3 -m timeit -s 'import csv; rows = [["alpha", i, "x, y", 3.25, None] for i in range(10000)]' -s 'class Sink:' -s '  def write(self, s): pass' 'csv.writer(Sink()).writerows(rows)'
//
// measures it for CPython.
func BenchmarkWriter(b *testing.B) {
	src := `
rows = [['alpha', i, 'x, y', 3.25, None] for i in range(10000)]
def f(n):
    w = csv.writer(sink)
    for _ in range(n):
        w.writerows(rows)
`
	sink := &starlarkstruct.Module{Name: "sink", Members: starlark.StringDict{
		"write": starlark.NewBuiltin("write", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return starlark.None, nil
		}),
	}}
	thread := &starlark.Thread{}
	globals, err := starlark.ExecFileOptions(&syntax.FileOptions{}, thread, "bench.star", src, starlark.StringDict{"csv": csv.New(nil), "sink": sink})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := starlark.Call(thread, globals["f"], starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
}
