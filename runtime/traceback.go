package runtime

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins"
)

// sourceError is an execution error with the script's source, so the
// traceback can quote the failing lines as Python does.
type sourceError struct {
	err      error
	filename string
	lines    []string
}

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

func withSource(err error, filename string, src []byte) error {
	if err == nil {
		return nil
	}
	var se *sourceError
	if errors.As(err, &se) {
		return err
	}
	return &sourceError{err: err, filename: filename, lines: strings.Split(string(src), "\n")}
}

// ExitCode is the process exit status for an execution's error: 0 for
// none, the code of sys.exit, 130 for KeyboardInterrupt, 1 otherwise.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	var exit *builtins.SystemExit
	if errors.As(err, &exit) {
		return exit.Code
	}
	if e := exceptionOf(err); e != nil && e.Class == builtins.KeyboardInterrupt {
		return 130
	}
	return 1
}

// FormatError renders an execution error as CPython prints an uncaught
// exception:
//
//	Traceback (most recent call last):
//	  File "x.star", line 3, in <module>
//	    producer.send('t', 1)
//	TypeError: ...
//
// Syntax and resolve errors render as Python's SyntaxError/NameError.
// sys.exit renders as nothing.
func FormatError(err error) string {
	if err == nil {
		return ""
	}
	var exit *builtins.SystemExit
	if errors.As(err, &exit) {
		return ""
	}
	var lines []string
	var se *sourceError
	if errors.As(err, &se) {
		lines = se.lines
	}
	quote := func(b *strings.Builder, pos syntax.Position) {
		if se != nil && pos.Filename() == se.filename && int(pos.Line) >= 1 && int(pos.Line) <= len(lines) {
			if text := strings.TrimSpace(lines[pos.Line-1]); text != "" {
				fmt.Fprintf(b, "    %s\n", text)
			}
		}
	}
	var b strings.Builder

	var syntaxErr syntax.Error
	if errors.As(err, &syntaxErr) {
		fmt.Fprintf(&b, "  File \"%s\", line %d\n", syntaxErr.Pos.Filename(), syntaxErr.Pos.Line)
		quote(&b, syntaxErr.Pos)
		fmt.Fprintf(&b, "SyntaxError: %s\n", syntaxErr.Msg)
		return b.String()
	}
	var resolveErrs resolve.ErrorList
	if errors.As(err, &resolveErrs) {
		for _, re := range resolveErrs {
			fmt.Fprintf(&b, "  File \"%s\", line %d\n", re.Pos.Filename(), re.Pos.Line)
			quote(&b, re.Pos)
			fmt.Fprintf(&b, "%s\n", resolveMessage(re.Msg))
		}
		return b.String()
	}

	b.WriteString("Traceback (most recent call last):\n")
	var evalErr *starlark.EvalError
	if errors.As(err, &evalErr) {
		for _, fr := range evalErr.CallStack {
			if fr.Pos.Filename() == "<builtin>" || !fr.Pos.IsValid() {
				continue
			}
			name := fr.Name
			if name == "<toplevel>" {
				name = "<module>"
			}
			fmt.Fprintf(&b, "  File \"%s\", line %d, in %s\n", fr.Pos.Filename(), fr.Pos.Line, name)
			quote(&b, fr.Pos)
		}
	}
	b.WriteString(exceptionLine(err))
	b.WriteByte('\n')
	return b.String()
}

// exceptionOf finds the exception an error carries, including the
// cancellation of an interrupted execution.
func exceptionOf(err error) *builtins.Exception {
	var intr *interrupted
	if errors.As(err, &intr) {
		return intr.exc
	}
	return builtins.AsException(err)
}

// exceptionLine is the last line of a traceback: "Name: message". Errors
// that Starlark itself raises are named after the Python exception that
// CPython raises in the same situation.
func exceptionLine(err error) string {
	if e := exceptionOf(err); e != nil {
		return e.Error()
	}
	msg := err.Error()
	var evalErr *starlark.EvalError
	if errors.As(err, &evalErr) {
		if cause := errors.Unwrap(evalErr); cause != nil {
			msg = cause.Error()
		}
	}
	return pythonErrorName(msg) + ": " + msg
}

var starlarkErrorNames = []struct {
	re   *regexp.Regexp
	name string
}{
	{regexp.MustCompile(`key .* not in dict|not in dict`), "KeyError"},
	{regexp.MustCompile(`index out of range|out of range`), "IndexError"},
	{regexp.MustCompile(`division by zero|modulo by zero`), "ZeroDivisionError"},
	{regexp.MustCompile(`has no \.\S+ (field or method|attribute)`), "AttributeError"},
	{regexp.MustCompile(`^undefined|not defined`), "NameError"},
	{regexp.MustCompile(`too many steps`), "RuntimeError"},
	{regexp.MustCompile(`called recursively|recursion`), "RecursionError"},
	{regexp.MustCompile(`invalid literal|invalid syntax|empty|not found`), "ValueError"},
	{regexp.MustCompile(`unhashable|not supported|unsupported|got .*, want|want .*, got|not iterable|not callable|invalid call|missing argument|unexpected keyword|takes|argument|operand|cannot`), "TypeError"},
}

func pythonErrorName(msg string) string {
	for _, e := range starlarkErrorNames {
		if e.re.MatchString(msg) {
			return e.name
		}
	}
	return "Error"
}

func resolveMessage(msg string) string {
	if strings.HasPrefix(msg, "undefined: ") {
		return fmt.Sprintf("NameError: name '%s' is not defined", strings.TrimPrefix(msg, "undefined: "))
	}
	return "SyntaxError: " + msg
}
