package datetime

import (
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// BenchmarkNowIsoformat is the script-level cost of
// datetime.now().isoformat(), a Starlark loop calling it b.N times;
// CPython's figure for scale:
//
//	python3 -m timeit -s 'from datetime import datetime' 'datetime.now().isoformat()'
//	go test ./builtins/lib/datetime -run '^$' -bench NowIsoformat
func BenchmarkNowIsoformat(b *testing.B) {
	const src = `
def run(n):
    for _ in range(n):
        datetime.now().isoformat()
`
	globals, err := starlark.ExecFileOptions(&syntax.FileOptions{}, &starlark.Thread{}, "bench.star", src, starlark.StringDict{"datetime": dateTimeClass})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := starlark.Call(&starlark.Thread{}, globals["run"], starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
}
