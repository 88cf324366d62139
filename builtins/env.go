// Package builtins holds the Starlark-visible world of kstar: the kafka
// module and its types (KafkaProducer, KafkaConsumer, ...), the json,
// msgpack, time, sys and os modules, Python-style exceptions, and the
// Python rendering of values (repr, str, %-formatting) that print uses.
//
// Every builtin reaches the host through the Env stored in its thread
// (see EnvOf): output writers, argv, the default bootstrap servers, the
// execution's context, and the registry of open Kafka clients.
package builtins

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
)

// DefaultBootstrapServers is kafka-python's default broker address,
// used when neither the script nor the host names one.
const DefaultBootstrapServers = "localhost:9092"

// envKey is the thread-local key under which the Env is stored.
const envKey = "kstar.env"

// Client is a Kafka client opened by a script. The runtime shuts every
// client down when the script ends (or the REPL exits), on the script's
// thread, so pending callbacks still run and buffered records are flushed.
type Client interface {
	// Shutdown flushes and closes the client, waiting at most timeout.
	Shutdown(thread *starlark.Thread, timeout time.Duration) error
}

// Env is the host side of a running script.
type Env struct {
	// Stdout and Stderr receive print output and sys.stdout/sys.stderr
	// writes. Default: os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer
	// Argv is sys.argv. Default: empty.
	Argv []string
	// BootstrapServers is used by clients that pass no bootstrap_servers.
	// Default: DefaultBootstrapServers.
	BootstrapServers string
	// Getenv serves os.getenv and os.environ; nil means the script sees
	// an empty environment.
	Getenv func() map[string]string
	// AllowedBrokers, when non-nil, is the only set of broker addresses a
	// script's clients may connect to.
	AllowedBrokers []string
	// AllowedTopics, when non-nil, is the only set of topics a script's
	// clients may produce to or consume from.
	AllowedTopics []string
	// ClientOptions are appended to the franz-go options of every client
	// a script's KafkaProducer, KafkaConsumer or KafkaAdminClient opens,
	// so they win over the script's config (credentials, TLS, a dialer,
	// seed brokers). Default: none.
	ClientOptions []kgo.Opt
	// HostClient, when set, is a franz-go client the host owns: a script's
	// KafkaProducer and KafkaAdminClient send through it instead of
	// connecting (their close() flushes it but never closes it), and a
	// KafkaConsumer opens its own client with its brokers, dialer, TLS and
	// SASL (a consumer's group membership and positions cannot be shared).
	// Default: nil, every client connects on its own.
	HostClient *kgo.Client
	// ReadFile reads the files config keys name (ssl_cafile, ssl_certfile,
	// ssl_keyfile, ssl_crlfile); it returns an error wrapping
	// fs.ErrPermission to refuse one. Default: nil, os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// Stdin is what sys.stdin and input() read; nil refuses them with a
	// PermissionError. Default: nil.
	Stdin io.Reader
	// Files is the file system of open(), os.path's queries, os.getcwd,
	// os.listdir and os.makedirs; nil refuses them with a PermissionError.
	// Default: nil.
	Files HostFiles
	// Hostname serves socket.gethostname and platform.node; nil refuses
	// them with a PermissionError. Default: nil.
	Hostname func() (string, error)

	mu      sync.Mutex
	stdin   *File // sys.stdin, shared with input()
	ctx     context.Context
	clients []Client
	checks  []func() error // see CheckAtEnd
}

// NewEnv returns an Env with the defaults documented on its fields.
func NewEnv() *Env {
	return &Env{Stdout: os.Stdout, Stderr: os.Stderr, BootstrapServers: DefaultBootstrapServers, ctx: context.Background()}
}

// Attach stores env in thread so builtins can find it with EnvOf.
func (env *Env) Attach(thread *starlark.Thread) { thread.SetLocal(envKey, env) }

// EnvOf returns the Env attached to thread, or a default Env if none is.
func EnvOf(thread *starlark.Thread) *Env {
	if env, ok := thread.Local(envKey).(*Env); ok {
		return env
	}
	env := NewEnv()
	env.Attach(thread)
	return env
}

// SetContext sets the context of the execution now running on the
// thread; blocking builtins stop when it is done.
func (env *Env) SetContext(ctx context.Context) {
	env.mu.Lock()
	env.ctx = ctx
	env.mu.Unlock()
}

// Context returns the context of the current execution.
func (env *Env) Context() context.Context {
	env.mu.Lock()
	defer env.mu.Unlock()
	if env.ctx == nil {
		return context.Background()
	}
	return env.ctx
}

// ContextOf returns the context of the execution running on thread:
// blocking builtins must select on its Done channel and return
// Interrupted(ctx) when it fires.
func ContextOf(thread *starlark.Thread) context.Context { return EnvOf(thread).Context() }

// Track registers a client to be shut down when the script ends.
func (env *Env) Track(c Client) {
	env.mu.Lock()
	env.clients = append(env.clients, c)
	env.mu.Unlock()
}

// HasClients reports whether clients are tracked (opened and not closed).
func (env *Env) HasClients() bool {
	env.mu.Lock()
	defer env.mu.Unlock()
	return len(env.clients) > 0
}

// Untrack forgets a client that the script closed itself.
func (env *Env) Untrack(c Client) {
	env.mu.Lock()
	defer env.mu.Unlock()
	for i, x := range env.clients {
		if x == c {
			env.clients = append(env.clients[:i], env.clients[i+1:]...)
			return
		}
	}
}

// CheckAtEnd registers check to run when Shutdown has shut the clients
// down, closed or not (a producer's check that its records were
// delivered).
func (env *Env) CheckAtEnd(check func() error) {
	env.mu.Lock()
	env.checks = append(env.checks, check)
	env.mu.Unlock()
}

// Shutdown shuts down every tracked client in reverse order of creation,
// each bounded by timeout, then runs the checks of CheckAtEnd, and
// returns the first error. The consumers close together, when the last
// one created comes: one at a time, a consumer could wait for a rebalance
// that another one, not yet closed, holds up (see closeConsumers).
func (env *Env) Shutdown(thread *starlark.Thread, timeout time.Duration) error {
	env.mu.Lock()
	clients, checks := env.clients, env.checks
	env.clients, env.checks = nil, nil
	env.mu.Unlock()
	var consumers []*KafkaConsumer
	for i := len(clients) - 1; i >= 0; i-- {
		if c, ok := clients[i].(*KafkaConsumer); ok {
			consumers = append(consumers, c)
		}
	}
	var first error
	for i := len(clients) - 1; i >= 0; i-- {
		var err error
		if c, ok := clients[i].(*KafkaConsumer); !ok {
			err = clients[i].Shutdown(thread, timeout)
		} else if c == consumers[0] {
			err = closeConsumers(thread, consumers, true, timeout)
		}
		if err != nil && first == nil {
			first = err
		}
	}
	for _, check := range checks {
		if err := check(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Interrupted returns the exception a blocking builtin reports when ctx is
// done: the cause itself when it is an exception (ErrKeyboardInterrupt for
// Ctrl-C), TimeoutError for a host's deadline, CancelledError otherwise.
func Interrupted(ctx context.Context) *Exception {
	cause := context.Cause(ctx)
	if cause == nil {
		cause = ctx.Err()
	}
	if e, ok := cause.(*Exception); ok {
		return e
	}
	if errors.Is(cause, context.DeadlineExceeded) {
		return NewException(TimeoutError, "execution deadline exceeded")
	}
	return NewException(CancelledError, cause.Error())
}

// ErrKeyboardInterrupt is the cancellation cause the runtime uses for
// Ctrl-C; scripts see it as KeyboardInterrupt.
var ErrKeyboardInterrupt = NewException(KeyboardInterrupt, "")

// TextWriter is a file-like value (sys.stdout, sys.stderr) that print's
// file= argument and write() calls send text to.
type TextWriter interface {
	starlark.Value
	WriteText(thread *starlark.Thread, s string) error
}

func init() { debugPanics = os.Getenv("KSTAR_DEBUG_PANICS") != "" }
