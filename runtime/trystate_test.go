package runtime_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/runtime"
)

// spinInTry runs spin(), which calls the host's cancel() and never
// returns, in a try whose bare except would print "caught". Whenever the
// stop comes, spin is running.
const spinInTry = `
def spin():
    cancel()
    while True:
        pass
def main():
    try:
        spin()
    except:
        print("caught")
main()
`

// TestExceptDoesNotCatchStops checks that except never catches the stop
// of an execution (the host's cancellation, the step limit, in the script
// or in a module it loads), which ends it with a traceback through the
// function that was running; and that it does catch an error that merely
// reads like one.
func TestExceptDoesNotCatchStops(t *testing.T) {
	noop := starlark.NewBuiltin("cancel", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, nil
	})
	modules := fstest.MapFS{"spinner.star": {Data: []byte("def spin():\n    while True:\n        pass\nspin()\n")}}
	for _, tc := range []struct {
		name, src string
		cancel    bool // cancel() cancels the execution's context
		opts      []runtime.Option
		want      string // how the traceback ends, after a line in spin; "" for no error
		wantOut   string
	}{
		{name: "host cancellation", src: spinInTry, cancel: true,
			want: "CancelledError: context canceled"},
		{name: "step limit", src: spinInTry, opts: []runtime.Option{runtime.WithMaxSteps(10_000)},
			want: "too many steps: the script ran past its limit of 10000 steps"},
		{name: "step limit in a loaded module",
			src:  "try:\n    spinner = load('spinner.star')\nexcept:\n    print('caught')\n",
			opts: []runtime.Option{runtime.WithMaxSteps(10_000), runtime.WithLoadFS(modules)},
			want: "too many steps: the script ran past its limit of 10000 steps"},
		{name: "an error with a cancellation's message",
			src:     "try:\n    raise ValueError('Starlark computation cancelled: not really')\nexcept ValueError as e:\n    print('caught', e)\n",
			wantOut: "caught Starlark computation cancelled: not really\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cancelFn := noop
			if tc.cancel {
				cancelFn = starlark.NewBuiltin("cancel", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
					cancel()
					return starlark.None, nil
				})
			}
			var out bytes.Buffer
			opts := append([]runtime.Option{runtime.WithStdout(&out), runtime.WithPredeclared("cancel", cancelFn)}, tc.opts...)
			err := runtime.New(opts...).ExecFile(ctx, "t.py", []byte(tc.src), nil)
			if out.String() != tc.wantOut {
				t.Errorf("printed %q, want %q", out.String(), tc.wantOut)
			}
			if tc.want == "" {
				if err != nil {
					t.Errorf("error %v", err)
				}
				return
			}
			if tb := runtime.FormatError(err); !stoppedInSpin(tb, tc.want) {
				t.Errorf("traceback:\n%s\nwant one through spin ending in %q", tb, tc.want)
			}
		})
	}
}

// TestExceptDoesNotCatchStopsInCalls is TestExceptDoesNotCatchStops for
// calls of a loaded script's functions, which stop at their own limits.
func TestExceptDoesNotCatchStopsInCalls(t *testing.T) {
	s := load(t, strings.Replace(spinInTry, "\nmain()\n", "\n", 1),
		runtime.WithMaxSteps(10_000), runtime.WithPredeclared("cancel", starlark.NewBuiltin("cancel", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return starlark.None, nil
		})))
	_, err := s.Call(context.Background(), "main")
	if tb := traceback(err); !stoppedInSpin(tb, "too many steps: the script ran past its limit of 10000 steps") {
		t.Errorf("got %v, traceback:\n%s\nwant a step limit stop in spin", err, tb)
	}
}

// stoppedInSpin reports whether traceback goes through spin (where the
// stop found the script) and ends with end.
func stoppedInSpin(traceback, end string) bool {
	return strings.Contains(traceback, ", in spin\n") && strings.HasSuffix(strings.TrimSpace(traceback), end)
}

// TestSessionKeepsNamesBoundInTry checks that a global a REPL chunk binds
// in a try (where it lives in a cell) is the session's global for the
// chunks that follow, and that a later chunk's try starts from its value.
func TestSessionKeepsNamesBoundInTry(t *testing.T) {
	var out bytes.Buffer
	s := runtime.New(runtime.WithStdout(&out)).NewSession(nil)
	for _, chunk := range []string{
		"try:\n    x = 1\n    import json\nexcept ImportError:\n    pass\n",
		"print(x, json.dumps(x))\n",
		"x = 2\n",
		"try:\n    print(x)\n    x = x + 1\nfinally:\n    print('finally')\n",
		"print(x)\n",
	} {
		if err := s.Exec(context.Background(), chunk); err != nil {
			t.Fatalf("%q: %s", chunk, runtime.FormatError(err))
		}
	}
	if want := "1 1\n2\nfinally\n3\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	if names := s.Globals(); strings.Join(names, " ") != "_ json x" {
		t.Errorf("globals %v, want [_ json x]", names)
	}
}

// TestScriptGlobalsBoundInTry checks that a loaded script's globals
// include those its module-level try statements bind, with their values.
func TestScriptGlobalsBoundInTry(t *testing.T) {
	s := load(t, "try:\n    limit = int('10')\n    def process(r):\n        return r * limit\nexcept ValueError:\n    limit = 0\n")
	if got := s.Global("limit"); got == nil || got.String() != "10" {
		t.Errorf("limit = %v, want 10", got)
	}
	v, err := s.Call(context.Background(), "process", starlark.MakeInt(2))
	if err != nil || v.String() != "20" {
		t.Errorf("process(2) = %v, %v; want 20", v, err)
	}
	if names := strings.Join(s.Globals(), " "); strings.Contains(names, "__") {
		t.Errorf("globals %s show the lowering's names", names)
	}
}

// TestSessionDelAndWalrus checks that a REPL chunk's del of a global an
// earlier chunk bound removes it from the session, and that a name :=
// binds is the session's global for the chunks that follow.
func TestSessionDelAndWalrus(t *testing.T) {
	var out bytes.Buffer
	s := runtime.New(runtime.WithStdout(&out)).NewSession(nil)
	for _, chunk := range []string{
		"x = 1\n",
		"del x\n",
		"print('x' in globals())\n",
		"print(n := 5)\n",
		"print(n + 1)\n",
	} {
		if err := s.Exec(context.Background(), chunk); err != nil {
			t.Fatalf("%q: %s", chunk, runtime.FormatError(err))
		}
	}
	if want := "False\n5\n6\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	if names := s.Globals(); strings.Join(names, " ") != "_ n" {
		t.Errorf("globals %v, want [_ n]", names)
	}
}
