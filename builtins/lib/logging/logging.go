// Package logging is kstar's logging module, CPython 3.11's as scripts
// use it:
//
//	basicConfig(**kwargs)  gives the root logger handlers unless it has
//	                       some (force=True replaces them): a StreamHandler
//	                       on stream (sys.stderr), a FileHandler on
//	                       filename, or handlers; format, datefmt, style
//	                       for those without a formatter; level
//	getLogger(name=None)   the logger of a dotted name (root for None)
//	debug, info, warning, warn, error, exception, critical, fatal, log
//	                       log through the root logger, after basicConfig()
//	                       if it has no handler
//	Handler, StreamHandler(stream=None), FileHandler(filename, mode='a',
//	encoding=None, delay=False), NullHandler, Formatter(fmt=None,
//	datefmt=None, style='%'), Filter(name=''), LogRecord, Logger
//	root, lastResort, disable(level), shutdown(), getLevelName, the levels
//
// A Logger has the logging methods, setLevel, getEffectiveLevel,
// isEnabledFor, addHandler, removeHandler, hasHandlers, getChild,
// addFilter, removeFilter, filter, handle, and name, level, parent,
// propagate, handlers, filters, disabled. A record goes through the
// logger's filters, then to the handlers of the logger and of its
// ancestors while they propagate (each handler's level and filters
// decide); a record no handler saw goes to lastResort (WARNING and
// above, the message alone, on sys.stderr). Scripts may derive classes
// from the handler classes, Formatter and Filter (class.go): the Go code
// calls their methods through the script's instance, so an overridden
// emit, format, formatTime, formatException or filter runs. Tracebacks
// (exception(), exc_info=) are rendered as an uncaught exception's. A
// FileHandler opens its file as open() does, under the host's file
// access. A record's thread and threadName are
// threading.current_thread()'s ident and name. An error formatting or writing a record raises
// (CPython's StreamHandler prints "--- Logging error ---" and goes on).
// Each execution has its own loggers, classes and
// handlers.
package logging

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the logging module of one execution, with loggers, handlers
// and a configuration of its own.
func New(env *py.Env) starlark.Value {
	st := &logState{loggers: map[string]*Logger{}}
	st.root = st.newLogger("root")
	st.root.level = logWarning
	st.handlerClasses()
	st.formatter = st.formatterClass()
	st.filter = st.filterClass()
	st.defaultFormatter, _ = newFormatter(st.formatter, nil, starlark.None, starlark.None, "%", false)
	members := starlark.StringDict{
		"basicConfig":     py.Func("basicConfig", st.basicConfig),
		"getLogger":       py.Func("getLogger", st.getLogger),
		"getLevelName":    py.Func("getLevelName", getLevelName),
		"disable":         py.Func("disable", st.disableLevel),
		"shutdown":        py.Func("shutdown", st.shutdown),
		"Handler":         st.handlerClass,
		"StreamHandler":   st.streamHandlerClass,
		"FileHandler":     st.fileHandlerClass,
		"NullHandler":     st.nullHandlerClass,
		"Formatter":       st.formatter,
		"Filter":          st.filter,
		"makeLogRecord":   py.Func("makeLogRecord", makeLogRecord),
		"LogRecord":       py.NewClass("logging.LogRecord", newLogRecord, func(v starlark.Value) bool { _, ok := v.(*Record); return ok }, nil),
		"Logger":          py.NewClass("logging.Logger", nil, func(v starlark.Value) bool { _, ok := v.(*Logger); return ok }, nil),
		"root":            st.root,
		"lastResort":      st.lastResort,
		"BASIC_FORMAT":    starlark.String(defaultLogFormat),
		"raiseExceptions": starlark.True,
	}
	for name, level := range logLevels {
		members[name] = starlark.MakeInt(level)
	}
	members["WARN"] = starlark.MakeInt(logWarning)
	members["FATAL"] = starlark.MakeInt(logCritical)
	for name, method := range loggerMethods {
		if _, ok := logMethodLevels[name]; ok || name == "log" {
			members[name] = py.Func(name, st.moduleLog(method))
		}
	}
	return &starlarkstruct.Module{Name: "logging", Members: members}
}

const (
	logDebug    = 10
	logInfo     = 20
	logWarning  = 30
	logError    = 40
	logCritical = 50

	defaultLogFormat = "%(levelname)s:%(name)s:%(message)s"
)

var logLevels = map[string]int{"NOTSET": 0, "DEBUG": logDebug, "INFO": logInfo, "WARNING": logWarning, "ERROR": logError, "CRITICAL": logCritical}

// logState is one execution's logging: its loggers, its classes and the
// handlers made.
type logState struct {
	root     *Logger
	loggers  map[string]*Logger
	handlers []*Handler // every handler made, for shutdown()
	disable  int        // logging.disable's level

	handlerClass, streamHandlerClass, fileHandlerClass, nullHandlerClass *class
	formatter, filter                                                    *class
	defaultFormatter                                                     *Formatter // a handler's without one: '%(message)s'
	lastResort                                                           *Handler   // the handler of records no handler takes: WARNING and above to sys.stderr
}

// Logger is a logging.Logger.
type Logger struct {
	name      string
	level     int
	state     *logState
	handlers  *starlark.List
	filters   *starlark.List
	propagate bool
	disabled  bool
}

var (
	_ starlark.HasAttrs    = (*Logger)(nil)
	_ starlark.HasSetField = (*Logger)(nil)
)

func (st *logState) newLogger(name string) *Logger {
	return &Logger{name: name, state: st, handlers: starlark.NewList(nil), filters: starlark.NewList(nil), propagate: true}
}

func (l *Logger) String() string {
	return fmt.Sprintf("<%s %s (%s)>", map[bool]string{true: "RootLogger", false: "Logger"}[l == l.state.root], l.name, levelName(l.effectiveLevel()))
}
func (l *Logger) Type() string          { return "Logger" }
func (l *Logger) Freeze()               {}
func (l *Logger) Truth() starlark.Bool  { return true }
func (l *Logger) Hash() (uint32, error) { return starlark.String(l.name).Hash() }

// logMethodLevels are the logging methods named after a level.
var logMethodLevels = map[string]int{
	"debug": logDebug, "info": logInfo, "warning": logWarning, "warn": logWarning,
	"error": logError, "exception": logError, "critical": logCritical, "fatal": logCritical,
}

// loggerMethod is the Go implementation of a Logger's method.
type loggerMethod = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// loggerMethods are a Logger's methods.
var loggerMethods = map[string]loggerMethod{}

func init() {
	for name, level := range logMethodLevels {
		loggerMethods[name] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) == 0 {
				return nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: 'msg'", b.Name())
			}
			return starlark.None, l.log(thread, level, args[0], args[1:], kwargs, b.Name() == "exception")
		}
	}
	loggerMethods["log"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) < 2 {
			return nil, py.Errorf(py.TypeError, "log() missing required positional arguments: 'level' and 'msg'")
		}
		level, err := levelArg(args[0])
		if err != nil {
			return nil, err
		}
		return starlark.None, l.log(thread, level, args[1], args[2:], kwargs, false)
	}
	loggerMethods["setLevel"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var level starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &level); err != nil {
			return nil, err
		}
		n, err := levelArg(level)
		if err != nil {
			return nil, err
		}
		l.level = n
		return starlark.None, nil
	}
	loggerMethods["getEffectiveLevel"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return starlark.MakeInt(l.effectiveLevel()), nil
	}
	loggerMethods["isEnabledFor"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var level int
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &level); err != nil {
			return nil, err
		}
		return starlark.Bool(l.isEnabledFor(level)), nil
	}
	loggerMethods["addHandler"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var h starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &h); err != nil {
			return nil, err
		}
		if !contains(l.handlers, h) {
			return starlark.None, l.handlers.Append(h)
		}
		return starlark.None, nil
	}
	loggerMethods["removeHandler"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var h starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &h); err != nil {
			return nil, err
		}
		removeFrom(l.handlers, h)
		return starlark.None, nil
	}
	loggerMethods["hasHandlers"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		for c := l; c != nil; c = c.parent() {
			if c.handlers.Len() > 0 {
				return starlark.True, nil
			}
			if !c.propagate {
				break
			}
		}
		return starlark.False, nil
	}
	loggerMethods["getChild"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var suffix string
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &suffix); err != nil {
			return nil, err
		}
		if l != l.state.root {
			suffix = l.name + "." + suffix
		}
		return l.state.logger(suffix), nil
	}
	loggerMethods["addFilter"] = addFilter[*Logger]
	loggerMethods["removeFilter"] = removeFilter[*Logger]
	loggerMethods["filter"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &record); err != nil {
			return nil, err
		}
		ok, err := applyFilters(thread, l.filters, record)
		return starlark.Bool(ok), err
	}
	loggerMethods["handle"] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &record); err != nil {
			return nil, err
		}
		return starlark.None, l.handle(thread, record)
	}
}

// filterList is the logger's filters.
func (l *Logger) filterList() starlark.Value { return l.filters }

func (l *Logger) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(l.name), nil
	case "level":
		return starlark.MakeInt(l.level), nil
	case "handlers":
		return l.handlers, nil
	case "filters":
		return l.filters, nil
	case "propagate":
		return starlark.Bool(l.propagate), nil
	case "disabled":
		return starlark.Bool(l.disabled), nil
	case "root":
		return l.state.root, nil
	case "parent":
		if p := l.parent(); p != nil {
			return p, nil
		}
		return starlark.None, nil
	}
	if m, ok := loggerMethods[name]; ok {
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return m(l, thread, b, args, kwargs)
		}).BindReceiver(l), nil
	}
	return nil, nil
}

func (l *Logger) AttrNames() []string {
	names := []string{"disabled", "filters", "handlers", "level", "name", "parent", "propagate", "root"}
	for n := range loggerMethods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// SetField sets level, propagate, disabled, handlers or filters.
func (l *Logger) SetField(name string, v starlark.Value) error {
	switch name {
	case "level":
		n, err := levelArg(v)
		if err != nil {
			return err
		}
		l.level = n
	case "propagate":
		l.propagate = bool(v.Truth())
	case "disabled":
		l.disabled = bool(v.Truth())
	case "handlers", "filters":
		list, ok := v.(*starlark.List)
		if !ok {
			return py.Errorf(py.TypeError, "kstar: a logger's %s must be a list, not %s", name, py.TypeName(v))
		}
		if name == "handlers" {
			l.handlers = list
		} else {
			l.filters = list
		}
	default:
		return py.Errorf(py.AttributeError, "kstar: 'Logger' object has no attribute '%s' to set", name)
	}
	return nil
}

// parent is the logger's nearest dotted ancestor that exists, else the
// root (nil for the root).
func (l *Logger) parent() *Logger {
	if l == l.state.root {
		return nil
	}
	for name := l.name; ; {
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			return l.state.root
		}
		name = name[:i]
		if p := l.state.loggers[name]; p != nil {
			return p
		}
	}
}

// effectiveLevel is the level of the logger or of its nearest ancestor
// with one set.
func (l *Logger) effectiveLevel() int {
	for c := l; c != nil; c = c.parent() {
		if c.level != 0 {
			return c.level
		}
	}
	return 0
}

// isEnabledFor is Logger.isEnabledFor(level), under logging.disable.
func (l *Logger) isEnabledFor(level int) bool {
	return !l.disabled && level > l.state.disable && level >= l.effectiveLevel()
}

// log makes a record of msg % args at level, if the logger is enabled for
// it, and handles it.
func (l *Logger) log(thread *starlark.Thread, level int, msg starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple, exception bool) error {
	var excInfo starlark.Value = starlark.Bool(exception)
	var extra, stackInfo starlark.Value = starlark.None, starlark.False
	for _, kv := range kwargs {
		switch k, _ := starlark.AsString(kv[0]); k {
		case "exc_info":
			excInfo = kv[1]
		case "extra":
			extra = kv[1]
		case "stack_info":
			stackInfo = kv[1]
		case "stacklevel":
		default:
			return py.Errorf(py.TypeError, "_log() got an unexpected keyword argument '%s'", k)
		}
	}
	if !l.isEnabledFor(level) {
		return nil
	}
	switch e := excInfo.(type) {
	case *py.Exception:
		excInfo = starlark.Tuple{py.TypeOf(e), e, starlark.None}
		if e.Traceback != nil {
			excInfo.(starlark.Tuple)[2] = &py.Traceback{Err: e.Traceback}
		}
	case starlark.Tuple:
	default:
		if excInfo.Truth() {
			info, err := py.ExcInfo(thread, nil, nil, nil)
			if err != nil {
				return err
			}
			excInfo = info
		} else {
			excInfo = starlark.None
		}
	}
	pathname, lineno, funcName := caller(thread)
	var sinfo starlark.Value = starlark.None
	if stackInfo.Truth() {
		sinfo = starlark.String("Stack (most recent call last):\n" + fmt.Sprintf("  File \"%s\", line %d, in %s", pathname, lineno, funcName))
	}
	r := newRecord(thread, l.name, level, pathname, lineno, msg, args, excInfo, starlark.String(funcName), sinfo, time.Now())
	if extra != starlark.None {
		m, ok := extra.(starlark.IterableMapping)
		if !ok {
			return py.Errorf(py.TypeError, "'%s' object is not iterable", py.TypeName(extra))
		}
		for _, item := range m.Items() {
			k, ok := item[0].(starlark.String)
			if !ok {
				return py.Errorf(py.TypeError, "attribute name must be string, not '%s'", py.TypeName(item[0]))
			}
			if _, taken := r.attrs[string(k)]; taken || k == "message" || k == "asctime" {
				return &py.Exception{Class: py.KeyError, Msg: py.Repr(starlark.String("Attempt to overwrite " + py.Repr(k) + " in LogRecord")), Args: starlark.Tuple{starlark.String("Attempt to overwrite " + py.Repr(k) + " in LogRecord")}}
			}
			r.set(string(k), item[1])
		}
	}
	return l.handle(thread, r)
}

// caller is the file, line and function of the script's code that
// called the logging method.
func caller(thread *starlark.Thread) (pathname string, lineno int, funcName string) {
	pathname, lineno, funcName = "<unknown>", 0, "<module>"
	if thread.CallStackDepth() > 1 {
		fr := thread.CallFrame(1)
		pathname, lineno, funcName = fr.Pos.Filename(), int(fr.Pos.Line), fr.Name
		// A try's block runs as part of the function that holds the try.
		for depth := 2; py.IsTryBlock(funcName) && depth < thread.CallStackDepth(); depth++ {
			if up := thread.CallFrame(depth); up.Pos.Filename() != "<builtin>" {
				funcName = up.Name
			}
		}
		if funcName == "<toplevel>" {
			funcName = "<module>"
		}
	}
	return pathname, lineno, funcName
}

// handle is Logger.handle(record): the logger's filters, then the
// handlers of the logger and of its ancestors while they propagate; a
// record no handler saw goes to logging.lastResort.
func (l *Logger) handle(thread *starlark.Thread, record starlark.Value) error {
	if l.disabled {
		return nil
	}
	if ok, err := applyFilters(thread, l.filters, record); err != nil || !ok {
		return err
	}
	levelno, err := py.GetAttr(record, "levelno")
	if err != nil {
		return err
	}
	level, _ := starlark.AsInt32(levelno)
	found := 0
	for c := l; c != nil; c = c.parent() {
		for _, h := range slices.Collect(listValues(c.handlers)) {
			found++
			hl, err := levelOf(h)
			if err != nil {
				return err
			}
			if level >= hl {
				if _, err := call(thread, h, "handle", record); err != nil {
					return err
				}
			}
		}
		if !c.propagate {
			break
		}
	}
	if found == 0 && level >= l.state.lastResort.level {
		_, err := call(thread, l.state.lastResort, "handle", record)
		return err
	}
	return nil
}

// listValues yields a list's elements.
func listValues(list *starlark.List) func(yield func(starlark.Value) bool) {
	return func(yield func(starlark.Value) bool) {
		for i := 0; i < list.Len(); i++ {
			if !yield(list.Index(i)) {
				return
			}
		}
	}
}

// moduleLog is logging.info(...) and the like: the root logger's method,
// after basicConfig() if the root has no handler, as Python does.
func (st *logState) moduleLog(method loggerMethod) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if st.root.handlers.Len() == 0 {
			if _, err := st.basicConfig(thread, b, nil, nil); err != nil {
				return nil, err
			}
		}
		return method(st.root, thread, b, args, kwargs)
	}
}

// basicConfig is CPython's: unless the root logger has handlers (or
// force=True removes and closes them), it gets handlers (a
// StreamHandler on stream, sys.stderr by default, a FileHandler on
// filename, or the handlers given), with a Formatter of format, datefmt
// and style for those that have none, and level.
func (st *logState) basicConfig(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		return nil, py.Errorf(py.TypeError, "basicConfig() takes 0 positional arguments but %d were given", len(args))
	}
	opts := map[string]starlark.Value{}
	var order []string
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		opts[k] = kv[1]
		order = append(order, k)
	}
	take := func(name string, dflt starlark.Value) starlark.Value {
		if v, ok := opts[name]; ok {
			delete(opts, name)
			return v
		}
		return dflt
	}
	force := take("force", starlark.False)
	encoding := take("encoding", starlark.None)
	take("errors", starlark.None)
	if force.Truth() {
		for _, h := range slices.Collect(listValues(st.root.handlers)) {
			removeFrom(st.root.handlers, h)
			if _, err := call(thread, h, "close"); err != nil {
				return nil, err
			}
		}
	}
	if st.root.handlers.Len() > 0 {
		return starlark.None, nil
	}
	handlers := take("handlers", starlark.None)
	_, hasStream := opts["stream"]
	_, hasFilename := opts["filename"]
	if handlers == starlark.None && hasStream && hasFilename {
		return nil, py.Errorf(py.ValueError, "'stream' and 'filename' should not be specified together")
	}
	if handlers != starlark.None && (hasStream || hasFilename) {
		return nil, py.Errorf(py.ValueError, "'stream' or 'filename' should not be specified together with 'handlers'")
	}
	var hs []starlark.Value
	if handlers == starlark.None {
		filename := take("filename", starlark.None)
		mode := take("filemode", starlark.String("a"))
		var h starlark.Value
		var err error
		if filename.Truth() {
			h, err = st.fileHandlerClass.make(thread, nil, starlark.Tuple{filename, mode}, []starlark.Tuple{{starlark.String("encoding"), encoding}})
		} else {
			h, err = st.streamHandlerClass.make(thread, nil, starlark.Tuple{take("stream", starlark.None)}, nil)
		}
		if err != nil {
			return nil, err
		}
		hs = []starlark.Value{h}
	} else {
		var err error
		if hs, err = py.Elements(thread, handlers); err != nil {
			return nil, err
		}
	}
	datefmt := take("datefmt", starlark.None)
	style, ok := take("style", starlark.String("%")).(starlark.String)
	if _, known := styleDefaults[string(style)]; !ok || !known {
		return nil, py.Errorf(py.ValueError, "Style must be one of: %%,{,$")
	}
	format := take("format", starlark.String(map[string]string{"%": defaultLogFormat, "{": "{levelname}:{name}:{message}", "$": "${levelname}:${name}:${message}"}[string(style)]))
	formatter, err := newFormatter(st.formatter, nil, format, datefmt, string(style), true)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		current, err := py.GetAttr(h, "formatter")
		if err != nil {
			return nil, err
		}
		if current == starlark.None {
			if _, err := call(thread, h, "setFormatter", formatter); err != nil {
				return nil, err
			}
		}
		if !contains(st.root.handlers, h) {
			if err := st.root.handlers.Append(h); err != nil {
				return nil, err
			}
		}
	}
	if level := take("level", starlark.None); level != starlark.None {
		n, err := levelArg(level)
		if err != nil {
			return nil, err
		}
		st.root.level = n
	}
	if len(opts) > 0 {
		var left []string
		for _, k := range order {
			if _, ok := opts[k]; ok {
				left = append(left, k)
			}
		}
		return nil, py.Errorf(py.ValueError, "Unrecognised argument(s): %s", strings.Join(left, ", "))
	}
	return starlark.None, nil
}

func (st *logState) getLogger(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name?", &name); err != nil {
		return nil, err
	}
	s, ok := name.(starlark.String)
	if name == starlark.None || ok && (s == "" || s == "root") {
		return st.root, nil
	}
	if !ok {
		return nil, py.Errorf(py.TypeError, "A logger name must be a string")
	}
	return st.logger(string(s)), nil
}

// logger is the logger of a dotted name, made on first use.
func (st *logState) logger(name string) *Logger {
	l := st.loggers[name]
	if l == nil {
		l = st.newLogger(name)
		st.loggers[name] = l
	}
	return l
}

// disableLevel is logging.disable(level=CRITICAL): records of level and
// below are dropped by every logger.
func (st *logState) disableLevel(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var level starlark.Value = starlark.MakeInt(logCritical)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "level?", &level); err != nil {
		return nil, err
	}
	n, err := levelArg(level)
	if err != nil {
		return nil, err
	}
	st.disable = n
	return starlark.None, nil
}

// shutdown is logging.shutdown(): every handler made, newest first, is
// flushed and closed.
func (st *logState) shutdown(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	for i := len(st.handlers) - 1; i >= 0; i-- {
		h := st.handlers[i]
		if h == st.lastResort {
			continue
		}
		if _, err := h.call(thread, "flush"); err != nil {
			return nil, err
		}
		if _, err := h.call(thread, "close"); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

// newLogRecord is LogRecord(name, level, pathname, lineno, msg, args,
// exc_info, func=None, sinfo=None).
func newLogRecord(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, pathname string
	var level, lineno int
	var msg, msgArgs, excInfo starlark.Value
	var fn, sinfo starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackArgs("LogRecord", args, kwargs, "name", &name, "level", &level, "pathname", &pathname, "lineno", &lineno,
		"msg", &msg, "args", &msgArgs, "exc_info", &excInfo, "func?", &fn, "sinfo?", &sinfo); err != nil {
		return nil, err
	}
	return newRecord(thread, name, level, pathname, lineno, msg, msgArgs, excInfo, fn, sinfo, time.Now()), nil
}

// makeLogRecord is logging.makeLogRecord(dict): a record with the
// dict's attributes over those of LogRecord(None, None, ”, 0, ”, (),
// None).
func makeLogRecord(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var attrs starlark.IterableMapping
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &attrs); err != nil {
		return nil, err
	}
	r := newRecord(thread, "", 0, "", 0, starlark.String(""), starlark.Tuple{}, starlark.None, starlark.None, starlark.None, time.Now())
	r.set("name", starlark.None)
	r.set("levelno", starlark.None)
	r.set("levelname", starlark.String("Level None"))
	for _, item := range attrs.Items() {
		k, ok := item[0].(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "attribute name must be string, not '%s'", py.TypeName(item[0]))
		}
		r.set(string(k), item[1])
	}
	return r, nil
}

// excInfoText is the traceback of an exc_info tuple (type, value, tb)
// as traceback.print_exception writes it; "NoneType: None" for none.
func excInfoText(thread *starlark.Thread, ei starlark.Value) string {
	t, _ := ei.(starlark.Tuple)
	if len(t) != 3 {
		return "NoneType: None\n"
	}
	exc, ok := t[1].(*py.Exception)
	if !ok {
		return "NoneType: None\n"
	}
	var err error = exc
	if exc.Traceback != nil { // from the frame that caught it, as __traceback__
		err = exc.Traceback
	} else if tb, ok := t[2].(*py.Traceback); ok {
		err = tb.Err
	}
	if render := py.InterpOf(thread).Traceback; render != nil {
		return render(err)
	}
	return exc.TracebackLine() + "\n"
}

// handledTraceback is the traceback of the exception being handled.
func handledTraceback(thread *starlark.Thread) string {
	info, _ := py.ExcInfo(thread, nil, nil, nil)
	return excInfoText(thread, info)
}

// levelArg is a level given as an int or a level name ("INFO").
func levelArg(v starlark.Value) (int, error) {
	switch x := v.(type) {
	case starlark.Int:
		n, ok := x.Int64()
		if ok && n >= 0 {
			return int(n), nil
		}
	case starlark.String:
		if n, ok := logLevels[string(x)]; ok {
			return n, nil
		}
		if x == "WARN" {
			return logWarning, nil
		}
		return 0, py.Errorf(py.ValueError, "Unknown level: %s", py.Repr(x))
	}
	return 0, py.Errorf(py.TypeError, "Level not an integer or a valid string: %s", py.Repr(v))
}

func levelName(level int) string {
	for name, n := range logLevels {
		if n == level {
			return name
		}
	}
	return fmt.Sprintf("Level %d", level)
}

// getLevelName is logging.getLevelName(level): the name of a level
// number, the number of a level name.
func getLevelName(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var level starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &level); err != nil {
		return nil, err
	}
	if s, ok := level.(starlark.String); ok {
		if n, ok := logLevels[string(s)]; ok {
			return starlark.MakeInt(n), nil
		}
		return starlark.String("Level " + string(s)), nil
	}
	if n, ok := level.(starlark.Int); ok {
		if i, ok := n.Int64(); ok {
			return starlark.String(levelName(int(i))), nil
		}
	}
	return starlark.String("Level " + py.Str(level)), nil
}

// Help documents the logging module's functions and a Logger's
// methods for help(obj).
var Help = py.HelpTable{
	// logging: the module's functions log through the root logger.
	"logging.basicConfig":   {Params: "**kwargs", Doc: "Give the root logger handlers once: level, format, datefmt, style, stream, filename, filemode, handlers, force."},
	"logging.getLogger":     {Params: "name=None", Doc: "Return the logger of a dotted name, or the root logger."},
	"logging.getLevelName":  {Params: "level", Doc: "Return the name of a level number, or the number of a level name."},
	"logging.debug":         {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'DEBUG'."},
	"logging.info":          {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'INFO'."},
	"logging.warning":       {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'WARNING'."},
	"logging.warn":          {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'WARNING' (a deprecated alias of warning)."},
	"logging.error":         {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'ERROR'."},
	"logging.exception":     {Params: "msg, *args, exc_info=True, **kwargs", Doc: "Log msg % args with severity 'ERROR' and the exception information."},
	"logging.critical":      {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'CRITICAL'."},
	"logging.fatal":         {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'CRITICAL' (an alias of critical)."},
	"logging.log":           {Params: "level, msg, *args, **kwargs", Doc: "Log msg % args with the integer severity level."},
	"logging.disable":       {Params: "level=CRITICAL", Doc: "Drop the records of level and below, whatever logger they go to."},
	"logging.shutdown":      {Params: "", Doc: "Flush and close every handler."},
	"logging.makeLogRecord": {Params: "dict", Doc: "Return a LogRecord whose attributes are those of dict."},

	// A Logger's methods (logging.getLogger(name)).
	"Logger.debug":             {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'DEBUG'."},
	"Logger.info":              {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'INFO'."},
	"Logger.warning":           {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'WARNING'."},
	"Logger.warn":              {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'WARNING' (a deprecated alias of warning)."},
	"Logger.error":             {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'ERROR'."},
	"Logger.exception":         {Params: "msg, *args, exc_info=True, **kwargs", Doc: "Log msg % args with severity 'ERROR' and the exception information."},
	"Logger.critical":          {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'CRITICAL'."},
	"Logger.fatal":             {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'CRITICAL' (an alias of critical)."},
	"Logger.log":               {Params: "level, msg, *args, **kwargs", Doc: "Log msg % args with the integer severity level."},
	"Logger.setLevel":          {Params: "level", Doc: "Set the logging level of this logger (a number or a level name)."},
	"Logger.getEffectiveLevel": {Params: "", Doc: "Return this logger's level, or its nearest ancestor's when it has none."},
	"Logger.isEnabledFor":      {Params: "level", Doc: "Return whether this logger handles records of severity level."},
	"Logger.addHandler":        {Params: "hdlr", Doc: "Add the specified handler to this logger."},
	"Logger.removeHandler":     {Params: "hdlr", Doc: "Remove the specified handler from this logger."},
	"Logger.hasHandlers":       {Params: "", Doc: "Return whether this logger or an ancestor it propagates to has handlers."},
	"Logger.getChild":          {Params: "suffix", Doc: "Return the logger named after this one plus '.' and suffix."},
	"Logger.addFilter":         {Params: "filter", Doc: "Add the specified filter to this logger."},
	"Logger.removeFilter":      {Params: "filter", Doc: "Remove the specified filter from this logger."},
	"Logger.filter":            {Params: "record", Doc: "Return whether every filter of this logger passes the record."},
	"Logger.handle":            {Params: "record", Doc: "Pass the record to the handlers of this logger and its ancestors."},
}
