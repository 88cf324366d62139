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
	"sync/atomic"

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
	// UnhandledSignal is the host's default action for a signal a script
	// raises itself (signal.raise_signal) without a handler for it: it
	// returns the error that ends the execution. Nil: the signal is
	// ignored.
	UnhandledSignal func(thread *starlark.Thread, sig int) error

	mu    sync.Mutex
	ctx   context.Context
	sig   atomic.Pointer[signalState] // signal handlers and pending signals; nil until used
	stdin *File                       // sys.stdin, shared with input()
	// inputRead is the line read an input() started and a signal
	// interrupted: the next input() takes its line (and prints no
	// prompt when inputResumed: it is the same call made again).
	inputRead    chan lineRead
	inputResumed bool
	open         []*File // files open() opened and the script has not closed
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
// Interrupted(ctx) when it fires. It is also done when a signal comes
// (see Env.Signal), so that the signal's handler runs at once.
func ContextOf(thread *starlark.Thread) context.Context { return EnvOf(thread).contextFor(thread) }

// Interrupted returns the error a blocking builtin reports when ctx (from
// ContextOf) is done. When a signal woke it, the signal's handlers run
// on the builtin's thread: the error is the KeyboardInterrupt of
// Ctrl-C or what the handler raised, or ErrSignalHandled when it
// returned (the builtin is then called again). Otherwise it is
// Cancellation(ctx).
func Interrupted(ctx context.Context) error {
	if _, ok := context.Cause(ctx).(*signalWake); ok {
		thread, _ := ctx.Value(threadKey{}).(*starlark.Thread)
		if thread == nil {
			return Cancellation(ctx)
		}
		if err := DeliverSignals(thread); err != nil {
			return err
		}
		return ErrSignalHandled
	}
	return Cancellation(ctx)
}

// Cancellation is the exception of an execution whose context is done:
// the cause itself when it is an exception (ErrKeyboardInterrupt for a
// second Ctrl-C), TimeoutError for a host's deadline, CancelledError
// otherwise.
func Cancellation(ctx context.Context) *Exception {
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
