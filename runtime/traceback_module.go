package runtime

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	libsys "github.com/kstar-dev/kstar/builtins/lib/sys"
	"github.com/kstar-dev/kstar/builtins/py"
)

// The traceback module lives in the runtime, not in builtins/lib: it
// renders tracebacks as the runtime does for an uncaught exception, from
// the exceptions the try runner is handling (trystate.go).
//
//	format_exc()                      the traceback of the exception being handled, as text
//	print_exc(file=None)              ... written to file (default sys.stderr)
//	format_exception(exc)             the traceback of exc, as a list of lines
//	print_exception(exc, file=None)   ... written to file
//	format_exception_only(exc)        exc's last traceback line, in a list
//
// Each traceback starts at the frame that caught the exception, as
// CPython's __traceback__ does, and prints its chain (__cause__,
// __context__). Source lines are quoted for a script run with ExecFile.
func newTracebackModule(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "traceback", Members: starlark.StringDict{
		"format_exc":            py.Func("format_exc", formatExc),
		"print_exc":             py.Func("print_exc", printExc),
		"format_exception":      py.Func("format_exception", formatException),
		"print_exception":       py.Func("print_exception", printException),
		"format_exception_only": py.Func("format_exception_only", formatExceptionOnly),
	}}
}

// handledTraceback is the traceback text of the exception being handled
// on thread, or CPython's "NoneType: None" when none is.
func handledTraceback(thread *starlark.Thread) string {
	h := py.Handling(thread)
	if len(*h) == 0 {
		return "NoneType: None\n"
	}
	return excTraceback(thread, (*h)[len(*h)-1].Exc)
}

// excTraceback renders exc's traceback as an uncaught one would be.
func excTraceback(thread *starlark.Thread, exc *py.Exception) string {
	var err error = exc
	if exc.Traceback != nil {
		err = exc.Traceback
	}
	if render := py.InterpOf(thread).Traceback; render != nil {
		return render(err)
	}
	return FormatError(err)
}

func formatExc(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	return starlark.String(handledTraceback(thread)), nil
}

func printExc(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var file starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "limit?", new(starlark.Value), "file?", &file); err != nil {
		return nil, err
	}
	return starlark.None, writeText(thread, file, handledTraceback(thread))
}

// exceptionArg is the exception argument of format_exception and
// print_exception.
func exceptionArg(name string, v starlark.Value) (*py.Exception, error) {
	exc, ok := v.(*py.Exception)
	if !ok {
		return nil, py.Errorf(py.TypeError, "%s() argument must be an exception, not %s", name, py.TypeName(v))
	}
	return exc, nil
}

func formatException(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "exc", &v); err != nil {
		return nil, err
	}
	exc, err := exceptionArg(b.Name(), v)
	if err != nil {
		return nil, err
	}
	var lines []starlark.Value
	for line := range strings.Lines(excTraceback(thread, exc)) {
		lines = append(lines, starlark.String(line))
	}
	return starlark.NewList(lines), nil
}

func printException(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v, file starlark.Value = nil, starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "exc", &v, "file?", &file); err != nil {
		return nil, err
	}
	exc, err := exceptionArg(b.Name(), v)
	if err != nil {
		return nil, err
	}
	return starlark.None, writeText(thread, file, excTraceback(thread, exc))
}

func formatExceptionOnly(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "exc", &v); err != nil {
		return nil, err
	}
	exc, err := exceptionArg(b.Name(), v)
	if err != nil {
		return nil, err
	}
	return starlark.NewList([]starlark.Value{starlark.String(exc.TracebackLine() + "\n")}), nil
}

// writeText writes s to file, as print(file=) does, or to the
// execution's stderr for None (traceback's default, where print's is
// stdout).
func writeText(thread *starlark.Thread, file starlark.Value, s string) error {
	if file == starlark.None {
		file = libsys.Stderr
	}
	return py.WriteText(thread, file, s)
}
