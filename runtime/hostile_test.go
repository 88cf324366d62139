//go:build linux

package runtime_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	goruntime "runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/runtime"
)

// A host that hands the default sandbox scripts written to hurt it. Each
// script must stop with a Python exception naming what it hit, soon after
// the default call timeout of 3 s (hostileStopWithin), and the host must
// live on. The host is a child process (this test
// binary, run again with hostileHostEnv set) under an address-space
// limit, so that a script that still ends its host fails this test
// instead of taking the machine or `go test` down.

// hostileHostEnv makes the test binary a hostile-script host: its value
// lists the scripts to run, by name.
const hostileHostEnv = "KSTAR_HOSTILE_HOST"

// hostileScript is a script a stranger might hand the sandbox, and the
// exception it must end with (a regular expression on the error's last
// line, "Name: message").
type hostileScript struct {
	name, src, want string
}

// doubling is what a doubling loop ends with: MemoryError before the
// allocation past the limit, unless the machine is so loaded that the
// 3 s come first (each doubling copies all the value).
const doubling = `^(MemoryError: allocating .* past its memory limit of 256 MiB|TimeoutError: )`

var hostileScripts = []hostileScript{
	{name: "busy loop", src: "while True:\n    pass\n", want: `^(RuntimeError: too many steps|TimeoutError: )`}, // 20,000,000 steps take 0.3 s, or 3 s under -race
	{name: "sleep", src: "import time\ntime.sleep(1e9)\n", want: `^TimeoutError: the call took longer than its limit of 3s`},
	{name: "recursion", src: "def f(n):\n    return f(n + 1)\nf(0)\n", want: `^RecursionError: maximum recursion depth exceeded`},
	{name: "lambda recursion", src: "f = lambda: f()\nf()\n", want: `^RecursionError: maximum recursion depth exceeded`},
	{name: "list(range(1<<40))", src: "x = list(range(1 << 40))\n", want: `^MemoryError: allocating 16 TiB`},
	{name: "sorted(range(1<<40))", src: "x = sorted(range(1 << 40))\n", want: `^MemoryError: allocating 32 TiB`},
	{name: "[0] * (1<<29)", src: "x = [0] * (1 << 29)\n", want: `^MemoryError: allocating 8 GiB`},
	{name: "'x' * (1<<30)", src: "x = 'x' * ((1 << 30) - 1)\n", want: `^MemoryError: allocating 1024 MiB`},
	{name: "str doubling", src: "s = 'x'\nwhile True:\n    s = s + s\n", want: doubling},
	{name: "list doubling", src: "l = [0]\nwhile True:\n    l = l + l\n", want: doubling},
	{name: "list += itself", src: "l = [0]\nwhile True:\n    l += l\n", want: doubling},
	{name: "list.extend itself", src: "l = [0]\nwhile True:\n    l.extend(l)\n", want: doubling},
	// Which limit a slow growth meets first depends on the machine.
	{name: "append loop", src: "l = []\nwhile True:\n    l.append('x' * 64 + str(len(l)))\n", want: `^(MemoryError: the script used more than its memory limit of 256 MiB|TimeoutError: |RuntimeError: too many steps)`},
	{name: "dict growth", src: "d = {}\ni = 0\nwhile True:\n    d[i] = 'v' * 100\n    i += 1\n", want: `^(MemoryError: the script used more than its memory limit of 256 MiB|TimeoutError: |RuntimeError: too many steps)`},
	{name: "f-string doubling", src: "s = 'x'\nwhile True:\n    s = f'{s}{s}'\n", want: doubling},
	{name: "int squaring", src: "x = 3\nwhile True:\n    x = x * x\n", want: `^OverflowError: int too large`},
	{name: "pow", src: "x = pow(2 ** 1000, 1 << 20)\n", want: `^OverflowError: pow\(\) result too large`},
	{name: "bytes(1<<30)", src: "x = bytes(1 << 30)\n", want: `^MemoryError: allocating 1 GiB`},
	{name: "join bomb", src: "x = ','.join(['x' * (1 << 20)] * 1000)\n", want: `^MemoryError: allocating 1000 MiB`},
	{name: "replace bomb", src: "x = ('x' * 1000000).replace('x', 'y' * 1000)\n", want: `^MemoryError: allocating 953.7 MiB`},
	{name: "split bomb", src: "x = (',' * (100 << 20)).split(',')\n", want: `^MemoryError: allocating 4.7 GiB`},
	{name: "format width", src: "x = f'{1:>2000000000}'\n", want: `^MemoryError: allocating 1.9 GiB`},
	{name: "%-format width", src: "x = '%2000000000d' % 1\n", want: `^MemoryError: allocating 1.9 GiB`},
	{name: "ljust", src: "x = 'x'.ljust(2000000000)\n", want: `^MemoryError: allocating 1.9 GiB`},
	{name: "huge repr", src: "x = ['\\x01' * (16 << 20)] * 8\ns = repr(x)\n", want: `^(MemoryError|TimeoutError): `},
	{name: "8 strings of 256 MB", src: "x = ['a' * (256 << 20)] * 8\ns = repr(x)\n", want: `^MemoryError: allocating 256 MiB`},
	{name: "deep str", src: "x = []\nfor i in range(100000):\n    x = [x]\ns = str(x)\n", want: `^RecursionError: maximum recursion depth exceeded while getting the repr of an object`},
	{name: "deep json.dumps", src: "import json\nx = []\nfor i in range(100000):\n    x = [x]\ns = json.dumps(x)\n", want: `^RecursionError: maximum recursion depth exceeded while encoding a JSON object`},
	{name: "deep json.loads", src: "import json\nx = json.loads('[' * 1000000)\n", want: `^RecursionError: maximum recursion depth exceeded while decoding a JSON array`},
	{name: "msgpack length bomb", src: "import msgpack\nx = msgpack.unpackb(b'\\xdd\\xff\\xff\\xff\\xff')\n", want: `^ValueError: `},
	{name: "zlib bomb", src: "import zlib\nc = zlib.compress(bytes(1 << 20), 9)\n" +
		"bomb = c[:c.index(bytes(100))] + bytes(1 << 20) + c[c.rfind(bytes(100)) + 100:]\n" + // 1 MiB inflating to 1 GiB
		"x = zlib.decompress(bomb)\n", want: `^(MemoryError|TimeoutError): `},
	{name: "factorial", src: "import math\nx = math.factorial(10 ** 7)\n", want: `^(MemoryError|TimeoutError): `},
	{name: "itertools.product", src: "import itertools\nx = list(itertools.product(range(10 ** 4), repeat=3))\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "itertools.permutations", src: "import itertools\nx = list(itertools.permutations(range(20)))\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "itertools.tee n", src: "import itertools\nx = itertools.tee([], 10 ** 9)\n", want: `^MemoryError: allocating `},
	{name: "itertools.product repeat", src: "import itertools\nx = itertools.product([1, 2], repeat=10 ** 9)\n", want: `^MemoryError: allocating `},
	{name: "itertools.islice skip", src: "import itertools\nx = next(itertools.islice(itertools.count(), 10 ** 15, None))\n", want: `^(TimeoutError|RuntimeError): `},
	{name: "itertools.filterfalse", src: "import itertools\nx = next(itertools.filterfalse(bool, itertools.count(1)))\n", want: `^(TimeoutError|RuntimeError): `},
	{name: "collections.Counter", src: "import collections\nx = collections.Counter(range(10 ** 8))\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "collections.deque", src: "import collections\nx = collections.deque(range(10 ** 9))\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "statistics.mean", src: "import statistics\nx = statistics.mean(range(10 ** 10))\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "statistics.stdev", src: "import statistics\nx = statistics.stdev(range(10 ** 10))\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "textwrap.shorten", src: "import textwrap\nx = textwrap.shorten('x ' * 10 ** 8, 10)\n", want: `^MemoryError: allocating `},
	{name: "textwrap.fill", src: "import textwrap\nx = textwrap.fill('xy ' * (60 << 20), 3)\n", want: `^MemoryError: allocating `},
	{name: "textwrap.indent", src: "import textwrap\nx = textwrap.indent('\\n' * (100 << 20), 'x' * 100)\n", want: `^MemoryError: allocating `},
	{name: "textwrap tabsize", src: "import textwrap\nx = textwrap.fill('\\t' * 1000, 10, tabsize=10 ** 12)\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "shake digest", src: "import hashlib\nx = hashlib.shake_128(b'x').hexdigest(1 << 30)\n", want: `^MemoryError: allocating `},
	{name: "pprint deep", src: "import pprint\nx = []\nfor i in range(100000):\n    x = [x]\ns = pprint.pformat(x)\n", want: `^RecursionError: maximum recursion depth exceeded$`},
	{name: "pprint huge", src: "import pprint\nx = [list(range(10000))] * 100000\ns = pprint.pformat(x)\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "deepcopy deep", src: "import copy\nx = []\nfor i in range(100000):\n    x = [x]\ny = copy.deepcopy(x)\n", want: `^RecursionError: maximum recursion depth exceeded$`},
	{name: "deepcopy doubling", src: "import copy\nx = [list(range(1000)) for i in range(100)]\nwhile True:\n    x = [x, copy.deepcopy(x)]\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "deepcopy wide", src: "import copy\nx = [{'k': [i]} for i in range(10 ** 6)]\nwhile True:\n    x = x + copy.deepcopy(x)\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "functools.reduce", src: "import functools, operator\nx = functools.reduce(operator.add, range(10 ** 10))\n", want: `^(MemoryError|TimeoutError|RuntimeError): `},
	{name: "base64 bomb", src: "import base64\nx = base64.b64encode(bytes(200 << 20))\n", want: `^MemoryError: `},    // the reservation or the memory monitor, whichever sees it first
	{name: "hexlify bomb", src: "import binascii\nx = binascii.hexlify(bytes(200 << 20))\n", want: `^MemoryError: `}, // as above
	{name: "struct.pack bomb", src: "import struct\nx = struct.pack('2000000000x')\n", want: `^MemoryError: allocating `},
	{name: "re.findall", src: "import re\nx = re.findall('', 'x' * (200 << 20))\n", want: `^MemoryError: allocating `},
	// A buffer's growth is reserved: refused before it is allocated. A
	// StringIO (4 bytes a character) leaves more garbage, which the
	// memory monitor may see first.
	{name: "StringIO doubling", src: "import io\ns = io.StringIO('x')\nwhile True:\n    s.write(s.getvalue())\n", want: `^MemoryError: `},
	{name: "BytesIO doubling", src: "import io\nb = io.BytesIO(b'x')\nwhile True:\n    b.write(b.getvalue())\n", want: `^MemoryError: allocating `},
	{name: "spinning thread", src: "import threading\ndef spin():\n    while True:\n        pass\nthreading.Thread(target=spin).start()\n", want: `^$`}, // Load returns; Close stops the thread
	{name: "thread bomb", src: "import threading\ndef spawn():\n    while True:\n        threading.Thread(target=spawn).start()\nspawn()\n", want: `^(TimeoutError|RuntimeError|MemoryError): `},
	{name: "NUL bytes", src: "x = 1\x00\nwhile True:\n    pass\n", want: `^SyntaxError: source code cannot contain null bytes`},
	{name: "file", src: "print(open('/etc/passwd').read())\n", want: `^PermissionError: open\('/etc/passwd'\): the host grants no file access`},
	{name: "file through ssl_cafile", src: "from kafka import KafkaProducer\nKafkaProducer(security_protocol='SSL', ssl_cafile='/etc/passwd')\n", want: `^(PermissionError|kafka\.errors\.KafkaConfigurationError): `},
	{name: "environment", src: "import os\nprint(os.environ['HOME'])\n", want: `^KeyError: 'HOME'`},
	{name: "broker", src: "from kafka import KafkaProducer\nKafkaProducer(bootstrap_servers='127.0.0.1:9092')\n", want: `^kafka\.errors\.KafkaConfigurationError: KafkaConfigurationError: bootstrap_servers: broker 127\.0\.0\.1:9092 is not allowed here`},
	{name: "modules", src: "import subprocess\n", want: `^ModuleNotFoundError: No module named 'subprocess'`},
	{name: "parse bomb", src: "", want: `^RecursionError: maximum recursion depth exceeded during compilation`},
}

// parseBomb is the source of the parse bomb: a 5,000,000-term sum.
func parseBomb() string { return "x = 1" + strings.Repeat("+1", 5_000_000-1) + "\n" }

// hostileStopWithin bounds how long a hostile script may run: the
// default call timeout (3 s) and slack for a loaded machine, where
// stopping a script that filled its heap waits for the collector (a run
// beside six others' builds took 5.1 s). What it catches is a script the
// limits do not stop at all.
const hostileStopWithin = 15 * time.Second

// hostileResult is what the host reports for one script.
type hostileResult struct {
	Script  string  `json:"script"`
	Error   string  `json:"error"`
	Seconds float64 `json:"seconds"`
	PeakMB  float64 `json:"peak_mb"` // the host's resident memory peak while it ran
}

// TestHostileScripts runs every hostile script in a host process and
// checks what it reports; a table of the results goes to the test log.
func TestHostileScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scripts that take the sandbox to its limits")
	}
	if raceDetector {
		t.Skip("ThreadSanitizer cannot allocate its shadow memory under the host's 2 GiB address-space cap")
	}
	var names []string
	for _, s := range hostileScripts {
		names = append(names, s.name)
	}
	// Every script in one host, one after the other: it must live on.
	results := map[string]hostileResult{}
	rs, died := runHost(names)
	for _, r := range rs {
		results[r.Script] = r
	}
	if w, ok := died[""]; ok {
		t.Errorf("a host failed outside a script: %s", w)
	}

	var table strings.Builder
	fmt.Fprintf(&table, "%-24s %-7s %-9s %s\n", "script", "stopped", "peak RSS", "error")
	for _, s := range hostileScripts {
		r, ok := results[s.name]
		if !ok {
			t.Errorf("%s: the host died: %s", s.name, died[s.name])
			fmt.Fprintf(&table, "%-24s %-7s %-9s HOST DIED: %s\n", s.name, "-", "-", died[s.name])
			continue
		}
		fmt.Fprintf(&table, "%-24s %6.2fs %6.0f MB %s\n", s.name, r.Seconds, r.PeakMB, r.Error)
		if !regexp.MustCompile(s.want).MatchString(r.Error) {
			t.Errorf("%s: ended with %q, want %s", s.name, r.Error, s.want)
		}
		if r.Seconds > hostileStopWithin.Seconds() {
			t.Errorf("%s: stopped after %.1f s, want within %v", s.name, r.Seconds, hostileStopWithin)
		}
	}
	t.Logf("hostile scripts against the default sandbox:\n%s", table.String())
}

// runHost runs the named scripts in a host process and returns its
// reports; when the host dies, the reason is returned under the script
// it was running ("" if none).
func runHost(names []string) ([]hostileResult, map[string]string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), hostileHostEnv+"="+strings.Join(names, "\n"), "GOMEMLIMIT=1GiB")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var results []hostileResult
	running := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "running "); ok {
			running = name
			continue
		}
		var r hostileResult
		if json.Unmarshal([]byte(line), &r) == nil {
			results = append(results, r)
			running = ""
		}
	}
	died := map[string]string{}
	if err != nil {
		why := firstLines(stderr.String(), 3)
		if why == "" {
			why = err.Error()
		}
		died[running] = why
	}
	return results, died
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], " | ")
}

// TestMain makes the test binary a hostile-script host when
// hostileHostEnv says so.
func TestMain(m *testing.M) {
	if names := os.Getenv(hostileHostEnv); names != "" {
		os.Exit(hostileHost(strings.Split(names, "\n"), os.Stdout))
	}
	os.Exit(m.Run())
}

// hostAddressSpace is how much address space the host may take on top of
// what it holds when it starts (Go's and Starlark's reservations): a
// script that got past the sandbox's 256 MiB makes it fail to allocate.
const hostAddressSpace = 2 << 30

// hostileHost loads each named script with a default Runtime and reports
// how it ended, as a JSON line, then exits 0: the host lived.
func hostileHost(names []string, out io.Writer) int {
	if err := limitAddressSpace(hostAddressSpace); err != nil {
		fmt.Fprintln(os.Stderr, "hostile host:", err)
		return 2
	}
	byName := map[string]hostileScript{}
	for _, s := range hostileScripts {
		byName[s.name] = s
	}
	for _, name := range names {
		s, ok := byName[name]
		if !ok {
			fmt.Fprintln(os.Stderr, "hostile host: no script", name)
			return 2
		}
		src := s.src
		if s.name == "parse bomb" {
			src = parseBomb()
		}
		goruntime.GC()
		debug.FreeOSMemory()
		resetPeakRSS()
		fmt.Fprintf(out, "running %s\n", name)
		rt := runtime.New(runtime.WithStdout(io.Discard), runtime.WithStderr(io.Discard))
		start := time.Now()
		script, err := rt.Load(context.Background(), "hostile.star", []byte(src))
		took := time.Since(start)
		if err == nil {
			script.Close()
		}
		r := hostileResult{Script: name, Seconds: took.Seconds(), PeakMB: float64(peakRSS()) / (1 << 20)}
		if err != nil {
			tb := strings.TrimRight(runtime.FormatError(err), "\n")
			r.Error = tb[strings.LastIndex(tb, "\n")+1:]
		}
		line, _ := json.Marshal(r)
		fmt.Fprintf(out, "%s\n", line)
	}
	return 0
}

// limitAddressSpace caps the process's address space at what it maps now
// plus extra bytes.
func limitAddressSpace(extra uint64) error {
	size, err := procStatus("VmSize")
	if err != nil {
		return err
	}
	lim := syscall.Rlimit{Cur: size + extra, Max: size + extra}
	return syscall.Setrlimit(syscall.RLIMIT_AS, &lim)
}

// resetPeakRSS resets the process's resident memory peak (VmHWM).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's resident memory peak in bytes.
func peakRSS() uint64 {
	n, _ := procStatus("VmHWM")
	return n
}

// procStatus reads a "kB" field of /proc/self/status, in bytes.
func procStatus(field string) (uint64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", field)
}
