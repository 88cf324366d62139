package logging

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unsafe"

	"go.starlark.net/starlark"

	libtime "github.com/kstar-dev/kstar/builtins/lib/time"
	"github.com/kstar-dev/kstar/builtins/py"
)

// Formatter is a logging.Formatter, or the part of a script's instance of
// a class derived from it (self is then that instance).
type Formatter struct {
	class   *class
	self    starlark.Value
	fmt     string
	datefmt starlark.Value // None or a str
	style   string         // "%", "{" or "$"
	// converter is the instance's converter when a script set one (nil:
	// the class's, time.localtime unless the script set another).
	converter starlark.Value
}

var (
	_ starlark.HasAttrs    = (*Formatter)(nil)
	_ starlark.HasSetField = (*Formatter)(nil)
)

// styleDefaults are each style's default format.
var styleDefaults = map[string]string{"%": "%(message)s", "{": "{message}", "$": "${message}"}

// percentField is CPython's validation pattern of a %-style format.
var percentField = regexp.MustCompile(`(?i)%\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]`)

// dollarField finds a $-style field.
var dollarField = regexp.MustCompile(`\$(\w+|\{\w+\})`)

// formatterClass makes st's Formatter class.
func (st *logState) formatterClass() *class {
	methods := map[string]bool{}
	for name := range formatterMethods {
		methods[name] = true
	}
	c := &class{name: "Formatter", methods: methods, doc: `Formatter(fmt=None, datefmt=None, style='%', validate=True, *, defaults=None)
    Turns a LogRecord into text: fmt ('%(message)s' by default) filled in
    from the record's attributes (style '%', '{' or '$'), asctime by
    formatTime (datefmt), the traceback by formatException.`,
		classOf: func(v starlark.Value) *class {
			if f, ok := v.(*Formatter); ok {
				return f.class
			}
			return nil
		},
		bind:  func(v starlark.Value, name string) starlark.Value { return formatterMethods.Bind(v.(*Formatter), name) },
		attrs: map[string]starlark.Value{"converter": starlark.None, "default_time_format": starlark.String("%Y-%m-%d %H:%M:%S"), "default_msec_format": starlark.String("%s,%03d")},
	}
	c.make = func(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var format, datefmt, defaults starlark.Value = starlark.None, starlark.None, starlark.None
		style, validate := "%", true
		if err := starlark.UnpackArgs("Formatter", args, kwargs, "fmt?", &format, "datefmt?", &datefmt, "style?", &style, "validate?", &validate, "defaults?", &defaults); err != nil {
			return nil, err
		}
		return newFormatter(c, self, format, datefmt, style, validate)
	}
	return c
}

// newFormatter is Formatter(fmt, datefmt, style, validate).
func newFormatter(c *class, self, format, datefmt starlark.Value, style string, validate bool) (*Formatter, error) {
	def, ok := styleDefaults[style]
	if !ok {
		return nil, py.Errorf(py.ValueError, "Style must be one of: %%,{,$")
	}
	f := &Formatter{class: c, fmt: def, datefmt: datefmt, style: style}
	f.self = f
	if self != nil {
		f.self = self
	}
	if format != starlark.None {
		s, ok := format.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "kstar: a Formatter's fmt must be a str, not %s", py.TypeName(format))
		}
		f.fmt = string(s)
	}
	if validate {
		switch {
		case style == "%" && !percentField.MatchString(f.fmt):
			return nil, py.Errorf(py.ValueError, "Invalid format '%s' for '%%' style", f.fmt)
		case style == "{" && !strings.Contains(f.fmt, "{"), style == "$" && !dollarField.MatchString(f.fmt):
			return nil, py.Errorf(py.ValueError, "invalid format: no fields")
		}
	}
	return f, nil
}

// formatterMethods are a Formatter's methods.
var formatterMethods = py.MethodTable[*Formatter]{
	"format": func(f *Formatter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		r, err := recordArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		s, err := f.format(thread, r)
		return starlark.String(s), err
	},
	"formatMessage": func(f *Formatter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		r, err := recordArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		s, err := f.formatMessage(thread, r)
		return starlark.String(s), err
	},
	"usesTime": func(f *Formatter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return starlark.Bool(f.usesTime()), nil
	},
	"formatTime": func(f *Formatter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record, datefmt starlark.Value = nil, starlark.None
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "record", &record, "datefmt?", &datefmt); err != nil {
			return nil, err
		}
		return f.formatTime(thread, record, datefmt)
	},
	"formatException": func(f *Formatter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var ei starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &ei); err != nil {
			return nil, err
		}
		return starlark.String(strings.TrimSuffix(excInfoText(thread, ei), "\n")), nil
	},
	"formatStack": func(f *Formatter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var s starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &s); err != nil {
			return nil, err
		}
		return s, nil
	},
}

// recordArg is a method's one argument, a LogRecord.
func recordArg(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (*Record, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	r, ok := v.(*Record)
	if !ok {
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'getMessage'", py.TypeName(v))
	}
	return r, nil
}

// format is Formatter.format(record): the message, the time when the
// format uses it, the format filled in, then the exception's traceback
// (formatException's, kept in exc_text) and the stack.
func (f *Formatter) format(thread *starlark.Thread, r *Record) (string, error) {
	msg, err := r.message(thread)
	if err != nil {
		return "", err
	}
	r.set("message", starlark.String(msg))
	if f.usesTime() {
		t, err := call(thread, f.self, "formatTime", r, selfAttr(f.self, "datefmt", f.datefmt))
		if err != nil {
			return "", err
		}
		r.set("asctime", t)
	}
	v, err := call(thread, f.self, "formatMessage", r)
	if err != nil {
		return "", err
	}
	s := py.Str(v)
	if ei := r.get("exc_info"); ei.Truth() == starlark.True && r.get("exc_text") == starlark.None {
		text, err := call(thread, f.self, "formatException", ei)
		if err != nil {
			return "", err
		}
		r.set("exc_text", text)
	}
	if text := r.get("exc_text"); text != starlark.None && py.Str(text) != "" {
		if !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		s += py.Str(text)
	}
	if si := r.get("stack_info"); si != starlark.None && si.Truth() == starlark.True {
		if !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		s += py.Str(si)
	}
	return s, nil
}

// usesTime reports whether the format has an asctime field.
func (f *Formatter) usesTime() bool {
	switch f.style {
	case "{":
		return strings.Contains(f.fmt, "{asctime")
	case "$":
		return strings.Contains(f.fmt, "$asctime") || strings.Contains(f.fmt, "${asctime}")
	}
	return strings.Contains(f.fmt, "%(asctime)")
}

// formatMessage fills the format in from the record's attributes.
func (f *Formatter) formatMessage(thread *starlark.Thread, r *Record) (string, error) {
	d := r.dict()
	switch f.style {
	case "{":
		kwargs := d.Items()
		format, err := py.GetAttr(starlark.String(f.fmt), "format")
		if err != nil {
			return "", err
		}
		v, err := starlark.Call(thread, format, nil, kwargs)
		if err != nil {
			return "", err
		}
		return py.Str(v), nil
	case "$":
		var failed error
		s := dollarField.ReplaceAllStringFunc(f.fmt, func(field string) string {
			name := strings.Trim(field, "${}")
			v, found, _ := d.Get(starlark.String(name))
			if !found {
				if failed == nil {
					failed = &py.Exception{Class: py.KeyError, Msg: py.QuoteString(name), Args: starlark.Tuple{starlark.String(name)}}
				}
				return ""
			}
			return py.Str(v)
		})
		return strings.ReplaceAll(s, "$$", "$"), failed
	}
	m := py.NewMeter(thread)
	return py.PercentFormat(&m, f.fmt, d, false)
}

// formatTime is Formatter.formatTime(record, datefmt=None): the record's
// created time through the converter (time.localtime by default), by
// datefmt, else as "2024-01-02 03:04:05,678".
func (f *Formatter) formatTime(thread *starlark.Thread, record, datefmt starlark.Value) (starlark.Value, error) {
	created, err := py.GetAttr(record, "created")
	if err != nil {
		return nil, err
	}
	secs, ok := starlark.AsFloat(created)
	if !ok {
		return nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(created))
	}
	t := time.Unix(0, int64(secs*1e9)).Local()
	converter := f.converter
	if converter == nil {
		converter, _ = f.class.Attr("converter")
	}
	converter = selfAttr(f.self, "converter", converter)
	if converter != nil && converter != starlark.None {
		st, err := starlark.Call(thread, converter, starlark.Tuple{created}, nil)
		if err != nil {
			return nil, err
		}
		if t, err = wallClock(st); err != nil {
			return nil, err
		}
	}
	if datefmt != starlark.None {
		return starlark.String(libtime.Strftime(py.Str(datefmt), t)), nil
	}
	timeFormat, _ := f.class.Attr("default_time_format")
	msecFormat, _ := f.class.Attr("default_msec_format")
	timeFormat = selfAttr(f.self, "default_time_format", timeFormat)
	msecFormat = selfAttr(f.self, "default_msec_format", msecFormat)
	s := libtime.Strftime(py.Str(timeFormat), t)
	if msecFormat == starlark.None {
		return starlark.String(s), nil
	}
	msecs, err := py.GetAttr(record, "msecs")
	if err != nil {
		return nil, err
	}
	m := py.NewMeter(thread)
	out, err := py.PercentFormat(&m, py.Str(msecFormat), starlark.Tuple{starlark.String(s), msecs}, false)
	return starlark.String(out), err
}

// wallClock is the time a struct_time (a converter's result) shows, as
// strftime formats it.
func wallClock(v starlark.Value) (time.Time, error) {
	var fields []starlark.Value
	switch v := v.(type) {
	case py.NamedTupleValue:
		fields = py.NamedTupleValues(v)
	case starlark.Tuple:
		fields = v
	}
	if len(fields) < 6 {
		return time.Time{}, py.Errorf(py.TypeError, "Tuple or struct_time argument required")
	}
	var n [6]int
	for i := range n {
		x, err := starlark.AsInt32(fields[i])
		if err != nil {
			return time.Time{}, py.Errorf(py.TypeError, "Tuple or struct_time argument required")
		}
		n[i] = x
	}
	return time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC), nil
}

func (f *Formatter) String() string {
	return fmt.Sprintf("<logging.%s object at %#x>", f.class.name, uintptr(unsafe.Pointer(f)))
}
func (f *Formatter) Type() string          { return f.class.name }
func (f *Formatter) Freeze()               {}
func (f *Formatter) Truth() starlark.Bool  { return true }
func (f *Formatter) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(f)) >> 3), nil }

// PyClass is type(f).
func (f *Formatter) PyClass() starlark.Value { return f.class }

// Attr is _fmt, datefmt, converter, a class attribute or a method.
func (f *Formatter) Attr(name string) (starlark.Value, error) {
	switch name {
	case "_fmt":
		return starlark.String(f.fmt), nil
	case "datefmt":
		return f.datefmt, nil
	case "converter":
		if f.converter != nil {
			return f.converter, nil
		}
	}
	if v, ok := f.class.attrs[name]; ok {
		return v, nil
	}
	return formatterMethods.Bind(f, name), nil
}

func (f *Formatter) AttrNames() []string {
	return formatterMethods.Names("_fmt", "converter", "datefmt", "default_msec_format", "default_time_format")
}

// SetField sets datefmt, _fmt or converter.
func (f *Formatter) SetField(name string, v starlark.Value) error {
	switch name {
	case "datefmt":
		f.datefmt = v
	case "_fmt":
		f.fmt = py.Str(v)
	case "converter":
		f.converter = v
	default:
		return py.Errorf(py.AttributeError, "kstar: 'Formatter' object has no attribute '%s' to set", name)
	}
	return nil
}

// Filter is a logging.Filter: it passes the records of the logger it
// names and of that logger's descendants.
type Filter struct {
	class *class
	name  string
}

var _ starlark.HasAttrs = (*Filter)(nil)

// filterClass makes st's Filter class.
func (st *logState) filterClass() *class {
	c := &class{name: "Filter", methods: map[string]bool{"filter": true}, doc: `Filter(name='')
    Passes the records of the logger name and its descendants (all
    records for ''); a subclass may override filter(record).`,
		classOf: func(v starlark.Value) *class {
			if f, ok := v.(*Filter); ok {
				return f.class
			}
			return nil
		},
		bind: func(v starlark.Value, name string) starlark.Value { return v.(*Filter).method() },
	}
	c.make = func(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		name := ""
		if err := starlark.UnpackArgs("Filter", args, kwargs, "name?", &name); err != nil {
			return nil, err
		}
		return &Filter{class: c, name: name}, nil
	}
	return c
}

// passes is Filter.filter(record).
func (f *Filter) passes(record starlark.Value) (bool, error) {
	if f.name == "" {
		return true, nil
	}
	v, err := py.GetAttr(record, "name")
	if err != nil {
		return false, err
	}
	name := py.Str(v)
	return name == f.name || strings.HasPrefix(name, f.name+"."), nil
}

func (f *Filter) method() starlark.Value {
	return py.Func("filter", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var record starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &record); err != nil {
			return nil, err
		}
		ok, err := f.passes(record)
		return starlark.Bool(ok), err
	}).BindReceiver(f)
}

func (f *Filter) String() string {
	return fmt.Sprintf("<logging.Filter object at %#x>", uintptr(unsafe.Pointer(f)))
}
func (f *Filter) Type() string          { return "Filter" }
func (f *Filter) Freeze()               {}
func (f *Filter) Truth() starlark.Bool  { return true }
func (f *Filter) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(f)) >> 3), nil }

// PyClass is type(f).
func (f *Filter) PyClass() starlark.Value { return f.class }

// Attr is name or filter.
func (f *Filter) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(f.name), nil
	case "nlen":
		return starlark.MakeInt(len(f.name)), nil
	case "filter":
		return f.method(), nil
	}
	return nil, nil
}

func (f *Filter) AttrNames() []string { return []string{"filter", "name", "nlen"} }

// applyFilters is Filterer.filter(record): each filter's filter method
// (or the filter itself, a function) must pass the record.
func applyFilters(thread *starlark.Thread, filters starlark.Value, record starlark.Value) (bool, error) {
	list, ok := filters.(*starlark.List)
	if !ok || list.Len() == 0 {
		return true, nil
	}
	for i := 0; i < list.Len(); i++ {
		f := list.Index(i)
		var result starlark.Value
		var err error
		if fl, ok := f.(*Filter); ok {
			var pass bool
			pass, err = fl.passes(record)
			result = starlark.Bool(pass)
		} else if m, _ := py.GetAttr(f, "filter"); m != nil {
			result, err = starlark.Call(thread, m, starlark.Tuple{record}, nil)
		} else {
			result, err = starlark.Call(thread, f, starlark.Tuple{record}, nil)
		}
		if err != nil {
			return false, err
		}
		if !result.Truth() {
			return false, nil
		}
	}
	return true, nil
}

// filterer is a value with filters: a Handler or a Logger.
type filterer interface {
	starlark.Value
	filterList() starlark.Value
}

// addFilter is addFilter(filter): adds it unless it is there already.
func addFilter[T filterer](recv T, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var f starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &f); err != nil {
		return nil, err
	}
	list, ok := recv.filterList().(*starlark.List)
	if !ok {
		return nil, py.Errorf(py.TypeError, "kstar: filters must be a list")
	}
	if !contains(list, f) {
		return starlark.None, list.Append(f)
	}
	return starlark.None, nil
}

// removeFilter is removeFilter(filter): removes it if it is there.
func removeFilter[T filterer](recv T, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var f starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &f); err != nil {
		return nil, err
	}
	list, ok := recv.filterList().(*starlark.List)
	if ok {
		removeFrom(list, f)
	}
	return starlark.None, nil
}

// contains reports whether list holds v (by identity, as logging's
// handler and filter lists compare).
func contains(list *starlark.List, v starlark.Value) bool {
	for i := 0; i < list.Len(); i++ {
		if list.Index(i) == v {
			return true
		}
	}
	return false
}

// removeFrom removes v from list, if it is there.
func removeFrom(list *starlark.List, v starlark.Value) {
	for i := 0; i < list.Len(); i++ {
		if list.Index(i) == v {
			rest := make([]starlark.Value, 0, list.Len()-1)
			for j := 0; j < list.Len(); j++ {
				if j != i {
					rest = append(rest, list.Index(j))
				}
			}
			_ = list.Clear()
			for _, x := range rest {
				_ = list.Append(x)
			}
			return
		}
	}
}
