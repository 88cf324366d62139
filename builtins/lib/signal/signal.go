// Package signal is the part of Python's signal module scripts use to
// stop cleanly:
//
//	signal(signalnum, handler)  installs handler (a function called as
//	                            handler(signum, frame) with frame None,
//	                            SIG_IGN, SIG_DFL or default_int_handler)
//	                            and returns the previous one
//	getsignal(signalnum)        the handler installed
//	raise_signal(signalnum)     sends the signal to the script itself
//	default_int_handler         SIGINT's handler: raises KeyboardInterrupt
//	strsignal(signalnum)        'Interrupt', 'Terminated', 'Hangup'
//	SIGHUP, SIGINT, SIGTERM     1, 2, 15
//	SIG_DFL, SIG_IGN            0, 1
//
// Handlers belong to the execution, not to the host process: they run
// on the script's thread at its next safe point (a blocking call such as
// a consumer's wait or time.sleep returns at once; a busy loop is
// interrupted within a few thousand steps) when the host forwards a
// signal (the kstar command forwards SIGINT, SIGTERM and SIGHUP; an
// embedding host uses runtime.Signals), or when the script calls
// raise_signal. A handler's exception (sys.exit's SystemExit included)
// is raised where the script is; when it returns, the interrupted call
// goes on. Without a handler, SIGTERM and SIGHUP end the kstar command
// as they end CPython: at once, without running finally blocks.
//
// The constants are plain ints: repr(signal.SIGINT) is 2, not CPython's
// <Signals.SIGINT: 2>; str() and comparisons are the same.
package signal

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// The handler values SIG_DFL and SIG_IGN, as CPython's Handlers enum
// compares.
const (
	sigDFL = 0
	sigIGN = 1
)

// nsig is CPython's signal.NSIG on Linux: signal numbers are below it.
const nsig = 65

// names are the texts of strsignal, as glibc gives them.
var names = map[int]string{
	py.SIGHUP:  "Hangup",
	py.SIGINT:  "Interrupt",
	3:          "Quit",
	9:          "Killed",
	10:         "User defined signal 1",
	12:         "User defined signal 2",
	14:         "Alarm clock",
	py.SIGTERM: "Terminated",
}

// defaultIntHandler is signal.default_int_handler.
var defaultIntHandler = py.Func("default_int_handler", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return nil, py.NewException(py.KeyboardInterrupt, "")
})

// New returns the signal module of the execution env runs.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "signal", Members: starlark.StringDict{
		"SIGHUP":              starlark.MakeInt(py.SIGHUP),
		"SIGINT":              starlark.MakeInt(py.SIGINT),
		"SIGTERM":             starlark.MakeInt(py.SIGTERM),
		"SIG_DFL":             starlark.MakeInt(sigDFL),
		"SIG_IGN":             starlark.MakeInt(sigIGN),
		"default_int_handler": defaultIntHandler,
		"signal":              py.Func("signal", setHandler),
		"getsignal":           py.Func("getsignal", getHandler),
		"raise_signal":        py.Func("raise_signal", raiseSignal),
		"strsignal":           py.Func("strsignal", strsignal),
	}}
}

// signalNumber is the signal number argument of b, checked as CPython
// checks it.
func signalNumber(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, handler *starlark.Value) (int, error) {
	var v starlark.Value
	var err error
	if handler != nil {
		err = starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &v, handler)
	} else {
		err = starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v)
	}
	if err != nil {
		return 0, py.NewException(py.TypeError, err.Error())
	}
	i, ok := v.(starlark.Int)
	if !ok {
		return 0, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
	}
	n, ok := i.Int64()
	if !ok || n < 1 || n >= nsig {
		return 0, py.Errorf(py.ValueError, "signal number out of range")
	}
	return int(n), nil
}

// setHandler is signal.signal(signalnum, handler).
func setHandler(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	sig, err := signalNumber(b, args, kwargs, &v)
	if err != nil {
		return nil, err
	}
	if sig == 9 || sig == 19 { // SIGKILL, SIGSTOP
		return nil, py.Errorf(py.OSError, "[Errno 22] Invalid argument")
	}
	var h py.SignalHandler
	switch {
	case v == defaultIntHandler:
		h = py.SignalHandler{Kind: py.SignalInterrupt, Value: v}
	case isInt(v, sigDFL):
		h = py.SignalHandler{Kind: py.SignalDefault, Value: v}
	case isInt(v, sigIGN):
		h = py.SignalHandler{Kind: py.SignalIgnore, Value: v}
	default:
		if _, ok := v.(starlark.Callable); !ok {
			return nil, py.Errorf(py.TypeError, "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object")
		}
		h = py.SignalHandler{Kind: py.SignalCall, Value: v}
	}
	env := py.EnvOf(thread)
	prev, _ := env.SignalHandlerOf(sig)
	env.SetSignalHandler(sig, h)
	return handlerValue(prev), nil
}

// getHandler is signal.getsignal(signalnum).
func getHandler(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sig, err := signalNumber(b, args, kwargs, nil)
	if err != nil {
		return nil, err
	}
	h, _ := py.EnvOf(thread).SignalHandlerOf(sig)
	return handlerValue(h), nil
}

// handlerValue is what getsignal returns for h.
func handlerValue(h py.SignalHandler) starlark.Value {
	switch {
	case h.Value != nil:
		return h.Value
	case h.Kind == py.SignalInterrupt:
		return defaultIntHandler
	}
	return starlark.MakeInt(sigDFL)
}

// isInt reports whether v is the int n.
func isInt(v starlark.Value, n int64) bool {
	i, ok := v.(starlark.Int)
	if !ok {
		return false
	}
	x, ok := i.Int64()
	return ok && x == n
}

// raiseSignal is signal.raise_signal(signalnum): the signal's handler
// runs before it returns, as CPython's does before the next line.
func raiseSignal(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sig, err := signalNumber(b, args, kwargs, nil)
	if err != nil {
		return nil, err
	}
	env := py.EnvOf(thread)
	switch env.Signal(sig) {
	case py.SignalQueued, py.SignalRepeated:
		if err := py.DeliverSignals(thread); err != nil {
			return nil, err
		}
	case py.SignalUnhandled:
		if env.UnhandledSignal != nil {
			return nil, env.UnhandledSignal(thread, sig)
		}
	}
	return starlark.None, nil
}

// strsignal is signal.strsignal(signalnum): None for a signal it does
// not know.
func strsignal(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sig, err := signalNumber(b, args, kwargs, nil)
	if err != nil {
		return nil, err
	}
	if name, ok := names[sig]; ok {
		return starlark.String(name), nil
	}
	return starlark.None, nil
}
