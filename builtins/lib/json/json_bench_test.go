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
