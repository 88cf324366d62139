// Package csv is Python's csv module for kstar scripts:
//
//	reader(csvfile, dialect='excel', **fmtparams)
//	writer(fileobj, dialect='excel', **fmtparams)
//	DictReader(f, fieldnames=None, restkey=None, restval=None, dialect='excel', **fmtparams)
//	DictWriter(f, fieldnames, restval='', extrasaction='raise', dialect='excel', **fmtparams)
//	register_dialect(name, dialect=None, **fmtparams), unregister_dialect(name)
//	get_dialect(name), list_dialects(), field_size_limit([new_limit])
//	excel, excel_tab, unix_dialect, QUOTE_MINIMAL, QUOTE_ALL,
//	QUOTE_NONNUMERIC, QUOTE_NONE, Error
//
// The formatting parameters are CPython's (delimiter, quotechar,
// escapechar, doublequote, skipinitialspace, lineterminator, quoting,
// strict), checked with its messages. A reader takes one line at a time
// from any iterable of str (a file of open(), sys.stdin, a list, a
// generator) and parses it as CPython 3.11's _csv does, character for
// character: quoted fields over several lines, doubled quotes, escapes,
// QUOTE_NONNUMERIC's floats, strict mode and csv.Error's messages. A
// writer writes each row with one call of its file's write method (a
// file of open(), sys.stdout, any object with write) and returns what
// write returned.
//
// Not offered: Sniffer, and subclasses of csv.Dialect (kstar scripts
// cannot define classes yet); any object with the dialect attributes can
// be passed as a dialect.
package csv

import (
	"sync"
	"sync/atomic"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// Error is csv.Error (CPython's _csv.Error).
var Error = &py.ExceptionClass{ClassName: "Error", Module: "_csv", Base: py.PyException}

// defaultFieldLimit is CPython's field_size_limit() at start.
const defaultFieldLimit = 128 * 1024

// module is the state of one execution's csv module: its dialect
// registry and field size limit, which readers consult as they parse.
type module struct {
	mu         sync.Mutex
	names      []string // registration order, for list_dialects
	dialects   map[string]*Dialect
	fieldLimit atomic.Int64
}

// New returns the csv module for one execution.
func New(env *py.Env) starlark.Value {
	m := &module{dialects: map[string]*Dialect{}}
	m.fieldLimit.Store(defaultFieldLimit)
	for _, d := range []struct {
		name    string
		dialect *Dialect
	}{{"excel", &excel}, {"excel-tab", &excelTab}, {"unix", &unixDialect}} {
		copy := *d.dialect
		m.register(d.name, &copy)
	}
	return &starlarkstruct.Module{Name: "csv", Members: starlark.StringDict{
		"reader":             py.Func("reader", m.reader),
		"writer":             py.Func("writer", m.writer),
		"DictReader":         m.dictReaderClass(),
		"DictWriter":         m.dictWriterClass(),
		"register_dialect":   py.Func("register_dialect", m.registerDialect),
		"unregister_dialect": py.Func("unregister_dialect", m.unregisterDialect),
		"get_dialect":        py.Func("get_dialect", m.getDialect),
		"list_dialects":      py.Func("list_dialects", m.listDialects),
		"field_size_limit":   py.Func("field_size_limit", m.fieldSizeLimit),
		"excel":              excelClass,
		"excel_tab":          excelTabClass,
		"unix_dialect":       unixDialectClass,
		"QUOTE_MINIMAL":      starlark.MakeInt(quoteMinimal),
		"QUOTE_ALL":          starlark.MakeInt(quoteAll),
		"QUOTE_NONNUMERIC":   starlark.MakeInt(quoteNonNumeric),
		"QUOTE_NONE":         starlark.MakeInt(quoteNone),
		"Error":              Error,
	}}
}

func (m *module) register(name string, d *Dialect) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.dialects[name]; !ok {
		m.names = append(m.names, name)
	}
	m.dialects[name] = d
}

// lookup returns the dialect registered as name.
func (m *module) lookup(name string) (*Dialect, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d, ok := m.dialects[name]; ok {
		return d, nil
	}
	return nil, py.Errorf(Error, "unknown dialect")
}

// dialectOf makes the dialect of a reader, writer or registration from
// its positional dialect argument (nil: none) and keyword arguments.
func (m *module) dialectOf(positional starlark.Value, kwargs []starlark.Tuple) (*Dialect, error) {
	dialect := positional
	params := kwargs
	for i, kv := range kwargs {
		if string(kv[0].(starlark.String)) != "dialect" {
			continue
		}
		if positional != nil {
			return nil, py.Errorf(py.TypeError, "argument for function given by name ('dialect') and position (1)")
		}
		dialect = kv[1]
		params = append(append(make([]starlark.Tuple, 0, len(kwargs)-1), kwargs[:i]...), kwargs[i+1:]...)
		break
	}
	return m.makeDialect(dialect, params)
}

// positionalArgs checks that a function whose CPython messages name no
// function got min to max positional arguments.
func positionalArgs(args starlark.Tuple, min, max int) error {
	if len(args) < min {
		return py.Errorf(py.TypeError, " expected at least %d argument%s, got %d", min, plural(min), len(args))
	}
	if len(args) > max {
		return py.Errorf(py.TypeError, " expected at most %d argument%s, got %d", max, plural(max), len(args))
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func optional(args starlark.Tuple, i int) starlark.Value {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// reader(csvfile, dialect='excel', **fmtparams)
func (m *module) reader(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := positionalArgs(args, 1, 2); err != nil {
		return nil, err
	}
	lines, err := py.Iterate(thread, args[0])
	if err != nil {
		return nil, err
	}
	d, err := m.dialectOf(optional(args, 1), kwargs)
	if err != nil {
		return nil, err
	}
	return newReader(thread, m, lines, d), nil
}

// writer(fileobj, dialect='excel', **fmtparams)
func (m *module) writer(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := positionalArgs(args, 1, 2); err != nil {
		return nil, err
	}
	write, err := py.GetAttr(args[0], "write")
	if err != nil {
		return nil, py.Errorf(py.TypeError, "argument 1 must have a \"write\" method")
	}
	d, err := m.dialectOf(optional(args, 1), kwargs)
	if err != nil {
		return nil, err
	}
	return newWriter(write, d), nil
}

// register_dialect(name, dialect=None, **fmtparams)
func (m *module) registerDialect(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := positionalArgs(args, 1, 2); err != nil {
		return nil, err
	}
	name, ok := args[0].(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "dialect name must be a string")
	}
	d, err := m.dialectOf(optional(args, 1), kwargs)
	if err != nil {
		return nil, err
	}
	m.register(string(name), d)
	return starlark.None, nil
}

var (
	getDialectSpec        = &pyargs.Func{Name: "get_dialect", Params: []string{"name"}, Required: 1, C: true}
	unregisterDialectSpec = &pyargs.Func{Name: "unregister_dialect", Params: []string{"name"}, Required: 1, C: true}
	fieldSizeLimitSpec    = &pyargs.Func{Name: "field_size_limit", Params: []string{"new_limit"}, C: true}
)

// get_dialect(name)
func (m *module) getDialect(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name starlark.Value
	if err := getDialectSpec.Bind(args, kwargs, &name); err != nil {
		return nil, err
	}
	s, ok := name.(starlark.String)
	if !ok {
		return nil, py.Errorf(Error, "unknown dialect")
	}
	return m.lookup(string(s))
}

// unregister_dialect(name)
func (m *module) unregisterDialect(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name starlark.Value
	if err := unregisterDialectSpec.Bind(args, kwargs, &name); err != nil {
		return nil, err
	}
	s, _ := name.(starlark.String)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.dialects[string(s)]; !ok || s != name {
		return nil, py.Errorf(Error, "unknown dialect")
	}
	delete(m.dialects, string(s))
	for i, n := range m.names {
		if n == string(s) {
			m.names = append(m.names[:i:i], m.names[i+1:]...)
			break
		}
	}
	return starlark.None, nil
}

// list_dialects()
func (m *module) listDialects(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if n := len(args) + len(kwargs); n > 0 {
		return nil, py.Errorf(py.TypeError, "_csv.list_dialects() takes no arguments (%d given)", n)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	names := make([]starlark.Value, len(m.names))
	for i, n := range m.names {
		names[i] = starlark.String(n)
	}
	return starlark.NewList(names), nil
}

// field_size_limit([new_limit]) returns the limit, and sets it when
// given one.
func (m *module) fieldSizeLimit(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if n := len(args) + len(kwargs); n > 1 {
		return nil, py.Errorf(py.TypeError, "field_size_limit() takes at most 1 argument (%d given)", n)
	}
	var limit starlark.Value
	if err := fieldSizeLimitSpec.Bind(args, kwargs, &limit); err != nil {
		return nil, err
	}
	old := m.fieldLimit.Load()
	if limit != nil {
		i, ok := limit.(starlark.Int)
		if !ok {
			return nil, py.Errorf(py.TypeError, "limit must be an integer")
		}
		n, ok := i.Int64()
		if !ok {
			return nil, py.Errorf(py.OverflowError, "Python int too large to convert to C long")
		}
		m.fieldLimit.Store(n)
	}
	return starlark.MakeInt64(old), nil
}
