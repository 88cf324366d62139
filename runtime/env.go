package runtime

import (
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins"
	"github.com/kstar-dev/kstar/builtins/py"
)

// execEnv is the host side of one execution: what Python's builtins and
// modules see (output, argv, environment, context) and what its Kafka
// clients see (brokers, topics, host options, the clients open).
type execEnv struct {
	*py.Env
	kafka *builtins.KafkaEnv
}

// attach stores both halves in thread, where builtins find them.
func (env execEnv) attach(thread *starlark.Thread) {
	env.Env.Attach(thread)
	env.kafka.Attach(thread)
}

// envOf is the execEnv attached to thread.
func envOf(thread *starlark.Thread) execEnv {
	return execEnv{py.EnvOf(thread), builtins.KafkaEnvOf(thread)}
}

// shutdown ends what the execution left open: its Kafka clients (flushed
// and closed, each within timeout), then the files it opened; it returns
// the first error.
func (env execEnv) shutdown(thread *starlark.Thread, timeout time.Duration) error {
	err := env.kafka.Shutdown(thread, timeout)
	if closeErr := env.CloseFiles(); err == nil {
		err = closeErr
	}
	return err
}

// hasOpen reports whether the execution has Kafka clients or files open.
func (env execEnv) hasOpen() bool { return env.kafka.HasClients() || env.HasOpenFiles() }
