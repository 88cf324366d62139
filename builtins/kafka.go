package builtins

import (
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// kafkaMembers is kafka-python 2.0.2's package as scripts import it: every
// module of kafka/ (pkgutil.iter_modules(kafka.__path__)), and the deeper
// ones scripts import classes from, with the members kstar offers in each.
// The modules of kafka-python's internals (conn, protocol, record, ...)
// are importable and empty, since franz-go does their work: an import line
// copied from a kafka-python script does not stop it, and a name kstar
// lacks fails where it is used. Types register themselves in "kafka",
// "kafka.errors", "kafka.structs" and "kafka.admin" from their own files
// with registerKafka; the other modules are filled by this file's init.
var kafkaMembers = map[string]map[string]starlark.Value{
	"kafka":                              {},
	"kafka.admin":                        {},
	"kafka.client_async":                 {},
	"kafka.cluster":                      {},
	"kafka.codec":                        {},
	"kafka.conn":                         {},
	"kafka.consumer":                     {},
	"kafka.consumer.fetcher":             {},
	"kafka.consumer.group":               {},
	"kafka.consumer.subscription_state":  {},
	"kafka.coordinator":                  {},
	"kafka.coordinator.assignors":        {},
	"kafka.coordinator.assignors.sticky": {},
	"kafka.errors":                       {},
	"kafka.future":                       {},
	"kafka.metrics":                      {},
	"kafka.oauth":                        {},
	"kafka.partitioner":                  {},
	"kafka.producer":                     {},
	"kafka.producer.future":              {},
	"kafka.producer.kafka":               {},
	"kafka.protocol":                     {},
	"kafka.record":                       {},
	"kafka.scram":                        {},
	"kafka.serializer":                   {},
	"kafka.structs":                      {},
	"kafka.util":                         {},
	"kafka.vendor":                       {},
	"kafka.version":                      {},
}

// registerKafka adds a member to a kafka module.
func registerKafka(module, name string, v starlark.Value) {
	kafkaMembers[module][name] = v
}

func init() {
	for _, a := range knownAssignors {
		kafkaMembers[a.Module] = map[string]starlark.Value{a.ClassName: a}
	}
	for _, m := range []struct {
		module, name string
		v            starlark.Value
	}{
		{"kafka.consumer", "KafkaConsumer", KafkaConsumerClass},
		{"kafka.consumer.group", "KafkaConsumer", KafkaConsumerClass},
		{"kafka.consumer.fetcher", "ConsumerRecord", ConsumerRecordClass},
		{"kafka.consumer.subscription_state", "ConsumerRebalanceListener", ConsumerRebalanceListenerClass},
		{"kafka.producer", "KafkaProducer", KafkaProducerClass},
		{"kafka.producer.kafka", "KafkaProducer", KafkaProducerClass},
		{"kafka.producer.future", "RecordMetadata", RecordMetadataType},
	} {
		registerKafka(m.module, m.name, m.v)
	}
	registerKafka("kafka", "TopicPartition", TopicPartitionType)
	registerKafka("kafka", "OffsetAndMetadata", OffsetAndMetadataType)
	for _, t := range []*NamedTupleType{TopicPartitionType, OffsetAndMetadataType, OffsetAndTimestampType, BrokerMetadataType} {
		registerKafka("kafka.structs", t.TypeName, t)
	}
	for module := range kafkaMembers {
		registerModule(module, func(env *Env) starlark.Value { return kafkaModules()[module] })
	}
}

// kafkaModules builds the kafka modules once, when the first script
// imports one (every file's init has registered its members by then).
// Each module also has its submodules as attributes, as Python binds them
// on import (kafka.errors.KafkaError, kafka.consumer.fetcher). The values
// are shared by every execution: a module cannot be assigned to and its
// members are immutable.
var kafkaModules = sync.OnceValue(func() map[string]*starlarkstruct.Module {
	modules := make(map[string]*starlarkstruct.Module, len(kafkaMembers))
	for name, members := range kafkaMembers {
		m := &starlarkstruct.Module{Name: name, Members: make(starlark.StringDict, len(members))}
		for k, v := range members {
			m.Members[k] = v
		}
		modules[name] = m
	}
	for name, m := range modules {
		if parent, sub, ok := cutLast(name, "."); ok {
			modules[parent].Members[sub] = m
		}
	}
	return modules
})

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// isKafkaModule reports whether m is one of the kafka modules.
func isKafkaModule(m *starlarkstruct.Module) bool {
	return kafkaModules()[m.Name] == m
}

// KafkaMemberNames lists the members of a kafka module, sorted (for
// completion and help).
func KafkaMemberNames(module string) []string {
	names := make([]string, 0, len(kafkaMembers[module]))
	for n := range kafkaMembers[module] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
