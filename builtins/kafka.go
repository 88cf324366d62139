package builtins

import (
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// The kafka package and its submodules, as kafka-python lays them out:
// kafka (KafkaProducer, KafkaConsumer, TopicPartition, ...), kafka.errors,
// kafka.structs, kafka.admin. Each type registers itself from its own
// file with registerKafka.
var kafkaMembers = map[string]map[string]starlark.Value{
	"kafka":         {},
	"kafka.errors":  {},
	"kafka.structs": {},
	"kafka.admin":   {},
}

// registerKafka adds a member to a kafka module ("kafka", "kafka.errors",
// "kafka.structs" or "kafka.admin").
func registerKafka(module, name string, v starlark.Value) {
	kafkaMembers[module][name] = v
}

func init() {
	registerKafka("kafka", "TopicPartition", TopicPartitionType)
	registerKafka("kafka", "OffsetAndMetadata", OffsetAndMetadataType)
	for _, t := range []*NamedTupleType{TopicPartitionType, OffsetAndMetadataType, OffsetAndTimestampType, BrokerMetadataType} {
		registerKafka("kafka.structs", t.TypeName, t)
	}
	for name, c := range exceptionClasses {
		if c.Module == "kafka.errors" {
			registerKafka("kafka.errors", name, c)
		}
	}
	for module := range kafkaMembers {
		module := module
		registerModule(module, func(env *Env) starlark.Value { return kafkaModule(module) })
	}
}

// kafkaModule builds one kafka module; "kafka" also carries its
// submodules as attributes (kafka.errors.KafkaError).
func kafkaModule(name string) starlark.Value {
	members := starlark.StringDict{}
	for k, v := range kafkaMembers[name] {
		members[k] = v
	}
	if name == "kafka" {
		for sub := range kafkaMembers {
			if sub != "kafka" {
				members[sub[len("kafka."):]] = kafkaModule(sub)
			}
		}
	}
	return &starlarkstruct.Module{Name: name, Members: members}
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
