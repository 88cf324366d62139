// Package builtins holds no code: it maps the layers of what scripts see,
// each a package below it. Imports point down this list only.
//
//   - builtins/kafka: the kafka modules and their types (KafkaProducer,
//     KafkaConsumer, KafkaAdminClient, records, futures, kafka.errors),
//     in files named for what they hold (consumer_poll.go holds poll),
//     methods in py.MethodTables, typed arguments in args.go.
//     The clients reach the host through the KafkaEnv stored in the
//     thread (KafkaEnvOf).
//   - builtins/lib/<name>: one package per standard module (json, time,
//     sys, logging, os, datetime, ...), each exposing its module value
//     through New(env), and its help table as Help where help()
//     documents it.
//   - builtins/py: the Python core (builtin functions and types, print,
//     repr and format, exceptions, the Env through which builtins reach
//     the host, the help index). It imports nothing else of kstar.
//
// Above them, package frontend turns Python source into Starlark syntax
// (it imports builtins/py for the names of the helpers its rewrites
// call), and package runtime runs scripts: it assembles the modules, the
// globals and the help index over every layer (runtime/modules.go,
// runtime/stdlib.go). docs/packages.md is the map for a newcomer.
package builtins
