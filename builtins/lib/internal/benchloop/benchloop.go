// Package benchloop runs a statement in a Starlark loop for the standard
// modules' benchmarks, as a script runs it, next to the floor: the same
// loop calling a builtin that does nothing. What the interpreter costs
// per call (the loop, the attribute lookup, the call itself) is the
// floor; what is above it is the module's.
package benchloop

import (
	"context"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/starbytes"
)

// Noop is a builtin that takes any arguments and returns None, the
// callee of the floor benchmark.
var Noop = starlark.NewBuiltin("noop", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return starlark.None, nil
})

// Run runs setup, then stmt b.N times in a loop of a Starlark function,
// with predeclared (and noop, a module whose noop is Noop) as globals.
// The execution has a context that can be cancelled, as every execution
// of the runtime has, so that builtins which watch it (re's matches) take
// the path they take in a script.
func Run(b *testing.B, setup, stmt string, predeclared starlark.StringDict) {
	b.Helper()
	src := setup + "\ndef f(n):\n    for _ in range(n):\n        " + stmt + "\n"
	thread := &starlark.Thread{Name: "bench"}
	env := py.NewEnv()
	env.Attach(thread)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env.SetContext(ctx)
	globals := starlark.StringDict{"mod": moduleWithNoop, py.BytesFunc: py.Globals()[py.BytesFunc]}
	for k, v := range predeclared {
		globals[k] = v
	}
	vars, err := starbytes.ExecFile(&syntax.FileOptions{}, thread, "bench.star", src, globals) // b'..' is Python's bytes, as in a script
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := starlark.Call(thread, vars["f"], starlark.Tuple{starlark.MakeInt(b.N)}, nil); err != nil {
		b.Fatal(err)
	}
}

// moduleWithNoop is mod in Run's globals, a module as the standard ones
// are, so that the floor, mod.noop(a, b), looks its callee up as a call
// of a module function does.
var moduleWithNoop = &starlarkstruct.Module{Name: "mod", Members: starlark.StringDict{"noop": Noop}}
