package runtime

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/kafka"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
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
	var exit *py.SystemExit
	if errors.As(err, &exit) {
		return exit.Code
	}
	if e := exceptionOf(err); e != nil && e.Class == py.KeyboardInterrupt {
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
// sys.exit(n) and records left undelivered (kafka.UndeliveredError)
// render as nothing, sys.exit('message') as the message; so does an
// error whose traceback was printed before the atexit functions ran.
func FormatError(err error) string { return formatError(err, false) }

// formatIgnored renders an exception CPython cannot raise anywhere and
// prints under "Exception ignored in ...": as FormatError, but a
// SystemExit too is a traceback ending "SystemExit: 5".
func formatIgnored(err error) string { return formatError(err, true) }

// formatError is FormatError, with a traceback for SystemExit when
// exitTraceback is set.
func formatError(err error, exitTraceback bool) string {
	var reported *reportedError
	if err == nil || errors.As(err, &reported) {
		return ""
	}
	var exit *py.SystemExit
	if errors.As(err, &exit) && exitTraceback {
		var b strings.Builder
		writeTraceback(&b, err, pyException(err), quoteFunc(err), map[*py.Exception]bool{})
		return b.String()
	}
	if errors.As(err, &exit) {
		switch exit.Status.(type) {
		case nil, starlark.NoneType, starlark.Bool, starlark.Int:
			return "" // sys.exit(n) says nothing
		}
		return py.Str(exit.Status) + "\n" // sys.exit('message')
	}
	var undelivered *kafka.UndeliveredError
	if errors.As(err, &undelivered) {
		return "" // a producer reported its undelivered records itself
	}
	var lines []string
	var se *sourceError
	if errors.As(err, &se) {
		lines = se.lines
	}
	quote := quoteFunc(err)
	var b strings.Builder

	var syntaxErr syntax.Error
	if errors.As(err, &syntaxErr) {
		if kind := frontend.ErrorKind(err); kind == "RecursionError" {
			return kind + ": " + syntaxErr.Msg + "\n" // CPython names no line
		}
		// As CPython, with a caret under the column of the error.
		pos := syntaxErr.Pos
		fmt.Fprintf(&b, "  File \"%s\", line %d\n", pos.Filename(), pos.Line)
		if se != nil && pos.Filename() == se.filename && int(pos.Line) >= 1 && int(pos.Line) <= len(lines) {
			line := strings.TrimRight(lines[pos.Line-1], " \t\r")
			text := strings.TrimLeft(line, " \t\f")
			if text != "" {
				caret := int(pos.Col) - 1 - utf8.RuneCountInString(line[:len(line)-len(text)])
				caret = max(0, min(caret, utf8.RuneCountInString(text)))
				text, caret = quotedLine(text, caret)
				fmt.Fprintf(&b, "    %s\n    %s^\n", text, strings.Repeat(" ", caret))
			}
		}
		fmt.Fprintf(&b, "%s: %s\n", frontend.ErrorKind(err), syntaxErr.Msg)
		return b.String()
	}
	var resolveErrs resolve.ErrorList
	if errors.As(err, &resolveErrs) {
		// Every undefined name is listed (a script is checked whole before
		// it runs), but a name used twice on one line only once.
		type lineMsg struct {
			line int32
			msg  string
		}
		seen := map[lineMsg]bool{}
		for _, re := range resolveErrs {
			k := lineMsg{re.Pos.Line, re.Msg}
			if seen[k] {
				continue
			}
			seen[k] = true
			fmt.Fprintf(&b, "  File \"%s\", line %d\n", re.Pos.Filename(), re.Pos.Line)
			quote(&b, re.Pos)
			fmt.Fprintf(&b, "%s\n", resolveMessage(re.Msg))
		}
		return b.String()
	}

	writeTraceback(&b, err, exceptionOf(err), quote, map[*py.Exception]bool{})
	return b.String()
}

// quoteFunc returns the function that writes the source line of a
// position of err's traceback, when err carries the script's source.
func quoteFunc(err error) func(b *strings.Builder, pos syntax.Position) {
	var se *sourceError
	errors.As(err, &se)
	return func(b *strings.Builder, pos syntax.Position) {
		if se != nil && pos.Filename() == se.filename && int(pos.Line) >= 1 && int(pos.Line) <= len(se.lines) {
			if text := strings.TrimSpace(se.lines[pos.Line-1]); text != "" {
				text, _ = quotedLine(text, int(pos.Col)-1)
				fmt.Fprintf(b, "    %s\n", text)
			}
		}
	}
}

// maxQuoted is the most characters of a source line a traceback quotes.
const maxQuoted = 200

// quotedLine is text as a traceback quotes it, and the column (from 0,
// in characters) of col in what it quotes: a line longer than maxQuoted
// characters is cut to those around col, with "..." where it was cut
// (CPython quotes the whole line, which can be megabytes long).
func quotedLine(text string, col int) (string, int) {
	if len(text) <= maxQuoted || utf8.RuneCountInString(text) <= maxQuoted {
		return text, col
	}
	runes := []rune(text)
	start := max(0, min(col-maxQuoted/2, len(runes)-maxQuoted))
	end := min(len(runes), start+maxQuoted)
	out := string(runes[start:end])
	if end < len(runes) {
		out += "..."
	}
	if start > 0 {
		return "..." + out, col - start + len("...")
	}
	return out, col
}

// writeTraceback writes the traceback of err, which carries exc (nil
// for an error of Starlark's), after those of the exceptions chained to
// exc as CPython writes them: its __cause__, else its __context__ unless
// suppressed, each with its own traceback when it was raised.
func writeTraceback(b *strings.Builder, err error, exc *py.Exception, quote func(*strings.Builder, syntax.Position), seen map[*py.Exception]bool) {
	if exc != nil {
		seen[exc] = true
		switch {
		case exc.DirectCause != nil && !seen[exc.DirectCause]:
			writeChained(b, exc.DirectCause, quote, seen)
			b.WriteString("\nThe above exception was the direct cause of the following exception:\n\n")
		case exc.Context != nil && !exc.SuppressContext && !seen[exc.Context]:
			writeChained(b, exc.Context, quote, seen)
			b.WriteString("\nDuring handling of the above exception, another exception occurred:\n\n")
		default:
			writeReasons(b, exc.Reason)
		}
	}
	b.WriteString("Traceback (most recent call last):\n")
	var raised *raisedAt
	if errors.As(err, &raised) {
		fmt.Fprintf(b, "  File \"%s\", line %d, in <module>\n", raised.pos.Filename(), raised.pos.Line)
		quote(b, raised.pos)
	}
	for _, fr := range tracebackFrames(err, exc) {
		fmt.Fprintf(b, "  File \"%s\", line %d, in %s\n", fr.Pos.Filename(), fr.Pos.Line, fr.Name)
		quote(b, fr.Pos)
	}
	if exc != nil {
		b.WriteString(exc.TracebackLine())
	} else {
		b.WriteString(starlarkErrorLine(err))
	}
	b.WriteByte('\n')
}

// writeChained writes an exception chained to the one a traceback is
// for: its traceback, or only its line when it was never raised.
func writeChained(b *strings.Builder, exc *py.Exception, quote func(*strings.Builder, syntax.Position), seen map[*py.Exception]bool) {
	if exc.Traceback == nil {
		seen[exc] = true
		b.WriteString(exc.TracebackLine())
		b.WriteByte('\n')
		return
	}
	writeTraceback(b, exc.Traceback, exc, quote, seen)
}

// tracebackFrames are the frames of the traceback of err, which carries
// exc: those it was raised through, from the frame that caught it when
// it is a chained exception's (caughtAt). An exception caught before and
// raised again by name (raise e, not a bare raise, which raises the
// error as it was) has the frames of this raise, then those of its
// traceback when it was caught, as in Python.
func tracebackFrames(err error, exc *py.Exception) []starlark.CallFrame {
	if se, ok := err.(*sourceError); ok {
		err = se.err // the traceback module's render of a caught exception
	}
	if c, ok := err.(*caughtAt); ok {
		return py.PythonFrames(caughtStack(c, exc))
	}
	var c *caughtAt
	if exc != nil {
		c, _ = exc.Traceback.(*caughtAt)
	}
	var now, then *starlark.EvalError
	if c == nil || !errors.As(err, &now) || !errors.As(c.err, &then) || now == then {
		return py.PythonFrames(callStack(err, exc))
	}
	return append(py.PythonFrames(now.CallStack), py.PythonFrames(caughtStack(c, exc))...)
}

// caughtStack is the stack of an exception caught as c, from the frame
// that caught it.
func caughtStack(c *caughtAt, exc *py.Exception) starlark.CallStack {
	stack := callStack(c.err, exc)
	if c.depth >= 0 && c.depth < len(stack) {
		stack = stack[c.depth:]
	}
	return stack
}

// callStack is the stack err was raised with: that of the Starlark error
// exc was made from when there is one (an error raised in a try's
// handler keeps its own this way), else err's.
func callStack(err error, exc *py.Exception) starlark.CallStack {
	var evalErr *starlark.EvalError
	if exc != nil {
		if cause, ok := exc.Cause.(*starlark.EvalError); ok {
			return cause.CallStack
		}
	}
	if errors.As(err, &evalErr) {
		return evalErr.CallStack
	}
	return nil
}

// writeReasons writes the reasons behind an exception (innermost first)
// as CPython writes the direct cause of `raise X from reason` when the
// cause has no traceback of its own.
func writeReasons(b *strings.Builder, reason *py.Exception) {
	if reason == nil {
		return
	}
	writeReasons(b, reason.Reason)
	b.WriteString(reason.TracebackLine())
	b.WriteString("\n\nThe above exception was the direct cause of the following exception:\n\n")
}

// exceptionOf finds the exception an error carries, including the
// cancellation of an interrupted execution.
func exceptionOf(err error) *py.Exception {
	var intr *interrupted
	if errors.As(err, &intr) {
		return intr.exc
	}
	return py.AsException(err)
}

// starlarkErrorLine is "Name: message" for an error Starlark raised.
func starlarkErrorLine(err error) string {
	var hinted *hintedError
	if errors.As(err, &hinted) {
		return hinted.line
	}
	msg := err.Error()
	var evalErr *starlark.EvalError
	if errors.As(err, &evalErr) {
		if cause := errors.Unwrap(evalErr); cause != nil {
			msg = cause.Error()
		}
		if m := missingArgs.FindStringSubmatch(msg); m != nil && len(evalErr.CallStack) > 0 {
			callee := evalErr.CallStack[len(evalErr.CallStack)-1] // the function called, not yet running
			if callee.Name == m[1] {
				name := m[1]
				if name == "lambda" {
					name = "<lambda>"
				}
				return "TypeError: " + py.MissingArgs(name+"()", m[2], py.RegisteredKwonly(callee.Pos.Filename(), m[1]))
			}
		}
	}
	return pythonError(msg)
}

// missingArgs is Starlark's message for a call of a def that lacks
// arguments: its name and the parameters, positional ones first.
var missingArgs = regexp.MustCompile(`^function (\S+) missing \d+ arguments? \((.+)\)$`)

// pythonError renders a message of Starlark's as CPython's message for
// the same error, "Name: message": the first rule of starlarkErrors that
// matches and does not decline (by returning "").
func pythonError(msg string) string {
	for _, e := range starlarkErrors {
		if m := e.re.FindStringSubmatch(msg); m != nil {
			if py := e.py(m); py != "" {
				return py
			}
		}
	}
	return pythonErrorName(msg) + ": " + msg
}

// pyType is the Python name of a Starlark type name.
func pyType(t string) string {
	if t == "string" {
		return "str"
	}
	return t
}

// pyLiteral renders a value that Starlark printed (a dict key) as Python
// prints it; what is not a literal stays as it is.
func pyLiteral(text string) string {
	e, err := frontend.FileOptions.ParseExpr("", text, 0)
	if err != nil {
		return text
	}
	var render func(e syntax.Expr) (string, bool)
	render = func(e syntax.Expr) (string, bool) {
		switch e := e.(type) {
		case *syntax.Literal:
			switch v := e.Value.(type) {
			case string:
				if e.Token == syntax.BYTES {
					return py.QuoteBytes(v), true
				}
				return py.QuoteString(v), true
			case float64:
				return py.FloatRepr(v), true
			}
			return e.Raw, true
		case *syntax.Ident:
			return e.Name, e.Name == "None" || e.Name == "True" || e.Name == "False"
		case *syntax.UnaryExpr:
			x, ok := render(e.X)
			return "-" + x, ok && e.Op == syntax.MINUS
		case *syntax.ParenExpr:
			if t, ok := e.X.(*syntax.TupleExpr); ok {
				return render(t)
			}
			return render(e.X)
		case *syntax.TupleExpr:
			var elems []string
			for _, x := range e.List {
				s, ok := render(x)
				if !ok {
					return "", false
				}
				elems = append(elems, s)
			}
			if len(elems) == 1 {
				return "(" + elems[0] + ",)", true
			}
			return "(" + strings.Join(elems, ", ") + ")", true
		}
		return "", false
	}
	if s, ok := render(e); ok {
		return s
	}
	return text
}

func plural(n, word string) string {
	if n == "1" {
		return n + " " + word
	}
	return n + " " + word + "s"
}

// quotedList renders names as CPython lists missing arguments:
// 'a', 'a' and 'b', 'a', 'b', and 'c'.
func quotedList(names []string) string {
	for i, n := range names {
		names[i] = "'" + strings.TrimSpace(n) + "'"
	}
	return py.JoinNames(names)
}

var starlarkErrors = []struct {
	re *regexp.Regexp
	py func(m []string) string
}{
	{regexp.MustCompile(`^key (.+) not in dict$`), func(m []string) string {
		return "KeyError: " + pyLiteral(m[1])
	}},
	{regexp.MustCompile(`^(?:(list|tuple|string|bytes|range) index -?\d+ out of range|index -?\d+ out of range: empty (list|tuple|string|bytes|range)$)`), func(m []string) string {
		switch t := m[1] + m[2]; t {
		case "bytes":
			return "IndexError: index out of range"
		case "range":
			return "IndexError: range object index out of range"
		default:
			return "IndexError: " + t + " index out of range"
		}
	}},
	{regexp.MustCompile(`^(\S+) index -?\d+ out of range \[-?\d+:-?\d+\]$`), func(m []string) string {
		if !py.IsNamedTuple(m[1]) {
			return ""
		}
		return "IndexError: tuple index out of range"
	}},
	{regexp.MustCompile(`^(\S+) index: got (\S+), want int$`), func(m []string) string {
		t := m[1]
		if py.IsNamedTuple(t) {
			t = "tuple"
		} else if t == "bytes" {
			t = "byte"
		} else if t != "list" && t != "tuple" && t != "bytearray" {
			return ""
		}
		return fmt.Sprintf("TypeError: %s indices must be integers or slices, not %s", t, pyType(m[2]))
	}},
	{regexp.MustCompile(`^floating-point division by zero$`), func([]string) string { return "ZeroDivisionError: division by zero" }},
	{regexp.MustCompile(`^floored division by zero$`), func([]string) string { return "ZeroDivisionError: integer division or modulo by zero" }},
	{regexp.MustCompile(`^integer modulo by zero$`), func([]string) string { return "ZeroDivisionError: integer modulo by zero" }},
	{regexp.MustCompile(`^floating-point modulo by zero$`), func([]string) string { return "ZeroDivisionError: float modulo by zero" }},
	{regexp.MustCompile(`^(?:getattr: )?(\S+) has no \.(\w+) field or method(?: \(did you mean \.(\w+)\?\))?$`), func(m []string) string {
		s := fmt.Sprintf("AttributeError: '%s' object has no attribute '%s'", pyType(m[1]), m[2])
		if m[3] != "" {
			s += fmt.Sprintf(". Did you mean: '%s'?", m[3])
		}
		return s
	}},
	{regexp.MustCompile(`^local variable (\w+) referenced before assignment$`), func(m []string) string {
		return fmt.Sprintf("UnboundLocalError: cannot access local variable '%s' where it is not associated with a value", m[1])
	}},
	{regexp.MustCompile(`^global variable (\w+) referenced before assignment$`), func(m []string) string {
		return fmt.Sprintf("NameError: name '%s' is not defined", m[1])
	}},
	{regexp.MustCompile(`^internal error: predeclared variable (\w+) is uninitialized$`), func(m []string) string {
		return fmt.Sprintf("NameError: name '%s' is not defined", m[1]) // see compileScript
	}},
	{regexp.MustCompile(`^unknown binary op: (\S+) (not in|in) (\S+)$`), func(m []string) string {
		if m[3] == "string" {
			return fmt.Sprintf("TypeError: 'in <string>' requires string as left operand, not %s", pyType(m[1]))
		}
		return fmt.Sprintf("TypeError: argument of type '%s' is not iterable", pyType(m[3]))
	}},
	{regexp.MustCompile(`^unknown binary op: (string|list|tuple|bytes) \+ (\S+)$`), func(m []string) string {
		return fmt.Sprintf("TypeError: can only concatenate %s (not \"%s\") to %s", pyType(m[1]), pyType(m[2]), pyType(m[1]))
	}},
	{regexp.MustCompile(`^unknown binary op: (\S+) (\S+) (\S+)$`), func(m []string) string {
		return fmt.Sprintf("TypeError: unsupported operand type(s) for %s: '%s' and '%s'", m[2], pyType(m[1]), pyType(m[3]))
	}},
	{regexp.MustCompile(`^unknown unary op: (\S+) (\S+)$`), func(m []string) string {
		return fmt.Sprintf("TypeError: bad operand type for unary %s: '%s'", m[1], pyType(m[2]))
	}},
	{regexp.MustCompile(`^(\S+) (<|<=|>|>=) (\S+) not implemented$`), func(m []string) string {
		return fmt.Sprintf("TypeError: '%s' not supported between instances of '%s' and '%s'", m[2], pyType(m[1]), pyType(m[3]))
	}},
	{regexp.MustCompile(`^invalid call of non-function \((\S+)\)$`), func(m []string) string {
		return fmt.Sprintf("TypeError: '%s' object is not callable", pyType(m[1]))
	}},
	{regexp.MustCompile(`^unhashable(?: type)?: (\S+)$`), func(m []string) string {
		return fmt.Sprintf("TypeError: unhashable type: '%s'", pyType(m[1]))
	}},
	{regexp.MustCompile(`^function (\S+) missing (\d+) arguments? \((.+)\)$`), func(m []string) string {
		return fmt.Sprintf("TypeError: %s() missing %s: %s", m[1], plural(m[2], "required positional argument"), quotedList(strings.Split(m[3], ",")))
	}},
	{regexp.MustCompile(`^function (\S+) got an unexpected keyword argument "?(\w+)"?$`), func(m []string) string {
		return fmt.Sprintf("TypeError: %s() got an unexpected keyword argument '%s'", m[1], m[2])
	}},
	{regexp.MustCompile(`^function (\S+) got multiple values for parameter "?(\w+)"?$`), func(m []string) string {
		return fmt.Sprintf("TypeError: %s() got multiple values for argument '%s'", m[1], m[2])
	}},
	{regexp.MustCompile(`^function (\S+) accepts no arguments \((\d+) given\)$`), func(m []string) string {
		return fmt.Sprintf("TypeError: %s() takes 0 positional arguments but %s given", m[1], wereGiven(m[2]))
	}},
	{regexp.MustCompile(`^function (\S+) accepts (at most )?(\d+) positional arguments? \((\d+) given\)$`), func(m []string) string {
		return fmt.Sprintf("TypeError: %s() takes %s%s but %s given", m[1], m[2], plural(m[3], "positional argument"), wereGiven(m[4]))
	}},
	{regexp.MustCompile(`^(?:\w+: )?(\S+) value is not iterable$`), func(m []string) string {
		return fmt.Sprintf("TypeError: '%s' object is not iterable", pyType(m[1]))
	}},
	{regexp.MustCompile(`^(\S+) value does not support item assignment$`), func(m []string) string {
		return fmt.Sprintf("TypeError: '%s' object does not support item assignment", pyType(m[1]))
	}},
	{regexp.MustCompile(`^too many values to unpack \(got \d+, want (\d+)\)$`), func(m []string) string {
		return fmt.Sprintf("ValueError: too many values to unpack (expected %s)", m[1])
	}},
	{regexp.MustCompile(`^too few values to unpack \(got (\d+), want (\d+)\)$`), func(m []string) string {
		return fmt.Sprintf("ValueError: not enough values to unpack (expected %s, got %s)", m[2], m[1])
	}},
	{regexp.MustCompile(`^unhandled index operation (\S+)\[\S+\]$`), func(m []string) string {
		return fmt.Sprintf("TypeError: '%s' object is not subscriptable", pyType(m[1]))
	}},
	{regexp.MustCompile(`^len: value of type (\S+) has no len$`), func(m []string) string {
		return fmt.Sprintf("TypeError: object of type '%s' has no len()", pyType(m[1]))
	}},
	{regexp.MustCompile(`^int: invalid literal with base (\d+): (.*)$`), func(m []string) string {
		return fmt.Sprintf("ValueError: invalid literal for int() with base %s: %s", m[1], py.QuoteString(m[2]))
	}},
	{regexp.MustCompile(`^invalid float literal: (.*)$`), func(m []string) string {
		return "ValueError: could not convert string to float: " + py.QuoteString(m[1])
	}},
	{regexp.MustCompile(`^index: value not in list$`), func([]string) string { return "ValueError: list.index(x): x not in list" }},
	{regexp.MustCompile(`^r?index: substring not found$`), func([]string) string { return "ValueError: substring not found" }},
	{regexp.MustCompile(`^zero is not a valid slice step$`), func([]string) string { return "ValueError: slice step cannot be zero" }},
	{regexp.MustCompile(`^cannot .+ (hash table|list) during iteration$`), func(m []string) string {
		if m[1] == "list" {
			return "RuntimeError: list changed size during iteration"
		}
		return "RuntimeError: dictionary changed size during iteration"
	}},
	{regexp.MustCompile(`^popitem: empty dict$`), func([]string) string { return "KeyError: 'popitem(): dictionary is empty'" }},
	{regexp.MustCompile(`^pop: empty set$`), func([]string) string { return "KeyError: 'pop from an empty set'" }},
	{regexp.MustCompile(`^range: step argument must not be zero$`), func([]string) string { return "ValueError: range() arg 3 must not be zero" }},
	{regexp.MustCompile(`^int too large to convert to float$`), func([]string) string { return "OverflowError: int too large to convert to float" }},
	{regexp.MustCompile(`^fail: (.*)$`), func(m []string) string { return "Exception: " + m[1] }},
}

func wereGiven(n string) string {
	if n == "1" {
		return "1 was"
	}
	return n + " were"
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

var undefinedRE = regexp.MustCompile(`^undefined: (\S+)(?: \(did you mean (\S+)\?\))?$`)

// resolveMessage renders an error of Starlark's resolver as CPython's:
// undefined names are NameErrors, the rest SyntaxErrors.
func resolveMessage(msg string) string {
	if s, ok := nameErrorMessage(msg); ok {
		return "NameError: " + s
	}
	return "SyntaxError: " + msg
}

// nameErrorMessage is CPython's NameError message for a resolver error
// that reports an undefined name, and whether msg is one.
func nameErrorMessage(msg string) (string, bool) {
	m := undefinedRE.FindStringSubmatch(msg)
	if m == nil {
		return "", false
	}
	s := fmt.Sprintf("name '%s' is not defined", m[1])
	if m[2] != "" {
		s += fmt.Sprintf(". Did you mean: '%s'?", m[2])
	}
	return s, true
}

// raisedAt is an exception raised by the top-level statement at pos, with
// no call below it.
type raisedAt struct {
	exc *py.Exception
	pos syntax.Position
}

func (e *raisedAt) Error() string { return e.exc.Error() }
func (e *raisedAt) Unwrap() error { return e.exc }
