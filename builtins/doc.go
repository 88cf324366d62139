// Package builtins holds the Kafka side of kstar's Starlark-visible world:
// the kafka modules and their types (KafkaProducer, KafkaConsumer, ...),
// the time, sys and logging modules, and the assembly
// of modules, globals and help over every layer (modules.go). The Python
// core they build on is package builtins/py.
//
// The Kafka clients reach the host through the KafkaEnv stored in the
// thread (see KafkaEnvOf): the default bootstrap servers, the host's
// allow-lists and options, and the registry of open clients.
package builtins
