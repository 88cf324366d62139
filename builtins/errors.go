package builtins

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// ExceptionClass is a Python exception class: a named node in the class
// hierarchy that scripts can call (KafkaTimeoutError('x')), compare, and
// test with isinstance. Its Python module decides how str() renders its
// instances: kafka.errors classes render as "Name: message" (and broker
// errors as "[Error N] Name: message"), builtin ones as the bare message.
type ExceptionClass struct {
	ClassName string
	Module    string // "builtins", "kafka.errors", "json", ...
	Base      *ExceptionClass
	Errno     int  // broker error code; meaningful when Broker is set
	Broker    bool // a kafka.errors.BrokerResponseError subclass
	Retriable bool
	// InvalidMetadata marks errors after which kafka-python refreshes metadata.
	InvalidMetadata bool
	// Message is the protocol name of a broker error (e.g. MESSAGE_TOO_LARGE).
	Message string
	// LeadingArg, when set, is the argument the class's __init__ puts
	// before the caller's (kafka-python's CommitFailedError explains
	// itself first).
	LeadingArg string
}

var (
	_ starlark.Callable   = (*ExceptionClass)(nil)
	_ starlark.HasAttrs   = (*ExceptionClass)(nil)
	_ starlark.Value      = (*Exception)(nil)
	_ starlark.HasAttrs   = (*Exception)(nil)
	_ starlark.Comparable = (*Exception)(nil)
)

func (c *ExceptionClass) String() string {
	if c.Module == "builtins" {
		return fmt.Sprintf("<class '%s'>", c.ClassName)
	}
	return fmt.Sprintf("<class '%s.%s'>", c.Module, c.ClassName)
}

// Name is the class name, as Python's __name__.
func (c *ExceptionClass) Name() string         { return c.ClassName }
func (c *ExceptionClass) Type() string         { return "type" }
func (c *ExceptionClass) Freeze()              {}
func (c *ExceptionClass) Truth() starlark.Bool { return true }
func (c *ExceptionClass) Hash() (uint32, error) {
	return starlark.String(c.Module + "." + c.ClassName).Hash()
}

// CallInternal makes a new instance: KafkaTimeoutError('msg').
func (c *ExceptionClass) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, NewException(TypeError, fmt.Sprintf("%s() takes no keyword arguments", c.ClassName))
	}
	if c.LeadingArg != "" {
		args = append(starlark.Tuple{starlark.String(c.LeadingArg)}, args...)
	}
	e := &Exception{Class: c, Args: args}
	if len(args) == 1 {
		e.Msg = Str(args[0])
	} else if len(args) > 1 {
		e.Msg = Repr(args)
	}
	return e, nil
}

// Attr exposes __name__, __qualname__, __module__, errno, message,
// retriable and invalid_metadata.
func (c *ExceptionClass) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__", "__qualname__":
		return starlark.String(c.ClassName), nil
	case "__module__":
		return starlark.String(c.Module), nil
	case "retriable":
		return starlark.Bool(c.Retriable), nil
	case "invalid_metadata":
		return starlark.Bool(c.InvalidMetadata), nil
	case "errno":
		if c.Broker {
			return starlark.MakeInt(c.Errno), nil
		}
	case "message":
		if c.Broker {
			return starlark.String(c.Message), nil
		}
	}
	return nil, nil
}

func (c *ExceptionClass) AttrNames() []string {
	names := []string{"__module__", "__name__", "__qualname__", "invalid_metadata", "retriable"}
	if c.Broker {
		names = append(names, "errno", "message")
	}
	sort.Strings(names)
	return names
}

// IsSubclass reports whether c is base or derives from it.
func (c *ExceptionClass) IsSubclass(base *ExceptionClass) bool {
	for k := c; k != nil; k = k.Base {
		if k == base {
			return true
		}
	}
	return false
}

// Exception is an instance of an ExceptionClass. It is both a Starlark
// value (errbacks receive it, scripts print it) and a Go error (builtins
// return it; the traceback printer shows "Name: message").
type Exception struct {
	Class *ExceptionClass
	Msg   string
	Args  starlark.Tuple
	// Cause is the Go error this exception was made from, if any.
	Cause error
	// Reason, when set, says why the exception happened where the
	// kafka-python exception it mirrors says nothing (NoBrokersAvailable()
	// has no args). It stays out of args, str() and repr(); a traceback
	// shows it first, as CPython shows the cause in `raise X from reason`.
	Reason *Exception
}

// NewException returns an exception of class c with message msg.
func NewException(c *ExceptionClass, msg string) *Exception {
	e := &Exception{Class: c, Msg: msg}
	if msg != "" {
		e.Args = starlark.Tuple{starlark.String(msg)}
	}
	return e
}

// Errorf returns an exception of class c with a formatted message.
func Errorf(c *ExceptionClass, format string, args ...any) *Exception {
	return NewException(c, fmt.Sprintf(format, args...))
}

// Error is the Go error text: "Name: message", or "Name" alone, then
// " (caused by REASON)" for an exception with a Reason. A traceback ends
// with TracebackLine instead.
func (e *Exception) Error() string {
	s := e.Class.ClassName
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Reason != nil {
		s += " (caused by " + e.Reason.Error() + ")"
	}
	return s
}

// QualifiedName is the class name as CPython's traceback names it:
// prefixed with its module unless the class is a builtin.
func (c *ExceptionClass) QualifiedName() string {
	if c.Module == "builtins" {
		return c.ClassName
	}
	return c.Module + "." + c.ClassName
}

// TracebackLine is the last line CPython prints for the exception left
// uncaught: the qualified class name, then ": " and str(e) unless str(e)
// is empty (kafka.errors.KafkaTimeoutError: KafkaTimeoutError: x,
// ValueError: x, ValueError).
func (e *Exception) TracebackLine() string {
	if s := e.String(); s != "" {
		return e.Class.QualifiedName() + ": " + s
	}
	return e.Class.QualifiedName()
}

func (e *Exception) Unwrap() error { return e.Cause }

// String is Python's str(e): kafka.errors classes prefix their name
// (broker errors also "[Error N] "), builtin exceptions show the message.
func (e *Exception) String() string {
	switch {
	case e.Class.IsSubclass(BrokerResponseError):
		errno := "None" // BrokerResponseError itself has no code
		if e.Class.Broker {
			errno = fmt.Sprint(e.Class.Errno)
		}
		return fmt.Sprintf("[Error %s] %s", errno, e.kafkaErrorString())
	case e.Class.Module == "kafka.errors":
		return e.kafkaErrorString()
	case e.Class == KeyError && len(e.Args) == 1:
		return Repr(e.Args[0])
	default:
		return e.Msg
	}
}

// kafkaErrorString is kafka.errors.KafkaError.__str__: the class name
// alone without args, else "Name: " and the builtin str() (which is empty
// for KafkaError("")).
func (e *Exception) kafkaErrorString() string {
	if len(e.Args) == 0 {
		return e.Class.ClassName
	}
	return e.Class.ClassName + ": " + e.Msg
}

// PyRepr is Python's repr(e): KafkaTimeoutError('msg').
func (e *Exception) PyRepr() string {
	if len(e.Args) == 1 {
		return e.Class.ClassName + "(" + Repr(e.Args[0]) + ")"
	}
	return e.Class.ClassName + Repr(e.Args)
}

func (e *Exception) Type() string         { return e.Class.ClassName }
func (e *Exception) Freeze()              {}
func (e *Exception) Truth() starlark.Bool { return true }
func (e *Exception) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: %s", e.Class.ClassName)
}

func (e *Exception) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return compareIdentity(op, e, y)
}

// Attr exposes args, the class attributes, and __class__.
func (e *Exception) Attr(name string) (starlark.Value, error) {
	switch name {
	case "args":
		return e.Args, nil
	case "__class__":
		return e.Class, nil
	}
	return e.Class.Attr(name)
}

func (e *Exception) AttrNames() []string {
	return append([]string{"__class__", "args"}, e.Class.AttrNames()...)
}

// AsException finds the exception inside err (through starlark.EvalError
// and other wrappers), or nil when err carries none.
func AsException(err error) *Exception {
	var e *Exception
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// exceptionClasses indexes every class by name for the kafka.errors
// module and for isinstance.
var exceptionClasses = map[string]*ExceptionClass{}

func class(name, module string, base *ExceptionClass) *ExceptionClass {
	c := &ExceptionClass{ClassName: name, Module: module, Base: base}
	if base != nil {
		c.Retriable = base.Retriable
		c.InvalidMetadata = base.InvalidMetadata
	}
	exceptionClasses[name] = c
	return c
}

func retriable(c *ExceptionClass) *ExceptionClass { c.Retriable = true; return c }
func invalidMetadata(c *ExceptionClass) *ExceptionClass {
	c.Retriable, c.InvalidMetadata = true, true
	return c
}

// Python's builtin exceptions that kstar raises.
var (
	BaseException       = class("BaseException", "builtins", nil)
	KeyboardInterrupt   = class("KeyboardInterrupt", "builtins", BaseException)
	SystemExitClass     = class("SystemExit", "builtins", BaseException)
	PyException         = class("Exception", "builtins", BaseException)
	ValueError          = class("ValueError", "builtins", PyException)
	TypeError           = class("TypeError", "builtins", PyException)
	KeyError            = class("KeyError", "builtins", LookupError)
	IndexError          = class("IndexError", "builtins", LookupError)
	AttributeError      = class("AttributeError", "builtins", PyException)
	NameError           = class("NameError", "builtins", PyException)
	ZeroDivisionError   = class("ZeroDivisionError", "builtins", PyException)
	RuntimeError        = class("RuntimeError", "builtins", PyException)
	NotImplementedError = class("NotImplementedError", "builtins", RuntimeError)
	AssertionError      = class("AssertionError", "builtins", PyException)
	StopIteration       = class("StopIteration", "builtins", PyException)
	ImportError         = class("ImportError", "builtins", PyException)
	ModuleNotFoundError = class("ModuleNotFoundError", "builtins", ImportError)
	UnicodeError        = class("UnicodeError", "builtins", ValueError)
	UnicodeEncodeError  = class("UnicodeEncodeError", "builtins", UnicodeError)
	UnicodeDecodeError  = class("UnicodeDecodeError", "builtins", UnicodeError)
	LookupError         = class("LookupError", "builtins", PyException)
	OSError             = class("OSError", "builtins", PyException)
	TimeoutError        = class("TimeoutError", "builtins", OSError)
	OverflowError       = class("OverflowError", "builtins", PyException)
	RecursionError      = class("RecursionError", "builtins", RuntimeError)
	SyntaxError         = class("SyntaxError", "builtins", PyException)
	EOFError            = class("EOFError", "builtins", PyException)
	MemoryError         = class("MemoryError", "builtins", PyException)
	SystemError         = class("SystemError", "builtins", PyException)
	// CancelledError reports an execution stopped by its host's context.
	CancelledError = class("CancelledError", "builtins", BaseException)
)

// Python's builtin exception classes are globals, for except clauses and
// raise.
func init() {
	for name, c := range exceptionClasses {
		if c.Module == "builtins" && c != CancelledError {
			registerGlobal(name, c)
		}
	}
}

// SystemExit is returned by sys.exit; the runtime turns it into the
// process exit code instead of a traceback.
type SystemExit struct{ Code int }

func (e *SystemExit) Error() string { return fmt.Sprintf("SystemExit: %d", e.Code) }

// compareIdentity implements == and != by identity, for types that
// Python compares by identity.
func compareIdentity(op syntax.Token, x, y starlark.Value) (bool, error) {
	switch op {
	case syntax.EQL:
		return x == y, nil
	case syntax.NEQ:
		return x != y, nil
	}
	return false, fmt.Errorf("%s %s %s not supported", x.Type(), op, y.Type())
}

// ExceptionClassNames lists every exception class name, sorted.
func ExceptionClassNames() []string {
	names := make([]string, 0, len(exceptionClasses))
	for n := range exceptionClasses {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupExceptionClass returns the class with the given name, or nil.
func LookupExceptionClass(name string) *ExceptionClass {
	return exceptionClasses[strings.TrimSpace(name)]
}
