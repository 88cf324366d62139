// Package logging is kstar's logging module: the part of Python's logging that scripts use:
//
//	basicConfig(level=, format=, datefmt=, stream=, force=)
//	                     configures the root logger once (a stream, a
//	                     %-style format; default "%(levelname)s:%(name)s:%(message)s"
//	                     to sys.stderr); later calls do nothing unless force=True
//	getLogger(name=None) the logger of a dotted name (the root logger for None)
//	debug, info, warning, warn, error, exception, critical, log(level, msg, *args)
//	                     log through the root logger, calling basicConfig()
//	                     first if it has no handler, as Python does
//	DEBUG, INFO, WARNING, WARN, ERROR, CRITICAL, NOTSET, getLevelName(level)
//
// A logger has the same logging methods, setLevel, getEffectiveLevel,
// isEnabledFor, name and level. Records go to the root logger's stream
// once basicConfig has run; before that, records of WARNING and above are
// written bare to stderr (Python's "last resort" handler). Format fields:
// message, levelname, levelno, name, asctime, created, msecs, filename,
// pathname, module, lineno, funcName. exc_info=e appends the last line
// of e's traceback (kstar has no traceback objects); exc_info=True, and
// exception(), append "NoneType: None", as Python does outside an except.
// Each execution has its own loggers and configuration.
package logging

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	libsys "github.com/kstar-dev/kstar/builtins/lib/sys"
	libtime "github.com/kstar-dev/kstar/builtins/lib/time"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the logging module of one execution, with loggers and a
// configuration of its own.
func New(env *py.Env) starlark.Value {
	st := &logState{loggers: map[string]*Logger{}}
	st.root = &Logger{name: "root", level: logWarning, state: st}
	members := starlark.StringDict{
		"basicConfig":  py.Func("basicConfig", st.basicConfig),
		"getLogger":    py.Func("getLogger", st.getLogger),
		"getLevelName": py.Func("getLevelName", getLevelName),
	}
	for name, level := range logLevels {
		members[name] = starlark.MakeInt(level)
	}
	members["WARN"] = starlark.MakeInt(logWarning)
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
	defaultDateFmt   = "2006-01-02 15:04:05"
)

var logLevels = map[string]int{"NOTSET": 0, "DEBUG": logDebug, "INFO": logInfo, "WARNING": logWarning, "ERROR": logError, "CRITICAL": logCritical}

// logState is one execution's logging: its loggers and the root's handler.
type logState struct {
	root       *Logger
	loggers    map[string]*Logger
	configured bool
	stream     py.TextWriter
	format     string
	datefmt    string // a Python strftime format; "" for Python's default
}

// Logger is a logging.Logger.
type Logger struct {
	name  string
	level int
	state *logState
}

var _ starlark.HasAttrs = (*Logger)(nil)

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

// loggerMethods are a Logger's methods.
var loggerMethods = map[string]func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error){}

func init() {
	for name, level := range logMethodLevels {
		loggerMethods[name] = func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) == 0 {
				return nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: 'msg'", b.Name())
			}
			return l.emit(thread, level, args[0], args[1:], kwargs, b.Name() == "exception")
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
		return l.emit(thread, level, args[1], args[2:], kwargs, false)
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
		return starlark.Bool(level >= l.effectiveLevel()), nil
	}
}

func (l *Logger) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(l.name), nil
	case "level":
		return starlark.MakeInt(l.level), nil
	}
	if m, ok := loggerMethods[name]; ok {
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return m(l, thread, b, args, kwargs)
		}).BindReceiver(l), nil
	}
	return nil, nil
}

func (l *Logger) AttrNames() []string {
	names := []string{"name", "level"}
	for n := range loggerMethods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// effectiveLevel is the level of the logger or of its nearest dotted
// ancestor with one set, else the root's.
func (l *Logger) effectiveLevel() int {
	for name := l.name; ; {
		if lg := l.state.loggers[name]; lg != nil && lg.level != 0 {
			return lg.level
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 || l == l.state.root {
			return l.state.root.level
		}
		name = name[:i]
	}
}

// emit logs msg % args at level if the logger is enabled for it.
func (l *Logger) emit(thread *starlark.Thread, level int, msg starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple, exception bool) (starlark.Value, error) {
	var excInfo starlark.Value = starlark.Bool(exception)
	for _, kv := range kwargs {
		switch k, _ := starlark.AsString(kv[0]); k {
		case "exc_info":
			excInfo = kv[1]
		case "stack_info", "stacklevel", "extra":
		default:
			return nil, py.Errorf(py.TypeError, "_log() got an unexpected keyword argument '%s'", k)
		}
	}
	if level < l.effectiveLevel() {
		return starlark.None, nil
	}
	text := py.Str(msg)
	if len(args) > 0 {
		var arg starlark.Value = args
		if len(args) == 1 {
			if d, ok := args[0].(*starlark.Dict); ok && d.Len() > 0 {
				arg = d // Python: a single non-empty mapping is used for %(key)s
			}
		}
		m := py.NewMeter(thread)
		formatted, err := py.PercentFormat(&m, text, arg, false)
		if err != nil {
			return nil, err
		}
		text = formatted
	}
	st := l.state
	var line string
	if st.configured {
		record, err := st.record(thread, l.name, level, text)
		if err != nil {
			return nil, err
		}
		if line, err = py.PercentFormat(nil, st.format, record, false); err != nil {
			return nil, err
		}
	} else if level >= logWarning {
		line = text // Python's last-resort handler: the message alone
	} else {
		return starlark.None, nil
	}
	switch x := excInfo.(type) {
	case *py.Exception:
		line += "\n" + x.TracebackLine()
	default:
		if excInfo.Truth() {
			line += "\nNoneType: None"
		}
	}
	stream := st.stream
	if stream == nil {
		stream = libsys.Stderr
	}
	if err := stream.WriteText(thread, line+"\n"); err != nil {
		return nil, py.Errorf(py.OSError, "%v", err)
	}
	return starlark.None, nil
}

// record is a LogRecord's attributes, for the format.
func (st *logState) record(thread *starlark.Thread, name string, level int, message string) (*starlark.Dict, error) {
	now := time.Now()
	asctime := now.Format(defaultDateFmt) + fmt.Sprintf(",%03d", now.Nanosecond()/1e6)
	if st.datefmt != "" {
		asctime = libtime.Strftime(st.datefmt, now)
	}
	pathname, lineno, funcName := "<unknown>", 0, "<module>"
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
	filename := filepath.Base(pathname)
	d := starlark.NewDict(12)
	for k, v := range map[string]starlark.Value{
		"name": starlark.String(name), "levelname": starlark.String(levelName(level)),
		"levelno": starlark.MakeInt(level), "message": starlark.String(message),
		"asctime": starlark.String(asctime), "created": starlark.Float(float64(now.UnixNano()) / 1e9),
		"msecs": starlark.Float(float64(now.Nanosecond() / 1e6)), "pathname": starlark.String(pathname),
		"filename": starlark.String(filename), "module": starlark.String(strings.TrimSuffix(filename, filepath.Ext(filename))),
		"lineno": starlark.MakeInt(lineno), "funcName": starlark.String(funcName),
	} {
		if err := d.SetKey(starlark.String(k), v); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// moduleLog is logging.info(...) and the like: the root logger's method,
// after basicConfig() if the root has no handler yet.
func (st *logState) moduleLog(method func(l *Logger, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if !st.configured {
			st.configured, st.format = true, defaultLogFormat
		}
		return method(st.root, thread, b, args, kwargs)
	}
}

func (st *logState) basicConfig(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var level, stream starlark.Value = starlark.None, starlark.None
	format, datefmt, style := defaultLogFormat, "", "%"
	var force bool
	var filename starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "level?", &level, "format?", &format, "datefmt?", &datefmt,
		"stream?", &stream, "force?", &force, "style?", &style, "filename?", &filename); err != nil {
		return nil, err
	}
	if filename != starlark.None {
		return nil, py.Errorf(py.ValueError, "basicConfig(filename=...) is not supported by kstar: log to a stream (sys.stderr or sys.stdout)")
	}
	if style != "%" {
		return nil, py.Errorf(py.ValueError, "basicConfig(style=%s) is not supported by kstar: only '%%' formats", py.Repr(starlark.String(style)))
	}
	if st.configured && !force {
		return starlark.None, nil
	}
	if stream != starlark.None {
		w, ok := stream.(py.TextWriter)
		if !ok {
			return nil, py.Errorf(py.TypeError, "basicConfig() stream must be sys.stdout, sys.stderr or another text stream, not %s", py.TypeName(stream))
		}
		st.stream = w
	}
	if level != starlark.None {
		n, err := levelArg(level)
		if err != nil {
			return nil, err
		}
		st.root.level = n
	}
	st.configured, st.format, st.datefmt = true, format, datefmt
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
	l := st.loggers[string(s)]
	if l == nil {
		l = &Logger{name: string(s), state: st}
		st.loggers[string(s)] = l
	}
	return l, nil
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
	"logging.basicConfig":  {Params: "**kwargs", Doc: "Configure the root logger once: level, format, datefmt, stream, force (style '%' only)."},
	"logging.getLogger":    {Params: "name=None", Doc: "Return the logger of a dotted name, or the root logger."},
	"logging.getLevelName": {Params: "level", Doc: "Return the name of a level number, or the number of a level name."},
	"logging.debug":        {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'DEBUG'."},
	"logging.info":         {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'INFO'."},
	"logging.warning":      {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'WARNING'."},
	"logging.warn":         {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'WARNING' (a deprecated alias of warning)."},
	"logging.error":        {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'ERROR'."},
	"logging.exception":    {Params: "msg, *args, exc_info=True, **kwargs", Doc: "Log msg % args with severity 'ERROR' and the exception information."},
	"logging.critical":     {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'CRITICAL'."},
	"logging.fatal":        {Params: "msg, *args, **kwargs", Doc: "Log msg % args with severity 'CRITICAL' (an alias of critical)."},
	"logging.log":          {Params: "level, msg, *args, **kwargs", Doc: "Log msg % args with the integer severity level."},

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
}
