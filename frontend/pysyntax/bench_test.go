package pysyntax

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// benchScript returns a deterministic script of about 10,000 lines in the
// style of kafka-python scripts: imports, functions, dicts of config,
// loops over messages, f-strings, comprehensions, try/except and classes.
func benchScript() []byte {
	var b strings.Builder
	b.WriteString("import json\nimport sys\nfrom kafka import KafkaProducer, KafkaConsumer\n\n")
	for i := 0; b.Len() == 0 || strings.Count(b.String(), "\n") < 10_000; i++ {
		fmt.Fprintf(&b, `
TOPIC_%[1]d = 'events-%[1]d'
CONFIG_%[1]d = {'bootstrap_servers': ['localhost:9092'], 'acks': 'all', 'retries': %[1]d, 'linger_ms': 5}


class Handler%[1]d:
    """Handles the records of topic %[1]d."""

    def __init__(self, name, *, limit=100, **extra):
        self.name = name
        self.limit = limit
        self.seen = {}

    def handle(self, msg):
        key = msg.key.decode('utf-8') if msg.key else None
        value = json.loads(msg.value)
        if key in self.seen and self.seen[key] >= self.limit:
            return False
        self.seen[key] = self.seen.get(key, 0) + 1
        print(f"{self.name}: {key!r} -> {value['n'] * 2:>8} ({msg.offset})")
        return True


def run_%[1]d(consumer, producer, n=%[1]d):
    handler = Handler%[1]d('h%[1]d', limit=n)
    totals = [0] * 16
    try:
        for msg in consumer:
            if not handler.handle(msg):
                continue
            totals[msg.partition %% 16] += len(msg.value)
            producer.send(TOPIC_%[1]d, key=msg.key, value=msg.value[::-1])
    except KeyboardInterrupt:
        pass
    finally:
        producer.flush(timeout=10)
    squares = {p: t ** 2 for p, t in enumerate(totals) if t > 0}
    return sum(v for _, v in squares.items()), sorted(squares, key=lambda p: -squares[p])
`, i)
	}
	return []byte(b.String())
}

func BenchmarkParse10kLines(b *testing.B) {
	src := benchScript()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bench.py", src); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchScriptIsCPythons checks that the benchmark's script means the
// same to CPython; KSTAR_BENCH_SCRIPT=FILE also writes it to FILE, to time
// CPython's compile() of it.
func TestBenchScriptIsCPythons(t *testing.T) {
	src := benchScript()
	if path := os.Getenv("KSTAR_BENCH_SCRIPT"); path != "" {
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	py := python3(t)
	mod, err := Parse("bench.py", src)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", "import ast, sys; print(ast.dump(ast.parse(sys.stdin.buffer.read()), include_attributes=True), end='')")
	cmd.Stdin = strings.NewReader(string(src))
	want, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := DumpWithPositions(mod); got != string(want) {
		t.Error("dumps differ")
	}
}
