package kafka

import (
	"bytes"
	"maps"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/starbytes"
)

// The Python core's tests over Kafka values: the rows of the core's
// tests that use a kafka class, kept apart so that the core's tests need
// no Kafka code.

// TestFStringHelpersKafkaValues runs the f-string helpers on a
// TopicPartition (TestFStringHelpers' rows with a kafka class).
func TestFStringHelpersKafkaValues(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`format(TopicPartition("t", 0), "")`, `"TopicPartition(topic='t', partition=0)"`},
		{`format(TopicPartition("t", 0), "s")`, `TypeError: unsupported format string passed to TopicPartition.__format__`},
	} {
		thread := &starlark.Thread{}
		g := maps.Clone(testGlobals)
		g["TopicPartition"] = TopicPartitionType
		v, err := starbytes.Eval(scriptFileOptions, thread, "<expr>", c.expr, g)
		var got string
		if err != nil {
			got = errorLine(err)
		} else {
			got = py.Repr(v)
		}
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.expr, got, c.want)
		}
	}
}

// TestPrintKafkaValues prints a TopicPartition among Python values
// (TestPrint's line with a kafka class).
func TestPrintKafkaValues(t *testing.T) {
	var out bytes.Buffer
	env := py.NewEnv()
	env.Stdout = &out
	thread := &starlark.Thread{}
	env.Attach(thread)
	src := `
class_ = str
print(class_, type(1), TopicPartition('t', 0))
`
	g := maps.Clone(testGlobals)
	g["TopicPartition"] = TopicPartitionType
	if _, err := starbytes.ExecFile(scriptFileOptions, thread, "print.star", src, g); err != nil {
		t.Fatal(err)
	}
	want := "<class 'str'> <class 'int'> TopicPartition(topic='t', partition=0)\n"
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestIsInstanceKafkaTypes checks isinstance with kstar's classes.
func TestIsInstanceKafkaTypes(t *testing.T) {
	tp := TopicPartitionType.Make(starlark.String("t"), starlark.MakeInt(0))
	timeout := py.NewException(KafkaTimeoutError, "x")
	for _, c := range []struct {
		x, cls starlark.Value
		want   bool
	}{
		{timeout, KafkaError, true},
		{timeout, KafkaTimeoutError, true},
		{timeout, NoBrokersAvailable, false},
		{timeout, py.PyException, true},
		{py.NewException(py.ValueError, "x"), KafkaError, false},
		{tp, TopicPartitionType, true},
		{tp, OffsetAndMetadataType, false},
		{tp, py.TupleType, true},
		{tp, starlark.Tuple{py.StrType, TopicPartitionType}, true},
		{starlark.String("x"), KafkaError, false},
	} {
		got, err := py.IsInstance(c.x, c.cls)
		if err != nil || got != c.want {
			t.Errorf("isinstance(%s, %s) = %v, %v; want %v", py.Repr(c.x), py.Repr(c.cls), got, err, c.want)
		}
	}
}

// TestReprKafkaValues checks the repr of a TopicPartition (TestRepr's row
// with a kafka class).
func TestReprKafkaValues(t *testing.T) {
	for _, c := range []struct {
		v    starlark.Value
		want string
	}{
		{TopicPartitionType.Make(starlark.String("t"), starlark.MakeInt(0)), "TopicPartition(topic='t', partition=0)"},
	} {
		if got := py.Repr(c.v); got != c.want {
			t.Errorf("Repr(%v) = %s, want %s", c.v, got, c.want)
		}
	}
}
