package logging

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Record is a logging.LogRecord: its attributes live in a map, as they
// live in a LogRecord's __dict__, so that formatters set message and
// asctime on it, filters add their own, and a %-style format reads them
// all.
type Record struct {
	attrs map[string]starlark.Value
	keys  []string // attrs' keys, in the order they were set (vars(record))
}

var (
	_ starlark.HasAttrs    = (*Record)(nil)
	_ starlark.HasSetField = (*Record)(nil)
)

// recordFields are the attributes a LogRecord is made with, in CPython's
// order.
var recordFields = []string{"name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module",
	"exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated",
	"thread", "threadName", "processName", "process"}

// startTime is when logging was loaded, for relativeCreated.
var startTime = time.Now()

// newRecord is LogRecord(name, level, pathname, lineno, msg, args,
// exc_info, func=None, sinfo=None), made at now on thread.
func newRecord(thread *starlark.Thread, name string, level int, pathname string, lineno int, msg, args, excInfo starlark.Value, funcName, sinfo starlark.Value, now time.Time) *Record {
	// CPython: LogRecord(..., msg, (mapping,)) formats with the mapping.
	if t, ok := args.(starlark.Tuple); ok && len(t) == 1 {
		if d, ok := t[0].(starlark.IterableMapping); ok && len(d.Items()) > 0 {
			args = d
		}
	}
	filename := pathname[strings.LastIndexByte(pathname, '/')+1:] // os.path.basename
	created := float64(now.UnixNano()) / 1e9
	threadName, ident := currentThread(thread)
	r := &Record{attrs: make(map[string]starlark.Value, len(recordFields)+2)}
	for i, v := range []starlark.Value{
		starlark.String(name), msg, args, starlark.String(levelName(level)), starlark.MakeInt(level),
		starlark.String(pathname), starlark.String(filename), starlark.String(strings.TrimSuffix(filename, filepath.Ext(filename))),
		excInfo, starlark.None, sinfo, starlark.MakeInt(lineno), funcName,
		starlark.Float(created), starlark.Float(float64(now.Nanosecond() / 1e6)),
		starlark.Float(float64(now.Sub(startTime).Nanoseconds()) / 1e6),
		starlark.MakeInt64(ident), starlark.String(threadName), starlark.String("MainProcess"), starlark.MakeInt(os.Getpid()),
	} {
		r.set(recordFields[i], v)
	}
	return r
}

func (r *Record) set(name string, v starlark.Value) {
	if _, ok := r.attrs[name]; !ok {
		r.keys = append(r.keys, name)
	}
	r.attrs[name] = v
}

// get returns an attribute the record was made with (None if a script
// deleted it).
func (r *Record) get(name string) starlark.Value {
	if v, ok := r.attrs[name]; ok {
		return v
	}
	return starlark.None
}

// String is CPython's repr: <LogRecord: name, 20, /path/x.py, 3, "msg">.
func (r *Record) String() string {
	return fmt.Sprintf("<LogRecord: %s, %s, %s, %s, \"%s\">", py.Str(r.get("name")), py.Str(r.get("levelno")),
		py.Str(r.get("pathname")), py.Str(r.get("lineno")), py.Str(r.get("msg")))
}
func (r *Record) Type() string          { return "LogRecord" }
func (r *Record) Freeze()               {}
func (r *Record) Truth() starlark.Bool  { return true }
func (r *Record) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(r)) >> 3), nil }

// Attr is one of the record's attributes, or getMessage.
func (r *Record) Attr(name string) (starlark.Value, error) {
	if v, ok := r.attrs[name]; ok {
		return v, nil
	}
	switch name {
	case "getMessage":
		return py.Func("getMessage", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			s, err := r.message(thread)
			return starlark.String(s), err
		}).BindReceiver(r), nil
	case "__dict__":
		return r.dict(), nil
	}
	return nil, py.Errorf(py.AttributeError, "'LogRecord' object has no attribute '%s'", name)
}

func (r *Record) AttrNames() []string { return append([]string{"getMessage"}, r.keys...) }

// SetField sets an attribute: a formatter's message and asctime, a
// filter's own.
func (r *Record) SetField(name string, v starlark.Value) error {
	r.set(name, v)
	return nil
}

// dict is the record's __dict__ (a copy), what a %-style format reads.
func (r *Record) dict() *starlark.Dict {
	d := starlark.NewDict(len(r.keys))
	for _, k := range r.keys {
		if v, ok := r.attrs[k]; ok {
			_ = d.SetKey(starlark.String(k), v)
		}
	}
	return d
}

// message is getMessage(): str(msg) % args when there are args.
func (r *Record) message(thread *starlark.Thread) (string, error) {
	text, err := py.StrOf(thread, r.get("msg"))
	if err != nil {
		return "", err
	}
	args := r.get("args")
	if args == starlark.None || args.Truth() == starlark.False {
		return text, nil
	}
	m := py.NewMeter(thread)
	return py.PercentFormat(&m, text, args, false)
}
