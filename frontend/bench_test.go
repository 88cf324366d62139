package frontend

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.starlark.net/starlark"
)

// benchScript returns a deterministic kstar script of about 10,000 lines
// in the style of kafka-python scripts (imports, config dicts, consumer
// and producer loops, f-strings, %-formatting, comprehensions, generator
// expressions, try/except/finally), like pysyntax's parser benchmark but
// without the classes kstar cannot run.
func benchScript() []byte {
	var b strings.Builder
	b.WriteString("import json\nimport sys\nfrom kafka import KafkaProducer, KafkaConsumer\n\n")
	for i := 0; strings.Count(b.String(), "\n") < 10_000; i++ {
		fmt.Fprintf(&b, `
TOPIC_%[1]d = 'events-%[1]d'
CONFIG_%[1]d = {'bootstrap_servers': ['localhost:9092'], 'acks': 'all', 'retries': %[1]d, 'linger_ms': 5}


def handle_%[1]d(seen, msg, name, limit=100, **extra):
    """Handles the records of topic %[1]d."""
    key = msg.key.decode('utf-8') if msg.key else None
    value = json.loads(msg.value)
    if key in seen and seen[key] >= limit:
        return False
    seen[key] = seen.get(key, 0) + 1
    print(f"{name}: {key!r} -> {value['n'] * 2:>8} ({msg.offset})", '%%s/%%d' %% (name, limit))
    return True


def run_%[1]d(consumer, producer, n=%[1]d):
    seen = {}
    totals = [0] * 16
    try:
        for msg in consumer:
            if not handle_%[1]d(seen, msg, 'h%[1]d', limit=n):
                continue
            totals[msg.partition %% 16] += len(msg.value)
            producer.send(TOPIC_%[1]d, key=msg.key, value=msg.value[::-1])
    except KeyboardInterrupt:
        pass
    try:
        producer.flush(timeout=10)
    finally:
        print('flushed')
    squares = {p: t ** 2 for p, t in enumerate(totals) if t > 0}
    return sum(v for _, v in squares.items()), sorted(squares, key=lambda p: -squares[p])
`, i)
	}
	return []byte(b.String())
}

// BenchmarkParseLowerCompile10kLines is what loading a 10,000-line script
// costs before it runs: parse, lower, and compile with Starlark.
// KSTAR_BENCH_SCRIPT=FILE writes the script to FILE, to time CPython's
// compile() of it.
func BenchmarkParseLowerCompile10kLines(b *testing.B) {
	src := benchScript()
	if path := os.Getenv("KSTAR_BENCH_SCRIPT"); path != "" {
		if err := os.WriteFile(path, src, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse("bench.py", src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := starlark.FileProgram(f, func(string) bool { return true }); err != nil {
			b.Fatal(err)
		}
	}
}
