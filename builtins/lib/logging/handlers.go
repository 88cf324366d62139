package logging

import (
	"fmt"
	"path/filepath"
	"unsafe"

	"go.starlark.net/starlark"

	libsys "github.com/kstar-dev/kstar/builtins/lib/sys"
	"github.com/kstar-dev/kstar/builtins/py"
)

// Handler is a logging.Handler, StreamHandler, FileHandler or
// NullHandler (its class says which), or the part of a script's
// instance of a class derived from one (self is then that instance).
type Handler struct {
	class     *class
	st        *logState
	self      starlark.Value // the value whose methods handle calls: the Handler, or the script's instance
	name      starlark.Value // None or a str
	level     int
	formatter starlark.Value // None or a formatter
	filters   *starlark.List

	stream     starlark.Value // StreamHandler's and FileHandler's; None when a FileHandler is closed
	terminator starlark.Value // nil: the class's (StreamHandler.terminator)

	// FileHandler's.
	baseFilename string
	mode         string
	encoding     starlark.Value
	closed       bool
}

var (
	_ starlark.HasAttrs    = (*Handler)(nil)
	_ starlark.HasSetField = (*Handler)(nil)
	_ py.PartReprer        = (*Handler)(nil)
)

// handlerClasses makes the handler classes of st.
func (st *logState) handlerClasses() {
	isHandler := func(v starlark.Value) *class {
		if h, ok := v.(*Handler); ok {
			return h.class
		}
		return nil
	}
	bind := func(v starlark.Value, name string) starlark.Value { return handlerMethods.Bind(v.(*Handler), name) }
	methods := map[string]bool{}
	for name := range handlerMethods {
		methods[name] = true
	}
	newClass := func(name, doc string, base *class, make func(h *Handler, thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) error) *class {
		c := &class{name: name, doc: doc, base: base, classOf: isHandler, methods: methods, bind: bind}
		c.make = func(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			h := &Handler{class: c, st: st, name: starlark.None, formatter: starlark.None, filters: starlark.NewList(nil)}
			h.self = h
			if self != nil {
				h.self = self
			}
			if err := make(h, thread, args, kwargs); err != nil {
				return nil, err
			}
			st.handlers = append(st.handlers, h)
			return h, nil
		}
		return c
	}
	levelOnly := func(h *Handler, thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) error {
		var level starlark.Value = starlark.MakeInt(0)
		if err := starlark.UnpackArgs(h.class.name, args, kwargs, "level?", &level); err != nil {
			return err
		}
		n, err := levelArg(level)
		h.level = n
		return err
	}
	st.handlerClass = newClass("Handler", `Handler(level=NOTSET)
    The base of handlers: a subclass's emit(record) writes the record
    somewhere. Methods: setLevel, setFormatter, addFilter, removeFilter,
    filter, handle, format, flush, close.`, nil, levelOnly)
	st.streamHandlerClass = newClass("StreamHandler", `StreamHandler(stream=None)
    A handler that writes formatted records and a terminator ("\n") to
    stream: sys.stderr by default, sys.stdout, or any object with write().`, st.handlerClass, func(h *Handler, thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) error {
		var stream starlark.Value = starlark.None
		if err := starlark.UnpackArgs(h.class.name, args, kwargs, "stream?", &stream); err != nil {
			return err
		}
		if stream == starlark.None {
			stream = libsys.Stderr
		}
		h.stream = stream
		return nil
	})
	st.streamHandlerClass.attrs = map[string]starlark.Value{"terminator": starlark.String("\n")}
	st.fileHandlerClass = newClass("FileHandler", `FileHandler(filename, mode='a', encoding=None, delay=False, errors=None)
    A StreamHandler on a file, opened as open() opens it (the host must
    grant file access).`, st.streamHandlerClass, func(h *Handler, thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) error {
		var filename starlark.Value
		var encoding, errors starlark.Value = starlark.None, starlark.None
		mode, delay := "a", false
		if err := starlark.UnpackArgs(h.class.name, args, kwargs, "filename", &filename, "mode?", &mode, "encoding?", &encoding, "delay?", &delay, "errors?", &errors); err != nil {
			return err
		}
		name, ok := filename.(starlark.String)
		if !ok {
			return py.Errorf(py.TypeError, "expected str, bytes or os.PathLike object, not %s", py.TypeName(filename))
		}
		h.mode, h.encoding, h.stream = mode, encoding, starlark.None
		h.baseFilename = string(name)
		if !delay {
			if err := h.open(thread); err != nil {
				return err
			}
		}
		return nil
	})
	st.nullHandlerClass = newClass("NullHandler", `NullHandler(level=NOTSET)
    A handler that does nothing: a logger with one does not reach
    logging.lastResort.`, st.handlerClass, levelOnly)
	stderrHandler := newClass("_StderrHandler", "logging.lastResort's class: a StreamHandler on sys.stderr.", st.streamHandlerClass, func(h *Handler, thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) error {
		h.stream = libsys.Stderr
		return levelOnly(h, thread, args, kwargs)
	})
	lastResort, _ := stderrHandler.make(nil, nil, starlark.Tuple{starlark.MakeInt(logWarning)}, nil)
	st.lastResort = lastResort.(*Handler)
}

// open opens a FileHandler's file as open() does, under the host's file
// access rules (a sandbox refuses it with PermissionError), and makes its
// name absolute as CPython's baseFilename is.
func (h *Handler) open(thread *starlark.Thread) error {
	kwargs := []starlark.Tuple{{starlark.String("encoding"), h.encoding}}
	f, err := starlark.Call(thread, py.Globals()["open"], starlark.Tuple{starlark.String(h.baseFilename), starlark.String(h.mode)}, kwargs)
	if err != nil {
		return err
	}
	if !filepath.IsAbs(h.baseFilename) {
		files, err := py.FilesOf(thread, "open("+py.QuoteString(h.baseFilename)+")")
		if err != nil {
			return err
		}
		cwd, err := files.Getwd()
		if err != nil {
			return py.OSErrorOf(err, ".")
		}
		h.baseFilename = filepath.Join(cwd, h.baseFilename)
	}
	h.stream, h.closed = f, false
	return nil
}

// handlerMethods are a handler's methods; a script's subclass reaches
// those it does not override through its part.
var handlerMethods = py.MethodTable[*Handler]{
	"setLevel": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var level starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &level); err != nil {
			return nil, err
		}
		n, err := levelArg(level)
		if err != nil {
			return nil, err
		}
		h.level = n
		return starlark.None, nil
	},
	"setFormatter": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var fmt starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &fmt); err != nil {
			return nil, err
		}
		h.formatter = fmt
		return starlark.None, nil
	},
	"addFilter":    addFilter[*Handler],
	"removeFilter": removeFilter[*Handler],
	"filter": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &record); err != nil {
			return nil, err
		}
		ok, err := applyFilters(thread, h.filterList(), record)
		return starlark.Bool(ok), err
	},
	"handle": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &record); err != nil {
			return nil, err
		}
		if h.class == h.st.nullHandlerClass {
			return starlark.None, nil
		}
		rv, err := h.call(thread, "filter", record)
		if err != nil || !rv.Truth() {
			return rv, err
		}
		if _, err := h.call(thread, "emit", record); err != nil {
			return nil, err
		}
		return rv, nil
	},
	"emit": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &record); err != nil {
			return nil, err
		}
		return starlark.None, h.emit(thread, record)
	},
	"format": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &record); err != nil {
			return nil, err
		}
		fmt := selfAttr(h.self, "formatter", h.formatter)
		if fmt == starlark.None {
			fmt = h.st.defaultFormatter
		}
		return call(thread, fmt, "format", record)
	},
	"flush": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return starlark.None, h.flush(thread)
	},
	"close": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return starlark.None, h.close(thread)
	},
	"setStream": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var stream starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &stream); err != nil {
			return nil, err
		}
		if h.stream == nil {
			return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'setStream'", h.class.name)
		}
		if stream == h.stream {
			return starlark.None, nil
		}
		old := h.stream
		if err := h.flush(thread); err != nil {
			return nil, err
		}
		h.stream = stream
		return old, nil
	},
	"handleError": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &record); err != nil {
			return nil, err
		}
		text := "--- Logging error ---\n" + handledTraceback(thread)
		if r, ok := record.(*Record); ok {
			text += fmt.Sprintf("Message: %s\nArguments: %s\n", py.Repr(r.get("msg")), py.Repr(r.get("args")))
		}
		return starlark.None, libsys.Stderr.WriteText(thread, text)
	},
	"acquire":    noop[*Handler],
	"release":    noop[*Handler],
	"createLock": noop[*Handler],
	"get_name": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return selfAttr(h.self, "name", h.name), nil
	},
	"set_name": func(h *Handler, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var name starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &name); err != nil {
			return nil, err
		}
		h.name = name
		return starlark.None, nil
	},
}

// noop is a method that does nothing: a handler's lock methods (one
// interpreter lock serialises kstar's threads' Python).
func noop[T starlark.Value](recv T, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// call calls the handler's method name through self, so that a script's
// override runs.
func (h *Handler) call(thread *starlark.Thread, name string, args ...starlark.Value) (starlark.Value, error) {
	return call(thread, h.self, name, args...)
}

// filterList is the handler's filters (a script's instance may have set
// its own list).
func (h *Handler) filterList() starlark.Value { return selfAttr(h.self, "filters", h.filters) }

// levelOf is a handler's level, as Logger.callHandlers reads it.
func levelOf(handler starlark.Value) (int, error) {
	v, err := py.GetAttr(handler, "level")
	if err != nil {
		return 0, err
	}
	n, ok := v.(starlark.Int)
	if !ok {
		return 0, py.Errorf(py.TypeError, "'>=' not supported between instances of 'int' and '%s'", py.TypeName(v))
	}
	i, _ := n.Int64()
	return int(i), nil
}

// emit is the class's emit: StreamHandler and FileHandler write the
// formatted record and the terminator to their stream.
func (h *Handler) emit(thread *starlark.Thread, record starlark.Value) error {
	switch h.class {
	case h.st.nullHandlerClass:
		return nil
	case h.st.handlerClass:
		return py.Errorf(py.NotImplementedError, "emit must be implemented by Handler subclasses")
	}
	if h.class == h.st.fileHandlerClass && h.stream == starlark.None {
		if h.mode == "w" && h.closed {
			return nil
		}
		if err := h.open(thread); err != nil {
			return err
		}
	}
	msg, err := h.call(thread, "format", record)
	if err != nil {
		return err
	}
	s, ok := msg.(starlark.String)
	if !ok {
		return py.Errorf(py.TypeError, "unsupported operand type(s) for +: '%s' and 'str'", py.TypeName(msg))
	}
	stream := selfAttr(h.self, "stream", h.stream)
	term := selfAttr(h.self, "terminator", h.term())
	if err := writeStream(thread, stream, string(s)+py.Str(term)); err != nil {
		return err
	}
	_, err = h.call(thread, "flush")
	return err
}

// term is the handler's terminator: its own, else its class's.
func (h *Handler) term() starlark.Value {
	if h.terminator != nil {
		return h.terminator
	}
	v, _ := h.class.Attr("terminator")
	if v == nil {
		return starlark.String("\n")
	}
	return v
}

// writeStream writes s to a stream: sys.stdout, sys.stderr, a file, or
// any value with a write method.
func writeStream(thread *starlark.Thread, stream starlark.Value, s string) error {
	if w, ok := stream.(py.TextWriter); ok {
		if err := w.WriteText(thread, s); err != nil {
			return py.Errorf(py.OSError, "%v", err)
		}
		return nil
	}
	_, err := call(thread, stream, "write", starlark.String(s))
	return err
}

// flush flushes the stream of a StreamHandler (Handler's flush does
// nothing).
func (h *Handler) flush(thread *starlark.Thread) error {
	stream := selfAttr(h.self, "stream", h.stream)
	if stream == nil || stream == starlark.None {
		return nil
	}
	if ha, ok := stream.(starlark.HasAttrs); ok {
		if f, _ := ha.Attr("flush"); f != nil {
			_, err := starlark.Call(thread, f, nil, nil)
			return err
		}
	}
	return nil
}

// close closes a FileHandler's file; other handlers' close does nothing
// to their streams.
func (h *Handler) close(thread *starlark.Thread) error {
	if h.class != h.st.fileHandlerClass || h.stream == starlark.None {
		h.closed = true
		return nil
	}
	if err := h.flush(thread); err != nil {
		return err
	}
	stream := h.stream
	h.stream, h.closed = starlark.None, true
	_, err := call(thread, stream, "close")
	return err
}

func (h *Handler) String() string        { return h.repr(h.class.name) }
func (h *Handler) Type() string          { return h.class.name }
func (h *Handler) Freeze()               {}
func (h *Handler) Truth() starlark.Bool  { return true }
func (h *Handler) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(h)) >> 3), nil }

// PyClass is type(h).
func (h *Handler) PyClass() starlark.Value { return h.class }

// ReprOf is the repr of a script's subclass's instance: its class's name
// in the handler's repr.
func (h *Handler) ReprOf(self *py.Object) string { return h.repr(self.Class().Name()) }

// repr is CPython's: <StreamHandler <stderr> (NOTSET)>,
// <FileHandler /abs/app.log (DEBUG)>, <NullHandler (NOTSET)>.
func (h *Handler) repr(class string) string {
	level := levelName(h.level)
	switch {
	case h.class == h.st.fileHandlerClass:
		return fmt.Sprintf("<%s %s (%s)>", class, h.baseFilename, level)
	case h.stream != nil:
		name := ""
		if ha, ok := h.stream.(starlark.HasAttrs); ok {
			if v, _ := ha.Attr("name"); v != nil {
				name = py.Str(v) + " "
			}
		}
		return fmt.Sprintf("<%s %s(%s)>", class, name, level)
	}
	return fmt.Sprintf("<%s (%s)>", class, level)
}

// Attr is one of the handler's attributes or methods.
func (h *Handler) Attr(name string) (starlark.Value, error) {
	switch name {
	case "level":
		return starlark.MakeInt(h.level), nil
	case "formatter":
		return h.formatter, nil
	case "filters":
		return h.filters, nil
	case "name":
		return h.name, nil
	case "lock":
		return starlark.None, nil
	}
	if h.stream != nil {
		switch name {
		case "stream":
			return h.stream, nil
		case "terminator":
			return h.term(), nil
		}
	}
	if h.class == h.st.fileHandlerClass {
		switch name {
		case "baseFilename":
			return starlark.String(h.baseFilename), nil
		case "mode":
			return starlark.String(h.mode), nil
		case "encoding":
			return h.encoding, nil
		}
	}
	if name == "setStream" && h.stream == nil {
		return nil, nil
	}
	return handlerMethods.Bind(h, name), nil
}

func (h *Handler) AttrNames() []string {
	names := handlerMethods.Names("filters", "formatter", "level", "lock", "name")
	if h.stream != nil {
		names = append(names, "stream", "terminator")
	}
	if h.class == h.st.fileHandlerClass {
		names = append(names, "baseFilename", "encoding", "mode")
	}
	return names
}

// SetField sets level, formatter, name, stream or terminator.
func (h *Handler) SetField(name string, v starlark.Value) error {
	switch name {
	case "level":
		n, err := levelArg(v)
		if err != nil {
			return err
		}
		h.level = n
	case "formatter":
		h.formatter = v
	case "name":
		h.name = v
	case "filters":
		l, ok := v.(*starlark.List)
		if !ok {
			return py.Errorf(py.TypeError, "kstar: a handler's filters must be a list, not %s", py.TypeName(v))
		}
		h.filters = l
	case "stream", "terminator":
		if h.stream == nil {
			return py.Errorf(py.AttributeError, "'%s' object has no attribute '%s'", h.class.name, name)
		}
		if name == "stream" {
			h.stream = v
		} else {
			h.terminator = v
		}
	default:
		return py.Errorf(py.AttributeError, "kstar: '%s' object has no attribute '%s' to set", h.class.name, name)
	}
	return nil
}
