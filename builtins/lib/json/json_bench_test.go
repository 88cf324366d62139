package json

import (
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
)

// BenchmarkJSONRoundTrip is the script-level cost of a small JSON round
// trip, json.loads(json.dumps({'a': 1, 'b': [1, 2, 3], 'c': 'x'})), a
// Starlark loop doing it b.N times; CPython's figure for scale:
//
//	python3 -m timeit -s 'import json' "json.loads(json.dumps({'a': 1, 'b': [1, 2, 3], 'c': 'x'}))"
//	go test ./builtins/lib/json -run '^$' -bench JSONRoundTrip
func BenchmarkJSONRoundTrip(b *testing.B) {
	const src = `
def run(n):
    for _ in range(n):
        json.loads(json.dumps({'a': 1, 'b': [1, 2, 3], 'c': 'x'}))
`
	env := py.NewEnv()
	thread := &starlark.Thread{}
	env.Attach(thread)
	globals, err := starlark.ExecFileOptions(pytest.FileOptions, thread, "bench.star", src, starlark.StringDict{"json": New(env)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := starlark.Call(thread, globals["run"], starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
}

// TestRoundTripAllocations bounds what a small round trip allocates
// (the values made and the text, not the options nor a copy of each
// pair), so that the benchmark's figure does not creep back: CPython
// makes about as many objects.
func TestRoundTripAllocations(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector's instrumentation allocates: counted in the plain test lane")
	}
	thread := &starlark.Thread{}
	py.NewEnv().Attach(thread)
	module := New(py.NewEnv()).(starlark.HasAttrs)
	dumps, _ := module.Attr("dumps")
	loads, _ := module.Attr("loads")
	doc := starlark.NewDict(3)
	doc.SetKey(starlark.String("a"), starlark.MakeInt(1))
	doc.SetKey(starlark.String("b"), starlark.NewList([]starlark.Value{starlark.MakeInt(1), starlark.MakeInt(2), starlark.MakeInt(3)}))
	doc.SetKey(starlark.String("c"), starlark.String("x"))
	for _, c := range []struct {
		name string
		fn   starlark.Value
		arg  starlark.Value
		max  float64
	}{
		// The encoder, its text, the str and the dict's items (before:
		// 18, with the options on the heap and the markers growing).
		{"dumps", dumps, doc, 5},
		// The decoder, the dict, the list and its array, the keys and
		// the values (before: 18, with a tuple per pair).
		{"loads", loads, starlark.String(`{"a": 1, "b": [1, 2, 3], "c": "x"}`), 12},
	} {
		args := starlark.Tuple{c.arg}
		got := testing.AllocsPerRun(100, func() {
			if _, err := starlark.Call(thread, c.fn, args, nil); err != nil {
				t.Fatal(err)
			}
		})
		if got > c.max {
			t.Errorf("%s allocates %v times; want at most %v", c.name, got, c.max)
		}
	}
}
