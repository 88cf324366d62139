// Package py is kstar's Python core: Python's builtins and types as
// Starlark values (print, repr, str and bytes methods, %-formatting,
// format specs, exceptions, namedtuples, lazy iterators), the helpers the
// front end's rewritten code calls (helpers.go), and the help index. It
// imports nothing else of kstar; the standard modules (builtins/lib/...)
// and the Kafka classes build on it.
//
// Every builtin reaches the host through the Env stored in its thread
// (see EnvOf): output writers, argv, the environment and the execution's
// context.
package py

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"

	"go.starlark.net/starlark"
)

// envKey is the thread-local key under which the Env is stored.
const envKey = "kstar.env"

// Env is the host side of a running script that Python's builtins and
// standard modules see: output, argv, the environment, and the context of
// the execution. What Kafka clients may do is a KafkaEnv.
type Env struct {
	// Stdout and Stderr receive print output and sys.stdout/sys.stderr
	// writes. Default: os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer
	// Argv is sys.argv. Default: empty.
	Argv []string
	// Getenv serves os.getenv and os.environ; nil means the script sees
	// an empty environment.
	Getenv func() map[string]string
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

	mu    sync.Mutex
	ctx   context.Context
	stdin *File   // sys.stdin, shared with input()
	open  []*File // files open() opened and the script has not closed
}

// NewEnv returns an Env with the defaults documented on its fields.
func NewEnv() *Env {
	return &Env{Stdout: os.Stdout, Stderr: os.Stderr, ctx: context.Background()}
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
// Interrupted(ctx) when it fires. A threading thread has its own
// (StartedContext): it outlives the REPL chunk or call that started it.
func ContextOf(thread *starlark.Thread) context.Context {
	if ctx := StartedContext(thread); ctx != nil {
		return ctx
	}
	return EnvOf(thread).Context()
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
