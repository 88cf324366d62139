package runtime

import (
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/kafka"
	"github.com/kstar-dev/kstar/builtins/py"
)

// execEnv is the host side of one execution: what Python's builtins and
// modules see (output, argv, environment, context) and what its Kafka
// clients see (brokers, topics, host options, the clients open).
type execEnv struct {
	*py.Env
	kafka  *kafka.KafkaEnv
	interp *py.Interp // shared by the executions of one Runtime.Run, Session or Script
}

// attach stores the execution's host side and interpreter in thread,
// where builtins find them.
func (env execEnv) attach(thread *starlark.Thread) {
	env.Env.Attach(thread)
	env.kafka.Attach(thread)
	env.interp.Attach(thread)
	py.SetSpawn(thread, spawn)
}

// envOf is the execEnv attached to thread.
func envOf(thread *starlark.Thread) execEnv {
	return execEnv{py.EnvOf(thread), kafka.KafkaEnvOf(thread), py.InterpOf(thread)}
}

// spawn is the runtime's py.SpawnFunc: a thread of parent's execution,
// with its host side, interpreter, stop flag and limits (its steps are
// counted apart from parent's).
func spawn(parent *starlark.Thread, name string) *starlark.Thread {
	thread := &starlark.Thread{Name: name, Print: parent.Print, Load: parent.Load}
	envOf(parent).attach(thread)
	thread.SetLocal(stoppedKey, stoppedOf(parent))
	if g, ok := py.LimiterOf(parent).(*governor); ok {
		thread.OnMaxSteps = g.onMaxSteps
		py.SetLimiter(thread, g)
		thread.SetMaxExecutionSteps(g.nextCheck(thread))
	}
	return thread
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
