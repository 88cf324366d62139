package csv

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyclass"
	"github.com/kstar-dev/kstar/builtins/py"
)

// The quoting constants, CPython's values.
const (
	quoteMinimal    = 0
	quoteAll        = 1
	quoteNonNumeric = 2
	quoteNone       = 3
)

// notSet is the quotechar or escapechar None; eol is the end of a line
// the parser is told of. Neither is a character of any string.
const (
	notSet rune = -1
	eol    rune = -2
)

// Dialect is CPython's _csv.Dialect: the validated formatting parameters
// of a reader or writer. It cannot be changed once made.
type Dialect struct {
	delimiter, quotechar, escapechar      rune // quotechar, escapechar may be notSet
	doublequote, skipinitialspace, strict bool
	lineterminator                        string
	quoting                               int
}

var (
	_ starlark.HasAttrs    = (*Dialect)(nil)
	_ starlark.HasSetField = (*Dialect)(nil)
)

// dialectParams are the formatting parameters: the attributes of a
// Dialect and the keyword arguments of reader, writer and
// register_dialect, sorted, which is the order CPython reads them in.
var dialectParams = []string{"delimiter", "doublequote", "escapechar", "lineterminator", "quotechar", "quoting", "skipinitialspace", "strict"}

func (d *Dialect) String() string        { return fmt.Sprintf("<_csv.Dialect object at %p>", d) }
func (d *Dialect) Type() string          { return "_csv.Dialect" }
func (d *Dialect) Freeze()               {}
func (d *Dialect) Truth() starlark.Bool  { return true }
func (d *Dialect) Hash() (uint32, error) { return starlark.String(d.String()).Hash() }

// AttrNames lists the formatting parameters.
func (d *Dialect) AttrNames() []string { return slices.Clone(dialectParams) }

// Attr returns a formatting parameter as CPython shows it.
func (d *Dialect) Attr(name string) (starlark.Value, error) {
	switch name {
	case "delimiter":
		return charValue(d.delimiter), nil
	case "quotechar":
		return charValue(d.quotechar), nil
	case "escapechar":
		return charValue(d.escapechar), nil
	case "doublequote":
		return starlark.Bool(d.doublequote), nil
	case "skipinitialspace":
		return starlark.Bool(d.skipinitialspace), nil
	case "strict":
		return starlark.Bool(d.strict), nil
	case "lineterminator":
		return starlark.String(d.lineterminator), nil
	case "quoting":
		return starlark.MakeInt(d.quoting), nil
	}
	return nil, nil
}

// SetField refuses, as CPython's Dialect is read-only.
func (d *Dialect) SetField(name string, v starlark.Value) error {
	for _, a := range dialectParams {
		if a == name {
			return py.Errorf(py.AttributeError, "attribute '%s' of '_csv.Dialect' objects is not writable", name)
		}
	}
	return py.Errorf(py.AttributeError, "'_csv.Dialect' object has no attribute '%s'", name)
}

func charValue(c rune) starlark.Value {
	if c == notSet {
		return starlark.None
	}
	return starlark.String(string(c))
}

// ascii reports whether every character the parser and writer look for
// is ASCII, so that they can work on bytes.
func (d *Dialect) ascii() bool {
	for _, c := range []rune{d.delimiter, d.quotechar, d.escapechar} {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	for i := 0; i < len(d.lineterminator); i++ {
		if d.lineterminator[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// The dialects every execution starts with, and the classes csv.excel,
// csv.excel_tab and csv.unix_dialect that describe them.
var (
	excel       = Dialect{delimiter: ',', quotechar: '"', escapechar: notSet, doublequote: true, lineterminator: "\r\n", quoting: quoteMinimal}
	excelTab    = withDelimiter(excel, '\t')
	unixDialect = Dialect{delimiter: ',', quotechar: '"', escapechar: notSet, doublequote: true, lineterminator: "\n", quoting: quoteAll}

	excelClass       = dialectClass("excel", &excel)
	excelTabClass    = dialectClass("excel_tab", &excelTab)
	unixDialectClass = dialectClass("unix_dialect", &unixDialect)
)

func withDelimiter(d Dialect, c rune) Dialect {
	d.delimiter = c
	return d
}

// dialectClass is a class of the csv module whose attributes are those of
// d; calling it makes a Dialect, and it can be passed as a dialect.
func dialectClass(name string, d *Dialect) *pyclass.Class {
	attrs := starlark.StringDict{}
	for _, a := range dialectParams {
		attrs[a], _ = d.Attr(a)
	}
	return &pyclass.Class{Module: "csv", ClassName: name, Attrs: attrs,
		Make: func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(kwargs) > 0 {
				return nil, py.Errorf(py.TypeError, "Dialect.__init__() got an unexpected keyword argument '%s'", string(kwargs[0][0].(starlark.String)))
			}
			if len(args) > 0 {
				return nil, py.Errorf(py.TypeError, "Dialect.__init__() takes 1 positional argument but %d were given", len(args)+1)
			}
			copy := *d
			return &copy, nil
		},
		Instance: func(v starlark.Value) bool { return false },
	}
}

// makeDialect is CPython's _csv.Dialect(dialect, **fmtparams), which
// reader, writer and register_dialect call: dialect is a registered name,
// a Dialect, or any object whose attributes give the parameters the
// keyword arguments do not (nil: none); the result is checked as CPython
// checks it, with its messages.
func (m *module) makeDialect(dialect starlark.Value, kwargs []starlark.Tuple) (*Dialect, error) {
	params := make(map[string]starlark.Value, len(kwargs))
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		if !isDialectParam(name) {
			return nil, py.Errorf(py.TypeError, "'%s' is an invalid keyword argument for this function", name)
		}
		params[name] = kv[1]
	}
	if s, ok := dialect.(starlark.String); ok {
		d, err := m.lookup(string(s))
		if err != nil {
			return nil, err
		}
		dialect = d
	}
	if d, ok := dialect.(*Dialect); ok && len(params) == 0 {
		return d, nil
	}
	if ha, ok := dialect.(starlark.HasAttrs); ok {
		for _, name := range dialectParams {
			if _, given := params[name]; given {
				continue
			}
			if v, err := ha.Attr(name); err == nil && v != nil {
				params[name] = v
			}
		}
	}
	d := &Dialect{}
	var err error
	if d.delimiter, err = charParam(params, "delimiter", ',', false); err != nil {
		return nil, err
	}
	d.doublequote = boolParam(params, "doublequote", true)
	if d.escapechar, err = charParam(params, "escapechar", notSet, true); err != nil {
		return nil, err
	}
	d.lineterminator = "\r\n"
	lineterminatorNone := false
	if v, ok := params["lineterminator"]; ok {
		switch v := v.(type) {
		case starlark.String:
			d.lineterminator = string(v)
		case starlark.NoneType:
			lineterminatorNone = true
		default:
			return nil, py.Errorf(py.TypeError, "\"lineterminator\" must be a string")
		}
	}
	if d.quotechar, err = charParam(params, "quotechar", '"', true); err != nil {
		return nil, err
	}
	quoting, quotingGiven := params["quoting"]
	if quotingGiven {
		i, ok := quoting.(starlark.Int)
		if !ok {
			return nil, py.Errorf(py.TypeError, "\"quoting\" must be an integer")
		}
		n, ok := i.Int64()
		if !ok || n < quoteMinimal || n > quoteNone {
			return nil, py.Errorf(py.TypeError, "bad \"quoting\" value")
		}
		d.quoting = int(n)
	}
	d.skipinitialspace = boolParam(params, "skipinitialspace", false)
	d.strict = boolParam(params, "strict", false)
	if params["quotechar"] == starlark.None && !quotingGiven {
		d.quoting = quoteNone
	}
	if d.quoting != quoteNone && d.quotechar == notSet {
		return nil, py.Errorf(py.TypeError, "quotechar must be set if quoting enabled")
	}
	if lineterminatorNone {
		return nil, py.Errorf(py.TypeError, "lineterminator must be set")
	}
	return d, nil
}

func isDialectParam(name string) bool {
	for _, p := range dialectParams {
		if p == name {
			return true
		}
	}
	return false
}

// charParam is a one-character parameter (CPython's _set_char and
// _set_char_or_none).
func charParam(params map[string]starlark.Value, name string, dflt rune, noneOK bool) (rune, error) {
	v, ok := params[name]
	if !ok {
		return dflt, nil
	}
	if v == starlark.None && noneOK {
		return notSet, nil
	}
	s, ok := v.(starlark.String)
	if !ok {
		if noneOK {
			return 0, py.Errorf(py.TypeError, "\"%s\" must be string or None, not %s", name, py.TypeName(v))
		}
		return 0, py.Errorf(py.TypeError, "\"%s\" must be string, not %s", name, py.TypeName(v))
	}
	c, size := utf8.DecodeRuneInString(string(s))
	if len(s) == 0 || size != len(s) {
		return 0, py.Errorf(py.TypeError, "\"%s\" must be a 1-character string", name)
	}
	return c, nil
}

func boolParam(params map[string]starlark.Value, name string, dflt bool) bool {
	if v, ok := params[name]; ok {
		return bool(v.Truth())
	}
	return dflt
}
