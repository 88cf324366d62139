package kafka

import (
	"context"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
)

// TestBuiltinHelpClientMethods checks, on real clients, that every method
// the clients and the future list in dir() has a help entry, and that
// help() of one prints its kafka-python signature and doc.
func TestBuiltinHelpClientMethods(t *testing.T) {
	bound := map[string]map[string]*starlark.Builtin{}
	r := newScriptRun(testBootstrap(t))
	r.extra = starlark.StringDict{
		"record": py.Func("record", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var obj starlark.HasAttrs
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &obj); err != nil {
				return nil, err
			}
			bound[py.TypeName(obj)] = pytest.MethodsOf(t, obj)
			return starlark.None, nil
		}),
	}
	err := r.exec(context.Background(), `
p = KafkaProducer(bootstrap_servers=BOOT)
f = p.send('help-docs', b'v')
f.get(timeout=10)
record(p)
record(f)
record(KafkaConsumer(bootstrap_servers=BOOT))
record(KafkaAdminClient(bootstrap_servers=BOOT))
help(p.send)
help(f.get)
`)
	if err != nil {
		t.Fatalf("script: %v\n%s", err, r.out.String())
	}
	for _, typeName := range []string{"KafkaProducer", "FutureRecordMetadata", "KafkaConsumer", "KafkaAdminClient"} {
		pytest.CheckMethodHelps(t, testHelp(), typeName, bound[typeName])
	}

	wantPrinted := `send(topic, value=None, key=None, headers=None, partition=None, timestamp_ms=None) method of KafkaProducer instance
    Publish a message to a topic; returns a FutureRecordMetadata.
get(timeout=None) method of FutureRecordMetadata instance
    Wait at most timeout seconds for the send and return its RecordMetadata, or raise its error.
`
	if got := r.out.String(); got != wantPrinted {
		t.Errorf("help() printed:\n%s\nwant:\n%s", got, wantPrinted)
	}

	for _, c := range []struct{ typeName, method, want string }{
		{"KafkaProducer", "flush", "flush(timeout=None) method of KafkaProducer instance\n    Send all buffered records and wait until they complete, at most timeout seconds."},
		{"KafkaConsumer", "poll", "poll(timeout_ms=0, max_records=None, update_offsets=True) method of KafkaConsumer instance\n    Fetch records, waiting at most timeout_ms: {TopicPartition: [ConsumerRecord, ...]}."},
		{"KafkaConsumer", "seek_to_end", "seek_to_end(*partitions) method of KafkaConsumer instance\n    Seek to the end offset of the partitions (all assigned ones by default)."},
		{"KafkaAdminClient", "list_topics", "list_topics() method of KafkaAdminClient instance\n    Return the names of all topics, internal ones included, sorted."},
		{"KafkaAdminClient", "list_groups", "list_groups(broker_ids=None) method of KafkaAdminClient instance\n    kafka-python 3.0's name of list_consumer_groups."},
		{"FutureRecordMetadata", "add_errback", "add_errback(f, *args, **kwargs) method of FutureRecordMetadata instance\n    Call f(*args, exception, **kwargs) when the send fails; returns the future."},
	} {
		if got := testHelp().Text(bound[c.typeName][c.method]); got != c.want {
			t.Errorf("help(%s.%s):\n%s\nwant:\n%s", c.typeName, c.method, got, c.want)
		}
	}
}

// TestBuiltinHelpOtherMethods checks the methods of the other types
// scripts get without a broker: commit_async's Future and the
// namedtuples' helpers.
func TestBuiltinHelpOtherMethods(t *testing.T) {
	fields := make(starlark.Tuple, len(consumerRecordFields))
	for i := range fields {
		fields[i] = starlark.None
	}
	record, err := ConsumerRecordClass.CallInternal(&starlark.Thread{}, fields, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, obj := range []starlark.HasAttrs{&KafkaFuture{}} {
		pytest.CheckMethodHelps(t, testHelp(), py.TypeName(obj), pytest.MethodsOf(t, obj))
	}
	// Every namedtuple's methods, and its class's, are documented once.
	namedTupleMethods := pytest.MethodsOf(t, record.(*ConsumerRecord))
	for name, m := range pytest.MethodsOf(t, NewTopicPartition("t", 0)) {
		namedTupleMethods[name] = m
	}
	for name, m := range pytest.MethodsOf(t, TopicPartitionType) {
		namedTupleMethods[name] = m
	}
	pytest.CheckMethodHelps(t, testHelp(), "namedtuple", namedTupleMethods)
}
