package py

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
// test with isinstance. Python's own classes render their instances' str()
// as the bare message; a module whose classes behave otherwise (kafka.errors:
// "Name: message", "[Error N] Name: message", errno, retriable) says so
// through Ext.
type ExceptionClass struct {
	ClassName string
	Module    string // "builtins", "kafka.errors", "json", ...
	Base      *ExceptionClass
	// LeadingArg, when set, is the argument the class's __init__ puts
	// before the caller's (kafka-python's CommitFailedError explains
	// itself first).
	LeadingArg string
	// Ext is what the class's module adds to it; nil for Python's own
	// classes. A class without one uses its nearest base's.
	Ext ClassExt
	// User is the script's class when a class statement made this one
	// (class MyError(KafkaError): ...): its methods and attributes.
	User *Class
}

// ClassExt is what a module adds to its exception classes (kafka.errors:
// errno, message, retriable, invalid_metadata, and its str() rules).
type ClassExt interface {
	// Attr answers a class attribute beyond __name__ and __module__.
	Attr(c *ExceptionClass, name string) (starlark.Value, bool)
	// AttrNames lists the names Attr answers.
	AttrNames(c *ExceptionClass) []string
	// Str is str(e); ok is false to use Python's rule (the message).
	Str(e *Exception) (s string, ok bool)
}

// ExceptionMaker is a ClassExt whose class makes its instances itself,
// as a class whose __init__ computes the message and sets attributes
// (re.error(msg, pattern=None, pos=None)). It applies to the class whose
// Ext it is, not to classes derived from it.
type ExceptionMaker interface {
	ClassExt
	Make(c *ExceptionClass, args starlark.Tuple, kwargs []starlark.Tuple) (*Exception, error)
}

// NewExceptionClass returns a class named name in module, derived from
// base (nil for a root). It registers nothing: a module lists its classes
// in its own table.
func NewExceptionClass(name, module string, base *ExceptionClass) *ExceptionClass {
	return &ExceptionClass{ClassName: name, Module: module, Base: base}
}

// ext is the class's Ext, or its nearest base's.
func (c *ExceptionClass) ext() ClassExt {
	for k := c; k != nil; k = k.Base {
		if k.Ext != nil {
			return k.Ext
		}
	}
	return nil
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
	if c.User != nil {
		return c.User.CallInternal(thread, args, kwargs)
	}
	if maker, ok := c.Ext.(ExceptionMaker); ok {
		return maker.Make(c, args, kwargs)
	}
	if len(kwargs) > 0 {
		return nil, NewException(TypeError, fmt.Sprintf("%s() takes no keyword arguments", c.ClassName))
	}
	if c.LeadingArg != "" {
		args = append(starlark.Tuple{starlark.String(c.LeadingArg)}, args...)
	}
	e := &Exception{Class: c}
	e.setArgs(args)
	return e, nil
}

// setArgs sets e.args and the message made of them, as
// BaseException.__init__ does.
func (e *Exception) setArgs(args starlark.Tuple) {
	e.Args = args
	switch len(args) {
	case 0:
		e.Msg = ""
	case 1:
		e.Msg = Str(args[0])
	default:
		e.Msg = Repr(args)
	}
}

// Attr exposes __name__, __qualname__, __module__, then what the class's
// Ext adds (kafka.errors: errno, message, retriable, invalid_metadata).
func (c *ExceptionClass) Attr(name string) (starlark.Value, error) {
	if c.User != nil {
		return c.User.Attr(name)
	}
	switch name {
	case "__init__":
		return nativeClass(c).dict["__init__"], nil
	case "__mro__", "__bases__", "__base__":
		return nativeClass(c).Attr(name)
	case "__name__", "__qualname__":
		return starlark.String(c.ClassName), nil
	case "__module__":
		return starlark.String(c.Module), nil
	}
	if x := c.ext(); x != nil {
		v, _ := x.Attr(c, name)
		return v, nil
	}
	switch name {
	case "retriable", "invalid_metadata":
		// kafka-python compatibility kept by #15 (Python's classes
		// answered kafka.errors' attributes when one table held both);
		// drop in its own commit.
		return starlark.False, nil
	}
	return nil, nil
}

func (c *ExceptionClass) AttrNames() []string {
	if c.User != nil {
		return c.User.AttrNames()
	}
	names := []string{"__module__", "__name__", "__qualname__"}
	if x := c.ext(); x != nil {
		names = append(names, x.AttrNames(c)...)
	} else {
		names = append(names, "invalid_metadata", "retriable")
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
		if k.User != nil && len(k.User.bases) > 1 { // class E(ValueError, KafkaError)
			return k.User.IsSubclass(AsClass(base))
		}
	}
	return false
}

// SetField sets an attribute of a script's exception class.
func (c *ExceptionClass) SetField(name string, v starlark.Value) error {
	if c.User == nil {
		return Errorf(TypeError, "cannot set '%s' attribute of immutable type '%s'", name, c.ClassName)
	}
	return c.User.SetField(name, v)
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
	// Context is __context__: the exception being handled when this one
	// was raised. DirectCause is __cause__, set with SuppressContext
	// (__suppress_context__) by raise ... from.
	Context, DirectCause *Exception
	SuppressContext      bool
	// Traceback is the error this exception was last caught in: its call
	// stack is the exception's traceback.
	Traceback error
	// Obj holds the attributes set on the exception (self.code = code),
	// and for an instance of a script's class, that class.
	Obj *Object
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
// prefixed with its module unless the class is a builtin or the script's
// own (__main__).
func (c *ExceptionClass) QualifiedName() string {
	if c.Module == "builtins" || c.Module == "__main__" {
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

// String is Python's str(e): what the class's Ext says (kafka.errors
// classes prefix their name), else the message (a KeyError's key repr).
func (e *Exception) String() string {
	if e.Obj != nil {
		if m := e.Obj.class.scriptMethod("__str__"); m != nil {
			if s, err := e.Obj.callString(nil, "__str__", m); err == nil {
				return s
			}
		}
	}
	if x := e.Class.ext(); x != nil {
		if s, ok := x.Str(e); ok {
			return s
		}
	}
	if e.Class == KeyError && len(e.Args) == 1 {
		return Repr(e.Args[0])
	}
	return e.Msg
}

// PyRepr is Python's repr(e): KafkaTimeoutError('msg').
func (e *Exception) PyRepr() string {
	if e.Obj != nil {
		return reprOf(e)
	}
	return e.nativeRepr()
}

// nativeRepr is BaseException.__repr__.
func (e *Exception) nativeRepr() string {
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
	if e.Obj != nil && e.Obj.class.Scripted() { // the script class's __eq__, __lt__...
		return e.Obj.CompareSameType(op, y, depth)
	}
	return CompareIdentity(op, e, y)
}

// Attr exposes args, the class attributes, and __class__.
func (e *Exception) Attr(name string) (starlark.Value, error) {
	if e.Obj != nil {
		return e.Obj.getAttr(nil, name)
	}
	return e.nativeAttr(name)
}

// SetField sets an attribute of the exception (e.code = 3).
func (e *Exception) SetField(name string, v starlark.Value) error {
	if e.Obj == nil {
		e.Obj = &Object{class: nativeClass(e.Class), attrs: map[string]starlark.Value{}, face: e}
	}
	if name == "args" {
		t, err := tupleOf(v)
		if err != nil {
			return err
		}
		e.setArgs(t)
		return nil
	}
	return e.Obj.SetField(name, v)
}

func tupleOf(v starlark.Value) (starlark.Tuple, error) {
	switch v := v.(type) {
	case starlark.Tuple:
		return v, nil
	}
	return nil, Errorf(TypeError, "args must be a tuple, not %s", TypeName(v))
}

// nativeAttr is BaseException's attribute: args, the class attributes,
// and __class__.
func (e *Exception) nativeAttr(name string) (starlark.Value, error) {
	switch name {
	case "args":
		return e.Args, nil
	case "__class__":
		return e.Class, nil
	case "value":
		if e.Class == StopIteration { // a generator's return value
			if len(e.Args) > 0 {
				return e.Args[0], nil
			}
			return starlark.None, nil
		}
	case "__context__":
		return noneIfNil(e.Context), nil
	case "__cause__":
		return noneIfNil(e.DirectCause), nil
	case "__suppress_context__":
		return starlark.Bool(e.SuppressContext), nil
	case "code":
		if e.Class.IsSubclass(SystemExitClass) {
			switch len(e.Args) {
			case 0:
				return starlark.None, nil
			case 1:
				return e.Args[0], nil
			}
			return e.Args, nil
		}
	}
	return e.Class.Attr(name)
}

func noneIfNil(e *Exception) starlark.Value {
	if e == nil {
		return starlark.None
	}
	return e
}

func (e *Exception) AttrNames() []string {
	names := []string{"__cause__", "__context__", "__suppress_context__", "args"}
	if e.Class.IsSubclass(SystemExitClass) {
		names = append(names, "code")
	}
	if e.Obj != nil {
		return append(names, e.Obj.AttrNames()...)
	}
	return append(append(names, "__class__"), e.Class.AttrNames()...)
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

// Python's builtin exceptions that kstar raises.
var (
	BaseException       = NewExceptionClass("BaseException", "builtins", nil)
	KeyboardInterrupt   = NewExceptionClass("KeyboardInterrupt", "builtins", BaseException)
	SystemExitClass     = NewExceptionClass("SystemExit", "builtins", BaseException)
	PyException         = NewExceptionClass("Exception", "builtins", BaseException)
	ValueError          = NewExceptionClass("ValueError", "builtins", PyException)
	TypeError           = NewExceptionClass("TypeError", "builtins", PyException)
	KeyError            = NewExceptionClass("KeyError", "builtins", LookupError)
	IndexError          = NewExceptionClass("IndexError", "builtins", LookupError)
	AttributeError      = NewExceptionClass("AttributeError", "builtins", PyException)
	NameError           = NewExceptionClass("NameError", "builtins", PyException)
	UnboundLocalError   = NewExceptionClass("UnboundLocalError", "builtins", NameError)
	ZeroDivisionError   = NewExceptionClass("ZeroDivisionError", "builtins", PyException)
	RuntimeError        = NewExceptionClass("RuntimeError", "builtins", PyException)
	NotImplementedError = NewExceptionClass("NotImplementedError", "builtins", RuntimeError)
	AssertionError      = NewExceptionClass("AssertionError", "builtins", PyException)
	StopIteration       = NewExceptionClass("StopIteration", "builtins", PyException)
	ImportError         = NewExceptionClass("ImportError", "builtins", PyException)
	ModuleNotFoundError = NewExceptionClass("ModuleNotFoundError", "builtins", ImportError)
	UnicodeError        = NewExceptionClass("UnicodeError", "builtins", ValueError)
	UnicodeEncodeError  = NewExceptionClass("UnicodeEncodeError", "builtins", UnicodeError)
	UnicodeDecodeError  = NewExceptionClass("UnicodeDecodeError", "builtins", UnicodeError)
	LookupError         = NewExceptionClass("LookupError", "builtins", PyException)
	OSError             = NewExceptionClass("OSError", "builtins", PyException)
	TimeoutError        = NewExceptionClass("TimeoutError", "builtins", OSError)
	OverflowError       = NewExceptionClass("OverflowError", "builtins", PyException)
	RecursionError      = NewExceptionClass("RecursionError", "builtins", RuntimeError)
	SyntaxError         = NewExceptionClass("SyntaxError", "builtins", PyException)
	// PermissionError: the host refused a script access to a file
	// (KafkaEnv.ReadFile).
	PermissionError = NewExceptionClass("PermissionError", "builtins", OSError)
	EOFError        = NewExceptionClass("EOFError", "builtins", PyException)
	MemoryError     = NewExceptionClass("MemoryError", "builtins", PyException)
	SystemError     = NewExceptionClass("SystemError", "builtins", PyException)
	// CancelledError reports an execution stopped by its host's context.
	CancelledError = NewExceptionClass("CancelledError", "builtins", BaseException)
)

// Python's warning categories (the warnings module's).
var (
	Warning                   = NewExceptionClass("Warning", "builtins", PyException)
	UserWarning               = NewExceptionClass("UserWarning", "builtins", Warning)
	DeprecationWarning        = NewExceptionClass("DeprecationWarning", "builtins", Warning)
	PendingDeprecationWarning = NewExceptionClass("PendingDeprecationWarning", "builtins", Warning)
	SyntaxWarning             = NewExceptionClass("SyntaxWarning", "builtins", Warning)
	RuntimeWarning            = NewExceptionClass("RuntimeWarning", "builtins", Warning)
	FutureWarning             = NewExceptionClass("FutureWarning", "builtins", Warning)
	ImportWarning             = NewExceptionClass("ImportWarning", "builtins", Warning)
	UnicodeWarning            = NewExceptionClass("UnicodeWarning", "builtins", Warning)
	BytesWarning              = NewExceptionClass("BytesWarning", "builtins", Warning)
	ResourceWarning           = NewExceptionClass("ResourceWarning", "builtins", Warning)
	EncodingWarning           = NewExceptionClass("EncodingWarning", "builtins", Warning)
)

// builtinClasses are Python's exception classes that kstar has.
var builtinClasses = []*ExceptionClass{
	BaseException, KeyboardInterrupt, SystemExitClass, PyException, ValueError,
	TypeError, KeyError, IndexError, AttributeError, NameError, UnboundLocalError,
	ZeroDivisionError, RuntimeError, NotImplementedError, AssertionError, StopIteration, ImportError,
	ModuleNotFoundError, UnicodeError, UnicodeEncodeError, UnicodeDecodeError,
	LookupError, OSError, TimeoutError, OverflowError, RecursionError, SyntaxError,
	PermissionError, EOFError, MemoryError, SystemError, CancelledError,
	FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError,
	UnsupportedOperation, GeneratorExit,
	Warning, UserWarning, DeprecationWarning, PendingDeprecationWarning, SyntaxWarning,
	RuntimeWarning, FutureWarning, ImportWarning, UnicodeWarning, BytesWarning,
	ResourceWarning, EncodingWarning,
}

// SystemExit is returned by sys.exit; the runtime turns it into the
// process exit code instead of a traceback.
type SystemExit struct {
	Code int
	// Status is the argument of sys.exit (None when there was none), the
	// code of the SystemExit exception that except sees.
	Status starlark.Value
}

func (e *SystemExit) Error() string { return fmt.Sprintf("SystemExit: %d", e.Code) }

// CompareIdentity implements == and != by identity, for types that
// Python compares by identity.
func CompareIdentity(op syntax.Token, x, y starlark.Value) (bool, error) {
	switch op {
	case syntax.EQL:
		return x == y, nil
	case syntax.NEQ:
		return x != y, nil
	}
	return false, fmt.Errorf("%s %s %s not supported", x.Type(), op, y.Type())
}

// LookupExceptionClass returns Python's exception class with the given
// name, or nil.
func LookupExceptionClass(name string) *ExceptionClass {
	name = strings.TrimSpace(name)
	for _, c := range builtinClasses {
		if c.ClassName == name {
			return c
		}
	}
	return nil
}
