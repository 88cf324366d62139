package msgpack

import (
	"encoding/hex"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
	"github.com/kstar-dev/kstar/internal/testenv"
)

// msgpackPackExprs are values whose packing must match msgpack-python's
// byte for byte; each is valid Python and Starlark.
var msgpackPackExprs = []string{
	`None`, `True`, `False`,
	`0`, `1`, `127`, `128`, `255`, `256`, `65535`, `65536`, `4294967295`, `4294967296`,
	`9223372036854775807`, `9223372036854775808`, `18446744073709551615`,
	`-1`, `-32`, `-33`, `-128`, `-129`, `-32768`, `-32769`, `-2147483648`, `-2147483649`, `-9223372036854775808`,
	`0.0`, `-0.0`, `1.5`, `0.1`, `1e300`, `float('inf')`, `float('-inf')`, `float('nan')`,
	`''`, `'a'`, `'a' * 31`, `'a' * 32`, `'a' * 255`, `'a' * 256`, `'a' * 65535`, `'a' * 65536`, `'é😀'`,
	`b''`, `b'\x00' * 255`, `b'x' * 256`, `b'x' * 65536`,
	`[]`, `[1, [2, [3]]]`, `list(range(15))`, `list(range(16))`, `list(range(65536))`, `(1, 'a')`,
	`{}`, `{'a': 1, 'b': [1, 2.5]}`, `{i: i for i in range(16)}`, `{b'k': None, 'z': {}}`,
	`{str(i): i for i in range(65536)}`,
}

// msgpackOptionExprs are packb and unpackb calls with options, errors and
// crafted inputs; their results must match msgpack-python's.
var msgpackOptionExprs = []string{
	`msgpack.packb('a' * 40, use_bin_type=False)`,
	`msgpack.packb([b'xy', 'x' * 300], use_bin_type=False)`,
	`msgpack.packb(1.5, use_single_float=True)`,
	`msgpack.packb(msgpack.ExtType(5, b'abc'))`,
	`msgpack.packb([msgpack.ExtType(1, b'a' * n) for n in [1, 2, 3, 4, 8, 16, 20, 256, 65536]])`,
	`msgpack.packb([msgpack.Timestamp(1, 5), msgpack.Timestamp(17179869184, 5), msgpack.Timestamp(-1), msgpack.Timestamp(5)])`,
	`msgpack.packb(set([1]), default=list)`,
	`msgpack.packb(18446744073709551616, default=str)`,
	`msgpack.packb(set([1]))`,
	`msgpack.packb(18446744073709551616)`,
	`msgpack.packb(-9223372036854775809)`,
	`msgpack.packb(set([1]), default=lambda x: x)`,
	`msgpack.packb(msgpack.ExtType(200, b''))`,
	`msgpack.unpackb(b'\x93\x01')`,
	`msgpack.unpackb(b'\x01\x02')`,
	`msgpack.unpackb(b'\xc1')`,
	`msgpack.unpackb(b'')`,
	`msgpack.unpackb(b'\xa1')`,
	`msgpack.unpackb(b'\xdc\x00')`,
	`msgpack.unpackb(b'\x92\xc1')`,
	`msgpack.unpackb(b'\x81\x01\x02')`,
	`msgpack.unpackb(b'\x81\x01\x02', strict_map_key=False)`,
	`msgpack.unpackb(b'\x81\xc0\x02', strict_map_key=False)`,
	`msgpack.unpackb(b'\x81\xcb\x00\x00\x00\x00\x00\x00\x00\x00\x01')`,
	`msgpack.unpackb(b'\x81\x91\x01\x02', strict_map_key=False)`,
	`msgpack.unpackb(b'\x81\x90\x01', strict_map_key=False, use_list=False)`,
	`msgpack.unpackb(b'\x81\x80\x01', strict_map_key=False)`,
	`msgpack.unpackb(b'\x82\x01\x02\xc1')`,
	`msgpack.unpackb(b'\x81\xc4\x01a\x02')`,
	`msgpack.unpackb(b'\x81\xa1a\x02', raw=True)`,
	`msgpack.unpackb(b'\x82\xa1a\x01\xa1a\x02')`,
	`msgpack.unpackb(b'\xa2\xff\xfe')`,
	`msgpack.unpackb(b'\xa3\xed\xa0\x80')`,
	`msgpack.unpackb(b'\xdd\xff\xff\xff\xff')`,
	`msgpack.unpackb(b'\xdf\x00\x00\x00\x10abc')`,
	`msgpack.unpackb(b'\xdb\x00\x00\x00\x10abc')`,
	`msgpack.unpackb(b'\xc9\x00\x00\x00\x10\x01abc')`,
	`msgpack.unpackb(b'\xd4\x05a')`,
	`msgpack.unpackb(b'\xd4\x80a')`,
	`msgpack.unpackb(b'\xc7\x00\x05')`,
	`msgpack.unpackb(b'\xd6\xff\x00\x00\x00\x01')`,
	`msgpack.unpackb(b'\xd7\xff\x00\x00\x00\x04\x00\x00\x00\x01')`,
	`msgpack.unpackb(b'\xc7\x0c\xff\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01')`,
	`msgpack.unpackb(b'\xd5\xff\x00\x01')`,
	`msgpack.unpackb(b'\xd7\xff\xff\xff\xff\xff\x00\x00\x00\x01')`,
	`msgpack.unpackb(b'\xca\x3f\x80\x00\x00')`,
	`msgpack.unpackb(b'\xca\x3d\xcc\xcc\xcd')`,
	`msgpack.unpackb(b'\x92\x01\x02', use_list=False)`,
	`len(msgpack.unpackb(b'\x91' * 1024 + b'\x01'))`,
	`msgpack.unpackb(b'\x91' * 1025 + b'\x01')`,
	`len(msgpack.unpackb(b'\x91' * 1023 + b'\x90'))`,
	`msgpack.unpackb(b'\x91' * 1024 + b'\x90')`,
	`msgpack.unpackb(b'\xcf\xff\xff\xff\xff\xff\xff\xff\xff')`,
	`msgpack.unpackb(b'\xd3\x80\x00\x00\x00\x00\x00\x00\x00')`,
	`msgpack.unpackb('abc')`,
	`msgpack.unpackb(1)`,
}

// TestMsgpackMatchesPython packs and unpacks the same values with kstar and
// with python3's msgpack (msgpack-python 1.x) and compares the results.
func TestMsgpackMatchesPython(t *testing.T) {
	testenv.Python(t, "msgpack")
	var exprs []string
	for _, e := range msgpackPackExprs {
		exprs = append(exprs, "msgpack.packb("+e+")", "msgpack.unpackb(msgpack.packb("+e+"), strict_map_key=False)")
	}
	exprs = append(exprs, msgpackOptionExprs...)
	script := `
import msgpack, sys
for expr in sys.stdin.read().split('\n'):
    try:
        v = eval(expr)
        print('hex:' + v.hex() if isinstance(v, bytes) else repr(v))
    except Exception as e:
        print(type(e).__name__ + (': ' + str(e) if str(e) else ''))
`
	cmd := exec.Command("python3", "-c", script)
	cmd.Stdin = strings.NewReader(strings.Join(exprs, "\n"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(want) != len(exprs) {
		t.Fatalf("python3 printed %d lines for %d expressions", len(want), len(exprs))
	}
	env := py.NewEnv()
	for i, expr := range exprs {
		v, err := pytest.Eval(env, modules(env), expr)
		var got string
		if b, ok := v.(py.Bytes); ok && err == nil {
			got = "hex:" + hex.EncodeToString([]byte(b))
		} else {
			got = pytest.Outcome(v, err)
		}
		if got != want[i] {
			t.Errorf("%s\n got: %.300s\nwant: %.300s", expr, got, want[i])
		}
	}
}

func TestMsgpackErrors(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), modules(py.NewEnv()), []pytest.Case{
		{`msgpack.packb(1, 2)`, `TypeError: packb() takes 1 positional argument but 2 were given`},
		{`msgpack.unpackb(b'\x01', True)`, `TypeError: unpackb() takes exactly 1 positional argument (2 given)`},
		{`msgpack.packb(1, default=3)`, `TypeError: default must be a callable.`},
		{`msgpack.packb(lambda: 1)`, `TypeError: can not serialize 'function' object`},
		{`[msgpack.packb(l) for l in [[]] for _ in [l.append(l)]][0]`, `ValueError: recursion limit exceeded.`},
		{`msgpack.packb(set([1]), default=lambda x: [1, set([2])])`, `ValueError: recursion limit exceeded.`},
		{`msgpack.dumps == msgpack.packb and msgpack.loads == msgpack.unpackb`, `True`},
	})
}

// TestMsgpackOfficialVectors checks kstar against byte sequences of the
// MessagePack specification, so the test means something without python3.
func TestMsgpackOfficialVectors(t *testing.T) {
	for _, c := range []struct{ expr, hex string }{
		{`None`, "c0"},
		{`[True, False]`, "92c3c2"},
		{`{'a': b'x', 'b': (1, 2)}`, "82a161c40178a1629201 02"},
		{`-33`, "d0df"},
		{`2 * 4611686018427387904`, "cf8000000000000000"},
		{`-9223372036854775808`, "d38000000000000000"},
		{`1.5`, "cb3ff8000000000000"},
		{`float('nan')`, "cb7ff8000000000000"},
		{`'a' * 32`, "d920" + strings.Repeat("61", 32)},
		{`list(range(16))[:2]`, "920001"},
	} {
		v, err := pytest.Eval(py.NewEnv(), modules(py.NewEnv()), "msgpack.packb("+c.expr+")")
		want := strings.ReplaceAll(c.hex, " ", "")
		if err != nil || fmt.Sprintf("%x", string(v.(py.Bytes))) != want {
			t.Errorf("packb(%s) = %v, %v; want %s", c.expr, v, err, want)
		}
	}
}

// FuzzMsgpackUnpackb checks that unpackb never panics, never allocates
// beyond what its input justifies, and that what it accepts packs and
// unpacks back to the same value.
func FuzzMsgpackUnpackb(f *testing.F) {
	for _, seed := range []string{
		"\x82\xa1a\x01\xa1b\x92\x01\x02", "\xdd\xff\xff\xff\xff", "\xdf\xff\xff\xff\xff\x01", "\xdb\xff\xff\xff\xff",
		"\xc9\xff\xff\xff\xff\x01", "\xd7\xff\x00\x00\x00\x04\x00\x00\x00\x01", "\x91\x91\x91\x90", "\xc1", "\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00",
		"\xd7\xd000000000", // a negative ext code, which ExtType refuses
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		thread := &starlark.Thread{}
		py.NewEnv().Attach(thread)
		unpackb := starlark.NewBuiltin("unpackb", nil)
		relaxed := []starlark.Tuple{{starlark.String("strict_map_key"), starlark.False}}
		v, err := py.Guard(msgpackUnpackb)(thread, unpackb, starlark.Tuple{py.Bytes(data)}, relaxed)
		if err != nil {
			if e := py.AsException(err); e == nil || e.Class == py.RuntimeError {
				t.Fatalf("unpackb(%q): unexpected error %v", data, err)
			}
			return
		}
		packed, err := msgpackPackb(thread, starlark.NewBuiltin("packb", nil), starlark.Tuple{v}, nil)
		if err != nil {
			t.Fatalf("packb(unpackb(%q)) = %v", data, err)
		}
		again, err := msgpackUnpackb(thread, unpackb, starlark.Tuple{packed}, relaxed)
		if err != nil {
			t.Fatalf("unpackb(packb(unpackb(%q))) = %v", data, err)
		}
		if py.Repr(again) != py.Repr(v) {
			t.Fatalf("round trip of %q: %s != %s", data, py.Repr(again), py.Repr(v))
		}
	})
}

// TestMsgpackBoundedMemory unpacks 1000 nested arrays that each declare a
// million elements: unpackb must fail (incomplete input) without reserving
// a million slots at each level.
func TestMsgpackBoundedMemory(t *testing.T) {
	const n = 1_000_000
	header := "\xdd\x00\x0f\x42\x40" // array 32 of n elements
	data := strings.Repeat(header, 1000)
	data += strings.Repeat("\xc0", n-len(data))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := pytest.Eval(py.NewEnv(), modules(py.NewEnv()), "msgpack.unpackb(data)", starlark.StringDict{"data": py.Bytes(data)})
	runtime.ReadMemStats(&after)
	if got := pytest.Outcome(nil, err); got != "ValueError: Unpack failed: incomplete input" {
		t.Fatalf("got %s", got)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("unpackb allocated %d MiB for a 1 MB input", alloc>>20)
	}
}

// modules are what the tests' expressions import: this module.
func modules(env *py.Env) map[string]starlark.Value {
	return map[string]starlark.Value{"msgpack": New(env)}
}
