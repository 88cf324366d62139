package runtime_test

import (
	"context"
	"errors"
	"regexp"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/runtime"
)

// loadErr loads src as "t.star" with opts and returns its error as
// "file:line: Name: message" ("" when it loads).
func loadErr(t *testing.T, src string, opts ...runtime.Option) string {
	t.Helper()
	s, err := runtime.New(opts...).Load(context.Background(), "t.star", []byte(src))
	if err != nil {
		return err.Error()
	}
	s.Close()
	return ""
}

// TestLimits checks that each limit stops a script at its line with the
// Python exception that names it.
func TestLimits(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name string
		src  string
		opts []runtime.Option
		want string
	}{
		{"steps", "n = 0\nwhile True:\n    n += 1\n", []runtime.Option{runtime.WithMaxSteps(10000)},
			"t.star:#: RuntimeError: too many steps: the script ran past its limit of 10000 steps"},
		{"time", "import time\ntime.sleep(60)\n", []runtime.Option{runtime.WithCallTimeout(50 * time.Millisecond)},
			"t.star:2: TimeoutError: the call took longer than its limit of 50ms"},
		{"recursion", "def f(n):\n    return f(n + 1)\nf(0)\n", nil,
			"t.star:2: RecursionError: maximum recursion depth exceeded"},
		{"repetition", "x = [0] * (1 << 29)\n", []runtime.Option{runtime.WithMaxMemory(64 * mib)},
			"t.star:1: MemoryError: allocating 8 GiB would take the script past its memory limit of 64 MiB"},
		{"augmented repetition", "x = 'ab'\nx *= 1 << 25\n", []runtime.Option{runtime.WithMaxMemory(16 * mib)},
			"t.star:2: MemoryError: allocating 64 MiB would take the script past its memory limit of 16 MiB"},
		{"doubling a str", "s = 'x'\nwhile True:\n    s = s + s\n", []runtime.Option{runtime.WithMaxMemory(16 * mib)},
			"t.star:3: MemoryError: allocating * would take the script past its memory limit of 16 MiB"},
		{"bytes repetition", "x = b'ab' * (1 << 28)\n", []runtime.Option{runtime.WithMaxMemory(64 * mib)},
			"t.star:1: MemoryError: allocating 512 MiB would take the script past its memory limit of 64 MiB"},
		{"doubling bytes", "s = b'x'\nwhile True:\n    s = s + s\n", []runtime.Option{runtime.WithMaxMemory(16 * mib)},
			"t.star:3: MemoryError: allocating * would take the script past its memory limit of 16 MiB"},
		{"doubling a list in place", "l = [0]\nwhile True:\n    l += l\n", []runtime.Option{runtime.WithMaxMemory(16 * mib)},
			"t.star:3: MemoryError: allocating * would take the script past its memory limit of 16 MiB"},
		{"appending", "l = []\nwhile True:\n    l.append(str(len(l)) * 20)\n", []runtime.Option{runtime.WithMaxMemory(16 * mib), runtime.WithCallTimeout(time.Minute)},
			"t.star:#: MemoryError: the script used more than its memory limit of 16 MiB"}, // the watcher may stop it at the loop's jump
		{"default steps", "while True:\n    pass\n", []runtime.Option{runtime.WithCallTimeout(time.Minute)},
			"t.star:1: RuntimeError: too many steps: the script ran past its limit of 20000000 steps"},
		{"default memory", "x = 'x' * (1 << 29)\n", nil,
			"t.star:1: MemoryError: allocating 512 MiB would take the script past its memory limit of 256 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// How much a doubling loop holds when it stops depends on
			// the garbage left at the time: * stands for any size. A
			// loop stopped at its jump back is placed at the line of
			// the function (or the file) that holds it: # is a line.
			want := regexp.QuoteMeta(tc.want)
			want = strings.ReplaceAll(want, `\*`, `\d+(\.\d)? [KMG]iB`)
			want = strings.ReplaceAll(want, `#`, `\d+`)
			re := regexp.MustCompile("^" + want + "$")
			if got := loadErr(t, tc.src, tc.opts...); !re.MatchString(got) {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestLimitsLifted checks that a limit of 0 lifts it, and that
// WithoutLimits lifts them all.
func TestLimitsLifted(t *testing.T) {
	const steps = "n = 0\nfor i in range(1000):\n    n += i\n"
	const memory = "x = 'ab' * (1 << 20)\ny = x + x\n"
	for _, tc := range []struct {
		name, src string
		opts      []runtime.Option
		want      string
	}{
		{"steps", steps, []runtime.Option{runtime.WithMaxSteps(1000)}, "t.star:3: RuntimeError: too many steps: the script ran past its limit of 1000 steps"},
		{"steps lifted", steps, []runtime.Option{runtime.WithMaxSteps(1000), runtime.WithMaxSteps(0)}, ""},
		{"memory", memory, []runtime.Option{runtime.WithMaxMemory(1 << 20)}, "t.star:1: MemoryError: allocating 2 MiB would take the script past its memory limit of 1 MiB"},
		{"memory lifted", memory, []runtime.Option{runtime.WithMaxMemory(1 << 20), runtime.WithMaxMemory(0)}, ""},
		{"all lifted", steps + memory, []runtime.Option{runtime.WithMaxSteps(1000), runtime.WithMaxMemory(1 << 20), runtime.WithoutLimits()}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := loadErr(t, tc.src, tc.opts...); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestCallLimits checks that limits apply to each call, that a call a
// limit stopped leaves the script usable, and a call's own memory limit.
func TestCallLimits(t *testing.T) {
	s := load(t, `
def fill(n):
    return len("x" * n)

def spin():
    n = 0
    while True:
        n += 1
`, runtime.WithMaxMemory(1<<20), runtime.WithMaxSteps(100000))
	ctx := context.Background()
	for _, tc := range []struct {
		ctx  context.Context
		fn   string
		args []starlark.Value
		want string
	}{
		{ctx, "fill", []starlark.Value{starlark.MakeInt(1000)}, "1000"},
		{ctx, "fill", []starlark.Value{starlark.MakeInt(4 << 20)}, "t.star:3: MemoryError: allocating 4 MiB would take the script past its memory limit of 1 MiB"},
		{ctx, "spin", nil, "t.star:5: RuntimeError: too many steps: the script ran past its limit of 100000 steps"}, // at the loop's jump back
		{runtime.ContextWithMaxMemory(ctx, 16<<20), "fill", []starlark.Value{starlark.MakeInt(4 << 20)}, "4194304"},
		{runtime.ContextWithMaxMemory(ctx, 0), "fill", []starlark.Value{starlark.MakeInt(4 << 20)}, "4194304"},
		{ctx, "fill", []starlark.Value{starlark.MakeInt(1000)}, "1000"},
	} {
		v, err := s.Call(tc.ctx, tc.fn, tc.args...)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = v.String()
		}
		if got != tc.want {
			t.Errorf("%s%v: got %s, want %s", tc.fn, tc.args, got, tc.want)
		}
		var se *runtime.ScriptError
		if err != nil && (!errors.As(err, &se) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			t.Errorf("%s%v: %v is not a ScriptError of a limit", tc.fn, tc.args, err)
		}
	}
}

// TestLimitsUncatchable checks that a script cannot catch the exception
// of a limit and go on.
func TestLimitsUncatchable(t *testing.T) {
	got := loadErr(t, `
def spin():
    while True:
        pass
for i in range(3):
    try:
        spin()
    except Exception:
        pass
    except RuntimeError:
        pass
`, runtime.WithMaxSteps(10000))
	if !strings.Contains(got, "RuntimeError: too many steps") {
		t.Errorf("got %q, want the step limit's error", got)
	}
}

// TestBuiltinsStop checks that a call's timeout and its context stop
// builtins that run long on a large value within a fraction of a second
// (unstopped, each runs for seconds). Each value is built by Load, then
// the garbage is collected so that the call starts on a quiet heap.
func TestBuiltinsStop(t *testing.T) {
	if testing.Short() {
		t.Skip("builds values of hundreds of MB")
	}
	for _, tc := range []struct{ name, setup, call string }{
		{"repr", `v = ["\x01" * (8 << 20)] * 8`, "repr(v)"}, // a repr 4 times as long
		{"str", "v = [[0] * 1000] * 20000", "str(v)"},       // 20 million elements, one row shared
		{"%", "v = [[0] * 1000] * 20000", `"%s" % (v,)`},
		{"f-string", "v = [[0] * 1000] * 20000", `f"{v!r}"`},
		{"sorted", "v = list(range(2000000, 0, -1))", "sorted(v)"},
		{"list.sort", "v = list(range(2000000, 0, -1))", "list(v).sort()"},
		{"json.dumps", "v = [[0] * 1000] * 20000", "json.dumps(v)"},
		{"json.loads", `v = "[" + "0," * 10000000 + "0]"`, "json.loads(v)"},
		{"msgpack.packb", "v = [[0] * 1000] * 20000", "msgpack.packb(v)"},
		{"msgpack.unpackb", `v = b"\xdd\x00\x4c\x4b\x40" + b"\x00" * 5000000`, "msgpack.unpackb(v)"}, // an array of 5,000,000 zeros
		{"str.join", `v = ["ab"] * 10000000`, `",".join(v)`},
		{"list", "", "list(range(50000000))"},
		{"max", "", "max(range(50000000))"},
		{"sum", "", "sum(range(1 << 40))"},
		{"set", "", "set(range(10000000))"},
		{"enumerate", "", "list(enumerate(range(10000000)))"},
		{"all", "", "all(range(1, 1 << 40))"},
		{"set of an iterator", "", "set(zip(range(1 << 40)))"},
		{"list.extend", "", "[].extend(range(50000000))"},
		{"list of a str", `v = "\x01" * (16 << 20)`, "list(v)"},
		{"csv.reader", "import csv\nv = ['a,' * (16 << 20)]", "list(csv.reader(v))"}, // one line of 16 million fields
		{"math.factorial", "import math", "math.factorial(2000000)"},                 // 20 s in one MulRange
		{"math.perm", "import math", "math.perm(2000000)"},
		{"zlib.decompress", "import zlib\nv = zlib.compress(b'\\0' * (128 << 20))", "zlib.decompress(v)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, "import json, msgpack\n"+tc.setup+"\ndef f():\n    return "+tc.call+"\n", runtime.WithoutLimits(), runtime.WithMaxMemory(1<<30))
			goruntime.GC()
			const deadline = 100 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			start := time.Now()
			_, err := s.Call(ctx, "f")
			late := time.Since(start) - deadline
			t.Logf("stopped %.1f ms after its deadline: %v", float64(late)/1e6, err)
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "TimeoutError") {
				t.Errorf("got %v, want a TimeoutError past the context's deadline", err)
			}
			// The aim is well under 100 ms; the bound leaves room for a
			// loaded machine (and -race), where a preallocation or a
			// garbage collection can hold the call for seconds.
			if late > 5*time.Second {
				t.Errorf("stopped %v after its deadline", late)
			}
		})
	}
}

// TestGuardedOperators checks that the operators guarded under a memory
// limit (x * y, x + y, x *= y, x += y) behave as without one: results,
// lists extended in place, targets read once more only, error messages.
func TestGuardedOperators(t *testing.T) {
	const src = `
def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print("%s: %s" % (type(e).__name__, e))
a, b, t = [1], "x", (1, 2)
show(lambda: a + a)
show(lambda: a + b)
show(lambda: b * 3)
show(lambda: 3 * b)
show(lambda: b * b)
show(lambda: 1 + b)
show(lambda: t + t + (3,))
show(lambda: t * -1)
show(lambda: 3 * 4 + 2.5 * 2 + 10 ** 3 * 2)
show(lambda: [0] * 3 + a * 2)
x = [1]
y = x
x += [2]
x += a
x *= 2
print(x, y, x == y)
d = {"k": [1], "n": 2}
d["k"] += d["k"]
d["n"] *= d["n"]
d["n"] += 1
print(d)
s = "ab"
s *= 2
s += s
print(s)
n = 3
n *= n
n += n
print(n)
`
	var guarded, plain strings.Builder
	rt := runtime.New(runtime.WithStdout(&guarded))
	if err := rt.ExecFile(context.Background(), "t.star", []byte(src), nil); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	rt = runtime.New(runtime.WithStdout(&plain), runtime.WithoutLimits())
	if err := rt.ExecFile(context.Background(), "t.star", []byte(src), nil); err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	if guarded.String() != plain.String() {
		t.Errorf("with a memory limit:\n%s\nwithout:\n%s", guarded.String(), plain.String())
	}
	t.Logf("\n%s", guarded.String())
}
