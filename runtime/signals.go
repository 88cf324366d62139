package runtime

import (
	"context"
	"sync"
	"syscall"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// Signals carries a host's signals (Ctrl-C, SIGTERM) to the executions
// of the Runtimes made with WithSignals, as Python's signal handling
// does for a script: the first SIGINT raises KeyboardInterrupt at the
// script's next safe point (a blocking call returns it at once, a busy
// loop gets it within a few thousand steps), so `except
// KeyboardInterrupt:` and `finally:` run; a handler a script installed
// with signal.signal runs there instead. A SIGINT that comes while an
// earlier one still waits for a safe point stops the execution, as
// Ctrl-C did before. Nothing of the host process's own signal handling
// changes: the host decides which signals to send.
type Signals struct {
	// Unhandled, if not nil, is the host's default action for a signal a
	// script does not handle and raises itself (signal.raise_signal): the
	// kstar command dies by the signal, as CPython does. Without it the
	// execution ends as by sys.exit(128+signum), without a traceback.
	Unhandled func(sig syscall.Signal)

	mu      sync.Mutex
	running map[*signalTarget]struct{}
}

// signalTarget is an execution that receives a Signals' signals.
type signalTarget struct {
	env  *py.Env
	stop context.CancelCauseFunc // stops the execution
}

// NewSignals returns a Signals to pass to WithSignals.
func NewSignals() *Signals { return &Signals{running: map[*signalTarget]struct{}{}} }

// WithSignals makes the executions of the Runtime (ExecFile, Session.Exec)
// receive the signals the host sends with s.Send. Default: none; a
// script's signal.signal then only installs handlers for
// signal.raise_signal, never the host process's.
func WithSignals(s *Signals) Option { return func(r *Runtime) { r.signals = s } }

// Send delivers sig to the executions running and reports whether one
// took it: false when none runs or none handles sig (SIGTERM and SIGHUP
// unless a script called signal.signal for them, SIGINT after
// signal.signal(SIGINT, SIG_DFL)), so that the host applies its default
// action; the kstar command then dies by the signal, as CPython does.
// It may be called from any goroutine.
func (s *Signals) Send(sig syscall.Signal) bool {
	s.mu.Lock()
	targets := make([]*signalTarget, 0, len(s.running))
	for t := range s.running {
		targets = append(targets, t)
	}
	s.mu.Unlock()
	took := false
	for _, t := range targets {
		switch t.env.Signal(int(sig)) {
		case py.SignalQueued, py.SignalIgnored:
			took = true
		case py.SignalRepeated:
			t.stop(py.ErrKeyboardInterrupt)
			took = true
		}
	}
	return took
}

// receive makes the execution of env, which stop stops, receive s's
// signals until the function it returns is called.
func (s *Signals) receive(env *py.Env, stop context.CancelCauseFunc) func() {
	env.EnableSignals()
	t := &signalTarget{env, stop}
	s.mu.Lock()
	s.running[t] = struct{}{}
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.running, t)
		s.mu.Unlock()
		env.DropSignals() // one that came too late is not the next REPL chunk's
	}
}

// unhandledSignal is the Env's default action for a signal a script
// raised itself and does not handle: the host's (Signals.Unhandled), or
// the end of the execution with exit status 128+sig, which a shell shows
// for a process killed by sig.
func (r *Runtime) unhandledSignal(thread *starlark.Thread, sig int) error {
	if r.signals != nil && r.signals.Unhandled != nil {
		r.signals.Unhandled(syscall.Signal(sig))
	}
	exit := &py.SystemExit{Code: 128 + sig}
	stop(thread, exit.Error())
	return exit
}

// signalHookPatience is how many looks of the step hook (pollSteps steps
// each) a waiting signal may wait for a point where its exception can be
// caught: see deliverSignals.
const signalHookPatience = 4

// deliverSignals is the step hook's safe point, for scripts that neither
// wait nor enter a try statement's guarded statement (which delivers
// signals itself, see signalsBeforeStatement): the handlers of the
// signals waiting run, and one that raises (KeyboardInterrupt for
// Ctrl-C) raises where the script is, as an ordinary exception. The step
// hook may come between the guarded statements of a try body, where
// that exception would escape the try; so it delivers at once only
// inside a guarded statement, and elsewhere after signalHookPatience
// looks (a loop outside any try, or one of a try body that has no
// guarded statement).
func (g *governor) deliverSignals(thread *starlark.Thread) {
	if !py.SignalsPending(thread) {
		g.signalMisses = 0
		return
	}
	if !inGuardedStatement(thread) && g.signalMisses < signalHookPatience {
		g.signalMisses++
		return
	}
	g.signalMisses = 0
	if err := py.DeliverSignals(thread); err != nil {
		py.Fail(thread, py.IterationError(thread, err)) // with the script's call stack
	}
}

// inGuardedStatement reports whether thread runs the body, a handler,
// the else or the finally of a try statement (its runner's frame is on
// the stack), where an exception the step hook records with py.Fail is
// caught as Python would.
func inGuardedStatement(thread *starlark.Thread) bool {
	for i := 0; i < thread.CallStackDepth(); i++ {
		if thread.CallFrame(i).Name == frontend.TryFunc {
			return true
		}
	}
	return false
}

// signalsBeforeStatement delivers the signals waiting before the body or
// the handlers of a try run: their exception is the body's, or replaces
// the one the handlers would handle.
func signalsBeforeStatement(thread *starlark.Thread) error {
	if py.SignalsPending(thread) {
		return py.DeliverSignals(thread)
	}
	return nil
}
