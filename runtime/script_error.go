package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// ScriptError is how a Script reports a failure to Go: the Python
// exception's name and message, where it happened, and the whole
// traceback as CPython would print it. Every error a Script's methods
// return is one. When the caller's context ended the call (or
// WithCallTimeout did), errors.Is(err, context.Canceled) or
// errors.Is(err, context.DeadlineExceeded) holds as well.
//
//	var se *runtime.ScriptError
//	if errors.As(err, &se) && se.Name() == "ValueError" { ... }
type ScriptError struct {
	err    error
	ctxErr error // the context's error when it ended the call
	name   string
	msg    string
	pos    syntax.Position
}

// newScriptError wraps the error of an execution that ran under ctx
// (nil stays nil).
func newScriptError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var se *ScriptError
	if errors.As(err, &se) {
		return err
	}
	e := &ScriptError{err: err, ctxErr: ctx.Err()}
	e.name, e.msg, e.pos = describe(err)
	return e
}

// errorAt is a ScriptError the host raises about a value the script
// returned, placed at pos (the function's definition).
func errorAt(pos syntax.Position, class *py.ExceptionClass, format string, args ...any) *ScriptError {
	exc := py.Errorf(class, format, args...)
	return &ScriptError{err: exc, name: class.Name(), msg: exc.Msg, pos: pos}
}

// Name is the exception's class name: "ValueError", "KeyError",
// "KafkaTimeoutError", "SyntaxError", "TimeoutError" for WithCallTimeout,
// "SystemExit" for sys.exit.
func (e *ScriptError) Name() string { return e.name }

// Message is the exception's message, without its name.
func (e *ScriptError) Message() string { return e.msg }

// Position is where the error happened: the innermost frame of the
// script's call stack (its file, line and column); invalid when unknown.
func (e *ScriptError) Position() syntax.Position { return e.pos }

// Traceback renders the error as CPython prints an uncaught exception
// (FormatError): "Traceback (most recent call last):", the script's
// frames with their source lines, and CPython's last line
// ("kafka.errors.KafkaTimeoutError: KafkaTimeoutError: ...").
func (e *ScriptError) Traceback() string {
	if exc := py.AsException(e.err); exc != nil && e.pos.IsValid() && !hasFrames(e.err) {
		// A failure the host found in a returned value: one frame, at
		// the function that returned it.
		return fmt.Sprintf("Traceback (most recent call last):\n  File \"%s\", line %d\n%s\n", e.pos.Filename(), e.pos.Line, exc.TracebackLine())
	}
	return FormatError(e.err)
}

// Error is "file:line: Name: message", then " (caused by ...)" when the
// exception has a reason kafka-python's would not state (NoBrokersAvailable
// and why no broker answered).
func (e *ScriptError) Error() string {
	if e.pos.IsValid() {
		return fmt.Sprintf("%s:%d: %s", e.pos.Filename(), e.pos.Line, e.lastLine())
	}
	return e.lastLine()
}

func (e *ScriptError) lastLine() string {
	if exc := exceptionOf(e.err); exc != nil {
		return exc.Error() // with the reason behind it, if any
	}
	if e.msg == "" {
		return e.name
	}
	return e.name + ": " + e.msg
}

// Unwrap returns the underlying error (a *starlark.EvalError, a
// *py.Exception, a syntax error...) and, for a call its context
// ended, the context's error.
func (e *ScriptError) Unwrap() []error {
	if e.ctxErr != nil {
		return []error{e.err, e.ctxErr}
	}
	return []error{e.err}
}

func hasFrames(err error) bool {
	var evalErr *starlark.EvalError
	return errors.As(err, &evalErr)
}

// describe finds the exception name, message and position of an error.
func describe(err error) (name, msg string, pos syntax.Position) {
	var exit *py.SystemExit
	if errors.As(err, &exit) {
		return "SystemExit", fmt.Sprint(exit.Code), pos
	}
	var syntaxErr syntax.Error
	if errors.As(err, &syntaxErr) {
		return frontend.ErrorKind(err), syntaxErr.Msg, syntaxErr.Pos
	}
	var resolveErrs resolve.ErrorList
	if errors.As(err, &resolveErrs) && len(resolveErrs) > 0 {
		name, msg = splitExceptionLine(resolveMessage(resolveErrs[0].Msg))
		return name, msg, resolveErrs[0].Pos
	}
	var evalErr *starlark.EvalError
	if errors.As(err, &evalErr) {
		for i := len(evalErr.CallStack) - 1; i >= 0; i-- {
			if fr := evalErr.CallStack[i]; fr.Pos.IsValid() && fr.Pos.Filename() != "<builtin>" {
				pos = fr.Pos
				break
			}
		}
	}
	if e := exceptionOf(err); e != nil {
		return e.Class.ClassName, e.Msg, pos
	}
	name, msg = splitExceptionLine(starlarkErrorLine(err))
	return name, msg, pos
}

// splitExceptionLine splits "Name: message" (or "Name").
func splitExceptionLine(line string) (name, msg string) {
	name, msg, _ = strings.Cut(line, ": ")
	return name, msg
}
